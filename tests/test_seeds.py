"""Acceptance on the shipped seeds, checked where a user meets them: in the built index.

Every line the cleaning tests call boilerplate must be absent from every
indexed passage, and every reporting line must be findable in a passage of
its article, with the article's outlet and date.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_cleaning import EXPECTED_REMOVED

from searchsvc import indexing
from searchsvc.searching import SearchRequest, SearchService

SEEDS = Path("seeds")
MANIFEST = json.loads((SEEDS / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def passages(tmp_path_factory) -> dict[str, list[dict]]:
    index_dir = tmp_path_factory.mktemp("seeds-index")
    indexing.build([SEEDS], index_dir)
    svc = SearchService(index_dir)
    hits = svc.search(SearchRequest(per_page=100, sort="date")).hits
    assert len(hits) == svc.search(SearchRequest()).total
    by_article: dict[str, list[dict]] = {}
    for hit in hits:
        by_article.setdefault(hit["article_id"], []).append(hit)
    return by_article


@pytest.mark.parametrize("name", sorted(EXPECTED_REMOVED))
def test_no_boilerplate_line_in_any_passage_and_every_reporting_line_kept(passages, name):
    lines = (SEEDS / name).read_text(encoding="utf-8").splitlines()
    article_id = name.removesuffix(".txt")
    # Long paragraphs are split at sentence boundaries: rejoin the passages in order.
    ordered = sorted(passages[article_id], key=lambda h: h["ordinal"])
    own = " ".join(" ".join(h["text"].split()) for h in ordered)
    everything = "\n".join(h["text"] for hits in passages.values() for h in hits)
    for number, line in enumerate(lines, 1):
        line = line.strip()
        if not line:
            continue
        if number in EXPECTED_REMOVED[name]:
            assert line not in everything, f"{name}:{number} boilerplate indexed: {line!r}"
        else:
            assert " ".join(line.split()) in own, f"{name}:{number} reporting line lost: {line!r}"


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_every_passage_has_its_articles_title_outlet_and_date(passages, name):
    facts = MANIFEST[name]
    hits = passages[name.removesuffix(".txt")]
    assert hits
    for hit in hits:
        assert (hit["title"], hit["outlet"], hit["published"]) == (
            facts["title"], facts["outlet"], facts["published"])
