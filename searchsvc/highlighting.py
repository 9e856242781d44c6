"""Marking query matches in a passage as escaped HTML.

Passages are short, so the whole passage is shown with matches in ``<mark>``.
The text is analysed with the index's own analyzer, so what is marked is what
matched (stems, not spellings); a phrase query marks the phrase as one span,
not its words wherever they occur. Every character of the passage is escaped:
article text is untrusted input.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable

from markupsafe import escape
from whoosh import query as wq

from .spelling import within_edits


def _matches_multi(leaf: wq.Query, raw: str, stem: str) -> bool:
    if isinstance(leaf, wq.Prefix):
        return raw.startswith(leaf.text) or stem.startswith(leaf.text)
    if isinstance(leaf, wq.Wildcard):
        return fnmatch.fnmatchcase(raw, leaf.text) or fnmatch.fnmatchcase(stem, leaf.text)
    if isinstance(leaf, wq.FuzzyTerm):
        return any(within_edits(form, leaf.text, leaf.maxdist) for form in (stem, raw))
    return False


def highlight(
    text: str,
    analyzer,
    terms: set[str],
    phrases: Iterable[list[str]] = (),
    multis: Iterable[wq.Query] = (),
) -> str:
    """``text`` as escaped HTML with matched terms and phrases wrapped in ``<mark>``."""
    tokens = [(t.text, t.startchar, t.endchar)
              for t in analyzer(text, chars=True, positions=True, mode="index")]
    spans: list[tuple[int, int]] = []
    multis = list(multis)
    for stem, start, end in tokens:
        raw = text[start:end].lower()
        if stem in terms or any(_matches_multi(m, raw, stem) for m in multis):
            spans.append((start, end))
    for words in phrases:
        stems = [t.text for word in words for t in analyzer(word, mode="query")]
        n = len(stems)
        if not n:
            continue
        for i in range(len(tokens) - n + 1):
            if all(tokens[i + k][0] == stems[k] for k in range(n)):
                spans.append((tokens[i][1], tokens[i + n - 1][2]))
    return _render(text, _merge(spans))


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _render(text: str, spans: list[tuple[int, int]]) -> str:
    out, pos = [], 0
    for start, end in spans:
        out.append(str(escape(text[pos:start])))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        pos = end
    out.append(str(escape(text[pos:])))
    return "".join(out)
