"""The web UI in headless Chromium (Playwright) against a real server process.

Screenshots go to /tmp/searchsvc-ui-*.png for a human look; they are not asserted on.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from conftest import CHROMIUM

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Chromium at /usr/bin/chromium"),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="needs the playwright package")
expect = sync_api.expect


def _hit_count(page: Any) -> int:
    return page.locator("li.hit").count()


def _total(page: Any) -> int:
    text = page.locator(".summary .count strong").first.inner_text()
    return int(text.replace(",", ""))


def test_search_filter_and_page(page: Any, base_url: str) -> None:
    page.goto(base_url + "/")
    expect(page.locator("#q")).to_be_focused()
    page.keyboard.type("putin")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"\?q=putin"))
    assert _total(page) == 22
    assert _hit_count(page) == 10
    expect(page.locator("li.hit mark").first).to_have_text(re.compile("Putin"))
    page.screenshot(path="/tmp/searchsvc-ui-search.png", full_page=True)

    # Ticking a facet submits at once (JS) and narrows results; other outlets keep counts.
    forbes = page.locator('#facet-outlet input[value="Forbes"]')
    moscow = page.locator('#facet-outlet li', has_text="The Moscow Times")
    expect(moscow.locator(".n")).to_have_text("3")
    actor_before = page.locator("#facet-actor li", has_text="Israel").first.inner_text()
    with page.expect_navigation():
        forbes.check()
    assert "outlet=Forbes" in page.url
    expect(page.locator('#facet-outlet input[value="Forbes"]')).to_be_checked()
    assert _total(page) == 7
    assert {t.strip() for t in page.locator("li.hit .outlet").all_inner_texts()} == {"Forbes"}
    expect(page.locator('#facet-outlet li', has_text="The Moscow Times").locator(".n")) \
        .to_have_text("3")
    actor_after = page.locator("#facet-actor li", has_text="Israel").first.inner_text()
    assert actor_after != actor_before  # counts follow the outlet filter

    # Untick it again: back to all 22.
    with page.expect_navigation():
        page.locator('#facet-outlet input[value="Forbes"]').uncheck()
    assert _total(page) == 22

    # Small pages: go to page 2 with the pagination links; parameters are kept.
    page.goto(base_url + "/?q=putin&per_page=5&sort=-date")
    first_page = page.locator("li.hit h2").all_inner_texts()
    page.get_by_role("link", name="Next →").click()
    page.wait_for_url(re.compile(r"page=2"))
    assert "per_page=5" in page.url and "sort=-date" in page.url
    expect(page.locator('.pagination [aria-current="page"]')).to_have_text("2")
    assert _hit_count(page) == 5
    assert page.locator("li.hit h2").all_inner_texts() != first_page
    dates = page.locator("li.hit time").all_inner_texts()
    assert dates == sorted(dates, reverse=True)


def test_suggestion_and_date_range(page: Any, base_url: str) -> None:
    page.goto(base_url + "/?q=Netanyahoo+ceasefire")
    link = page.get_by_role("link", name="netanyahu ceasefire")
    link.click()
    page.wait_for_url(re.compile(r"q=netanyahu\+ceasefire"))
    assert _total(page) > 0

    page.goto(base_url + "/?q=putin")
    page.fill("#from", "2023-10-13")
    page.fill("#to", "2023-10-13")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"from=2023-10-13"))
    assert _total(page) == 7
    assert set(page.locator("li.hit time").all_inner_texts()) == {"2023-10-13"}
    assert page.locator("svg.histogram rect.bar").count() >= 1


def test_article_page_passages_and_removed_lines(page: Any, base_url: str) -> None:
    page.goto(base_url + "/?q=catastrophic")
    page.locator("li.hit h2 a").first.click()
    page.wait_for_url(re.compile(r"/articles/004_9bb485b22de1bfd6\?q=catastrophic#p\d+"))
    expect(page.locator("h1")).to_contain_text("Catastrophic Increase")
    assert page.locator("section.passage").count() >= 5
    target = page.url.rsplit("#", 1)[1]
    expect(page.locator(f"section#{target}")).to_be_visible()
    removed = page.locator("details.removed")
    expect(removed.locator("table")).to_be_hidden()
    removed.locator("summary").click()
    expect(removed.locator("table")).to_be_visible()
    expect(removed).to_contain_text("donation-appeal")
    expect(removed).to_contain_text("Enjoying ad-free content?")
    page.screenshot(path="/tmp/searchsvc-ui-article.png", full_page=True)


def test_works_on_a_phone_without_javascript(browser: Any, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844},
                                  java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(base_url + "/?q=putin")
        page.locator('#facet-outlet input[value="Forbes"]').check()
        assert "outlet=Forbes" not in page.url  # nothing happens without JS...
        page.get_by_role("button", name="Apply filters").click()  # ...until Apply
        page.wait_for_url(re.compile(r"outlet=Forbes"))
        assert _total(page) == 7
        page.screenshot(path="/tmp/searchsvc-ui-phone.png", full_page=True)
    finally:
        context.close()
