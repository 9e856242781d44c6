"""From a raw source to a cleaned, segmented and enriched article.

This is the one place the stages are joined, so the CLI's ``clean`` command,
the index build and the benchmark all process articles identically:

    source -> (HTML extraction) -> metadata -> cleaning -> passages -> enrichment
"""

from __future__ import annotations

import multiprocessing
import os
import re
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from . import cleaning, inference
from .enriching import Gazetteer, enrich_passages
from .extracting import extract_html
from .models import Article, Passage, Skipped, Source, passage_id
from .segmenting import segment

METADATA_FIELDS = ("title", "outlet", "published", "url")


@dataclass
class Prepared:
    """A source turned into plain text plus every metadata candidate, before cleaning."""

    source: Source
    text: str
    metadata: dict[str, str] = field(default_factory=dict)
    provenance: dict[str, str] = field(default_factory=dict)
    reason: str | None = None


def prepare(source: Source) -> Prepared:
    """Plain text of a source, with metadata from outside (first) and from the page."""
    meta = dict(source.metadata)
    prov = dict(source.provenance)
    if source.kind == "html":
        page = extract_html(source.content, url=meta.get("url"))
        for key, value in page.metadata.items():
            if key not in meta and value:
                meta[key] = value
                prov[key] = page.provenance.get(key, "html")
        return Prepared(source, page.text, meta, prov, page.reason)
    text = source.content if isinstance(source.content, str) else source.content.decode(
        "utf-8", "replace")
    return Prepared(source, text, meta, prov)


_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y",
                 "%b. %d, %Y", "%Y%m%d")
_ISO_PREFIX = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})")


def normalise_date(value: str | None) -> str | None:
    """An ISO ``yyyy-mm-dd`` date from the common ways pages and manifests write one."""
    if not value:
        return None
    m = _ISO_PREFIX.match(value)
    try:
        if m:
            return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        text = " ".join(value.replace(",", ", ").split()).replace(" ,", ",")
        for fmt in _DATE_FORMATS:
            try:
                return datetime.strptime(text, fmt).date().isoformat()
            except ValueError:
                continue
    except ValueError:
        return None
    return None


def process(
    prepared: Prepared,
    *,
    gazetteer: Gazetteer,
    known_boilerplate: Collection[str] = (),
) -> Article | Skipped:
    """Clean, segment and enrich one prepared source into an article with passages."""
    src = prepared.source
    where = src.path or src.id
    if prepared.reason and not prepared.text.strip():
        return Skipped(where, prepared.reason)
    meta, prov = dict(prepared.metadata), dict(prepared.provenance)
    cleaned = cleaning.clean_text(
        prepared.text, title=meta.get("title"), known_boilerplate=known_boilerplate)
    if not cleaned.text.strip():
        return Skipped(where, "no article text left after cleaning")
    if not meta.get("title") and cleaned.title:
        meta["title"], prov["title"] = cleaned.title, "inferred:headline"
    if not meta.get("outlet"):
        outlet = inference.infer_outlet(prepared.text, meta.get("url"))
        if outlet:
            meta["outlet"], prov["outlet"] = outlet, "inferred:text"
    published = normalise_date(meta.get("published"))
    if not published:
        published = normalise_date(inference.infer_published(prepared.text))
        if published:
            prov["published"] = "inferred:text"
    if published:
        meta["published"] = published
    else:
        meta.pop("published", None)
        prov.pop("published", None)

    text = cleaned.text
    spans = segment(text)
    texts = [text[s:e] for s, e in spans]
    ids = [passage_id(src.id, ordinal) for ordinal in range(len(spans))]
    enrichments = enrich_passages(texts, published=published, gazetteer=gazetteer,
                                  title=meta.get("title"), passage_ids=ids)
    passages = []
    for ordinal, ((start, end), body, found) in enumerate(zip(spans, texts, enrichments,
                                                               strict=True)):
        passages.append(Passage(
            id=ids[ordinal], article_id=src.id, ordinal=ordinal,
            start=start, end=end, text=body, actors=list(found.actors),
            speakers=list(found.speakers), dates=list(found.dates),
            quotes=list(found.quotes)))
    return Article(
        id=src.id, text=text, title=meta.get("title"), outlet=meta.get("outlet"),
        published=published, url=meta.get("url"), path=src.path,
        provenance={k: v for k, v in prov.items() if k in METADATA_FIELDS and k in meta},
        removed=cleaned.removed, passages=passages)


