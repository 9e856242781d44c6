"""Reading articles from files and folders into ``Source`` records.

Reading never raises on bad input: a file or line that cannot be used becomes
a ``Skipped`` record with its reason, so one bad file never ends a build.
Metadata given from outside the text (a folder's ``manifest.json``, a
``<file>.meta.json`` sidecar, JSON Lines fields) is attached with its provenance;
what the page or text itself says is read later, in the pipeline.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from .models import Skipped, Source

TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SUPPORTED = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES
METADATA_KEYS = ("title", "outlet", "published", "url")
MAX_FILE_BYTES = 64 * 1024 * 1024  # one text or HTML file; a JSON Lines feed is streamed
MAX_JSONL_LINE_BYTES = 16 * 1024 * 1024
# One article's size: news articles are well under 100,000 characters, and processing
# runs at about 0.4 MB/s, so a 20 MB "article" would hold a build for a minute.
MAX_ARTICLE_CHARS = 1_000_000
MAX_HTML_BYTES = 4 * 1024 * 1024
# A few stray bad bytes in otherwise valid UTF-8 are repaired; more means a wrong encoding.
MAX_INVALID_UTF8_RATIO = 0.001

_ID_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def article_id_from(name: str) -> str:
    """A URL- and query-safe article id derived from a file name or given id."""
    cleaned = _ID_UNSAFE.sub("_", name).strip("._") or "article"
    if len(cleaned) > 80 or cleaned != name:
        digest = hashlib.sha1(name.encode("utf-8", "surrogatepass")).hexdigest()[:8]
        cleaned = f"{cleaned[:70]}_{digest}" if cleaned != name else cleaned[:80]
    return cleaned


def iter_sources(paths: Iterable[str | Path]) -> Iterator[Source | Skipped]:
    """Every article in the given files and folders (recursively), in a stable order."""
    seen_ids: set[str] = set()
    manifests = _Manifests()
    for path in _iter_files(paths):
        for item in _read_file(path, manifests):
            if isinstance(item, Source):
                item.id = _unique(item.id, seen_ids)
            yield item


def _unique(article_id: str, seen: set[str]) -> str:
    candidate, n = article_id, 1
    while candidate in seen:
        n += 1
        candidate = f"{article_id}-{n}"
    seen.add(candidate)
    return candidate


def _is_article_file(path: Path) -> bool:
    name = path.name.lower()
    if name == "manifest.json" or name.endswith(".meta.json") or name.startswith("."):
        return False
    return _suffix(path) in SUPPORTED


def _suffix(path: Path) -> str:
    """The content suffix, looking through a trailing ``.gz``."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return suffixes[-1] if suffixes else ""


