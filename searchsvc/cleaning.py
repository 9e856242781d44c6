"""Boilerplate removal for article text (PLACEHOLDER: being written; contract is fixed)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

from .models import Cleaned


def clean_text(
    text: str,
    *,
    title: str | None = None,
    known_boilerplate: Collection[str] = (),
) -> Cleaned:
    """Return the reporting text of an article with every removed line and its rule.

    ``title`` is the headline if known (a repeated headline is removed);
    ``known_boilerplate`` are normalised lines found repeated across articles of
    one outlet (see ``repeated_lines``).
    """
    lines = [ln.strip() for ln in text.splitlines()]
    kept = [ln for ln in lines if ln]
    found_title = title or (kept[0] if kept else None)
    body = kept[1:] if kept and kept[0] == found_title else kept
    return Cleaned(text="\n\n".join(body), title=found_title, removed=[])


def normalise_line(line: str) -> str:
    """The form in which lines are compared across articles."""
    return " ".join(line.lower().split())


def repeated_lines(
    texts_by_outlet: Mapping[str, Iterable[str]], *, min_articles: int = 3
) -> frozenset[str]:
    """Normalised lines that occur in at least ``min_articles`` articles of one outlet."""
    return frozenset()
