"""Reading files and folders into sources: formats, metadata, encodings, bad input."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

from searchsvc.models import Skipped, Source
from searchsvc.reading import iter_sources


def read(*paths: Path) -> tuple[list[Source], list[Skipped]]:
    items = list(iter_sources(paths))
    return ([i for i in items if isinstance(i, Source)],
            [i for i in items if isinstance(i, Skipped)])


def test_seed_folder_reads_five_articles_with_manifest_metadata():
    sources, skipped = read(Path("seeds"))
    assert skipped == []
    assert [s.id for s in sources] == sorted(s.id for s in sources)
    assert len(sources) == 5
    forbes = next(s for s in sources if s.id.startswith("001"))
    assert forbes.metadata["outlet"] == "Forbes"
    assert forbes.metadata["published"] == "2023-10-13"
    assert forbes.provenance == {"title": "manifest", "outlet": "manifest",
                                 "published": "manifest"}


def test_folders_are_read_recursively_and_other_files_ignored(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "deep.txt").write_text("Deep story.\n\nIt has text.")
    (tmp_path / "top.html").write_text("<html><body><p>Hello</p></body></html>")
    (tmp_path / "notes.md").write_text("not an article")
    sources, skipped = read(tmp_path)
    assert sorted(s.id for s in sources) == ["deep", "top"]
    assert {s.kind for s in sources} == {"text", "html"}
    assert skipped == []


def test_sidecar_overrides_manifest(tmp_path):
    (tmp_path / "story.txt").write_text("Headline\n\nBody text here.")
    (tmp_path / "manifest.json").write_text(json.dumps(
        {"story.txt": {"title": "From manifest", "outlet": "Manifest Times"}}))
    (tmp_path / "story.txt.meta.json").write_text(json.dumps(
        {"title": "From sidecar", "url": "https://example.org/story"}))
    (source,), _ = read(tmp_path)
    assert source.metadata == {"title": "From sidecar", "outlet": "Manifest Times",
                               "url": "https://example.org/story"}
    assert source.provenance == {"title": "sidecar", "outlet": "manifest", "url": "sidecar"}


def test_bad_sidecar_and_manifest_are_reported_but_the_article_is_kept(tmp_path):
    (tmp_path / "story.txt").write_text("Headline\n\nBody text here.")
    (tmp_path / "story.meta.json").write_text("{not json")
    (tmp_path / "manifest.json").write_text("[1, 2")
    sources, skipped = read(tmp_path)
    assert [s.id for s in sources] == ["story"]
    reasons = " ".join(s.reason for s in skipped)
    assert "sidecar ignored" in reasons and "manifest ignored" in reasons


def test_jsonl_records_with_broken_lines_and_wrong_types(tmp_path):
    lines = [
        json.dumps({"id": "a1", "title": "T", "outlet": "O", "published": "2023-01-02",
                    "text": "Some text."}),
        "{broken json",
        json.dumps(["not", "an", "object"]),
        json.dumps({"id": "a2", "text": 42}),
        json.dumps({"id": "a3"}),
        json.dumps({"id": "a4", "title": ["x"], "text": "ok"}),
        json.dumps({"url": "https://x.org/a", "html": "<p>Para</p>"}),
    ]
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(lines) + "\n")
    sources, skipped = read(path)
    assert [s.id for s in sources] == ["a1", "feed-7"]
    assert sources[0].metadata["outlet"] == "O" and sources[0].provenance["outlet"] == "jsonl"
    assert sources[1].kind == "html"
    assert [s.path.rsplit(":", 1)[1] for s in skipped] == ["2", "3", "4", "5", "6"]
    assert "not valid JSON" in skipped[0].reason
    assert "must be a string" in skipped[2].reason


def test_binary_empty_and_invalid_utf8_files_are_skipped_with_reasons(tmp_path):
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02PNG\x00" * 100)
    (tmp_path / "empty.txt").write_bytes(b"   \n")
    (tmp_path / "latin.txt").write_bytes("Café crème à la québécoise ".encode("latin-1") * 50)
    (tmp_path / "good.txt").write_text("A good article.\n\nWith text.")
    sources, skipped = read(tmp_path)
    assert [s.id for s in sources] == ["good"]
    reasons = {Path(s.path).name: s.reason for s in skipped}
    assert "binary" in reasons["binary.txt"]
    assert "empty" in reasons["empty.txt"]
    assert "not valid UTF-8" in reasons["latin.txt"]


def test_declared_encoding_and_bom_and_a_few_bad_bytes_are_decoded(tmp_path):
    (tmp_path / "latin.txt").write_bytes("Café crème, déjà vu.".encode("latin-1"))
    (tmp_path / "latin.txt.meta.json").write_text(json.dumps({"encoding": "latin-1"}))
    (tmp_path / "utf16.txt").write_bytes("Zaļā Josta ünïcode".encode("utf-16"))
    (tmp_path / "mostly.txt").write_bytes(("Plain words. " * 300).encode() + b"\xff end")
    sources, skipped = read(tmp_path)
    by_id = {s.id: s.content for s in sources}
    assert skipped == []
    assert by_id["latin"] == "Café crème, déjà vu."
    assert by_id["utf16"] == "Zaļā Josta ünïcode"
    assert by_id["mostly"].endswith("\ufffd end")


def test_gzipped_html_and_symlink_loops(tmp_path):
    with gzip.open(tmp_path / "page.html.gz", "wb") as fh:
        fh.write(b"<html><body><p>Zipped page</p></body></html>")
    (tmp_path / "sub").mkdir()
    os.symlink(tmp_path, tmp_path / "sub" / "loop")
    os.symlink(tmp_path / "missing", tmp_path / "dangling.txt")
    sources, skipped = read(tmp_path)
    assert [s.id for s in sources] == ["page"]
    assert isinstance(sources[0].content, bytes)
    reasons = " | ".join(s.reason for s in skipped)
    assert "link loop" in reasons and "broken symbolic link" in reasons


def test_missing_path_and_unsupported_file_are_reported(tmp_path):
    (tmp_path / "data.csv").write_text("a,b\n")
    _, skipped = read(tmp_path / "nope", tmp_path / "data.csv")
    assert "no such file" in skipped[0].reason
    assert "unsupported file type .csv" in skipped[1].reason


def test_article_ids_are_unique_and_safe(tmp_path):
    for folder in ("x", "y"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "index.txt").write_text("Same name.\n\nText.")
    (tmp_path / "weird name (1)?.txt").write_text("Weird.\n\nText.")
    sources, _ = read(tmp_path)
    ids = [s.id for s in sources]
    assert len(set(ids)) == 3
    assert "index" in ids and "index-2" in ids
    assert all(c.isalnum() or c in "_.-" for i in ids for c in i)


def test_big_jsonl_feeds_are_streamed_and_an_oversized_record_is_skipped(tmp_path, monkeypatch):
    import searchsvc.reading as reading

    monkeypatch.setattr(reading, "MAX_FILE_BYTES", 1000)  # a feed is not one file's worth
    monkeypatch.setattr(reading, "MAX_JSONL_LINE_BYTES", 400)
    records = [json.dumps({"id": f"r{i}", "text": f"Story {i} has some words."})
               for i in range(100)]
    records.insert(50, json.dumps({"id": "huge", "text": "x " * 500}))
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(records) + "\n")
    sources, skipped = read(feed)
    assert len(sources) == 100 and sources[-1].id == "r99"
    assert [s.path.rsplit(":", 1)[1] for s in skipped] == ["51"]
    assert "too large" in skipped[0].reason
    with gzip.open(tmp_path / "feed2.jsonl.gz", "wt") as fh:
        fh.write("\n".join(records[:3]))
    assert [s.id for s in read(tmp_path / "feed2.jsonl.gz")[0]] == ["r0", "r1", "r2"]
