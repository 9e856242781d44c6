"""Server-rendered pages: search, statements, actor timelines and articles.

They parse parameters with the same function as the JSON API and render the
library's dictionaries; all state lives in the URL, so every view is a link.
Only presentation is computed here (histogram geometry, page links, URLs).
"""

from __future__ import annotations

import calendar
import math
from datetime import date, timedelta
from pathlib import PurePath
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, abort, render_template, request, url_for

from ..app import service
from ..querying import QueryError
from ..searching import SearchRequest
from . import params

bp = Blueprint("pages", __name__)

HISTOGRAM_HEIGHT = 60
MAX_GAP_FILLED_MONTHS = 120
FACET_TITLES = {"outlet": "Outlet", "actor": "Actor", "speaker": "Speaker"}
SERIES_COLOURS = 8  # outlet colours in the chart: classes s0..s7 in style.css
MAX_GAP_FILLED_DAYS = 400
CHART = {"width": 720, "height": 260, "left": 40, "right": 8, "top": 12, "bottom": 30}
MAX_AXIS_LABELS = 12


def search_url(**changes: Any) -> str:
    """The current search URL with some parameters replaced (None removes one).

    Repeated parameters are kept, and empty ones dropped, so links stay short.
    """
    args = request.args.copy()
    for name, value in changes.items():
        args.pop(name, None)
        if value is None:
            continue
        for v in value if isinstance(value, list | tuple) else [value]:
            args.add(name, str(v))
    pairs = [(k, v) for k, v in args.items(multi=True) if v.strip()]
    return "/?" + urlencode(pairs) if pairs else "/"


def page_links(page: int, pages: int, around: int = 2) -> list[int | None]:
    """Page numbers to show: first, last and a window around the current; None is a gap."""
    shown = sorted({1, pages, *range(max(1, page - around), min(pages, page + around) + 1)})
    out: list[int | None] = []
    for n in shown:
        if out and n - (out[-1] or 0) > 1:
            out.append(None)
        out.append(n)
    return out


