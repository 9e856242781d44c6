"""The searchsvc side of the benchmark: CLI build, library search, HTTP server.

Everything here is guarded: while a piece of searchsvc does not exist yet,
``availability()`` says why and the runner reports "searchsvc: not available".

Interfaces used (the contract the integrator checks):

* build: ``python -m searchsvc index build FILE.jsonl --index-dir DIR``
* add:   ``python -m searchsvc index add ONE.jsonl --index-dir DIR``
* library: ``SearchService(index_dir).search(SearchRequest(q=, outlets=, actors=, sort=,
  page=1, per_page=10))`` -> ``.total``, ``.hits``, ``.facets``
* HTTP: ``gunicorn -w 2 -b 127.0.0.1:PORT 'searchsvc.app:create_app()'`` with
  ``SEARCHSVC_INDEX_DIR``; ``GET /api/search?q=&outlet=&actor=&sort=`` -> JSON
"""

from __future__ import annotations

import dataclasses
import http.client
import importlib
import importlib.util
import inspect
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from .engine import FACET_LIMIT, BuildStats, SearchResult, dir_size, top_facet
from .queries import Query

HOST = "127.0.0.1"  # all traffic stays local
# The query mix's "date" means newest first; "-date" is searchsvc's descending sort.
# INTEGRATOR: check this against SearchRequest's documented sort values.
DATE_SORT = "-date"
FACET_NAMES = {"outlet": "outlet", "outlets": "outlet", "actor": "actor", "actors": "actor",
               "month": "month", "months": "month"}


def _sort(query: Query) -> str:
    return DATE_SORT if query["sort"] == "date" else "relevance"


def availability() -> dict[str, str]:
    """Per part (cli, library, http): "ok" or why it cannot run yet."""
    def spec(name: str) -> bool:
        try:
            return importlib.util.find_spec(name) is not None
        except ModuleNotFoundError:
            return False

    parts: dict[str, str] = {}
    parts["cli"] = ("ok" if spec("searchsvc.__main__") and spec("searchsvc.cli")
                    else "no searchsvc.__main__/searchsvc.cli module")
    try:
        mod = importlib.import_module("searchsvc.searching")
        ok = hasattr(mod, "SearchService") and hasattr(mod, "SearchRequest")
        parts["library"] = "ok" if ok else "searchsvc.searching lacks SearchService/SearchRequest"
    except Exception as exc:  # any import failure means "not available"
        parts["library"] = f"import searchsvc.searching failed: {exc!r}"
    if not spec("gunicorn"):
        parts["http"] = "gunicorn not installed"
    else:
        try:
            app = importlib.import_module("searchsvc.app")
            parts["http"] = "ok" if hasattr(app, "create_app") else "searchsvc.app lacks create_app"
        except Exception as exc:  # any import failure means "not available"
            parts["http"] = f"import searchsvc.app failed: {exc!r}"
    return parts


def _cli(*args: str | Path, timeout: float) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "searchsvc", *map(str, args)],
                          capture_output=True, text=True, timeout=timeout, check=False)


def _tail(text: str, n: int = 800) -> str:
    return text[-n:].strip()


def _first_error(log: str) -> str:
    """The first exception line of a log (the cause), else its tail."""
    for line in log.splitlines():
        if re.match(r"[\w.]*(Error|Exception)\b.*:", line):
            return line.strip()[:500]
    return _tail(log)


def build_index(corpus: Path, index_dir: Path, passages: int,
                timeout: float = 7200) -> BuildStats:
    """Full pipeline build (clean + enrich + index) through the CLI, timed end to end."""
    if index_dir.exists():
        shutil.rmtree(index_dir)
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    proc = _cli("index", "build", corpus, "--index-dir", index_dir, timeout=timeout)
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"index build exited {proc.returncode}: {_tail(proc.stderr)}")
    return BuildStats(passages=passages, seconds=seconds, index_bytes=dir_size(index_dir))


# ------------------------------------------------------------------ result conversion


def _plain(obj: Any) -> Any:
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return dataclasses.asdict(obj)
    if hasattr(obj, "_asdict"):
        return obj._asdict()
    return obj


