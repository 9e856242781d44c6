"""Near-duplicate statements across articles (syndicated copies, re-reported quotes).

Why not plain shingle MinHash: the same statement is often re-reported with a
different frame ("Putin said ... would be 'absolutely unacceptable'" vs "Putin
stated: 'The civilian casualties will be absolutely unacceptable'"), so exact
word shingles barely overlap. We compare IDF-weighted sets of content words and
word bigrams instead: rare, shared terms (Leningrad, siege, unacceptable)
dominate, common ones (Gaza, said) count little.

API::

    cluster_texts(items: Sequence[tuple[key, text]], *, threshold=0.4,
                  groups: Sequence[str | None] | None = None,
                  contexts: Sequence[str | None] | None = None) -> {key: cluster_key}

The cluster key is the key of the cluster's first item (in input order), so
singletons map to themselves and the result is deterministic. ``groups``
(e.g. the speaker of each quote) must agree when both items have one: the same
words said by Russia and by Putin are two statements.

Clustering is leader-based, not connected components: an item joins the most
similar earlier cluster *leader* (its first item) with similarity >= threshold,
else it leads a new cluster. That stops chains (A~B, B~C, A!~C) from merging
unrelated statements through a long passage that quotes both. Similarity is
IDF-weighted containment of content words and bigrams relative to the smaller
item, so a quote re-reported inside a longer passage still matches; an item
with fewer than two content words ("this is unacceptable") only matches items
with the same content words and the same known group, and, given ``contexts``,
only when the contexts (the passages around the quotes) are near-duplicates too:
a one-word quote is otherwise the same word, not the same statement. Leaders are
found through an inverted index over their features, so a call costs about
(items x features x matching leaders): ~500 items of ~60 words take a few milliseconds.
Normalisation folds case, quote marks, apostrophes and punctuation, so
typographic vs straight quotes and small edits do not matter.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Hashable, Sequence
from functools import lru_cache
from itertools import chain

_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    """a an the and or but of to in on at for with by from as is are was were be been being
    it its this that these those he she they we i you his her their our my your them him
    has have had do does did will would could should can may might must not no so than then
    there here which who whom whose what when where while about into over after before also
    said says say told according reported news just more most very all any some such
    during being against between including until through while may might""".split()
)
_MARKS = str.maketrans({"’": "", "‘": "", "'": "", "“": " ", "”": " ", '"': " "})


def normalise(text: str) -> list[str]:
    """Content words, case- and punctuation-folded, with a crude plural strip."""
    return [w for w in map(_fold, _WORD.findall(text.translate(_MARKS).casefold())) if w]


@lru_cache(maxsize=1 << 16)
def _fold(word: str) -> str:
    """One word's feature form, or "" for stopwords (cached: the same words recur)."""
    if word in _STOP or len(word) < 2:
        return ""
    if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def features(text: str) -> frozenset[str]:
    """Content words and adjacent content-word pairs."""
    words = normalise(text)
    return frozenset(words) | frozenset(f"{a} {b}" for a, b in zip(words, words[1:], strict=False))


def cluster_texts(
    items: Sequence[tuple[Hashable, str]],
    *,
    threshold: float = 0.4,
    groups: Sequence[str | None] | None = None,
    contexts: Sequence[str | None] | None = None,
    block: int = 8,
) -> dict[Hashable, Hashable]:
    """Map each key to its cluster key (the first key of its cluster, in input order).

    A one-word item ("unacceptable") says too little to be the same statement on its
    own: it joins an earlier one only with the same word, the same known group
    (speaker) and, when ``contexts`` (e.g. each quote's passage text) are given,
    near-duplicate contexts. Without a known group it stays alone.
    """
    if groups is not None and len(groups) != len(items):
        raise ValueError("one group per item")
    if contexts is not None and len(contexts) != len(items):
        raise ValueError("one context per item")
    words = [normalise(text) for _, text in items]
    feats = [frozenset(w) for w in words]  # words only: bigrams doubled the cost for
    # no gain once short items need the same words and leaders stop chaining
    n = len(items)
    df = Counter(chain.from_iterable(feats))
    idf = {t: math.log(1.0 + n / c) for t, c in df.items()}
    mass = [math.fsum(map(idf.__getitem__, f)) for f in feats]
    # Candidate leaders: a leader is indexed under all its shared features (df > 1) and
    # under its ``block`` rarest; an item looks up its rarest features in the first index
    # (finds longer leaders that contain it) and all its features in the second (finds
    # shorter leaders it contains). Both touch short lists, so the cost stays ~linear.
    every: dict[str, list[int]] = defaultdict(list)
    rare: dict[str, list[int]] = defaultdict(list)
    leader_of: list[int] = list(range(n))
    # short items: same words and group; several leaders when their contexts differ
    exact: dict[tuple[str | None, frozenset[str]], list[int]] = defaultdict(list)
    context_feats: dict[int, frozenset[str]] = {}

    def context_of(k: int) -> frozenset[str]:
        if k not in context_feats:
            context_feats[k] = frozenset(normalise((contexts or [])[k] or ""))
        return context_feats[k]

    for i, f in enumerate(feats):
        group = groups[i] if groups is not None else None
        short = len(set(words[i])) < 2
        best, best_sim = -1, threshold
        shared = [t for t in f if df[t] > 1]
        rarest = shared
        if len(shared) > block:  # all features as rare as the block-th: a deterministic set
            cut = sorted(map(df.__getitem__, shared))[block - 1]
            rarest = [t for t in shared if df[t] <= cut]
        if short:
            for j in exact.get((group, f), ()) if f and group is not None else ():
                if contexts is None or similarity(context_of(i), context_of(j), {}) >= threshold:
                    best = j
                    break
        elif shared:
            candidates: set[int] = set()
            for t in rarest:
                candidates.update(every.get(t, ()))
            for t in rare.keys() & f:
                candidates.update(rare[t])
            for j in sorted(candidates):
                gj = groups[j] if groups is not None else None
                if group is not None and gj is not None and gj != group:
                    continue
                sim = math.fsum(map(idf.__getitem__, f & feats[j])) / min(mass[i], mass[j])
                if sim >= best_sim and (best < 0 or sim > best_sim):
                    best, best_sim = j, sim
        if best >= 0:
            leader_of[i] = best
        elif short:
            exact[(group, f)].append(i)
        else:
            for t in shared:
                every[t].append(i)
            for t in rarest:
                rare[t].append(i)
    return {key: items[leader_of[i]][0] for i, (key, _) in enumerate(items)}


def similarity(a: frozenset[str], b: frozenset[str], idf: dict[str, float]) -> float:
    """IDF-weighted overlap of two feature sets, relative to the smaller one.

    Relative to the smaller set so a quote re-reported inside a longer passage
    still counts as the same statement.
    """
    if not a or not b:
        return 0.0
    shared = sum(idf.get(t, 1.0) for t in a & b)
    return shared / min(sum(idf.get(t, 1.0) for t in a), sum(idf.get(t, 1.0) for t in b))
