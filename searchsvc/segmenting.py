"""Splitting a cleaned article into passages: paragraphs of a useful size.

A passage is what a searcher reads in a result, so it should be one thought:
a paragraph. Tiny fragments (a lone dateline, a one-line quote) are merged
with a neighbour; very long paragraphs are split at sentence boundaries.
Offsets refer to the cleaned article text so results can be cited exactly.
"""

from __future__ import annotations

import re

MIN_CHARS = 60
MAX_CHARS = 1200
TARGET_CHARS = 700

_PARAGRAPH = re.compile(r"\S(?:.*?\S)?(?=\s*\n\s*\n|\s*\Z)", re.S)
_ABBREVIATIONS = (
    "Mr", "Mrs", "Ms", "Dr", "Prof", "Gen", "Sen", "Rep", "Gov", "Lt", "Col", "Capt", "St",
    "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
    "U.S", "U.N", "U.K", "E.U", "No", "vs", "etc", "Inc", "Ltd", "Co", "Jr", "Sr",
)
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9À-Ý])")
_ABBREV_ALTERNATION = "|".join(re.escape(a) for a in _ABBREVIATIONS)
_ABBREV_TAIL = re.compile(rf"(?:\b(?:{_ABBREV_ALTERNATION})|\b[A-Z])\.$")


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Spans of the blank-line separated paragraphs of ``text``."""
    return [(m.start(), m.end()) for m in _PARAGRAPH.finditer(text)]


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans within ``text[start:end]``, not breaking after common abbreviations."""
    end = len(text) if end is None else end
    spans, cur = [], start
    for m in _SENTENCE_END.finditer(text, start, end):
        stop = m.start() + len(m.group(0).rstrip())
        if _ABBREV_TAIL.search(text, cur, m.start() + 1):
            continue
        spans.append((cur, stop))
        cur = m.end()
    if cur < end:
        spans.append((cur, end))
    return spans


def _split_long(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Greedy chunks of whole sentences, each near TARGET_CHARS."""
    chunks: list[tuple[int, int]] = []
    cur_start = cur_end = None
    for s, e in sentence_spans(text, start, end):
        if cur_start is None:
            cur_start, cur_end = s, e
        elif e - cur_start > TARGET_CHARS and cur_end - cur_start >= MIN_CHARS:
            chunks.append((cur_start, cur_end))
            cur_start, cur_end = s, e
        else:
            cur_end = e
    if cur_start is not None:
        chunks.append((cur_start, cur_end))
    # A last chunk that is only a fragment joins the one before it.
    if len(chunks) > 1 and chunks[-1][1] - chunks[-1][0] < MIN_CHARS:
        chunks[-2:] = [(chunks[-2][0], chunks[-1][1])]
    return chunks


def segment(text: str) -> list[tuple[int, int]]:
    """Passage spans (start, end) in ``text``: merged fragments, split long paragraphs."""
    spans: list[tuple[int, int]] = []
    for start, end in paragraphs(text):
        if end - start > MAX_CHARS:
            spans.extend(_split_long(text, start, end))
        else:
            spans.append((start, end))
    merged: list[tuple[int, int]] = []
    pending: tuple[int, int] | None = None
    for span in spans:
        if pending is not None:
            span = (pending[0], span[1])
            pending = None
        if span[1] - span[0] < MIN_CHARS:
            pending = span
            continue
        merged.append(span)
    if pending is not None:
        if merged and (pending[1] - merged[-1][0]) <= MAX_CHARS + MIN_CHARS:
            merged[-1] = (merged[-1][0], pending[1])
        else:
            merged.append(pending)
    return merged
