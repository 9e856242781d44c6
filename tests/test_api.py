"""Contract tests for the JSON API and the pages, through Flask's test client.

Every endpoint and parameter, the 400s that name their parameter, multi-select
facets, date filters and sorting, the OpenAPI document checked against real
responses, error shapes, security headers, and escaping of hostile text.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from conftest import get_json
from flask import Flask
from flask.testing import FlaskClient

from searchsvc.app import SECURITY_HEADERS, create_app

ARTICLE = "004_9bb485b22de1bfd6"  # The Moscow Times, with a donation banner removed by cleaning




def assert_error(client: FlaskClient, url: str, status: int, param: str | None = None) -> str:
    body = get_json(client, url, status)
    assert set(body) == {"error"}
    err = body["error"]
    assert err["code"] == status
    assert isinstance(err["message"], str) and err["message"]
    if param is not None:
        assert err.get("param") == param, err
    return err["message"]


# -- /api/search ----------------------------------------------------------------------------


def test_search_returns_ranked_highlighted_passages(client: FlaskClient) -> None:
    body = get_json(client, "/api/search?q=putin")
    assert body["query"] == "putin"
    assert body["total"] == 22
    assert body["page"] == 1 and body["per_page"] == 10 and body["pages"] == 3
    assert len(body["hits"]) == 10
    assert body["generation"].startswith("gen-")
    assert body["timed_out"] is False
    assert set(body["facets"]) == {"outlet", "actor", "speaker", "month"}
    scores = [h["score"] for h in body["hits"]]
    assert scores == sorted(scores, reverse=True)
    for hit in body["hits"]:
        assert "<mark>Putin</mark>" in hit["highlight"]
        assert hit["passage_id"].startswith(hit["article_id"] + ".p")


def test_phrase_is_highlighted_as_one_span(client: FlaskClient) -> None:
    body = get_json(client, '/api/search?q="civilian casualties"&per_page=100')
    assert body["total"] > 0
    for hit in body["hits"]:
        marks = re.findall(r"<mark>(.*?)</mark>", hit["highlight"])
        assert marks and all(m.lower() == "civilian casualties" for m in marks), marks


def test_syntax_errors_fall_back_to_plain_words(client: FlaskClient) -> None:
    body = get_json(client, '/api/search?q=putin AND (("')
    assert body["total"] > 0


def test_pagination_fields_and_disjoint_pages(client: FlaskClient) -> None:
    seen: list[str] = []
    for page in range(1, 6):
        body = get_json(client, f"/api/search?q=putin&per_page=5&page={page}")
        assert body["page"] == page and body["per_page"] == 5 and body["pages"] == 5
        seen += [h["passage_id"] for h in body["hits"]]
    assert len(seen) == 22 == len(set(seen))
    beyond = get_json(client, "/api/search?q=putin&per_page=5&page=6")
    assert beyond["hits"] == [] and beyond["total"] == 22


@pytest.mark.parametrize("query, param", [
    ("page=x", "page"), ("page=0", "page"), ("page=-1", "page"), ("page=1.5", "page"),
    ("page=1000000000", "page"), ("per_page=0", "per_page"), ("per_page=101", "per_page"),
    ("per_page=1000000", "per_page"), ("per_page=ten", "per_page"),
    ("from=yesterday", "from"), ("from=2023-13-01", "from"), ("to=2023-02-30", "to"),
    ("from=20231010", "from"), ("from=2023-10-20&to=2023-10-01", "from"),
    ("sort=score", "sort"), ("q=" + "a" * 1001, "q"),
])
def test_bad_parameters_are_400_naming_the_parameter(client: FlaskClient, query: str,
                                                     param: str) -> None:
    assert_error(client, "/api/search?" + query, 400, param)


def test_empty_parameters_count_as_absent(client: FlaskClient) -> None:
    body = get_json(client, "/api/search?q=&from=&to=&sort=&page=&per_page=&outlet=")
    assert body["total"] == 65 and body["page"] == 1 and body["per_page"] == 10


def test_multiselect_facets_keep_other_values_with_real_counts(client: FlaskClient) -> None:
    plain = get_json(client, "/api/search?q=putin")
    forbes = get_json(client, "/api/search?q=putin&outlet=Forbes&per_page=100")
    assert forbes["total"] == 7
    assert {h["outlet"] for h in forbes["hits"]} == {"Forbes"}
    outlets = {f["value"]: f for f in forbes["facets"]["outlet"]}
    # Other outlets stay listed with the counts they would add.
    assert {k: v["count"] for k, v in outlets.items()} == \
        {f["value"]: f["count"] for f in plain["facets"]["outlet"]}
    assert outlets["Forbes"]["selected"] is True
    assert outlets["All Israel News"]["selected"] is False
    # Other facets count within the outlet filter.
    actors = Counter(a["name"] for h in forbes["hits"] for a in h["actors"])
    for item in forbes["facets"]["actor"]:
        assert item["count"] == actors[item["value"]], item
    assert forbes["facets"]["actor"] != plain["facets"]["actor"]


def test_filters_are_or_within_and_across(client: FlaskClient) -> None:
    both = get_json(client, "/api/search?q=putin&outlet=Forbes&outlet=The+Moscow+Times")
    assert both["total"] == 7 + 3
    narrowed = get_json(client, "/api/search?q=putin&outlet=Forbes&speaker=Vladimir+Putin"
                                "&per_page=100")
    assert 0 < narrowed["total"] < 7
    assert all("Vladimir Putin" in h["speakers"] for h in narrowed["hits"])
    actor = get_json(client, "/api/search?actor=Dmitry+Peskov&per_page=100")
    assert actor["total"] == 4
    assert all(any(a["name"] == "Dmitry Peskov" for a in h["actors"]) for h in actor["hits"])


def test_date_filters_are_inclusive_on_publication_date(client: FlaskClient) -> None:
    day = get_json(client, "/api/search?from=2023-10-13&to=2023-10-13&per_page=100")
    assert day["total"] == 11
    assert {h["published"] for h in day["hits"]} == {"2023-10-13"}
    later = get_json(client, "/api/search?from=2023-10-14&per_page=100")
    assert {h["outlet"] for h in later["hits"]} == {"The Times of Israel", "All Israel News"}
    until = get_json(client, "/api/search?to=2021-12-31&per_page=100")
    assert until["total"] == 13 and {h["outlet"] for h in until["hits"]} == {"Newsweek"}


@pytest.mark.parametrize("sort, newest_first", [("-date", True), ("date", False)])
def test_sort_by_date(client: FlaskClient, sort: str, newest_first: bool) -> None:
    body = get_json(client, f"/api/search?q=putin&sort={sort}&per_page=100")
    dates = [h["published"] for h in body["hits"]]
    assert len(dates) == 22
    assert dates == sorted(dates, reverse=newest_first)
    assert body["sort"] == sort
    assert all(h["score"] is None for h in body["hits"])


def test_spelling_suggestion(client: FlaskClient) -> None:
    body = get_json(client, "/api/search?q=Netanyahoo+ceasefire")
    assert body["suggestion"] == "netanyahu ceasefire"


# -- other endpoints ---------------------------------------------------------------------------


def test_article(client: FlaskClient) -> None:
    body = get_json(client, f"/api/articles/{ARTICLE}")
    assert body["id"] == ARTICLE
    assert body["outlet"] == "The Moscow Times" and body["published"] == "2023-10-10"
    assert body["provenance"]["outlet"] == "manifest"
    assert body["passages"] and body["passages"][0]["ordinal"] == 0
    rules = {r["rule"] for r in body["removed"]}
    assert "donation-appeal" in rules
    assert body["text"].startswith("Russian President Vladimir Putin")


@pytest.mark.parametrize("article_id", ["nope", "..%2F..%2Fetc", "a" * 300, "x%00y"])
def test_unknown_article_is_404(client: FlaskClient, article_id: str) -> None:
    assert_error(client, f"/api/articles/{article_id}", 404)


def test_facet_values_with_prefix_and_filters(client: FlaskClient) -> None:
    body = get_json(client, "/api/facets/actor?prefix=vla")
    assert body["field"] == "actor"
    assert [v["value"] for v in body["values"]] == ["Vladimir Putin"]
    assert body["values"][0]["count"] == 22
    every = get_json(client, "/api/facets/actor?limit=1000")["values"]
    assert len(every) > 10  # more than the search page's top 10
    counts = [v["count"] for v in every]
    assert counts == sorted(counts, reverse=True)
    limited = get_json(client, "/api/facets/actor?limit=3")["values"]
    assert limited == every[:3]
    forbes = get_json(client, "/api/facets/actor?outlet=Forbes&q=putin&prefix=vla")["values"]
    assert forbes[0]["count"] == 7
    months = get_json(client, "/api/facets/month")["values"]
    assert [m["value"] for m in months] == ["2021-05", "2023-10"]


def test_facet_errors(client: FlaskClient) -> None:
    assert_error(client, "/api/facets/colour", 404, "field")
    assert_error(client, "/api/facets/actor?limit=0", 400, "limit")
    assert_error(client, "/api/facets/actor?limit=abc", 400, "limit")
    assert_error(client, "/api/facets/actor?page=x", 400, "page")


def test_stats_and_health(client: FlaskClient) -> None:
    stats = get_json(client, "/api/stats")
    assert stats["articles"] == 5 and stats["passages"] == 65
    health = get_json(client, "/healthz")
    assert health == {"status": "ok", "generation": stats["generation"], "passages": 65}


def test_no_index_is_503_json(tmp_path: Path) -> None:
    client = create_app({"INDEX_DIR": str(tmp_path)}).test_client()
    assert "index" in assert_error(client, "/healthz", 503)
    assert_error(client, "/api/search?q=putin", 503)
    assert_error(client, "/api/stats", 503)
    page = client.get("/")
    assert page.status_code == 503 and page.mimetype == "text/html"
    assert "unavailable" in page.get_data(as_text=True)


def test_index_dir_from_environment(monkeypatch: pytest.MonkeyPatch, seed_index: Path) -> None:
    monkeypatch.setenv("SEARCHSVC_INDEX_DIR", str(seed_index))
    monkeypatch.setenv("SEARCHSVC_TIME_LIMIT", "5")
    app = create_app()
    assert app.config["TIME_LIMIT"] == 5.0
    assert get_json(app.test_client(), "/healthz")["passages"] == 65
    monkeypatch.setenv("SEARCHSVC_TIME_LIMIT", "soon")
    with pytest.raises(ValueError, match="SEARCHSVC_TIME_LIMIT"):
        create_app()


# -- HTTP behaviour ---------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
@pytest.mark.parametrize("url", ["/api/search", "/api/articles/x", "/healthz", "/", "/nowhere"])
def test_writes_are_405(client: FlaskClient, method: str, url: str) -> None:
    resp = client.open(url, method=method)
    assert resp.status_code == 405
    assert resp.headers["Allow"] == "GET, HEAD, OPTIONS"
    if url != "/" and url != "/nowhere":
        assert resp.get_json()["error"]["code"] == 405


def test_head_and_options(client: FlaskClient) -> None:
    assert client.head("/api/search?q=putin").status_code == 200
    assert client.options("/api/search").status_code == 200


def test_large_requests_are_413(client: FlaskClient) -> None:
    resp = client.get("/api/search", data=b"x" * 100_000)
    assert resp.status_code == 413 and resp.get_json()["error"]["code"] == 413
    assert_error(client, "/api/search?q=" + "a" * 10_000, 413)


def test_unknown_api_path_is_json_404(client: FlaskClient) -> None:
    assert_error(client, "/api/nothing", 404)
    # a doubled slash is not redirected (a 308 without a JSON body) but answered as a 404
    assert_error(client, "/api/facets//outlet", 404)


@pytest.mark.parametrize("url", ["/api/search?q=putin", "/", "/?q=putin", f"/articles/{ARTICLE}",
                                 "/static/style.css", "/api/nothing", "/nothing",
                                 "/api/search?page=x", "/openapi.json"])
def test_security_headers_everywhere(client: FlaskClient, url: str) -> None:
    resp = client.get(url)
    for name, value in SECURITY_HEADERS.items():
        assert resp.headers.get(name) == value, (url, name)
    assert "frame-ancestors 'none'" in resp.headers["Content-Security-Policy"]


def test_never_debug(app: Flask) -> None:
    assert app.debug is False and create_app({"DEBUG": True}).debug is False


# -- OpenAPI ----------------------------------------------------------------------------------


def _check(schema: dict[str, Any], value: Any, spec: dict[str, Any], where: str = "$") -> None:
    """A small JSON Schema check (the subset the document uses): type, enum, objects, arrays."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return _check(spec["components"]["schemas"][name], value, spec, where)
    types = schema.get("type")
    if types is not None:
        types = [types] if isinstance(types, str) else types
        py = {"object": dict, "array": list, "string": str, "boolean": bool, "null": type(None),
              "integer": int, "number": (int, float)}
        ok = any(isinstance(value, py[t]) and not (t in ("integer", "number")
                                                    and isinstance(value, bool)) for t in types)
        assert ok, f"{where}: {value!r} is not {types}"
    if "enum" in schema:
        assert value in schema["enum"], f"{where}: {value!r} not in {schema['enum']}"
    if "minimum" in schema and isinstance(value, int | float):
        assert value >= schema["minimum"], where
    if "maximum" in schema and isinstance(value, int | float):
        assert value <= schema["maximum"], where
    if isinstance(value, dict):
        props = schema.get("properties", {})
        for key in schema.get("required", []):
            assert key in value, f"{where}: missing {key}"
        extra = schema.get("additionalProperties", True)
        for key, item in value.items():
            if key in props:
                _check(props[key], item, spec, f"{where}.{key}")
            elif extra is False:
                raise AssertionError(f"{where}: undocumented property {key!r}")
            elif isinstance(extra, dict):
                _check(extra, item, spec, f"{where}.{key}")
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            _check(schema["items"], item, spec, f"{where}[{i}]")
    return None