def repeated_lines(prepared: Iterable[Prepared], *, min_articles: int = 3) -> frozenset[str]:
    """Lines repeated across several articles of one outlet: that outlet's boilerplate."""
    by_outlet: dict[str, list[str]] = {}
    for item in prepared:
        outlet = item.metadata.get("outlet") or inference.infer_outlet(
            item.text, item.metadata.get("url"))
        if outlet:
            by_outlet.setdefault(outlet, []).append(item.text)
    return cleaning.repeated_lines(by_outlet, min_articles=min_articles)


def prepare_all(sources: Iterable[Source | Skipped]) -> list[Prepared | Skipped]:
    """Every source as plain text with its metadata; a failure becomes a reported skip."""
    return [item if isinstance(item, Skipped) else _safe_prepare(item) for item in sources]


def process_all(
    prepared: Iterable[Prepared | Skipped],
    *,
    gazetteer: Gazetteer,
    known_boilerplate: Collection[str] = (),
) -> Iterator[Article | Skipped]:
    """Articles from prepared sources, in order; reports instead of raising on bad ones."""
    for item in prepared:
        if isinstance(item, Skipped):
            yield item
        else:
            yield safe_process(item, gazetteer=gazetteer, known_boilerplate=known_boilerplate)


def _safe_prepare(source: Source) -> Prepared | Skipped:
    try:
        return prepare(source)
    except Exception as exc:  # noqa: BLE001 - a bad page must never end a build
        return Skipped(source.path or source.id, f"cannot extract page: {exc!r}", internal=True)


def safe_process(prepared: Prepared, **kwargs: Any) -> Article | Skipped:
    """``process`` that turns an unexpected failure into a reported skip."""
    try:
        return process(prepared, **kwargs)
    except Exception as exc:  # noqa: BLE001 - a bad article must never end a build
        return Skipped(prepared.source.path or prepared.source.id,
                       f"cannot process article: {exc!r}", internal=True)


# -- parallel runs ------------------------------------------------------------------------------

PARALLEL_MIN_SOURCES = 64  # below this, starting processes costs more than it saves
_worker_state: dict[str, Any] = {}


def _init_worker(gazetteer: Gazetteer, known_boilerplate: Collection[str]) -> None:
    _worker_state.update(gazetteer=gazetteer, known_boilerplate=known_boilerplate)


def _prepare_any(item: Source | Skipped) -> Prepared | Skipped:
    return item if isinstance(item, Skipped) else _safe_prepare(item)


def _process_any(item: Prepared | Skipped) -> Article | Skipped:
    if isinstance(item, Skipped):
        return item
    return safe_process(item, gazetteer=_worker_state["gazetteer"],
                        known_boilerplate=_worker_state["known_boilerplate"])


def default_workers(n_sources: int) -> int:
    """One process per core for corpora big enough to gain from it, else none."""
    return (os.cpu_count() or 1) if n_sources >= PARALLEL_MIN_SOURCES else 0


def run(
    sources: Iterable[Source | Skipped],
    *,
    gazetteer: Gazetteer,
    known_boilerplate: Collection[str] | None = None,
    workers: int | None = None,
    chunksize: int = 8,
    on_boilerplate: Callable[[frozenset[str]], None] | None = None,
) -> Iterator[Article | Skipped]:
    """Articles from sources, in source order; bad sources come out as ``Skipped``.

    With ``known_boilerplate=None``, lines repeated across an outlet's articles
    are found over all the sources first (reported to ``on_boilerplate``).
    Extraction, cleaning and enrichment are CPU-bound pure Python, so with
    ``workers`` they run in processes while the caller consumes the results.
    """
    items = list(sources)
    workers = default_workers(len(items)) if workers is None else workers
    ctx = multiprocessing.get_context("fork")
    if workers <= 1:
        prepared = prepare_all(items)
    else:
        with ctx.Pool(workers) as pool:
            prepared = pool.map(_prepare_any, items, chunksize)
    del items
    if known_boilerplate is None:
        known_boilerplate = repeated_lines(p for p in prepared if isinstance(p, Prepared))
    known = frozenset(known_boilerplate)
    if on_boilerplate is not None:
        on_boilerplate(known)
    if workers <= 1:
        yield from process_all(prepared, gazetteer=gazetteer, known_boilerplate=known)
        return
    with ctx.Pool(workers, initializer=_init_worker, initargs=(gazetteer, known)) as pool:
        yield from pool.imap(_process_any, prepared, chunksize)