def _facet_values(values: Any) -> dict[str, int]:
    """Accept {value: count}, [(value, count)], [{"value"|"name"|"key", "count"}] or objects."""
    values = _plain(values)
    if isinstance(values, dict):
        return {str(k): int(v) for k, v in values.items() if isinstance(v, int | float)}
    out: dict[str, int] = {}
    for item in values or []:
        item = _plain(item)
        if isinstance(item, list | tuple) and len(item) >= 2:
            out[str(item[0])] = int(item[1])
        elif isinstance(item, dict):
            key = next((item[k] for k in ("value", "name", "key", "label") if k in item), None)
            if key is not None and "count" in item:
                out[str(key)] = int(item["count"])
    return out


def to_result(total: Any, hits: Any, facets: Any) -> SearchResult:
    """Normalise a searchsvc answer (library object or JSON) to the common shape."""
    facets = _plain(facets) or {}
    norm: dict[str, list[tuple[str, int]]] = {}
    if isinstance(facets, dict):
        for name, values in facets.items():
            key = FACET_NAMES.get(str(name), str(name))
            norm[key] = top_facet(_facet_values(values))
    return SearchResult(total=int(total or 0), hits=[_plain(h) for h in list(hits or [])[:10]],
                        facets=norm)


class SearchsvcLibrary:
    """searchsvc used as a library: one SearchService, reused for every query."""

    name = "searchsvc"

    def __init__(self, index_dir: Path, cache: bool = False) -> None:
        mod = importlib.import_module("searchsvc.searching")
        self._request = mod.SearchRequest
        fields = {f.name for f in dataclasses.fields(mod.SearchRequest)}
        self._extra = {"facet_limit": FACET_LIMIT} if "facet_limit" in fields else {}
        # The query mix repeats, so a response cache would turn every measured pass into
        # cache hits: measure with it off unless asked (the runner records both).
        params = inspect.signature(mod.SearchService).parameters
        kwargs = {"cache_responses": cache} if "cache_responses" in params else {}
        self.cached = cache if kwargs else None
        self.svc = mod.SearchService(index_dir, **kwargs)

    def search(self, query: Query) -> SearchResult:
        """One library search, normalised."""
        resp = self.svc.search(self._request(q=query["q"], outlets=list(query["outlets"]),
                                             actors=list(query["actors"]), sort=_sort(query),
                                             page=1, per_page=10, **self._extra))
        return to_result(resp.total, resp.hits, resp.facets)

    def close(self) -> None:
        """Close the service if it can be closed."""
        close = getattr(self.svc, "close", None)
        if callable(close):
            close()


# ------------------------------------------------------------------ HTTP


def api_path(query: Query) -> str:
    """The /api/search URL path for a query."""
    params: list[tuple[str, str]] = [("q", query["q"])]
    params += [("outlet", o) for o in query["outlets"]]
    params += [("actor", a) for a in query["actors"]]
    params.append(("sort", _sort(query)))
    return "/api/search?" + urlencode(params)


def json_total(data: Any) -> int:
    """Total matches from a JSON answer (``total``, else ``count``, else number of hits)."""
    if isinstance(data, dict):
        for key in ("total", "count", "num_found"):
            if isinstance(data.get(key), int):
                return int(data[key])
        for key in ("hits", "results"):
            if isinstance(data.get(key), list):
                return len(data[key])
    return 0


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def _children(pid: int) -> list[int]:
    kids: list[int] = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            kids.append(int(entry))
    return kids


