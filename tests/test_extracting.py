"""Main-content extraction: boilerplate removed, metadata read, hard pages survived."""

from __future__ import annotations

import pytest

from searchsvc.extracting import MAX_INPUT_CHARS, decode_html, extract_html, iso_date

P1 = (
    "The city council approved the new budget on Tuesday after a debate that lasted "
    "well into the night, with members split over school funding."
)
P2 = (
    "Supporters said the plan would repair roads and hire teachers, while critics "
    "warned that the tax increase would hurt small businesses in the district."
)
P3 = (
    "The mayor is expected to sign the measure next week, her office said in a "
    "statement released shortly after the vote was counted."
)
ARTICLE = f"<p>{P1}</p><p>{P2}</p><p>{P3}</p>"


def page(body: str, head: str = "<title>Council passes budget</title>") -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


def blocks(text: str) -> list[str]:
    return text.split("\n\n")


def test_article_paragraphs_are_blocks_separated_by_blank_lines() -> None:
    result = extract_html(page(f"<article><h1>Council passes budget</h1>{ARTICLE}</article>"))
    assert blocks(result.text) == [P1, P2, P3]  # the headline equals the title: not in text
    assert result.reason is None


def test_headings_inside_the_body_are_kept() -> None:
    result = extract_html(page(f"<article><p>{P1}</p><h2>What happens next</h2>"
                               f"<p>{P2}</p><p>{P3}</p></article>"))
    assert "What happens next" in blocks(result.text)


BOILERPLATE = {
    "navigation": '<nav><ul><li><a href="/">Home</a></li><li><a href="/w">World</a></li>'
                  "</ul></nav>",
    "link menu": '<div class="menu"><a href="/a">Politics</a> <a href="/b">Sports section</a>'
                 "</div>",
    "share bar": '<div class="share-bar"><span>Share this story on Facebook</span>'
                 "<span>Share this story on Twitter</span></div>",
    "comments": '<section id="comments"><h3>Comments</h3><p>Reader one wrote: I think '
                "this budget is a terrible idea and the council should be ashamed of itself "
                "for passing it so late at night.</p></section>",
    "newsletter": '<div class="newsletter-signup"><p>Sign up for our daily newsletter and get '
                  "the best stories delivered to your inbox every single morning.</p>"
                  "<form><input type='email'><button>Subscribe</button></form></div>",
    "related": '<div class="related-stories"><h3>Related</h3><p>Another long teaser text '
               "about a different budget fight in a neighbouring town last year.</p></div>",
    "caption": "<figure><img src='x.jpg'><figcaption>The council chamber on Tuesday. "
               "Photo: Staff photographer</figcaption></figure>",
    "credit": '<span class="image-credit">Photograph by Jane Doe for the Daily Planet</span>',
    "donation": '<div class="donation-box"><p>Our journalism depends on readers like you. '
                "Please donate today to keep independent local news alive.</p></div>",
    "ad block": '<div class="ad-slot"><span>Advertisement</span><p>Buy the best mattress '
                "in town at half price this weekend only at our store.</p></div>",
    "cookie banner": '<div id="cookie-consent"><p>This website uses cookies to improve your '
                     "experience. By continuing you accept our use of cookies.</p></div>",
    "aside": "<aside><p>Most read today: the weather, the football results and the "
             "lottery numbers for this week.</p></aside>",
    "hidden": '<div style="display:none"><p>Hidden text that is never shown to the '
              "reader of this page but sits in its markup anyway.</p></div>",
    "footer": "<footer><p>Copyright 2024 The Daily Planet. All rights reserved. Terms of "
              "use and privacy policy apply to every page.</p></footer>",
}
LEAKS = [
    "Home", "Politics", "Share this", "Reader one", "newsletter", "teaser", "council chamber",
    "Photograph", "donate", "mattress", "Advertisement", "cookies", "Most read", "Hidden text",
    "Copyright",
]


@pytest.mark.parametrize("kind", sorted(BOILERPLATE))
def test_boilerplate_is_removed(kind: str) -> None:
    junk = BOILERPLATE[kind]
    body = f"<header>{BOILERPLATE['navigation']}</header><main><article>" \
        f"<p>{P1}</p>{junk}<p>{P2}</p><p>{P3}</p></article>{junk}</main>"
    text = extract_html(page(body)).text
    assert blocks(text) == [P1, P2, P3], kind
    assert not any(leak in text for leak in LEAKS)


