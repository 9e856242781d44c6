"""The ``searchsvc`` command: a thin shell over the library.

Every command parses options, calls one library function and prints its
result; no pipeline, index or search logic lives here.

Exit codes: 0 success; 1 failure (nothing changed); 2 usage error;
3 the build succeeded but some files were skipped (see the summary).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from . import indexing, pipeline
from .enriching import Gazetteer
from .indexing import IndexProblem
from .models import Article, Skipped
from .querying import QueryError
from .reading import iter_sources
from .searching import SORTS, SearchRequest, SearchService

DEFAULT_SOURCES = ("seeds",)
EXIT_SKIPPED = 3


def default_index_dir() -> str:
    return os.environ.get("SEARCHSVC_INDEX_DIR", "index")


index_dir_option = click.option(
    "--index-dir", type=click.Path(file_okay=False), default=default_index_dir,
    show_default="$SEARCHSVC_INDEX_DIR or index", help="Index folder.")
actors_option = click.option(
    "--actors", "actors_files", multiple=True, type=click.Path(exists=True, dir_okay=False),
    help="Extra gazetteer JSON file (repeatable).")


def _echo_json(payload: Any) -> None:
    click.echo(json.dumps(payload, ensure_ascii=False, indent=2))


def _fail(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


@click.group()
@click.version_option(package_name="searchsvc")
def main() -> None:
    """searchsvc: search news passages for who said what, where and when."""


# -- index ------------------------------------------------------------------------------------


@main.group("index")
def index_group() -> None:
    """Build, extend and inspect the passage index."""


def _print_report(report: indexing.BuildReport, as_json: bool, verb: str) -> None:
    if as_json:
        _echo_json(report.to_dict())
        return
    click.echo(f"{verb} {report.generation}: {report.articles} articles, "
               f"{report.passages} passages in {report.seconds:.2f} s "
               f"({report.passages / max(report.seconds, 1e-9):,.0f} passages/s)")
    if report.replaced:
        click.echo(f"replaced {len(report.replaced)} article(s): {', '.join(report.replaced)}")
    if report.skipped:
        click.echo(f"skipped {len(report.skipped)} file(s):")
        for s in report.skipped:
            click.echo(f"  {s.path}: {s.reason}")


class _Bar:
    """A click progress bar that appears only for builds long enough to need one."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.bar: Any = None

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total < 50:
            return
        if self.bar is None:
            self.bar = click.progressbar(length=total, label="Indexing articles", file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


@index_group.command("build")
@click.argument("sources", nargs=-1, type=click.Path())
@index_dir_option
@actors_option
@click.option("--strict", is_flag=True, help="Fail (publishing nothing) if any file is skipped.")
@click.option("--workers", type=click.IntRange(0, 64), default=None,
              help="Processes that clean, enrich and each write one index segment "
                   "(default: one per core for 64+ sources; 0 or 1 = this process only).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def index_build(sources: tuple[str, ...], index_dir: str, actors_files: tuple[str, ...],
                strict: bool, workers: int | None, as_json: bool) -> None:
    """Build a new index generation from SOURCES (files or folders; default: seeds/).

    The new generation becomes current only once it is complete and verified;
    a failed or interrupted build leaves the serving index untouched.
    """
    bar = _Bar(enabled=not as_json)
    try:
        report = indexing.build(sources or DEFAULT_SOURCES, index_dir, actors_files=actors_files,
                                progress=bar, strict=strict, workers=workers)
    except IndexProblem as exc:
        bar.close()
        _fail(str(exc))
        return
    bar.close()
    _print_report(report, as_json, "built")
    if report.skipped:
        sys.exit(EXIT_SKIPPED)


@index_group.command("add")
@click.argument("files", nargs=-1, required=True, type=click.Path())
@index_dir_option
@actors_option
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def index_add(files: tuple[str, ...], index_dir: str, actors_files: tuple[str, ...],
              as_json: bool) -> None:
    """Add FILES to the index; an article already indexed is replaced."""
    try:
        report = indexing.add(files, index_dir, actors_files=actors_files)
    except IndexProblem as exc:
        _fail(str(exc))
        return
    _print_report(report, as_json, "added to")
    if report.skipped:
        sys.exit(EXIT_SKIPPED)


@index_group.command("stats")
@index_dir_option
@click.option("--json", "as_json", is_flag=True)
def index_stats(index_dir: str, as_json: bool) -> None:
    """Generation, build time, counts, top outlets and actors."""
    try:
        stats = SearchService(index_dir).stats()
    except IndexProblem as exc:
        _fail(str(exc))
        return
    if as_json:
        _echo_json(stats)
        return
    click.echo(f"generation   {stats['generation']} (built {stats['built_at']}, "
               f"{stats['build_seconds']} s)")
    click.echo(f"articles     {stats['articles']}")
    click.echo(f"passages     {stats['passages']}")
    click.echo(f"skipped      {stats['skipped']}")
    for name in ("outlet", "actor", "speaker"):
        values = ", ".join(f"{v['value']} ({v['count']})" for v in stats["facets"][name])
        click.echo(f"top {name + 's':<9}{values}")


# -- search -----------------------------------------------------------------------------------


@main.command("search")
@click.argument("query", default="")
@click.option("--outlet", "outlets", multiple=True, help="Only this outlet (repeatable: OR).")
@click.option("--actor", "actors", multiple=True, help="Only passages naming this actor.")
@click.option("--speaker", "speakers", multiple=True, help="Only passages quoting this speaker.")
@click.option("--from", "date_from", help="Published on or after (YYYY-MM-DD).")
@click.option("--to", "date_to", help="Published on or before (YYYY-MM-DD).")
@click.option("--sort", type=click.Choice(SORTS), default="relevance", show_default=True)
@click.option("--limit", type=int, default=10, show_default=True, help="Hits per page.")
@click.option("--page", type=int, default=1, show_default=True)
@index_dir_option
@click.option("--json", "as_json", is_flag=True, help="Print the full response as JSON.")
def search_cmd(query: str, outlets: tuple[str, ...], actors: tuple[str, ...],
               speakers: tuple[str, ...], date_from: str | None, date_to: str | None,
               sort: str, limit: int, page: int, index_dir: str, as_json: bool) -> None:
    """Ranked passages for QUERY (Whoosh syntax: AND/OR/NOT, "phrases", prefix*, field:value)."""
    request = SearchRequest(q=query, outlets=list(outlets), actors=list(actors),
                            speakers=list(speakers), date_from=date_from, date_to=date_to,
                            sort=sort, page=page, per_page=limit)
    try:
        response = SearchService(index_dir).search(request)
    except QueryError as exc:
        raise click.BadParameter(exc.message, param_hint=f"'{exc.param}'") from None
    except IndexProblem as exc:
        _fail(str(exc))
        return
    if as_json:
        _echo_json(response.to_dict())
        return
    from markupsafe import Markup

    click.echo(f"{response.total} passages ({response.took_ms} ms)"
               + (" — timed out, partial results" if response.timed_out else ""))
    if response.suggestion:
        click.echo(f"Did you mean: {response.suggestion}")
    for n, hit in enumerate(response.hits, (page - 1) * limit + 1):
        text = Markup(hit["highlight"].replace("<mark>", "[").replace("</mark>", "]"))
        click.echo(f"\n{n}. {hit['title'] or hit['article_id']} — {hit['outlet'] or '?'}, "
                   f"{hit['published'] or 'undated'}  [{hit['passage_id']}]")
        click.echo(f"   {text.unescape()}")
    for name in ("outlet", "actor", "speaker"):
        values = response.facets.get(name) or []
        if values:
            click.echo(f"\n{name}: " + ", ".join(f"{v['value']} ({v['count']})" for v in values))


# -- clean ------------------------------------------------------------------------------------


def _article_json(article: Article) -> dict[str, Any]:
    return {
        "id": article.id, "title": article.title, "outlet": article.outlet,
        "published": article.published, "url": article.url, "provenance": article.provenance,
        "text": article.text,
        "removed": [{"line": r.line, "text": r.text, "rule": r.rule} for r in article.removed],
        "passages": [{"passage_id": p.id, "start": p.start, "end": p.end, "text": p.text,
                      "actors": [{"name": a.name, "kind": a.kind} for a in p.actors],
                      "speakers": p.speakers, "dates": p.dates} for p in article.passages],
    }


@main.command("clean")
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--explain", is_flag=True, help="List each removed line and its rule.")
@click.option("--json", "as_json", is_flag=True, help="Print everything as JSON.")
@click.option("--out-dir", type=click.Path(file_okay=False),
              help="Write one <name>.txt of cleaned text per input here.")
@actors_option
def clean_cmd(files: tuple[str, ...], explain: bool, as_json: bool, out_dir: str | None,
              actors_files: tuple[str, ...]) -> None:
    """Print the cleaned text of article FILES (text, HTML or JSON Lines)."""
    results = list(pipeline.run(iter_sources(files), gazetteer=Gazetteer.load(actors_files)))
    articles = [r for r in results if isinstance(r, Article)]
    skipped = [r for r in results if isinstance(r, Skipped)]
    for s in skipped:
        click.echo(f"skipped {s.path}: {s.reason}", err=True)
    if out_dir:
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        for article in articles:
            (out / f"{article.id}.txt").write_text(article.text + "\n", encoding="utf-8")
        click.echo(f"wrote {len(articles)} file(s) to {out}")
    elif as_json:
        payload = [_article_json(a) for a in articles]
        _echo_json(payload[0] if len(payload) == 1 and len(files) == 1 else payload)
    else:
        for n, article in enumerate(articles):
            if n:
                click.echo("\n" + "=" * 72 + "\n")
            if len(articles) > 1 or explain:
                click.echo(f"# {article.title or article.id}")
                click.echo(f"# {article.outlet or '?'}, {article.published or 'undated'}\n")
            click.echo(article.text)
            if explain:
                click.echo(f"\n--- removed {len(article.removed)} line(s) ---")
                for r in article.removed:
                    click.echo(f"L{r.line:<4} [{r.rule}] {r.text}")
    if skipped:
        sys.exit(EXIT_SKIPPED if articles else 1)


# -- serve ------------------------------------------------------------------------------------


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=lambda: int(os.environ.get("PORT", 5000)),
              show_default="$PORT or 5000")