def _iter_files(paths: Iterable[str | Path]) -> Iterator[Path | Skipped]:
    """Expand folders recursively, following links but never around a loop."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from _walk(path)
        elif path.is_file():
            yield path
        elif path.is_symlink():
            yield Skipped(str(path), "broken symbolic link or link loop")
        else:
            yield Skipped(str(path), "no such file or folder")


def _walk(root: Path) -> Iterator[Path | Skipped]:
    visited: set[str] = set()
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            real = os.path.realpath(folder)
        except OSError as exc:
            yield Skipped(str(folder), f"cannot resolve folder: {exc.strerror or exc}")
            continue
        if real in visited:
            yield Skipped(str(folder), "symbolic link loop (folder already read)")
            continue
        visited.add(real)
        try:
            entries = sorted(folder.iterdir(), key=lambda p: p.name)
        except OSError as exc:
            yield Skipped(str(folder), f"cannot list folder: {exc.strerror or exc}")
            continue
        subfolders = []
        for entry in entries:
            if entry.is_dir():
                subfolders.append(entry)
            elif entry.is_file():
                if _is_article_file(entry):
                    yield entry
            elif entry.is_symlink():
                yield Skipped(str(entry), "broken symbolic link or link loop")
        stack.extend(reversed(subfolders))


def _read_file(path: Path | Skipped, manifests: _Manifests) -> Iterator[Source | Skipped]:
    if isinstance(path, Skipped):
        yield path
        return
    suffix = _suffix(path)
    if suffix not in SUPPORTED:
        yield Skipped(str(path), f"unsupported file type {suffix or '(none)'}; "
                      f"expected one of {', '.join(sorted(SUPPORTED))}")
        return
    if suffix in JSONL_SUFFIXES:
        # A feed holds many articles: streamed line by line, limits apply per record.
        yield from _read_jsonl(path)
        return
    try:
        data = _read_bytes(path)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        yield Skipped(str(path), f"cannot read file: {getattr(exc, 'strerror', None) or exc}")
        return
    if not data.strip():
        yield Skipped(str(path), "empty file")
        return
    if _looks_binary(data):
        yield Skipped(str(path), "binary file (not text, HTML or JSON Lines)")
        return
    external, ext_prov, problems = _external_metadata(path, manifests)
    yield from problems
    kind = "html" if suffix in HTML_SUFFIXES else "text"
    if kind == "html":
        content: str | bytes = data
        if len(data) > MAX_HTML_BYTES:
            yield Skipped(str(path), _too_large(len(data), MAX_HTML_BYTES, "byte", "page"))
            return
    else:
        decoded = decode_text(data, external.pop("encoding", None))
        if isinstance(decoded, Skipped):
            decoded.path = str(path)
            yield decoded
            return
        content = decoded
        if len(content) > MAX_ARTICLE_CHARS:
            yield Skipped(str(path), _too_large(len(content), MAX_ARTICLE_CHARS, "character",
                                                "article"))
            return
    external.pop("encoding", None)
    name = path.name[: -len("".join(path.suffixes))] if path.suffixes else path.name
    yield Source(
        id=article_id_from(external.pop("id", None) or name),
        content=content,
        kind=kind,
        path=str(path),
        metadata=external,
        provenance=ext_prov,
    )


def _too_large(size: int, limit: int, unit: str, what: str) -> str:
    return (f"too large: {size:,} {unit}s, over the {limit:,}-{unit} limit for one {what} "
            "(split it into articles)")


def _read_bytes(path: Path) -> bytes:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise OSError(f"file is {size:,} bytes, over the {MAX_FILE_BYTES:,}-byte limit")
    if path.suffix.lower() == ".gz":
        with gzip.open(path, "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            raise OSError(f"decompressed file is over the {MAX_FILE_BYTES:,}-byte limit")
        return data
    return path.read_bytes()


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 text has NULs
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls > len(head) * 0.05


def decode_text(data: bytes, declared: str | None = None) -> str | Skipped:
    """Decode plain text: a BOM, then a declared charset, then UTF-8 (repairing a few bad bytes)."""
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"),
                       (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom):].decode(codec, errors="replace")
    if declared:
        try:
            return data.decode(declared)
        except LookupError:
            return Skipped("", f"unknown declared encoding {declared!r}")
        except UnicodeDecodeError as exc:
            return Skipped("", f"not valid {declared} (declared) at byte {exc.start}")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    if bad <= max(1, int(len(data) * MAX_INVALID_UTF8_RATIO)):
        return text
    return Skipped("", f"not valid UTF-8 ({bad} invalid sequences, first at byte {first_bad}); "
                   "declare its encoding in a manifest or sidecar as \"encoding\"")


# -- external metadata: manifests and sidecars -------------------------------------------------

class _Manifests:
    """Folder manifests, each read once per run; a bad one is reported once."""

    def __init__(self) -> None:
        self._tables: dict[Path, dict[str, dict[str, Any]]] = {}

    def lookup(self, folder: Path) -> tuple[dict[str, dict[str, Any]], Skipped | None]:
        """A folder's manifest.json: ``{file: {...}}``, ``{"articles": [...]}`` or a list."""
        if folder in self._tables:
            return self._tables[folder], None
        path = folder / "manifest.json"
        table: dict[str, dict[str, Any]] = {}
        problem = None
        if path.is_file():
            try:
                raw = json.loads(path.read_text(encoding="utf-8"))
                entries = raw.get("articles", raw) if isinstance(raw, dict) else raw
                if isinstance(entries, dict):
                    table = {str(k): v for k, v in entries.items() if isinstance(v, dict)}
                elif isinstance(entries, list):
                    table = {str(e["file"]): e for e in entries
                             if isinstance(e, dict) and isinstance(e.get("file"), str)}
                else:
                    raise ValueError("expected an object or a list of objects")
            except (OSError, ValueError, UnicodeDecodeError) as exc:
                problem = Skipped(str(path), f"manifest ignored: not valid JSON ({exc})")
        self._tables[folder] = table
        return table, problem


def _clean_metadata(raw: dict[str, Any]) -> dict[str, str]:
    keys = (*METADATA_KEYS, "id", "encoding")
    return {k: str(raw[k]).strip() for k in keys
            if isinstance(raw.get(k), str | int) and str(raw[k]).strip()}


