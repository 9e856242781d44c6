"""The numpy fast path (searchsvc.scoring) against Whoosh: same matches, same scores.

Whoosh 2.7.4's AndNotMatcher never tests its first candidate against the
excluded side when that side starts at a lower document number, so
``goal -israel`` can return a passage with "Israeli" in it. The fast path
excludes it; the reference here is Whoosh's matches minus such documents.
"""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from whoosh import query as wq

from bench import corpus
from searchsvc import indexing, querying, scoring
from searchsvc.searching import SearchRequest, SearchService

TOP = 10


@pytest.fixture(scope="module")
def generated_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About 2,000 passages from the benchmark's corpus generator."""
    folder = tmp_path_factory.mktemp("gen2k")
    corpus.write_corpus(2000, folder / "c.jsonl", seed=0)
    indexing.build([folder / "c.jsonl"], folder / "index")
    return folder / "index"


@pytest.fixture(params=["seeds", "generated"])
def index_dir(request: pytest.FixtureRequest, seed_index: Path, generated_index: Path) -> Path:
    return seed_index if request.param == "seeds" else generated_index


def _open(index_dir: Path) -> tuple[SearchService, Any, Any, Any]:
    svc = SearchService(index_dir, cache_responses=False)
    served = svc.served()
    searcher, _ = svc._searchers(served)
    return svc, served, searcher, served.columns(searcher)


def _excluded_by_andnot(searcher: Any, q: wq.Query) -> set[int]:
    """Documents having a term that an AndNot in ``q`` prohibits (see the module doc)."""
    reader, out = searcher.reader(), set()
    nodes = [q]
    while nodes:
        node = nodes.pop()
        nodes.extend(node.children())
        if type(node) is wq.AndNot:
            for leaf in node.b.leaves():
                if type(leaf) is wq.Phrase:
                    out.update(leaf.docs(searcher))
                elif (leaf.fieldname, leaf.text) in reader:
                    out.update(reader.postings(leaf.fieldname, leaf.text).all_ids())
    return out


def _queries(searcher: Any, n: int, seed: int = 0) -> list[str]:
    """Plain-term queries over common and rarer words, with AND / OR / NOT / +/-."""
    reader = searcher.reader()
    words = sorted((t.decode() for t in reader.lexicon("text")),
                   key=lambda w: (-reader.doc_frequency("text", w), w))
    words = [w for w in words if w.isalpha()][:400]
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        a, b, c = rng.sample(words, 3)
        out += [a, f"{a} {b}", f"{a} OR {b}", f"{a} NOT {b}", f"({a} OR {b}) {c}",
                f"{a} -{b} {c}", f"+{a} {b}", f"{a} OR NOT {b}", f"{a}^2 {b}"]
    return out


def _phrase_queries(searcher: Any, n: int, seed: int = 0) -> list[str]:
    """Phrases of two and three words taken from passages (so most match), combined."""
    rng = random.Random(seed)
    maxdoc = searcher.doc_count_all()
    out = []
    while len(out) < n * 8:
        words = re.findall(r"[A-Za-z]+", searcher.stored_fields(rng.randrange(maxdoc))["text"])
        if len(words) < 6:
            continue
        i = rng.randrange(len(words) - 3)
        two, three, other = " ".join(words[i:i + 2]), " ".join(words[i:i + 3]), words[-1]
        out += [f'"{two}"', f'"{three}"', f'"{two}" {other}', f'"{two}" OR "{three}"',
                f'{other} -"{two}"', f'"{two}"^2 {other}', f'"{two}" NOT {other}',
                f'"{two}" ANDMAYBE "{three}"']
    return out


def _assert_agrees(searcher: Any, scorer: scoring.FastScorer, q: wq.Query, text: str) -> None:
    fast = scorer.evaluate(searcher, q)
    assert fast is not None, text
    bad = _excluded_by_andnot(searcher, q)
    whoosh_docs = set(q.docs(searcher))
    assert set(fast.docs.tolist()) <= whoosh_docs, text
    assert fast.docs.tolist() == sorted(whoosh_docs - bad), text
    hits = [h for h in searcher.search(q, limit=None, optimize=False) if h.docnum not in bad]
    mine = dict(zip(fast.docs.tolist(), fast.scores.tolist(), strict=True))
    for hit in hits:
        assert mine[hit.docnum] == pytest.approx(hit.score, rel=1e-9, abs=1e-9), text
    # Top-k: the same scores in the same order; the same documents above the cut-off
    # (documents tied at the cut-off may differ).
    allowed = np.ones(searcher.doc_count_all(), dtype=bool)
    top = scoring.top(fast, allowed, TOP)
    ref = [(h.docnum, round(h.score, 4)) for h in hits[:TOP]]
    assert [s for _, s in top] == [s for _, s in ref], text
    if ref:
        cut = ref[-1][1]
        assert {d for d, s in top if s > cut} == {d for d, s in ref if s > cut}, text


