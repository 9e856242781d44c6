"""Closed-loop HTTP load generator (run as a separate process from the runner).

Threads share nothing but a request budget; each keeps one keep-alive
``http.client`` connection to 127.0.0.1 and replays the given paths round
robin until the time or the request budget runs out.  Prints one JSON object.

Usage: ``python -m bench.loadgen --port P --paths FILE [--threads 8] [--seconds 10]
[--max-requests 20000]``
"""

from __future__ import annotations

import argparse
import http.client
import json
import threading
import time
from pathlib import Path

import numpy as np

HOST = "127.0.0.1"  # never anything else


def _worker(port: int, paths: list[str], offset: int, deadline: float, budget: list[int],
            lock: threading.Lock, latencies: list[float], errors: list[int]) -> None:
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    i = offset
    while time.perf_counter() < deadline:
        with lock:
            if budget[0] <= 0:
                break
            budget[0] -= 1
        path = paths[i % len(paths)]
        i += 1
        t0 = time.perf_counter()
        try:
            conn.request("GET", path)
            resp = conn.getresponse()
            resp.read()
            if resp.status != 200:
                errors[0] += 1
            else:
                latencies.append(time.perf_counter() - t0)
        except (OSError, http.client.HTTPException):
            errors[0] += 1
            conn.close()
            conn = http.client.HTTPConnection(HOST, port, timeout=10)
    conn.close()


def run(port: int, paths: list[str], threads: int, seconds: float,
        max_requests: int) -> dict[str, float | int]:
    """Drive the server; return requests, errors, throughput and latency percentiles."""
    lock = threading.Lock()
    budget = [max_requests]
    per_thread: list[list[float]] = [[] for _ in range(threads)]
    errors = [[0] for _ in range(threads)]
    t0 = time.perf_counter()
    deadline = t0 + seconds
    workers = [threading.Thread(target=_worker, daemon=True,
                                args=(port, paths, k * 7, deadline, budget, lock,
                                      per_thread[k], errors[k]))
               for k in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=seconds + 30)
    elapsed = time.perf_counter() - t0
    lat = np.array([x for lst in per_thread for x in lst]) * 1000
    ok = int(lat.size)
    out: dict[str, float | int] = {"threads": threads, "requests": ok,
                                   "errors": sum(e[0] for e in errors),
                                   "seconds": round(elapsed, 3),
                                   "requests_per_s": round(ok / elapsed, 1) if elapsed else 0.0}
    if ok:
        for p in (50, 95, 99):
            out[f"p{p}_ms"] = round(float(np.percentile(lat, p)), 3)
    return out


def main(argv: list[str] | None = None) -> int:
    """CLI entry point."""
    ap = argparse.ArgumentParser(prog="python -m bench.loadgen")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--paths", type=Path, required=True, help="file: one URL path per line")
    ap.add_argument("--threads", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--max-requests", type=int, default=20000)
    args = ap.parse_args(argv)
    paths = [p for p in args.paths.read_text(encoding="utf-8").splitlines() if p.strip()]
    if not paths:
        ap.error("no paths")
    print(json.dumps(run(args.port, paths, args.threads, args.seconds, args.max_requests)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