def test_openapi_documents_every_route(app: Flask, client: FlaskClient) -> None:
    spec = get_json(client, "/openapi.json")
    assert spec["openapi"].startswith("3.1")
    routes = {re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
              for rule in app.url_map.iter_rules() if rule.endpoint != "static"}
    assert routes == set(spec["paths"])
    for path, item in spec["paths"].items():
        assert set(item) == {"get"}, path
        op = item["get"]
        assert "200" in op["responses"] and "405" in op["responses"]
        for name in re.findall(r"{(\w+)}", path):
            assert any(p["name"] == name and p["in"] == "path" and p["required"]
                       for p in op["parameters"]), (path, name)
        for response in op["responses"].values():
            for media in response["content"].values():
                ref = media["schema"].get("$ref")
                if ref:
                    assert ref.rsplit("/", 1)[-1] in spec["components"]["schemas"]
    documented = {p["name"] for p in spec["paths"]["/api/search"]["get"]["parameters"]}
    assert documented == {"q", "outlet", "actor", "speaker", "from", "to", "sort", "page",
                          "per_page", "collapse"}


@pytest.mark.parametrize("url, path, status", [
    ("/api/search?q=putin&per_page=100", "/api/search", "200"),
    ("/api/search?q=putin&sort=-date", "/api/search", "200"),
    ("/api/search?page=x", "/api/search", "400"),
    (f"/api/articles/{ARTICLE}", "/api/articles/{article_id}", "200"),
    ("/api/articles/nope", "/api/articles/{article_id}", "404"),
    ("/api/facets/speaker?q=putin", "/api/facets/{field}", "200"),
    ("/api/facets/colour", "/api/facets/{field}", "404"),
    ("/api/stats", "/api/stats", "200"),
    ("/healthz", "/healthz", "200"),
    ("/api/search?q=unacceptable&collapse=quote", "/api/search", "200"),
    ("/api/search?collapse=all", "/api/search", "400"),
    ("/api/quotes?speaker=Vladimir+Putin", "/api/quotes", "200"),
    ("/api/quotes?q=unacceptable&limit=0", "/api/quotes", "400"),
    ("/api/actors/Vladimir%20Putin/timeline", "/api/actors/{name}/timeline", "200"),
    ("/api/actors/Vladimir%20Putin/timeline?interval=day", "/api/actors/{name}/timeline",
     "200"),
    ("/api/actors/Nobody%20Atall/timeline", "/api/actors/{name}/timeline", "404"),
    ("/api/actors/Vladimir%20Putin/timeline?interval=year", "/api/actors/{name}/timeline",
     "400"),
    ("/api/export?q=putin&format=json", "/api/export", "200"),
    ("/api/export?format=xls", "/api/export", "400"),
])
def test_responses_match_the_openapi_schemas(client: FlaskClient, url: str, path: str,
                                             status: str) -> None:
    spec = get_json(client, "/openapi.json")
    body = get_json(client, url, int(status))
    schema = spec["paths"][path]["get"]["responses"][status]["content"]["application/json"]
    _check(schema["schema"], body, spec)


