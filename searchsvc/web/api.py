"""The JSON API: read-only endpoints that return the library's dictionaries as they are.

``/api/export`` also speaks CSV. Spreadsheets run cells that start with ``=``,
``+``, ``-``, ``@`` (and tab or carriage return) as formulas, so such text
cells get a leading ``'`` (OWASP "CSV injection"); the JSON export is never
altered, and numbers are written as numbers.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from flask import Blueprint, Response, jsonify, request

from ..app import error_response, service
from ..indexing import NoIndex
from ..searching import EXPORT_LIMIT, FACETS
from . import openapi, params

bp = Blueprint("api", __name__)


@bp.get("/api/search")
def search() -> Response:
    """Ranked passages with facets; the same parsing serves the HTML page."""
    req = params.search_request(request.args)
    return jsonify(service().search(req).to_dict())


@bp.get("/api/quotes")
def quotes() -> Response:
    """Statements (who said what) in the passages a search finds."""
    req, limit = params.quotes_options(request.args)
    return jsonify(service().quotes(req, limit=limit))


@bp.get("/api/actors/<path:name>/timeline")
def timeline(name: str) -> Response:
    """Passages naming an actor and the actor's statements over time, by outlet."""
    req, interval = params.timeline_options(request.args)
    found = service().timeline(name, req, interval=interval,
                               statements=params.DEFAULT_TIMELINE_STATEMENTS)
    if not found["found"]:
        return error_response(404, f"no actor or speaker {name[:200]!r} in the index", "name")
    return jsonify(found)


EXPORT_COLUMNS = ("passage_id", "article_id", "ordinal", "start", "end", "outlet", "published",
                  "url", "title", "speakers", "actors", "score", "text")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """A value as a safe CSV cell: None is empty, formula-like text gets a leading quote."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(rows: list[dict[str, Any]]) -> str:
    """Rows as CSV with a header row (RFC 4180 quoting, CRLF line ends)."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(EXPORT_COLUMNS)
    for row in rows:
        writer.writerow([csv_cell(row.get(c)) for c in EXPORT_COLUMNS])
    return out.getvalue()


@bp.get("/api/export")
def export() -> Response:
    """The whole result set of a search (up to 10,000 rows) as citable CSV or JSON."""
    req, fmt = params.export_options(request.args)
    rows = service().export(req, limit=EXPORT_LIMIT)
    if fmt == "json":
        response = jsonify({"query": req.q, "count": len(rows), "limit": EXPORT_LIMIT,
                            "truncated": len(rows) >= EXPORT_LIMIT, "rows": rows})
    else:
        response = Response(to_csv(rows), mimetype="text/csv")
        response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = \
        f'attachment; filename="searchsvc-export.{fmt}"'
    return response


@bp.get("/api/articles/<article_id>")
def article(article_id: str) -> Response:
    found = service().article(article_id)
    if found is None:
        return error_response(404, f"no article {article_id[:200]!r}", "article_id")
    return jsonify(found)


@bp.get("/api/facets/<field>")
def facet(field: str) -> Response:
    """All values of one facet (e.g. every actor), for the current search and filters."""
    if field not in FACETS:
        return error_response(404, f"unknown facet {field[:100]!r}; facets are "
                                   f"{', '.join(FACETS)}", "field")
    prefix, limit = params.facet_options(request.args)
    req = params.search_request(request.args)
    found = service().facet_values(field, req, prefix=prefix, limit=limit)
    return jsonify({"field": field, "values": found})


@bp.get("/api/stats")
def stats() -> Response:
    return jsonify(service().stats())


@bp.get("/healthz")
def healthz() -> Response:
    """200 while an index is served; 503 (for the load balancer) when there is none."""
    try:
        health = service().health()
    except NoIndex as exc:
        response = error_response(503, str(exc))
        return response
    return jsonify({"status": "ok", "generation": health["generation"],
                    "passages": health["passages"]})


@bp.get("/openapi.json")
def openapi_document() -> Response:
    return jsonify(openapi.document())
