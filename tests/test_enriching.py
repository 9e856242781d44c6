"""Enrichment: canonical actors, speakers and dates on seed articles and small cases."""

from __future__ import annotations

import json
import pickle
import re
from pathlib import Path

import pytest

from searchsvc.enriching import Gazetteer, enrich_passages, find_dates
from searchsvc.models import Actor

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
MANIFEST = json.loads((SEEDS / "manifest.json").read_text(encoding="utf-8"))
#: Lines that are obviously not reporting (captions, credits, widgets): skipped here
#: because the cleaner removes them upstream.
BOILERPLATE = re.compile(
    r"Getty Images|kremlin\.ru|\(.*/.*\)$|^(Topline|Key Facts|News Peg|Key Background|"
    r"Further Reading|Read More|Most Popular|read more:|Support us)$|support us|ad-free|"
    r"disabled all ads|journalism|Reklāma|Twitter|paiment|Remind me|russia isarel|"
    r"small favor|support today|costs us",
)


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


def paragraphs(name: str) -> list[str]:
    lines = [ln.strip() for ln in (SEEDS / name).read_text(encoding="utf-8").splitlines()]
    return [ln for ln in lines if ln and not BOILERPLATE.search(ln)]


def enrich_seed(name: str, gaz: Gazetteer):
    meta = MANIFEST[name]
    paras = paragraphs(name)
    return paras, enrich_passages(paras, published=meta["published"], gazetteer=gaz,
                                  title=meta["title"])


def test_facets_use_one_canonical_name_per_actor(gaz: Gazetteer) -> None:
    names: dict[str, set[str]] = {}
    for seed in MANIFEST:
        for e in enrich_seed(seed, gaz)[1]:
            for actor in e.actors:
                names.setdefault(actor.kind, set()).add(actor.name)
    people, orgs, states = names["person"], names["organization"], names["state"]
    assert {"Vladimir Putin", "Benjamin Netanyahu", "Dmitry Peskov", "Mikhail Bogdanov",
            "Joe Biden", "Recep Tayyip Erdogan", "Luiz Inacio Lula da Silva"} <= people
    assert {"Hamas", "Kremlin", "TASS", "Reuters", "UN Security Council"} <= orgs
    assert {"Russia", "Israel", "United States"} <= states
    for junk in ("Putin", "Netanyahu", "Peskov", "Bogdanov", "Biden", "Prime Minister's Office"):
        assert junk not in people, junk
    assert not any("'" in p or "’" in p for p in people)


def test_surname_resolves_to_full_name_used_in_article(gaz: Gazetteer) -> None:
    texts = ["Deputy Foreign Minister Oleg Smirnovsky met the envoy.",
             "Smirnovsky told reporters the talks were useful."]
    out = enrich_passages(texts, published="2023-10-10", gazetteer=gaz)
    assert out[1].actors == [Actor("Oleg Smirnovsky", "person")]
    assert out[1].speakers == ["Oleg Smirnovsky"]


@pytest.mark.parametrize(
    ("text", "person"),
    [
        ("Kremlin spokesperson Ivan Petrovsky said so.", "Ivan Petrovsky"),
        ("Ambassador to Israel Anatoly Viktorov spoke.", "Anatoly Viktorov"),
        ("President Joe Biden publicly backed a move.", "Joe Biden"),
        ("Putin spoke to Brazilian counterpart Luiz Inacio Lula da Silva.",
         "Luiz Inacio Lula da Silva"),
        ("The envoy met Alexander Ben Zvi, Israel's ambassador in Moscow.", "Alexander Ben Zvi"),
    ],
)
def test_people_found_from_titles(gaz: Gazetteer, text: str, person: str) -> None:
    [e] = enrich_passages([text], published=None, gazetteer=gaz)
    assert Actor(person, "person") in e.actors


def test_no_person_from_office_names(gaz: Gazetteer) -> None:
    [e] = enrich_passages(["They met at Prime Minister's Office on Monday."], published=None,
                          gazetteer=gaz)
    assert [a for a in e.actors if a.kind == "person"] == []


def test_demonym_before_title_counts_only_the_person(gaz: Gazetteer) -> None:
    [e] = enrich_passages(["Israeli Prime Minister Benjamin Netanyahu vowed to win."],
                          published=None, gazetteer=gaz)
    assert e.actors == [Actor("Benjamin Netanyahu", "person")]
    [e] = enrich_passages(["The Israeli siege and the Jewish state's aims."], published=None,
                          gazetteer=gaz)
    assert e.actors == [Actor("Israel", "state")]


