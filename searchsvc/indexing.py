"""The on-disk index: Whoosh passages in generations that switch atomically.

Layout of an index folder::

    CURRENT                 name of the serving generation, replaced atomically
    gen-000007/             one complete generation: Whoosh indexes "passages"
                            and "articles", meta.json, words.json
    .gen-000008.building-*  a build in progress (removed if it fails)
    .lock                   held (flock) by the one build or add allowed at a time

A build writes a new generation beside the serving one, verifies it, and only
then points CURRENT at it, so a server never sees a half-built index and a
failed or killed build leaves the old one serving. The lock is an flock: the
kernel releases it when a build dies, so a killed build leaves no stale lock.
``add`` copies the current generation with hard links (Whoosh never rewrites a
segment file in place) and commits the new articles into the copy.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import re
import shutil
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.columns import NumericColumn
from whoosh.fields import COLUMN, ID, KEYWORD, STORED, TEXT, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC, clean_files
from whoosh.writing import SegmentWriter

from . import columns, pipeline
from .analysis import FastStemmingAnalyzer
from .enriching import Gazetteer
from .models import Article, Skipped
from .reading import iter_sources

PASSAGES = "passages"
ARTICLES = "articles"
CURRENT = "CURRENT"
KEEP_GENERATIONS = 2  # the serving one and its predecessor, for readers still switching
_GEN_RE = re.compile(r"^gen-(\d{6,})$")
_TMP_RE = re.compile(r"^\.gen-(\d{6,})\.building-\d+$")
_WORD_RE = re.compile(r"[^\W\d_]{3,}")
NO_DAY = 0  # proleptic ordinals start at 1, so 0 means "date unknown"


class IndexProblem(Exception):
    """Base for index problems that are reported to the user, not tracebacks."""


class IndexBusy(IndexProblem):
    """Another build or add holds the index lock."""


class NoIndex(IndexProblem):
    """The folder has no published generation yet."""


class BuildFailed(IndexProblem):
    """A build or add could not complete; the serving generation is untouched."""


def passage_schema() -> Schema:
    """One document per passage.

    ``*_f`` fields hold exact facet values (per-document arrays are built from
    their postings); ``actor:putin`` query syntax is resolved against them at
    query time (see ``querying.VIRTUAL_FIELDS``).
    """
    stem = FastStemmingAnalyzer()  # StemmingAnalyzer's tokens at half the cost
    return Schema(
        passage_id=ID(stored=True, unique=True),
        article_id=ID(stored=True),
        ordinal=STORED,
        title=TEXT(analyzer=stem, stored=True, field_boost=2.0, phrase=False),
        text=TEXT(analyzer=stem, stored=True, phrase=True),
        outlet_f=ID(stored=True),
        actor_f=KEYWORD(commas=True, lowercase=False, scorable=False),
        speaker_f=KEYWORD(commas=True, lowercase=False, scorable=False),
        quoted_f=KEYWORD(commas=True, lowercase=False, scorable=True),  # one entry per quote
        month=ID(stored=True),
        # Column only: date filters and sorting run on arrays, never as range queries,
        # so NUMERIC's tiered range terms (~10% of all postings) would be dead weight.
        day=COLUMN(NumericColumn("I", default=NO_DAY)),
        dates=STORED,
        published=STORED,
        url=STORED,
        start=STORED,
        end=STORED,
        actors=STORED,
        speakers=STORED,
        quotes=STORED,
    )


def article_schema() -> Schema:
    """One document per article: its metadata, cleaned text and removed lines, stored."""
    return Schema(article_id=ID(stored=True, unique=True), data=STORED)


def _facet_value(value: str) -> str:
    return " ".join(value.replace(",", " ").split())


def day_number(iso: str | None) -> int:
    """The date's proleptic ordinal (sortable and filterable as an int), NO_DAY when unknown."""
    if not iso:
        return NO_DAY
    try:
        return date.fromisoformat(iso).toordinal()
    except ValueError:
        return NO_DAY