def test_article_split_over_sibling_containers_is_kept_whole() -> None:
    body = (f'<div class="story"><div class="chunk"><p>{P1}</p></div>'
            f'<div class="ad"><span>Advertisement</span></div>'
            f'<div class="chunk"><p>{P2}</p><p>{P3}</p></div></div>'
            f'<div class="sidebar"><p>{P1[::-1]}</p></div>')
    assert blocks(extract_html(page(body)).text) == [P1, P2, P3]


def test_teaser_list_below_the_article_is_not_included() -> None:
    teasers = "".join(
        f'<li><h5><a href="/s{i}">Another story number {i}</a></h5>'
        f"<div>A blurb of a different story, long enough to look like a paragraph of "
        f"text about topic number {i} and its consequences.</div></li>"
        for i in range(12)
    )
    body = f"<main>{ARTICLE}</main><div><h4>More from us</h4><ul>{teasers}</ul></div>"
    assert blocks(extract_html(page(body)).text) == [P1, P2, P3]


def test_link_heavy_sentence_is_kept_but_link_list_dropped() -> None:
    linked = '<p>The report is <a href="/r">available on the council website as a PDF</a>.</p>'
    links = '<p><a href="/1">Budget 2023</a> <a href="/2">Budget 2022</a></p>'
    text = extract_html(page(f"<article>{ARTICLE}{linked}{links}</article>")).text
    assert "available on the council website" in text
    assert "Budget 2022" not in text


def test_data_table_rows_are_kept() -> None:
    rows = "".join(f"<tr><td>{i}</td><td>Candidate {i}</td><td>{1000 - i}</td></tr>"
                   for i in range(1, 6))
    text = extract_html(page(f"<article>{ARTICLE}<table>{rows}</table></article>")).text
    assert "1 Candidate 1 999" in blocks(text)


def test_json_ld_article_body_is_the_fallback_for_script_rendered_pages() -> None:
    ld = ('<script type="application/ld+json">{"@type": "NewsArticle", "articleBody": '
          f'"{P1}\\n{P2}"}}</script>')
    result = extract_html(page('<div id="app">Loading...</div>', head=ld))
    assert blocks(result.text) == [P1, P2]


# ------------------------------------------------------------------ metadata

def meta_of(head: str, body: str = ARTICLE, url: str | None = None) -> tuple[dict, dict]:
    result = extract_html(page(body, head=head), url=url)
    return result.metadata, result.provenance


def test_title_from_title_tag_without_site_suffix() -> None:
    md, prov = meta_of("<title>Council passes budget | Daily Planet</title>"
                       '<meta property="og:site_name" content="Daily Planet">')
    assert md["title"] == "Council passes budget" and prov["title"] == "html:title"
    assert md["outlet"] == "Daily Planet" and prov["outlet"] == "html:og:site_name"


def test_og_title_beats_title_tag() -> None:
    md, prov = meta_of('<title>Budget - Planet</title><meta property="og:title" '
                       'content="Council passes budget">')
    assert (md["title"], prov["title"]) == ("Council passes budget", "html:og:title")


def test_article_published_time() -> None:
    md, prov = meta_of('<meta property="article:published_time" content="2024-03-05T10:00:00Z">')
    assert (md["published"], prov["published"]) == ("2024-03-05", "html:article:published_time")


def test_json_ld_graph_headline_publisher_and_date() -> None:
    ld = ('<script type="application/ld+json">{"@context": "https://schema.org", "@graph": ['
          '{"@type": "WebPage", "name": "Home page"},'
          '{"@type": "NewsArticle", "headline": "Council passes budget",'
          ' "datePublished": "2024-03-05T08:00:00+01:00",'
          ' "publisher": {"@type": "Organization", "name": "Daily Planet"}}]}</script>')
    md, prov = meta_of(ld)
    assert md == {"title": "Council passes budget", "outlet": "Daily Planet",
                  "published": "2024-03-05"}
    assert prov == {"title": "html:json-ld:headline", "outlet": "html:json-ld:publisher",
                    "published": "html:json-ld:datePublished"}


