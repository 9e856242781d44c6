"""A numpy fast path for the common queries: plain terms joined by AND / OR / NOT.

Why: Whoosh finds and scores matches in Python matchers, one document at a time,
and a search walks them twice (once for the match set, once to rank). Common
words match tens of thousands of passages, so that walk was most of a search.
Here each term's postings are read from Whoosh once per generation into arrays
(document numbers and BM25F scores), and queries combine them with sorted-array
set operations. Matches and scores are the ones Whoosh computes:

* a term scores ``boost * bm25(idf, tf, fl, avgfl, B, K1)`` with Whoosh's own
  ``bm25``, its ``idf`` and ``avg_field_length`` (asked of the searcher) and the
  weighting's B/K1; ``tf`` is the posting's weight (the title's field boost is
  already in it) and ``fl`` the length Whoosh stores (quantised to a byte);
* And/Or add their children's scores, AndMaybe adds the optional side where it
  matches, AndNot/Require score their first child, Not scores 1.0 (Whoosh's
  InverseMatcher weight), a compound boost multiplies.

* a phrase (``"foreign minister"``, Whoosh's default slop of 1) matches where its
  words occur at consecutive positions and scores what Whoosh's phrase matcher
  gives: the sum of its words' term scores (a binary tree of intersections, as
  Whoosh builds it), times its boost. Candidates are the intersection of the
  words' postings; positions are read from Whoosh only for those candidates and
  compared in numpy.

Anything else (phrases with a slop, wildcards, fuzzy, facet fields, ranges,
coordination ``scale``) is not handled: ``evaluate`` returns None and Whoosh runs
the query.

Memory: arrays are kept in one LRU per generation bounded by their total bytes
(``SEARCHSVC_POSTINGS_MB``, default 256 MB per process). A cached term costs 12
bytes per posting (int32 docnum + float64 score); field lengths cost 8 bytes per
document per scored field, outside the bound (16 MB at 1M passages).
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from dataclasses import dataclass
from itertools import chain
from typing import Any

import numpy as np
from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.scoring import BM25F, bm25
from whoosh.searching import Searcher

SCORED_FIELDS = ("text", "title")
MAX_CACHE_BYTES = int(os.environ.get("SEARCHSVC_POSTINGS_MB", "256")) * 2**20
NOT_SCORE = 1.0  # what Whoosh's InverseMatcher gives each document it matches


@dataclass(frozen=True)
class Scored:
    """Matching documents (sorted, unique) and their scores."""

    docs: np.ndarray
    scores: np.ndarray

    @property
    def nbytes(self) -> int:
        return int(self.docs.nbytes + self.scores.nbytes)


_EMPTY = Scored(np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float64))


def supported(q: wq.Query) -> bool:
    """Whether every node of ``q`` is one this module evaluates exactly as Whoosh does."""
    kind = type(q)
    if q is wq.NullQuery:
        return True
    if kind is wq.Term:
        return q.fieldname in SCORED_FIELDS
    if kind is wq.Phrase:
        return q.fieldname in SCORED_FIELDS and q.slop == 1 and len(q.words) >= 2
    if kind is wq.Or:
        return not q.scale and all(supported(s) for s in q.subqueries)
    if kind is wq.And:
        return all(supported(s) for s in q.subqueries)
    if kind is wq.Not:
        return supported(q.query)
    if kind in (wq.AndNot, wq.AndMaybe, wq.Require):
        return supported(q.a) and supported(q.b)
    return False


class FastScorer:
    """Per generation: field lengths and an LRU of term postings and query results.

    Shared by the threads serving a generation; a thread passes its own searcher
    (document numbers are the same in every searcher of one generation).
    """

    def __init__(self, maxdoc: int, live: np.ndarray, max_bytes: int = MAX_CACHE_BYTES,
                 norms: dict[str, np.ndarray] | None = None) -> None:
        self.maxdoc = maxdoc
        self.live = live
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._cache: OrderedDict[tuple[str, ...], Scored] = OrderedDict()
        self._bytes = 0
        self._norms: dict[str, np.ndarray] = dict(norms or {})  # field lengths, read once

    def evaluate(self, searcher: Searcher, q: wq.Query | None) -> Scored | None:
        """Matches and scores of ``q``, or None when Whoosh must run it."""
        if q is None or not isinstance(searcher.weighting, BM25F) or not supported(q) \
                or not _phrases_have_positions(searcher, q):
            return None
        key = ("query", repr(q))
        found = self._get(key)
        if found is None:
            found = self._eval(searcher, q)
            self._put(key, found)
        return found

    # -- evaluation --

    def _eval(self, searcher: Searcher, q: wq.Query) -> Scored:
        kind = type(q)
        if q is wq.NullQuery:
            return _EMPTY
        if kind is wq.Term:
            found = self._term(searcher, q.fieldname, q.text)
            return found if q.boost == 1.0 else Scored(found.docs, found.scores * q.boost)
        if kind is wq.Phrase:
            found = self._phrase(searcher, q.fieldname, tuple(q.words))
            return found if q.boost == 1.0 else Scored(found.docs, found.scores * q.boost)
        if kind is wq.Not:
            return self._complement(self._eval(searcher, q.query))
        if kind is wq.AndNot:
            return _minus(self._eval(searcher, q.a), self._eval(searcher, q.b))
        if kind is wq.AndMaybe:
            return _maybe(self._eval(searcher, q.a), self._eval(searcher, q.b))
        if kind is wq.Require:
            a, b = self._eval(searcher, q.a), self._eval(searcher, q.b)
            return _and(a, Scored(b.docs, np.zeros(len(b.docs))))
        if kind is wq.And:
            found = self._and(searcher, q.subqueries)
        else:  # Or
            found = _or([self._eval(searcher, s) for s in q.subqueries])
        return found if q.boost == 1.0 else Scored(found.docs, found.scores * q.boost)

    def _and(self, searcher: Searcher, subs: list[wq.Query]) -> Scored:
        """Intersect the positive children, then take out each NOT child's documents.

        Whoosh's intersection with a NOT child adds that matcher's 1.0 to the score.
        """
        positive = [self._eval(searcher, s) for s in subs if type(s) is not wq.Not]
        negative = [self._eval(searcher, s.query) for s in subs if type(s) is wq.Not]
        if not positive:
            found = self._complement(_or(negative))
            return Scored(found.docs, found.scores * len(negative))
        positive.sort(key=lambda s: len(s.docs))
        found = positive[0]
        for other in positive[1:]:
            found = _and(found, other)
        for other in negative:
            found = _minus(found, other)
        if negative:
            found = Scored(found.docs, found.scores + NOT_SCORE * len(negative))
        return found

    def _complement(self, found: Scored) -> Scored:
        keep = self.live.copy()
        keep[found.docs] = False
        docs = np.flatnonzero(keep).astype(np.int32)
        return Scored(docs, np.full(len(docs), NOT_SCORE))

    def _phrase(self, searcher: Searcher, fieldname: str, words: tuple[str, ...]) -> Scored:
        key = ("phrase", fieldname, *words)
        found = self._get(key)
        if found is None:
            found = self._read_phrase(searcher, fieldname, words)
            self._put(key, found)
        return found

    def _read_phrase(self, searcher: Searcher, fieldname: str,
                     words: tuple[str, ...]) -> Scored:
        """Documents with ``words`` at consecutive positions, scored as Whoosh's SpanNear2.

        Whoosh scores a phrase by the intersection of its words' term matchers,
        built as a binary tree (``make_binary_tree``); the same tree is summed here.
        """
        reader = searcher.reader()
        if any((fieldname, w) not in reader for w in words):
            return _EMPTY
        terms = [self._term(searcher, fieldname, w) for w in words]
        found = _tree_and(terms)
        if not len(found.docs):
            return found
        # Key every position of word k as (candidate, position - k): a candidate matches
        # where one key is shared by all the words.
        shift = np.int64(1 << 32)
        keys = None
        for k, word in enumerate(words):
            mine = _position_keys(reader, fieldname, word, found.docs, k, shift)
            keys = mine if keys is None else np.intersect1d(keys, mine, assume_unique=True)
            if not len(keys):
                return _EMPTY
        hit = np.unique(keys // shift)
        return Scored(found.docs[hit], found.scores[hit])

    def _term(self, searcher: Searcher, fieldname: str, text: str) -> Scored:
        key = ("term", fieldname, text)
        found = self._get(key)
        if found is None:
            found = self._read_term(searcher, fieldname, text)
            self._put(key, found)
        return found

    def _read_term(self, searcher: Searcher, fieldname: str, text: str) -> Scored:
        """One term's postings scored with Whoosh's BM25F, read once per generation."""
        reader = searcher.reader()
        if (fieldname, text) not in reader:
            return _EMPTY
        docs, tf = read_postings(reader, fieldname, text)
        weighting: BM25F = searcher.weighting
        b = weighting._field_B.get(fieldname, weighting.B)
        avgfl = searcher.avg_field_length(fieldname) or 1
        fl = self._lengths(reader, fieldname)[docs]
        scores = bm25(searcher.idf(fieldname, text), tf, fl, avgfl, b, weighting.K1)
        return Scored(docs, np.asarray(scores, dtype=np.float64))

    def _lengths(self, reader: Any, fieldname: str) -> np.ndarray:
        """Every document's stored length of ``fieldname``, as Whoosh's scorer sees it.

        Read once per generation through the public ``doc_field_length`` (≈ 1 µs per
        document); the codec's length column is not part of Whoosh's API.
        """
        with self._lock:
            found = self._norms.get(fieldname)
            if found is None:
                length = reader.doc_field_length
                found = np.fromiter((length(d, fieldname, 0) or 0 for d in range(self.maxdoc)),
                                    dtype=np.float64, count=self.maxdoc)
                self._norms[fieldname] = found
            return found

    # -- the byte-bounded LRU --

    def _get(self, key: tuple[str, ...]) -> Scored | None:
        with self._lock:
            found = self._cache.get(key)
            if found is not None:
                self._cache.move_to_end(key)
            return found

    def _put(self, key: tuple[str, ...], value: Scored) -> None:
        size = value.nbytes
        if size > self.max_bytes // 4:  # one huge entry would flush everything else
            return
        with self._lock:
            old = self._cache.pop(key, None)
            if old is not None:
                self._bytes -= old.nbytes
            self._cache[key] = value
            self._bytes += size
            while self._bytes > self.max_bytes and self._cache:
                _, evicted = self._cache.popitem(last=False)
                self._bytes -= evicted.nbytes

    @property
    def cached_bytes(self) -> int:
        return self._bytes


def read_postings(reader: Any, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray]:
    """A term's documents (int32, ascending) and weights (float64) as Whoosh's matcher
    gives them (``id()``, ``weight()``), read a segment at a time."""
    docs = [np.zeros(0, dtype=np.int32)]
    weights = [np.zeros(0, dtype=np.float64)]
    for sub, base in reader.leaf_readers():
        if (fieldname, text) not in sub:
            continue
        matcher = sub.postings(fieldname, text)
        read = _block_postings if type(matcher) is W3LeafMatcher else _walk_postings
        ids, w = read(matcher)
        docs.append((ids + base).astype(np.int32))
        weights.append(w)
    return np.concatenate(docs), np.concatenate(weights)


def _walk_postings(matcher: Any) -> tuple[np.ndarray, np.ndarray]:
    """Through the matcher's public API, one posting at a time."""
    ids: list[int] = []
    tfs: list[float] = []
    add_id, add_tf = ids.append, tfs.append
    is_active, next_, id_, weight = matcher.is_active, matcher.next, matcher.id, matcher.weight
    while is_active():
        add_id(id_())
        add_tf(weight())
        next_()
    return np.array(ids, dtype=np.int64), np.array(tfs, dtype=np.float64)


