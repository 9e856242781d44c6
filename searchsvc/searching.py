"""The one search function behind the CLI, the JSON API and the web pages.

How a search runs, and why:

* The serving generation is checked on every call (a ``stat`` of CURRENT), so
  a rebuild or ``index add`` is picked up without a restart.
* Each thread keeps its own Whoosh ``Searcher`` per generation: searchers are
  not thread-safe, and opening one per request is slow.
* Per generation, facet values, days and field lengths are held as numpy
  arrays (``searchsvc.columns``): mapped from the files the build saved with the
  generation, or read once from the index. Matching documents become a boolean
  mask; filters are masks; facet counts are ``bincount``s. Whoosh's own facet
  path would load and score every match instead.
* Facets are multi-select: each facet's counts apply every filter but its own,
  so other values stay selectable with real counts.
* Plain terms and phrases are matched and scored in numpy (``searchsvc.scoring``,
  the same results as Whoosh); other queries are scored by Whoosh only as far as a
  relevance page needs (top ``page*per_page``), under a time limit; date sorting
  is done on the arrays.
* Highlighting and spelling: what to mark is worked out once per search; a
  spelling suggestion is only looked for when a search finds (almost) nothing.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
from whoosh import query as wq
from whoosh.collectors import TimeLimit, TimeLimitCollector
from whoosh.searching import Searcher

from . import columns, querying, scoring
from .columns import FACET_FIELDS
from .dedup import cluster_texts
from .highlighting import highlighter
from .indexing import ARTICLES, CURRENT, NO_DAY, Generation, NoIndex, current_generation, day_number
from .querying import QueryError
from .spelling import Speller

FACETS = FACET_FIELDS  # facet name -> index field
SORTS = ("relevance", "date", "-date")
COLLAPSES = ("quote",)
COLLAPSE_WINDOW = 500  # ranked hits considered when folding syndicated copies together
EXPORT_LIMIT = 10_000
INTERVALS = ("day", "month")
DEFAULT_PER_PAGE = 10
MAX_PER_PAGE = 100
MAX_RESULT_WINDOW = 10_000  # deepest hit a page may reach
MAX_FILTER_VALUES = 50
DEFAULT_TIME_LIMIT = 2.0
CACHE_ENTRIES = 256
CACHE_MAX_DOCS = 2_000_000
RESPONSE_CACHE_ENTRIES = 1024
SUGGEST_MAX_HITS = 5  # spelling suggestions only for searches finding at most this many
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
    collapse: str | None = None

    def selections(self) -> dict[str, list[str]]:
        return {"outlet": self.outlets, "actor": self.actors, "speaker": self.speakers}

    def validate(self) -> None:
        """Raise QueryError naming the first parameter that cannot be served."""
        if self.sort not in SORTS:
            raise QueryError("sort", f"sort must be one of {', '.join(SORTS)}")
        if self.collapse not in (None, *COLLAPSES):
            raise QueryError("collapse", f"collapse must be one of {', '.join(COLLAPSES)}")
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
    """A page of ranked passages with total, facet counts and a spelling suggestion.

    ``suggestion`` is only looked for when the search finds at most
    ``SUGGEST_MAX_HITS`` passages (otherwise None).
    """

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
    collapsed: int | None = None  # with collapse: groups of copies among the ranked window

    @property
    def pages(self) -> int:
        reachable = min(self.total if self.collapsed is None else self.collapsed,
                        MAX_RESULT_WINDOW)
        return max(1, -(-reachable // self.per_page))

    def to_dict(self) -> dict[str, Any]:
        out = {"query": self.query, "total": self.total, "page": self.page,
               "per_page": self.per_page, "pages": self.pages, "took_ms": self.took_ms,
               "timed_out": self.timed_out, "sort": self.sort, "generation": self.generation,
               "hits": self.hits, "facets": self.facets, "suggestion": self.suggestion,
               "facets_count": "passages"}
        if self.collapsed is not None:
            out["collapsed"] = self.collapsed
        return out


# -- per-generation columns -------------------------------------------------------------------


class Columns:
    """What search needs per document, loaded once per generation and shared by threads.

    Mapped from the arrays the build saved in the generation folder when they
    describe this index (``columns.write_facet_arrays``), else read from it.
    """

    def __init__(self, searcher: Searcher, generation_path: Path | None = None) -> None:
        reader = searcher.reader()
        data = (columns.columns_for(generation_path, reader) if generation_path is not None
                else columns.compute(reader))
        self.source = data.source
        self.maxdoc = data.maxdoc
        self.live = data.live
        self.day = data.day
        self.facets = data.facets
        self.quoted = data.quoted
        self._words = {name: [v.lower().split() for v in col.values]
                       for name, col in self.facets.items()}
        # Plain-term and phrase queries in numpy, with the lengths already read.
        self.scorer = scoring.FastScorer(self.maxdoc, self.live, norms=data.lengths)

    def resolver(self, facet: str, matches: Any) -> list[str]:
        """Facet values whose lower-cased words satisfy ``matches`` (for ``actor:putin``)."""
        values = self.facets[facet].values
        return [values[i] for i, words in enumerate(self._words[facet]) if matches(words)]


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
        self._responses: OrderedDict[str, SearchResponse] = OrderedDict()

    def columns(self, searcher: Searcher) -> Columns:
        with self._lock:
            if self._columns is None:
                self._columns = Columns(searcher, self.gen.path)
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

    def cached_response(self, key: str) -> SearchResponse | None:
        with self._lock:
            found = self._responses.get(key)
            if found is not None:
                self._responses.move_to_end(key)
            return found

    def remember_response(self, key: str, response: SearchResponse) -> None:
        with self._lock:
            self._responses[key] = response
            while len(self._responses) > RESPONSE_CACHE_ENTRIES:
                self._responses.popitem(last=False)

    def remember(self, key: str, docs: np.ndarray) -> None:
        if len(docs) > CACHE_MAX_DOCS:
            return
        with self._lock:
            self._cache[key] = docs
            while len(self._cache) > CACHE_ENTRIES:
                self._cache.popitem(last=False)


@dataclass
class _Match:
    served: _Served
    searcher: Searcher
    cols: Columns
    q: wq.Query | None
    matched: np.ndarray
    deadline: float
    timed_out: bool


class SearchService:
    """Search over an index folder; one per process, safe to call from many threads."""

    def __init__(self, index_dir: str | Path, *, time_limit: float = DEFAULT_TIME_LIMIT,
                 cache_responses: bool = True) -> None:
        self.index_dir = Path(index_dir)
        self.time_limit = time_limit
        self.cache_responses = cache_responses
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
        """Ranked passages for a request, with total, multi-select facets and a suggestion.

        A complete (not timed-out) answer depends only on the request and the
        index generation, so it is kept per generation and served again as is.
        Responses are shared: callers must not modify them.
        """
        started = time.perf_counter()
        req.validate()
        served = self.served()
        key = repr(sorted(req.__dict__.items()))
        cached = served.cached_response(key) if self.cache_responses else None
        if cached is not None:
            took = round((time.perf_counter() - started) * 1000, 2)
            return dataclasses.replace(cached, took_ms=took)
        response = self._search(served, req, started)
        if self.cache_responses and not response.timed_out:
            served.remember_response(key, response)
        return response

    def _search(self, served: _Served, req: SearchRequest, started: float) -> SearchResponse:
        deadline = started + self.time_limit
        searcher, _ = self._searchers(served)
        cols = served.columns(searcher)
        q = querying.parse(req.q, served.schema, searcher.reader(), cols.resolver)
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
        bases: dict[tuple[str, ...], tuple[np.ndarray, np.ndarray | None]] = {}
        for name in FACETS:
            applied = tuple(other for other in own_filters if other != name)
            if date_mask is not None and name != "month":
                applied += ("date",)
            if applied not in bases:  # facets with the same filters share their base
                base = matched.copy()
                for other in applied:
                    base &= date_mask if other == "date" else own_filters[other]
                bases[applied] = (base, columns.few_matches(base))
            base, idx = bases[applied]
            facets[name] = self._facet_list(cols, name, base, req, idx)

        offset = (req.page - 1) * req.per_page
        window = COLLAPSE_WINDOW if req.collapse else offset + req.per_page
        ranked, late = self._ranked(searcher, cols, q, full, total, window, req.sort, deadline,
                                    timed_out)
        timed_out = timed_out or late
        collapsed = None
        if req.collapse:
            collapsed, hits = self._collapse(served, searcher, ranked, q, offset, req.per_page)
        else:
            mark = self._highlighter(served, q)
            hits = [self._hit(searcher, docnum, score, mark)
                    for docnum, score in ranked[offset:offset + req.per_page]]

        suggestion = None
        # Like other engines, offer a correction only when the query finds (almost)
        # nothing: a misspelled word matches no passage, and a query that finds enough
        # is what the user meant; checking every word of every query cost CPU.
        if req.q.strip() and total <= SUGGEST_MAX_HITS and time.perf_counter() < deadline:
            suggestion = served.speller().suggest(req.q)
        took = round((time.perf_counter() - started) * 1000, 2)
        sort = "-date" if q is None and req.sort == "relevance" else req.sort
        return SearchResponse(req.q, total, req.page, req.per_page, took, hits, facets,
                              suggestion, timed_out, sort, served.name, collapsed)

    def _ranked(self, searcher: Searcher, cols: Columns, q: wq.Query | None, full: np.ndarray,
                total: int, limit: int, sort: str, deadline: float,
                timed_out: bool) -> tuple[list[tuple[int, float | None]], bool]:
        """The first ``limit`` hits in order: scored by Whoosh, or by date from the arrays."""
        if q is not None and sort == "relevance" and time.perf_counter() <= deadline \
                and not timed_out:
            fast = cols.scorer.evaluate(searcher, q)
            if fast is not None:
                return scoring.top(fast, full, limit), False
            return self._rank(searcher, q, full, total, limit, deadline)
        # Also what a search out of time falls back to: ordering by date costs little.
        return self._by_date(cols, full, limit, sort), timed_out or time.perf_counter() > deadline

    def _collapse(self, served: _Served, searcher: Searcher,
                  ranked: list[tuple[int, float | None]], q: wq.Query | None,
                  offset: int, per_page: int) -> tuple[int, list[dict]]:
        """Fold copies of the same statement (syndicated or re-reported) into one hit.

        Each group is shown by its best-ranked passage, with the other outlets that
        carried it ("also reported by") and the earliest date any of them has.
        Returns the number of groups and the requested page of them; only that
        page's passages are highlighted.
        """
        hits = []
        for docnum, _score in ranked:
            doc = searcher.stored_fields(docnum)
            hits.append({"passage_id": doc["passage_id"], "outlet": doc.get("outlet_f"),
                         "published": doc.get("published"), "url": doc.get("url"),
                         "text": doc.get("text", ""), "quotes": doc.get("quotes", [])})
        if not hits:
            return 0, []
        # Cluster statements one by one (as quotes() does): a passage's quotes joined
        # into one text rarely reach the threshold against a copy framed differently.
        # Quotes of one word only match exactly, so they are left out; a passage
        # without quotes is compared by its text. Passages sharing a statement merge.
        items, groups, owner = [], [], []
        for n, hit in enumerate(hits):
            quotes = [x for x in hit["quotes"] if len(x.get("text", "").split()) >= 2]
            for j, x in enumerate(quotes):
                items.append(((n, j), x["text"]))
                groups.append(x.get("speaker"))
                owner.append(n)
            if not hit["quotes"]:
                items.append(((n, -1), hit["text"]))
                groups.append(None)
                owner.append(n)
        cluster_of = cluster_texts(items, groups=groups)
        parent = list(range(len(hits)))

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        for (key, _), n in zip(items, owner, strict=True):
            a, b = find(n), find(cluster_of[key][0])
            parent[max(a, b)] = min(a, b)  # the better-ranked passage leads
        mark = self._highlighter(served, q)
        by_cluster: dict[int, list[int]] = {}
        for n in range(len(hits)):
            by_cluster.setdefault(find(n), []).append(n)
        out = []
        for numbers in list(by_cluster.values())[offset:offset + per_page]:
            members = [hits[n] for n in numbers]
            head = self._hit(searcher, *ranked[numbers[0]], mark)
            others = members[1:]
            head["also_reported_by"] = [
                {"outlet": m["outlet"], "passage_id": m["passage_id"],
                 "published": m["published"], "url": m["url"]} for m in others]
            dates = [m["published"] for m in members if m["published"]]
            head["earliest"] = min(dates) if dates else None
            head["copies"] = len(members)
            out.append(head)
        return len(by_cluster), out

    def _matches(self, served: _Served, searcher: Searcher, cols: Columns,
                 q: wq.Query | None, deadline: float) -> tuple[np.ndarray, bool]:
        if q is None:
            return cols.live.copy(), False
        fast = cols.scorer.evaluate(searcher, q)
        if fast is not None:
            mask = np.zeros(cols.maxdoc, dtype=bool)
            mask[fast.docs] = True
            return mask & cols.live, False
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
    def _facet_list(cols: Columns, name: str, mask: np.ndarray, req: SearchRequest,
                    idx: np.ndarray | None = None) -> list[dict[str, Any]]:
        column = cols.facets[name]
        counts = column.counts(mask, idx)
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
        # optimize=False: Whoosh 2.7.4's block-quality skipping can loop forever inside an
        # AndMaybe (the title boost, or a typed ANDMAYBE), where no time limit can stop it.
        timer = BoundedCollector(searcher.collector(limit=limit, optimize=False),
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

    @staticmethod
    def _highlighter(served: _Served, q: wq.Query | None) -> Callable[[str], str]:
        terms, phrases, multis = querying.positive_terms(q)
        return highlighter(served.analyzer, terms, phrases, multis)

    @staticmethod
    def _hit(searcher: Searcher, docnum: int, score: float | None,
             mark: Callable[[str], str]) -> dict[str, Any]:
        doc = searcher.stored_fields(docnum)
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
            "highlight": mark(text),
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

    def quotes(self, req: SearchRequest, *, limit: int = 50) -> dict[str, Any]:
        """Statements (direct and reported) in the passages a search finds, with who said them.

        ``req.speakers`` keeps only statements by those speakers; with a query, a
        statement is kept when its own text has a query word (else any statement
        of a matching passage). Newest first unless sorting by relevance.
        """
        limit = max(1, min(limit, 500))
        req.validate()
        m = self._match(req)
        served, searcher, cols, q, deadline, timed_out = (
            m.served, m.searcher, m.cols, m.q, m.deadline, m.timed_out)
        full = m.matched & self._filters_mask(cols, req)
        if req.speakers:
            quoted = np.zeros(cols.maxdoc, dtype=bool)
            for name in req.speakers:
                quoted[cols.quoted.per_document(name)[0]] = True
            full &= quoted
        else:
            has_quote = np.zeros(cols.maxdoc, dtype=bool)
            has_quote[cols.quoted.docs] = True
            full &= has_quote
        ranked, late = self._ranked(searcher, cols, q, full, int(full.sum()), COLLAPSE_WINDOW,
                                    req.sort if req.sort != "relevance" or q else "-date",
                                    deadline, timed_out)
        terms, phrases, _ = querying.positive_terms(q)
        wanted = set(req.speakers)
        out: list[dict[str, Any]] = []
        contexts: list[str] = []  # each quote's passage: one-word quotes cluster only
        for docnum, _score in ranked:  # when their passages are copies too
            doc = searcher.stored_fields(docnum)
            for quote in doc.get("quotes", []):
                if wanted and quote.get("speaker") not in wanted:
                    continue
                if terms and not self._mentions(served, quote["text"], terms):
                    continue
                contexts.append(doc.get("text", ""))
                out.append({**quote, "passage_id": doc["passage_id"],
                            "article_id": doc["article_id"], "outlet": doc.get("outlet_f"),
                            "published": doc.get("published"), "url": doc.get("url"),
                            "title": doc.get("title")})
        if out:
            cluster_of = cluster_texts([(i, x["text"]) for i, x in enumerate(out)],
                                       groups=[x.get("speaker") for x in out],
                                       contexts=contexts)
            for i, x in enumerate(out):
                x["cluster"] = cluster_of[i]
        return {"total": len(out), "quotes": out[:limit], "timed_out": timed_out or late,
                "generation": served.name}

    def _match(self, req: SearchRequest) -> _Match:
        """What every read starts with: the generation, this thread's searcher, the matches."""
        served = self.served()
        searcher, _ = self._searchers(served)
        cols = served.columns(searcher)
        q = querying.parse(req.q, served.schema, searcher.reader(), cols.resolver)
        deadline = time.perf_counter() + self.time_limit
        matched, timed_out = self._matches(served, searcher, cols, q, deadline)
        return _Match(served, searcher, cols, q, matched, deadline, timed_out)

    @staticmethod
    def _mentions(served: _Served, text: str, terms: set[str]) -> bool:
        return any(t.text in terms for t in served.analyzer(text, mode="query"))

    def _filters_mask(self, cols: Columns, req: SearchRequest,
                      skip: str | None = None) -> np.ndarray:
        """Every filter of a request as one mask (optionally leaving one facet out)."""
        mask = cols.live.copy()
        for name, values in req.selections().items():
            if values and name != skip:
                mask &= cols.facets[name].mask_for(values)
        date_mask = self._date_mask(cols, req)
        if date_mask is not None:
            mask &= date_mask
        return mask

    def timeline(self, actor: str, req: SearchRequest | None = None, *,
                 interval: str = "month", statements: int = 100) -> dict[str, Any]:
        """How often an actor appears and is quoted over time, split by outlet.

        ``passages`` counts passages naming the actor; ``quotes`` counts the
        actor's statements (direct and reported) in the same buckets.
        """
        if interval not in INTERVALS:
            raise QueryError("interval", f"interval must be one of {', '.join(INTERVALS)}")
        req = req or SearchRequest()
        req.validate()
        served = self.served()
        cols = served.columns(self._searchers(served)[0])
        if actor not in cols.facets["actor"].index and actor not in cols.quoted.index:
            return {"actor": actor, "interval": interval, "found": False, "buckets": [],
                    "outlets": [], "statements": [], "totals": {"passages": 0, "quotes": 0}}
        m = self._match(req)
        cols, timed_out = m.cols, m.timed_out
        base = m.matched & self._filters_mask(cols, req, skip="actor")
        naming = base & cols.facets["actor"].mask_for([actor])
        quote_docs, quote_counts = cols.quoted.per_document(actor)
        keep = base[quote_docs]
        quote_docs, quote_counts = quote_docs[keep], quote_counts[keep]

        outlet_col = cols.facets["outlet"]
        outlet_of = np.full(cols.maxdoc, -1, dtype=np.int32)
        outlet_of[outlet_col.docs] = outlet_col.vals
        buckets: dict[str, dict[str, Any]] = {}

        def bucket(day: int) -> str:
            if day == NO_DAY:
                return "undated"
            iso = date.fromordinal(int(day)).isoformat()
            return iso if interval == "day" else iso[:7]

        def add(docs: np.ndarray, weights: np.ndarray, key: str) -> None:
            for d, w in zip(docs.tolist(), weights.tolist(), strict=True):
                b = buckets.setdefault(bucket(cols.day[d]),
                                       {"passages": 0, "quotes": 0, "by_outlet": {}})
                b[key] += w
                o = outlet_col.values[outlet_of[d]] if outlet_of[d] >= 0 else "unknown"
                per = b["by_outlet"].setdefault(o, {"passages": 0, "quotes": 0})
                per[key] += w

        naming_docs = np.flatnonzero(naming)
        add(naming_docs, np.ones(len(naming_docs), dtype=np.int64), "passages")
        add(quote_docs, quote_counts, "quotes")
        listed = self.quotes(SearchRequest(**{**req.__dict__, "speakers": [actor],
                                              "sort": "date", "collapse": None}),
                             limit=statements)
        return {
            "actor": actor, "interval": interval, "found": True, "timed_out": timed_out,
            "totals": {"passages": int(len(naming_docs)), "quotes": int(quote_counts.sum())},
            "outlets": sorted({o for b in buckets.values() for o in b["by_outlet"]}),
            "buckets": [{"date": k, **v} for k, v in sorted(buckets.items())],
            "statements": listed["quotes"],
        }

    def export(self, req: SearchRequest, *, limit: int = EXPORT_LIMIT) -> list[dict[str, Any]]:
        """Every hit of a search (up to ``limit``) as citable rows, in the search's order."""
        limit = max(1, min(limit, EXPORT_LIMIT))
        req = SearchRequest(**{**req.__dict__, "page": 1, "per_page": 1, "collapse": None})
        req.validate()
        m = self._match(req)
        searcher = m.searcher
        full = m.matched & self._filters_mask(m.cols, req)
        ranked, _ = self._ranked(searcher, m.cols, m.q, full, int(full.sum()), limit, req.sort,
                                 m.deadline, m.timed_out)
        rows = []
        for docnum, score in ranked:
            doc = searcher.stored_fields(docnum)
            rows.append({
                "passage_id": doc["passage_id"], "article_id": doc["article_id"],
                "ordinal": doc.get("ordinal"), "start": doc.get("start"), "end": doc.get("end"),
                "outlet": doc.get("outlet_f"), "published": doc.get("published"),
                "url": doc.get("url"), "title": doc.get("title"),
                "speakers": "; ".join(doc.get("speakers", [])),
                "actors": "; ".join(n for n, _ in doc.get("actors", [])),
                "score": score, "text": doc.get("text", ""),
            })
        return rows

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
