"""Per-document arrays of a generation: facet values, days and scored field lengths.

Search keeps, for every passage, its facet values (outlet, actors, speakers,
month, and the speakers it quotes with how often), its day and the field
lengths BM25 uses, as numpy arrays shared by the threads of a process. Reading
them from Whoosh means walking every posting of the facet fields and asking for
every document's length one call at a time, in Python: at 1M passages that was
the 14 s the first search of each worker waited.

``write_facet_arrays(generation_path)`` computes the arrays once from a finished
generation and saves them beside its segments (``columns.json`` plus
``columns.*.npy``). ``load`` maps them read-only (``np.load(mmap_mode="r")``:
nothing is parsed, and the workers of a server share the pages). The manifest
records which segments and deletions the arrays describe. ``index add`` copies a
generation with these files and commits into the copy: the arrays of the
segments it kept are reused and only new or merged segments (and deletions) are
read from the index, giving what reading everything would. Without usable files
everything is read from the index, as before. Files are replaced, never written
through, because a generation's files may be hard links shared with its
predecessor.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3PerDocReader
from whoosh.columns import NumericColumn
from whoosh.util.numeric import byte_to_length

from .scoring import SCORED_FIELDS, read_postings

FORMAT_VERSION = 1
MANIFEST = "columns.json"
FACET_FIELDS = {"outlet": "outlet_f", "actor": "actor_f", "speaker": "speaker_f",
                "month": "month"}
QUOTED_FIELD = "quoted_f"  # weighted: one entry per quote, so counts per document are kept
DAY_FIELD = "day"
BY_DOC_KEYS = ("of_doc", "entry_docs", "entry_vals", "doc_ptr")


SMALL_MATCH_FRACTION = 20  # below maxdoc / this many matches, count from their numbers


class FacetColumn:
    """A facet field as arrays: for each value, the documents that have it (CSR layout).

    ``docs[offsets[i]:offsets[i + 1]]`` are the documents having ``values[i]``,
    ``vals`` the value number of each entry of ``docs``, ``weights`` (weighted
    fields only) how often the document has the value. For counting, the same
    entries by document: ``of_doc`` (each document's one value, ``len(values)``
    for none) when no document has two values, else ``entry_docs``/``entry_vals``
    sorted by document and ``doc_ptr`` (document -> its first entry).
    """

    def __init__(self, values: list[str], offsets: np.ndarray, docs: np.ndarray,
                 vals: np.ndarray, weights: np.ndarray | None, maxdoc: int,
                 by_doc: dict[str, np.ndarray] | None = None) -> None:
        self.values = values
        self.index = {v: i for i, v in enumerate(values)}
        self.offsets = offsets
        self.docs = docs
        self.vals = vals
        self.weights = weights
        self.maxdoc = maxdoc
        self.by_doc = by_doc if by_doc is not None else _by_doc(docs, vals, len(values),
                                                               maxdoc)
        self._of_doc = self.by_doc.get("of_doc")

    @classmethod
    def from_postings(cls, values: list[str], postings: list[np.ndarray], maxdoc: int,
                      weights: list[np.ndarray] | None = None) -> FacetColumn:
        lengths = np.array([len(p) for p in postings], dtype=np.int64)
        offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        docs = (np.concatenate(postings) if postings else np.zeros(0)).astype(np.int32)
        vals = np.repeat(np.arange(len(values), dtype=np.int32), lengths)
        w = None
        if weights is not None:
            w = (np.concatenate(weights) if weights else np.zeros(0)).astype(np.int32)
        return cls(values, offsets, docs, vals, w, maxdoc)

    def mask_for(self, selected: list[str]) -> np.ndarray:
        """Documents having any of the selected values (OR within a facet)."""
        mask = np.zeros(self.maxdoc, dtype=bool)
        for value in selected:
            i = self.index.get(value)
            if i is not None:
                mask[self.docs[self.offsets[i]:self.offsets[i + 1]]] = True
        return mask

    def counts(self, mask: np.ndarray, idx: np.ndarray | None = None) -> np.ndarray:
        """How many documents of ``mask`` have each value.

        ``idx`` (optional) is ``np.flatnonzero(mask)``; given when matches are few,
        the count then costs in proportion to them, not to the index.
        """
        nvalues = len(self.values)
        if self._of_doc is not None:
            chosen = self._of_doc[idx] if idx is not None else self._of_doc[mask]
            return np.bincount(chosen, minlength=nvalues + 1)[:nvalues]
        by_doc = self.by_doc
        if idx is not None:
            ptr = by_doc["doc_ptr"]
            starts = ptr[idx].astype(np.int64)
            lens = ptr[idx + 1] - starts
            total = int(lens.sum())
            at = np.repeat(starts - (np.cumsum(lens) - lens), lens) + np.arange(total)
            chosen = by_doc["entry_vals"][at]
        else:
            chosen = by_doc["entry_vals"][mask[by_doc["entry_docs"]]]
        return np.bincount(chosen, minlength=nvalues)

    def per_document(self, value: str) -> tuple[np.ndarray, np.ndarray]:
        """The documents having ``value`` and how often each has it."""
        i = self.index.get(value)
        if i is None:
            return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int32)
        span = slice(self.offsets[i], self.offsets[i + 1])
        docs = self.docs[span]
        if self.weights is None:
            return docs, np.ones(len(docs), dtype=np.int32)
        return docs, self.weights[span]


def _by_doc(docs: np.ndarray, vals: np.ndarray, nvalues: int,
            maxdoc: int) -> dict[str, np.ndarray]:
    """The entries arranged by document (see FacetColumn)."""
    per_doc = np.bincount(docs, minlength=maxdoc) if len(docs) else np.zeros(maxdoc, np.int64)
    if not len(per_doc) or per_doc.max() <= 1:
        of_doc = np.full(maxdoc, nvalues, dtype=np.int32)
        of_doc[docs] = vals
        return {"of_doc": of_doc}
    order = np.argsort(docs, kind="stable")
    doc_ptr = np.concatenate([[0], np.cumsum(per_doc)]).astype(np.int64)
    return {"entry_docs": docs[order].astype(np.int32), "entry_vals": vals[order].astype(np.int32),
            "doc_ptr": doc_ptr}


def few_matches(mask: np.ndarray) -> np.ndarray | None:
    """``np.flatnonzero(mask)`` when it is small enough to count from, else None."""
    if np.count_nonzero(mask) * SMALL_MATCH_FRACTION < len(mask):
        return np.flatnonzero(mask)
    return None


@dataclass
class ColumnData:
    """Everything per document that search needs, however it was obtained."""

    maxdoc: int
    live: np.ndarray
    day: np.ndarray
    facets: dict[str, FacetColumn]
    quoted: FacetColumn
    lengths: dict[str, np.ndarray]  # scored field -> length per document as BM25 sees it
    source: str  # "file" (mapped from write_facet_arrays' output) or "postings"


def fingerprint(reader: Any) -> list[list[Any]]:
    """What identifies the documents of an index: its segments, their sizes and deletions."""
    out = []
    for sub, base in reader.leaf_readers():
        segment = sub.segment()
        out.append([segment.segment_id() if segment is not None else None, int(base),
                    int(sub.doc_count_all()),
                    int(segment.deleted_count()) if segment is not None else 0])
    return out


def live_mask(reader: Any) -> np.ndarray:
    maxdoc = reader.doc_count_all()
    live = np.ones(maxdoc, dtype=bool)
    if reader.has_deletions():
        live[:] = False
        live[np.fromiter(reader.all_doc_ids(), dtype=np.int64)] = True
    return live


# -- computing from the index -----------------------------------------------------------------


def compute(reader: Any) -> ColumnData:
    """The arrays read from the index itself (postings, the day column, stored lengths)."""
    maxdoc = reader.doc_count_all()
    live = live_mask(reader)
    day = _day(reader, maxdoc)
    facets = {name: _column(reader, fieldname, live, maxdoc)
              for name, fieldname in FACET_FIELDS.items()}
    quoted = _column(reader, QUOTED_FIELD, live, maxdoc, weighted=True)
    lengths = {name: field_lengths(reader, name, maxdoc) for name in SCORED_FIELDS}
    return ColumnData(maxdoc, live, day, facets, quoted, lengths, "postings")


def _day(reader: Any, maxdoc: int) -> np.ndarray:
    parts = []
    for sub, _base in reader.leaf_readers():
        n = sub.doc_count_all()
        raw = _numeric_column(sub.column_reader(DAY_FIELD, translate=False), n)
        if raw is None:
            day = sub.column_reader(DAY_FIELD)
            raw = np.fromiter((day[i] for i in range(n)), dtype=np.int64, count=n)
        parts.append(raw.astype(np.int32))
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int32)


def field_lengths(reader: Any, fieldname: str, maxdoc: int) -> np.ndarray:
    """Every document's stored length of ``fieldname``, as Whoosh's scorer sees it.

    Read a segment's length column at once where it is Whoosh 2.7.4's (one byte per
    document, decoded by ``byte_to_length``), else through the public
    ``doc_field_length`` (≈ 1 µs per document).
    """
    parts = []
    for sub, _base in reader.leaf_readers():
        n = sub.doc_count_all()
        found = _length_column(sub, fieldname, n)
        if found is None:
            length = sub.doc_field_length
            found = np.fromiter((length(d, fieldname, 0) or 0 for d in range(n)),
                                dtype=np.float64, count=n)
        parts.append(found)
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.float64)


_BIG_ENDIAN = {"B": ">u1", "b": ">i1", "H": ">u2", "h": ">i2", "I": ">u4", "i": ">i4",
               "Q": ">u8", "q": ">i8"}  # struct "!" codes (standard sizes) as numpy dtypes
_BYTE_TO_LENGTH = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)


def _numeric_column(creader: Any, n: int) -> np.ndarray | None:
    """All values of a Whoosh 2.7.4 ``NumericColumn`` reader in one read (None: another kind).

    Its file holds the first ``_count`` documents' values (big-endian); later
    documents have the default. ``tests/test_searching.py`` checks this against
    reading document by document.
    """
    if type(creader) is not NumericColumn.Reader or creader._typecode not in _BIG_ENDIAN:
        return None
    count = min(creader._count, n)
    out = np.full(n, creader._default, dtype=np.int64)
    if count:
        raw = creader._dbfile.get(creader._basepos, count * creader._fixedlen)
        out[:count] = np.frombuffer(raw, dtype=_BIG_ENDIAN[creader._typecode], count=count)
    return out


def _length_column(sub: Any, fieldname: str, n: int) -> np.ndarray | None:
    perdoc = getattr(sub, "_perdoc", None)
    if type(perdoc) is not W3PerDocReader:
        return None
    lenfield = f"_{fieldname}_len"  # whoosh.codec.whoosh3._lenfield
    if not perdoc.has_column(lenfield):
        return np.zeros(n, dtype=np.float64)  # doc_field_length's default
    raw = _numeric_column(perdoc.column_reader(lenfield, LENGTHS_COLUMN), n)
    return None if raw is None else _BYTE_TO_LENGTH[raw]


def _column(reader: Any, fieldname: str, live: np.ndarray, maxdoc: int,
            weighted: bool = False) -> FacetColumn:
    values: list[str] = []
    postings: list[np.ndarray] = []
    weights: list[np.ndarray] = []
    if fieldname in reader.schema:
        for term in reader.lexicon(fieldname):
            value = term.decode("utf-8")
            ids, w = read_postings(reader, fieldname, value)
            keep = live[ids]
            if keep.any():
                values.append(value)
                postings.append(ids[keep])
                if weighted:
                    weights.append(w[keep].astype(np.int32))
    return FacetColumn.from_postings(values, postings, maxdoc, weights if weighted else None)


# -- files ------------------------------------------------------------------------------------


def _arrays(data: ColumnData) -> dict[str, np.ndarray]:
    out = {"day": data.day}
    for name, col in [*data.facets.items(), ("quoted", data.quoted)]:
        out[f"facet.{name}.offsets"] = col.offsets
        out[f"facet.{name}.docs"] = col.docs
        out[f"facet.{name}.vals"] = col.vals
        if col.weights is not None:
            out[f"facet.{name}.weights"] = col.weights
        for key, array in col.by_doc.items():
            out[f"facet.{name}.{key}"] = array
    for name, lengths in data.lengths.items():
        out[f"length.{name}"] = lengths
    return out


def _file(generation_path: Path, key: str) -> Path:
    return generation_path / f"columns.{key}.npy"


def write_facet_arrays(generation_path: str | Path) -> Path:
    """Compute a finished generation's per-document arrays and save them in its folder.

    Call it after the passages index is committed (build, and also ``index add``,
    whose copied arrays describe the previous generation). Returns the manifest's
    path. Safe to run again: every file is replaced atomically, the manifest last.
    """
    from whoosh.filedb.filestore import FileStorage

    from .indexing import PASSAGES  # here: indexing may import this module

    path = Path(generation_path)
    ix = FileStorage(str(path)).open_index(indexname=PASSAGES)
    with ix.reader() as reader:
        data = compute(reader)
        arrays = _arrays(data)
        manifest = {
            "version": FORMAT_VERSION,
            "fingerprint": fingerprint(reader),
            "maxdoc": data.maxdoc,
            "values": {name: col.values
                       for name, col in [*data.facets.items(), ("quoted", data.quoted)]},
            "arrays": {key: [str(a.dtype), list(a.shape)] for key, a in arrays.items()},
        }
    for key, array in arrays.items():
        _replace(_file(path, key), lambda f, a=array: np.save(f, np.ascontiguousarray(a)))
    _replace(path / MANIFEST, lambda f: f.write(json.dumps(manifest).encode("utf-8")))
    return path / MANIFEST


def _replace(target: Path, write: Any) -> None:
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load(generation_path: str | Path, reader: Any) -> ColumnData | None:
    """The saved arrays mapped read-only, or None when absent, unreadable or of no use.

    When the index has changed since they were saved (``index add`` keeps the
    segments and adds one, deletes replaced documents, and sometimes merges small
    segments), the arrays of the segments it still has are reused and only the
    other segments are read from the index (``source`` "file+postings"; the
    result is a copy in memory, not a mapping).
    """
    saved = _read_saved(Path(generation_path))
    if saved is None:
        return None
    manifest, data = saved
    if manifest["fingerprint"] == fingerprint(reader) and data.maxdoc == reader.doc_count_all():
        data.live = live_mask(reader)
        return data
    return _extend(data, manifest["fingerprint"], reader)


def _read_saved(path: Path) -> tuple[dict[str, Any], ColumnData] | None:
    try:
        manifest = json.loads((path / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or manifest.get("version") != FORMAT_VERSION:
        return None
    arrays: dict[str, np.ndarray] = {}
    try:
        for key, (dtype, shape) in manifest["arrays"].items():
            array = np.asarray(np.load(_file(path, key), mmap_mode="r", allow_pickle=False))
            if str(array.dtype) != dtype or list(array.shape) != shape:
                return None
            arrays[key] = array
        maxdoc = int(manifest["maxdoc"])
        values = manifest["values"]

        def column(name: str) -> FacetColumn:
            by_doc = {key: arrays[f"facet.{name}.{key}"] for key in BY_DOC_KEYS
                      if f"facet.{name}.{key}" in arrays}
            if "of_doc" not in by_doc and len(by_doc) != 3:
                raise KeyError(f"facet.{name}: by-document arrays")
            return FacetColumn(list(values[name]), arrays[f"facet.{name}.offsets"],
                               arrays[f"facet.{name}.docs"], arrays[f"facet.{name}.vals"],
                               arrays.get(f"facet.{name}.weights"), maxdoc, by_doc)

        facets = {name: column(name) for name in FACET_FIELDS}
        quoted = column("quoted")
        lengths = {name: arrays[f"length.{name}"] for name in SCORED_FIELDS}
        day = arrays["day"]
        if not isinstance(manifest["fingerprint"], list):
            return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    live = np.ones(maxdoc, dtype=bool)  # the caller sets the index's own
    return manifest, ColumnData(maxdoc, live, day, facets, quoted, lengths, "file")


def _extend(old: ColumnData, old_fingerprint: list[Any], reader: Any) -> ColumnData | None:
    """``old``'s arrays for the segments ``reader`` still has; the others read from it."""
    try:
        kept = {str(segid): (int(base), int(n)) for segid, base, n, _deleted in old_fingerprint
                if segid is not None}
    except (TypeError, ValueError):
        return None
    maxdoc = reader.doc_count_all()
    live = live_mask(reader)
    remap = np.full(old.maxdoc, -1, dtype=np.int64)  # old document number -> new
    days: list[np.ndarray] = []
    lengths: dict[str, list[np.ndarray]] = {name: [] for name in SCORED_FIELDS}
    fresh: list[tuple[Any, int]] = []
    for sub, base in reader.leaf_readers():
        segment = sub.segment()
        n = sub.doc_count_all()
        found = kept.get(str(segment.segment_id())) if segment is not None else None
        if found is not None and found[1] == n and found[0] + n <= old.maxdoc:
            start = found[0]
            remap[start:start + n] = np.arange(base, base + n)
            days.append(np.asarray(old.day[start:start + n]))
            for name in SCORED_FIELDS:
                lengths[name].append(np.asarray(old.lengths[name][start:start + n]))
        else:
            fresh.append((sub, base))
            days.append(_day(sub, n))
            for name in SCORED_FIELDS:
                lengths[name].append(field_lengths(sub, name, n))
    if len(fresh) == len(list(reader.leaf_readers())):
        return None  # nothing reusable
    facets = {name: _extended_column(old.facets[name], remap, fresh, fieldname, live, maxdoc)
              for name, fieldname in FACET_FIELDS.items()}
    quoted = _extended_column(old.quoted, remap, fresh, QUOTED_FIELD, live, maxdoc,
                              weighted=True)
    return ColumnData(maxdoc, live, _joined(days, np.int32), facets, quoted,
                      {name: _joined(parts, np.float64) for name, parts in lengths.items()},
                      "file+postings")


