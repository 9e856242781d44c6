"""Scoring article-body extraction against hand-written references.

The metric is the one of the article-extraction benchmark the dev set comes
from (see ``extraction-dev/README.md``), so our figures are comparable with the
published ones for trafilatura, readability and the rest:

* tokens are runs of Unicode letters, digits and underscore (case kept);
* each text is a multiset of 4-token shingles (a text shorter than 4 tokens is
  one shingle of all its tokens; an empty text has none);
* per page P = tp / (tp + fp), R = tp / (tp + fn), counted with multiplicity;
* P and R are each averaged over pages (an empty extraction has no precision,
  and only lowers recall); F1 is the harmonic mean of the two averages;
* accuracy is the share of pages whose token sequence equals the reference.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from .cleaning import clean_text
from .extracting import extract_html

SHINGLE = 4
_TOKEN = re.compile(r"\w+")


class PageScore(NamedTuple):
    """Score of one page; ``precision`` is None when nothing was extracted."""

    precision: float | None
    recall: float
    f1: float
    exact: bool


def tokens(text: str) -> list[str]:
    """Word tokens as the benchmark defines them (punctuation and spacing ignored)."""
    return _TOKEN.findall(text or "")


def shingles(toks: Sequence[str], n: int = SHINGLE) -> Counter[tuple[str, ...]]:
    """Multiset of n-token runs; a short non-empty text is one shingle of all its tokens."""
    if not toks:
        return Counter()
    return Counter(tuple(toks[i : i + n]) for i in range(max(1, len(toks) - n + 1)))


def _f1(p: float | None, r: float) -> float:
    p = p or 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def score(extracted: str, reference: str) -> PageScore:
    """Shingle precision/recall/F1 of one extraction, and whether its tokens match exactly."""
    got_toks, ref_toks = tokens(extracted), tokens(reference)
    got, ref = shingles(got_toks), shingles(ref_toks)
    tp = sum((got & ref).values())
    n_got, n_ref = sum(got.values()), sum(ref.values())
    precision = tp / n_got if n_got else None
    recall = tp / n_ref if n_ref else (1.0 if not n_got else 0.0)
    return PageScore(precision, recall, _f1(precision, recall), got_toks == ref_toks)


def aggregate(scores: Iterable[PageScore]) -> dict[str, float]:
    """Average P and R over pages (pages without precision skip it), F1 of the averages."""
    scores = list(scores)
    precisions = [s.precision for s in scores if s.precision is not None]
    precision = statistics.fmean(precisions) if precisions else 0.0
    recall = statistics.fmean(s.recall for s in scores) if scores else 0.0
    accuracy = statistics.fmean(s.exact for s in scores) if scores else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": _f1(precision, recall),
        "accuracy": accuracy,
    }


def load_pages(folder: Path) -> list[tuple[str, bytes, str, str | None]]:
    """(id, raw html bytes, reference body, url) for each page of an extraction-dev-like folder."""
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for page_id in sorted(truth):
        entry = truth[page_id]
        path = folder / "html" / f"{page_id}.html.gz"
        raw = gzip.decompress(path.read_bytes()) if path.exists() else b""
        if not path.exists():
            plain = folder / "html" / f"{page_id}.html"
            raw = plain.read_bytes() if plain.exists() else b""
        pages.append((page_id, raw, entry.get("articleBody", ""), entry.get("url")))
    return pages


def full_path_text(html: bytes, url: str | None, *, clean: bool = True) -> str:
    """What the pipeline keeps of a page: extraction, then the text cleaner with the title."""
    page = extract_html(html, url=url)
    if not clean:
        return page.text
    return clean_text(page.text, title=page.metadata.get("title")).text


def _pin_one_core() -> Callable[[], None]:
    """Restrict this process to one CPU for timing; returns a function that undoes it."""
    if not hasattr(os, "sched_getaffinity"):
        return lambda: None
    before = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(before)})
    return lambda: os.sched_setaffinity(0, before)


def run_extraction_eval(folder: Path, *, clean: bool = True, repeats: int = 3) -> dict[str, Any]:
    """Score the full path (extract_html -> clean_text) over a folder laid out like extraction-dev.

    Throughput is pages per second on one core, the median over ``repeats`` passes
    (the first pass also produces the texts that are scored).
    """
    folder = Path(folder)
    pages = load_pages(folder)
    texts: dict[str, str] = {}
    crashed: list[dict[str, str]] = []
    rates: list[float] = []
    unpin = _pin_one_core()
    try:
        for rep in range(max(1, repeats)):
            start = time.perf_counter()
            for page_id, raw, _ref, url in pages:
                try:
                    text = full_path_text(raw, url, clean=clean)
                except Exception as exc:  # a crash is reported, never fatal
                    if rep == 0:
                        crashed.append({"id": page_id, "error": f"{type(exc).__name__}: {exc}"})
                    text = ""
                if rep == 0:
                    texts[page_id] = text
            elapsed = time.perf_counter() - start
            rates.append(len(pages) / elapsed if elapsed > 0 else float("inf"))
    finally:
        unpin()
    per_page = []
    scores = []
    for page_id, _raw, ref, url in pages:
        s = score(texts[page_id], ref)
        scores.append(s)
        per_page.append(
            {"id": page_id, "precision": s.precision, "recall": s.recall, "f1": s.f1, "url": url}
        )
    return {
        "pages": len(pages),
        **aggregate(scores),
        "pages_per_second": statistics.median(rates) if rates else 0.0,
        "crashed": crashed,
        "per_page": per_page,
    }


def _fmt(value: float | None) -> str:
    return "  -  " if value is None else f"{value:.3f}"


def format_extraction_report(report: dict[str, Any], *, worst: int = 10) -> str:
    """Human-readable summary: the aggregate figures, crashes, and the ``worst`` pages by F1."""
    lines = [
        f"pages      {report['pages']}",
        f"precision  {report['precision']:.3f}",
        f"recall     {report['recall']:.3f}",
        f"F1         {report['f1']:.3f}",
        f"accuracy   {report['accuracy']:.3f}",
        f"pages/s    {report['pages_per_second']:.1f} (one core, median of passes)",
        f"crashed    {len(report['crashed'])}",
    ]
    lines += [f"  {c['id']}: {c['error']}" for c in report["crashed"]]
    ranked = sorted(report["per_page"], key=lambda p: p["f1"])[: max(0, worst)]
    if ranked:
        lines.append(f"worst {len(ranked)} pages (F1  P  R  id  url):")
        lines += [
            f"  {p['f1']:.3f} {_fmt(p['precision'])} {p['recall']:.3f}  {p['id'][:12]}  "
            f"{p.get('url') or ''}"
            for p in ranked
        ]
    return "\n".join(lines)
