"""Benchmark runner: corpus -> build each engine -> query mix -> results.

Usage: ``python -m bench.run --sizes 10000,100000 [--repeat 3] [--out bench/out]``

For each size N it generates (or reuses) the corpus, builds every engine
(median over ``--repeat`` builds while N <= ``--build-repeat-max-n``, else
one build), runs the query mix (one warm-up pass, then ``--repeat`` measured
passes) and records p50/p95/p99 latency and ratios.  searchsvc is measured
through its CLI, library and HTTP server when those exist, else reported as
"not available".  Writes ``results.json``, ``results.md`` (also printed) and
``latency.svg`` into ``--out``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import whoosh

from .baselines import Fts5Engine, WhooshEngine
from .corpus import GENERATOR_VERSION, sidecar_paths, write_corpus
from .engine import BuildStats
from .plot import latency_svg
from .queries import Query, query_mix
from .searchsvc_bench import (
    HOST,
    GunicornServer,
    SearchsvcLibrary,
    add_visibility,
    api_path,
    availability,
    build_index,
    json_total,
    run_load,
)

REPO = Path(__file__).resolve().parent.parent
ENGINES = ("fts5", "whoosh", "searchsvc")


# ------------------------------------------------------------------ measuring


def percentiles(samples_ms: list[float]) -> dict[str, Any]:
    """p50/p95/p99/mean over all samples (ms)."""
    if not samples_ms:
        return {"samples": 0}
    a = np.asarray(samples_ms)
    return {"p50": round(float(np.percentile(a, 50)), 3),
            "p95": round(float(np.percentile(a, 95)), 3),
            "p99": round(float(np.percentile(a, 99)), 3),
            "mean": round(float(a.mean()), 3), "samples": int(a.size)}


def time_queries(search: Callable[[Query], Any], queries: list[Query], passes: int,
                 warmup: int = 1) -> tuple[dict[str, Any], list[Any]]:
    """Warm-up pass(es), then measured passes; latency stats and the last pass's answers."""
    for _ in range(warmup):
        for q in queries:
            search(q)
    samples: list[float] = []
    pass_p50: list[float] = []
    per_query: list[list[float]] = [[] for _ in queries]
    answers: list[Any] = []
    for _ in range(passes):
        this_pass: list[float] = []
        answers = []
        for i, q in enumerate(queries):
            t0 = time.perf_counter()
            answers.append(search(q))
            this_pass.append((time.perf_counter() - t0) * 1000)
            per_query[i].append(this_pass[-1])
        samples += this_pass
        pass_p50.append(round(float(np.median(this_pass)), 3))
    stats = percentiles(samples)
    stats["pass_p50s"] = pass_p50
    stats["per_query_median"] = [round(float(np.median(x)), 3) for x in per_query]
    return stats, answers


def median_build(build: Callable[[], BuildStats], repeats: int) -> dict[str, Any]:
    """Run a build ``repeats`` times; the median run's figures plus every run."""
    runs = [build() for _ in range(repeats)]
    secs = statistics.median(r.seconds for r in runs)
    mid = min(runs, key=lambda r: abs(r.seconds - secs))
    return {"repeats": repeats, **mid.as_dict(), "seconds": round(secs, 3),
            "passages_per_s": round(mid.passages / secs, 1) if secs else None,
            "runs_s": [round(r.seconds, 3) for r in runs]}


def _error(stage: str, exc: BaseException) -> dict[str, Any]:
    return {"status": "error", "stage": stage, "reason": f"{type(exc).__name__}: {exc}"[:1000]}


# ------------------------------------------------------------------ engines


def bench_baseline(engine: Fts5Engine | WhooshEngine, corpus: Path, index_dir: Path,
                   queries: list[Query], build_repeats: int, passes: int,
                   fresh_queries: int) -> dict[str, Any]:
    """Build and query one baseline engine."""
    out: dict[str, Any] = {"status": "ok"}
    try:
        out["build"] = median_build(lambda: engine.build(corpus, index_dir), build_repeats)
        out["latency_ms"], answers = time_queries(engine.search, queries, passes)
        out["totals"] = [a.total for a in answers]
        if isinstance(engine, WhooshEngine) and fresh_queries > 0:
            subset = queries[:fresh_queries]
            stats, _ = time_queries(engine.search_fresh_searcher, subset, passes, warmup=0)
            out["fresh_searcher_ms"] = {"p50": stats["p50"], "queries": len(subset),
                                        "samples": stats["samples"]}
    except Exception as exc:  # one engine failing must not lose the others' figures
        out = _error("baseline", exc)
    finally:
        engine.close()
    return out


