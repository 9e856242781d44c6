"""The OpenAPI 3.1 description of the JSON API, precise enough for contract testing.

Schemas mirror ``SearchResponse.to_dict()``, ``SearchService.article()``,
``stats()`` and the error shape; ``tests/test_api.py`` checks real responses
against them, so a change in the library's output shows up as a failing test.
"""

from __future__ import annotations

from typing import Any

from ..searching import DEFAULT_PER_PAGE, FACETS, MAX_PER_PAGE, SORTS
from .params import DEFAULT_FACET_LIMIT, MAX_FACET_LIMIT, MAX_PREFIX_CHARS


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(type_: str) -> dict[str, Any]:
    return {"type": [type_, "null"]}


def _obj(props: dict[str, Any], required: list[str] | None = None,
         additional: bool | dict[str, Any] = False) -> dict[str, Any]:
    return {"type": "object", "properties": props,
            "required": list(props) if required is None else required,
            "additionalProperties": additional}


_STR_LIST = {"type": "array", "items": {"type": "string"}}
_DAY = {"type": "string", "format": "date"}

SCHEMAS: dict[str, Any] = {
    "Error": _obj({"error": _obj({
        "code": {"type": "integer"},
        "message": {"type": "string"},
        "param": {"type": "string", "description": "the parameter at fault"},
    }, required=["code", "message"])}),
    "Actor": _obj({"name": {"type": "string"},
                   "kind": {"type": "string", "enum": ["person", "organization", "state"]}}),
    "Quote": _obj({"speaker": _nullable("string"), "verb": _nullable("string"),
                   "text": {"type": "string"}, "start": {"type": "integer"},
                   "end": {"type": "integer"}, "direct": {"type": "boolean"}},
                  additional=True),
    "Hit": _obj({
        "passage_id": {"type": "string"},
        "article_id": {"type": "string"},
        "ordinal": _nullable("integer"),
        "title": _nullable("string"),
        "outlet": _nullable("string"),
        "published": _nullable("string"),
        "url": _nullable("string"),
        "text": {"type": "string"},
        "highlight": {"type": "string",
                      "description": "the passage as escaped HTML, matches in <mark>"},
        "actors": {"type": "array", "items": _ref("Actor")},
        "speakers": _STR_LIST,
        "dates": _STR_LIST,
        "start": _nullable("integer"),
        "end": _nullable("integer"),
        "quotes": {"type": "array", "items": _ref("Quote")},
        "score": {"type": ["number", "null"],
                  "description": "relevance score; null when sorted by date"},
    }),
    "FacetValue": _obj({"value": {"type": "string"}, "count": {"type": "integer", "minimum": 0},
                        "selected": {"type": "boolean"}}),
    "Facets": _obj({name: {"type": "array", "items": _ref("FacetValue")} for name in FACETS}),
    "SearchResponse": _obj({
        "query": {"type": "string"},
        "total": {"type": "integer", "minimum": 0},
        "page": {"type": "integer", "minimum": 1},
        "per_page": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
        "pages": {"type": "integer", "minimum": 1},
        "took_ms": {"type": "number"},
        "timed_out": {"type": "boolean"},
        "sort": {"type": "string", "enum": list(SORTS)},
        "generation": {"type": "string"},
        "hits": {"type": "array", "items": _ref("Hit")},
        "facets": _ref("Facets"),
        "suggestion": _nullable("string"),
        "facets_count": {"type": "string", "enum": ["passages"],
                         "description": "what facet counts count (passages, also when "
                                        "results are collapsed)"},
        "collapsed": {"type": "integer", "minimum": 0,
                      "description": "with collapse: groups of copies in the ranked window"},
    }, required=["query", "total", "page", "per_page", "pages", "took_ms", "timed_out", "sort",
                 "generation", "hits", "facets", "suggestion", "facets_count"]),
    "RemovedLine": _obj({"line": {"type": "integer"}, "text": {"type": "string"},
                         "rule": {"type": "string"}}),
    "Passage": _obj({
        "passage_id": {"type": "string"},
        "ordinal": _nullable("integer"),
        "text": _nullable("string"),
        "start": _nullable("integer"),
        "end": _nullable("integer"),
        "actors": {"type": "array", "items": _ref("Actor")},
        "speakers": _STR_LIST,
        "dates": _STR_LIST,
        "quotes": {"type": "array", "items": _ref("Quote")},
    }),
    "Article": _obj({
        "id": {"type": "string"},
        "text": {"type": "string"},
        "title": _nullable("string"),
        "outlet": _nullable("string"),
        "published": _nullable("string"),
        "url": _nullable("string"),
        "path": _nullable("string"),
        "provenance": {"type": "object", "additionalProperties": {"type": "string"},
                       "description": "where each metadata value came from"},
        "removed": {"type": "array", "items": _ref("RemovedLine")},
        "passages": {"type": "array", "items": _ref("Passage")},
    }, additional=True),
    "FacetValues": _obj({"field": {"type": "string", "enum": list(FACETS)},
                         "values": {"type": "array", "items": _ref("FacetValue")}}),
    "Stats": _obj({
        "generation": {"type": "string"},
        "built_at": _nullable("string"),
        "build_seconds": {"type": ["number", "null"]},
        "articles": {"type": "integer", "minimum": 0},
        "passages": {"type": "integer", "minimum": 0},
        "skipped": {"type": "integer", "minimum": 0},
        "facets": _ref("Facets"),
    }),
    "Health": _obj({"status": {"type": "string", "enum": ["ok"]},
                    "generation": {"type": "string"},
                    "passages": {"type": "integer", "minimum": 0}}),
}


