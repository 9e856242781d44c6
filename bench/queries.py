"""The fixed query mix: ~50 queries drawn from the corpus vocabulary.

The mix depends only on the sentence pool, the actor/outlet catalogues and a
seed, never on the corpus size, so every size runs the same queries.  Each
query is ``{"q", "outlets", "actors", "sort"}``; ``q`` uses a tiny common syntax:
space-separated terms (all required) and ``"double-quoted phrases"``.
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from collections.abc import Collection
from typing import TypedDict

from .corpus import OUTLETS, STOPWORDS, actor_catalogue, sentence_pool

# Words Whoosh's stemming analyzer drops as stop words; avoid them in phrases so
# every engine sees the same phrase.
_EXTRA_STOP = frozenset("us yet tbd".split())
_PLAIN = re.compile(r"[a-z]+")
_PUNCT = ".,;:!?\"'“”‘’()"


class Query(TypedDict):
    """One benchmark query."""

    q: str
    outlets: list[str]
    actors: list[str]
    sort: str  # "relevance" | "date" (newest first)


def _vocabulary() -> tuple[list[str], list[tuple[str, str]]]:
    """Content words by descending document frequency, and frequent content bigrams."""
    df: Counter[str] = Counter()
    bigrams: Counter[tuple[str, str]] = Counter()
    for sent in sentence_pool():
        tokens = sent.lower().split()
        words = [w for w in (t.strip(_PUNCT) for t in tokens) if _PLAIN.fullmatch(w)]
        df.update({w for w in words if len(w) >= 4 and w not in STOPWORDS})
        for ta, tb in zip(tokens, tokens[1:], strict=False):
            a, b = ta, tb.rstrip(_PUNCT)  # no phrase across punctuation
            if all(_PLAIN.fullmatch(w) and len(w) >= 4 and w not in STOPWORDS
                   and w not in _EXTRA_STOP for w in (a, b)):
                bigrams[(a, b)] += 1
    terms = [w for w, _ in sorted(df.items(), key=lambda kv: (-kv[1], kv[0]))]
    phrases = [bg for bg, c in sorted(bigrams.items(), key=lambda kv: (-kv[1], kv[0])) if c >= 2]
    return terms, phrases


def _cooccurring(rng: random.Random, k: int, allowed: Collection[str]) -> list[str]:
    """``k`` content words of one random pool sentence (in sentence order), so they co-occur."""
    pool = sentence_pool()
    for _ in range(10_000):
        sent = pool[rng.randrange(len(pool))]
        words = list(dict.fromkeys(w for w in (t.strip(_PUNCT) for t in sent.lower().split())
                                   if w in allowed and len(w) >= 4 and w not in STOPWORDS))
        if len(words) >= k:
            picked = sorted(rng.sample(range(len(words)), k))
            return [words[i] for i in picked]
    raise RuntimeError("no sentence with enough content words")


def query_mix(n: int = 50, seed: int = 0) -> list[Query]:
    """The deterministic query mix (1-3 terms, phrases, filters, relevance/date sort)."""
    rng = random.Random(seed)
    terms, phrases = _vocabulary()
    common, mid, rare = terms[:60], terms[60:600], terms[600:3000] or terms[-100:]
    rank = {w: i for i, w in enumerate(terms)}
    top_actors = [a.name for a in actor_catalogue()[:40]]
    persons = [a.name for a in actor_catalogue() if a.kind == "person"][:30]
    top_outlets = list(OUTLETS[:12])

    shapes = ["1", "2", "3", "phrase", "1", "2", "actor_phrase", "2", "1", "3"]
    out: list[Query] = []
    for i in range(n):
        shape = shapes[i % len(shapes)]
        filtered = i % 4 in (1, 2)  # half the queries carry a filter
        band = (common, mid) if filtered else (common, mid, rare)
        if shape == "1":
            q = rng.choice(rng.choice(band))
        elif shape in ("2", "3"):
            q = " ".join(_cooccurring(rng, int(shape), set(common + mid) if filtered else rank))
        elif shape == "phrase":
            q = '"{} {}"'.format(*rng.choice(phrases[:300]))
        else:
            q = f'"{rng.choice(persons)}"'
        outlets: list[str] = []
        actors: list[str] = []
        if filtered:
            kind = i % 3
            if kind in (0, 2):
                outlets = rng.sample(top_outlets, 1 + (i % 2))
            if kind in (1, 2):
                actors = [rng.choice(top_actors[:8] if kind == 2 else top_actors[:25])]
        sort = "date" if i % 5 == 3 else "relevance"
        out.append(Query(q=q, outlets=outlets, actors=actors, sort=sort))
    return out


if __name__ == "__main__":
    for query in query_mix():
        print(json.dumps(query, ensure_ascii=False))