def test_agrees_with_whoosh(index_dir: Path) -> None:
    _svc, served, searcher, cols = _open(index_dir)
    fixed = ["police minister", "police OR minister", "police NOT minister", "police -minister",
             "+police minister", "NOT police", "NOT police NOT army", "police OR NOT army",
             "(police OR army) AND minister", "police^3 army", "police ANDMAYBE army",
             "police ANDNOT army", "police zzzqqq", "police OR zzzqqq", "the police"]
    texts = fixed + _queries(searcher, 40)
    for text in texts:
        q = querying.parse(text, served.schema, searcher.reader(), cols.resolver)
        _assert_agrees(searcher, cols.scorer, q, text)


def test_phrases_agree_with_whoosh(index_dir: Path) -> None:
    _svc, served, searcher, cols = _open(index_dir)
    fixed = ['"prime minister"', '"prime minister" police', '"the prime of minister"',
             '"foreign minister"', '"zzzqqq police"', '"police zzzqqq"', '"minister minister"',
             '"Olga Bennett"', '"said on"', 'police -"prime minister"', '"a" police']
    for text in fixed + _phrase_queries(searcher, 25):
        q = querying.parse(text, served.schema, searcher.reader(), cols.resolver)
        if q is None or q is wq.NullQuery:
            continue
        _assert_agrees(searcher, cols.scorer, q, text)


def test_phrase_positions_read_either_way(index_dir: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """The block-at-a-time reader of positions gives what the public matcher API gives."""
    _svc, served, searcher, cols = _open(index_dir)
    texts = _phrase_queries(searcher, 10, seed=3)[::8]
    queries = [querying.parse(t, served.schema, searcher.reader(), cols.resolver) for t in texts]
    blockwise = [scoring.FastScorer(cols.maxdoc, cols.live).evaluate(searcher, q)
                 for q in queries]
    monkeypatch.setattr(scoring, "W3LeafMatcher", type(None))  # never the matcher's type
    walked = [scoring.FastScorer(cols.maxdoc, cols.live).evaluate(searcher, q) for q in queries]
    for text, a, b in zip(texts, blockwise, walked, strict=True):
        assert a is not None and b is not None, text
        assert a.docs.tolist() == b.docs.tolist() and a.scores.tolist() == b.scores.tolist()


def test_phrases_agree_with_whoosh_after_replacements(generated_index: Path,
                                                     tmp_path: Path) -> None:
    """With deleted documents (``index add`` replacing articles), positions come through
    Whoosh's deletion filter and still agree."""
    import json
    import shutil

    shutil.copytree(generated_index, tmp_path / "ix")
    lines = (generated_index.parent / "c.jsonl").read_text(encoding="utf-8").splitlines()
    replaced = [json.loads(line) for line in lines[:40:4]]
    for article in replaced:
        article["text"] = article["text"].replace(" the ", " the foreign minister said ")
    (tmp_path / "new.jsonl").write_text("".join(json.dumps(a) + "\n" for a in replaced),
                                        encoding="utf-8")
    indexing.add([tmp_path / "new.jsonl"], tmp_path / "ix")
    _svc, served, searcher, cols = _open(tmp_path / "ix")
    assert searcher.reader().has_deletions()
    for text in ['"foreign minister"', '"foreign minister said"', '"minister said" the',
                 *_phrase_queries(searcher, 8, seed=5)]:
        q = querying.parse(text, served.schema, searcher.reader(), cols.resolver)
        if q is None or q is wq.NullQuery:
            continue
        _assert_agrees(searcher, cols.scorer, q, text)


def test_postings_read_by_block_as_the_matcher_walks_them(index_dir: Path) -> None:
    """read_postings (block data of Whoosh 2.7.4's matcher) gives what id()/weight() give."""
    _svc, _served, searcher, _cols = _open(index_dir)
    reader = searcher.reader()
    checked = 0
    for fieldname in ("text", "title", "outlet_f", "actor_f", "quoted_f", "month"):
        for i, term in enumerate(reader.lexicon(fieldname)):
            if i % 7:
                continue
            text = term.decode("utf-8")
            docs, weights = scoring.read_postings(reader, fieldname, text)
            ref = []
            walk = reader.postings(fieldname, text)
            while walk.is_active():
                ref.append((walk.id(), walk.weight()))
                walk.next()
            assert docs.tolist() == [d for d, _ in ref], (fieldname, text)
            assert weights.tolist() == [w for _, w in ref], (fieldname, text)
            checked += 1
    assert checked > 50


def test_prohibited_terms_never_match(seed_index: Path) -> None:
    """The fast path does not repeat Whoosh's AndNot first-document slip."""
    _svc, served, searcher, cols = _open(seed_index)
    reader = searcher.reader()
    for text in _queries(searcher, 30, seed=1):
        if " -" not in text:
            continue
        q = querying.parse(text, served.schema, reader, cols.resolver)
        fast = cols.scorer.evaluate(searcher, q)
        assert fast is not None
        banned = _excluded_by_andnot(searcher, q)
        assert not banned & set(fast.docs.tolist()), text


def test_empty_results(seed_index: Path) -> None:
    svc, served, searcher, cols = _open(seed_index)
    for text in ["zzzqqqx", "police zzzqqqx", "police -police"]:
        q = querying.parse(text, served.schema, searcher.reader(), cols.resolver)
        found = cols.scorer.evaluate(searcher, q)
        assert found is not None and len(found.docs) == 0
        resp = svc.search(SearchRequest(q=text))
        assert resp.total == 0 and resp.hits == []


@pytest.mark.parametrize("text", ['"prime minister"~3', "minist*", "polce~1", "actor:hamas",
                                  "outlet:newsweek police", "title:police"])
def test_other_syntax_falls_back_to_whoosh(seed_index: Path, text: str) -> None:
    svc, served, searcher, cols = _open(seed_index)
    q = querying.parse(text, served.schema, searcher.reader(), cols.resolver)
    if q is None or q is wq.NullQuery:
        return
    if "title:" not in text:
        assert not scoring.supported(q)
        assert cols.scorer.evaluate(searcher, q) is None
    svc.search(SearchRequest(q=text))  # still served (by Whoosh)


def _comparable(resp: Any) -> dict[str, Any]:
    """A response without timing; hits as (score, passage_id) sorted so ties may differ."""
    out = resp.to_dict()
    out.pop("took_ms")
    out["hits"] = sorted((-(h["score"] or 0), h["passage_id"]) for h in out["hits"])
    return out


def _without_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scoring.FastScorer, "evaluate", lambda self, searcher, q: None)


