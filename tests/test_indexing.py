"""The index: generations, atomic switches, failures that change nothing, add/replace."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from support.corpus import write_jsonl_corpus

from searchsvc import indexing
from searchsvc.indexing import BuildFailed, IndexBusy, current_name
from searchsvc.searching import SearchRequest, SearchService

SEEDS = Path("seeds")


def article(folder: Path, name: str, title: str, body: str, **meta: str) -> Path:
    path = folder / f"{name}.txt"
    path.write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    if meta or title:
        path.with_name(path.name + ".meta.json").write_text(
            json.dumps({"title": title, **meta}), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def seed_build(tmp_path_factory):
    index_dir = tmp_path_factory.mktemp("seed-index")
    report = indexing.build([SEEDS], index_dir)
    return index_dir, report


def test_seed_build_reports_articles_passages_and_publishes_a_generation(seed_build):
    index_dir, report = seed_build
    assert report.articles == 5 and report.passages > 30 and report.skipped == []
    assert current_name(index_dir) == report.generation
    gen = indexing.current_generation(index_dir)
    assert gen.meta["articles"] == 5 and gen.meta["passages"] == report.passages
    assert (gen.path / "words.json").is_file()


def test_seed_index_has_five_outlets_and_their_dates(seed_build):
    index_dir, _ = seed_build
    svc = SearchService(index_dir)
    facets = svc.search(SearchRequest(facet_limit=50)).facets
    assert {f["value"] for f in facets["outlet"]} == {
        "Newsweek", "Forbes", "The Times of Israel", "All Israel News", "The Moscow Times"}
    months = {f["value"] for f in facets["month"]}
    assert months == {"2021-05", "2023-10"}
    forbes = svc.search(SearchRequest(outlets=["Forbes"], per_page=1)).hits[0]
    assert forbes["published"] == "2023-10-13"


def test_a_new_build_switches_generations_and_keeps_one_predecessor(tmp_path):
    index_dir = tmp_path / "ix"
    names = [indexing.build([SEEDS], index_dir).generation for _ in range(3)]
    assert names == ["gen-000001", "gen-000002", "gen-000003"]
    assert current_name(index_dir) == "gen-000003"
    kept = sorted(p.name for p in index_dir.iterdir() if p.name.startswith("gen-"))
    assert kept == ["gen-000002", "gen-000003"]


def test_a_build_that_fails_midway_leaves_the_previous_index_serving(tmp_path, monkeypatch):
    index_dir = tmp_path / "ix"
    first = indexing.build([SEEDS], index_dir)
    svc = SearchService(index_dir)
    before = svc.search(SearchRequest(q="Putin")).total
    calls = {"n": 0}
    real = indexing.passage_documents

    def failing(article):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("disk exploded")
        return real(article)

    monkeypatch.setattr(indexing, "passage_documents", failing)
    with pytest.raises(RuntimeError, match="disk exploded"):
        indexing.build([SEEDS], index_dir)
    assert current_name(index_dir) == first.generation
    assert svc.search(SearchRequest(q="Putin")).total == before
    assert not [p for p in index_dir.iterdir() if p.name.startswith(".gen-")]
    monkeypatch.setattr(indexing, "passage_documents", real)
    again = indexing.build([SEEDS], index_dir)
    assert current_name(index_dir) == again.generation != first.generation


def test_a_second_concurrent_build_is_refused_with_a_clear_message(tmp_path):
    index_dir = tmp_path / "ix"
    indexing.build([SEEDS], index_dir)
    with indexing.writer_lock(index_dir):
        with pytest.raises(IndexBusy, match="another build or add is running"):
            indexing.build([SEEDS], index_dir)
        with pytest.raises(IndexBusy):
            indexing.add([SEEDS / "000_fe215bb7cc4ef5d9.txt"], index_dir)
    assert current_name(index_dir) == "gen-000001"


def test_leftovers_of_a_killed_build_are_recovered_by_the_next(tmp_path):
    index_dir = tmp_path / "ix"
    indexing.build([SEEDS], index_dir)
    stale = index_dir / ".gen-000002.building-99999"
    stale.mkdir()
    (stale / "junk").write_text("half written")
    (index_dir / ".lock").write_text("99999")
    report = indexing.build([SEEDS], index_dir)
    assert current_name(index_dir) == report.generation
    assert not [p for p in index_dir.iterdir() if p.name.startswith(".gen-")]
    assert SearchService(index_dir).search(SearchRequest(q="Peskov")).total > 0


def test_strict_build_fails_on_any_skip_and_publishes_nothing(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    article(docs, "good", "A good story", "The minister said the talks went well on Monday.")
    (docs / "bad.txt").write_bytes(b"")
    index_dir = tmp_path / "ix"
    report = indexing.build([docs], index_dir)
    assert report.articles == 1 and [s.reason for s in report.skipped] == ["empty file"]
    with pytest.raises(BuildFailed, match="--strict: 1 file"):
        indexing.build([docs], index_dir, strict=True)
    assert current_name(index_dir) == report.generation


def test_add_replaces_an_articles_passages_and_adds_new_ones(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    article(docs, "story", "Talks resume", "Negotiators met in Geneva for talks about grain.",
            outlet="Wire One", published="2024-03-01")
    index_dir = tmp_path / "ix"
    indexing.build([docs], index_dir)
    svc = SearchService(index_dir)
    assert svc.search(SearchRequest(q="grain")).total == 1

    article(docs, "story", "Talks resume", "Negotiators met in Vienna about fertiliser exports.",
            outlet="Wire One", published="2024-03-02")
    other = tmp_path / "other"
    other.mkdir()
    article(other, "fresh", "New piece", "A fresh report about fertiliser prices in Kenya.",
            outlet="Wire Two", published="2024-03-05")
    report = indexing.add([docs / "story.txt", other / "fresh.txt"], index_dir)
    assert report.replaced == ["story"] and report.articles == 2
    assert svc.search(SearchRequest(q="grain")).total == 0
    assert svc.search(SearchRequest(q="fertiliser")).total == 2
    assert svc.search(SearchRequest()).total == 2
    assert svc.article("story")["published"] == "2024-03-02"
    assert indexing.current_generation(index_dir).meta["articles"] == 2


def test_add_needs_an_existing_index(tmp_path):
    with pytest.raises(indexing.NoIndex, match="index build"):
        indexing.add([SEEDS / "000_fe215bb7cc4ef5d9.txt"], tmp_path / "none")


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_index_folder_is_a_clear_error(tmp_path):
    index_dir = tmp_path / "ro"
    index_dir.mkdir()
    index_dir.chmod(0o555)
    try:
        with pytest.raises(BuildFailed, match="permission denied|read-only"):
            indexing.build([SEEDS], index_dir)
    finally:
        index_dir.chmod(0o755)


def test_parallel_build_gives_the_same_index_as_a_sequential_one(tmp_path):
    seq = indexing.build([SEEDS], tmp_path / "seq", workers=0)
    par = indexing.build([SEEDS], tmp_path / "par", workers=2)
    assert (seq.articles, seq.passages) == (par.articles, par.passages)
    a = SearchService(tmp_path / "seq").search(SearchRequest(q="ceasefire", per_page=50))
    b = SearchService(tmp_path / "par").search(SearchRequest(q="ceasefire", per_page=50))
    assert [h["passage_id"] for h in a.hits] == [h["passage_id"] for h in b.hits]
    assert a.facets == b.facets


@pytest.mark.parametrize("code,words", [(28, "the disk is full"), (30, "read-only")])
def test_disk_full_or_read_only_during_a_build_is_a_clear_error(tmp_path, monkeypatch,
                                                                code, words):
    index_dir = tmp_path / "ix"
    first = indexing.build([SEEDS], index_dir)

    def no_space(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(indexing, "_write_generation_files", no_space)
    with pytest.raises(BuildFailed, match=f"{words}.*serving index is untouched"):
        indexing.build([SEEDS], index_dir)
    assert current_name(index_dir) == first.generation
    assert SearchService(index_dir).search(SearchRequest(q="Kremlin")).total > 0
    assert not [p for p in index_dir.iterdir() if p.name.startswith(".gen-")]


def test_a_build_that_indexes_nothing_fails_and_keeps_the_serving_index(tmp_path):
    index_dir = tmp_path / "ix"
    first = indexing.build([SEEDS], index_dir)
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "blank.txt").write_text("  \n")
    with pytest.raises(BuildFailed, match="nothing to index: all 1 source"):
        indexing.build([empty], index_dir)
    with pytest.raises(BuildFailed, match="nothing to index"):
        indexing.build([tmp_path / "missing"], index_dir)
    assert current_name(index_dir) == first.generation


def test_a_bug_breaking_many_articles_fails_the_build_instead_of_publishing(tmp_path,
                                                                          monkeypatch):
    from searchsvc import pipeline

    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(12):
        article(docs, f"a{i}", f"Story {i}", f"The mayor said on Monday that plan {i} is ready.")
    index_dir = tmp_path / "ix"
    first = indexing.build([docs], index_dir)

    def broken(prepared, **kwargs):
        raise AttributeError("'PassageAnalysis' object has no attribute 'x'")

    monkeypatch.setattr(pipeline, "process", broken)
    with pytest.raises(BuildFailed, match="12 of 12 articles failed inside searchsvc"):
        indexing.build([docs], index_dir, workers=0)
    assert current_name(index_dir) == first.generation


# -- builds in several processes (one Whoosh segment per shard) ---------------------------------


def _index_order(index_dir: Path) -> tuple[int, list[str]]:
    """(number of segments, passage ids in document-number order)."""
    ix = indexing.current_generation(index_dir).open()
    with ix.searcher() as s:
        leaves = len(s.reader().leaf_readers()) if not s.reader().is_atomic() else 1
        return leaves, [f["passage_id"] for f in s.all_stored_fields()]


def test_a_sharded_build_is_the_sequential_build_split_into_one_segment_per_process(tmp_path):
    corpus = write_jsonl_corpus(tmp_path / "c.jsonl", 150)
    seq = indexing.build([corpus, SEEDS], tmp_path / "seq", workers=0)
    par = indexing.build([corpus, SEEDS], tmp_path / "par", workers=3)
    assert (seq.articles, seq.passages) == (par.articles, par.passages) == (155, seq.passages)
    seq_segments, seq_ids = _index_order(tmp_path / "seq")
    par_segments, par_ids = _index_order(tmp_path / "par")
    assert (seq_segments, par_segments) == (1, 3)
    assert par_ids == seq_ids  # shards are contiguous: documents stay in source order
    a, b = SearchService(tmp_path / "seq"), SearchService(tmp_path / "par")
    for q in ("budget", "Kremlin", "mayor lopez", '"road repairs"', "putin -ukraine"):
        ra = a.search(SearchRequest(q=q, per_page=50, facet_limit=50))
        rb = b.search(SearchRequest(q=q, per_page=50, facet_limit=50))
        assert ra.total == rb.total > 0, q
        assert [(h["passage_id"], h["score"]) for h in ra.hits] == \
            [(h["passage_id"], h["score"]) for h in rb.hits], q
        assert ra.facets == rb.facets, q
    gen_a, gen_b = (indexing.current_generation(tmp_path / n) for n in ("seq", "par"))
    assert gen_a.meta["boilerplate"] == gen_b.meta["boilerplate"]
    assert json.loads((gen_a.path / "words.json").read_text()) == \
        json.loads((gen_b.path / "words.json").read_text())
    # nothing but the generation's own files is left behind (no pool folders, no orphans)
    assert not [p for p in gen_b.path.iterdir() if p.is_dir() or ".tmp" in p.name]
    # and it takes additions like any other generation
    extra = article(tmp_path, "late", "Late story", "The mayor said the budget passed.")
    indexing.add([extra], tmp_path / "par")
    assert b.search(SearchRequest(q="budget")).total == a.search(
        SearchRequest(q="budget")).total + 1


def test_a_shard_starts_a_new_segment_instead_of_spilling_postings(tmp_path, monkeypatch):
    corpus = write_jsonl_corpus(tmp_path / "c.jsonl", 150)
    indexing.build([corpus], tmp_path / "seq", workers=0)
    monkeypatch.setattr(indexing, "SHARD_POOL_MB", 0.05)  # ~300 postings per segment
    indexing.build([corpus], tmp_path / "par", workers=2)
    seq_segments, seq_ids = _index_order(tmp_path / "seq")
    par_segments, par_ids = _index_order(tmp_path / "par")
    assert par_segments > 4 and par_ids == seq_ids
    a, b = SearchService(tmp_path / "seq"), SearchService(tmp_path / "par")
    for q in ("budget", "mayor lopez", '"road repairs"'):
        ra, rb = (s.search(SearchRequest(q=q, per_page=50, facet_limit=50)) for s in (a, b))
        assert ra.total == rb.total > 0
        assert [(h["passage_id"], h["score"]) for h in ra.hits] == \
            [(h["passage_id"], h["score"]) for h in rb.hits]
        assert ra.facets == rb.facets
    assert not [p for p in indexing.current_generation(tmp_path / "par").path.iterdir()
                if p.is_dir() or ".tmp" in p.name]


def test_progress_of_a_sharded_build_counts_every_article_once(tmp_path):
    corpus = write_jsonl_corpus(tmp_path / "c.jsonl", 70)
    seen: list[tuple[int, int]] = []
    indexing.build([corpus], tmp_path / "ix", workers=2,
                   progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (70, 70)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def _break_one_article(monkeypatch, article_id_end: str, fault) -> None:
    """Make writing one article of the corpus run ``fault`` (the forked shards see it)."""
    real = indexing.passage_documents

    def broken(article):
        if article.id.endswith(article_id_end):
            fault()
        return real(article)

    monkeypatch.setattr(indexing, "passage_documents", broken)


@pytest.mark.parametrize("article_id_end,fault,message", [
    ("00077", lambda: (_ for _ in ()).throw(RuntimeError("disk exploded")),  # last shard
     "shard 1 failed.*disk exploded.*nothing was published"),
    ("00003", lambda: os._exit(9),  # as if the kernel's OOM killer took the process
     r"shard 0 died \(exit code 9\)"),
], ids=["raises", "dies"])
def test_a_shard_that_fails_or_dies_fails_the_build_and_keeps_the_serving_index(
        tmp_path, monkeypatch, article_id_end, fault, message):
    corpus = write_jsonl_corpus(tmp_path / "c.jsonl", 80)
    index_dir = tmp_path / "ix"
    first = indexing.build([SEEDS], index_dir)
    _break_one_article(monkeypatch, article_id_end, fault)
    with pytest.raises(BuildFailed, match=message):
        indexing.build([corpus], index_dir, workers=2)
    assert current_name(index_dir) == first.generation
    assert not [p for p in index_dir.iterdir() if p.name.startswith(".gen-")]


def test_shards_are_contiguous_and_balanced_by_text_size():
    from searchsvc.models import Source
    from searchsvc.pipeline import Prepared, shards

    items = [Prepared(Source(id=str(i), kind="text", content=""), "x" * size)
             for i, size in enumerate([100, 100, 100, 100, 400, 100, 100])]
    assert shards(items, 2) == [range(0, 4), range(4, 7)]
    assert shards(items, 3) == [range(0, 3), range(3, 5), range(5, 7)]
    for n in (1, 2, 3, 5, 9):  # always n contiguous ranges covering every item once
        for some in (items, items[:1], []):
            parts = shards(some, n)
            assert len(parts) == n
            assert [i for part in parts for i in part] == list(range(len(some)))


def test_the_cheaper_segment_flush_writes_byte_identical_files(tmp_path):
    """``_SegmentWriter`` only caches field lengths; Whoosh's own writer gives the same bytes."""
    import hashlib

    from whoosh.filedb.filestore import FileStorage
    from whoosh.writing import SegmentWriter

    from searchsvc import pipeline, reading
    from searchsvc.enriching import Gazetteer

    articles = list(pipeline.run(reading.iter_sources([SEEDS]), gazetteer=Gazetteer.load([]),
                                 workers=0))

    def files(writer_class, folder):
        folder.mkdir()
        ix = FileStorage(str(folder)).create_index(indexing.passage_schema(), indexname="p")
        writer = writer_class(ix, compound=False)
        for a in articles:
            for doc in indexing.passage_documents(a):
                writer.add_document(**doc)
        writer.commit()
        return {f.name.split(".", 1)[1]: hashlib.sha256(f.read_bytes()).hexdigest()
                for f in folder.iterdir() if "." in f.name and not f.name.endswith(".toc")}

    theirs = files(SegmentWriter, tmp_path / "whoosh")
    ours = files(indexing._SegmentWriter, tmp_path / "ours")
    assert {"pst", "trm", "_text_len.col", "_stored.col"} <= set(ours)
    assert ours == theirs


def test_a_build_saves_the_per_document_arrays_a_server_maps(seed_build):
    from searchsvc import columns

    index_dir, report = seed_build
    gen = indexing.current_generation(index_dir)
    manifest = json.loads((gen.path / columns.MANIFEST).read_text())
    assert manifest["maxdoc"] == report.passages
    assert {"outlet", "actor"} <= set(manifest["values"])
    assert all((gen.path / f).is_file() for f in os.listdir(gen.path) if f.endswith(".npy"))
    assert any(f.endswith(".npy") for f in os.listdir(gen.path))
