"""Shared fixtures: indexes built from the seeds or from small made-up corpora,
and a real server process for the over-HTTP tests.

Keep this file generic: fixtures here are used by several test files.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from searchsvc import indexing

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
VENV_BIN = Path(sys.executable).parent


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index folder built once per session from ``seeds/`` (treat it as read-only)."""
    index_dir = tmp_path_factory.mktemp("seed-index")
    indexing.build([SEEDS], index_dir)
    return index_dir


def write_corpus(folder: Path, files: dict[str, str],
                 manifest: dict[str, dict[str, str]] | None = None) -> Path:
    """Write article files (name -> text) and an optional manifest.json into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    if manifest is not None:
        (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return folder


MakeIndex = Callable[..., Path]


@pytest.fixture
def make_index(tmp_path: Path) -> MakeIndex:
    """Build an index from a small corpus: ``make_index(files, manifest=None) -> index_dir``."""
    counter = iter(range(1_000_000))

    def make(files: dict[str, str], manifest: dict[str, dict[str, str]] | None = None) -> Path:
        n = next(counter)
        corpus = write_corpus(tmp_path / f"corpus-{n}", files, manifest)
        index_dir = tmp_path / f"index-{n}"
        indexing.build([corpus], index_dir)
        return index_dir

    return make


@pytest.fixture(scope="module")
def app(seed_index: Path) -> Any:
    """The Flask app serving the seed index (API and page tests)."""
    from searchsvc.app import create_app

    return create_app({"INDEX_DIR": str(seed_index)})


@pytest.fixture
def client(app: Any) -> Any:
    return app.test_client()


def get_json(client: Any, url: str, status: int = 200, **kwargs: Any) -> dict[str, Any]:
    """GET a JSON endpoint, checking its status and content type."""
    resp = client.get(url, **kwargs)
    assert resp.status_code == status, (url, resp.status_code, resp.data[:500])
    assert resp.mimetype == "application/json"
    return resp.get_json()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="needs the playwright package")
    if not CHROMIUM.exists():
        pytest.skip("needs Chromium at /usr/bin/chromium")
    with sync_api.sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="module")
def base_url(seed_index: Path) -> Iterator[str]:
    """A real server process over the seed index, for the browser tests."""
    with running_server(seed_index, workers=1) as base:
        yield base


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser page; any console error (e.g. a CSP violation) fails the test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900},
                                  accept_downloads=True)
    new_page = context.new_page()
    errors: list[str] = []
    new_page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    new_page.on("pageerror", lambda e: errors.append(str(e)))
    new_page.set_default_timeout(10_000)
    yield new_page
    context.close()
    assert errors == []


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(url: str, timeout: float = 10) -> tuple[int, dict[str, Any] | str]:
    """GET a URL; returns (status, parsed JSON or text), HTTP errors included."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            status, body, ctype = resp.status, resp.read(), resp.headers.get("Content-Type", "")
    except urllib.error.HTTPError as exc:
        status, body, ctype = exc.code, exc.read(), exc.headers.get("Content-Type", "")
    text = body.decode("utf-8")
    return status, json.loads(text) if "json" in ctype else text


@contextmanager
def running_server(index_dir: Path, *, workers: int = 2, startup: float = 30) -> Iterator[str]:
    """A real server process on a free loopback port; yields its base URL.

    gunicorn is tried first (what production runs); ``flask run`` if it cannot start.
    The process group is always stopped, with bounded waits.
    """
    env = {**os.environ, "SEARCHSVC_INDEX_DIR": str(index_dir), "PYTHONUNBUFFERED": "1"}
    commands = [
        [str(VENV_BIN / "gunicorn"), "--workers", str(workers), "--threads", "4",
         "--timeout", "30", "--graceful-timeout", "5", "--bind", "127.0.0.1:{port}",
         "searchsvc.app:create_app()"],
        [sys.executable, "-m", "flask", "--app", "searchsvc.app:create_app()", "run",
         "--host", "127.0.0.1", "--port", "{port}", "--without-threads"],
    ]
    last_error = ""
    for template in commands:
        port = free_port()
        cmd = [part.replace("{port}", str(port)) for part in template]
        if not Path(cmd[0]).exists():
            continue
        log = open(index_dir.parent / f"server-{port}.log", "w+b")  # noqa: SIM115
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + startup
            while time.monotonic() < deadline and proc.poll() is None:
                try:
                    status, _ = http_get(base + "/healthz", timeout=2)
                    if status in (200, 503):
                        break
                except OSError:
                    pass
                time.sleep(0.1)
            else:
                log.seek(0)
                last_error = log.read().decode("utf-8", "replace")[-2000:]
                continue
            yield base
            return
        finally:
            _stop(proc)
            log.close()
    pytest.fail(f"no server could be started:\n{last_error}")


@pytest.fixture
def run_server() -> Callable[..., Any]:
    """``with run_server(index_dir) as base_url:`` starts a real server process."""
    return running_server


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    except ProcessLookupError:
        pass


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--runslow", action="store_true", default=False,
                     help="also run tests marked slow (long fuzzing and load runs)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``slow`` are skipped unless ``--runslow`` is given."""
    if config.getoption("--runslow"):
        return
    skip = pytest.mark.skip(reason="slow: run with --runslow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
