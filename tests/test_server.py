"""A real server process (gunicorn, 2 workers) over HTTP: new generations are
picked up without a restart and without a failed request during the switch."""

from __future__ import annotations

import threading
import urllib.request
from pathlib import Path
from typing import Any

from conftest import SEEDS, http_get

from searchsvc import indexing

NEW_ARTICLE = ("Zanzibarian officials said on Monday that the harbour would reopen.\n\n"
               "The zanzibarian port authority confirmed the schedule.\n")


def _hammer(base: str, stop: threading.Event, results: list[tuple[int, str]]) -> None:
    """Query as fast as one client can until told to stop; record status and generation."""
    urls = ["/api/search?q=putin&per_page=3", "/healthz", "/?q=putin", "/api/stats"]
    i = 0
    while not stop.is_set():
        url = base + urls[i % len(urls)]
        i += 1
        try:
            status, body = http_get(url, timeout=10)
        except OSError as exc:  # a refused or dropped connection is a failed request too
            results.append((-1, repr(exc)))
            continue
        generation = body.get("generation", "") if isinstance(body, dict) else "html"
        results.append((status, generation))


def test_rebuild_and_add_switch_generations_without_failed_requests(
        tmp_path: Path, run_server: Any) -> None:
    index_dir = tmp_path / "index"
    indexing.build([SEEDS], index_dir)
    with run_server(index_dir, workers=2) as base:
        status, health = http_get(base + "/healthz")
        assert status == 200 and health["generation"] == "gen-000001"
        assert health["passages"] == 65

        stop = threading.Event()
        results: list[tuple[int, str]] = []
        clients = [threading.Thread(target=_hammer, args=(base, stop, results))
                   for _ in range(3)]
        for t in clients:
            t.start()
        try:
            indexing.build([SEEDS], index_dir)
            extra = tmp_path / "new" / "zanzibar.txt"
            extra.parent.mkdir()
            extra.write_text(NEW_ARTICLE, encoding="utf-8")
            indexing.add([extra], index_dir)
            # Every request after the switch sees it, whichever worker answers.
            after = [http_get(base + "/api/search?q=zanzibarian") for _ in range(12)]
        finally:
            stop.set()
            for t in clients:
                t.join(timeout=30)
        assert not any(t.is_alive() for t in clients)

        assert len(results) > 10
        failures = [r for r in results if r[0] != 200]
        assert failures == [], failures[:5]
        assert {g for _, g in results} <= {"gen-000001", "gen-000002", "gen-000003", "html"}
        for status, body in after:
            assert status == 200
            assert body["generation"] == "gen-000003"
            assert body["total"] >= 1
            assert "<mark>Zanzibarian</mark>" in body["hits"][0]["highlight"]
        status, stats = http_get(base + "/api/stats")
        assert stats["generation"] == "gen-000003" and stats["articles"] == 6


def test_empty_index_dir_is_503_until_a_build(tmp_path: Path, run_server: Any) -> None:
    index_dir = tmp_path / "index"
    index_dir.mkdir()
    with run_server(index_dir, workers=1) as base:
        status, body = http_get(base + "/healthz")
        assert status == 503 and body["error"]["code"] == 503
        status, page = http_get(base + "/")
        assert status == 503 and "unavailable" in page
        indexing.build([SEEDS], index_dir)
        status, body = http_get(base + "/healthz")
        assert status == 200 and body["generation"] == "gen-000001"

        # Real HTTP: headers, a refused write, an HTML page.
        with urllib.request.urlopen(base + "/?q=putin", timeout=10) as resp:
            assert resp.headers["X-Content-Type-Options"] == "nosniff"
            assert "script-src 'self'" in resp.headers["Content-Security-Policy"]
            assert "<mark>Putin</mark>" in resp.read().decode("utf-8")
        request = urllib.request.Request(base + "/api/search", data=b"q=x", method="POST")
        try:
            urllib.request.urlopen(request, timeout=10)
            raise AssertionError("POST was accepted")
        except urllib.error.HTTPError as exc:
            assert exc.code == 405 and exc.headers["Allow"] == "GET, HEAD, OPTIONS"


def test_bench_serve_and_load_runs_against_an_existing_index(seed_index: Path,
                                                              tmp_path: Path) -> None:
    """``python -m bench.searchsvc_bench --index-dir``: throughput without a rebuild."""
    from bench import searchsvc_bench

    out = searchsvc_bench.serve_and_load(seed_index, seconds=1.0, rounds=1, threads=2,
                                         warmup_passes=1, workdir=tmp_path)
    (load,) = out["rounds"]
    assert load["requests"] > 0 and load["errors"] == 0
    assert out["median_requests_per_s"] == load["requests_per_s"]
    assert out["peak_rss"]["processes"] == 3