@index_dir_option
@click.option("--build-from", "build_from", multiple=True, default=DEFAULT_SOURCES,
              show_default=True, help="Sources to build from when there is no index yet.")
def serve_cmd(host: str, port: int, index_dir: str, build_from: tuple[str, ...]) -> None:
    """Serve the web UI and JSON API (building the index first if there is none)."""
    from .app import create_app

    if indexing.current_name(index_dir) is None:
        click.echo(f"No index in {index_dir}; building it from {', '.join(build_from)} ...")
        try:
            report = indexing.build(build_from, index_dir)
        except IndexProblem as exc:
            _fail(str(exc))
            return
        _print_report(report, False, "built")
    app = create_app({"INDEX_DIR": index_dir})
    click.echo(f"Serving {index_dir} on http://{host}:{port}/")
    app.run(host=host, port=port, debug=False, threaded=True)


# -- eval -------------------------------------------------------------------------------------


@main.group("eval")
def eval_group() -> None:
    """Measure extraction and speaker attribution against labelled data."""


@eval_group.command("extraction")
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@click.option("--worst", type=int, default=10, show_default=True, help="List the N worst pages.")
@click.option("--no-clean", is_flag=True, help="Score the extractor alone, without text cleaning.")
@click.option("--json", "as_json", is_flag=True)
def eval_extraction(folder: str, worst: int, no_clean: bool, as_json: bool) -> None:
    """P, R and F1 of body extraction over FOLDER (html/ + ground-truth.json)."""
    from .evaluation import format_extraction_report, run_extraction_eval

    report = run_extraction_eval(Path(folder), clean=not no_clean)
    if as_json:
        _echo_json(report)
    else:
        click.echo(format_extraction_report(report, worst=worst))


