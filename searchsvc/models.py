"""The records that flow through the pipeline: source -> article -> passages.

Every stage takes and returns these plain dataclasses, so each stage can be
tested alone and the CLI, the web app and the benchmark share one vocabulary.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any, Literal

SourceKind = Literal["text", "html"]
ActorKind = Literal["person", "organization", "state"]


@dataclass
class Source:
    """One raw article as read from disk, before any cleaning.

    ``metadata`` holds values given from outside the text (manifest, sidecar,
    JSON Lines fields); ``provenance`` says where each of them came from.
    """

    id: str
    content: str | bytes  # bytes for HTML, whose charset the extractor works out
    kind: SourceKind = "text"
    path: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    provenance: dict[str, str] = field(default_factory=dict)


@dataclass
class Skipped:
    """A file or record that could not be used, and why (reported, never fatal alone).

    ``internal`` marks a failure of searchsvc's own code rather than of the input.
    """

    path: str
    reason: str
    internal: bool = False


@dataclass
class RemovedLine:
    """A line the cleaner dropped: ``line`` is its 1-based number in the input text."""

    line: int
    text: str
    rule: str


@dataclass
class Cleaned:
    """What the cleaner makes of a text: the kept text, the headline it found, the rest."""

    text: str
    title: str | None = None
    removed: list[RemovedLine] = field(default_factory=list)


@dataclass(frozen=True)
class Actor:
    """A canonical actor: ``name`` is the one name used for facets, whatever the alias."""

    name: str
    kind: ActorKind


@dataclass
class Enrichment:
    """What the enricher found in one passage."""

    actors: list[Actor] = field(default_factory=list)
    speakers: list[str] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)  # ISO yyyy-mm-dd
    quotes: list[Quote] = field(default_factory=list)


@dataclass
class Quote:
    """A statement: a direct quote or reported speech, with who said it."""

    passage_id: str
    speaker: str | None
    verb: str | None
    text: str
    start: int  # offsets of the quoted text in the passage
    end: int
    direct: bool = True


@dataclass
class Passage:
    """A paragraph-sized unit of an article: what the index stores and search returns.

    ``start``/``end`` are character offsets in the article's cleaned text, so a
    citation can point at the exact span.
    """

    id: str
    article_id: str
    ordinal: int
    start: int
    end: int
    text: str
    actors: list[Actor] = field(default_factory=list)
    speakers: list[str] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)


@dataclass
class Article:
    """A cleaned article with its metadata, where each value came from, and its passages."""

    id: str
    text: str
    title: str | None = None
    outlet: str | None = None
    published: str | None = None  # ISO yyyy-mm-dd
    url: str | None = None
    path: str | None = None
    provenance: dict[str, str] = field(default_factory=dict)
    removed: list[RemovedLine] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)

    def to_dict(self, *, passages: bool = True) -> dict[str, Any]:
        """Plain data; without ``passages`` it skips deep-copying them (the index stores
        passages on their own, and this runs once per article in every build)."""
        if passages:
            return asdict(self)
        data = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "passages"}
        data["provenance"] = dict(self.provenance)
        data["removed"] = [asdict(r) for r in self.removed]
        return data


def passage_id(article_id: str, ordinal: int) -> str:
    """Stable passage id: the article id and the passage's ordinal."""
    return f"{article_id}.p{ordinal}"
