"""Outlet and publication date inferred from URL and text: seeds, new cases, restraint."""

from __future__ import annotations

from pathlib import Path

import pytest

from searchsvc.inference import infer_outlet, infer_published

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

SEED_OUTLETS = {
    "000_fe215bb7cc4ef5d9.txt": "Newsweek",  # "Newsweek reached out to ..."
    "001_6b2e10c6dedfae58.txt": "Forbes",  # Topline / Key Facts layout
    "002_4192582332c1c77f.txt": "The Times of Israel",  # "told The Times of Israel"
    "003_df7939084b441783.txt": "All Israel News",  # "The All Israel News Staff is ..."
    "004_9bb485b22de1bfd6.txt": "The Moscow Times",  # "The Moscow Times, an independent ..."
}


@pytest.mark.parametrize(("name", "outlet"), sorted(SEED_OUTLETS.items()))
def test_seed_outlet_from_text_alone(name: str, outlet: str) -> None:
    assert infer_outlet((SEEDS / name).read_text(encoding="utf-8")) == outlet


def test_seeds_carry_no_publication_date_line() -> None:
    # dates in the seeds are inside sentences of reporting ("on March 3, 2022"): not taken
    for name in SEED_OUTLETS:
        assert infer_published((SEEDS / name).read_text(encoding="utf-8")) is None


@pytest.mark.parametrize(("url", "outlet"), [
    ("https://www.newsweek.com/russia-warns-israel-1592667", "Newsweek"),
    ("https://www.forbes.com/sites/x/2023/10/13/putin/", "Forbes"),
    ("https://www.timesofisrael.com/liveblog_entry/israel-protests/", "The Times of Israel"),
    ("https://allisrael.com/israel-won-t-stop", "All Israel News"),
    ("https://www.themoscowtimes.com/2023/10/10/putin-a82728", "The Moscow Times"),
    ("https://edition.cnn.com/2023/10/10/world/x", "CNN"),
    ("https://www.bbc.co.uk/news/world-67000000", "BBC"),
    ("http://apnews.com/article/abc", "Associated Press"),
    ("www.reuters.com/world/", "Reuters"),
])
def test_outlet_from_url(url: str, outlet: str) -> None:
    assert infer_outlet("No signature here.", url) == outlet


def test_url_wins_over_text_and_unknown_domain_falls_back_to_text() -> None:
    text = "Newsweek reached out to the ministry for comment."
    assert infer_outlet(text, "https://www.forbes.com/x") == "Forbes"
    assert infer_outlet(text, "https://example.org/story") == "Newsweek"
    assert infer_outlet("Nothing to go on.", "https://example.org/story") is None
    assert infer_outlet("Nothing to go on.", "not a url at all") is None


@pytest.mark.parametrize("text", [
    # mentions of other outlets are not signatures
    "Further Reading\n\nIsrael Orders 1 Million Gaza Residents To Relocate (Forbes)",
    "Putin said the strikes were unacceptable, he told Reuters on Friday.",
    "The minister told the BBC interviewer he had no regrets, in the BBC interview aired Monday.",
    "According to CNN, the talks collapsed.",
    "Forbes reported the deal first.",
])
def test_mentions_of_other_outlets_are_not_signatures(text: str) -> None:
    assert infer_outlet(text) is None


def test_conflicting_signatures_give_no_outlet() -> None:
    text = "Newsweek reached out to the embassy. Forbes has contacted the ministry."
    assert infer_outlet(text) is None


@pytest.mark.parametrize(("text", "iso"), [
    ("Headline\nPublished October 10, 2023\nBody text.", "2023-10-10"),
    ("Headline\nPublished: Oct. 10, 2023 5:00 AM EDT\nBody.", "2023-10-10"),
    ("Headline\nTuesday, October 10, 2023\nBody.", "2023-10-10"),
    ("Headline\n10 October 2023 | 14:05\nBody.", "2023-10-10"),
    ("Headline\n2023-10-10T12:00:00Z\nBody.", "2023-10-10"),
    ("Veröffentlicht am 10.10.2023 um 12:00\nText.", "2023-10-10"),
    ("Заголовок\n17 октября 2023\nТекст.", "2023-10-17"),
    ("Posted on 3/4/2021\nBody.", "2021-03-04"),
    ("(Published Monday, Nov. 18, 2019)", "2019-11-18"),
    # a "Published" line beats an "Updated" one, wherever they are
    ("Updated October 12, 2023\nPublished October 10, 2023\nBody.", "2023-10-10"),
    ("Updated October 12, 2023\nBody.", "2023-10-12"),
])
def test_published_from_date_lines(text: str, iso: str) -> None:
    assert infer_published(text) == iso


@pytest.mark.parametrize("text", [
    "Ambassador Viktorov spoke to the media on March 3, 2022.",
    "On October 7, 2023, Hamas attacked southern Israel.",
    "The meeting was held on 10 October 2023 in Moscow and lasted three hours.",
    "Published February 30, 2023",  # no such day
    "Published sometime last year",
    "",
])
def test_no_date_from_reporting_or_nonsense(text: str) -> None:
    assert infer_published(text) is None