# -- hostile text -----------------------------------------------------------------------------

XSS_TITLE = "Evil <script>alert(1)</script> headline"
XSS_TEXT = ("Parliament debated the budget on Tuesday. The minister said <script>alert(1)</script> "
            "was a test and <img src=x onerror=alert(1)> was another.\n\n"
            "A second paragraph about the budget and the parliament vote.\n")


@pytest.fixture
def xss_client(make_index: Any) -> FlaskClient:
    index_dir = make_index({"evil.txt": XSS_TEXT},
                           {"evil.txt": {"title": XSS_TITLE, "outlet": "Bad <b>Outlet</b>",
                                         "published": "2024-01-02"}})
    return create_app({"INDEX_DIR": str(index_dir)}).test_client()


def _no_live_markup(page: str) -> None:
    assert "<script>alert" not in page
    assert "<img src=x" not in page and "<img src=\"x\"" not in page
    assert "<b>Outlet</b>" not in page


def test_hostile_article_text_is_escaped_in_json(xss_client: FlaskClient) -> None:
    body = get_json(xss_client, "/api/search?q=minister+alert")
    assert body["total"] >= 1
    hit = body["hits"][0]
    assert "<script>" in hit["text"]  # the raw text is data, returned as is
    assert "<script>" not in hit["highlight"] and "<img" not in hit["highlight"]
    assert "&lt;script&gt;" in hit["highlight"] and "&lt;img src=x onerror=" in hit["highlight"]
    assert "<mark>alert</mark>" in hit["highlight"]