def _http_latency(srv: GunicornServer, queries: list[Query], passes: int) -> dict[str, Any]:
    conn = http.client.HTTPConnection(HOST, srv.port, timeout=30)
    errors = [0]

    def get(q: Query) -> int:
        status, data = srv.get(api_path(q), conn=conn)
        if status != 200:
            errors[0] += 1
        return json_total(data)

    try:
        latency, totals = time_queries(get, queries, passes)
    finally:
        conn.close()
    return {"latency_ms": latency, "totals": totals, "errors": errors[0]}


def _cold_requests(srv: GunicornServer, queries: list[Query], n: int = 4) -> list[float]:
    """The first requests a fresh server answers (new connections, so both workers take
    some): what a user meets right after a restart, before any warm-up."""
    times = []
    for q in queries[:n]:
        t0 = time.perf_counter()
        srv.get(api_path(q), timeout=120)
        times.append(round((time.perf_counter() - t0) * 1000, 1))
    return times


def _load(srv: GunicornServer, queries: list[Query], workdir: Path,
          args: argparse.Namespace) -> dict[str, Any]:
    try:
        return run_load(srv, queries, workdir, threads=args.load_threads,
                        seconds=args.load_seconds, max_requests=args.load_max_requests)
    except Exception as exc:
        return _error("load", exc)


def bench_http(index_dir: Path, queries: list[Query], passes: int, workdir: Path,
               args: argparse.Namespace) -> dict[str, Any]:
    """Over HTTP with the response cache off (SEARCHSVC_CACHE=0): sequential latency,
    throughput, peak RSS and add-visibility; then, cache on, latency and throughput again.
    """
    out: dict[str, Any] = {"status": "ok", "workers": 2, "cache": False}
    with GunicornServer(index_dir, workers=2, log_dir=workdir, cache=False) as srv:
        out["startup_s"] = round(srv.start_seconds, 3)
        out["cold_requests_ms"] = _cold_requests(srv, queries)
        out.update(_http_latency(srv, queries, passes))
        out["load"] = _load(srv, queries, workdir, args)
        out["peak_rss"] = srv.peak_rss_kb()
        try:
            out["add_visibility"] = add_visibility(srv, index_dir, workdir)
        except Exception as exc:
            out["add_visibility"] = _error("add_visibility", exc)
    if not args.no_cached_http:
        try:
            with GunicornServer(index_dir, workers=2, log_dir=workdir, cache=True) as srv:
                cached = _http_latency(srv, queries, passes)
                out["cached"] = {"latency_ms": cached["latency_ms"],
                                 "errors": cached["errors"],
                                 "load": _load(srv, queries, workdir, args)}
        except Exception as exc:
            out["cached"] = _error("http cached", exc)
    return out


def bench_searchsvc(corpus: Path, index_dir: Path, n: int, queries: list[Query],
                    build_repeats: int, passes: int, workdir: Path,
                    args: argparse.Namespace) -> dict[str, Any]:
    """The full searchsvc pipeline: CLI build, library search, HTTP serving."""
    parts = availability()
    if parts["cli"] != "ok":
        return {"status": "not available", "reason": parts["cli"], "parts": parts}
    out: dict[str, Any] = {"status": "ok", "parts": parts}
    try:
        out["build"] = median_build(
            lambda: build_index(corpus, index_dir, n, timeout=args.build_timeout), build_repeats)
    except Exception as exc:
        return {**_error("build", exc), "parts": parts}
    if parts["library"] == "ok":
        lib: SearchsvcLibrary | None = None
        try:
            lib = SearchsvcLibrary(index_dir, cache=False)
            out["latency_ms"], answers = time_queries(lib.search, queries, passes)
            out["totals"] = [a.total for a in answers]
            out["response_cache"] = lib.cached
            if lib.cached is not None:  # the same mix with searchsvc's response cache on
                lib.close()
                lib = SearchsvcLibrary(index_dir, cache=True)
                out["cached_latency_ms"], _ = time_queries(lib.search, queries, passes)
        except Exception as exc:
            out["library"] = _error("library", exc)
        finally:
            if lib is not None:
                lib.close()
    else:
        out["library"] = {"status": "not available", "reason": parts["library"]}
    if args.no_http:
        out["http"] = {"status": "skipped", "reason": "--no-http"}
    elif parts["http"] != "ok":
        out["http"] = {"status": "not available", "reason": parts["http"]}
    else:
        try:
            out["http"] = bench_http(index_dir, queries, passes, workdir, args)
        except Exception as exc:
            out["http"] = _error("http", exc)
    return out


