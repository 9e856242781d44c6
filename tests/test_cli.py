"""The command line, end to end, as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from searchsvc.cli import main

SEEDS = Path("seeds")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    index_dir = tmp_path_factory.mktemp("cli-index")
    result = CliRunner().invoke(main, ["index", "build", str(SEEDS), "--index-dir",
                                       str(index_dir)])
    assert result.exit_code == 0, result.output
    return index_dir


def test_build_prints_a_summary(built, runner, tmp_path):
    result = runner.invoke(main, ["index", "build", "--index-dir", str(tmp_path / "ix"),
                                  "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["articles"] == 5 and summary["passages"] > 30 and summary["skipped"] == []


def test_build_reports_skipped_files_and_exits_3(runner, tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "ok.txt").write_text("A headline\n\nThe minister said the talks went well today.")
    (docs / "bin.txt").write_bytes(b"\x00\x01\x02" * 50)
    (docs / "empty.html").write_text("")
    result = runner.invoke(main, ["index", "build", str(docs), "--index-dir",
                                  str(tmp_path / "ix")])
    assert result.exit_code == 3
    assert "1 articles" in result.output and "skipped 2 file(s)" in result.output
    assert "bin.txt: binary file" in result.output and "empty.html: empty file" in result.output
    strict = runner.invoke(main, ["index", "build", str(docs), "--index-dir",
                                  str(tmp_path / "ix"), "--strict"])
    assert strict.exit_code == 1 and "--strict" in strict.output


def test_stats(built, runner):
    result = runner.invoke(main, ["index", "stats", "--index-dir", str(built)])
    assert result.exit_code == 0
    assert "articles     5" in result.output
    assert "Vladimir Putin" in result.output and "The Moscow Times" in result.output
    as_json = json.loads(runner.invoke(main, ["index", "stats", "--index-dir", str(built),
                                              "--json"]).output)
    assert as_json["generation"] == "gen-000001"


def test_search_json_has_the_documented_shape(built, runner):
    result = runner.invoke(main, ["search", "civilian casualties", "--index-dir", str(built),
                                  "--outlet", "Forbes", "--outlet", "The Moscow Times",
                                  "--from", "2023-01-01", "--limit", "3", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {"total", "hits", "facets"} <= data.keys()
    assert set(data["facets"]) == {"outlet", "actor", "speaker", "month"}
    assert 0 < len(data["hits"]) <= 3
    for hit in data["hits"]:
        assert {"passage_id", "article_id", "title", "outlet", "published", "text", "highlight",
                "actors", "speakers", "score"} <= hit.keys()
        assert hit["outlet"] in {"Forbes", "The Moscow Times"}
    assert {f["value"]: f["count"] for f in data["facets"]["outlet"]}.keys() >= {"Forbes"}


def test_search_text_output_and_bad_parameters(built, runner):
    result = runner.invoke(main, ["search", "Netanyahoo", "--index-dir", str(built)])
    assert result.exit_code == 0
    assert "Did you mean: netanyahu" in result.output
    hit = runner.invoke(main, ["search", "Leningrad", "--index-dir", str(built)])
    assert "[Leningrad]" in hit.output and "passages" in hit.output
    bad = runner.invoke(main, ["search", "*ism", "--index-dir", str(built)])
    assert bad.exit_code == 2 and "wildcard" in bad.output
    bad_date = runner.invoke(main, ["search", "x", "--from", "13/10/2023", "--index-dir",
                                    str(built)])
    assert bad_date.exit_code == 2 and "YYYY-MM-DD" in bad_date.output


def test_search_without_an_index_is_a_clear_error(runner, tmp_path):
    result = runner.invoke(main, ["search", "x", "--index-dir", str(tmp_path / "none")])
    assert result.exit_code == 1 and "searchsvc index build" in result.output


def test_clean_explain_lists_removed_lines_with_rules(runner):
    result = runner.invoke(main, ["clean", str(SEEDS / "001_6b2e10c6dedfae58.txt"), "--explain"])
    assert result.exit_code == 0
    assert "[repeated-headline]" in result.output or "[headline]" in result.output
    assert "[photo-credit] Getty Images" in result.output
    assert "Reklāma" in result.output.split("--- removed")[1]
    assert "Putin restated Moscow’s position" in result.output.split("--- removed")[0]


def test_clean_json_has_metadata_provenance_removed_and_passages(runner):
    result = runner.invoke(main, ["clean", str(SEEDS / "002_4192582332c1c77f.txt"), "--json"])
    data = json.loads(result.output)
    assert data["outlet"] == "The Times of Israel" and data["provenance"]["outlet"] == "manifest"
    assert data["published"] == "2023-10-24"
    assert all({"line", "text", "rule"} <= r.keys() for r in data["removed"])
    assert any(r["text"] == "Agencies contributed to this report." for r in data["removed"])
    passage = data["passages"][0]
    assert {"passage_id", "text", "actors", "speakers", "dates"} <= passage.keys()
    assert data["text"][passage["start"]:passage["end"]] == passage["text"]


def test_clean_infers_metadata_without_a_manifest(runner, tmp_path):
    src = tmp_path / "mt.txt"
    src.write_text((SEEDS / "004_9bb485b22de1bfd6.txt").read_text(encoding="utf-8"),
                   encoding="utf-8")
    data = json.loads(runner.invoke(main, ["clean", str(src), "--json"]).output)
    assert data["title"].startswith("Putin Expresses Concern")
    assert data["provenance"]["title"] == "inferred:headline"
    assert data["outlet"] == "The Moscow Times"
    assert data["provenance"]["outlet"].startswith("inferred")


def test_clean_out_dir_writes_one_file_per_input(runner, tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(main, ["clean", str(SEEDS), "--out-dir", str(out)])
    assert result.exit_code == 0
    files = sorted(p.name for p in out.iterdir())
    assert len(files) == 5 and files[0] == "000_fe215bb7cc4ef5d9.txt"
    assert "Support us" not in (out / "004_9bb485b22de1bfd6.txt").read_text(encoding="utf-8")


def test_index_add_replaces_and_reports(built, runner, tmp_path):
    index_dir = tmp_path / "ix"
    runner.invoke(main, ["index", "build", str(SEEDS), "--index-dir", str(index_dir)])
    result = runner.invoke(main, ["index", "add", str(SEEDS / "000_fe215bb7cc4ef5d9.txt"),
                                  "--index-dir", str(index_dir)])
    assert result.exit_code == 0, result.output
    assert "replaced 1 article(s): 000_fe215bb7cc4ef5d9" in result.output
    stats = json.loads(runner.invoke(main, ["index", "stats", "--index-dir", str(index_dir),
                                            "--json"]).output)
    assert stats["articles"] == 5 and stats["generation"] == "gen-000002"


def test_the_installed_command_runs_as_a_subprocess(tmp_path):
    index_dir = tmp_path / "ix"
    build = subprocess.run([sys.executable, "-m", "searchsvc", "index", "build", str(SEEDS),
                            "--index-dir", str(index_dir)], capture_output=True, text=True,
                           timeout=120)
    assert build.returncode == 0, build.stderr
    found = subprocess.run([sys.executable, "-m", "searchsvc", "search", "Peskov", "--json",
                            "--index-dir", str(index_dir)], capture_output=True, text=True,
                           timeout=60)
    assert json.loads(found.stdout)["total"] >= 2


def test_user_gazetteer_adds_actors_and_add_keeps_using_it(runner, tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(
        "Zorg merger talks\n\nZorg Industries said on Monday it would buy its rival. "
        "The Zorg board approved the plan.\n", encoding="utf-8")
    actors = tmp_path / "actors.json"
    actors.write_text(json.dumps({"version": 1, "actors": [
        {"name": "Zorg Industries", "kind": "organization", "aliases": ["Zorg"]}]}))
    index_dir = tmp_path / "ix"
    result = runner.invoke(main, ["index", "build", str(docs), "--index-dir", str(index_dir),
                                  "--actors", str(actors)])
    assert result.exit_code == 0, result.output
    found = json.loads(runner.invoke(main, ["search", "", "--actor", "Zorg Industries",
                                            "--index-dir", str(index_dir), "--json"]).output)
    assert found["total"] == 1
    assert {"value": "Zorg Industries", "count": 1, "selected": True} in found["facets"]["actor"]
    (docs / "b.txt").write_text("Zorg again\n\nZorg said it would hire 500 people in Riga.\n",
                                encoding="utf-8")
    runner.invoke(main, ["index", "add", str(docs / "b.txt"), "--index-dir", str(index_dir)])
    again = json.loads(runner.invoke(main, ["search", "", "--actor", "Zorg Industries",
                                            "--index-dir", str(index_dir), "--json"]).output)
    assert again["total"] == 2


def test_long_builds_show_a_progress_bar(runner, tmp_path):
    lines = [json.dumps({"id": f"a{i}", "outlet": "Wire", "published": "2024-01-02",
                         "title": f"Story {i}",
                         "text": f"The mayor said on Tuesday that plan number {i} would go ahead."})
             for i in range(60)]
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(lines), encoding="utf-8")
    result = runner.invoke(main, ["index", "build", str(feed), "--index-dir",
                                  str(tmp_path / "ix"), "--workers", "0"])
    assert result.exit_code == 0, result.output
    assert "Indexing articles" in result.output and "60 articles" in result.output
    quiet = runner.invoke(main, ["index", "build", str(feed), "--index-dir", str(tmp_path / "ix"),
                                 "--json", "--workers", "0"])
    assert "Indexing articles" not in quiet.output and json.loads(quiet.output)["articles"] == 60
