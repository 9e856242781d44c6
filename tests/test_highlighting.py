"""Highlighting marks what matched, escaped; the fast tokenising agrees with full analysis."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from whoosh.analysis import StemmingAnalyzer

from searchsvc import highlighting
from searchsvc.highlighting import highlight

ANALYZER = StemmingAnalyzer()


def full(text: str, terms: set[str], phrases: list[list[str]]) -> str:
    """The reference: every word analysed (the fast path switched off)."""
    saved = highlighting._stemmed_tokens
    highlighting._stemmed_tokens = lambda *a: None
    try:
        return highlight(text, ANALYZER, terms, phrases)
    finally:
        highlighting._stemmed_tokens = saved


def stems(*words: str) -> set[str]:
    return {t.text for w in words for t in ANALYZER(w, mode="query")}


def test_terms_and_phrases_are_marked_and_the_rest_escaped():
    text = 'Flying <b>drones</b> "flew" over the siege of Leningrad; dying & studies.'
    terms = stems("flying", "dying", "study")
    out = highlight(text, ANALYZER, terms, [["siege", "of", "Leningrad"]])
    assert "<mark>Flying</mark>" in out and "<mark>dying</mark>" in out
    assert "<mark>studies</mark>" in out and "<mark>siege of Leningrad</mark>" in out
    assert "&lt;b&gt;drones&lt;/b&gt;" in out and "&amp;" in out and "<b>" not in out


def test_fast_tokens_agree_with_full_analysis_on_real_text():
    bodies = json.loads(Path("tests/data/statements.json").read_text(encoding="utf-8"))
    texts = [s.get("passage") or s.get("text") or "" for s in bodies if isinstance(s, dict)]
    texts += [p.read_text(encoding="utf-8") for p in sorted(Path("seeds").glob("*.txt"))]
    words = sorted({w for t in texts for w in t.split() if w.isalpha()})
    assert len(words) > 300
    rng = random.Random(7)
    for _ in range(300):
        text = rng.choice(texts)
        chosen = rng.sample(words, 3)
        phrase = rng.choice(texts).split()[:3]
        terms = stems(*chosen)
        assert highlight(text, ANALYZER, terms, [phrase]) == full(text, terms, [phrase])


@pytest.mark.parametrize("word", ["ties", "dying", "flying", "by", "studies", "running",
                                  "Ukraine's"])
def test_words_whose_stems_change_early_are_still_found(word):
    text = f"Reports said {word} mattered."
    assert highlight(text, ANALYZER, stems(word)) == full(text, stems(word), [])
    assert "<mark>" in highlight(text, ANALYZER, stems(word)) or stems(word) == set()


def test_lower_case_table_is_complete():
    """The only non-ASCII characters whose lower case starts with an ASCII letter."""
    found = {}
    for cp in range(0x110000):
        ch = chr(cp)
        low = ch.lower()
        if not ch.isascii() and low[:1].isascii() and low[:1].isalpha():
            found[low[0]] = found.get(low[0], "") + ch
    assert found == highlighting._LOWER_FIRST_EXTRA


@pytest.mark.parametrize("text", [
    "U.S. police said x.police and ...police; 3police _police Police POLICE pOlice.",
    "İstanbul \u212aiev kiev Kiev: the in of İn ki Ki",
    "police of the minister, police the of, a minister police. Police-minister police minister",
    "policeminister police.minister police—minister police’s minister",
    "ties tying by By bY studies Studies polic",
])
def test_candidate_regex_agrees_with_full_analysis_on_awkward_text(text):
    cases = [(stems("police", "minister"), [["police", "minister"]]),
             (stems("istanbul", "kiev", "ki", "in", "by"), [["kiev", "kiev"], ["by", "ties"]]),
             (stems("ties", "studies", "polic"), [["ties", "by"], ["police", "of", "minister"]])]
    for terms, phrases in cases:
        assert highlight(text, ANALYZER, terms, phrases) == full(text, terms, phrases), terms
        assert highlight(text, ANALYZER, terms) == full(text, terms, []), terms
