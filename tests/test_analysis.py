"""The fused analyzer gives exactly the tokens of Whoosh's StemmingAnalyzer."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest
from whoosh.analysis import StemmingAnalyzer

from searchsvc.analysis import FastStemmingAnalyzer

ROOT = Path(__file__).resolve().parent.parent
GROUND_TRUTH = ROOT.parent / "shared" / "data" / "extraction-dev" / "ground-truth.json"

ODD = [
    "", "   ", "a I an the of", "U.S. officials' e-mail: don't re-enter", "ÉCOLE Straße İstanbul",
    "x" * 300, "12 345 1,000 3.5% 2024-01-02", "naïve café — “quoted” ‘words’", "日本語のテキスト",
    "Running runs ran runner RUNNING", "the the the ceasefire the", "a\u00a0b\tc\nd",
]


def _texts() -> list[str]:
    texts = [p for f in sorted((ROOT / "seeds").glob("*.txt"))
             for p in f.read_text(encoding="utf-8").split("\n\n")]
    if GROUND_TRUTH.is_file():
        pages = json.loads(GROUND_TRUTH.read_text(encoding="utf-8"))
        items = pages.values() if isinstance(pages, dict) else pages
        texts += [str(v.get("articleBody", "")) for v in items if isinstance(v, dict)][:40]
    return texts + ODD


def _stream(analyzer, text: str, **kwargs) -> list[tuple]:
    return [(t.text, getattr(t, "pos", None), getattr(t, "startchar", None),
             getattr(t, "endchar", None), t.boost, t.stopped)
            for t in analyzer(text, **kwargs)]


KWARGS = [
    {}, {"positions": True}, {"chars": True}, {"positions": True, "chars": True},
    {"mode": "index", "positions": True, "chars": True}, {"mode": "query"},
    {"positions": True, "chars": True, "start_pos": 7, "start_char": 100},
    {"removestops": False, "positions": True}, {"keeporiginal": True}, {"no_morph": True},
    {"tokenize": False, "positions": True, "chars": True},
]


@pytest.mark.parametrize("kwargs", KWARGS, ids=[json.dumps(k) for k in KWARGS])
def test_tokens_are_identical_to_whoosh_stemming_analyzer(kwargs):
    theirs, ours = StemmingAnalyzer(), FastStemmingAnalyzer()
    texts = _texts()
    assert len(texts) > 50
    for text in texts:
        assert _stream(ours, text, **kwargs) == _stream(theirs, text, **kwargs), text[:80]


def test_it_pickles_without_its_stem_cache_and_keeps_working():
    ana = FastStemmingAnalyzer()
    list(ana("ceasefires negotiated by mediators"))
    assert ana._stems  # warmed
    clone = pickle.loads(pickle.dumps(ana))
    assert clone._stems == {}
    assert len(pickle.dumps(ana)) == len(pickle.dumps(FastStemmingAnalyzer()))
    assert [t.text for t in clone("ceasefires negotiated")] == ["ceasefir", "negotiat"]


def test_the_stem_cache_is_bounded(monkeypatch):
    from searchsvc import analysis

    monkeypatch.setattr(analysis, "STEM_CACHE_SIZE", 5)
    ana = FastStemmingAnalyzer()
    words = " ".join(f"word{i}s" for i in range(40))
    assert [t.text for t in ana(words)] == [t.text for t in StemmingAnalyzer()(words)]
    assert len(ana._stems) <= 5