# ------------------------------------------------------------------ one size


def ensure_corpus(n: int, seed: int, out_dir: Path) -> tuple[Path, dict[str, Any]]:
    """The cached corpus for (N, seed, generator version); generated when missing."""
    path = out_dir / "corpus" / f"corpus-v{GENERATOR_VERSION}-n{n}-s{seed}.jsonl"
    actors, _ = sidecar_paths(path)
    if path.exists() and actors.exists():
        articles = sum(1 for _ in open(path, encoding="utf-8"))
        return path, {"passages": n, "articles": articles, "bytes": path.stat().st_size,
                      "cached": True, "path": str(path)}
    stats = write_corpus(n, path, seed)
    return path, {**stats, "cached": False, "path": str(path)}


def _ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 2) if a and b else None


def ratios(engines: dict[str, dict[str, Any]]) -> dict[str, dict[str, float | None]]:
    """Latency and build-rate ratios: every engine vs fts5, and searchsvc vs raw whoosh."""
    pairs = [(e, "fts5") for e in engines if e != "fts5"] + [("searchsvc", "whoosh")]
    out: dict[str, dict[str, float | None]] = {}
    for a, b in pairs:
        ra, rb = engines.get(a, {}), engines.get(b, {})
        if ra.get("status") != "ok" or rb.get("status") != "ok":
            continue
        la, lb = ra.get("latency_ms", {}), rb.get("latency_ms", {})
        entry = {p: _ratio(la.get(p), lb.get(p)) for p in ("p50", "p95", "p99")}
        entry["build_rate"] = _ratio(ra.get("build", {}).get("passages_per_s"),
                                     rb.get("build", {}).get("passages_per_s"))
        out[f"{a}/{b}"] = entry
    return out


def agreement(engines: dict[str, dict[str, Any]], n_queries: int) -> dict[str, str]:
    """How many queries got the same total as FTS5 (a sanity check, not a score)."""
    ref = engines.get("fts5", {}).get("totals")
    out: dict[str, str] = {}
    if not ref:
        return out
    for name, res in engines.items():
        totals = res.get("totals")
        if name != "fts5" and totals:
            same = sum(1 for x, y in zip(ref, totals, strict=False) if x == y)
            out[f"{name}_totals_equal_fts5"] = f"{same}/{n_queries}"
    return out


def run_size(n: int, args: argparse.Namespace, queries: list[Query]) -> dict[str, Any]:
    """Everything for one corpus size."""
    out_dir: Path = args.out
    corpus, corpus_info = ensure_corpus(n, args.seed, out_dir)
    build_repeats = args.repeat if n <= args.build_repeat_max_n else 1
    passes = args.repeat
    idx_root = out_dir / "indexes" / f"n{n}"
    engines: dict[str, dict[str, Any]] = {}
    try:
        for name in args.engines:
            print(f"[bench] N={n}: {name} ...", file=sys.stderr, flush=True)
            if name == "fts5":
                engines[name] = (bench_baseline(Fts5Engine(), corpus, idx_root / name, queries,
                                                build_repeats, passes, 0)
                                 if Fts5Engine.available()
                                 else {"status": "not available", "reason": "no FTS5 in sqlite"})
            elif name == "whoosh":
                engines[name] = bench_baseline(WhooshEngine(), corpus, idx_root / name, queries,
                                               build_repeats, passes, args.fresh_searcher_queries)
            elif name == "searchsvc":
                work = out_dir / "work" / f"n{n}"
                work.mkdir(parents=True, exist_ok=True)
                engines[name] = bench_searchsvc(corpus, idx_root / name, n, queries,
                                                build_repeats, passes, work, args)
    finally:
        if not args.keep_indexes:
            shutil.rmtree(idx_root, ignore_errors=True)
    return {"corpus": corpus_info, "build_repeats": build_repeats, "query_passes": passes,
            "engines": engines, "ratios": ratios(engines),
            "agreement": agreement(engines, len(queries))}


