"""From a raw source to a cleaned, segmented and enriched article.

This is the one place the stages are joined, so the CLI's ``clean`` command,
the index build and the benchmark all process articles identically:

    source -> (HTML extraction) -> metadata -> cleaning -> passages -> enrichment
"""

from __future__ import annotations

import bisect
import itertools
import multiprocessing
import os
import pickle
import queue
import re
import traceback
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar

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


def prepare_corpus(
    sources: Iterable[Source | Skipped],
    *,
    workers: int = 0,
    known_boilerplate: Collection[str] | None = None,
    chunksize: int = 8,
) -> tuple[list[Prepared | Skipped], frozenset[str]]:
    """Every source as plain text, and the boilerplate lines to drop from all of them.

    With ``known_boilerplate=None``, lines repeated across an outlet's articles
    are found over all the sources (that needs every source at once). Only HTML
    is worth extracting in processes: other sources are already text, and
    sending them to a worker and back costs more than preparing them here.
    """
    items = list(sources)
    if workers > 1 and any(isinstance(s, Source) and s.kind == "html" for s in items):
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            prepared = pool.map(_prepare_any, items, chunksize)
    else:
        prepared = prepare_all(items)
    del items
    if known_boilerplate is None:
        known_boilerplate = repeated_lines(p for p in prepared if isinstance(p, Prepared))
    return prepared, frozenset(known_boilerplate)


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
    prepared, known = prepare_corpus(items, workers=workers,
                                     known_boilerplate=known_boilerplate, chunksize=chunksize)
    del items
    if on_boilerplate is not None:
        on_boilerplate(known)
    if workers <= 1:
        yield from process_all(prepared, gazetteer=gazetteer, known_boilerplate=known)
        return
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(workers, initializer=_init_worker, initargs=(gazetteer, known)) as pool:
        yield from pool.imap(_process_any, prepared, chunksize)


# -- sharded runs -------------------------------------------------------------------------------


class WorkerFailed(RuntimeError):
    """A shard's process raised or died; the other shards' work is void too."""


T = TypeVar("T")
Consumer = Callable[[Iterator[Article | Skipped]], T]


def shards(prepared: Sequence[Prepared | Skipped], n: int) -> list[range]:
    """``n`` contiguous index ranges of about equal text size (the cost is in the text)."""
    sizes = [len(p.text) + 1 if isinstance(p, Prepared) else 1 for p in prepared]
    prefix = list(itertools.accumulate(sizes, initial=0))  # prefix[j]: size of items[:j]
    bounds = [0]
    for k in range(1, n):
        target = prefix[-1] * k / n
        j = bisect.bisect_left(prefix, target)  # the cut nearest the target, never backwards
        if j > 0 and j < len(prefix) and target - prefix[j - 1] < prefix[j] - target:
            j -= 1
        bounds.append(max(bounds[-1], min(j, len(sizes))))
    bounds.append(len(sizes))
    return [range(bounds[j], bounds[j + 1]) for j in range(n)]


PROGRESS_EVERY = 16  # articles between progress messages from a shard


def run_sharded(
    prepared: Sequence[Prepared | Skipped],
    consume: Consumer[T],
    *,
    gazetteer: Gazetteer,
    known_boilerplate: Collection[str],
    workers: int,
    progress: Callable[[int], None] | None = None,
) -> list[T]:
    """Process contiguous shards in ``workers`` forked processes; one result per shard.

    Each process hands its shard's articles, in source order, to ``consume``
    and sends back what it returns (pickled), so expensive per-article work
    such as writing an index segment happens where the article was made,
    instead of every article travelling to one busy parent. ``progress`` gets
    the number of articles finished since its last call. Results come back in
    shard order; any failure raises ``WorkerFailed`` once every process is gone.
    """
    ctx = multiprocessing.get_context("fork")
    messages = ctx.Queue()
    known = frozenset(known_boilerplate)
    parts = shards(prepared, workers)
    procs = [ctx.Process(target=_shard_main, name=f"searchsvc-shard-{i}", daemon=True,
                         args=(i, prepared, part, consume, gazetteer, known, messages,
                               os.getpid()))
             for i, part in enumerate(parts)]
    results: dict[int, T] = {}
    finished = False
    try:
        for proc in procs:
            proc.start()
        while len(results) < len(procs):
            try:
                kind, shard, payload = messages.get(timeout=0.5)
            except queue.Empty:
                _check_alive(procs, results, messages)
                continue
            if kind == "progress":
                if progress is not None:
                    progress(payload)
            elif kind == "done":
                results[shard] = payload
            else:
                _reraise(shard, payload)
        finished = True
    finally:
        for proc in procs:
            if finished:  # it has sent its result and is exiting: let it
                proc.join(timeout=10)
            if proc.is_alive():
                proc.terminate()
            proc.join()
        messages.close()
    return [results[i] for i in range(len(procs))]


def _check_alive(procs: list[Any], results: dict[int, Any], messages: Any) -> None:
    for i, proc in enumerate(procs):
        if i not in results and proc.exitcode is not None:
            try:  # it may have sent its result just before exiting
                kind, shard, payload = messages.get(timeout=2)
            except queue.Empty:
                raise WorkerFailed(f"shard {i} died (exit code {proc.exitcode})") from None
            if kind == "done":
                results[shard] = payload
            elif kind != "progress":
                _reraise(shard, payload)
            return


def _reraise(shard: int, payload: tuple[BaseException | None, str]) -> None:
    """A shard's failure in the parent: an OSError as itself (a full disk is a full disk)."""
    exc, summary = payload
    if isinstance(exc, OSError):
        raise exc
    raise WorkerFailed(f"shard {shard} failed: {summary}") from exc


def _shard_main(shard: int, prepared: Sequence[Prepared | Skipped], part: range,
                consume: Consumer[Any], gazetteer: Gazetteer, known: frozenset[str],
                messages: Any, parent: int) -> None:
    try:
        def articles() -> Iterator[Article | Skipped]:
            pending = 0
            for i in part:
                if os.getppid() != parent:
                    raise SystemExit(1)  # the build was killed: stop, do not finish alone
                item = prepared[i]
                yield item if isinstance(item, Skipped) else safe_process(
                    item, gazetteer=gazetteer, known_boilerplate=known)
                pending += 1
                if pending == PROGRESS_EVERY:
                    messages.put(("progress", shard, pending))
                    pending = 0
            if pending:
                messages.put(("progress", shard, pending))

        result = consume(articles())
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which decides
        where = traceback.extract_tb(exc.__traceback__)[-1]
        summary = (f"{type(exc).__name__}: {exc} "
                   f"(at {os.path.basename(where.filename)}:{where.lineno})")
        try:
            pickle.dumps(exc)
        except Exception:  # noqa: BLE001 - not every exception survives pickling
            exc = None
        messages.put(("error", shard, (exc, summary)))
        raise SystemExit(1) from None
    messages.put(("done", shard, result))
