"""The benchmark harness runs end to end on a tiny corpus; the generator is deterministic.

Never asserts timings: only that the figures exist and have the expected shape.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # bench/ is a top-level folder, not an installed package
    sys.path.insert(0, str(REPO))

from bench import corpus, queries, run, searchsvc_bench  # noqa: E402
from bench.baselines import Fts5Engine, WhooshEngine  # noqa: E402
from bench.engine import parse_q  # noqa: E402


def _gen(tmp_path: Path, name: str, n: int, seed: int) -> Path:
    out = tmp_path / f"{name}.jsonl"
    assert corpus.main(["--passages", str(n), "--out", str(out), "--seed", str(seed)]) == 0
    return out


def test_generator_is_deterministic(tmp_path: Path) -> None:
    a, b = _gen(tmp_path, "a", 300, 7), _gen(tmp_path, "b", 300, 7)
    c = _gen(tmp_path, "c", 300, 8)
    assert a.read_bytes() == b.read_bytes()
    assert corpus.sidecar_paths(a)[0].read_bytes() == corpus.sidecar_paths(b)[0].read_bytes()
    assert a.read_bytes() != c.read_bytes()


def test_corpus_shape(tmp_path: Path) -> None:
    path = _gen(tmp_path, "c", 250, 0)
    articles = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    truth = [json.loads(line) for line in
             corpus.sidecar_paths(path)[0].read_text(encoding="utf-8").splitlines()]
    assert len(articles) == len(truth)
    passages = 0
    for art, t in zip(articles, truth, strict=True):
        assert set(art) == {"id", "url", "title", "outlet", "published", "text"}
        assert art["id"] == t["id"] and art["outlet"] in corpus.OUTLETS
        assert "2019-01-01" <= art["published"] <= "2025-12-31"
        texts = art["text"].split("\n\n")
        assert len(texts) == len(t["passage_actors"])
        for text, names in zip(texts, t["passage_actors"], strict=True):
            assert text.strip() and "\n" not in text
            assert all(name in text for name in names)  # the truth is in the text
        passages += len(texts)
    assert passages == 250
    assert all(8 <= len(a["text"].split("\n\n")) <= 12 for a in articles[:-1])
    assert len({n for t in truth for p in t["passage_actors"] for n in p}) > 20


def test_query_mix_is_fixed_and_varied() -> None:
    mix = queries.query_mix()
    assert mix == queries.query_mix() and len(mix) == 50
    assert {q["sort"] for q in mix} == {"relevance", "date"}
    assert any(q["outlets"] for q in mix) and any(q["actors"] for q in mix)
    assert any(q["q"].startswith('"') for q in mix)
    assert {len(parse_q(q["q"])) for q in mix} >= {1, 2, 3}


def test_baselines_agree_on_totals(tmp_path: Path) -> None:
    path = _gen(tmp_path, "c", 400, 0)
    mix = queries.query_mix()
    totals = []
    for engine in (Fts5Engine(), WhooshEngine()):
        stats = engine.build(path, tmp_path / engine.name)
        assert stats.passages == 400 and stats.index_bytes > 0
        results = [engine.search(q) for q in mix]
        engine.close()
        totals.append([r.total for r in results])
        for r in results:
            assert len(r.hits) == min(10, r.total)
            assert set(r.facets) == {"outlet", "actor", "month"}
            if r.total:
                assert sum(c for _, c in r.facets["outlet"]) == r.total
    assert totals[0] == totals[1]


def test_runner_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert run.main(["--sizes", "200", "--repeat", "1", "--out", str(out), "--no-http",
                     "--fresh-searcher-queries", "2"]) == 0
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert set(results) == {"meta", "queries", "sizes"}
    size = results["sizes"]["200"]
    assert {"corpus", "engines", "ratios", "agreement", "build_repeats"} <= set(size)
    for name in ("fts5", "whoosh"):
        eng = size["engines"][name]
        assert eng["status"] == "ok", eng
        assert {"passages_per_s", "index_bytes", "seconds"} <= set(eng["build"])
        assert {"p50", "p95", "p99"} <= set(eng["latency_ms"])
    assert "p50" in size["engines"]["whoosh"]["fresh_searcher_ms"]
    assert {"p50", "p95", "p99", "build_rate"} <= set(size["ratios"]["whoosh/fts5"])
    # searchsvc is measured when it exists, else reported as not available; never silent.
    svc = size["engines"]["searchsvc"]
    assert svc["status"] in {"ok", "not available", "error"}
    if svc["status"] == "ok":
        assert svc["build"]["passages"] == 200 and "http" in svc
    md = (out / "results.md").read_text(encoding="utf-8")
    assert "| fts5 |" in md and "| whoosh |" in md and "searchsvc" in md
    assert md in capsys.readouterr().out
    assert (out / "latency.svg").read_text(encoding="utf-8").startswith("<svg")


def test_separate_runs_merge_into_one_table_and_plot(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """1M passages take most of an hour: it runs alone and joins the smaller sizes after."""
    for n in ("120", "200"):
        assert run.main(["--sizes", n, "--repeat", "1", "--out", str(tmp_path / n),
                         "--engines", "fts5", "--no-http"]) == 0
    capsys.readouterr()
    out = tmp_path / "merged"
    assert run.main(["--merge", str(tmp_path / "200" / "results.json"),
                     str(tmp_path / "120" / "results.json"), "--out", str(out)]) == 0
    merged = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert list(merged["sizes"]) == ["120", "200"]  # by size, whatever the order given
    assert len(merged["meta"]["merged_runs"]) == 2
    md = (out / "results.md").read_text(encoding="utf-8")
    assert md.index("N = 120 passages") < md.index("N = 200 passages") and md.count("Run: ") == 2
    svg = (out / "latency.svg").read_text(encoding="utf-8")
    assert svg.startswith("<svg") and "fts5" in svg


@pytest.mark.skipif(searchsvc_bench.availability()["http"] != "ok",
                    reason="searchsvc HTTP app not available yet")
def test_http_part_runs(tmp_path: Path) -> None:
    """Server start, sequential latency, load from a second process, RSS, add-visibility."""
    out = tmp_path / "out"
    assert run.main(["--sizes", "200", "--repeat", "1", "--out", str(out),
                     "--engines", "searchsvc", "--load-seconds", "1",
                     "--load-threads", "2"]) == 0
    svc = json.loads((out / "results.json").read_text(encoding="utf-8"))["sizes"]["200"][
        "engines"]["searchsvc"]
    assert svc["status"] == "ok", svc
    http = svc["http"]
    assert http["status"] == "ok", http
    assert {"p50", "p95", "p99"} <= set(http["latency_ms"])
    assert "requests_per_s" in http["load"] and http["peak_rss"]["sum_kb"] > 0
    assert len(http["cold_requests_ms"]) == 4 and all(t > 0 for t in http["cold_requests_ms"])
    assert "first_visible_s" in http["add_visibility"] or "error" in http["add_visibility"]
    assert "latency_ms" in http["cached"] or http["cached"].get("status") == "error"
