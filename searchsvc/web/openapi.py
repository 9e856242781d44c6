"""The OpenAPI 3.1 description of the JSON API, precise enough for contract testing.

Schemas mirror ``SearchResponse.to_dict()``, ``SearchService.article()``,
``stats()`` and the error shape; ``tests/test_api.py`` checks real responses
against them, so a change in the library's output shows up as a failing test.
"""

from __future__ import annotations

from typing import Any

from ..searching import (
    COLLAPSES,
    DEFAULT_PER_PAGE,
    EXPORT_LIMIT,
    FACETS,
    INTERVALS,
    MAX_PER_PAGE,
    SORTS,
)
from .params import (
    DEFAULT_FACET_LIMIT,
    DEFAULT_QUOTES_LIMIT,
    EXPORT_FORMATS,
    MAX_FACET_LIMIT,
    MAX_PREFIX_CHARS,
    MAX_QUOTES_LIMIT,
)


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
_COUNT = {"type": "integer", "minimum": 0}
_HIT_PROPS: dict[str, Any] = {
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
}
_COLLAPSED_PROPS: dict[str, Any] = {
    "also_reported_by": {"type": "array", "items": _ref("Copy"),
                         "description": "with collapse=quote: the other passages carrying "
                                        "the same statement"},
    "earliest": {**_nullable("string"),
                 "description": "with collapse=quote: the earliest date of any copy"},
    "copies": {"type": "integer", "minimum": 1,
               "description": "with collapse=quote: passages in the group, this one included"},
}

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
    "Hit": _obj({**_HIT_PROPS, **_COLLAPSED_PROPS}, required=list(_HIT_PROPS)),
    "Copy": _obj({"outlet": _nullable("string"), "passage_id": {"type": "string"},
                  "published": _nullable("string"), "url": _nullable("string")}),
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
    "Statement": _obj({
        "speaker": _nullable("string"), "verb": _nullable("string"),
        "text": {"type": "string", "description": "the statement as the article words it"},
        "start": {"type": "integer", "description": "offset of the statement in the passage"},
        "end": {"type": "integer"},
        "direct": {"type": "boolean", "description": "a direct quote (else reported speech)"},
        "passage_id": {"type": "string"}, "article_id": {"type": "string"},
        "outlet": _nullable("string"), "published": _nullable("string"),
        "url": _nullable("string"), "title": _nullable("string"),
        "cluster": {"type": "integer", "description": "statements with the same cluster are "
                                                      "copies of one statement"},
    }),
    "Quotes": _obj({"total": _COUNT, "quotes": {"type": "array", "items": _ref("Statement")},
                    "timed_out": {"type": "boolean"}, "generation": {"type": "string"}}),
    "Counts": _obj({"passages": _COUNT, "quotes": _COUNT}),
    "TimelineBucket": _obj({
        "date": {"type": "string", "description": "YYYY-MM, YYYY-MM-DD or 'undated'"},
        "passages": _COUNT, "quotes": _COUNT,
        "by_outlet": {"type": "object", "additionalProperties": _ref("Counts")}}),
    "Timeline": _obj({
        "actor": {"type": "string"}, "interval": {"type": "string", "enum": list(INTERVALS)},
        "found": {"type": "boolean"}, "timed_out": {"type": "boolean"},
        "totals": _ref("Counts"), "outlets": _STR_LIST,
        "buckets": {"type": "array", "items": _ref("TimelineBucket")},
        "statements": {"type": "array", "items": _ref("Statement"),
                       "description": "the actor's statements, oldest first"}}),
    "ExportRow": _obj({
        "passage_id": {"type": "string"}, "article_id": {"type": "string"},
        "ordinal": _nullable("integer"),
        "start": {**_nullable("integer"), "description": "offset in the article's cleaned text"},
        "end": _nullable("integer"), "outlet": _nullable("string"),
        "published": _nullable("string"), "url": _nullable("string"),
        "title": _nullable("string"),
        "speakers": {"type": "string", "description": "'; '-separated"},
        "actors": {"type": "string", "description": "'; '-separated"},
        "score": {"type": ["number", "null"]},
        "text": {"type": "string", "description": "the passage exactly: "
                                                  "article.text[start:end]"}}),
    "Export": _obj({"query": {"type": "string"}, "count": _COUNT,
                    "limit": {"type": "integer"},
                    "truncated": {"type": "boolean",
                                  "description": "the result set reached the limit"},
                    "rows": {"type": "array", "items": _ref("ExportRow")}}),
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
    _param("collapse", {"type": "string", "enum": list(COLLAPSES)},
           "quote: fold copies of the same statement (among the top 500 hits) into one hit "
           "with also_reported_by, earliest and copies; total and facets still count "
           "passages, pages count groups"),
]
FILTER_PARAMS = [p for p in SEARCH_PARAMS if p["name"] not in ("page", "per_page", "collapse")]


def _quotes_params() -> list[dict[str, Any]]:
    return [*FILTER_PARAMS,
            _param("limit", {"type": "integer", "minimum": 1, "maximum": MAX_QUOTES_LIMIT,
                             "default": DEFAULT_QUOTES_LIMIT}, "at most this many")]


def _csv(description: str) -> dict[str, Any]:
    return {"description": description, "content": {
        "text/csv": {"schema": {"type": "string"}},
        "application/json": {"schema": _ref("Export")}}}


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
    timeline_params = [
        _param("name", {"type": "string", "maxLength": 200}, "actor or speaker name, as in "
               "the actor facet", where="path"),
        _param("interval", {"type": "string", "enum": list(INTERVALS), "default": "month"},
               "bucket size"),
        *[p for p in FILTER_PARAMS if p["name"] != "actor"],
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
            "/api/quotes": _get(
                "Statements (who said what) in the passages a search finds",
                _quotes_params(),
                _json("Quotes", "statements; speaker filters on who said them, a query "
                                "keeps statements containing its words"), 400, 503),
            "/api/actors/{name}/timeline": _get(
                "An actor over time: passages naming them and their statements, by outlet",
                timeline_params, _json("Timeline", "buckets and the actor's statements"),
                400, 404, 503),
            "/api/export": _get(
                f"The whole result set of a search (up to {EXPORT_LIMIT:,} rows), citable",
                [*FILTER_PARAMS,
                 _param("format", {"type": "string", "enum": list(EXPORT_FORMATS),
                                   "default": "csv"},
                        "csv (a header row; text cells starting with = + - @ tab or CR "
                        "get a leading ' against spreadsheet formula injection) or json")],
                _csv("an attachment: searchsvc-export.csv or .json"), 400, 503),
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
            "/quotes": _get("Statements page (HTML; same parameters as /api/quotes)",
                            _quotes_params(), _html("statements, copies grouped"),
                            400, 503, html=True),
            "/actors/{name}": _get(
                "An actor's page (HTML): a chart of passages and statements over time, "
                "and the statements", timeline_params, _html("the actor page"),
                400, 404, 503, html=True),
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