# ------------------------------------------------------------------ reporting


def _git(*args: str) -> str | None:
    try:
        return subprocess.run(["git", *args], cwd=REPO, text=True, capture_output=True,
                              timeout=10, check=False).stdout.strip()
    except OSError:
        return None


def meta(args: argparse.Namespace, queries: list[Query]) -> dict[str, Any]:
    """Where and how the figures were taken."""
    return {
        "started_utc": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "git_commit": _git("rev-parse", "--short", "HEAD") or None,
        "searchsvc_uncommitted_changes": bool(_git("status", "--porcelain", "--", "searchsvc")),
        "python": platform.python_version(),
        "platform": platform.platform(), "cpus": os.cpu_count(),
        "loadavg_at_start": [round(x, 2) for x in os.getloadavg()],
        "sqlite": sqlite3.sqlite_version, "whoosh": whoosh.versionstring(),
        "seed": args.seed, "repeat": args.repeat, "build_repeat_max_n": args.build_repeat_max_n,
        "n_queries": len(queries), "engines": list(args.engines),
        "notes": ["latency = one query incl. total, facets over all matches and 10 hits with "
                  "snippets; percentiles pool all measured passes after one warm-up pass",
                  "builds are repeated (median) only while N <= build_repeat_max_n",
                  "searchsvc build is the full CLI pipeline (clean + enrich + index) incl. "
                  "process start-up",
                  "peak RSS sums VmHWM over gunicorn master + workers (shared pages count "
                  "once per process)",
                  "searchsvc figures are taken with its response cache off (the mix repeats, "
                  "so a cache would answer every measured pass); 'cache on' rows show it on"],
    }


def _f(v: Any, nd: int = 2) -> str:
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:,.{nd}f}"
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)


def _meta_line(m: dict[str, Any]) -> str:
    return (f"{m['started_utc']} · commit {m['git_commit']} · Python {m['python']} · "
            f"SQLite {m['sqlite']} · Whoosh {m['whoosh']} · {m['cpus']} CPUs · "
            f"load avg at start {m['loadavg_at_start']} · {m['n_queries']} queries · "
            f"seed {m['seed']}")