def passage_documents(article: Article) -> Iterator[dict[str, Any]]:
    """The Whoosh documents for an article's passages."""
    month = article.published[:7] if article.published else None
    for p in article.passages:
        actor_names = [a.name for a in p.actors]
        doc: dict[str, Any] = {
            "passage_id": p.id,
            "article_id": article.id,
            "ordinal": p.ordinal,
            "title": article.title or "",
            "text": p.text,
            "actor_f": ",".join(_facet_value(n) for n in actor_names),
            "speaker_f": ",".join(_facet_value(n) for n in p.speakers),
            "quoted_f": ",".join(_facet_value(q.speaker) for q in p.quotes if q.speaker),
            "day": day_number(article.published),
            "dates": ",".join(p.dates),
            "published": article.published,
            "url": article.url,
            "start": p.start,
            "end": p.end,
            "actors": [[a.name, a.kind] for a in p.actors],
            "speakers": list(p.speakers),
            "quotes": [_quote_dict(q) for q in p.quotes],
        }
        if article.outlet:
            doc["outlet_f"] = _facet_value(article.outlet)
        if month:
            doc["month"] = month
        yield doc


def _quote_dict(q: Any) -> dict[str, Any]:
    return {"speaker": q.speaker, "verb": q.verb, "text": q.text, "start": q.start,
            "end": q.end, "direct": q.direct}


def article_document(article: Article) -> dict[str, Any]:
    data = article.to_dict(passages=False)
    data["passage_ids"] = [p.id for p in article.passages]
    data["path"] = _public_path(article.path)
    return {"article_id": article.id, "data": data}


def _public_path(path: str | None) -> str | None:
    """The source path relative to where the build ran: the server's layout stays private."""
    if not path:
        return None
    rel = os.path.relpath(path) if os.path.isabs(path) else path
    return os.path.basename(path) if rel.startswith("..") else rel


# -- generations ----------------------------------------------------------------------------------


@dataclass
class Generation:
    """A published generation: its name, folder and the metadata written at build time."""

    name: str
    path: Path
    meta: dict[str, Any]

    def open(self, indexname: str = PASSAGES) -> whoosh_index.Index:
        return FileStorage(str(self.path)).open_index(indexname=indexname)


def current_name(index_dir: str | Path) -> str | None:
    """The serving generation's name, or None when nothing was published yet."""
    try:
        name = (Path(index_dir) / CURRENT).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    return name if _GEN_RE.match(name) else None


def current_generation(index_dir: str | Path) -> Generation:
    """The serving generation; raises NoIndex when there is none."""
    index_dir = Path(index_dir)
    name = current_name(index_dir)
    if name is None:
        raise NoIndex(f"no index in {index_dir}: run `searchsvc index build` first")
    path = index_dir / name
    try:
        meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise NoIndex(f"generation {name} in {index_dir} is missing") from exc
    return Generation(name, path, meta)


def _generation_numbers(index_dir: Path) -> list[int]:
    numbers = []
    for entry in os.listdir(index_dir) if index_dir.is_dir() else ():
        m = _GEN_RE.match(entry) or _TMP_RE.match(entry)
        if m:
            numbers.append(int(m.group(1)))
    return numbers


@contextmanager
def writer_lock(index_dir: Path) -> Iterator[None]:
    """Hold the index's single-writer lock, refusing (not waiting) when it is taken."""
    index_dir.mkdir(parents=True, exist_ok=True)
    lock_path = index_dir / ".lock"
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "unknown"
            raise IndexBusy(
                f"another build or add is running on {index_dir} (pid {holder}); "
                "try again when it has finished") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)  # closing releases the flock


def _recover(index_dir: Path) -> None:
    """Remove what killed builds left behind (we hold the lock, so nothing else is writing)."""
    for entry in os.listdir(index_dir):
        if _TMP_RE.match(entry):
            shutil.rmtree(index_dir / entry, ignore_errors=True)
    tmp = index_dir / (CURRENT + ".tmp")
    if tmp.exists():
        tmp.unlink()


