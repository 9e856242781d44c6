"""Load during rebuilds: a real gunicorn server (2 workers) answers every request
while the index is replaced twice and extended, and switches to each new generation.

The default run is bounded (4 client threads, about 10 s); ``--runslow`` runs a
longer soak. Figures are printed (``pytest -s``) and quoted in docs/reliability.md.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from support.corpus import write_jsonl_corpus

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEARCHSVC = [sys.executable, "-m", "searchsvc"]
URLS = ["/api/search?q=putin&per_page=5", "/api/search?q=budget+council",
        "/api/search?q=%22prime+minister%22&sort=date", "/api/search?q=tram*&outlet=Valley+Times",
        "/api/stats", "/healthz", "/?q=putin", "/api/search?q=ceasefire&page=2&per_page=3"]
MAX_REQUESTS_PER_CLIENT = 20_000


@dataclass
class Tally:
    """What the clients saw: counts by status and generation, and every failure."""

    ok: int = 0
    failures: list[str] = field(default_factory=list)
    generations: Counter = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _get(url: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(url, timeout=15) as resp:
            return resp.status, resp.read(), resp.headers.get("Content-Type", "")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), exc.headers.get("Content-Type", "")


def _client(base: str, stop: threading.Event, deadline: float, tally: Tally, n: int) -> None:
    """Query in a loop until told to stop, the deadline, or the request cap."""
    for i in range(MAX_REQUESTS_PER_CLIENT):
        if stop.is_set() or time.monotonic() > deadline:
            return
        path = URLS[(i + n) % len(URLS)]
        try:
            status, body, ctype = _get(base + path)
            problem = None if status == 200 else f"{status} {body[:200]!r}"
            generation = "html"
            if problem is None and "json" in ctype:
                data: Any = json.loads(body)
                generation = data.get("generation", "?")
                if generation == "?":
                    problem = f"no generation in {path}: {str(data)[:200]}"
            elif problem is None and b"</html>" not in body:
                problem = f"truncated page {path}"
        except (OSError, ValueError) as exc:  # refused, reset, timed out, bad JSON
            problem, generation = f"{path}: {exc!r}", "-"
        with tally.lock:
            if problem:
                tally.failures.append(problem)
            else:
                tally.ok += 1
                tally.generations[generation] += 1


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*SEARCHSVC, *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=180)


def _json(url: str) -> dict[str, Any]:
    status, body, _ = _get(url)
    assert status == 200, (url, status, body[:300])
    return json.loads(body)


def _all_answer(base: str, generation: str, tries: int = 12) -> None:
    """Whichever worker answers, search and stats report the new generation."""
    for _ in range(tries):
        assert _json(base + "/api/search?q=council")["generation"] == generation
        assert _json(base + "/api/stats")["generation"] == generation


def run_load(tmp_path: Path, run_server: Any, *, clients: int, seconds: float,
             rebuilds: int) -> dict[str, Any]:
    """Serve, hammer, rebuild ``rebuilds`` times and add articles; returns the figures."""
    index_dir = tmp_path / "index"
    built = _cli("index", "build", str(SEEDS), "--index-dir", str(index_dir))
    assert built.returncode == 0, built.stderr
    extra = write_jsonl_corpus(tmp_path / "extra" / "council.jsonl", 150, word="tramway")
    added = tmp_path / "added" / "harbour.txt"
    added.parent.mkdir()
    added.write_text("Harbour pilots went on strike\n\nThe harbour pilots' union said on "
                     "Friday that its quixotically named strike would continue.\n")
    tally = Tally()
    switches: list[str] = []
    with run_server(index_dir, workers=2) as base:
        first = _json(base + "/healthz")["generation"]
        stop = threading.Event()
        started = time.monotonic()
        deadline = started + seconds + 120  # a hard stop even if the rebuilds are slow
        threads = [threading.Thread(target=_client, args=(base, stop, deadline, tally, n),
                                    daemon=True) for n in range(clients)]
        for t in threads:
            t.start()
        try:
            for n in range(rebuilds):
                sources = [str(SEEDS), str(extra)] if n % 2 == 0 else [str(SEEDS)]
                result = _cli("index", "build", *sources, "--index-dir", str(index_dir))
                assert result.returncode == 0, result.stderr
                generation = indexing_current(index_dir)
                _all_answer(base, generation)
                switches.append(generation)
                time.sleep(seconds / (rebuilds + 2))
            result = _cli("index", "add", str(added), "--index-dir", str(index_dir))
            assert result.returncode == 0, result.stderr
            generation = indexing_current(index_dir)
            _all_answer(base, generation)
            switches.append(generation)
            hits = _json(base + "/api/search?q=quixotically")
            assert hits["total"] == 1 and hits["generation"] == generation
            while time.monotonic() - started < seconds:
                time.sleep(0.1)
        finally:
            stop.set()
            for t in threads:
                t.join(timeout=30)
        duration = time.monotonic() - started
        assert not any(t.is_alive() for t in threads)
    figures = {"clients": clients, "seconds": round(duration, 1), "requests": tally.ok
               + len(tally.failures), "failed": len(tally.failures),
               "generations": [first, *switches], "served_by_generation":
               dict(sorted(tally.generations.items()))}
    print("\nload figures:", json.dumps(figures))
    report = os.environ.get("SEARCHSVC_LOAD_REPORT")
    if report:
        Path(report).write_text(json.dumps(figures, indent=2))
    assert tally.failures == [], tally.failures[:5]
    assert tally.ok > 50
    assert len(set(switches)) == rebuilds + 1 and switches == sorted(switches)
    # Clients saw the new generations, not only the first.
    assert len([g for g in tally.generations if g.startswith("gen-")]) >= 2
    return figures


def indexing_current(index_dir: Path) -> str:
    from searchsvc import indexing

    name = indexing.current_name(index_dir)
    assert name is not None
    return name


def test_rebuilds_and_adds_under_load_fail_no_request(tmp_path: Path, run_server: Any) -> None:
    run_load(tmp_path, run_server, clients=4, seconds=10, rebuilds=2)


@pytest.mark.slow
def test_rebuilds_under_load_soak(tmp_path: Path, run_server: Any) -> None:
    run_load(tmp_path, run_server, clients=8, seconds=90, rebuilds=8)