def render_markdown(results: dict[str, Any]) -> str:
    """The results as markdown tables, one section per corpus size."""
    lines = ["# searchsvc benchmark", ""]
    runs = results["meta"].get("merged_runs", [results["meta"]])
    lines += [_meta_line(m) for m in runs] + [""]
    for n, size in results["sizes"].items():
        c = size["corpus"]
        lines += [f"## N = {int(n):,} passages ({c['articles']:,} articles)", ""]
        if len(runs) > 1:
            lines += [f"Run: {_meta_line(size['run_meta'])}", ""]
        lines += [
                  f"Builds: {size['build_repeats']} run(s) each (median). Queries: 1 warm-up "
                  f"pass + {size['query_passes']} measured pass(es).", "",
                  "| engine | build passages/s | index MB | p50 ms | p95 ms | p99 ms "
                  "| p50 × fts5 |", "|---|---:|---:|---:|---:|---:|---:|"]
        engines = size["engines"]
        fts_p50 = engines.get("fts5", {}).get("latency_ms", {}).get("p50")
        for name, res in engines.items():
            if res.get("status") != "ok":
                lines.append(f"| {name} | {res.get('status')}: {res.get('reason', '')} "
                             "| | | | | |")
                continue
            b, lat = res.get("build", {}), res.get("latency_ms", {})
            label = name + (" (library, cache off)" if name == "searchsvc" else "")
            mb = b.get("index_bytes", 0) / 1e6 if b else None
            lines.append(f"| {label} | {_f(b.get('passages_per_s'), 0)} | {_f(mb, 1)} "
                         f"| {_f(lat.get('p50'))} | {_f(lat.get('p95'))} | {_f(lat.get('p99'))} "
                         f"| {_f(_ratio(lat.get('p50'), fts_p50))} |")
            fresh = res.get("fresh_searcher_ms")
            if fresh:
                lines.append(f"| {name} (searcher per query, {fresh['queries']} queries) | | "
                             f"| {_f(fresh['p50'])} | | | {_f(_ratio(fresh['p50'], fts_p50))} |")
            cl = res.get("cached_latency_ms")
            if cl:
                lines.append(_lat_row(f"{name} (library, response cache on)", cl, fts_p50))
            http = res.get("http")
            if http and http.get("status") == "ok":
                lines.append(_lat_row(f"{name} (HTTP, sequential)", http.get("latency_ms", {}),
                                      fts_p50))
                hc = http.get("cached", {}).get("latency_ms")
                if hc:
                    lines.append(_lat_row(f"{name} (HTTP, cache on)", hc, fts_p50))
        lines.append("")
        http = engines.get("searchsvc", {}).get("http")
        if http and http.get("status") == "ok":
            load, vis = http.get("load", {}), http.get("add_visibility", {})
            cload = http.get("cached", {}).get("load", {})
            rss = http.get("peak_rss", {}).get("sum_kb", 0) / 1024
            lines += ["| searchsvc HTTP (2 workers) | value |", "|---|---:|",
                      f"| throughput, cache off ({load.get('threads')} threads) | "
                      f"{_f(load.get('requests_per_s'), 1)} req/s |",
                      f"| latency under load p50 / p99, cache off | {_f(load.get('p50_ms'))} / "
                      f"{_f(load.get('p99_ms'))} ms |",
                      f"| throughput, cache on | {_f(cload.get('requests_per_s'), 1)} req/s |",
                      f"| peak RSS, master + workers | {_f(rss, 0)} MB |",
                      f"| first requests after start (ms) | "
                      f"{', '.join(_f(t, 1) for t in http.get('cold_requests_ms', []))} |",
                      f"| `index add` visible after (first / stable) | "
                      f"{_f(vis.get('first_visible_s'))} / {_f(vis.get('stable_visible_s'))} s |",
                      ""]
        elif http:
            lines += [f"searchsvc HTTP: {http.get('status')} ({http.get('reason', '')})", ""]
        if size["ratios"]:
            lines += ["| ratio | p50 | p95 | p99 | build rate |", "|---|---:|---:|---:|---:|"]
            for k, r in size["ratios"].items():
                lines.append(f"| {k} | {_f(r['p50'])} | {_f(r['p95'])} | {_f(r['p99'])} "
                             f"| {_f(r['build_rate'])} |")
            lines.append("")
        if size["agreement"]:
            lines += ["Totals agreement: " + ", ".join(f"{k} {v}"
                                                       for k, v in size["agreement"].items()), ""]
    return "\n".join(lines) + "\n"


def _lat_row(label: str, lat: dict[str, Any], fts_p50: float | None) -> str:
    return (f"| {label} | | | {_f(lat.get('p50'))} | {_f(lat.get('p95'))} "
            f"| {_f(lat.get('p99'))} | {_f(_ratio(lat.get('p50'), fts_p50))} |")


def plot_series(results: dict[str, Any]) -> dict[str, list[tuple[int, float]]]:
    """(N, p50 ms) points per engine for the SVG."""
    series: dict[str, list[tuple[int, float]]] = {}
    for n, size in results["sizes"].items():
        for name, res in size["engines"].items():
            if res.get("status") != "ok":
                continue
            pts = [(name, res.get("latency_ms", {}).get("p50"))]
            if res.get("fresh_searcher_ms"):
                pts.append((f"{name} (searcher/query)", res["fresh_searcher_ms"]["p50"]))
            if isinstance(res.get("http"), dict) and res["http"].get("status") == "ok":
                pts.append((f"{name} (HTTP)", res["http"].get("latency_ms", {}).get("p50")))
            for label, p50 in pts:
                if p50:
                    series.setdefault(label, []).append((int(n), float(p50)))
    return series


