"""Hostile input: a corpus of bad files, expensive queries, path tricks and markup.

The build must finish, index the good articles and report every bad file with
its reason (exit 3; ``--strict`` exits 1 publishing nothing). Queries are
refused with a 400 or answered within the time budget, partial results marked
``timed_out``. Nothing a client sends reads a file outside the index or puts
live markup into a page.
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from support.hostile import GOOD_JSONL_RECORD, GOOD_WORDS, write_hostile_corpus

from searchsvc import indexing, querying, reading
from searchsvc.app import create_app
from searchsvc.cli import main
from searchsvc.querying import QueryError
from searchsvc.searching import SearchRequest, SearchService

SEARCHSVC = [sys.executable, "-m", "searchsvc"]
ROOT = Path(__file__).resolve().parent.parent


# -- the hostile corpus -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    root = tmp_path_factory.mktemp("hostile")
    return root / "corpus", write_hostile_corpus(root / "corpus")


def _reason_for(skipped: list[dict[str, str]], corpus: Path, name: str) -> str | None:
    for s in skipped:
        if s["path"] == str(corpus / name):
            return s["reason"]
    return None


def test_hostile_corpus_builds_reports_every_bad_file_and_serves_the_good(
        hostile: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    corpus, bad = hostile
    index_dir = tmp_path / "index"
    proc = subprocess.run([*SEARCHSVC, "index", "build", str(corpus), "--index-dir",
                           str(index_dir), "--json"], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 3, proc.stderr[-2000:]
    report = json.loads(proc.stdout)
    assert "Traceback" not in proc.stderr
    for name, expected in bad.items():
        reason = _reason_for(report["skipped"], corpus, name)
        assert reason is not None, f"{name} was not reported: {report['skipped']}"
        assert expected in reason, (name, reason)
    # Good articles, the article whose sidecar is broken, and the mislabelled-charset page.
    assert report["articles"] == len(GOOD_WORDS) + 2
    service = SearchService(index_dir)
    for article_id, word in GOOD_WORDS.items():
        hits = service.search(SearchRequest(q=word)).hits
        assert [h["article_id"] for h in hits] == [article_id], word
    assert service.search(SearchRequest(q="courthouse")).total >= 1  # sidecar broken, text kept
    assert service.search(SearchRequest(q="charset")).total >= 1  # shift_jis lie survived
    assert service.search(SearchRequest(q="committee")).total == 0  # the 20 MB text: skipped
    assert service.stats()["skipped"] == len(report["skipped"])


def test_twenty_megabyte_text_is_skipped_by_the_size_policy(
        hostile: tuple[Path, dict[str, str]]) -> None:
    corpus, _ = hostile
    skipped = list(reading.iter_sources([corpus / "huge.txt"]))
    assert len(skipped) == 1 and isinstance(skipped[0], indexing.Skipped)
    reason = skipped[0].reason
    assert "too large" in reason and f"{reading.MAX_ARTICLE_CHARS:,}" in reason


def test_oversized_jsonl_record_is_skipped_and_its_neighbours_kept(tmp_path: Path) -> None:
    big = {"id": "big", "text": "word " * (reading.MAX_ARTICLE_CHARS // 5 + 1)}
    path = tmp_path / "feed.jsonl"
    path.write_text(json.dumps(big) + "\n" + json.dumps(GOOD_JSONL_RECORD) + "\n")
    items = list(reading.iter_sources([path]))
    assert [type(i).__name__ for i in items] == ["Skipped", "Source"]
    assert "too large" in items[0].reason


def test_strict_build_of_the_hostile_corpus_exits_1_and_publishes_nothing(
        hostile: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    corpus, _ = hostile
    index_dir = tmp_path / "index"
    runner = CliRunner()
    first = runner.invoke(main, ["index", "build", str(ROOT / "seeds"), "--index-dir",
                                 str(index_dir)])
    assert first.exit_code == 0, first.output
    before = indexing.current_name(index_dir)
    result = runner.invoke(main, ["index", "build", str(corpus), "--strict", "--index-dir",
                                  str(index_dir)])
    assert result.exit_code == 1
    assert "--strict" in result.output and "nothing was published" in result.output
    assert indexing.current_name(index_dir) == before
    assert sorted(p.name for p in index_dir.iterdir() if p.name.startswith("gen-")) == [before]
    assert not list(index_dir.glob(".gen-*"))
    assert SearchService(index_dir).search(SearchRequest(q="putin")).total > 0


# -- expensive queries ------------------------------------------------------------------------

PREFIX_WORDS = 3000


@pytest.fixture(scope="module")
def big_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Seeds, one article with thousands of words sharing the prefix "qz", and 300 more."""
    root = tmp_path_factory.mktemp("big")
    corpus = root / "corpus"
    corpus.mkdir()
    words = ["qz" + "".join(t) for t in itertools.product("bcdfghjklmnp", repeat=4)]
    words = words[:PREFIX_WORDS]
    paragraphs = [" ".join(words[i:i + 30]) + "." for i in range(0, len(words), 30)]
    (corpus / "prefix.txt").write_text("Many odd words\n\n" + "\n\n".join(paragraphs))
    records = [{"id": f"filler-{n}", "title": f"Council report {n}",
                "text": "\n\n".join(f"The committee met on day {n} and member {k} said the "
                                    "budget figures needed more work before a vote."
                                    for k in range(8))} for n in range(300)]
    (corpus / "filler.jsonl").write_text("\n".join(json.dumps(r) for r in records))
    index_dir = root / "index"
    indexing.build([ROOT / "seeds", corpus], index_dir)
    return index_dir