def _joined(parts: list[np.ndarray], dtype: Any) -> np.ndarray:
    return np.concatenate(parts).astype(dtype) if parts else np.zeros(0, dtype=dtype)


def _extended_column(old: FacetColumn, remap: np.ndarray, fresh: list[tuple[Any, int]],
                     fieldname: str, live: np.ndarray, maxdoc: int,
                     weighted: bool = False) -> FacetColumn:
    """The column ``compute`` would give: ``old``'s kept entries plus the fresh segments'."""
    index = {v: i for i, v in enumerate(old.values)}
    docs = [remap[np.asarray(old.docs)]]
    vals = [np.asarray(old.vals, dtype=np.int64)]
    weights = [np.asarray(old.weights if old.weights is not None
                          else np.ones(len(old.docs), dtype=np.int32))]
    for sub, base in fresh:
        n = sub.doc_count_all()
        col = _column(sub, fieldname, live[base:base + n], n, weighted)
        ids = np.array([index.setdefault(v, len(index)) for v in col.values], dtype=np.int64)
        docs.append(np.asarray(col.docs, dtype=np.int64) + base)
        vals.append(ids[col.vals] if len(ids) else np.zeros(0, dtype=np.int64))
        weights.append(col.weights if col.weights is not None
                       else np.ones(len(col.docs), dtype=np.int32))
    names = list(index)
    d, v, w = np.concatenate(docs), np.concatenate(vals), np.concatenate(weights)
    keep = d >= 0
    keep[keep] = live[d[keep]]
    d, v, w = d[keep], v[keep], w[keep]
    # Values in the lexicon's order (UTF-8 bytes), only those some live document has.
    rank = np.empty(len(names), dtype=np.int64)
    rank[sorted(range(len(names)), key=lambda i: names[i].encode("utf-8"))] = \
        np.arange(len(names))
    by_rank = sorted(names, key=lambda x: x.encode("utf-8"))
    v = rank[v] if len(names) else v
    present = np.unique(v)
    renumber = np.full(len(names), -1, dtype=np.int64)
    renumber[present] = np.arange(len(present))
    v = renumber[v] if len(names) else v
    order = np.lexsort((d, v))
    d, v, w = d[order], v[order], w[order]
    offsets = np.concatenate([[0], np.cumsum(np.bincount(v, minlength=len(present)))])
    return FacetColumn([by_rank[i] for i in present.tolist()], offsets.astype(np.int64),
                       d.astype(np.int32), v.astype(np.int32),
                       w.astype(np.int32) if weighted else None, maxdoc)


def columns_for(generation_path: str | Path, reader: Any) -> ColumnData:
    """The saved arrays when they describe this index, else computed from it."""
    return load(generation_path, reader) or compute(reader)