def write_outputs(results: dict[str, Any], out_dir: Path) -> str:
    """results.json, results.md and latency.svg; returns the markdown."""
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "results.json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    md = render_markdown(results)
    (out_dir / "results.md").write_text(md, encoding="utf-8")
    (out_dir / "latency.svg").write_text(
        latency_svg(plot_series(results), "Query latency vs corpus size (p50)"), encoding="utf-8")
    return md


def merge_results(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Several runs as one: sizes side by side (e.g. 10k and 100k in one run, 1M in
    another, which takes most of an hour); each size keeps the meta of its own run."""
    merged: dict[str, Any] = {"meta": {"merged_runs": [r["meta"] for r in runs]},
                              "queries": runs[-1]["queries"], "sizes": {}}
    for r in runs:
        for n, size in r["sizes"].items():
            merged["sizes"][n] = {**size, "run_meta": r["meta"]}
    merged["sizes"] = dict(sorted(merged["sizes"].items(), key=lambda kv: int(kv[0])))
    return merged


# ------------------------------------------------------------------ CLI


def parse_sizes(text: str) -> list[int]:
    """'10000,100k,1M' -> [10000, 100000, 1000000]."""
    sizes = []
    for part in text.split(","):
        part = part.strip().lower()
        mult = {"k": 1_000, "m": 1_000_000}.get(part[-1:], 1)
        sizes.append(int(float(part.rstrip("km")) * mult))
    if any(s < 1 for s in sizes):
        raise argparse.ArgumentTypeError("sizes must be >= 1")
    return sizes


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options."""
    ap = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=parse_sizes, default=parse_sizes("10000,100000"))
    ap.add_argument("--repeat", type=int, default=3, help="measured query passes and builds")
    ap.add_argument("--out", type=Path, default=REPO / "bench" / "out")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--engines", type=lambda s: [e.strip() for e in s.split(",") if e.strip()],
                    default=list(ENGINES), help="comma list of " + ",".join(ENGINES))
    ap.add_argument("--build-repeat-max-n", type=int, default=20_000,
                    help="repeat builds only up to this N (larger: one build)")
    ap.add_argument("--fresh-searcher-queries", type=int, default=5)
    ap.add_argument("--no-http", action="store_true", help="skip the searchsvc HTTP part")
    ap.add_argument("--no-cached-http", action="store_true",
                    help="skip the second server run with searchsvc's response cache on")
    ap.add_argument("--load-threads", type=int, default=8)
    ap.add_argument("--load-seconds", type=float, default=10.0)
    ap.add_argument("--load-max-requests", type=int, default=20_000)
    ap.add_argument("--build-timeout", type=float, default=7200.0)
    ap.add_argument("--keep-indexes", action="store_true")
    ap.add_argument("--merge", type=Path, nargs="+", metavar="RESULTS_JSON",
                    help="run nothing: combine earlier runs' results.json (a later run's "
                         "size wins) into one results.json/.md/latency.svg in --out")
    args = ap.parse_args(argv)
    unknown = set(args.engines) - set(ENGINES)
    if unknown:
        ap.error(f"unknown engines: {', '.join(sorted(unknown))}")
    if args.repeat < 1:
        ap.error("--repeat must be >= 1")
    return args


def main(argv: list[str] | None = None) -> int:
    """Run every size, writing the outputs after each one."""
    args = parse_args(argv)
    if args.merge:
        md = write_outputs(merge_results([json.loads(p.read_text(encoding="utf-8"))
                                          for p in args.merge]), args.out)
        print(md)
        return 0
    queries = query_mix()
    results: dict[str, Any] = {"meta": meta(args, queries), "queries": queries, "sizes": {}}
    md = ""
    for n in args.sizes:
        results["sizes"][str(n)] = run_size(n, args, queries)
        md = write_outputs(results, args.out)
    print(md)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