def test_speakers_in_seeds(gaz: Gazetteer) -> None:
    paras, out = enrich_seed("002_4192582332c1c77f.txt", gaz)
    by_start = {p[:30]: e.speakers for p, e in zip(paras, out, strict=True)}
    assert by_start["“We understand what that entai"] == ["Vladimir Putin"]  # "he said"
    assert by_start["“We don’t have exact informati"] == ["Dmitry Peskov"]  # "he stated"
    paras, out = enrich_seed("004_9bb485b22de1bfd6.txt", gaz)
    speakers = {p[:20]: e.speakers for p, e in zip(paras, out, strict=True)}
    assert speakers['"Deep concern was ex'] == ["Kremlin"]  # "it added"
    assert set(speakers["Putin and Erdogan re"]) == {"Vladimir Putin", "Recep Tayyip Erdogan"}
    paras, out = enrich_seed("000_fe215bb7cc4ef5d9.txt", gaz)
    bogdanov = next(e for p, e in zip(paras, out, strict=True) if p.startswith('"In a frank'))
    assert set(bogdanov.speakers) == {"Mikhail Bogdanov", "TASS"}  # not "the Russian side"


def test_object_of_told_is_not_a_speaker(gaz: Gazetteer) -> None:
    [e] = enrich_passages(["Netanyahu told Putin that Israel would not stop."],
                          published=None, gazetteer=gaz)
    assert e.speakers == ["Benjamin Netanyahu"]
    [e] = enrich_passages(["On Monday, the Kremlin said Putin held a call."], published=None,
                          gazetteer=gaz)
    assert e.speakers == ["Kremlin"]
    [e] = enrich_passages(['It is of "concern" to the Kremlin, and Peskov urged calm.'],
                          published=None, gazetteer=gaz)
    assert e.speakers == ["Dmitry Peskov"]


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("on October 20, 2023.", "2023-10-24", ["2023-10-20"]),
        ("on 20 October 2023 and March 3, 2022", None, ["2023-10-20", "2022-03-03"]),
        ("since Oct. 7", "2023-10-17", ["2023-10-07"]),
        ("on Wednesday", "2021-05-19", ["2021-05-19"]),  # published on a Wednesday
        ("on Monday evening", "2023-10-17", ["2023-10-16"]),
        ("attacked on Saturday", "2023-10-13", ["2023-10-07"]),
        ("Tuesday's meeting", "2023-10-24", ["2023-10-24"]),
        ("in December 5", "2024-01-03", ["2023-12-05"]),  # month-day takes the past year
        ("last week, 27 tons and 219 people in 2022", "2023-10-24", []),
        ("on Monday", None, []),
    ],
)
def test_dates(text: str, published: str | None, expected: list[str]) -> None:
    assert find_dates(text, published) == expected


def test_user_file_extends_gazetteer(tmp_path: Path) -> None:
    extra = tmp_path / "actors.json"
    extra.write_text(json.dumps({"version": 1, "actors": [
        {"name": "Acme Widgets", "kind": "organization", "aliases": ["Acme"]}]}))
    gaz = Gazetteer.load([extra])
    [e] = enrich_passages(["Acme said profits rose."], published=None, gazetteer=gaz)
    assert e.actors == [Actor("Acme Widgets", "organization")]
    assert e.speakers == ["Acme Widgets"]


def test_gazetteer_pickles_and_matches_case_rules(gaz: Gazetteer) -> None:
    clone = pickle.loads(pickle.dumps(gaz))
    [e] = enrich_passages(["Tell us about the US and the Kremlin."], published=None,
                          gazetteer=clone)
    assert [a.name for a in e.actors] == ["United States", "Kremlin"]


def test_passage_ids_fill_quotes_from_the_same_analysis(gaz: Gazetteer) -> None:
    from searchsvc.quotes import extract_quotes

    texts = ["Kremlin spokesman Dmitry Peskov spoke on Monday.",
             "“We don't know,” he said. “We will continue.”"]
    ids = ["x.p0", "x.p1"]
    found = enrich_passages(texts, published="2023-10-20", gazetteer=gaz, passage_ids=ids)
    assert [q.text for q in found[1].quotes] == ["We don't know,", "We will continue."]
    assert {q.passage_id for q in found[1].quotes} == {"x.p1"} and found[0].quotes == []
    assert all(texts[1][q.start:q.end] == q.text for q in found[1].quotes)
    assert [q for e in found for q in e.quotes] == extract_quotes(texts, passage_ids=ids,
                                                                  gazetteer=gaz)
    assert enrich_passages(texts, published=None, gazetteer=gaz)[1].quotes == []
    with pytest.raises(ValueError):
        enrich_passages(texts, published=None, gazetteer=gaz, passage_ids=["x.p0"])
