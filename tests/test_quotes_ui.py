"""Who said what in headless Chromium: collapsing copies, the actor page, the export link.

Screenshots go to /tmp/searchsvc-quotes-*.png for a human look; they are not asserted on.
"""

from __future__ import annotations

import csv
import io
import re
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from conftest import CHROMIUM

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Chromium at /usr/bin/chromium"),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="needs the playwright package")
expect = sync_api.expect


def test_collapse_copies_toggle(page: Any, base_url: str) -> None:
    page.goto(base_url + "/?q=absolutely+unacceptable")
    expect(page.locator("li.hit")).to_have_count(2)
    expect(page.locator(".also")).to_have_count(0)
    toggle = page.get_by_label(re.compile("Collapse copies"))
    with page.expect_navigation():
        toggle.check()  # submits at once (JS)
    assert "collapse=quote" in page.url
    expect(page.get_by_label(re.compile("Collapse copies"))).to_be_checked()
    expect(page.locator("li.hit")).to_have_count(1)
    also = page.locator("li.hit .also")
    expect(also).to_contain_text("Also reported by")
    expect(also).to_contain_text(re.compile("All Israel News|Forbes"))
    expect(also).to_contain_text("earliest: 2023-10-13")
    page.screenshot(path="/tmp/searchsvc-quotes-collapsed.png", full_page=True)
    # the state is in the URL: unticking brings the copies back
    with page.expect_navigation():
        page.get_by_label(re.compile("Collapse copies")).uncheck()
    assert "collapse" not in page.url
    expect(page.locator("li.hit")).to_have_count(2)


def test_actor_page_from_a_result(page: Any, base_url: str) -> None:
    page.goto(base_url + "/?q=leningrad")
    page.locator("li.hit a.tag", has_text="Vladimir Putin").first.click()
    page.wait_for_url(re.compile(r"/actors/Vladimir%20Putin$"))
    expect(page.locator("h1")).to_have_text("Vladimir Putin")
    chart = page.locator("svg.chart")
    expect(chart).to_be_visible()
    assert chart.get_attribute("role") == "img"
    assert page.locator("svg.chart rect.bar.passages").count() >= 2
    assert page.locator("svg.chart rect.bar.quotes").count() >= 2
    expect(page.locator("ul.legend")).to_contain_text("Forbes")
    statements = page.locator(".actor-statements li.statement")
    assert statements.count() >= 5
    dates = page.locator(".actor-statements li.statement time").all_inner_texts()
    assert dates == sorted(dates)
    expect(page.locator(".actor-statements")).to_contain_text("absolutely unacceptable")
    box = chart.bounding_box()
    assert box and box["width"] > 500 and box["height"] > 150
    page.screenshot(path="/tmp/searchsvc-quotes-actor.png", full_page=True)
    # by day, through the form
    page.select_option("select[name=interval]", "day")
    page.get_by_role("button", name="Update").click()
    page.wait_for_url(re.compile(r"interval=day"))
    expect(page.locator("svg.chart text.xlabel").first) \
        .to_have_text(re.compile(r"\d{4}-\d{2}-\d{2}"))
    page.screenshot(path="/tmp/searchsvc-quotes-actor-day.png", full_page=True)


def test_quotes_page(page: Any, base_url: str) -> None:
    page.goto(base_url + "/quotes")
    page.fill("input[name=speaker]", "Vladimir Putin")
    page.fill("input[name=q]", "unacceptable")
    page.get_by_role("button", name="Show statements").click()
    page.wait_for_url(re.compile(r"speaker=Vladimir\+Putin"))
    expect(page.locator("li.statement").first).to_be_visible()
    expect(page.locator("li.statement .speaker").first).to_have_text("Vladimir Putin")
    expect(page.locator("li.statement .also").first).to_contain_text("Also reported by")
    page.screenshot(path="/tmp/searchsvc-quotes-list.png", full_page=True)


def test_export_link_downloads_csv(page: Any, base_url: str) -> None:
    page.goto(base_url + "/?q=putin&outlet=Forbes")
    link = page.get_by_role("link", name="CSV")
    href = link.get_attribute("href")
    assert href == "/api/export?q=putin&outlet=Forbes&format=csv"
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == "searchsvc-export.csv"
    with urllib.request.urlopen(base_url + href, timeout=10) as resp:
        assert resp.headers["Content-Type"] == "text/csv; charset=utf-8"
        rows = list(csv.DictReader(io.StringIO(resp.read().decode("utf-8"), newline="")))
    assert len(rows) == 7 and {r["outlet"] for r in rows} == {"Forbes"}
    saved = Path(download.path()).read_text(encoding="utf-8")
    assert saved.startswith("passage_id,article_id,")