def _param(name: str, schema: dict[str, Any], description: str, *,
           where: str = "query", repeat: bool = False, required: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {"name": name, "in": where, "description": description,
                           "required": required or where == "path"}
    if repeat:
        out.update(schema={"type": "array", "items": schema}, style="form", explode=True)
    else:
        out["schema"] = schema
    return out


SEARCH_PARAMS = [
    _param("q", {"type": "string", "maxLength": 1000},
           "Whoosh query syntax (AND/OR/NOT, \"phrases\", prefix*, fuzzy~1); text the "
           "parser cannot read is searched as plain words; empty browses newest first"),
    _param("outlet", {"type": "string"}, "outlet filter (repeatable, OR within)", repeat=True),
    _param("actor", {"type": "string"}, "actor filter (repeatable, OR within)", repeat=True),
    _param("speaker", {"type": "string"}, "speaker filter (repeatable, OR within)",
           repeat=True),
    _param("from", _DAY, "first publication date, inclusive (YYYY-MM-DD)"),
    _param("to", _DAY, "last publication date, inclusive (YYYY-MM-DD)"),
    _param("sort", {"type": "string", "enum": list(SORTS), "default": "relevance"},
           "relevance, date (oldest first) or -date (newest first)"),
    _param("page", {"type": "integer", "minimum": 1, "default": 1}, "page number from 1"),
    _param("per_page", {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE,
                        "default": DEFAULT_PER_PAGE}, "hits per page"),
]


def _json(schema: str, description: str) -> dict[str, Any]:
    return {"description": description,
            "content": {"application/json": {"schema": _ref(schema)}}}


def _html(description: str) -> dict[str, Any]:
    return {"description": description,
            "content": {"text/html": {"schema": {"type": "string"}}}}


def _errors(*codes: int, html: bool = False) -> dict[str, Any]:
    text = {400: "a parameter cannot be served (error.param names it)", 404: "not found",
            405: "method not allowed (the service is read-only)",
            413: "request too large", 503: "no index is being served"}
    if html:
        return {str(c): _html(text[c]) for c in codes}
    return {str(c): _json("Error", text[c]) for c in codes}


def _get(summary: str, params: list[dict[str, Any]], ok: dict[str, Any],
         *errors: int, html: bool = False) -> dict[str, Any]:
    return {"get": {"summary": summary, "parameters": params,
                    "responses": {"200": ok, **_errors(*errors, 405, 413, html=html)}}}


def document() -> dict[str, Any]:
    """The OpenAPI document served at /openapi.json."""
    facet_params = [
        _param("field", {"type": "string", "enum": list(FACETS)}, "the facet", where="path"),
        _param("prefix", {"type": "string", "maxLength": MAX_PREFIX_CHARS},
               "only values with a word starting with this (case-insensitive)"),
        _param("limit", {"type": "integer", "minimum": 1, "maximum": MAX_FACET_LIMIT,
                         "default": DEFAULT_FACET_LIMIT}, "at most this many values"),
        *SEARCH_PARAMS,
    ]
    return {
        "openapi": "3.1.0",
        "info": {"title": "searchsvc", "version": "1",
                 "description": "Full-text search over news passages: who said what, "
                                "where and when. Read-only; GET only."},
        "paths": {
            "/api/search": _get("Search passages", SEARCH_PARAMS,
                                _json("SearchResponse", "a page of ranked passages"),
                                400, 503),
            "/api/articles/{article_id}": _get(
                "An article: metadata with provenance, cleaned text, passages, removed lines",
                [_param("article_id", {"type": "string", "maxLength": 200}, "article id",
                        where="path")],
                _json("Article", "the article"), 404, 503),
            "/api/facets/{field}": _get(
                "Every value of a facet with counts, for a search", facet_params,
                _json("FacetValues", "the values, most frequent first (months by month)"),
                400, 404, 503),
            "/api/stats": _get("Index statistics and overall facet counts", [],
                               _json("Stats", "statistics"), 503),
            "/healthz": _get("Liveness and the serving generation", [],
                             _json("Health", "an index is being served"), 503),
            "/": _get("The search page (HTML; same parameters as /api/search)", SEARCH_PARAMS,
                      _html("the search page"), 400, 503, html=True),
            "/articles/{article_id}": _get(
                "An article page (HTML) with its passages and removed lines",
                [_param("article_id", {"type": "string", "maxLength": 200}, "article id",
                        where="path")],
                _html("the article page"), 404, 503, html=True),
            "/openapi.json": _get("This document", [], {
                "description": "the OpenAPI document",
                "content": {"application/json": {"schema": {"type": "object"}}}}),
        },
        "components": {"schemas": SCHEMAS},
    }
