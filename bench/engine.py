"""What every benchmarked engine provides: build stats, search results, a protocol."""

from __future__ import annotations

import os
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

from .queries import Query

FACET_LIMIT = 20  # facet values kept per field (all are counted)


@dataclass
class BuildStats:
    """One index build: wall time, passages indexed, size on disk."""

    passages: int
    seconds: float
    index_bytes: int

    @property
    def passages_per_s(self) -> float:
        """Build rate."""
        return self.passages / self.seconds if self.seconds > 0 else float("inf")

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form, rate included."""
        return {**asdict(self), "passages_per_s": round(self.passages_per_s, 1)}


@dataclass
class SearchResult:
    """The common answer shape: total, facets over all matches, the first 10 hits."""

    total: int
    hits: list[dict[str, Any]] = field(default_factory=list)
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)


class Engine(Protocol):
    """A benchmarked search engine."""

    name: str

    def build(self, corpus: Path, index_dir: Path) -> BuildStats:
        """Index ``corpus`` into ``index_dir`` (created empty) and get ready to search."""
        ...

    def search(self, query: Query) -> SearchResult:
        """Answer one query: total, facets and 10 hits with snippets."""
        ...

    def close(self) -> None:
        """Release searchers and connections."""
        ...


def dir_size(path: Path) -> int:
    """Bytes used by the files under ``path`` (or the file itself)."""
    if path.is_file():
        return path.stat().st_size
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except FileNotFoundError:
                pass
    return total


def top_facet(counts: dict[str, int], limit: int = FACET_LIMIT) -> list[tuple[str, int]]:
    """Facet values by descending count, then name; at most ``limit``."""
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]


def parse_q(q: str) -> list[list[str]]:
    """Split the common query syntax into required clauses: each a list of words.

    A single word is a term; several words are a phrase (from ``"double quotes"``).
    """
    clauses: list[list[str]] = []
    for phrase, word in re.findall(r'"([^"]*)"|(\S+)', q):
        words = re.findall(r"\w+", phrase if phrase else word)
        if words:
            clauses.append([w.lower() for w in words])
    return clauses
