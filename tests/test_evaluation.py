"""The benchmark metric on hand-computed examples, and a run over a tiny folder."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from searchsvc.evaluation import (
    PageScore,
    aggregate,
    format_extraction_report,
    run_extraction_eval,
    score,
    shingles,
    tokens,
)


def test_tokens_are_unicode_word_runs_with_case_kept() -> None:
    assert tokens("Don't stop—café_2, Ünï!") == ["Don", "t", "stop", "café_2", "Ünï"]


def test_shingles_of_short_and_empty_texts() -> None:
    assert shingles(["a", "b"]) == {("a", "b"): 1}
    assert shingles([]) == {}
    assert sum(shingles(list("abcdef")).values()) == 3


def test_exact_match_ignores_punctuation_and_spacing() -> None:
    # case is kept: only the shingle (b, c, d, e) of two is shared
    assert score("A b, c d!\n\ne", "a b c d e") == PageScore(0.5, 0.5, 0.5, False)
    assert score("A b, c d!\n\ne", "A b c d e") == PageScore(1.0, 1.0, 1.0, True)


def test_extra_and_missing_shingles() -> None:
    # reference a..f: 3 shingles; extracted a..g: 4 shingles, 3 shared
    s = score("a b c d e f g", "a b c d e f")
    assert s.precision == pytest.approx(3 / 4) and s.recall == 1.0
    assert s.f1 == pytest.approx(2 * 0.75 / 1.75) and not s.exact


def test_shingles_count_with_multiplicity() -> None:
    # "w x y z" twice in the reference, once extracted: 1 of 2 found
    s = score("w x y z", "w x y z w x y z")
    assert s.precision == 1.0
    assert s.recall == pytest.approx(1 / 5)  # reference has 5 shingles, one matched


def test_empty_extraction_has_no_precision_and_zero_recall() -> None:
    assert score("", "a b c d") == PageScore(None, 0.0, 0.0, False)


def test_aggregate_averages_p_and_r_then_takes_harmonic_mean() -> None:
    pages = [PageScore(1.0, 0.5, 0.0, False), PageScore(None, 0.0, 0.0, False),
             PageScore(0.5, 1.0, 0.0, True)]
    agg = aggregate(pages)
    assert agg["precision"] == pytest.approx(0.75)  # the empty page has no precision
    assert agg["recall"] == pytest.approx(0.5)  # ... but lowers recall
    assert agg["f1"] == pytest.approx(2 * 0.75 * 0.5 / 1.25)
    assert agg["accuracy"] == pytest.approx(1 / 3)


BODY = ("The harbour reopened on Monday after a week of storms kept every ferry in port, "
        "officials said. Fishermen returned to sea at dawn.")


def write_folder(root: Path) -> Path:
    pages = {
        "a" * 64: (f"<html><head><title>Harbour reopens</title></head><body><nav><a href='/'>"
                   f"Home</a></nav><article><h1>Harbour reopens</h1><p>{BODY}</p></article>"
                   "</body></html>", BODY),
        "b" * 64: ("<html><body><script>x()</script></body></html>", "Some reference text here"),
    }
    (root / "html").mkdir(parents=True)
    truth = {}
    for page_id, (html, ref) in pages.items():
        (root / "html" / f"{page_id}.html.gz").write_bytes(gzip.compress(html.encode()))
        truth[page_id] = {"articleBody": ref, "url": f"https://example.org/{page_id[0]}"}
    (root / "ground-truth.json").write_text(json.dumps(truth))
    return root


def test_run_extraction_eval_on_a_tiny_folder(tmp_path: Path) -> None:
    report = run_extraction_eval(write_folder(tmp_path), repeats=1)
    assert report["pages"] == 2 and report["crashed"] == []
    assert report["precision"] == 1.0 and report["recall"] == 0.5
    assert report["accuracy"] == 0.5 and report["pages_per_second"] > 0
    by_id = {p["id"]: p for p in report["per_page"]}
    assert by_id["a" * 64]["f1"] == 1.0 and by_id["b" * 64]["precision"] is None
    assert by_id["a" * 64]["url"] == "https://example.org/a"
    text = format_extraction_report(report, worst=1)
    assert "F1         0.667" in text and "bbbbbbbbbbbb" in text and "aaaaaaaaaaaa" not in text
    json.dumps(report)  # the --json output


def test_run_extraction_eval_without_cleaning(tmp_path: Path) -> None:
    report = run_extraction_eval(write_folder(tmp_path), clean=False, repeats=1)
    assert report["per_page"][0]["recall"] == 1.0
