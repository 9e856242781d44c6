"""Actors, speakers and dates for passages (PLACEHOLDER: being written; contract fixed)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .models import Enrichment


class Gazetteer:
    """Canonical actors and their aliases: shipped package data plus user files."""

    @classmethod
    def load(cls, extra: Sequence[str | Path] = ()) -> Gazetteer:
        return cls()


def enrich_passages(
    texts: Sequence[str],
    *,
    published: str | None,
    gazetteer: Gazetteer,
    title: str | None = None,
) -> list[Enrichment]:
    """One Enrichment per passage text, in order, using the whole article as context."""
    return [Enrichment() for _ in texts]