def test_service_responses_unchanged(generated_index: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Totals, facets, pages and filters are what the Whoosh path gives."""
    svc = SearchService(generated_index, cache_responses=False)
    searcher, _ = svc._searchers(svc.served())
    outlets = [v["value"] for v in svc.facet_counts(top=3)["outlet"]]
    reqs = []
    for i, text in enumerate(["minister", "police OR army", "said NOT minister",
                              "government officials", "NOT said", '"prime minister"',
                              '"foreign minister" said']):
        reqs += [SearchRequest(q=text), SearchRequest(q=text, page=2, per_page=7),
                 SearchRequest(q=text, outlets=outlets[:1 + i % 2]),
                 SearchRequest(q=text, date_from="2021-01-01", date_to="2023-06-30"),
                 SearchRequest(q=text, sort="date"), SearchRequest(q=text, collapse="quote")]
    fast = [_comparable(svc.search(r)) for r in reqs]
    with monkeypatch.context() as m:
        _without_fast_path(m)
        slow_svc = SearchService(generated_index, cache_responses=False)
        slow = [_comparable(slow_svc.search(r)) for r in reqs]
    for r, a, b in zip(reqs, fast, slow, strict=True):
        if r.collapse:  # groups follow rank order, which may differ among ties
            assert a["total"] == b["total"]
            continue
        assert a == b, r


def test_cache_is_bounded_by_bytes(generated_index: Path) -> None:
    _svc, served, searcher, cols = _open(generated_index)
    small = scoring.FastScorer(cols.maxdoc, cols.live, max_bytes=64 * 1024)
    for text in _queries(searcher, 20, seed=2):
        q = querying.parse(text, served.schema, searcher.reader(), cols.resolver)
        small.evaluate(searcher, q)
        assert small.cached_bytes <= small.max_bytes
    assert small.cached_bytes > 0
