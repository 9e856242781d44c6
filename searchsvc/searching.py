"""The one search function behind the CLI, the JSON API and the web pages.

How a search runs, and why:

* The serving generation is checked on every call (a ``stat`` of CURRENT), so
  a rebuild or ``index add`` is picked up without a restart.
* Each thread keeps its own Whoosh ``Searcher`` per generation: searchers are
  not thread-safe, and opening one per request is slow.
* Per generation, facet values are held as numpy arrays (document -> value,
  built once from the postings of the facet fields). Matching documents become
  a boolean mask; filters are masks; facet counts are ``bincount``s. Whoosh's
  own facet path would load and score every match instead.
* Facets are multi-select: each facet's counts apply every filter but its own,
  so other values stay selectable with real counts.
* Whoosh scores only what a relevance page needs (top ``page*per_page``),
  under a time limit; date sorting is done on the arrays.
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
from whoosh import query as wq
from whoosh.collectors import TimeLimit, TimeLimitCollector
from whoosh.searching import Searcher

from . import querying
from .highlighting import highlight
from .indexing import ARTICLES, CURRENT, NO_DAY, Generation, NoIndex, current_generation, day_number
from .querying import QueryError
from .spelling import Speller

FACETS = {"outlet": "outlet_f", "actor": "actor_f", "speaker": "speaker_f", "month": "month"}
SORTS = ("relevance", "date", "-date")
DEFAULT_PER_PAGE = 10
MAX_PER_PAGE = 100
MAX_RESULT_WINDOW = 10_000  # deepest hit a page may reach
MAX_FILTER_VALUES = 50
DEFAULT_TIME_LIMIT = 2.0
CACHE_ENTRIES = 256
CACHE_MAX_DOCS = 2_000_000
_ID_RE = re.compile(r"^[A-Za-z0-9_.-]{1,200}$")


@dataclass
class SearchRequest:
    """A search as a user asks for it (HTTP parameters and CLI options map onto this)."""

    q: str = ""
    outlets: list[str] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)
    speakers: list[str] = field(default_factory=list)
    date_from: str | None = None
    date_to: str | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    facet_limit: int = 10

    def selections(self) -> dict[str, list[str]]:
        return {"outlet": self.outlets, "actor": self.actors, "speaker": self.speakers}

    def validate(self) -> None:
        """Raise QueryError naming the first parameter that cannot be served."""
        if self.sort not in SORTS:
            raise QueryError("sort", f"sort must be one of {', '.join(SORTS)}")
        if not isinstance(self.page, int) or self.page < 1:
            raise QueryError("page", "page must be a whole number from 1")
        if not isinstance(self.per_page, int) or not 1 <= self.per_page <= MAX_PER_PAGE:
            raise QueryError("per_page", f"per_page must be from 1 to {MAX_PER_PAGE}")
        if self.page * self.per_page > MAX_RESULT_WINDOW:
            raise QueryError("page", f"results beyond the first {MAX_RESULT_WINDOW:,} cannot "
                                     "be paged to; narrow the search")
        for name, values in self.selections().items():
            if len(values) > MAX_FILTER_VALUES:
                raise QueryError(name, f"at most {MAX_FILTER_VALUES} {name} values")
        for name in ("date_from", "date_to"):
            value = getattr(self, name)
            if value is not None:
                try:
                    date.fromisoformat(value)
                except (TypeError, ValueError):
                    param = "from" if name == "date_from" else "to"
                    raise QueryError(param, f"{param} must be a date as YYYY-MM-DD") from None
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise QueryError("from", "from is after to")


@dataclass
class SearchResponse:
    """A page of ranked passages with total, facet counts and a spelling suggestion."""

    query: str
    total: int
    page: int
    per_page: int
    took_ms: float
    hits: list[dict[str, Any]]
    facets: dict[str, list[dict[str, Any]]]
    suggestion: str | None = None
    timed_out: bool = False
    sort: str = "relevance"
    generation: str = ""

    @property
    def pages(self) -> int:
        reachable = min(self.total, MAX_RESULT_WINDOW)
        return max(1, -(-reachable // self.per_page))

    def to_dict(self) -> dict[str, Any]:
        return {"query": self.query, "total": self.total, "page": self.page,
                "per_page": self.per_page, "pages": self.pages, "took_ms": self.took_ms,
                "timed_out": self.timed_out, "sort": self.sort, "generation": self.generation,
                "hits": self.hits, "facets": self.facets, "suggestion": self.suggestion}


# -- per-generation columns -------------------------------------------------------------------


class FacetColumn:
    """A facet field as arrays: for each value, the documents that have it (CSR layout)."""

    def __init__(self, values: list[str], postings: list[np.ndarray], maxdoc: int) -> None:
        self.values = values
        self.index = {v: i for i, v in enumerate(values)}
        lengths = np.array([len(p) for p in postings], dtype=np.int64)
        self.offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        self.docs = (np.concatenate(postings) if postings else np.zeros(0)).astype(np.int32)
        self.vals = np.repeat(np.arange(len(values), dtype=np.int32), lengths)
        self.maxdoc = maxdoc

    def mask_for(self, selected: list[str]) -> np.ndarray:
        """Documents having any of the selected values (OR within a facet)."""
        mask = np.zeros(self.maxdoc, dtype=bool)
        for value in selected:
            i = self.index.get(value)
            if i is not None:
                mask[self.docs[self.offsets[i]:self.offsets[i + 1]]] = True
        return mask

    def counts(self, mask: np.ndarray) -> np.ndarray:
        return np.bincount(self.vals[mask[self.docs]], minlength=len(self.values))


class Columns:
    """What search needs per document, loaded once per generation and shared by threads."""

    def __init__(self, searcher: Searcher) -> None:
        reader = searcher.reader()
        self.maxdoc = reader.doc_count_all()
        self.live = np.ones(self.maxdoc, dtype=bool)
        if reader.has_deletions():
            self.live[:] = False
            self.live[np.fromiter(reader.all_doc_ids(), dtype=np.int64)] = True
        day = reader.column_reader("day")
        self.day = np.fromiter((day[i] for i in range(self.maxdoc)), dtype=np.int32,
                               count=self.maxdoc)
        self.facets: dict[str, FacetColumn] = {}
        for name, fieldname in FACETS.items():
            values, postings = [], []
            for term in reader.lexicon(fieldname):
                value = term.decode("utf-8")
                ids = np.fromiter(reader.postings(fieldname, value).all_ids(), dtype=np.int32)
                ids = ids[self.live[ids]]
                if len(ids):
                    values.append(value)
                    postings.append(ids)
            self.facets[name] = FacetColumn(values, postings, self.maxdoc)


class BoundedCollector(TimeLimitCollector):
    """A time limit and an allow-set in one collector.

    Whoosh's TimeLimitCollector calls its child's ``collect`` directly, so a
    filtering collector nested in it (or a ``filter=`` given to the child)
    is bypassed; this checks both in the one loop over matches.
    """

    def __init__(self, child, timelimit: float, allow: set[int] | None) -> None:
        super().__init__(child, timelimit, use_alarm=False)
        self.allow = allow

    def collect_matches(self) -> None:
        child, allow = self.child, self.allow
        offset = child.offset
        for sub_docnum in child.matches():
            if self.timedout:
                raise TimeLimit
            if allow is None or offset + sub_docnum in allow:
                child.collect(sub_docnum)


class _Served:
    """One generation as this process serves it: index, columns, caches."""

    def __init__(self, gen: Generation) -> None:
        self.gen = gen
        self.name = gen.name
        self.ix = gen.open()
        self.articles_ix = gen.open(ARTICLES)
        self.schema = self.ix.schema
        self.analyzer = self.schema["text"].analyzer
        self._lock = threading.Lock()
        self._columns: Columns | None = None
        self._speller: Speller | None = None
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()

    def columns(self, searcher: Searcher) -> Columns:
        with self._lock:
            if self._columns is None:
                self._columns = Columns(searcher)
            return self._columns

    def speller(self) -> Speller:
        with self._lock:
            if self._speller is None:
                words = json.loads((self.gen.path / "words.json").read_text("utf-8"))
                self._speller = Speller(words)
            return self._speller

    def cached(self, key: str) -> np.ndarray | None:
        with self._lock:
            found = self._cache.get(key)
            if found is not None:
                self._cache.move_to_end(key)
            return found

    def remember(self, key: str, docs: np.ndarray) -> None:
        if len(docs) > CACHE_MAX_DOCS:
            return
        with self._lock:
            self._cache[key] = docs
            while len(self._cache) > CACHE_ENTRIES:
                self._cache.popitem(last=False)


class SearchService:
    """Search over an index folder; one per process, safe to call from many threads."""

    def __init__(self, index_dir: str | Path, *, time_limit: float = DEFAULT_TIME_LIMIT) -> None:
        self.index_dir = Path(index_dir)
        self.time_limit = time_limit
        self._lock = threading.Lock()
        self._served: _Served | None = None
        self._pointer: tuple[int, int] | None = None
        self._local = threading.local()

    # -- generations and per-thread searchers --

    def served(self) -> _Served:
        """The serving generation, reloaded when CURRENT has changed since the last call."""
        try:
            st = os.stat(self.index_dir / CURRENT)
        except FileNotFoundError:
            raise NoIndex(f"no index in {self.index_dir}: run `searchsvc index build` "
                          "first") from None
        pointer = (st.st_ino, st.st_mtime_ns)
        with self._lock:
            if self._served is None or pointer != self._pointer:
                for _attempt in range(5):
                    try:
                        gen = current_generation(self.index_dir)
                        if self._served is None or gen.name != self._served.name:
                            self._served = _Served(gen)
                        break
                    except (FileNotFoundError, NoIndex):
                        # A newer build replaced it while we looked; read CURRENT again.
                        time.sleep(0.05)
                else:
                    raise NoIndex(f"cannot open the index in {self.index_dir}")
                self._pointer = pointer
            return self._served

    def _searchers(self, served: _Served) -> tuple[Searcher, Searcher]:
        local = self._local
        if getattr(local, "name", None) != served.name:
            for old in getattr(local, "searchers", ()):
                old.close()
            local.searchers = (served.ix.searcher(), served.articles_ix.searcher())
            local.name = served.name
        return local.searchers

    # -- search --

    def search(self, req: SearchRequest) -> SearchResponse:
        """Ranked passages for a request, with total, multi-select facets and a suggestion."""
        started = time.perf_counter()
        deadline = started + self.time_limit
        req.validate()
        served = self.served()
        searcher, _ = self._searchers(served)
        cols = served.columns(searcher)
        q = querying.parse(req.q, served.schema, searcher.reader())
        matched, timed_out = self._matches(served, searcher, cols, q, deadline)

        own_filters = {name: cols.facets[name].mask_for(values)
                       for name, values in req.selections().items() if values}
        date_mask = self._date_mask(cols, req)
        full = matched.copy()
        for mask in own_filters.values():
            full &= mask
        if date_mask is not None:
            full &= date_mask
        total = int(full.sum())

        facets = {}
        for name in FACETS:
            base = matched.copy()
            for other, mask in own_filters.items():
                if other != name:
                    base &= mask
            if date_mask is not None and name != "month":
                base &= date_mask
            facets[name] = self._facet_list(cols, name, base, req)

        offset = (req.page - 1) * req.per_page
        timed_out = timed_out or time.perf_counter() > deadline
        if q is not None and req.sort == "relevance" and not timed_out:
            ranked, late = self._rank(searcher, q, full, total, offset + req.per_page, deadline)
            timed_out = timed_out or late
        else:
            # Also what a search out of time falls back to: ordering by date costs little.
            ranked = self._by_date(cols, full, offset + req.per_page, req.sort)
        page_hits = ranked[offset:offset + req.per_page]
        hits = [self._hit(served, searcher, docnum, score, q) for docnum, score in page_hits]

        suggestion = None
        if req.q.strip() and time.perf_counter() < deadline:
            suggestion = served.speller().suggest(req.q)
        took = round((time.perf_counter() - started) * 1000, 2)
        return SearchResponse(req.q, total, req.page, req.per_page, took, hits, facets,
                              suggestion, timed_out, req.sort, served.name)

    def _matches(self, served: _Served, searcher: Searcher, cols: Columns,
                 q: wq.Query | None, deadline: float) -> tuple[np.ndarray, bool]:
        if q is None:
            return cols.live.copy(), False
        key = repr(q)
        docs = served.cached(key)
        timed_out = False
        if docs is None:
            chunks, buf = [], []
            for docnum in q.docs(searcher):
                buf.append(docnum)
                if len(buf) >= 4096:
                    chunks.append(np.array(buf, dtype=np.int64))
                    buf = []
                    if time.perf_counter() > deadline:
                        timed_out = True
                        break
            chunks.append(np.array(buf, dtype=np.int64))
            docs = np.concatenate(chunks)
            if not timed_out:
                served.remember(key, docs)
        mask = np.zeros(cols.maxdoc, dtype=bool)
        mask[docs] = True
        return mask & cols.live, timed_out

    @staticmethod
    def _date_mask(cols: Columns, req: SearchRequest) -> np.ndarray | None:
        if not req.date_from and not req.date_to:
            return None
        mask = cols.day != NO_DAY
        if req.date_from:
            mask &= cols.day >= day_number(req.date_from)
        if req.date_to:
            mask &= cols.day <= day_number(req.date_to)
        return mask

    @staticmethod
    def _facet_list(cols: Columns, name: str, mask: np.ndarray,
                    req: SearchRequest) -> list[dict[str, Any]]:
        column = cols.facets[name]
        counts = column.counts(mask)
        if name == "month":
            lo = (req.date_from or "")[:7]
            hi = (req.date_to or "9999-99")[:7]
            ranged = bool(req.date_from or req.date_to)
            return [{"value": v, "count": int(c), "selected": ranged and lo <= v <= hi}
                    for v, c in sorted(zip(column.values, counts, strict=True)) if c]
        selected = set(req.selections().get(name, []))
        order = np.lexsort((np.arange(len(counts)), -counts))
        out = []
        for i in order[:req.facet_limit]:
            if counts[i] == 0:
                break
            out.append({"value": column.values[i], "count": int(counts[i]),
                        "selected": column.values[i] in selected})
        shown = {item["value"] for item in out}
        for value in sorted(selected - shown):
            i = column.index.get(value)
            out.append({"value": value, "count": int(counts[i]) if i is not None else 0,
                        "selected": True})
        return out

    def _rank(self, searcher: Searcher, q: wq.Query, full: np.ndarray, total: int,
              limit: int, deadline: float) -> tuple[list[tuple[int, float | None]], bool]:
        if total == 0:
            return [], False
        allowed = None if total == int(full.size) else set(np.flatnonzero(full).tolist())
        timer = BoundedCollector(searcher.collector(limit=limit),
                                 max(0.05, deadline - time.perf_counter()), allowed)
        timed_out = False
        try:
            searcher.search_with_collector(q, timer)
        except TimeLimit:
            timed_out = True
        results = timer.results()
        ranked = [(results.docnum(i), round(float(results.score(i)), 4))
                  for i in range(min(limit, results.scored_length()))]
        return ranked, timed_out

    @staticmethod
    def _by_date(cols: Columns, full: np.ndarray, limit: int,
                 sort: str) -> list[tuple[int, float | None]]:
        docs = np.flatnonzero(full)
        days = cols.day[docs].astype(np.int64)
        unknown = days == NO_DAY
        key = -days if sort in ("-date", "relevance") else days
        key = np.where(unknown, np.iinfo(np.int64).max, key)
        if len(docs) > limit * 4:
            part = np.argpartition(key, limit)[:limit]
            docs, key = docs[part], key[part]
        order = np.lexsort((docs, key))[:limit]
        return [(int(d), None) for d in docs[order]]

    def _hit(self, served: _Served, searcher: Searcher, docnum: int, score: float | None,
             q: wq.Query | None) -> dict[str, Any]:
        doc = searcher.stored_fields(docnum)
        terms, phrases, multis = querying.positive_terms(q)
        text = doc.get("text", "")
        return {
            "passage_id": doc["passage_id"],
            "article_id": doc["article_id"],
            "ordinal": doc.get("ordinal"),
            "title": doc.get("title"),
            "outlet": doc.get("outlet_f"),
            "published": doc.get("published"),
            "url": doc.get("url"),
            "text": text,
            "highlight": highlight(text, served.analyzer, terms, phrases, multis),
            "actors": [{"name": n, "kind": k} for n, k in doc.get("actors", [])],
            "speakers": doc.get("speakers", []),
            "dates": [d for d in doc.get("dates", "").split(",") if d],
            "start": doc.get("start"),
            "end": doc.get("end"),
            "quotes": doc.get("quotes", []),
            "score": score,
        }

    # -- other reads --

    def article(self, article_id: str) -> dict[str, Any] | None:
        """An article's metadata, provenance, cleaned text, removed lines and passages."""
        if not isinstance(article_id, str) or not _ID_RE.match(article_id):
            return None
        served = self.served()
        searcher, articles = self._searchers(served)
        stored = articles.document(article_id=article_id)
        if stored is None:
            return None
        data = dict(stored["data"])
        passages = sorted(searcher.documents(article_id=article_id),
                          key=lambda d: d.get("ordinal", 0))
        data["passages"] = [{
            "passage_id": p["passage_id"], "ordinal": p.get("ordinal"), "text": p.get("text"),
            "start": p.get("start"), "end": p.get("end"),
            "actors": [{"name": n, "kind": k} for n, k in p.get("actors", [])],
            "speakers": p.get("speakers", []),
            "dates": [d for d in p.get("dates", "").split(",") if d],
            "quotes": p.get("quotes", []),
        } for p in passages]
        data.pop("passage_ids", None)
        return data

    def facet_values(self, name: str, req: SearchRequest | None = None, *, prefix: str = "",
                     limit: int = 100) -> list[dict[str, Any]]:
        """Every value of a facet with its count for a search (for long actor lists)."""
        if name not in FACETS:
            raise QueryError("field", f"field must be one of {', '.join(FACETS)}")
        req = req or SearchRequest()
        req = SearchRequest(**{**req.__dict__, "facet_limit": 10**9, "page": 1, "per_page": 1})
        resp = self.search(req)
        prefix = prefix.strip().lower()
        values = resp.facets[name]
        if prefix:
            values = [v for v in values
                      if any(w.startswith(prefix) for w in v["value"].lower().split())
                      or v["value"].lower().startswith(prefix)]
        return values[:limit]

    def facet_counts(self, *, top: int = 10) -> dict[str, list[dict[str, Any]]]:
        """Facet counts over the whole index."""
        return self.search(SearchRequest(facet_limit=top, per_page=1)).facets

    def health(self) -> dict[str, Any]:
        served = self.served()
        searcher, _ = self._searchers(served)
        return {"generation": served.name, "passages": searcher.doc_count(),
                "built_at": served.gen.meta.get("built_at")}

    def stats(self) -> dict[str, Any]:
        served = self.served()
        meta = served.gen.meta
        searcher, articles = self._searchers(served)
        return {"generation": served.name, "built_at": meta.get("built_at"),
                "build_seconds": meta.get("build_seconds"), "articles": articles.doc_count(),
                "passages": searcher.doc_count(), "skipped": len(meta.get("skipped", [])),
                "facets": self.facet_counts(top=10)}