def _publish(index_dir: Path, tmp_dir: Path, name: str) -> Path:
    final = index_dir / name
    os.rename(tmp_dir, final)
    pointer = index_dir / (CURRENT + ".tmp")
    with open(pointer, "w", encoding="utf-8") as fh:
        fh.write(name + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(pointer, index_dir / CURRENT)
    dir_fd = os.open(index_dir, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
    return final


def _cleanup_old(index_dir: Path) -> None:
    keep = sorted(
        (e for e in os.listdir(index_dir) if _GEN_RE.match(e)), reverse=True)[:KEEP_GENERATIONS]
    for entry in os.listdir(index_dir):
        if _GEN_RE.match(entry) and entry not in keep:
            shutil.rmtree(index_dir / entry, ignore_errors=True)


# -- build and add --------------------------------------------------------------------------------


@dataclass
class BuildReport:
    """What a build or add did, for the CLI summary and the tests."""

    generation: str
    articles: int
    passages: int
    seconds: float
    skipped: list[Skipped] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"generation": self.generation, "articles": self.articles,
                "passages": self.passages, "seconds": round(self.seconds, 3),
                "skipped": [{"path": s.path, "reason": s.reason} for s in self.skipped],
                "replaced": self.replaced}


Progress = Callable[[int, int], None]  # (done, total)


def _friendly_os_error(exc: OSError, index_dir: Path) -> str:
    reasons = {errno.ENOSPC: "the disk is full", errno.EROFS: "the index folder is read-only",
               errno.EACCES: "permission denied", errno.EDQUOT: "disk quota exceeded"}
    why = reasons.get(exc.errno or 0, exc.strerror or str(exc))
    return f"cannot write the index in {index_dir}: {why}; the serving index is untouched"


def _check_writable(index_dir: Path) -> None:
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BuildFailed(_friendly_os_error(exc, index_dir)) from exc
    if not os.access(index_dir, os.W_OK):
        # os.access says no on a read-only filesystem too: say which it is.
        read_only = bool(os.statvfs(index_dir).f_flag & os.ST_RDONLY)
        code = errno.EROFS if read_only else errno.EACCES
        raise BuildFailed(_friendly_os_error(OSError(code, os.strerror(code)), index_dir))


@contextmanager
def _new_generation(index_dir: Path) -> Iterator[tuple[str, Path]]:
    """Hold the lock and yield a new generation's name and temporary folder.

    The body fills the folder; on success it is verified by the body and
    published here, on any failure it is removed and nothing else changes.
    """
    _check_writable(index_dir)
    with writer_lock(index_dir):
        _recover(index_dir)
        number = max(_generation_numbers(index_dir), default=0) + 1
        name = f"gen-{number:06d}"
        tmp_dir = index_dir / f".{name}.building-{os.getpid()}"
        try:
            yield name, tmp_dir
            _publish(index_dir, tmp_dir, name)
        except OSError as exc:
            shutil.rmtree(tmp_dir, ignore_errors=True)
            raise BuildFailed(_friendly_os_error(exc, index_dir)) from exc
        except BaseException:
            shutil.rmtree(tmp_dir, ignore_errors=True)
            raise
        _cleanup_old(index_dir)


def build(
    sources: Sequence[str | Path],
    index_dir: str | Path,
    *,
    actors_files: Sequence[str | Path] = (),
    progress: Progress | None = None,
    strict: bool = False,
    workers: int | None = None,
) -> BuildReport:
    """Build a new generation from ``sources`` and make it current, or change nothing.

    With ``strict``, any skipped file fails the build before it is published.
    """
    index_dir = Path(index_dir)
    started = time.perf_counter()
    with _new_generation(index_dir) as (name, tmp_dir):
        tmp_dir.mkdir()
        storage = FileStorage(str(tmp_dir))
        passages_ix = storage.create_index(passage_schema(), indexname=PASSAGES)
        articles_ix = storage.create_index(article_schema(), indexname=ARTICLES)
        gazetteer = Gazetteer.load(actors_files)
        items = list(iter_sources(sources))
        workers = pipeline.default_workers(len(items)) if workers is None else workers
        if workers > 1:
            stats = _write_sharded(tmp_dir, items, gazetteer, workers=workers,
                                   progress=progress)
        else:
            stats = _write_articles(passages_ix, articles_ix, items, gazetteer,
                                    known_boilerplate=None, progress=progress,
                                    words=Counter(), workers=0)
        if strict and stats.skipped:
            first = stats.skipped[0]
            raise BuildFailed(f"--strict: {len(stats.skipped)} file(s) skipped, e.g. "
                              f"{first.path}: {first.reason}; nothing was published")
        _check_internal_failures(stats)
        if stats.articles == 0:
            why = (f"all {len(stats.skipped)} source(s) were skipped, e.g. "
                   f"{stats.skipped[0].path}: {stats.skipped[0].reason}"
                   if stats.skipped else "the sources hold no articles")
            raise BuildFailed(f"nothing to index: {why}; the serving index is untouched")
        meta = _meta(name, stats, started, actors_files, [str(s) for s in sources])
        _write_generation_files(tmp_dir, meta, stats.words)
        # Facet, date and length arrays saved with the generation: a server maps them
        # instead of walking the postings for them (14 s per worker at 1M passages).
        # ``add`` does not rewrite them: servers reuse them for the segments it keeps.
        columns.write_facet_arrays(tmp_dir)
        _verify(tmp_dir, stats.passages, stats.articles)
    return BuildReport(name, stats.articles, stats.passages, time.perf_counter() - started,
                       stats.skipped)


MAX_INTERNAL_FAILURE_RATIO = 0.1


def _check_internal_failures(stats: _WriteStats) -> None:
    """Fail when our own code broke on many articles: that is a bug, not bad input."""
    internal = [s for s in stats.skipped if s.internal]
    total = stats.articles + len(stats.skipped)
    if len(internal) >= 10 and len(internal) > total * MAX_INTERNAL_FAILURE_RATIO:
        raise BuildFailed(f"{len(internal)} of {total} articles failed inside searchsvc "
                          f"(first: {internal[0].path}: {internal[0].reason}); this is a bug, "
                          "not bad input; nothing was published")


def add(
    files: Sequence[str | Path],
    index_dir: str | Path,
    *,
    actors_files: Sequence[str | Path] = (),
) -> BuildReport:
    """Add (or replace) articles in a copy of the current generation, then switch to it."""
    index_dir = Path(index_dir)
    started = time.perf_counter()
    with _new_generation(index_dir) as (name, tmp_dir):
        base = current_generation(index_dir)
        _link_copy(base.path, tmp_dir)
        storage = FileStorage(str(tmp_dir))
        passages_ix = storage.open_index(indexname=PASSAGES)
        articles_ix = storage.open_index(indexname=ARTICLES)
        all_actor_files = [*base.meta.get("actors_files", []),
                           *(str(Path(a).resolve()) for a in actors_files)]
        gazetteer = Gazetteer.load([a for a in all_actor_files if Path(a).is_file()])
        words = Counter(json.loads((base.path / "words.json").read_text("utf-8")))
        stats = _write_articles(
            passages_ix, articles_ix, iter_sources(files), gazetteer,
            known_boilerplate=frozenset(base.meta.get("boilerplate", [])),
            progress=None, words=words, replace=True)
        _check_internal_failures(stats)
        with passages_ix.searcher() as s:
            total_passages = s.doc_count()
        with articles_ix.searcher() as s:
            total_articles = s.doc_count()
        meta = dict(base.meta)
        meta.update(_meta(name, stats, started, all_actor_files, meta.get("sources", [])))
        meta.update(articles=total_articles, passages=total_passages,
                    boilerplate=base.meta.get("boilerplate", []),
                    skipped=base.meta.get("skipped", []) + meta["skipped"])
        _write_generation_files(tmp_dir, meta, words)
        _verify(tmp_dir, total_passages, total_articles)
    return BuildReport(name, stats.articles, stats.passages, time.perf_counter() - started,
                       stats.skipped, stats.replaced)


def _link_copy(src: Path, dst: Path) -> None:
    """Copy a generation: hard links for Whoosh's immutable files, real copies of our JSON."""
    dst.mkdir()
    for entry in os.listdir(src):
        s, d = src / entry, dst / entry
        if entry.endswith(".json") or "WRITELOCK" in entry:
            if entry.endswith(".json"):
                shutil.copy2(s, d)
            continue
        try:
            os.link(s, d)
        except OSError:
            shutil.copy2(s, d)


@dataclass
class _WriteStats:
    articles: int = 0
    passages: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    words: Counter = field(default_factory=Counter)
    boilerplate: frozenset[str] = frozenset()


def _write_articles(
    passages_ix: whoosh_index.Index,
    articles_ix: whoosh_index.Index,
    sources: Iterable[Any],
    gazetteer: Gazetteer,
    *,
    known_boilerplate: frozenset[str] | None,
    progress: Progress | None,
    words: Counter,
    replace: bool = False,
    workers: int | None = None,
) -> _WriteStats:
    """Run the pipeline over the sources and write every article; commit once at the end."""
    stats = _WriteStats(words=words)
    items = list(sources)
    total = len(items)
    seen_boilerplate: list[frozenset[str]] = []
    # Separate segment files, not Whoosh's default compound file: a compound file's
    # parts are read through BytesIO copies, so every worker kept a private copy of
    # nearly the whole index (1.65 GB per worker at 1M passages).
    pw = _SegmentWriter(passages_ix, limitmb=256, compound=False)
    aw = _SegmentWriter(articles_ix, compound=False)
    try:
        done = 0
        for result in pipeline.run(items, gazetteer=gazetteer, workers=workers,
                                   known_boilerplate=known_boilerplate,
                                   on_boilerplate=seen_boilerplate.append):
            done += 1
            _write_one(pw, aw, result, stats, replace=replace)
            if progress:
                progress(done, total)
        pw.commit()
        aw.commit()
        stats.boilerplate = seen_boilerplate[0] if seen_boilerplate else frozenset()
    except BaseException:
        pw.cancel()
        aw.cancel()
        raise
    return stats


def _write_one(pw: Any, aw: Any, result: Article | Skipped, stats: _WriteStats, *,
               replace: bool = False) -> None:
    """One pipeline result into the writers (or the skip list) and the counts."""
    if isinstance(result, Skipped):
        stats.skipped.append(result)
        return
    if replace:
        if pw.delete_by_term("article_id", result.id):
            stats.replaced.append(result.id)
        aw.delete_by_term("article_id", result.id)
    for doc in passage_documents(result):
        pw.add_document(**doc)
        stats.words.update(set(w.lower() for w in _WORD_RE.findall(doc["text"])))
    aw.add_document(**article_document(result))
    stats.articles += 1
    stats.passages += len(result.passages)


# -- a build in several processes: one segment each ----------------------------------------------
#
# One writer in the parent was the build's bottleneck: with the pipeline in two
# worker processes, the parent spent ~0.9 ms of CPU per passage indexing and
# committing while the workers idled. Instead, each shard process writes its own
# Whoosh segment of the articles it makes (as Whoosh's MpWriter does with
# ``multisegment=True``, but without pickling every document to it), and the
# parent lists those segments, in shard order, in one new table of contents.


#: Postings (by Whoosh's own estimate, ~1.2x real) a shard's segment collects in memory
#: before the segment is closed and the next one started. Whoosh would instead spill
#: sorted runs to disk and merge them back an item at a time in Python: at 256 MB a
#: 100k-passage build spilled and spent 55% more CPU. The pool's own limit is set
#: above this, so it never spills; peak RSS stays ≈ 1.5 GB per shard.
SHARD_POOL_MB = 1024


class _LengthCache:
    """Field lengths for a segment being flushed, read once per field instead of per posting.

    Whoosh's flush asks the per-document reader for the field length of every
    posting (to keep min/max lengths per block); that column lookup was an eighth
    of a build's CPU.
    """

    def __init__(self, reader: Any, doc_count: int) -> None:
        self.reader = reader
        self.doc_count = doc_count
        self.cache: dict[str, list[int] | None] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        try:
            lengths = self.cache[fieldname]
        except KeyError:
            lengths = self.cache[fieldname] = self._load(fieldname)
        return default if lengths is None else lengths[docnum]

    def _load(self, fieldname: str) -> list[int] | None:
        if not self.reader.has_column(f"_{fieldname}_len"):
            return None
        dfl = self.reader.doc_field_length
        return [dfl(d, fieldname) for d in range(self.doc_count)]


class _SegmentWriter(SegmentWriter):
    """Whoosh's segment writer with a cheaper flush (same files, same contents)."""

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        pdr = self.per_document_reader() if self.codec.length_stats else None
        lengths = _LengthCache(pdr, self.docnum) if pdr is not None else None
        self.fieldwriter.add_postings(self.schema, lengths, self.pool.iter_postings())
        self.fieldwriter.close()
        if pdr is not None:
            pdr.close()


class _ShardStorage(FileStorage):
    """The generation's folder, with a pool directory of its own per process.

    Whoosh names a writer's temporary pool after the index, so two processes
    writing segments of one index would share (and one would delete) it.
    """

    def temp_storage(self, name: str | None = None) -> FileStorage:
        return FileStorage(os.path.join(self.folder, f"{name}.{os.getpid()}")).create()


@dataclass
class _ShardResult:
    stats: _WriteStats
    segments: dict[str, list[Any]]  # index name -> its new segments, in order


def _shard_writer(folder: Path) -> pipeline.Consumer[_ShardResult]:
    """What each shard process does with its articles: write them into new segments.

    A passages segment is closed and a new one started when its postings would
    fill the in-memory pool, so no posting is ever spilled to disk and merged
    back (that cost a 1M-passage build more CPU than Whoosh's indexing itself);
    a shard of a large corpus writes a few segments, in order.
    """

    def consume(articles: Iterator[Article | Skipped]) -> _ShardResult:
        storage = _ShardStorage(str(folder))

        def new_writer(name: str) -> _SegmentWriter:
            return _SegmentWriter(storage.open_index(indexname=name), _lk=False,
                                  limitmb=SHARD_POOL_MB * 2, compound=False)

        writers = {PASSAGES: new_writer(PASSAGES), ARTICLES: new_writer(ARTICLES)}
        segments: dict[str, list[Any]] = {PASSAGES: [], ARTICLES: []}
        roll_at = SHARD_POOL_MB * 1024 * 1024
        stats = _WriteStats()

        def close(name: str) -> None:
            writer = writers[name]
            if writer.docnum:
                segments[name].append(writer._finalize_segment())
                writer._finish()
            else:
                writer.cancel()

        try:
            for result in articles:
                _write_one(writers[PASSAGES], writers[ARTICLES], result, stats)
                for name, writer in writers.items():
                    if writer.pool.currentsize > roll_at:
                        close(name)
                        writers[name] = new_writer(name)
            for name in writers:
                close(name)
        except BaseException:
            for writer in writers.values():
                if not writer.is_closed:
                    writer.cancel()
            raise
        return _ShardResult(stats, segments)

    return consume


def _write_sharded(
    folder: Path,
    sources: Iterable[Any],
    gazetteer: Gazetteer,
    *,
    workers: int,
    progress: Progress | None,
) -> _WriteStats:
    """Build both indexes in ``folder`` with ``workers`` processes, one segment each."""
    prepared, known = pipeline.prepare_corpus(sources, workers=workers)
    total, done = len(prepared), 0

    def advanced(n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress(done, total)

    try:
        results = pipeline.run_sharded(prepared, _shard_writer(folder), gazetteer=gazetteer,
                                       known_boilerplate=known, workers=workers,
                                       progress=advanced)
    except pipeline.WorkerFailed as exc:
        raise BuildFailed(f"{exc}; nothing was published") from exc
    del prepared
    stats = _WriteStats(boilerplate=known)
    for r in results:
        stats.articles += r.stats.articles
        stats.passages += r.stats.passages
        stats.skipped += r.stats.skipped
        stats.words.update(r.stats.words)
    storage = FileStorage(str(folder))
    for name in (PASSAGES, ARTICLES):
        segments = [seg for r in results for seg in r.segments[name]]
        generation = storage.open_index(indexname=name).latest_generation() + 1
        TOC(storage.open_index(indexname=name).schema, segments, generation).write(storage, name)
        clean_files(storage, name, generation, segments)
    return stats


def _meta(name: str, stats: _WriteStats, started: float, actors_files: Sequence[Any],
          sources: list[str]) -> dict[str, Any]:
    return {
        "generation": name,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "build_seconds": round(time.perf_counter() - started, 3),
        "articles": stats.articles,
        "passages": stats.passages,
        "skipped": [{"path": s.path, "reason": s.reason} for s in stats.skipped],
        "actors_files": [str(Path(a).resolve()) for a in actors_files],
        "boilerplate": sorted(stats.boilerplate),
        "sources": sources,
    }


def _write_generation_files(path: Path, meta: dict[str, Any], words: Counter) -> None:
    for fname, payload in (("meta.json", meta), ("words.json", dict(words))):
        with open(path / fname, "w", encoding="utf-8") as fh:
            json.dump(payload, fh, ensure_ascii=False)
            fh.flush()
            os.fsync(fh.fileno())


def _verify(path: Path, passages: int, articles: int) -> None:
    """Reopen what was written and check it holds what we wrote, before publishing it."""
    storage = FileStorage(str(path))
    for indexname, expected in ((PASSAGES, passages), (ARTICLES, articles)):
        ix = storage.open_index(indexname=indexname)
        with ix.searcher() as searcher:
            found = searcher.doc_count()
        if found != expected:
            raise BuildFailed(f"verification failed: {indexname} index holds {found} "
                              f"documents, {expected} were written")
