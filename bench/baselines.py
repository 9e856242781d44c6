"""Baseline engines: SQLite FTS5 (tuned) and raw Whoosh (the naive floor).

Both index the generated corpus passage by passage (article text split on
blank lines) with the passage-level actors from the generator's side file,
and answer a query with: total matches, facets (outlet, actor, month) over
ALL matches, and the top 10 hits with snippets.  Sorting is by relevance
(BM25 in both) or by date, newest first.  Outlets in a query are OR-ed,
actors AND-ed, and both restrict the match set the facets are counted on.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from whoosh import fields, index, sorting
from whoosh.analysis import StemmingAnalyzer
from whoosh.qparser import QueryParser
from whoosh.query import And, Or, Term
from whoosh.query import Query as WhooshQuery
from whoosh.searching import Searcher

from .corpus import read_passages
from .engine import BuildStats, SearchResult, dir_size, parse_q, top_facet
from .queries import Query

HITS = 10


def _fresh_dir(path: Path) -> None:
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)


# --------------------------------------------------------------------------- FTS5


class Fts5Engine:
    """SQLite FTS5 with porter stemming, bm25(), snippet() and GROUP BY facets."""

    name = "fts5"

    def __init__(self) -> None:
        self.db: sqlite3.Connection | None = None

    @staticmethod
    def available() -> bool:
        """Whether this sqlite3 build has FTS5 compiled in."""
        try:
            sqlite3.connect(":memory:").execute("CREATE VIRTUAL TABLE t USING fts5(x)")
        except sqlite3.OperationalError:
            return False
        return True

    def build(self, corpus: Path, index_dir: Path) -> BuildStats:
        """Load all passages in one transaction, index actors, then optimize."""
        self.close()
        _fresh_dir(index_dir)
        path = index_dir / "fts5.sqlite"
        t0 = time.perf_counter()
        db = sqlite3.connect(path, isolation_level=None)
        db.executescript(
            """
            PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-262144;
            CREATE VIRTUAL TABLE passages USING fts5(
                text, title UNINDEXED, outlet UNINDEXED, published UNINDEXED,
                month UNINDEXED, article_id UNINDEXED, pid UNINDEXED,
                tokenize = 'porter unicode61 remove_diacritics 2');
            CREATE TABLE actors (pid INTEGER NOT NULL, actor TEXT NOT NULL);
            BEGIN;
            """
        )
        n = 0
        actor_rows: list[tuple[int, str]] = []
        batch: list[tuple[Any, ...]] = []
        for rec in read_passages(corpus):
            batch.append((rec.rowid, rec.text, rec.title, rec.outlet, rec.published,
                          rec.month, rec.article_id, rec.id))
            actor_rows.extend((rec.rowid, a) for a in rec.actors)
            n += 1
            if len(batch) >= 5000:
                self._flush(db, batch, actor_rows)
        self._flush(db, batch, actor_rows)
        db.execute("COMMIT")
        db.executescript(
            """
            CREATE INDEX actors_by_actor ON actors (actor, pid);
            CREATE INDEX actors_by_pid ON actors (pid, actor);
            INSERT INTO passages(passages) VALUES ('optimize');
            ANALYZE;
            """
        )
        db.close()
        seconds = time.perf_counter() - t0
        self.open(index_dir)
        return BuildStats(passages=n, seconds=seconds, index_bytes=dir_size(index_dir))

    @staticmethod
    def _flush(db: sqlite3.Connection, batch: list[tuple[Any, ...]],
               actor_rows: list[tuple[int, str]]) -> None:
        db.executemany("INSERT INTO passages (rowid, text, title, outlet, published, month, "
                       "article_id, pid) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", batch)
        db.executemany("INSERT INTO actors (pid, actor) VALUES (?, ?)", actor_rows)
        batch.clear()
        actor_rows.clear()

    def open(self, index_dir: Path) -> None:
        """Open an existing index read-only."""
        self.close()
        uri = f"file:{index_dir / 'fts5.sqlite'}?mode=ro"
        self.db = sqlite3.connect(uri, uri=True, check_same_thread=False)
        self.db.execute("PRAGMA cache_size=-131072")
        self.db.execute("PRAGMA mmap_size=1073741824")

    @staticmethod
    def match_expr(q: str) -> str:
        """Common query syntax -> FTS5 MATCH: every clause a quoted (implicit AND) phrase."""
        return " ".join('"' + " ".join(words) + '"' for words in parse_q(q))

    def search(self, query: Query) -> SearchResult:
        """Total, facets over all matches (one pass), then the top 10 with snippets."""
        assert self.db is not None, "build() or open() first"
        match = self.match_expr(query["q"])
        if not match:
            return SearchResult(total=0)
        where = ["passages MATCH ?"]
        params: list[Any] = [match]
        if query["outlets"]:
            where.append(f"outlet IN ({', '.join('?' * len(query['outlets']))})")
            params.extend(query["outlets"])
        for actor in query["actors"]:
            # EXISTS keeps the plan match-driven; "rowid IN (SELECT ...)" makes SQLite
            # re-run the MATCH once per actor row (100x slower for popular actors).
            where.append("EXISTS (SELECT 1 FROM actors AS a WHERE a.pid = passages.rowid "
                         "AND a.actor = ?)")
            params.append(actor)
        cond = " AND ".join(where)
        facet_sql = f"""
            WITH m AS MATERIALIZED (SELECT rowid AS rid, outlet, month FROM passages
                                    WHERE {cond})
            SELECT 'total', '', count(*) FROM m
            UNION ALL SELECT * FROM (SELECT 'outlet', outlet, count(*) AS c FROM m
                                     GROUP BY outlet ORDER BY c DESC, outlet LIMIT ?)
            UNION ALL SELECT * FROM (SELECT 'month', month, count(*) AS c FROM m
                                     GROUP BY month ORDER BY c DESC, month LIMIT ?)
            UNION ALL SELECT * FROM (SELECT 'actor', a.actor, count(*) AS c
                                     FROM m JOIN actors AS a ON a.pid = m.rid
                                     GROUP BY a.actor ORDER BY c DESC, a.actor LIMIT ?)
        """
        limit = 1000  # keep all outlets/months/actors, then trim like the other engines
        total = 0
        facet_counts: dict[str, dict[str, int]] = {"outlet": {}, "actor": {}, "month": {}}
        for kind, value, count in self.db.execute(facet_sql, [*params, limit, limit, limit]):
            if kind == "total":
                total = count
            else:
                facet_counts[kind][value] = count
        if query["sort"] == "relevance":
            hit_sql = f"""
                SELECT pid, article_id, title, outlet, published,
                       snippet(passages, 0, '<b>', '</b>', '…', 24), rank
                FROM passages WHERE {cond} ORDER BY rank LIMIT {HITS}
            """
            hit_params = params
        else:
            # Pick the 10 newest first, so snippet() runs for 10 rows, not for every match.
            hit_sql = f"""
                SELECT pid, article_id, title, outlet, published,
                       snippet(passages, 0, '<b>', '</b>', '…', 24), rank
                FROM passages WHERE passages MATCH ? AND passages.rowid IN (
                    SELECT passages.rowid FROM passages WHERE {cond}
                    ORDER BY published DESC, passages.rowid LIMIT {HITS})
                ORDER BY published DESC, passages.rowid
            """
            hit_params = [match, *params]
        hits = [
            {"id": pid, "article_id": aid, "title": title, "outlet": outlet,
             "published": published, "snippet": snippet, "score": -score}
            for pid, aid, title, outlet, published, snippet, score
            in self.db.execute(hit_sql, hit_params)
        ]
        facets = {k: top_facet(v) for k, v in facet_counts.items()}
        return SearchResult(total=total, hits=hits, facets=facets)

    def close(self) -> None:
        """Close the connection."""
        if self.db is not None:
            self.db.close()
            self.db = None


# --------------------------------------------------------------------------- Whoosh


def whoosh_schema() -> fields.Schema:
    """The plain schema a first Whoosh implementation would write."""
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        article_id=fields.ID(stored=True),
        text=fields.TEXT(analyzer=StemmingAnalyzer(), stored=True),
        title=fields.STORED(),
        outlet=fields.KEYWORD(stored=True, commas=True),
        actors=fields.KEYWORD(commas=True),
        published=fields.DATETIME(stored=True),
        month=fields.ID(stored=True),
    )


class WhooshEngine:
    """Raw Whoosh: one reused searcher, FieldFacet groupings, hit.highlights()."""

    name = "whoosh"

    def __init__(self, limitmb: int = 256) -> None:
        self.limitmb = limitmb
        self.ix: index.Index | None = None
        self.searcher: Searcher | None = None
        self.parser = QueryParser("text", whoosh_schema())

    def build(self, corpus: Path, index_dir: Path) -> BuildStats:
        """One writer, one commit."""
        self.close()
        _fresh_dir(index_dir)
        t0 = time.perf_counter()
        ix = index.create_in(str(index_dir), whoosh_schema())
        writer = ix.writer(limitmb=self.limitmb)
        n = 0
        for rec in read_passages(corpus):
            writer.add_document(
                id=rec.id, article_id=rec.article_id, text=rec.text, title=rec.title,
                outlet=rec.outlet, actors=",".join(rec.actors),
                published=dt.datetime.fromisoformat(rec.published), month=rec.month)
            n += 1
        writer.commit()
        seconds = time.perf_counter() - t0
        self.open(index_dir)
        return BuildStats(passages=n, seconds=seconds, index_bytes=dir_size(index_dir))

    def open(self, index_dir: Path) -> None:
        """Open the index and one searcher that every query reuses."""
        self.close()
        self.ix = index.open_dir(str(index_dir))
        self.searcher = self.ix.searcher()

    def _query(self, query: Query) -> tuple[WhooshQuery, WhooshQuery | None]:
        filters: list[WhooshQuery] = []
        if query["outlets"]:
            filters.append(Or([Term("outlet", o) for o in query["outlets"]]))
        filters.extend(Term("actors", a) for a in query["actors"])
        filt = None if not filters else filters[0] if len(filters) == 1 else And(filters)
        return self.parser.parse(query["q"]), filt

    def _run(self, searcher: Searcher, query: Query) -> SearchResult:
        q, filt = self._query(query)
        groupedby = {
            "outlet": sorting.FieldFacet("outlet", maptype=sorting.Count),
            "actor": sorting.FieldFacet("actors", allow_overlap=True, maptype=sorting.Count),
            "month": sorting.FieldFacet("month", maptype=sorting.Count),
        }
        kwargs: dict[str, Any] = {}
        if query["sort"] != "relevance":
            kwargs = {"sortedby": "published", "reverse": True}
        results = searcher.search(q, limit=HITS, groupedby=groupedby, filter=filt, **kwargs)
        hits = []
        for hit in results[:HITS]:  # a term query without filter may keep more in top_n
            published = hit.get("published")
            hits.append({"id": hit["id"], "article_id": hit["article_id"],
                         "title": hit.get("title"), "outlet": hit.get("outlet"),
                         "published": published.date().isoformat() if published else None,
                         "snippet": hit.highlights("text"), "score": hit.score})
        facets = {name: top_facet({k: v for k, v in results.groups(name).items()
                                   if k is not None})
                  for name in groupedby}
        return SearchResult(total=len(results), hits=hits, facets=facets)

    def search(self, query: Query) -> SearchResult:
        """Search with the shared, reused searcher."""
        assert self.searcher is not None, "build() or open() first"
        return self._run(self.searcher, query)

    def search_fresh_searcher(self, query: Query) -> SearchResult:
        """The naive anti-pattern: open (and close) a searcher for every query."""
        assert self.ix is not None, "build() or open() first"
        with self.ix.searcher() as searcher:
            return self._run(searcher, query)

    def close(self) -> None:
        """Close the searcher and the index."""
        if self.searcher is not None:
            self.searcher.close()
            self.searcher = None
        if self.ix is not None:
            self.ix.close()
            self.ix = None


def baseline_engines() -> Iterator[Fts5Engine | WhooshEngine]:
    """The baselines available here (FTS5 only when compiled into sqlite3)."""
    if Fts5Engine.available():
        yield Fts5Engine()
    yield WhooshEngine()
