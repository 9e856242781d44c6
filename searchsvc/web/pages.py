"""Server-rendered pages: the search page and the article page.

They parse parameters with the same function as the JSON API and render the
library's dictionaries; all state lives in the URL, so every view is a link.
Only presentation is computed here (histogram geometry, page links, URLs).
"""

from __future__ import annotations

import calendar
from pathlib import PurePath
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, abort, render_template, request

from ..app import service
from ..querying import QueryError
from ..searching import SearchRequest
from . import params

bp = Blueprint("pages", __name__)

HISTOGRAM_HEIGHT = 60
MAX_GAP_FILLED_MONTHS = 120
FACET_TITLES = {"outlet": "Outlet", "actor": "Actor", "speaker": "Speaker"}


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
    return {"search_url": search_url}
