"""Main-content extraction from HTML news pages (PLACEHOLDER: being written)."""

from __future__ import annotations

from dataclasses import dataclass, field

from bs4 import BeautifulSoup


@dataclass
class PageExtraction:
    """The article body of a page as text (blocks separated by blank lines) plus page metadata.

    ``metadata`` keys: title, outlet, published (ISO date), url. ``provenance``
    says where each came from (e.g. ``"html:og:title"``). ``reason`` is set when
    the page yields no article (e.g. ``"no article text: page is only scripts"``).
    """

    text: str
    metadata: dict[str, str] = field(default_factory=dict)
    provenance: dict[str, str] = field(default_factory=dict)
    reason: str | None = None


def extract_html(html: str | bytes, *, url: str | None = None) -> PageExtraction:
    soup = BeautifulSoup(html, "lxml")
    for tag in soup(["script", "style", "noscript"]):
        tag.decompose()
    blocks = [p.get_text(" ", strip=True) for p in soup.find_all(["h1", "p"])]
    text = "\n\n".join(b for b in blocks if b)
    meta: dict[str, str] = {}
    prov: dict[str, str] = {}
    if soup.title and soup.title.string:
        meta["title"] = soup.title.string.strip()
        prov["title"] = "html:title"
    return PageExtraction(text=text, metadata=meta, provenance=prov,
                          reason=None if text else "no article text")