def _status_kb(pid: int, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


class GunicornServer:
    """A gunicorn serving searchsvc on 127.0.0.1, started and stopped by us (by pid)."""

    def __init__(self, index_dir: Path, workers: int = 2, log_dir: Path | None = None,
                 app: str = "searchsvc.app:create_app()", cache: bool = False) -> None:
        self.index_dir = index_dir
        self.app = app
        self.cache = cache
        self.workers = workers
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None
        self.log_dir = log_dir or Path(tempfile.mkdtemp(prefix="searchsvc-bench-"))
        self.start_seconds = 0.0

    def __enter__(self) -> GunicornServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self, ready_timeout: float = 120.0) -> None:
        """Start gunicorn and wait (bounded) until /api/search answers 200."""
        env = {**os.environ, "SEARCHSVC_INDEX_DIR": str(self.index_dir),
               "SEARCHSVC_CACHE": "1" if self.cache else "0"}
        self.log_dir.mkdir(parents=True, exist_ok=True)
        log = open(self.log_dir / f"gunicorn-cache{int(self.cache)}.log", "wb")  # closed in stop()
        self._log = log
        t0 = time.perf_counter()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-w", str(self.workers), "-b",
             f"{HOST}:{self.port}", self.app],
            env=env, stdout=log, stderr=subprocess.STDOUT)
        deadline = t0 + ready_timeout
        while time.perf_counter() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited {self.proc.returncode}: "
                                   f"{_first_error(self.log_text())}")
            try:
                status, _ = self.get("/api/search?" + urlencode({"q": "the"}), timeout=5)
                if status == 200:
                    self.start_seconds = time.perf_counter() - t0
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn not ready after {ready_timeout:.0f}s")

    def log_text(self) -> str:
        """What gunicorn printed so far."""
        try:
            return (self.log_dir / f"gunicorn-cache{int(self.cache)}.log").read_text(
                errors="replace")
        except OSError:
            return ""

    def get(self, path: str, conn: http.client.HTTPConnection | None = None,
            timeout: float = 30) -> tuple[int, Any]:
        """GET a path; JSON-decoded body.  Uses ``conn`` (keep-alive) when given."""
        own = conn is None
        c = conn or http.client.HTTPConnection(HOST, self.port, timeout=timeout)
        try:
            c.request("GET", path)
            resp = c.getresponse()
            body = resp.read()
        finally:
            if own:
                c.close()
        try:
            return resp.status, json.loads(body)
        except ValueError:
            return resp.status, None

    def pids(self) -> list[int]:
        """Master and worker pids."""
        if self.proc is None or self.proc.poll() is not None:
            return []
        return [self.proc.pid, *_children(self.proc.pid)]

    def peak_rss_kb(self) -> dict[str, int]:
        """VmHWM of master + workers (their sum counts copy-on-write pages once per process)."""
        per = {str(pid): _status_kb(pid, "VmHWM") for pid in self.pids()}
        return {"sum_kb": sum(per.values()), "processes": len(per),
                "max_single_kb": max(per.values(), default=0)}

    def stop(self, timeout: float = 20.0) -> None:
        """SIGTERM the master (it stops its workers), SIGKILL if it lingers."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                for pid in _children(self.proc.pid):
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
                self.proc.kill()
                self.proc.wait(timeout=10)
        log = getattr(self, "_log", None)
        if log is not None:
            log.close()
            self._log = None


def run_load(server: GunicornServer, queries: list[Query], workdir: Path, threads: int = 8,
             seconds: float = 10.0, max_requests: int = 20000) -> dict[str, Any]:
    """Concurrent throughput, measured by ``bench.loadgen`` in a second process."""
    paths_file = workdir / "load-paths.txt"
    paths_file.write_text("\n".join(api_path(q) for q in queries) + "\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "bench.loadgen", "--port", str(server.port), "--paths",
         str(paths_file), "--threads", str(threads), "--seconds", str(seconds),
         "--max-requests", str(max_requests)],
        capture_output=True, text=True, timeout=seconds + 120, check=False,
        cwd=Path(__file__).resolve().parent.parent)
    if proc.returncode != 0:
        raise RuntimeError(f"loadgen exited {proc.returncode}: {_tail(proc.stderr)}")
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


VISIBILITY_TOKEN = "zqxvisibilityprobe"


def add_visibility(server: GunicornServer, index_dir: Path, workdir: Path,
                   timeout: float = 120.0, poll_s: float = 0.05) -> dict[str, Any]:
    """Time from starting ``index add`` of one article until a query only it matches shows it.

    Polls over fresh connections (so both workers are asked); ``stable_s`` is when
    5 polls in a row saw it.
    """
    nonce = "".join(chr(ord("a") + int(d)) for d in str(time.time_ns())[-8:])
    token = VISIBILITY_TOKEN + nonce
    one = workdir / "visibility-article.jsonl"
    article = {
        "id": f"visibility-{nonce}", "url": f"https://www.example.com/visibility/{nonce}",
        "title": f"Visibility probe {token}", "outlet": "The Morning Ledger",
        "published": "2025-06-30",
        "text": (f"The benchmark probe {token} was added while the server was running. "
                 f"Officials said the probe {token} must become searchable quickly.\n\n"
                 "A second paragraph keeps the article shaped like the others in the corpus. "
                 "It carries no special words at all."),
    }
    one.write_text(json.dumps(article) + "\n", encoding="utf-8")
    path = "/api/search?" + urlencode({"q": token})
    status, data = server.get(path)
    if status == 200 and json_total(data) > 0:
        return {"error": "probe token already matches before the add"}
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "searchsvc", "index", "add", str(one),
                             "--index-dir", str(index_dir)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    add_seconds: float | None = None
    first: float | None = None
    streak = polls = 0
    deadline = t0 + timeout
    while time.perf_counter() < deadline:
        if add_seconds is None and proc.poll() is not None:
            add_seconds = time.perf_counter() - t0
            if proc.returncode != 0:
                return {"error": f"index add exited {proc.returncode}: "
                                 f"{_tail(proc.stderr.read() if proc.stderr else '')}"}
        polls += 1
        try:
            status, data = server.get(path, timeout=10)
            seen = status == 200 and json_total(data) > 0
        except OSError:
            seen = False
        if seen:
            first = first if first is not None else time.perf_counter() - t0
            streak += 1
            if streak >= 5 and add_seconds is not None:
                break
        else:
            streak = 0
        time.sleep(poll_s)
    if proc.poll() is None:
        proc.kill()
    proc.communicate(timeout=10)
    stable = time.perf_counter() - t0 if streak >= 5 else None
    return {"add_command_s": _r(add_seconds), "first_visible_s": _r(first),
            "stable_visible_s": _r(stable), "polls": polls,
            "timed_out": first is None}


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 3)


def serve_and_load(index_dir: Path, *, seconds: float = 10.0, rounds: int = 3,
                   threads: int = 8, cache: bool = False, warmup_passes: int = 2,
                   workdir: Path | None = None) -> dict[str, Any]:
    """Throughput against an index that already exists (no build): what ``bench.run``
    measures for "throughput, cache off", repeated ``rounds`` times on one server.

    Starts gunicorn (2 workers) on ``index_dir``, sends the query mix ``warmup_passes``
    times over one connection, then runs ``bench.loadgen`` ``rounds`` times.
    """
    from .queries import query_mix

    queries = query_mix()
    workdir = workdir or Path(tempfile.mkdtemp(prefix="searchsvc-load-"))
    workdir.mkdir(parents=True, exist_ok=True)
    with GunicornServer(index_dir, workers=2, log_dir=workdir, cache=cache) as srv:
        conn = http.client.HTTPConnection(HOST, srv.port, timeout=30)
        try:
            for _ in range(warmup_passes):
                for q in queries:
                    srv.get(api_path(q), conn=conn)
        finally:
            conn.close()
        loads = [run_load(srv, queries, workdir, threads=threads, seconds=seconds)
                 for _ in range(rounds)]
        rss = srv.peak_rss_kb()
    rates = sorted(x.get("requests_per_s", 0.0) for x in loads)
    return {"index_dir": str(index_dir), "cache": cache, "rounds": loads,
            "median_requests_per_s": rates[len(rates) // 2], "peak_rss": rss}


def main(argv: list[str] | None = None) -> int:
    """``python -m bench.searchsvc_bench --index-dir DIR``: serve an existing index, load it."""
    import argparse

    ap = argparse.ArgumentParser(prog="python -m bench.searchsvc_bench",
                                 description=serve_and_load.__doc__)
    ap.add_argument("--index-dir", type=Path, required=True)
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--threads", type=int, default=8)
    ap.add_argument("--cache", action="store_true", help="response cache on (default off)")
    args = ap.parse_args(argv)
    out = serve_and_load(args.index_dir, seconds=args.seconds, rounds=args.rounds,
                         threads=args.threads, cache=args.cache)
    for load in out["rounds"]:
        print(json.dumps(load))
    print(json.dumps({k: v for k, v in out.items() if k != "rounds"}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
