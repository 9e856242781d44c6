"""Who said what over HTTP: collapse=quote, /api/quotes, actor timelines, citable export,
and the /quotes and /actors pages (escaping, links, no inline code)."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

import pytest
from conftest import get_json
from flask.testing import FlaskClient

from searchsvc.app import create_app
from searchsvc.web.api import csv_cell, to_csv

PUTIN = "Vladimir Putin"




def error_param(client: FlaskClient, url: str, status: int = 400) -> str | None:
    body = get_json(client, url, status)
    assert set(body) == {"error"} and body["error"]["code"] == status
    return body["error"].get("param")


# -- /api/search?collapse=quote --------------------------------------------------------------


@pytest.mark.parametrize("q", ["unacceptable", "absolutely unacceptable"])
def test_collapse_folds_the_syndicated_statement(client: FlaskClient, q: str) -> None:
    plain = get_json(client, "/api/search", query_string={"q": q})
    body = get_json(client, "/api/search", query_string={"q": q, "collapse": "quote"})
    assert body["total"] == plain["total"]  # total and facets still count passages
    assert body["facets"] == plain["facets"] and body["facets_count"] == "passages"
    assert body["collapsed"] == len(body["hits"]) < plain["total"]
    assert "collapsed" not in plain
    groups = [h for h in body["hits"]
              if {h["outlet"], *(c["outlet"] for c in h["also_reported_by"])}
              >= {"Forbes", "All Israel News"}]
    assert len(groups) == 1, body["hits"]
    group = groups[0]
    assert group["earliest"] == "2023-10-13"
    assert group["copies"] == len(group["also_reported_by"]) + 1 >= 2
    other = {"Forbes": "All Israel News", "All Israel News": "Forbes"}[group["outlet"]]
    assert other in {c["outlet"] for c in group["also_reported_by"]}
    for copy in group["also_reported_by"]:
        assert set(copy) == {"outlet", "passage_id", "published", "url"}
    # every passage is in exactly one group
    shown = [p for h in body["hits"]
             for p in [h["passage_id"], *(c["passage_id"] for c in h["also_reported_by"])]]
    assert sorted(shown) == sorted(h["passage_id"] for h in
                                   get_json(client, "/api/search", query_string={
                                       "q": q, "per_page": 100})["hits"])


def test_collapse_groups_the_leningrad_comparison(client: FlaskClient) -> None:
    body = get_json(client, "/api/search?q=Leningrad&collapse=quote")
    outlets = [{h["outlet"], *(c["outlet"] for c in h["also_reported_by"])}
               for h in body["hits"]]
    assert any(o >= {"The Times of Israel", "All Israel News"} for o in outlets), outlets


def test_collapse_pages_count_groups(client: FlaskClient) -> None:
    body = get_json(client, "/api/search?collapse=quote&per_page=5")
    assert body["pages"] == -(-body["collapsed"] // 5)
    assert body["collapsed"] < body["total"]
    second = get_json(client, "/api/search?collapse=quote&per_page=5&page=2")
    assert {h["passage_id"] for h in second["hits"]}.isdisjoint(
        {h["passage_id"] for h in body["hits"]})


@pytest.mark.parametrize("value", ["quotes", "all", "1"])
def test_collapse_other_values_are_400(client: FlaskClient, value: str) -> None:
    assert error_param(client, f"/api/search?q=putin&collapse={value}") == "collapse"
    page = client.get(f"/?q=putin&collapse={value}")
    assert page.status_code == 400 and "<code>collapse</code>" in page.get_data(as_text=True)


def test_empty_collapse_is_absent(client: FlaskClient) -> None:
    body = get_json(client, "/api/search?q=putin&collapse=")
    assert "collapsed" not in body and "also_reported_by" not in body["hits"][0]


# -- /api/quotes ------------------------------------------------------------------------------


def test_quotes_by_speaker(client: FlaskClient) -> None:
    body = get_json(client, "/api/quotes", query_string={"speaker": PUTIN, "limit": 500})
    assert body["total"] == len(body["quotes"]) > 5
    assert {x["speaker"] for x in body["quotes"]} == {PUTIN}
    assert any("absolutely unacceptable" in x["text"] for x in body["quotes"])
    assert body["generation"].startswith("gen-") and body["timed_out"] is False
    dates = [x["published"] for x in body["quotes"]]
    assert dates == sorted(dates, reverse=True)  # newest first without a query
    for x in body["quotes"]:
        assert x["passage_id"].startswith(x["article_id"] + ".p")
        assert isinstance(x["cluster"], int)


def test_quotes_query_limit_outlet_dates_and_clusters(client: FlaskClient) -> None:
    body = get_json(client, "/api/quotes?q=unacceptable")
    assert body["quotes"] and all("unacceptable" in x["text"].lower() for x in body["quotes"])
    forbes = next(x for x in body["quotes"]
                  if x["outlet"] == "Forbes" and "absolutely unacceptable" in x["text"])
    ain = next(x for x in body["quotes"]
               if x["outlet"] == "All Israel News" and "absolutely unacceptable" in x["text"])
    assert forbes["cluster"] == ain["cluster"]
    one = get_json(client, "/api/quotes?q=unacceptable&limit=1")
    assert len(one["quotes"]) == 1 and one["total"] == body["total"]
    only = get_json(client, "/api/quotes", query_string={"speaker": PUTIN, "outlet": "Forbes"})
    assert only["quotes"] and {x["outlet"] for x in only["quotes"]} == {"Forbes"}
    day = get_json(client, "/api/quotes", query_string={"speaker": PUTIN, "from": "2023-10-17",
                                                         "to": "2023-10-17"})
    assert day["quotes"] and {x["published"] for x in day["quotes"]} == {"2023-10-17"}
    none = get_json(client, "/api/quotes", query_string={"speaker": "Nobody Atall"})
    assert none == {**none, "total": 0, "quotes": []}


@pytest.mark.parametrize("query, param", [
    ("limit=0", "limit"), ("limit=501", "limit"), ("limit=x", "limit"),
    ("from=yesterday", "from"), ("to=2023-02-30", "to"), ("sort=best", "sort"),
])
def test_quotes_bad_parameters(client: FlaskClient, query: str, param: str) -> None:
    assert error_param(client, f"/api/quotes?{query}") == param
    assert client.get(f"/quotes?{query}").status_code == 400


# -- /api/actors/<name>/timeline --------------------------------------------------------------


def test_timeline_by_month_split_by_outlet(client: FlaskClient) -> None:
    body = get_json(client, "/api/actors/Vladimir%20Putin/timeline")
    assert body["actor"] == PUTIN and body["found"] is True and body["interval"] == "month"
    months = {b["date"]: b for b in body["buckets"]}
    october = months["2023-10"]
    assert october["passages"] > 0 and october["quotes"] > 0
    assert len(october["by_outlet"]) >= 2
    for b in body["buckets"]:
        assert b["passages"] == sum(o["passages"] for o in b["by_outlet"].values())
        assert b["quotes"] == sum(o["quotes"] for o in b["by_outlet"].values())
    assert body["totals"]["passages"] == sum(b["passages"] for b in body["buckets"])
    assert body["totals"]["quotes"] == sum(b["quotes"] for b in body["buckets"])
    assert body["totals"]["passages"] == get_json(
        client, "/api/search", query_string={"actor": PUTIN})["total"]
    assert set(body["outlets"]) == {o for b in body["buckets"] for o in b["by_outlet"]}
    dates = [s["published"] for s in body["statements"]]
    assert dates == sorted(dates) and {s["speaker"] for s in body["statements"]} == {PUTIN}


def test_timeline_by_day_and_filters(client: FlaskClient) -> None:
    body = get_json(client, "/api/actors/Vladimir%20Putin/timeline?interval=day")
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", b["date"]) for b in body["buckets"])
    assert "2023-10-13" in {b["date"] for b in body["buckets"]}
    forbes = get_json(client, "/api/actors/Vladimir%20Putin/timeline?outlet=Forbes")
    assert forbes["outlets"] == ["Forbes"]
    ranged = get_json(client, "/api/actors/Vladimir%20Putin/timeline?interval=day"
                              "&from=2023-10-17&to=2023-10-24")
    assert {b["date"] for b in ranged["buckets"]} <= {"2023-10-17", "2023-10-24"}


def test_timeline_unknown_actor_is_404_and_bad_interval_400(client: FlaskClient) -> None:
    assert error_param(client, "/api/actors/Nobody%20Atall/timeline", 404) == "name"
    assert error_param(client, "/api/actors/Vladimir%20Putin/timeline?interval=year") \
        == "interval"
    assert error_param(client, "/api/actors/Vladimir%20Putin/timeline?from=x") == "from"
    page = client.get("/actors/Nobody%20Atall")
    assert page.status_code == 404 and page.mimetype == "text/html"


# -- /api/export -------------------------------------------------------------------------------


def test_export_csv_is_citable(client: FlaskClient) -> None:
    resp = client.get("/api/export?q=putin")
    assert resp.status_code == 200
    assert resp.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert resp.headers["Content-Disposition"] == 'attachment; filename="searchsvc-export.csv"'
    rows = list(csv.DictReader(io.StringIO(resp.get_data(as_text=True), newline="")))
    total = get_json(client, "/api/search?q=putin")["total"]
    assert len(rows) == total == 22  # the whole result set, not a page
    assert list(rows[0]) == ["passage_id", "article_id", "ordinal", "start", "end", "outlet",
                             "published", "url", "title", "speakers", "actors", "score", "text"]
    articles: dict[str, dict[str, Any]] = {}
    for row in rows:
        art = articles.setdefault(row["article_id"],
                                  get_json(client, f"/api/articles/{row['article_id']}"))
        passage = next(p for p in art["passages"] if p["passage_id"] == row["passage_id"])
        text = row["text"][1:] if row["text"].startswith("'") and \
            passage["text"].startswith(("=", "+", "-", "@")) else row["text"]
        assert text == passage["text"]
        assert art["text"][int(row["start"]):int(row["end"])] == passage["text"]
        assert int(row["ordinal"]) == passage["ordinal"]


def test_export_json_keeps_order_and_filters(client: FlaskClient) -> None:
    resp = client.get("/api/export?q=putin&outlet=Forbes&sort=date&format=json&page=3")
    assert resp.headers["Content-Disposition"] == \
        'attachment; filename="searchsvc-export.json"'
    body = json.loads(resp.get_data(as_text=True))
    assert body["count"] == len(body["rows"]) == 7 and body["truncated"] is False
    assert {r["outlet"] for r in body["rows"]} == {"Forbes"}
    dates = [r["published"] for r in body["rows"]]
    assert dates == sorted(dates)
    ranked = get_json(client, "/api/search?q=putin&outlet=Forbes&per_page=100")
    relevance = get_json(client, "/api/export?q=putin&outlet=Forbes&format=json")
    assert [r["passage_id"] for r in relevance["rows"]] == \
        [h["passage_id"] for h in ranked["hits"]]


@pytest.mark.parametrize("query, param", [("format=xlsx", "format"), ("from=x", "from"),
                                          ("sort=up", "sort")])
def test_export_bad_parameters(client: FlaskClient, query: str, param: str) -> None:
    assert error_param(client, f"/api/export?{query}") == param


def test_csv_injection_is_defused() -> None:
    assert [csv_cell(v) for v in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "ok", None, 3, -2.5)] \
        == ["'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\tx", "ok", "", 3, -2.5]
    text = to_csv([{"passage_id": "a.p0", "text": '=HYPERLINK("http://x")\n"quoted", ok'}])
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[1][0] == "a.p0" and rows[1][-1] == '\'=HYPERLINK("http://x")\n"quoted", ok'


def test_export_of_hostile_text(make_index: Any) -> None:
    index_dir = make_index({"evil.txt": "=cmd|' /C calc'!A0 the minister said the budget "
                                        "was fine.\n\nA second paragraph on the budget.\n"},
                           {"evil.txt": {"title": "@title", "outlet": "-Outlet",
                                         "published": "2024-01-02"}})
    client = create_app({"INDEX_DIR": str(index_dir)}).test_client()
    rows = list(csv.DictReader(io.StringIO(
        client.get("/api/export?q=budget").get_data(as_text=True), newline="")))
    assert rows and all(r["outlet"] == "'-Outlet" and r["title"] == "'@title" for r in rows)
    assert any(r["text"].startswith("'=cmd") for r in rows)
    raw = get_json(client, "/api/export?q=budget&format=json")["rows"]
    assert any(r["text"].startswith("=cmd") for r in raw)  # JSON is data, never altered


# -- pages --------------------------------------------------------------------------------------


def test_quotes_page_lists_statements_grouped(client: FlaskClient) -> None:
    resp = client.get("/quotes?q=unacceptable")
    page = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert 'class="statement' in page and "absolutely unacceptable" in page
    assert "Also reported by" in page and "earliest:" in page
    assert re.search(r'href="/articles/\w+\?q=unacceptable#p\d+"', page)
    assert 'href="/actors/Vladimir%20Putin"' in page
    assert 'value="unacceptable"' in page  # the form keeps the state
    speaker = client.get("/quotes?speaker=Vladimir+Putin&outlet=Forbes").get_data(as_text=True)
    assert 'value="Vladimir Putin"' in speaker and '<option value="Forbes" selected>' in speaker


def test_actor_page_chart_and_statements(client: FlaskClient) -> None:
    resp = client.get("/actors/Vladimir%20Putin")
    page = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert '<svg class="chart"' in page and 'role="img"' in page and "<title" in page
    assert 'class="bar passages s' in page and 'class="bar quotes s' in page
    assert 'class="legend"' in page and "Forbes" in page
    assert page.count('class="statement') >= 5
    assert "2023-10" in page
    day = client.get("/actors/Vladimir%20Putin?interval=day").get_data(as_text=True)
    assert "2023-10-13" in day and '<option value="day" selected>' in day


def test_actor_names_link_to_actor_pages(client: FlaskClient) -> None:
    search = client.get("/?q=putin").get_data(as_text=True)
    assert 'href="/actors/Vladimir%20Putin"' in search
    article = client.get("/articles/004_9bb485b22de1bfd6").get_data(as_text=True)
    assert 'href="/actors/Vladimir%20Putin"' in article


def test_search_page_collapse_toggle_and_export_links(client: FlaskClient) -> None:
    off = client.get("/?q=unacceptable").get_data(as_text=True)
    assert 'name="collapse" value="quote" data-autosubmit>' in off
    assert "Also reported by" not in off
    assert 'href="/api/export?q=unacceptable&amp;format=csv"' in off
    assert 'href="/api/export?q=unacceptable&amp;format=json"' in off
    on = client.get("/?q=unacceptable&collapse=quote&page=1&outlet=Forbes"
                    "&outlet=All+Israel+News").get_data(as_text=True)
    assert 'name="collapse" value="quote" data-autosubmit checked>' in on
    assert "Also reported by" in on and "earliest:" in on and "2023-10-13" in on
    assert ('href="/api/export?q=unacceptable&amp;outlet=Forbes&amp;outlet=All+Israel+News'
            '&amp;format=csv"') in on


def test_markup_in_a_quote_is_escaped(make_index: Any) -> None:
    text = ('Russian President Vladimir Putin said on Tuesday that "<script>alert(1)</script> '
            'is <b>never</b> acceptable in the budget debate."\n\n'
            'Parliament debated the budget for hours.\n')
    index_dir = make_index({"evil.txt": text},
                           {"evil.txt": {"title": "Budget <i>row</i>",
                                         "outlet": "Bad <b>Outlet</b>",
                                         "published": "2024-01-02"}})
    client = create_app({"INDEX_DIR": str(index_dir)}).test_client()
    found = get_json(client, "/api/quotes?q=acceptable")
    assert any("<script>" in x["text"] for x in found["quotes"]), found
    page = client.get("/quotes?q=acceptable").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;b&gt;never&lt;/b&gt;" in page
    assert "<script>alert" not in page and "<b>never" not in page and "<b>Outlet" not in page
    speaker = found["quotes"][0]["speaker"]
    if speaker:
        actor = client.get(f"/actors/{speaker}").get_data(as_text=True)
        assert "<script>alert" not in actor and "<b>Outlet" not in actor


def test_new_pages_have_no_inline_code(client: FlaskClient) -> None:
    for url in ("/quotes", "/quotes?speaker=Vladimir+Putin", "/actors/Vladimir%20Putin",
                "/actors/Vladimir%20Putin?interval=day", "/?q=putin&collapse=quote"):
        resp = client.get(url)
        page = resp.get_data(as_text=True)
        assert resp.status_code == 200, url
        assert " style=" not in page and "<style" not in page
        assert re.findall(r"<script(?![^>]*\bsrc=)", page) == []
        assert not re.search(r"<[^>]*\son[a-z]+\s*=", page)


def test_one_word_quotes_of_one_speaker_in_unrelated_stories_stay_apart(make_index: Any) -> None:
    """"Unacceptable" said twice by one minister about two different things is two
    statements; the same report copied by two outlets is one."""
    tariffs = ('Trade Minister Maria Lopez called the new tariffs on steel "unacceptable" '
               "on Monday, and said the government would respond within a week.")
    strike = ('Trade Minister Maria Lopez said the dockworkers\' strike at the northern port '
              'was "unacceptable" and urged both sides to return to talks.')
    index_dir = make_index({"a.txt": f"Tariffs\n\n{tariffs}\n", "b.txt": f"Strike\n\n{strike}\n",
                            "c.txt": f"Tariffs again\n\n{tariffs}\n"},
                           {"a.txt": {"outlet": "Daily A", "published": "2024-03-04"},
                            "b.txt": {"outlet": "Daily B", "published": "2024-05-06"},
                            "c.txt": {"outlet": "Daily C", "published": "2024-03-05"}})
    client = create_app({"INDEX_DIR": str(index_dir)}).test_client()
    body = get_json(client, "/api/quotes?q=unacceptable")
    quotes = [x for x in body["quotes"] if x["text"].strip(".,").lower() == "unacceptable"]
    assert {x["speaker"] for x in quotes} == {"Maria Lopez"} and len(quotes) == 3
    by_outlet = {x["outlet"]: x["cluster"] for x in quotes}
    assert by_outlet["Daily A"] == by_outlet["Daily C"] != by_outlet["Daily B"]
