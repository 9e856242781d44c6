"""Property-based tests of the HTTP API: whatever is typed or sent, never a 500.

Hypothesis drives random and adversarial query strings and parameter values
through the Flask test client; schemathesis drives every documented operation
from ``/openapi.json`` and checks each response against its schema. CI runs a
few hundred cases of each; ``--runslow`` runs the long versions (figures in
docs/reliability.md).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import schemathesis
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from searchsvc.app import create_app

CI_EXAMPLES = int(os.environ.get("SEARCHSVC_FUZZ_EXAMPLES", "250"))
SLOW_EXAMPLES = int(os.environ.get("SEARCHSVC_FUZZ_SLOW_EXAMPLES", "5000"))
SEARCH_KEYS = {"query", "total", "page", "per_page", "pages", "took_ms", "timed_out", "sort",
               "generation", "hits", "facets", "suggestion"}
DOT_SEGMENT = re.compile(r"(?:^|/)\.\.?(?:/|$)")
QUIET = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
         HealthCheck.filter_too_much, HealthCheck.data_too_large]

# -- strategies -------------------------------------------------------------------------------

SYNTAX = ["AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "(", ")", '"', "'", "*", "?", "~", "~9",
          "~2", "^", "^99999", ":", "[", "]", "{", "}", "TO", "+", "-", "\\", "/", "<", ">",
          "outlet:", "actor:", "speaker:", "title:", "text:", "month:", "dates:", "nofield:",
          "article_id:", "passage_id:", "*:*", "putin", "Putin", "minister", "said", "kyiv",
          "a*", "*tin", "pu*", "p?tin", "putin~2", "putin~99", "9" * 40, "1e308", "-0",
          "\x00", "\u202e", "\ufeff", "\U0001F600", "ﷺ", "İ", "ß", "\u0301", "<script>", "&amp;",
          "'; DROP TABLE x; --", "%00", "%2e%2e/", "\r\n", "\t"]


def query_strings() -> st.SearchStrategy[str]:
    """Random unicode, syntax soup, and syntax tokens glued to random text."""
    tokens = st.lists(st.sampled_from(SYNTAX) | st.text(max_size=8), max_size=30)
    return st.one_of(
        st.text(max_size=200),
        tokens.map(" ".join),
        tokens.map("".join),
        st.text(alphabet=st.characters(codec="utf-8"), max_size=50),
    )


NUMBERISH = st.one_of(st.integers(min_value=-10**20, max_value=10**20).map(str),
                      st.sampled_from(["", " ", "0", "1", "-1", "1.5", "1e9", "0x10", "NaN",
                                       "inf", "١٢", "10" * 30, "１"]),
                      st.text(max_size=12))
DATEISH = st.one_of(st.dates().map(str), st.text(max_size=12),
                    st.sampled_from(["2024-02-30", "2024-13-01", "0000-01-01", "9999-12-31",
                                     "2024-1-1", "20240101", "2024-01-01T00:00"]))
PARAMS = st.fixed_dictionaries({}, optional={
    "q": query_strings(),
    "page": NUMBERISH, "per_page": NUMBERISH,
    "sort": st.sampled_from(["relevance", "date", "-date", "", "DATE", "random", "\x00"]),
    "from": DATEISH, "to": DATEISH,
    "outlet": st.lists(st.text(max_size=20), max_size=3),
    "actor": st.lists(st.text(max_size=20), max_size=3),
    "speaker": st.lists(st.text(max_size=20), max_size=3),
})


# -- fixtures and checks ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def app(seed_index: Path) -> Flask:
    return create_app({"INDEX_DIR": str(seed_index), "TESTING": False})


@pytest.fixture(scope="module")
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def check_search_answer(status: int, body: Any) -> None:
    """200 with the documented keys, or 400/413 with the error body; nothing else."""
    assert status in (200, 400, 413), (status, body)
    assert isinstance(body, dict), body
    if status == 200:
        assert SEARCH_KEYS <= set(body), sorted(set(body))
        assert isinstance(body["hits"], list) and len(body["hits"]) <= body["per_page"]
        assert isinstance(body["timed_out"], bool)
        for hit in body["hits"]:
            assert isinstance(hit["highlight"], str) and "<script" not in hit["highlight"]
    else:
        assert set(body) == {"error"}
        assert body["error"]["code"] == status
        assert isinstance(body["error"]["message"], str) and body["error"]["message"]


def _get_json(client: FlaskClient, url: str, params: dict[str, Any]) -> tuple[int, Any]:
    resp = client.get(url, query_string=params)
    assert resp.mimetype == "application/json", (resp.status_code, resp.data[:300])
    return resp.status_code, json.loads(resp.data)


def _fuzz_search(client: FlaskClient, params: dict[str, Any]) -> None:
    status, body = _get_json(client, "/api/search", params)
    check_search_answer(status, body)


def _fuzz_page(client: FlaskClient, params: dict[str, Any]) -> None:
    resp = client.get("/", query_string=params)
    assert resp.status_code in (200, 400, 413), resp.status_code
    assert resp.mimetype == "text/html"
    assert b"Traceback" not in resp.data


# -- hypothesis: the search endpoint and page ---------------------------------------------------


@settings(max_examples=CI_EXAMPLES, deadline=None, suppress_health_check=QUIET, database=None)
@given(q=query_strings())
def test_any_query_string_is_answered(client: FlaskClient, q: str) -> None:
    _fuzz_search(client, {"q": q})


@settings(max_examples=CI_EXAMPLES, deadline=None, suppress_health_check=QUIET, database=None)
@given(params=PARAMS)
def test_any_parameters_are_answered(client: FlaskClient, params: dict[str, Any]) -> None:
    _fuzz_search(client, params)


@settings(max_examples=CI_EXAMPLES // 2, deadline=None, suppress_health_check=QUIET,
          database=None)
@given(params=PARAMS)
def test_the_search_page_never_fails(client: FlaskClient, params: dict[str, Any]) -> None:
    _fuzz_page(client, params)


@settings(max_examples=CI_EXAMPLES // 2, deadline=None, suppress_health_check=QUIET,
          database=None)
# "." and ".." are path dot-segments ("/." and "a/.." too, once %2F is decoded): clients and
# servers normalise them away (a 308).
@given(field=st.sampled_from(["outlet", "actor", "speaker", "month"])
       | st.text(max_size=10).filter(lambda f: not DOT_SEGMENT.search(f)),
       prefix=st.text(max_size=30), limit=NUMBERISH, q=query_strings())
def test_facet_endpoint_never_fails(client: FlaskClient, field: str, prefix: str, limit: str,
                                    q: str) -> None:
    # The field is a path segment: quote it, or a generated "?" would start a query string.
    resp = client.get(f"/api/facets/{quote(field, safe='')}",
                      query_string={"prefix": prefix, "limit": limit,
                                                          "q": q})
    assert resp.status_code in (200, 400, 404, 413), resp.status_code
    body = json.loads(resp.data)
    assert ("values" in body) if resp.status_code == 200 else ("error" in body)


@pytest.mark.slow
@settings(max_examples=SLOW_EXAMPLES, deadline=None, suppress_health_check=QUIET, database=None)
@given(params=PARAMS)
def test_any_parameters_are_answered_long_run(client: FlaskClient,
                                              params: dict[str, Any]) -> None:
    _fuzz_search(client, params)
    _fuzz_page(client, params)


# -- schemathesis: every documented operation, responses conform to /openapi.json -------------

# What must hold for every generated request, valid or not. Left out on purpose:
# positive_data_acceptance (cross-parameter limits such as page*per_page <= 10,000, or
# a refused "a*" query, cannot be written in OpenAPI, so schema-valid requests may be a
# documented 400) and negative_data_rejection (empty values count as absent, by design,
# because HTML forms submit their empty inputs).
CONTRACT_CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
    schemathesis.checks.response_headers_conformance,
]


def run_contract(app: Flask, examples_per_operation: int) -> int:
    """Drive every operation of /openapi.json with valid and invalid data; returns cases run."""
    schema = schemathesis.openapi.from_wsgi("/openapi.json", app)
    ran = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @settings(max_examples=examples_per_operation, deadline=None,
                      suppress_health_check=list(HealthCheck), database=None)
            @given(case=operation.as_strategy(generation_mode=mode))
            def check(case: Any) -> None:
                nonlocal ran
                ran += 1
                case.call_and_validate(checks=CONTRACT_CHECKS)

            try:
                check()
            except Unsatisfiable:  # no parameters, so no invalid request to make
                assert mode is GenerationMode.NEGATIVE
    return ran


def test_schemathesis_contract(app: Flask) -> None:
    """No 500; status codes, content types and bodies as /openapi.json documents them."""
    ran = run_contract(app, max(CI_EXAMPLES // 10, 10))
    assert ran >= 100


@pytest.mark.slow
def test_schemathesis_contract_long_run(app: Flask) -> None:
    ran = run_contract(app, SLOW_EXAMPLES // 10)
    assert ran >= 1000
