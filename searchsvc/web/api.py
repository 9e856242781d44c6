"""The JSON API: read-only endpoints that return the library's dictionaries as they are."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from ..app import error_response, service
from ..indexing import NoIndex
from ..searching import FACETS
from . import openapi, params

bp = Blueprint("api", __name__)


@bp.get("/api/search")
def search() -> Response:
    """Ranked passages with facets; the same parsing serves the HTML page."""
    req = params.search_request(request.args)
    return jsonify(service().search(req).to_dict())


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
