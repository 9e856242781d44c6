"""Faults during builds: kill -9, two builds at once, a full disk, a read-only folder.

Each leaves the serving generation untouched and searchable, and the next
build succeeds with no manual clean-up.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest
from support.corpus import write_jsonl_corpus

from searchsvc import indexing
from searchsvc.app import create_app
from searchsvc.searching import SearchRequest, SearchService

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEARCHSVC = [sys.executable, "-m", "searchsvc"]


def _cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*SEARCHSVC, *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout)


@contextmanager
def _background_build(corpus: Path, index_dir: Path) -> Iterator[subprocess.Popen[str]]:
    """``searchsvc index build`` in its own process group, always stopped on exit."""
    proc = subprocess.Popen([*SEARCHSVC, "index", "build", str(corpus), "--index-dir",
                             str(index_dir), "--json"], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        yield proc
    finally:
        if proc.poll() is None:
            with suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=30)


def _wait_for_building_dir(index_dir: Path, proc: subprocess.Popen[str],
                           timeout: float = 60) -> Path:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        found = list(index_dir.glob(".gen-*.building-*"))
        if found:
            return found[0]
        time.sleep(0.02)
    pytest.fail(f"no .gen-*.building-* dir appeared (build exit code {proc.poll()})")


def _assert_serves(index_dir: Path, generation: str, q: str = "Kremlin") -> None:
    """The generation is current, and searchable through the library and the API."""
    assert indexing.current_name(index_dir) == generation
    resp = SearchService(index_dir).search(SearchRequest(q=q))
    assert resp.total > 0 and resp.generation == generation
    body = create_app({"INDEX_DIR": str(index_dir)}).test_client().get(
        "/api/search", query_string={"q": q}).get_json()
    assert body["generation"] == generation and body["total"] == resp.total


@pytest.fixture(scope="module")
def big_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """2,000 articles: a build takes several seconds on two cores."""
    return write_jsonl_corpus(tmp_path_factory.mktemp("big") / "articles.jsonl", 2000)


def test_kill_9_during_a_build_leaves_the_old_index_and_the_next_build_recovers(
        tmp_path: Path, big_corpus: Path) -> None:
    index_dir = tmp_path / "index"
    first = indexing.build([SEEDS], index_dir)
    serving = SearchService(index_dir)
    before = serving.search(SearchRequest(q="Kremlin")).total
    with _background_build(big_corpus, index_dir) as proc:
        building = _wait_for_building_dir(index_dir, proc)
        time.sleep(1.0)  # let it get well into the work
        assert proc.poll() is None, "the build finished before it could be killed"
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        assert proc.returncode == -signal.SIGKILL
    assert building.exists()  # the killed build's leftovers are there...
    _assert_serves(index_dir, first.generation)  # ...but never served
    assert serving.search(SearchRequest(q="Kremlin")).total == before
    # The next build needs no clean-up: the kernel released the flock, the stale dir goes.
    result = _cli("index", "build", str(SEEDS), "--index-dir", str(index_dir))
    assert result.returncode == 0, result.stderr
    assert not building.exists() and not list(index_dir.glob(".gen-*"))
    assert not (index_dir / "CURRENT.tmp").exists()
    new = indexing.current_name(index_dir)
    assert new is not None and new > first.generation
    _assert_serves(index_dir, new)
    assert serving.search(SearchRequest(q="Kremlin")).generation == new


def _children(pid: int) -> list[int]:
    """Live (not zombie) processes whose parent is ``pid``, from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            state, ppid = stat.rsplit(")", 1)[1].split()[:2]
            if int(ppid) == pid and state != "Z":
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_shard_processes_stop_when_their_build_is_killed_alone(tmp_path: Path) -> None:
    """kill -9 of the build process only (not its group): its shards must not run on."""
    corpus = write_jsonl_corpus(tmp_path / "huge.jsonl", 12000)  # ~15 s of work per shard
    index_dir = tmp_path / "index"
    with _background_build(corpus, index_dir) as proc:
        deadline = time.monotonic() + 30
        while len(shards := _children(proc.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(shards) >= 2, "the build never started its shard processes"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        deadline = time.monotonic() + 5
        while any(_alive(pid) for pid in shards) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(_alive(pid) for pid in shards), "orphaned shards kept working"
    assert indexing.current_name(index_dir) is None  # nothing half-built was published


def test_two_builds_at_once_the_second_is_refused_and_nothing_is_corrupted(
        tmp_path: Path) -> None:
    # long enough to outlast two CLI start-ups on a loaded machine (800 did not, once)
    n = 3000
    corpus = write_jsonl_corpus(tmp_path / "corpus" / "articles.jsonl", n, word="tramway")
    index_dir = tmp_path / "index"
    first = indexing.build([SEEDS], index_dir)
    with _background_build(corpus, index_dir) as proc:
        _wait_for_building_dir(index_dir, proc)
        second = _cli("index", "build", str(SEEDS), "--index-dir", str(index_dir))
        add = _cli("index", "add", str(SEEDS / "manifest.json"), "--index-dir", str(index_dir))
        still_running = proc.poll() is None
        out, err = proc.communicate(timeout=180)
    assert still_running, "the first build ended before the second started"
    for refused in (second, add):
        assert refused.returncode == 1
        assert "another build or add is running" in refused.stderr
        assert "Traceback" not in refused.stderr
    assert proc.returncode == 0, err[-2000:]
    new = indexing.current_name(index_dir)
    assert new is not None and new > first.generation
    assert not list(index_dir.glob(".gen-*"))
    resp = SearchService(index_dir).search(SearchRequest(q="tramway"))
    assert resp.total == n and resp.generation == new  # one passage each has the word
    assert SearchService(index_dir).stats()["articles"] == n


# -- a real small filesystem: full, then read-only ------------------------------------------------


@pytest.fixture
def small_fs(tmp_path: Path) -> Iterator[Path]:
    """A 6 MiB tmpfs mounted for the test (needs root and mount permission; else skipped)."""
    mountpoint = tmp_path / "small"
    mountpoint.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", str(mountpoint)],
                          capture_output=True, text=True, timeout=30)
    if proc.returncode != 0:
        pytest.skip(f"mount is not permitted here: {proc.stderr.strip()}")
    try:
        yield mountpoint
    finally:
        subprocess.run(["umount", "-l", str(mountpoint)], capture_output=True, timeout=30)


def _fill(folder: Path) -> Path:
    """Write until the filesystem is full; returns the filler file."""
    filler = folder / "filler.bin"
    block = b"\0" * 65536
    with open(filler, "wb") as fh:
        with suppress(OSError):
            for _ in range(10_000):  # bounded: 640 MiB at most
                fh.write(block)
                fh.flush()
    return filler


def test_full_disk_and_read_only_folder_are_clear_errors_on_a_real_filesystem(
        small_fs: Path) -> None:
    index_dir = small_fs / "index"
    result = _cli("index", "build", str(SEEDS), "--index-dir", str(index_dir))
    assert result.returncode == 0, result.stderr
    first = indexing.current_name(index_dir)
    assert first is not None

    filler = _fill(small_fs)
    full = _cli("index", "build", str(SEEDS), "--index-dir", str(index_dir))
    assert full.returncode == 1
    assert "the disk is full" in full.stderr and "serving index is untouched" in full.stderr
    assert "Traceback" not in full.stderr
    assert not list(index_dir.glob(".gen-*"))
    _assert_serves(index_dir, first)
    add = _cli("index", "add", str(SEEDS / "000_fe215bb7cc4ef5d9.txt"), "--index-dir",
               str(index_dir))
    assert add.returncode == 1 and "the disk is full" in add.stderr
    _assert_serves(index_dir, first)
    filler.unlink()

    subprocess.run(["mount", "-o", "remount,ro", str(small_fs)], check=True, timeout=30)
    try:
        ro = _cli("index", "build", str(SEEDS), "--index-dir", str(index_dir))
        assert ro.returncode == 1
        assert "read-only" in ro.stderr and "serving index is untouched" in ro.stderr
        assert "Traceback" not in ro.stderr
        _assert_serves(index_dir, first)  # reading a read-only index works
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(small_fs)], check=True, timeout=30)

    again = _cli("index", "build", str(SEEDS), "--index-dir", str(index_dir))
    assert again.returncode == 0, again.stderr
    new = indexing.current_name(index_dir)
    assert new is not None and new > first
    _assert_serves(index_dir, new)
