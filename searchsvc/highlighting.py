"""Marking query matches in a passage as escaped HTML.

Passages are short, so the whole passage is shown with matches in ``<mark>``.
The text is analysed with the index's own analyzer, so what is marked is what
matched (stems, not spellings); a phrase query marks the phrase as one span,
not its words wherever they occur. Every character of the passage is escaped:
article text is untrusted input.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Iterable
from functools import lru_cache

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
    return highlighter(analyzer, terms, phrases, multis)(text)


def highlighter(
    analyzer,
    terms: set[str],
    phrases: Iterable[list[str]] = (),
    multis: Iterable[wq.Query] = (),
) -> Callable[[str], str]:
    """``highlight`` for one query: what depends only on the query is worked out once."""
    terms = set(terms)
    multis = list(multis)
    phrase_stems = [[t.text for word in words for t in analyzer(word, mode="query")]
                    for words in phrases]
    phrase_stems = [p for p in phrase_stems if p]
    wanted = terms.union(*phrase_stems)

    def mark(text: str) -> str:
        fast = None if multis else _stemmed_tokens(text, analyzer, wanted, bool(phrase_stems))
        if fast is not None:
            tokens = fast
        else:
            tokens = [(t.text, t.startchar, t.endchar)
                      for t in analyzer(text, chars=True, positions=True, mode="index")]
        spans: list[tuple[int, int]] = []
        for stem, start, end in tokens:
            if stem is None:
                continue
            if stem in terms or (multis and any(_matches_multi(m, text[start:end].lower(), stem)
                                                for m in multis)):
                spans.append((start, end))
        for stems in phrase_stems:
            n = len(stems)
            for i in range(len(tokens) - n + 1):
                if all(tokens[i + k][0] == stems[k] for k in range(n)):
                    spans.append((tokens[i][1], tokens[i + n - 1][2]))
        return _render(text, _merge(spans))

    return mark


def _stemmed_tokens(text: str, analyzer, wanted: set[str], phrases: bool = True) -> list | None:
    """The analyzer's tokens that could equal a wanted stem, stemmed; None marks the others.

    Stemming every word of every hit was a third of a search's CPU. The Porter
    stemmer only strips suffixes and turns a final y into i, so a stem of three
    or more letters keeps its word's first two letters (a two-letter stem, the
    first); other words cannot match. Only for the default StemmingAnalyzer, whose
    steps this mirrors.

    A run of other words is one ``None`` (it still breaks a phrase; a run of stop
    words breaks nothing, as in the index, where they are not counted). Only the
    candidate words are found, by one regular expression built from the wanted
    prefixes; the words between two candidates are looked at only when there are
    phrases to match (``phrases``). Falls back to reading every word when the
    prefixes are not plain ASCII letters or the tokenizer is not Whoosh's default.
    """
    parts = _parts(analyzer)
    if parts is None:
        return None
    pattern, stops, minsize, stem = parts
    if any(len(w) < 2 for w in wanted):
        return None
    two = {w[:2] for w in wanted if len(w) >= 3}
    one = {w[:1] for w in wanted if len(w) == 2}
    if not two and not one:
        return []
    finder = _candidate_finder(pattern.pattern, frozenset(two), frozenset(one))
    if finder is None:
        return _scanned_tokens(text, parts, two, one)
    tokens: list = []
    last = 0
    for m in finder.finditer(text):
        raw = m.group().lower()
        if len(raw) < minsize or raw in stops or not (raw[:2] in two or raw[:1] in one):
            continue
        start = m.start()
        if phrases and tokens and _has_word(pattern, text, last, start, stops, minsize):
            tokens.append((None, -1, -1))
        tokens.append((stem(raw), start, m.end()))
        last = m.end()
    return tokens


def _has_word(pattern, text: str, start: int, end: int, stops, minsize: int) -> bool:
    """Whether ``text[start:end]`` (between two tokens) has a word the index counts."""
    for m in pattern.finditer(text, start, end):
        raw = m.group().lower()
        if len(raw) >= minsize and raw not in stops:
            return True
    return False


def _scanned_tokens(text: str, parts: tuple, two: set[str], one: set[str]) -> list:
    """Every token of ``text``; those that cannot match a wanted stem are None."""
    pattern, stops, minsize, stem = parts
    tokens = []
    for m in pattern.finditer(text):
        raw = m.group().lower()
        if len(raw) < minsize or raw in stops:
            continue  # removed by the StopFilter, as in the index
        candidate = raw[:2] in two or raw[:1] in one
        tokens.append((stem(raw) if candidate else None, m.start(), m.end()))
    return tokens


DEFAULT_TOKEN_PATTERN = r"\w+(\.?\w+)*"  # Whoosh's RegexTokenizer default
# Characters outside ASCII whose lower case starts with an ASCII letter (all of them;
# tests/test_highlighting.py checks this against every code point).
_LOWER_FIRST_EXTRA = {"i": "\u0130", "k": "\u212a"}


def _letter_class(letter: str, exact: bool) -> str:
    """Characters whose lower case is ``letter`` (``exact``) or starts with it."""
    chars = letter + letter.upper()
    extra = _LOWER_FIRST_EXTRA.get(letter, "")
    if extra and (not exact or extra.lower() == letter):
        chars += extra
    return "[" + chars + "]"


@lru_cache(maxsize=512)
def _candidate_finder(token_pattern: str, two: frozenset[str],
                      one: frozenset[str]) -> re.Pattern | None:
    """A pattern matching exactly the tokens that start with one of the prefixes.

    A token starts where a word character follows neither a word character nor a
    word character and a dot (the tokenizer is greedy: ``a.b`` is one token).
    """
    prefixes = [*two, *one]
    if token_pattern != DEFAULT_TOKEN_PATTERN or not all(
            p.isascii() and p.isalpha() and p.islower() for p in prefixes):
        return None
    alternatives = [_letter_class(p[0], exact=True) + _letter_class(p[1], exact=False)
                    for p in sorted(two)]
    alternatives += [_letter_class(p, exact=False) for p in sorted(one)]
    return re.compile(r"(?<!\w)(?<!\w\.)(?:" + "|".join(alternatives) + r")\w*(?:\.?\w+)*")


def _parts(analyzer) -> tuple | None:
    """Tokenizer pattern, stop list, minimum size and stem function of a StemmingAnalyzer."""
    items = getattr(analyzer, "items", None)
    if not items or [type(x).__name__ for x in items] != [
            "RegexTokenizer", "LowercaseFilter", "StopFilter", "StemFilter"]:
        return None
    tokenizer, _lower, stop, stemmer = items
    if stop.max is not None or not stop.renumber or stemmer.ignore:
        return None
    return tokenizer.expression, stop.stops, stop.min, stemmer.stemfn


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