def _months_between(first: str, last: str) -> list[str]:
    y, m = int(first[:4]), int(first[5:7])
    ly, lm = int(last[:4]), int(last[5:7])
    out = []
    while (y, m) <= (ly, lm):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def histogram(months: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Bars for matches by month, as SVG geometry (CSP forbids inline style attributes)."""
    counts = {m["value"]: m["count"] for m in months if len(m["value"]) == 7}
    selected = {m["value"] for m in months if m.get("selected")}
    if not counts:
        return None
    labels = sorted(counts)
    span = _months_between(labels[0], labels[-1])
    if len(span) <= MAX_GAP_FILLED_MONTHS:
        labels = span
    top = max(counts.values())
    width = min(100 / len(labels), 12)  # a lone month is a bar, not a block
    bars = []
    for i, month in enumerate(labels):
        count = counts.get(month, 0)
        height = round(HISTOGRAM_HEIGHT * count / top, 2) if count else 0
        y, mo = int(month[:4]), int(month[5:7])
        last_day = calendar.monthrange(y, mo)[1]
        bars.append({
            "month": month, "count": count, "x": round(i * width, 3),
            "selected": month in selected,
            "width": round(width * 0.8, 3), "height": max(height, 1 if count else 0),
            "y": HISTOGRAM_HEIGHT - max(height, 1 if count else 0),
            "href": search_url(page=None, **{"from": f"{month}-01",
                                             "to": f"{month}-{last_day:02d}"}),
        })
    return {"bars": bars, "height": HISTOGRAM_HEIGHT, "first": labels[0], "last": labels[-1],
            "top": top}


def export_url(fmt: str) -> str:
    """The current search as an export of the whole result set (paging dropped)."""
    args = request.args.copy()
    for name in ("page", "per_page", "collapse", "format"):
        args.pop(name, None)
    pairs = [(k, v) for k, v in args.items(multi=True) if v.strip()]
    return "/api/export?" + urlencode([*pairs, ("format", fmt)])


def passage_href(passage_id: str, q: str = "") -> str:
    """The article page at one passage (passage ids are ``<article_id>.p<ordinal>``)."""
    article_id, _, ordinal = passage_id.rpartition(".p")
    query = "?" + urlencode({"q": q}) if q.strip() else ""
    return f"/articles/{article_id}{query}#p{ordinal}"


def actor_href(name: str) -> str:
    return url_for("pages.actor", name=name)


def quote_groups(quotes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Statements grouped by the library's cluster, in order of first appearance.

    The first statement of a cluster is shown; the others become "also reported
    by" entries (one per other passage: copies inside one passage are folded).
    """
    groups: dict[int, dict[str, Any]] = {}
    for quote in quotes:
        key = quote.get("cluster", id(quote))
        group = groups.get(key)
        if group is None:
            groups[key] = {"quote": quote, "others": [], "seen": {quote["passage_id"]}}
        elif quote["passage_id"] not in group["seen"]:
            group["seen"].add(quote["passage_id"])
            group["others"].append(quote)
    out = []
    for group in groups.values():
        dates = [q["published"] for q in [group["quote"], *group["others"]] if q["published"]]
        out.append({"quote": group["quote"], "others": group["others"],
                    "earliest": min(dates) if dates else None})
    return out


def _bucket_labels(buckets: list[str], interval: str) -> list[str]:
    """Bucket dates in order, with empty months or days in between filled in when few."""
    dated = sorted(b for b in buckets if b != "undated")
    if not dated:
        return []
    if interval == "month":
        span = _months_between(dated[0], dated[-1])
        return span if len(span) <= MAX_GAP_FILLED_MONTHS else dated
    first, last = date.fromisoformat(dated[0]), date.fromisoformat(dated[-1])
    days = (last - first).days + 1
    if days > MAX_GAP_FILLED_DAYS:
        return dated
    return [(first + timedelta(days=i)).isoformat() for i in range(days)]


def _bucket_range(label: str, interval: str) -> tuple[str, str]:
    if interval == "day":
        return label, label
    y, m = int(label[:4]), int(label[5:7])
    return f"{label}-01", f"{label}-{calendar.monthrange(y, m)[1]:02d}"


def timeline_chart(tl: dict[str, Any]) -> dict[str, Any] | None:
    """Grouped, stacked bars as SVG geometry: per bucket a passages bar and a quotes bar,
    each stacked by outlet (CSS classes, not inline styles, colour the outlets)."""
    by_date = {b["date"]: b for b in tl["buckets"]}
    labels = _bucket_labels(list(by_date), tl["interval"])
    if not labels:
        return None
    outlets = tl["outlets"]
    series = {o: f"s{i % SERIES_COLOURS}" for i, o in enumerate(outlets)}
    top = max(max(b["passages"], b["quotes"]) for b in by_date.values() if b["date"] in labels)
    top = max(top, 1)
    c = CHART
    plot_w = c["width"] - c["left"] - c["right"]
    plot_h = c["height"] - c["top"] - c["bottom"]
    slot = plot_w / len(labels)
    bar_w = min(slot * 0.4, 28)
    step = math.ceil(len(labels) / MAX_AXIS_LABELS)
    columns = []
    for i, label in enumerate(labels):
        bucket = by_date.get(label, {"passages": 0, "quotes": 0, "by_outlet": {}})
        centre = c["left"] + slot * (i + 0.5)
        bars = []
        for kind, x in (("passages", centre - bar_w - 1), ("quotes", centre + 1)):
            base = c["top"] + plot_h
            for outlet in outlets:
                n = bucket["by_outlet"].get(outlet, {}).get(kind, 0)
                if not n:
                    continue
                h = plot_h * n / top
                base -= h
                noun = kind if n != 1 else kind[:-1]
                bars.append({"x": round(x, 2), "y": round(base, 2), "width": round(bar_w, 2),
                             "height": round(h, 2), "kind": kind, "series": series[outlet],
                             "title": f"{label} · {outlet}: {n} {noun}"})
        frm, to = _bucket_range(label, tl["interval"])
        columns.append({
            "label": label, "passages": bucket["passages"], "quotes": bucket["quotes"],
            "by_outlet": bucket["by_outlet"], "bars": bars,
            "tick": i % step == 0, "tick_x": round(centre, 2),
            "href": "/?" + urlencode({"actor": tl["actor"], "from": frm, "to": to}),
        })
    ticks = sorted({0, top // 2, top}) if top > 1 else [0, 1]
    y_ticks = [{"value": t, "y": round(c["top"] + plot_h - plot_h * t / top, 2)} for t in ticks]
    undated = by_date.get("undated")
    return {**c, "plot_w": plot_w, "plot_h": plot_h, "axis_y": c["top"] + plot_h,
            "columns": columns, "y_ticks": y_ticks, "top": top,
            "legend": [{"outlet": o, "series": series[o]} for o in outlets],
            "first": labels[0], "last": labels[-1], "undated": undated}


@bp.get("/")
def search() -> tuple[str, int] | str:
    """The search page: same parameters and parsing as /api/search."""
    error = None
    try:
        req = params.search_request(request.args)
    except QueryError as exc:
        error = exc
        req = SearchRequest(q=request.args.get("q", "")[:1000])
    resp = None
    if error is None:
        try:
            resp = service().search(req).to_dict()
        except QueryError as exc:
            error = exc
    browsing = not req.q.strip() and not any(req.selections().values()) \
        and not req.date_from and not req.date_to
    html = render_template(
        "search.html", req=req, resp=resp, error=error, browsing=browsing,
        facet_titles=FACET_TITLES, histogram=histogram(resp["facets"]["month"]) if resp else None,
        pages=page_links(resp["page"], resp["pages"]) if resp else [],
        per_page=request.args.get("per_page", "").strip(),
    )
    return (html, 400) if error else html


@bp.get("/quotes")
def quotes() -> tuple[str, int] | str:
    """Who said what: statements for the same filters as /api/quotes, copies grouped."""
    error = None
    found = None
    req = SearchRequest(q=request.args.get("q", "")[:1000])
    limit = params.DEFAULT_QUOTES_LIMIT
    try:
        req, limit = params.quotes_options(request.args)
        found = service().quotes(req, limit=limit)
    except QueryError as exc:
        error = exc
    html = render_template(
        "quotes.html", req=req, found=found, error=error,
        groups=quote_groups(found["quotes"]) if found else [],
        outlets=service().facet_values("outlet", limit=100),
        limit=request.args.get("limit", "").strip())
    return (html, 400) if error else html


@bp.get("/actors/<path:name>")
def actor(name: str) -> str:
    """An actor over time: a chart by outlet of passages and statements, then the statements."""
    req, interval = params.timeline_options(request.args)
    tl = service().timeline(name, req, interval=interval,
                            statements=params.DEFAULT_TIMELINE_STATEMENTS)
    if not tl["found"]:
        abort(404, f"No actor or speaker {name!r} in the index.")
    return render_template("actor.html", tl=tl, req=req, chart=timeline_chart(tl),
                           interval=interval)


@bp.get("/articles/<article_id>")
def article(article_id: str) -> str:
    """An article as the index holds it, with what cleaning removed and why."""
    found = service().article(article_id)
    if found is None:
        abort(404, f"No article {article_id!r} in the index.")
    actors: dict[str, dict[str, Any]] = {}
    speakers: dict[str, int] = {}
    for p in found.get("passages", []):
        for a in p.get("actors", []):
            actors.setdefault(a["name"], {"kind": a["kind"], "count": 0})["count"] += 1
        for s in p.get("speakers", []):
            speakers[s] = speakers.get(s, 0) + 1
    return render_template(
        "article.html", article=found, q=request.args.get("q", ""),
        file_name=PurePath(found["path"]).name if found.get("path") else None,
        actors=sorted(actors.items(), key=lambda kv: (-kv[1]["count"], kv[0])),
        speakers=sorted(speakers.items(), key=lambda kv: (-kv[1], kv[0])))


@bp.app_context_processor
def _helpers() -> dict[str, Any]:
    return {"search_url": search_url, "export_url": export_url, "passage_href": passage_href,
            "actor_href": actor_href}
