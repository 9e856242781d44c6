"""Metadata inferred from article text when no better source has it (PLACEHOLDER)."""

from __future__ import annotations


def infer_outlet(text: str, url: str | None = None) -> str | None:
    """The outlet named by the URL's domain or by a signature in the text."""
    return None


def infer_published(text: str) -> str | None:
    """A publication date (ISO) written in the text, if any."""
    return None