def _block_postings(matcher: W3LeafMatcher) -> tuple[np.ndarray, np.ndarray]:
    """The same, a block at a time, from Whoosh 2.7.4's W3LeafMatcher block data.

    A block's data is (document number deltas, weights, values): the deltas are
    summed; weights are None (all 1.0), one float (all that) or float32s, widened as
    ``weight()`` widens them. ``tests/test_scoring.py`` checks this against the walk.
    """
    if matcher._byteids:
        return _walk_postings(matcher)
    ids: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
    tfs: list[np.ndarray] = [np.zeros(0, dtype=np.float64)]
    while matcher.is_active():
        if matcher._data is None:
            matcher._read_data()
        deltas, weights = matcher._data[0], matcher._data[1]
        n = matcher._blocklength
        ids.append(np.cumsum(np.asarray(deltas, dtype=np.int64)))
        if weights is None:
            tfs.append(np.ones(n, dtype=np.float64))
        elif isinstance(weights, float):
            tfs.append(np.full(n, np.float32(weights), dtype=np.float64))
        else:
            tfs.append(np.asarray(weights, dtype=np.float32).astype(np.float64))
        matcher._next_block()
    return np.concatenate(ids), np.concatenate(tfs)


def _phrases_have_positions(searcher: Searcher, q: wq.Query) -> bool:
    """Whoosh raises for a phrase on a field without positions: leave such queries to it."""
    for node in _walk(q):
        if type(node) is wq.Phrase:
            field = searcher.schema[node.fieldname] if node.fieldname in searcher.schema \
                else None
            if field is None or not field.format or not field.format.supports("positions"):
                return False
    return True