def _external_metadata(
    path: Path, manifests: _Manifests
) -> tuple[dict[str, str], dict[str, str], list[Skipped]]:
    """Metadata for a file from its sidecar (first) and its folder's manifest."""
    table, problem = manifests.lookup(path.parent)
    problems: list[Skipped] = [problem] if problem else []
    meta: dict[str, str] = {}
    prov: dict[str, str] = {}
    entry = table.get(path.name)
    if entry:
        for k, v in _clean_metadata(entry).items():
            meta[k] = v
            prov[k] = "manifest"
    stem = path.name[: -len("".join(path.suffixes))] if path.suffixes else path.name
    for sidecar in (path.with_name(path.name + ".meta.json"), path.with_name(stem + ".meta.json")):
        if sidecar.is_file():
            try:
                raw = json.loads(sidecar.read_text(encoding="utf-8"))
                if not isinstance(raw, dict):
                    raise ValueError("expected a JSON object")
            except (OSError, ValueError, UnicodeDecodeError) as exc:
                problems.append(Skipped(str(sidecar), f"sidecar ignored: not valid JSON ({exc})"))
                break
            for k, v in _clean_metadata(raw).items():
                meta[k] = v
                prov[k] = "sidecar"
            break
    return meta, prov, problems


# -- JSON Lines -----------------------------------------------------------------------------------


def _jsonl_lines(path: Path) -> Iterator[tuple[int, bytes | None]]:
    """(line number, bytes) of a feed; None for a line over the per-record limit."""
    opener = gzip.open if path.suffix.lower() == ".gz" else open
    with opener(path, "rb") as fh:
        lineno = 0
        while True:
            line = fh.readline(MAX_JSONL_LINE_BYTES + 1)
            if not line:
                return
            lineno += 1
            if len(line) > MAX_JSONL_LINE_BYTES and not line.endswith(b"\n"):
                while line and not line.endswith(b"\n"):  # skip the rest of the record
                    line = fh.readline(1 << 20)
                yield lineno, None
            else:
                yield lineno, line


def _read_jsonl(path: Path) -> Iterator[Source | Skipped]:
    stem = path.name.split(".")[0]
    seen_content = False
    try:
        for lineno, raw in _jsonl_lines(path):
            where = f"{path}:{lineno}"
            if raw is None:
                yield Skipped(where, f"too large: a record over {MAX_JSONL_LINE_BYTES:,} bytes "
                                     "(split it into articles)")
                continue
            if not raw.strip():
                continue
            if not seen_content and _looks_binary(raw[:8192]):
                yield Skipped(str(path), "binary file (not text, HTML or JSON Lines)")
                return
            seen_content = True
            yield _jsonl_record(raw.decode("utf-8", errors="replace"), where, stem, lineno)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        yield Skipped(str(path), f"cannot read file: {getattr(exc, 'strerror', None) or exc}")
        return
    if not seen_content:
        yield Skipped(str(path), "empty file")


def _jsonl_record(line: str, where: str, stem: str, lineno: int) -> Source | Skipped:
    """The Source of one JSON Lines record, or why it cannot be one."""
    try:
        record = json.loads(line)
    except ValueError as exc:
        return Skipped(where, f"not valid JSON ({exc.args[0] if exc.args else exc})")
    if not isinstance(record, dict):
        return Skipped(where, f"expected a JSON object, got {type(record).__name__}")
    body_text, body_html = record.get("text"), record.get("html")
    for name, value in (("text", body_text), ("html", body_html)):
        if value is not None and not isinstance(value, str):
            return Skipped(where, f"field {name!r} must be a string, got {type(value).__name__}")
    if not (body_text or "").strip() and not (body_html or "").strip():
        return Skipped(where, "no 'text' or 'html' field with content")
    bad = [k for k in (*METADATA_KEYS, "id") if k in record and record[k] is not None
           and not isinstance(record[k], str | int)]
    if bad:
        return Skipped(where, f"field {bad[0]!r} must be a string, got "
                              f"{type(record[bad[0]]).__name__}")
    use_text = bool((body_text or "").strip())
    body = body_text if use_text else body_html
    limit, unit = (MAX_ARTICLE_CHARS, "character") if use_text else (MAX_HTML_BYTES, "byte")
    if len(body) > limit:
        return Skipped(where, _too_large(len(body), limit, unit, "article"))
    meta = _clean_metadata(record)
    given_id = meta.pop("id", None) or f"{stem}-{lineno}"
    meta.pop("encoding", None)
    return Source(id=article_id_from(given_id), content=body, kind="text" if use_text else "html",
                  path=where, metadata=meta, provenance={k: "jsonl" for k in meta})