@pytest.fixture(scope="module")
def big_client(big_index: Path) -> FlaskClient:
    return create_app({"INDEX_DIR": str(big_index)}).test_client()


EXPENSIVE = {
    "lone star": "*",
    "leading wildcard": "*zabc",
    "leading question mark": "?utin",
    "wildcard over thousands of words": "qz*",
    "wildcard with ? over thousands": "qz????",
    "field wildcard over thousands": "text:qz*",
    "fuzzy with large edits": "qzbcdf~5",
    "fuzzy maximum allowed": "qzbcdf~2",
    "star combined": "putin AND *",
    "1,000-term query": " ".join(f"w{n}" for n in range(1000)),
    "200 OR terms": " OR ".join(f"word{n}" for n in range(200)),
    "deep parentheses": "(" * 300 + "putin" + ")" * 300,
    "many phrases": " ".join('"the committee met"' for _ in range(40)),
}


@pytest.mark.parametrize("q", EXPENSIVE.values(), ids=EXPENSIVE.keys())
def test_expensive_queries_are_refused_or_answered_in_budget(big_client: FlaskClient,
                                                             q: str) -> None:
    resp = big_client.get("/api/search", query_string={"q": q})
    body = resp.get_json()
    assert resp.status_code in (200, 400), resp.status_code
    if resp.status_code == 400:
        assert body["error"]["param"] == "q" and body["error"]["message"]
    else:
        assert isinstance(body["timed_out"], bool) and isinstance(body["hits"], list)


def test_wildcards_expanding_to_thousands_of_words_are_refused(big_client: FlaskClient) -> None:
    for q in ("qz*", "qz????", "text:qz*"):
        body = big_client.get("/api/search", query_string={"q": q}).get_json()
        assert "different words" in body["error"]["message"], (q, body)
    narrow = big_client.get("/api/search", query_string={"q": "qzbcd*"}).get_json()
    assert narrow["total"] >= 1  # a specific enough prefix is served


def test_leading_wildcard_and_large_edits_are_refused(big_client: FlaskClient) -> None:
    for q, words in (("*zabc", "letters before"), ("?utin", "letters before"),
                     ("qzbcdf~5", "too many edits")):
        body = big_client.get("/api/search", query_string={"q": q}).get_json()
        assert words in body["error"]["message"], (q, body)