def _walk(q: wq.Query):
    yield q
    for child in q.children():
        yield from _walk(child)


def _position_keys(reader: Any, fieldname: str, word: str, docs: np.ndarray, k: int,
                   shift: np.int64) -> np.ndarray:
    """``i * shift + position - k`` for every position of ``word`` in ``docs[i]``.

    ``docs`` (sorted) all have the word: they are an intersection with its postings.
    """
    idx, pos = _positions(reader, fieldname, word, docs)
    p = pos - k
    keys = idx * shift + p
    return np.unique(keys[p >= 0])  # the first word cannot start before the passage does


def _positions(reader: Any, fieldname: str, word: str,
               docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each position of ``word`` in one of ``docs``: the document's index, the position."""
    idx_parts, pos_parts = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
    for sub, base in reader.leaf_readers():
        lo, hi = np.searchsorted(docs, [base, base + sub.doc_count_all()]).tolist()
        if lo == hi or (fieldname, word) not in sub:
            continue
        matcher = sub.postings(fieldname, word)
        local = docs[lo:hi].astype(np.int64) - base
        read = _block_values if type(matcher) is W3LeafMatcher else _walk_values
        which, values = read(matcher, local)
        positions = list(map(sub.schema[fieldname].format.decoder("positions"), values))
        idx_parts.append(np.repeat(np.asarray(which, dtype=np.int64) + lo,
                                   [len(x) for x in positions]))
        pos_parts.append(np.fromiter(chain.from_iterable(positions), dtype=np.int64))
    return np.concatenate(idx_parts), np.concatenate(pos_parts)


def _walk_values(matcher: Any, local: np.ndarray) -> tuple[list[int], list[bytes]]:
    """Each wanted document's raw posting value, through the matcher's public API."""
    which, values = [], []
    for i, doc in enumerate(local.tolist()):
        if not matcher.is_active():
            break
        matcher.skip_to(doc)
        if matcher.is_active() and matcher.id() == doc:
            which.append(i)
            values.append(matcher.value())
    return which, values


def _block_values(matcher: W3LeafMatcher, local: np.ndarray) -> tuple[list[int], list[bytes]]:
    """The same, a block at a time: blocks holding no wanted document are never decoded.

    Uses the block attributes of Whoosh 2.7.4's W3LeafMatcher (the version is pinned);
    ``tests/test_scoring.py`` checks it against ``_walk_values``.
    """
    which: list[int] = []
    values: list[bytes] = []
    j, n = 0, len(local)
    while j < n and matcher.is_active():
        if matcher.block_max_id() < local[j]:
            matcher._next_block()
            continue
        matcher._read_ids()
        matcher._read_values()
        ids = np.asarray(matcher._ids, dtype=np.int64)
        end = int(np.searchsorted(local, ids[-1], side="right"))
        want = local[j:end]
        at = np.minimum(np.searchsorted(ids, want), len(ids) - 1)
        found = np.flatnonzero(ids[at] == want)
        block_values = matcher._values
        which.extend((found + j).tolist())
        values.extend(block_values[a] for a in at[found].tolist())
        j = end
        matcher._next_block()
    return which, values


def _tree_and(parts: list[Scored]) -> Scored:
    """Intersection of ``parts``, scores summed in Whoosh's ``make_binary_tree`` order."""
    if len(parts) == 1:
        return parts[0]
    half = len(parts) // 2
    return _and(_tree_and(parts[:half]), _tree_and(parts[half:]))


def _and(a: Scored, b: Scored) -> Scored:
    """Documents in both, scores added (looks up the smaller side in the larger)."""
    if len(a.docs) > len(b.docs):
        a, b = b, a
    if not len(a.docs):
        return _EMPTY
    pos = np.minimum(np.searchsorted(b.docs, a.docs), len(b.docs) - 1)
    hit = b.docs[pos] == a.docs
    return Scored(a.docs[hit], a.scores[hit] + b.scores[pos[hit]])


def _or(parts: list[Scored]) -> Scored:
    """Documents in any part, scores of the parts that have them added."""
    parts = [p for p in parts if len(p.docs)]
    if not parts:
        return _EMPTY
    if len(parts) == 1:
        return parts[0]
    docs, where = np.unique(np.concatenate([p.docs for p in parts]), return_inverse=True)
    scores = np.bincount(where, weights=np.concatenate([p.scores for p in parts]),
                         minlength=len(docs))
    return Scored(docs.astype(np.int32), scores)


def _in(docs: np.ndarray, other: np.ndarray) -> np.ndarray:
    """Which of ``docs`` (sorted) are in ``other`` (sorted)."""
    if not len(other):
        return np.zeros(len(docs), dtype=bool)
    pos = np.minimum(np.searchsorted(other, docs), len(other) - 1)
    return other[pos] == docs


def _minus(a: Scored, b: Scored) -> Scored:
    keep = ~_in(a.docs, b.docs)
    return Scored(a.docs[keep], a.scores[keep])


def _maybe(a: Scored, b: Scored) -> Scored:
    """``a``'s documents; where ``b`` matches too, its score is added."""
    if not len(b.docs) or not len(a.docs):
        return a
    pos = np.minimum(np.searchsorted(b.docs, a.docs), len(b.docs) - 1)
    hit = b.docs[pos] == a.docs
    return Scored(a.docs, a.scores + np.where(hit, b.scores[pos], 0.0))


def top(found: Scored, allowed: np.ndarray, limit: int) -> list[tuple[int, float | None]]:
    """The ``limit`` best of the allowed matches, in Whoosh's order (score, then docnum)."""
    keep = allowed[found.docs]
    docs, scores = found.docs[keep], found.scores[keep]
    if len(docs) > limit:
        part = np.argpartition(-scores, limit - 1)[:limit]
        # Ties at the cut: take the lowest docnums among equal scores, as Whoosh does.
        cut = scores[part].min()
        above = np.flatnonzero(scores > cut)
        tied = np.flatnonzero(scores == cut)[:limit - len(above)]
        part = np.concatenate([above, tied])
        docs, scores = docs[part], scores[part]
    order = np.lexsort((docs, -scores))
    return [(int(docs[i]), round(float(scores[i]), 4)) for i in order]