def test_hostile_article_text_is_escaped_in_pages(xss_client: FlaskClient) -> None:
    search = xss_client.get("/?q=minister").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in search
    assert "&lt;img src=x onerror=alert(1)&gt;" in search
    _no_live_markup(search)
    article_id = get_json(xss_client, "/api/search?q=minister")["hits"][0]["article_id"]
    page = xss_client.get(f"/articles/{article_id}").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Evil &lt;script&gt;alert(1)&lt;/script&gt; headline" in page
    _no_live_markup(page)
    browse = xss_client.get("/").get_data(as_text=True)
    assert "Bad &lt;b&gt;Outlet&lt;/b&gt;" in browse
    _no_live_markup(browse)


def test_markup_in_the_query_is_escaped(client: FlaskClient) -> None:
    q = "<script>x</script>"
    resp = client.get("/", query_string={"q": q})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "<script>x" not in page and "<strip>" not in page
    assert 'value="&lt;script&gt;x&lt;/script&gt;"' in page  # the search box
    assert "No passages" in page and "&lt;script&gt;x&lt;/script&gt;" in page
    body = get_json(client, "/api/search", query_string={"q": q})
    if body["suggestion"]:  # "Did you mean" repeats user-derived text: escaped too
        assert html.escape(body["suggestion"], quote=False) in page
    bad = client.get("/", query_string={"q": q, "page": "<b>1</b>"}).get_data(as_text=True)
    assert "<b>1</b>" not in bad and "&lt;b&gt;1&lt;/b&gt;" in bad