def test_huge_query_strings_and_windows_are_refused(big_client: FlaskClient,
                                                    big_index: Path) -> None:
    huge = "putin " * (100 * 1024 // 6)
    resp = big_client.get("/api/search", query_string={"q": huge})
    assert resp.status_code == 413 and resp.get_json()["error"]["code"] == 413
    with pytest.raises(QueryError):  # the library refuses it too, without HTTP's limit
        SearchService(big_index).search(SearchRequest(q=huge))
    long_q = "x" * (querying.MAX_QUERY_CHARS + 1)
    assert big_client.get("/api/search", query_string={"q": long_q}).status_code == 400
    for params in ({"page": 10**9}, {"per_page": 10**6}, {"page": 10**30},
                   {"page": 10**9, "per_page": 100}, {"page": 0}, {"per_page": 0}):
        resp = big_client.get("/api/search", query_string=params)
        assert resp.status_code == 400, params
        assert resp.get_json()["error"]["param"] in ("page", "per_page")


def test_time_limit_gives_partial_results_marked_timed_out(big_index: Path) -> None:
    app = create_app({"INDEX_DIR": str(big_index), "TIME_LIMIT": 1e-9})
    client = app.test_client()
    for params in ({"q": "committee budget"}, {"q": "committee", "sort": "date"},
                   {"q": '"member said"'}, {"q": "qzbcd*"}, {"q": "committee OR putin"}):
        resp = client.get("/api/search", query_string=params)
        assert resp.status_code == 200, (params, resp.data[:300])
        body = resp.get_json()
        assert body["timed_out"] is True, params
        assert isinstance(body["hits"], list) and body["total"] >= 0
    page = client.get("/", query_string={"q": "committee"})
    assert page.status_code == 200
    # With the default budget the same search completes.
    full = create_app({"INDEX_DIR": str(big_index)}).test_client()
    body = full.get("/api/search", query_string={"q": "committee budget"}).get_json()
    assert body["timed_out"] is False and body["total"] >= 2400


def test_time_limit_from_the_environment(big_index: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SEARCHSVC_TIME_LIMIT", "0.000000001")
    client = create_app({"INDEX_DIR": str(big_index)}).test_client()
    body = client.get("/api/search?q=committee").get_json()
    assert body["timed_out"] is True
    direct = SearchService(big_index, time_limit=1e-9).search(SearchRequest(q="committee"))
    assert direct.timed_out is True


# -- security: read-only, no path escapes, escaping everywhere ------------------------------------


@pytest.fixture(scope="module")
def seed_client(seed_index: Path) -> FlaskClient:
    return create_app({"INDEX_DIR": str(seed_index)}).test_client()


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
@pytest.mark.parametrize("url", ["/api/search", "/api/articles/x", "/", "/articles/x",
                                 "/api/stats", "/nowhere"])
def test_http_side_is_read_only(seed_client: FlaskClient, method: str, url: str) -> None:
    resp = seed_client.open(url, method=method, data=b"x=1")
    assert resp.status_code == 405
    if url.startswith("/api/"):
        assert resp.get_json()["error"]["code"] == 405


TRAVERSALS = ["..%2F..%2Fetc%2Fpasswd", "%2e%2e", "..", "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
              "....%2F%2F....%2F%2Fetc%2Fpasswd", "%2Fetc%2Fpasswd", "..%5C..%5Cwindows",
              "meta.json", "CURRENT", ".lock", "gen-000001", "x%00.txt", "%00",
              "..%252F..%252Fetc%252Fpasswd", "%C0%AE%C0%AE%2F", "a" * 500]


@pytest.mark.parametrize("raw", TRAVERSALS)
def test_article_ids_cannot_escape_the_index(seed_client: FlaskClient, raw: str,
                                             seed_index: Path) -> None:
    for prefix in ("/api/articles/", "/articles/"):
        resp = seed_client.get(prefix + raw)
        assert resp.status_code in (400, 404), (prefix + raw, resp.status_code)
        text = resp.get_data(as_text=True)
        assert "root:" not in text and "gen-0000" not in text.replace(raw, "")
        assert "Traceback" not in text
    for prefix in ("/api/facets/", "/static/", "/static/css/"):
        resp = seed_client.get(prefix + raw, follow_redirects=True)  # "//" is merged: a 308
        assert resp.status_code in (400, 404), (prefix + raw, resp.status_code)
        assert resp.request.path.startswith(prefix.rstrip("/"))
        assert "root:" not in resp.get_data(as_text=True)


XSS_URL = "javascript:alert(document.cookie)"
XSS_TITLE = '"><img src=x onerror=alert(1)> <script>alert("t")</script>'
XSS_BODY = ("The minister said <script>alert('body')</script> that the "
            "\"><img src=x onerror=alert(2)> plan was fine. javascript:alert(3)\n\n"
            "Officials agreed with the minister on Tuesday about the plan.\n")


@pytest.fixture(scope="module")
def xss_app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    root = tmp_path_factory.mktemp("xss")
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "evil.txt").write_text(XSS_BODY)
    (corpus / "evil.txt.meta.json").write_text(json.dumps({
        "title": XSS_TITLE, "url": XSS_URL, "outlet": '<b onmouseover="x()">Outlet</b>',
        "published": "2024-01-02"}))
    indexing.build([corpus], root / "index")
    return create_app({"INDEX_DIR": str(root / "index")})


def _assert_inert(page: str) -> None:
    """No live markup from the article or the query, and no javascript: link."""
    for live in ("<script>alert", "<img src=x", "<img src=\"x\"", "<b onmouseover",
                 'href="javascript:', "href='javascript:", '"><img'):
        assert live not in page, live
    assert "onerror=alert" not in page.replace("onerror=alert(1)&gt;", "").replace(
        "onerror=alert(2)&gt;", "")


def test_hostile_metadata_and_text_are_escaped_everywhere(xss_app: Flask) -> None:
    client = xss_app.test_client()
    body = client.get("/api/search?q=minister").get_json()
    hit = body["hits"][0]
    assert "<script>" not in hit["highlight"] and "<img" not in hit["highlight"]
    assert hit["url"] == XSS_URL  # JSON returns the data as data
    for url in ("/?q=minister", "/", f"/articles/{hit['article_id']}",
                f"/articles/{hit['article_id']}?q=minister",
                "/?q=minister&outlet=%3Cb+onmouseover%3D%22x()%22%3EOutlet%3C%2Fb%3E"):
        resp = client.get(url)
        assert resp.status_code == 200, url
        _assert_inert(resp.get_data(as_text=True))


HOSTILE_QUERIES = ['"><script>alert(1)</script>', "' onfocus='alert(1)", '" autofocus onfocus="x',
                   "javascript:alert(1)", "</textarea><svg onload=alert(1)>",
                   "minister <img src=x onerror=alert(1)>", "minsiter\"><script>"]


@pytest.mark.parametrize("q", HOSTILE_QUERIES)
def test_hostile_queries_are_escaped_in_values_links_and_suggestions(xss_app: Flask,
                                                                     q: str) -> None:
    client = xss_app.test_client()
    for url in ("/", "/articles/evil"):
        resp = client.get(url, query_string={"q": q, "outlet": q, "page": q})
        page = resp.get_data(as_text=True)
        assert resp.status_code in (200, 400, 404)
        _assert_inert(page)
        for fragment in ("<script>", "<svg", "<img", "' onfocus='", '" onfocus="',
                         '" autofocus onfocus'):
            assert fragment not in page, (q, fragment)


def test_pages_carry_csp_and_nosniff(seed_client: FlaskClient) -> None:
    for url in ("/", "/?q=putin", "/articles/nope", "/api/search?q=putin", "/openapi.json",
                "/static/style.css"):
        resp = seed_client.get(url)
        csp = resp.headers.get("Content-Security-Policy", "")
        assert "default-src 'self'" in csp and "script-src 'self'" in csp, url
        assert "unsafe-inline" not in csp
        assert resp.headers.get("X-Content-Type-Options") == "nosniff", url


@pytest.mark.parametrize("url", ["/api/search?q=putin", "/?q=putin"])
def test_internal_errors_are_500_without_traceback(seed_index: Path, url: str,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    app = create_app({"INDEX_DIR": str(seed_index), "DEBUG": True})
    assert not app.debug

    def boom(*_: Any, **__: Any) -> Any:
        raise RuntimeError("secret internal detail /etc/shadow")

    monkeypatch.setattr(SearchService, "search", boom)
    resp = app.test_client().get(url)
    assert resp.status_code == 500
    text = resp.get_data(as_text=True)
    assert "Traceback" not in text and "secret internal detail" not in text
    assert "RuntimeError" not in text and "Werkzeug Debugger" not in text
    if url.startswith("/api/"):
        assert resp.get_json() == {"error": {"code": 500,
                                             "message": "internal error; it has been logged"}}
    else:
        assert resp.mimetype == "text/html"


def test_request_size_limits_are_413(seed_client: FlaskClient) -> None:
    huge_q = "a" * (200 * 1024)
    for url in ("/api/search", "/"):
        resp = seed_client.get(url, query_string={"q": huge_q})
        assert resp.status_code == 413, url
    body = seed_client.get("/api/search", data=b"x" * (1024 * 1024))
    assert body.status_code == 413 and body.get_json()["error"]["code"] == 413


# -- queries that once hung a worker --------------------------------------------------------------


def test_title_boost_and_andmaybe_queries_terminate(tmp_path: Path) -> None:
    """Whoosh's block-quality skipping looped forever in AndMaybe on this corpus shape."""
    import threading

    from support.corpus import write_jsonl_corpus

    extra = write_jsonl_corpus(tmp_path / "extra" / "council.jsonl", 150, word="tramway")
    indexing.build([ROOT / "seeds", extra], tmp_path / "index", workers=0)
    service = SearchService(tmp_path / "index")
    answers: dict[str, int] = {}

    def run() -> None:
        for q in ("council", "council ANDMAYBE budget", "putin ANDMAYBE minister"):
            answers[q] = service.search(SearchRequest(q=q)).total

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(timeout=60)
    assert not worker.is_alive(), f"a search never returned (done: {answers})"
    assert answers["council"] == answers["council ANDMAYBE budget"] > 150