def test_json_ld_top_level_list_and_publisher_list() -> None:
    ld = ('<script type="application/ld+json">[{"@type": "BreadcrumbList"}, '
          '{"@type": ["Article"], "datePublished": "2023-12-31", '
          '"publisher": [{"name": "Planet Media"}]}]</script>')
    md, prov = meta_of(ld)
    assert md["published"] == "2023-12-31" and md["outlet"] == "Planet Media"
    assert prov["outlet"] == "html:json-ld:publisher"


def test_broken_json_ld_is_ignored() -> None:
    md, _ = meta_of('<script type="application/ld+json">{"@type": "Article", </script>'
                    "<title>Council passes budget</title>")
    assert md["title"] == "Council passes budget"


def test_time_element_date() -> None:
    md, prov = meta_of("", body=f'<article><time datetime="2024-02-29">Feb 29</time>{ARTICLE}'
                                "</article>")
    assert (md["published"], prov["published"]) == ("2024-02-29", "html:time")


def test_canonical_url_resolved_against_page_url_and_og_url_fallback() -> None:
    md, prov = meta_of('<link rel="canonical" href="/news/budget">',
                       url="https://example.org/amp/budget?x=1")
    assert (md["url"], prov["url"]) == ("https://example.org/news/budget", "html:canonical")
    md, prov = meta_of('<meta property="og:url" content="https://example.org/b">')
    assert (md["url"], prov["url"]) == ("https://example.org/b", "html:og:url")


def test_iso_date_rejects_nonsense() -> None:
    assert iso_date("2024-13-01") is None and iso_date("soon") is None
    assert iso_date("2019/11/18 10:00") == "2019-11-18"


# ------------------------------------------------------------------ hard pages

def test_page_of_only_scripts_has_reason() -> None:
    result = extract_html("<html><head><script>var a = 1;</script></head>"
                          "<body><script>render()</script></body></html>")
    assert result.text == "" and result.reason == "no article text: page is only scripts"


def test_page_that_is_not_an_article_has_reason() -> None:
    links = "".join(f'<li><a href="/{i}">Headline of story {i}</a></li>' for i in range(40))
    result = extract_html(page(f"<ul>{links}</ul>"))
    assert result.text == "" and result.reason and result.reason.startswith("no article text")


@pytest.mark.parametrize("html", ["", b"", "   ", b"\x00\xff\xfe" * 100, "<html>"])
def test_empty_or_garbage_input_does_not_crash(html: str | bytes) -> None:
    result = extract_html(html)
    assert isinstance(result.text, str)


def test_wrong_declared_charset_does_not_produce_mojibake() -> None:
    body = "<p>" + "Le café est très bon, dit le maire au journaliste du quotidien. " * 3 + "</p>"
    utf8_declared_latin1 = ('<meta charset="utf-8">' + body).encode("latin-1")
    latin1_declared_utf8 = ('<meta charset="iso-8859-1">' + body).encode("utf-8")
    unknown_declared = ('<meta charset="no-such-charset">' + body).encode("utf-8")
    for raw in (utf8_declared_latin1, latin1_declared_utf8, unknown_declared):
        text = extract_html(raw).text
        assert "café est très" in text, raw[:40]


def test_declared_charset_is_used_when_bytes_are_not_utf8() -> None:
    raw = ('<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
           "<p>" + "Городской совет принял бюджет после долгих споров о школах. " * 3 + "</p>")
    assert "Городской совет" in extract_html(raw.encode("cp1251")).text


def test_bom_decides_encoding() -> None:
    assert decode_html("<p>naïve</p>".encode("utf-16")) == "<p>naïve</p>"


def test_markup_nested_ten_thousand_deep() -> None:
    html = page("<div>" * 10_000 + ARTICLE + "</div>" * 10_000 + f"<p>{P1}</p>")
    result = extract_html(html)  # pytest-timeout bounds a hang; no timing asserts here
    assert P3 in result.text


def test_inline_markup_nested_ten_thousand_deep() -> None:
    result = extract_html(page("<b><i>" * 5_000 + ARTICLE + "</i></b>" * 5_000))
    assert P2 in result.text


def test_twenty_megabyte_page_is_bounded() -> None:
    html = page("<article>" + ARTICLE * 50_000 + "</article>").encode()
    assert len(html) > 20_000_000
    result = extract_html(html)
    assert result.text.startswith(P1)
    assert len(result.text) <= MAX_INPUT_CHARS  # bounded by the input cap, not the page
