"""Near-duplicate statements across articles (syndicated copies, re-reported quotes).

Why not plain shingle MinHash: the same statement is often re-reported with a
different frame ("Putin said ... would be 'absolutely unacceptable'" vs "Putin
stated: 'The civilian casualties will be absolutely unacceptable'"), so exact
word shingles barely overlap. We compare IDF-weighted sets of content words and
word bigrams instead: rare, shared terms (Leningrad, siege, unacceptable)
dominate, common ones (Gaza, said) count little.

API: ``cluster_texts([(key, text), ...], threshold=0.35) -> {key: cluster_id}``;
the cluster id is the first key (in input order) of the cluster, so singletons
map to themselves. Candidate pairs come from an inverted index over each
item's rarest features (a blocking step in place of LSH buckets), then the
weighted Jaccard similarity is checked; clusters are connected components.
Normalisation folds case, quote marks, apostrophes and punctuation, so
typographic vs straight quotes and small edits do not matter.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Hashable, Sequence

_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    """a an the and or but of to in on at for with by from as is are was were be been being
    it its this that these those he she they we i you his her their our my your them him
    has have had do does did will would could should can may might must not no so than then
    there here which who whom whose what when where while about into over after before also
    said says say told according reported news just more most very all any some such""".split()
)
_MARKS = str.maketrans({"’": "", "‘": "", "'": "", "“": " ", "”": " ", '"': " "})


def normalise(text: str) -> list[str]:
    """Content words, case- and punctuation-folded, with a crude plural strip."""
    words = _WORD.findall(text.translate(_MARKS).casefold())
    out = []
    for w in words:
        if w in _STOP or len(w) < 2:
            continue
        if len(w) > 4 and w.endswith("s") and not w.endswith("ss"):
            w = w[:-1]
        out.append(w)
    return out


def features(text: str) -> frozenset[str]:
    """Content words and adjacent content-word pairs."""
    words = normalise(text)
    return frozenset(words) | frozenset(f"{a} {b}" for a, b in zip(words, words[1:], strict=False))


def cluster_texts(
    items: Sequence[tuple[Hashable, str]],
    *,
    threshold: float = 0.35,
    block: int = 8,
) -> dict[Hashable, Hashable]:
    """Map each key to a cluster id (the first key of its cluster)."""
    feats = [features(text) for _, text in items]
    n = len(items)
    df: dict[str, int] = defaultdict(int)
    for f in feats:
        for t in f:
            df[t] += 1
    idf = {t: math.log((n + 1) / (c + 0.5)) for t, c in df.items()}
    index: dict[str, list[int]] = defaultdict(list)
    for i, f in enumerate(feats):
        shared = [t for t in f if df[t] > 1]  # rarest features that some other item has
        for t in sorted(shared, key=lambda t: (-idf[t], t))[:block]:
            index[t].append(i)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    seen: set[tuple[int, int]] = set()
    for members in index.values():
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                i, j = members[x], members[y]
                if (i, j) in seen:
                    continue
                seen.add((i, j))
                if similarity(feats[i], feats[j], idf) >= threshold:
                    parent[find(j)] = find(i)
    first: dict[int, Hashable] = {}
    out: dict[Hashable, Hashable] = {}
    for i, (key, _) in enumerate(items):
        root = find(i)
        out[key] = first.setdefault(root, key)
    return out


def similarity(a: frozenset[str], b: frozenset[str], idf: dict[str, float]) -> float:
    """IDF-weighted overlap of two feature sets, relative to the smaller one.

    Relative to the smaller set so a quote re-reported inside a longer passage
    still counts as the same statement.
    """
    if not a or not b:
        return 0.0
    shared = sum(idf.get(t, 1.0) for t in a & b)
    return shared / min(sum(idf.get(t, 1.0) for t in a), sum(idf.get(t, 1.0) for t in b))