@eval_group.command("quotes")
@click.argument("labelled", type=click.Path(exists=True, dir_okay=False),
                default="tests/data/statements.json")
@click.option("--json", "as_json", is_flag=True)
def eval_quotes(labelled: str, as_json: bool) -> None:
    """Precision and recall of speaker attribution on a labelled set of statements."""
    from .quotes import evaluate_speakers

    report = evaluate_speakers(labelled)
    if as_json:
        _echo_json(report)
        return
    for key, value in report.items():
        if not isinstance(value, list | dict):
            click.echo(f"{key:<10} {value}")


@eval_group.command("agreement")
@click.argument("reference", type=click.Path(exists=True, dir_okay=False))
@click.argument("other", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True)
def eval_agreement(reference: str, other: str, as_json: bool) -> None:
    """Agreement of two independent labellings of the same articles (OTHER scored against
    REFERENCE as if it were extracted): how high a speaker bar can sensibly be set."""
    from .quotes import labelling_agreement

    try:
        report = labelling_agreement(reference, other)
    except (ValueError, KeyError) as exc:
        _fail(f"cannot compare the labellings: {exc}")
    if as_json:
        _echo_json(report)
        return
    for key, value in report.items():
        click.echo(f"{key:<12} {value}")


if __name__ == "__main__":  # pragma: no cover
    main()