# -- pages ------------------------------------------------------------------------------------


def test_search_page_renders_results_facets_and_pagination(client: FlaskClient) -> None:
    resp = client.get("/?q=putin&per_page=5&page=2&outlet=Forbes&outlet=All+Israel+News")
    page = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "<strong>15</strong> passages" in page
    assert page.count('class="hit"') == 5
    assert "<mark>Putin</mark>" in page
    assert 'name="outlet" value="Forbes" data-autosubmit checked' in page
    assert 'name="outlet" value="The Moscow Times" data-autosubmit>' in page
    assert 'aria-current="page">2</span>' in page
    # Page links keep every parameter.
    assert 'href="/?q=putin&amp;per_page=5&amp;outlet=Forbes&amp;outlet=All+Israel+News' \
           '&amp;page=3"' in page
    assert 'rel="prev"' in page and 'rel="next"' in page
    assert re.search(r'href="/articles/\w+\?q=putin#p\d+"', page)
    assert "<svg class=\"histogram\"" in page and 'height="60.0"' in page


def test_search_page_suggestion_and_empty_results(client: FlaskClient) -> None:
    page = client.get("/?q=Netanyahoo+ceasefire").get_data(as_text=True)
    assert "Did you mean" in page and 'href="/?q=netanyahu+ceasefire"' in page
    none = client.get("/?q=zzzzqqqq").get_data(as_text=True)
    assert "No passages for" in none


