"""The text analyzer: Whoosh's ``StemmingAnalyzer`` in one loop instead of four generators.

Analysis is the largest single cost of indexing a passage (and it runs again on
every query). Whoosh chains a tokenizer and three filters as nested generators
and stems through an LFU cache written in Python; this does the same steps in one
loop with a plain dict cache. Tokens (text, positions, character offsets) are
identical to ``StemmingAnalyzer()``'s; ``tests/test_analysis.py`` checks that on
real text. Unusual calls (``keeporiginal``, ``removestops=False``, ``no_morph``,
``tokenize=False``) go through Whoosh's own chain.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whoosh.analysis import CompositeAnalyzer, StemmingAnalyzer, Token

STEM_CACHE_SIZE = 200_000  # distinct words; the cache is emptied when it fills


class FastStemmingAnalyzer(CompositeAnalyzer):
    """``StemmingAnalyzer()`` (regex tokens, lowercase, stop words, stemming), fused."""

    def __init__(self) -> None:
        super().__init__(StemmingAnalyzer())
        self._stems: dict[str, str] = {}

    def __getstate__(self) -> dict[str, Any]:
        # The schema is pickled into every index: keep the stem cache out of it.
        return {"items": self.items}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.items = state["items"]
        self._stems = {}

    def __call__(self, value: str, no_morph: bool = False, positions: bool = False,  # type: ignore[override]
                 chars: bool = False, keeporiginal: bool = False, removestops: bool = True,
                 start_pos: int = 0, start_char: int = 0, tokenize: bool = True,
                 mode: str = "", **kwargs: Any) -> Iterator[Token]:
        if no_morph or keeporiginal or not removestops or not tokenize:
            return super().__call__(value, no_morph=no_morph, positions=positions, chars=chars,
                                    keeporiginal=keeporiginal, removestops=removestops,
                                    start_pos=start_pos, start_char=start_char,
                                    tokenize=tokenize, mode=mode, **kwargs)
        return self._tokens(value, positions, chars, start_pos, start_char, mode, kwargs)

    def _tokens(self, value: str, positions: bool, chars: bool, start_pos: int,
                start_char: int, mode: str, kwargs: dict[str, Any]) -> Iterator[Token]:
        tokenizer, _lower, stop, stemmer = self.items
        stops, minsize, maxsize, renumber = stop.stops, stop.min, stop.max, stop.renumber
        ignore = stemmer.ignore
        stemfn = stemmer._stem if stemmer.lang else stemmer.stemfn
        cache = self._stems
        t = Token(positions, chars, removestops=True, mode=mode, **kwargs)
        pos: int | None = None
        for i, match in enumerate(tokenizer.expression.finditer(value)):
            text = match.group(0).lower()
            n = len(text)
            if n < minsize or (maxsize is not None and n > maxsize) or text in stops:
                continue
            if positions:
                if not renumber:
                    t.pos = start_pos + i
                elif pos is None:
                    pos = t.pos = start_pos + i
                else:
                    pos += 1
                    t.pos = pos
            if chars:
                t.startchar = start_char + match.start()
                t.endchar = start_char + match.end()
            if text not in ignore:
                stemmed = cache.get(text)
                if stemmed is None:
                    stemmed = stemfn(text)
                    if len(cache) >= STEM_CACHE_SIZE:
                        cache.clear()
                    cache[text] = stemmed
                text = stemmed
            t.text = text
            t.boost = 1.0
            t.stopped = False
            yield t
