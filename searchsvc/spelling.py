"""Spelling suggestions from the index's own vocabulary.

The build records, per word, how many passages contain it (``words.json``).
A query word that no passage contains, or that is rare while a close word is
common, is replaced by the most frequent word within two edits. Candidates are
found with symmetric deletes (the SymSpell idea): precomputing one-character
deletes of every word, and looking up up to two deletes of the query word,
finds words at edit distance up to two without scanning the vocabulary.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_WORD = re.compile(r"[^\W\d_]{3,}")
_OPERATORS = {"and", "or", "not", "andnot", "andmaybe", "to"}
MIN_WORD_FREQ = 2  # a word seen once may itself be a typo
RARE_RATIO = 20


def within_edits(a: str, b: str, maxdist: int) -> bool:
    """Levenshtein distance of a and b is at most maxdist (small strings, small maxdist)."""
    if abs(len(a) - len(b)) > maxdist:
        return False
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        if min(cur) > maxdist:
            return False
        prev = cur
    return prev[-1] <= maxdist


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


class Speller:
    """Corrections for words of one index generation."""

    def __init__(self, freqs: Mapping[str, int]) -> None:
        self.freqs = dict(freqs)
        self._index: dict[str, list[str]] = {}
        for word, freq in self.freqs.items():
            if freq < MIN_WORD_FREQ or len(word) > 30:
                continue
            self._index.setdefault(word, []).append(word)
            for d in _deletes(word):
                self._index.setdefault(d, []).append(word)

    def correct(self, word: str) -> str | None:
        """A better-attested word within two edits of ``word``, or None."""
        word = word.lower()
        own = self.freqs.get(word, 0)
        keys = {word} | _deletes(word)
        keys |= {d2 for d in list(keys) for d2 in _deletes(d)}
        best: tuple[int, int, str] | None = None
        for key in keys:
            for cand in self._index.get(key, ()):
                if cand == word:
                    continue
                freq = self.freqs[cand]
                if own and freq < own * RARE_RATIO:
                    continue
                if not within_edits(cand, word, 2):
                    continue
                dist = 1 if within_edits(cand, word, 1) else 2
                rank = (dist, -freq, cand)
                if best is None or rank < best:
                    best = rank
        return best[2] if best else None

    def suggest(self, text: str) -> str | None:
        """The query text with misspelled words corrected (lower-cased), or None if none were."""
        changed = False
        out: list[str] = []
        pos = 0
        lowered = text
        for m in _WORD.finditer(lowered):
            word = m.group(0)
            after = lowered[m.end():m.end() + 1]
            fix = None
            if word.lower() not in _OPERATORS and after != ":":
                fix = self.correct(word) if self.freqs.get(word.lower(), 0) < MIN_WORD_FREQ \
                    or self._rare(word) else None
            out.append(lowered[pos:m.start()])
            out.append(fix if fix else word)
            changed = changed or bool(fix)
            pos = m.end()
        out.append(lowered[pos:])
        return "".join(out).lower() if changed else None

    def _rare(self, word: str) -> bool:
        return self.freqs.get(word.lower(), 0) < MIN_WORD_FREQ * 2