def test_search_page_shows_parameter_errors_in_place(client: FlaskClient) -> None:
    resp = client.get("/?q=putin&from=soon")
    assert resp.status_code == 400
    page = resp.get_data(as_text=True)
    assert "Cannot search" in page and "<code>from</code>" in page
    assert 'value="putin"' in page


def test_start_page_browses_newest(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)
    assert "passages in the index, newest first" in page
    assert "autofocus" in page and '<label for="q">' in page
    assert "2023-10-24" in page  # the newest article


def test_article_page(client: FlaskClient) -> None:
    resp = client.get(f"/articles/{ARTICLE}")
    page = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert 'id="p0"' in page and 'id="p1"' in page
    assert "Removed by cleaning" in page and "donation-appeal" in page
    assert "Enjoying ad-free content?" in page
    assert "manifest" in page and "The Moscow Times" in page
    assert "Vladimir Putin" in page
    missing = client.get("/articles/nope")
    assert missing.status_code == 404 and missing.mimetype == "text/html"
    assert "&#39;nope&#39;" in missing.get_data(as_text=True)


def test_static_files_have_no_inline_code(client: FlaskClient) -> None:
    for url in ("/", "/?q=putin", f"/articles/{ARTICLE}"):
        page = client.get(url).get_data(as_text=True)
        assert " style=" not in page and "<style" not in page
        assert re.findall(r"<script(?![^>]*\bsrc=)", page) == []
        assert not re.search(r"<[^>]*\son[a-z]+\s*=", page)  # no inline event handlers
    assert client.get("/static/app.js").status_code == 200
    assert client.get("/static/style.css").status_code == 200
