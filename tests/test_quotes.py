"""Quotes and reported speech with speakers; the labelled-set evaluation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from searchsvc.cli import main
from searchsvc.enriching import Gazetteer, analyze_article
from searchsvc.quotes import evaluate_speakers, extract_quotes, labelling_agreement

LABELLED = Path(__file__).resolve().parent / "data" / "statements.json"
#: batch 19 labelled a second time, independently (session 8)
SECOND = Path(__file__).resolve().parent / "data" / "statements_batch19_second.json"


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


def quotes(texts: list[str], gaz: Gazetteer):
    return extract_quotes(texts, passage_ids=[f"a.p{i}" for i in range(len(texts))],
                          gazetteer=gaz)


def test_direct_quote_with_trailing_attribution_and_offsets(gaz: Gazetteer) -> None:
    text = "“Now the main thing is to stop the bloodshed,” Putin said, reiterating calls."
    [q] = quotes([text], gaz)
    assert (q.speaker, q.verb, q.direct) == ("Vladimir Putin", "said", True)
    assert text[q.start:q.end] == q.text == "Now the main thing is to stop the bloodshed,"


def test_split_quote_and_pronoun_across_passages(gaz: Gazetteer) -> None:
    texts = ['"Indeed, we have not succeeded," Kremlin spokesman Dmitry Peskov said.',
             '"We don\'t know," he stated. "We will continue."']
    got = [(q.speaker, q.text) for q in quotes(texts, gaz) if q.direct]
    assert got[1:] == [("Dmitry Peskov", "We don't know,"), ("Dmitry Peskov", "We will continue.")]


def test_indirect_speech_is_a_statement(gaz: Gazetteer) -> None:
    text = ("Putin said the use of heavy weapons in residential areas is "
            "“fraught with serious consequences for all sides,” Reuters reported.")
    qs = quotes([text], gaz)
    assert {q.speaker for q in qs} == {"Vladimir Putin"}  # Reuters is only the source
    indirect = [q for q in qs if not q.direct]
    assert indirect and indirect[0].text.startswith("the use of heavy weapons")


def test_scare_quote_without_speech_verb_has_no_speaker(gaz: Gazetteer) -> None:
    [q] = quotes(['The deaths raised calls for a "proportionate" response.'], gaz)
    assert q.speaker is None
    qs = quotes(['Netanyahu called the criticism "absurd."'], gaz)
    assert [q.speaker for q in qs if q.direct] == ["Benjamin Netanyahu"]


def test_noun_object_is_not_a_reported_clause(gaz: Gazetteer) -> None:
    assert quotes(["Israel has stated its support of Ukraine without joining NATO."], gaz) == []


def test_labelled_set_precision_and_recall(gaz: Gazetteer) -> None:
    scores = evaluate_speakers(LABELLED, gaz)
    assert scores["n"] >= 240 and scores["batch1_n"] >= 30 and scores["batch2_n"] >= 30
    assert scores["batch3_n"] >= 40  # held out, labelled before the rules ran on it
    assert scores["original_precision"] >= 0.95 and scores["original_recall"] >= 0.93
    assert scores["batch1_precision"] >= 0.9 and scores["batch1_recall"] >= 0.9
    assert scores["batch2_precision"] >= 0.9 and scores["batch2_recall"] >= 0.87
    assert scores["batch3_precision"] >= 0.95 and scores["batch3_recall"] >= 0.85
    assert scores["batch4_n"] >= 36  # labelled before any rule ran on it; no longer held out
    # (its miss categories were fixed in the generalisation round): 0.971 / 0.889
    assert scores["batch4_precision"] >= 0.95 and scores["batch4_recall"] >= 0.9
    # batch 5: labelled before the generalisation rules, measured once with them (fresh,
    # not tuned on): 0.913 / 0.556 -- the 0.9 recall bar is NOT met on unseen pages
    assert scores["batch5_n"] >= 36
    assert scores["batch5_precision"] >= 0.95 and scores["batch5_recall"] >= 0.85
    # (no longer held out: its miss categories were fixed in the batch-5 round, 1.0 / 0.889)
    # batch 6: labelled before the batch-5 round's rules, measured once before (0.905 / 0.529)
    # and once after them (fresh, not tuned on): 0.905 / 0.529 -- unchanged, the 0.9 recall
    # bar is still NOT met on unseen pages
    assert scores["batch6_n"] >= 34
    # (no longer held out: its misses were read and fixed in the batch-6 round, 0.958 / 0.647)
    assert scores["batch6_precision"] >= 0.92 and scores["batch6_recall"] >= 0.6
    # batch 7: labelled before any rule of the batch-6 round changed; the rules before the
    # round score it 0.667 / 0.074 (3 extracted of 27; fresh, totals only) and the final
    # rules the same 0.667 / 0.074 (fresh, not tuned on) -- far below the 0.9 bar
    assert scores["batch7_n"] >= 27
    # batch 8 (Vox, Quanta, NBC DFW, Forbes): labelled before any rule of the batch-7 round;
    # the rules before it score it 0.969 / 0.463 (only the totals were looked at)
    assert scores["batch8_n"] >= 67
    # ... and once with the batch-7 round's rules (fresh, not tuned on): 0.949 / 0.552
    # (0.909 since session 5: "Schiff believes that the more chaos he creates, ..." is read
    # as a view voiced, as the guide now says; batch 7 was labelled before that convention)
    assert scores["batch7_precision"] >= 0.9 and scores["batch7_recall"] >= 0.68
    # (no longer held out: its misses were read and fixed in the batch-8 round, 0.98 / 0.701)
    assert scores["batch8_precision"] >= 0.95 and scores["batch8_recall"] >= 0.68
    # batch 9 (newspaper4k's MIT-licensed article texts: CNN, Wired, Time, Yonhap, Fox13):
    # a new source, labelled by helpers who never saw the rules; measured fresh with the
    # rules of the session start 0.807 / 0.536, the batch-7 round 0.838 / 0.639, the
    # batch-8 round 0.843 / 0.665 (only totals looked at)
    assert scores["batch9_n"] >= 194
    # (no longer held out: its misses were read and fixed in the batch-9 round, 0.946 / 0.799)
    assert scores["batch9_precision"] >= 0.93 and scores["batch9_recall"] >= 0.78
    # batch 10 (40 ABC news articles of 2001: gensim's Lee corpus), a third source labelled
    # by helpers who never saw the rules; fresh with the rules of the session start
    # 0.779 / 0.432, the batch-7 round 0.855 / 0.535, the final rules 0.840 / 0.554
    assert scores["batch10_n"] >= 271
    # (no longer held out: its misses were read and fixed in the batch-10 round, 0.923 / 0.701)
    assert scores["batch10_precision"] >= 0.9 and scores["batch10_recall"] >= 0.68
    # batch 11 (32 more Lee-corpus ABC articles) and batch 12 (newspaper4k's long Grayzone
    # investigation), labelled before anyone read them, fresh with the final rules (d3184d2):
    # 0.864 / 0.635 and 0.781 / 0.589 (session start: 0.698 / 0.387 and 0.615 / 0.326)
    assert scores["batch11_n"] >= 230 and scores["batch12_n"] >= 95
    # (no longer held out: read in the batch-11/12 round, 0.892 / 0.648 and 0.817 / 0.684)
    assert scores["batch11_precision"] >= 0.87 and scores["batch11_recall"] >= 0.63
    assert scores["batch12_precision"] >= 0.8 and scores["batch12_recall"] >= 0.66
    # batch 13 (32 more Lee-corpus articles with 2+ speech verbs), fresh with the final rules
    # (286fe75): 0.833 / 0.611; session start 0.660 / 0.395
    assert scores["batch13_n"] >= 162
    # (no longer held out: read in the batch-13 round, 0.921 / 0.642)
    assert scores["batch13_precision"] >= 0.9 and scores["batch13_recall"] >= 0.62
    # batch 14 (32 more Lee-corpus articles), the last fresh batch, scored once with the
    # final rules (f54cb51): 0.875 / 0.620; session start 0.840 / 0.458
    assert scores["batch14_n"] >= 166
    # (no longer held out: read in the batch-14 round, 0.927 / 0.681)
    assert scores["batch14_precision"] >= 0.9 and scores["batch14_recall"] >= 0.66
    # batch 15 (32 more Lee-corpus articles), the last fresh batch, scored once with the
    # final rules (caf92db): 0.817 / 0.591; session start 0.781 / 0.465
    assert scores["batch15_n"] >= 159
    # batch 16 (33 more Lee-corpus articles), labelled in session 4: fresh with the session-3
    # final rules (1606b40) 0.938 / 0.634; with the session-4 rules (df7ee3a) 0.942 / 0.683
    # (batch 15 then: 0.824 / 0.648)
    assert scores["batch16_n"] >= 164
    # batch 17 (the 58 remaining Lee-corpus articles with a speech verb), labelled in session
    # 5: fresh with the session-4 rules (faf40f6) 0.851 / 0.630; with the session-5 rules
    # (36ed587) 0.850 / 0.650, and batch 16 then 0.952 / 0.707. Batch 16 was read in session
    # 6 from the start, batch 17 after round 2 (e893206: 0.852 / 0.660).
    assert scores["batch17_n"] >= 200
    assert scores["batch16_precision"] >= 0.94 and scores["batch16_recall"] >= 0.75
    # batch 18 (21 US/UK/other news pages from mozilla/readability's test suite), labelled in
    # session 6: fresh with the session-5 rules (bf6eefe) 0.910 / 0.641, with the session-6
    # rules (b0b46db) 0.905 / 0.641, with session 7's probing rounds (b00ca3d) 0.915 / 0.651;
    # read in session 7's round 3 (5799a74): 0.931 / 0.678.
    assert scores["batch18_n"] >= 301
    assert scores["batch18_precision"] >= 0.92 and scores["batch18_recall"] >= 0.67
    # batch 19 (6 US pages from goose3's test suite: AOL News, BusinessWeek x3, Business
    # Insider, MSN, TechCrunch), labelled in session 7 and scored unread: session-6 rules
    # (66954ab) 0.731 / 0.471, session-7 rules (5799a74) 0.735 / 0.471; read in session 8's
    # round 1 (1d18383): 0.786 / 0.520.
    assert scores["batch19_n"] >= 102
    assert scores["batch19_precision"] >= 0.77 and scores["batch19_recall"] >= 0.51
    # batch 20 (10 more goose3 pages: CNET, Engadget, the Guardian, HuffPost x2, Accountancy
    # Age, ABC Australia, Time, USA Today, Yahoo), labelled in session 8 and scored unread:
    # session-7 rules (ae856cf) 0.871 / 0.654, session-8 round 1 (1d18383) 0.871 / 0.654.
    assert scores["batch20_n"] >= 179
    # batch 21 (70 Reuters wire stories from 1987, oil prices and takeovers, from the
    # Reuters-21578 sample in Debian's r-cran-tm), labelled in session 9 and scored unread
    # with the session-8 rules (b7fafd8): 0.838 / 0.537; read in session 9's round.
    assert scores["batch21_n"] >= 287
    assert scores["batch21_precision"] >= 0.85 and scores["batch21_recall"] >= 0.63
    # batch 22 (the sample's 9 other Reuters stories and one RCV1 story), labelled in session
    # 9: unread 0.867 / 0.481 with b7fafd8; read in the round's second half. (Its tenth
    # Reuters story is batch 21's reut-acq-10, which the two labellers labelled identically.)
    assert scores["batch22_n"] >= 27
    # batch 15, read in sessions 4 and 5: 0.941 / 0.786
    assert scores["batch15_precision"] >= 0.92 and scores["batch15_recall"] >= 0.76
    # overall (1,886): 0.926 / 0.734 with the session-3 rules, 0.928 / 0.768 with df7ee3a;
    # (2,086): 0.925 / 0.759 with faf40f6, 0.931 / 0.785 with 36ed587; (2,387): 0.929 / 0.767
    # with bf6eefe, 0.935 / 0.787 with b0b46db; (2,489): 0.929 / 0.774 with 66954ab,
    # 0.931 / 0.785 with 5799a74; (2,668): 0.928 / 0.780 with 1d18383; (2,982 with batches
    # 21 and 22, whose wire copy lowers the mix's recall): 0.920 / 0.754 with b7fafd8,
    # 0.922 / 0.766 after session 9's round
    assert scores["precision"] >= 0.92 and scores["recall"] >= 0.76
    assert scores["batch10_recall"] >= 0.8 and scores["batch11_recall"] >= 0.75


def test_group_nouns_speak_for_the_organisation_the_article_names(gaz: Gazetteer) -> None:
    texts = ["The doctors, members of a new group Nurses and Doctors United, NDU, wrote a letter.",
             "The doctors said the shots would be free.",
             "Customs and Border Protection did not reply. A spokesperson who asked not to be "
             "named said the agency never gives vaccines.",
             "Later, Springfield police said they had arrested two men."]
    got = {(q.speaker, q.text) for q in quotes(texts, gaz) if q.speaker}
    assert ("Nurses and Doctors United", "the shots would be free") in got
    assert ("CBP", "the agency never gives vaccines") not in got  # no acronym: no CBP
    # alone, the spokesperson speaks for the organisation the passage names, never for "CBP"
    assert {q.speaker for q in quotes(texts[2:3], gaz)} == {"Customs and Border Protection"}
    assert ("Springfield Police", "they had arrested two men") in got


def test_acronym_names_its_long_form(gaz: Gazetteer) -> None:
    texts = ["Customs and Border Protection did not accept the offer. A spokesperson who did "
             "not wish to be named said the agency never has administered vaccines.",
             "In August, CBP announced that it would not be vaccinating families."]
    got = {q.speaker for q in quotes(texts, gaz) if q.speaker}
    assert got == {"CBP"}


def test_possessive_role_description_and_honorific(gaz: Gazetteer) -> None:
    texts = ["Freedonia’s ambassador to Britain accused the UK of meddling and warned that "
             "“we will not sit on our hands”.",
             "Freedonia’s ambassador to Britain Zhao Lanfang has said that the army is ready.",
             "Zhao said that troops could be deployed, warning: “They are already there.”",
             "Dr. Ronny Jackson, who was then the physician, suggested that the patient "
             "change his diet."]
    got = [(q.speaker, q.text[:20]) for q in quotes(texts, gaz) if q.speaker]
    assert ("Zhao Lanfang", "we will not sit on o") in got  # not the UK
    assert ("Zhao Lanfang", "They are already the") in got  # not Britain, not "Britain Zhao"
    assert ("Ronny Jackson", "the patient change h") in got
    assert {s for s, _ in got} == {"Zhao Lanfang", "Ronny Jackson"}


def test_institutions_named_by_common_noun(gaz: Gazetteer) -> None:
    texts = ["Israel summoned the envoy in Jerusalem, Israeli officials said.",
             "The Foreign Ministry said it “expressed displeasure” with Moscow.",
             "Russia sent aid, and its foreign ministry said that “self-defense has limits.”",
             "The French foreign ministry said it “regrets any decision.”"]
    speakers = [q.speaker for q in quotes(texts, gaz) if q.direct]
    assert speakers == ["Israeli Foreign Ministry", "Russian Foreign Ministry",
                        "French Foreign Ministry"]


def test_relative_clause_age_appositive_and_first_name_gender(gaz: Gazetteer) -> None:
    [q] = [q for q in quotes(["The council rejected a resolution proposed by Russia that "
                              "called for “an immediate ceasefire.”"], gaz) if q.direct]
    assert q.speaker == "Russia"
    texts = ["John Smith, 55, of Addison, called Rep. Mary Jones a threat.",
             "Later, he said, “I will do it,” the prosecutor's office said."]
    assert [q.speaker for q in quotes(texts, gaz) if q.direct] == ["John Smith"]


def test_role_description_orgname_and_continued_quote(gaz: Gazetteer) -> None:
    texts = ["Prosecutors dropped the case against Wikileaks co-founder Julian Assange.",
             "The Wikileaks founder always argued that the case was political.",
             "Twitter pledged to take \u201cdecisive corrective action\u201d against it.",
             "Deputy Director Eva-Marie Persson said: \u201cThe evidence has weakened.",
             "\u201cThere is no reason to continue the investigation.\u201d"]
    got = [(q.speaker, q.text[:20]) for q in quotes(texts, gaz)]
    assert ("Julian Assange", "the case was politic") in got
    assert ("Twitter", "decisive corrective ") in got
    assert ("Eva-Marie Persson", "There is no reason t") in got


def test_inverted_verb_names_positions_and_organisation_appositives(gaz: Gazetteer) -> None:
    texts = ["Dry winds will return by Friday, said Dana Whitcombe, the utility's lead forecaster.",
             "\u201cWe are ready,\u201d said Ollie Brandt, a backup linebacker.",
             "Rams QB Corey Tallis said the team would appeal the fine.",
             "Mira Osei, the president of the Coastal Growers Association, said costs had "
             "doubled."]
    got = {(q.speaker, q.text[:12]) for q in quotes(texts, gaz) if q.speaker}
    assert got == {("Dana Whitcombe", "Dry winds wi"), ("Ollie Brandt", "We are ready"),
                   ("Corey Tallis", "the team wou"), ("Mira Osei", "costs had do")}


def test_role_description_prefers_the_unqualified_title_and_pronoun_fallback(
        gaz: Gazetteer) -> None:
    texts = ["When President Trump was asked about tariffs, he said he wanted more.",
             "Lena Park, the president of the Valley Bank, said rates would rise.",
             "The president says his approach has created leverage."]
    got = [(q.speaker, q.text[:10]) for q in quotes(texts, gaz) if q.speaker]
    assert ("Donald Trump", "he wanted ") in got  # "he" before any subject: Trump
    assert ("Lena Park", "rates woul") in got
    assert ("Donald Trump", "his approa") in got  # not the bank's president


def test_bare_body_after_spokesperson_for_takes_the_articles_state(gaz: Gazetteer) -> None:
    texts = ["Israel said on Monday that it struck targets in Gaza.",
             "A spokesperson for the Defense Ministry said the operation would continue."]
    speakers = {q.speaker for q in quotes(texts, gaz)}
    assert "Israeli Defense Ministry" in speakers and "Defense Ministry" not in speakers


def test_inverted_verb_name_never_swallows_a_title(gaz: Gazetteer) -> None:
    from searchsvc.enriching import enrich_passages

    [e] = enrich_passages(["\u201cWe will reopen,\u201d said New York Governor Andrew Cuomo."],
                          published=None, gazetteer=gaz)
    assert [a.name for a in e.actors] == ["Andrew Cuomo"]
    [e] = enrich_passages(["Prices will rise, said Mary E. According to the data, no."],
                          published=None, gazetteer=gaz)
    assert [a.name for a in e.actors] == ["Mary E."]


def test_generalised_attribution_clause(gaz: Gazetteer) -> None:
    """Issue 7 generalisation round: one model of the attribution clause (synthetic text)."""
    texts = ["On Monday, Acme Studios issued a statement about the dispute.",
             '"We are disappointed by the decision," the statement read.',
             '"The plan is sound," explains Orbit Lab Team Leader Maria Kowalski.',
             "Tom Reyes, a researcher at the University of Leeds who was not involved, told "
             'Newsweek: "The sample is small."',
             'He Weidong, the former director of the bank, said "prices will rise."',
             "The authors of a study in the journal BMJ Open argued that costs are rising."]
    got = {(q.speaker, q.text) for q in quotes(texts, gaz) if q.speaker}
    assert ("Acme Studios", "We are disappointed by the decision,") in got
    assert ("Maria Kowalski", "The plan is sound,") in got
    assert ("Tom Reyes", "The sample is small.") in got
    assert ("He Weidong", "prices will rise.") in got
    assert not any(s in ("Open", "Newsweek") for s, _ in got)


def test_batch5_round_mechanisms(gaz: Gazetteer) -> None:
    def who(texts: list[str]) -> set[tuple[str | None, str]]:
        return {(q.speaker, q.text) for q in quotes(texts, gaz)}

    def has(got: set[tuple[str | None, str]], speaker: str, start: str) -> bool:
        return any(s == speaker and t.startswith(start) for s, t in got)
    # an occupation before a full name acts as a title; the surname then names the person
    got = who(['"Dunes cover the plains," said marine biologist Hedda Voss of the institute.',
               '"They move slowly," added Voss, who led the survey.'])
    assert has(got, "Hedda Voss", "Dunes cover") and has(got, "Hedda Voss", "They move")
    # a surname prefix before a capital is part of the name word
    assert has(who(["Sen. Aidan McGrath argued that the port needs more cranes."]),
               "Aidan McGrath", "the port needs")
    # "the company" / "company management": the article's main company
    got = who(["Shares of Brindle fell after the retailer Brindle cut its outlook.",
               "Brindle's stock has lost a third this year, and Brindle plans job cuts.",
               "Company management said sales would fall 4% this year."])
    assert has(got, "Brindle", "sales would fall")
    # accused X of V-ing; a fronted "Noting that ..., X asked"; "according to a report by X."
    assert has(who(["Hedda Voss accused the ministry of hiding the data."]),
               "Hedda Voss", "the ministry of hiding")
    assert has(who(['Noting that the dunes have grown fast, Hedda Voss asked, "Why now?"']),
               "Hedda Voss", "the dunes have grown")
    assert has(who(["The band is splitting up after ten years, according to a new report by "
                    "Q! Daily."]), "Q! Daily", "The band is splitting")
    # a verb taken by a subject with an appositive is not also a later mention's
    got = who(['"Water is rare," marine biologist Hedda Voss, a fellow at a lab in Paris, '
               'France, said.'])
    assert {s for s, _ in got} == {"Hedda Voss"}


def test_batch6_round_mechanisms(gaz: Gazetteer) -> None:
    got = {(q.speaker, q.text) for q in quotes([
        "Dr. Joneigh Khaldun of the Michigan Department of Health and Human Services says "
        "the risk is high. He says residents should take precautions against mosquito bites.",
        "The building will be turned into a police station, Austria's interior minister said "
        "on Tuesday, after years of debate over how best to prevent it becoming a shrine.",
        "Deputy Minister Pavel Schmidt visited the site.",
        "It will house the local police force's offices, the Interior Ministry said."], gaz)
        if q.speaker}
    assert ("Joneigh Khaldun", "residents should take precautions against mosquito bites") in got
    assert not any(s.startswith("Human Services") or s == "Pavel Schmidt" for s, _ in got)
    assert ("Austrian Interior Ministry", "It will house the local police force's offices") in got


def test_batch7_round_mechanisms(gaz: Gazetteer) -> None:
    """Royal titles, present-tense verbs, relative and participle clauses, fronted
    "According to", findings and projections, people named by appositive jobs or first names."""
    got = {(q.speaker, q.text) for q in quotes([
        "Princess Maud, the king's niece, has told friends that the tour was a success.",
        "Maud claims that she never met the banker. “I was abroad,” she insists.",
        "Sweden’s head of public prosecutions, Liv Ekdahl, said on Monday the case was over. "
        "She added that an appeal was possible.",
        "He fled to Norway, which accuses him of laundering money for the cartel.",
        "Sen. Ada Brisk visited the plant and argued that the subsidy had worked well.",
        "Tigers DL Bo Ferris, however, decided to weigh in, saying that the referee had erred.",
        "According to the Federation of Pear Growers (FPG) in Oregon, exports fell by half.",
        "The conservative-leaning Tax Research Institute projected in May that growth would slow.",
        "Tom Corder, a neuroscientist at Yale, has studied the cells for years.",
        "“It is a big deal,” says Corder. As Corder puts it, “nobody was looking.”",
        "Sarah Lund has farmed here for 20 years. “We never saw smoke like this,” she said.",
        "But, to cover his tracks, Corder explained that the cells can hide.",
    ], gaz)}
    assert ("Princess Maud", "the tour was a success") in got
    assert ("Princess Maud", "she never met the banker") in got
    assert ("Princess Maud", "I was abroad,") in got
    assert ("Liv Ekdahl", "an appeal was possible") in got  # "she": the prosecutor
    assert ("Liv Ekdahl", "the case was over") in got  # "said on Monday the case ..."
    assert not any(t.startswith("Sweden") for _, t in got)  # her role is no statement
    assert ("Norway", "him of laundering money for the cartel") in got
    assert ("Ada Brisk", "the subsidy had worked well") in got
    assert ("Bo Ferris", "the referee had erred") in got
    assert ("Federation of Pear Growers", "exports fell by half") in got
    assert ("Tax Research Institute", "growth would slow") in got
    assert ("Tom Corder", "It is a big deal,") in got
    assert ("Tom Corder", "nobody was looking.") in got
    assert ("Sarah Lund", "We never saw smoke like this,") in got
    # a verb with its own clause is no trailing attribution of the words before it
    assert not any(t.startswith("But, to cover") for _, t in got)
    # "found"/"estimates" report a statement only with a "that" clause; "Other" is no speaker
    assert not {q.speaker for q in quotes([
        "Police found the car near the river. Other estimates are in the same ballpark."], gaz)
        if q.speaker}


def test_batch8_round_mechanisms(gaz: Gazetteer) -> None:
    """Parenthetical attributions, quotes after their attribution sentence, "as X notes,",
    "a team led by X found that", and findings that are not actors speaking."""
    got = {(q.speaker, q.text) for q in quotes([
        "Tom Corder, a neuroscientist at Yale, has studied the cells for years.",
        "This system, says Tom Corder, a neuroscientist at Yale, helps direct the response.",
        "It is unclear which came first, Corder says. Just because we saw them first, “that "
        "doesn’t mean that’s the order in which it evolved.”",
        "For example, as Corder notes, sensing pathogens early gives the body more chances.",
        "In 2012, a research group led by Sarah Lund at the University of Oslo found that "
        "sugars activated those receptors.",
        "It shows that the pressure for growth remains immense.",
        "The embassy in Oslo maintains its own monitor and reported Wednesday that the air "
        "was bad.",
    ], gaz)}
    # the whole sentence, attribution included, is what a journalist cites
    assert ("Tom Corder", "This system, says Tom Corder, a neuroscientist at Yale, helps direct "
            "the response") in got
    assert ("Tom Corder", "that doesn’t mean that’s the order in which it evolved.") in got
    assert ("Tom Corder", "sensing pathogens early gives the body more chances") in got
    assert ("Sarah Lund", "sugars activated those receptors") in got
    assert not any(t.startswith("the pressure for growth") and s for s, t in got)  # "It shows"
    assert not any(s == "Norway" for s, _ in got)  # "maintains its monitor" is no speech
    # a scare quote in a sentence of its own does not inherit the previous attribution
    lone = quotes(["Corder said the cells were rare. Critics called them “a fad”."], gaz)
    assert [q.speaker for q in lone if q.text == "a fad"] == [None]


def test_possessive_speech_nouns_and_written(gaz: Gazetteer) -> None:
    """"X's announcement that ..." is X's statement unless the noun phrase is the sentence's
    subject (its clause then runs into the main verb); "has written" speaks, "had written
    the letter" does not."""
    got = {(q.speaker, q.text) for q in quotes([
        "Tom Corder, a neuroscientist at Yale, has studied the cells for years.",
        "Despite Corder's Oct. 11 announcement that the cells had been found, funding stalled.",
        "Corder's claim that he never saw the data is hard to believe.",
        "“The duty is paid by importers,” Tom Corder, a fellow at Yale, has written.",
        "It sounds as if Corder had written the letter himself.",
    ], gaz)}
    assert ("Tom Corder", "the cells had been found") in got
    assert not any(t.startswith("he never saw the data") for _, t in got)
    assert ("Tom Corder", "The duty is paid by importers,") in got
    assert not any(t.startswith("the letter") for _, t in got)


def test_batch9_round_mechanisms(gaz: Gazetteer) -> None:
    """Courtroom and interview verbs, datelines, "When he ..., X ...", judicial titles,
    "the <Name> said" organisations, a surname after another first name, "but, according
    to X, ...", and verbs whose bare complement is a noun object."""
    got = {(q.speaker, q.text) for q in quotes([
        "Justice Samuel Brisk pressed the lawyer. “But there is some risk,” Brisk interjected. "
        "“Do you dispute that?”",
        "OSLO, Aug. 20 (Nordpress) -- Norway's official newspaper blasted Sweden on Tuesday, "
        "warning that Stockholm will pay dearly.",
        "“The exercise is hostile,” the Nordic Herald said in a commentary.",
        "When he was 16, Tom Corder was arrested, but he denied the allegations. He says this "
        "data is displayed at every checkpoint.",
        "Pollution fell, but, according to Corder, the tradeoff has been accelerated warming.",
        "A research group led by Noam Cohen at the University of Oslo found that sugars "
        "activated the receptors.",
        "The National Highway Traffic Safety Administration said that 416 motorists died.",
    ], gaz)}
    assert ("Samuel Brisk", "But there is some risk,") in got  # "Justice" is no part of a name
    assert ("Samuel Brisk", "Do you dispute that?") in got
    assert not any(s == "Sweden" or s == "Norway" and t.startswith("Stockholm")
                   for s, t in got)  # "OSLO, ..." is a dateline, not the subject
    assert ("Nordic Herald", "The exercise is hostile,") in got
    assert ("Tom Corder", "this data is displayed at every checkpoint") in got
    assert not any(t.startswith("the allegations") for _, t in got)
    assert ("Tom Corder", "the tradeoff has been accelerated warming") in got
    assert ("Noam Cohen", "sugars activated the receptors") in got  # not the gazetteer's Eli
    assert ("National Highway Traffic Safety Administration", "416 motorists died") in got


def test_batch10_round_mechanisms(gaz: Gazetteer) -> None:
    """Surname-only people after Mr/Ms/Dr, a gazetteer surname with the wrong honorific,
    possessors and ranks kept out of names, quotes reopened after a paragraph, clauses that
    open with an adverbial or a quantity, and "the bank/union" anaphors."""
    got = {(q.speaker, q.text) for q in quotes([
        "Gabriel Szondy is the club president. The members vote. Mr Szondy says he is pleased.",
        "Mr Truss has led a delegation. Mr Truss says that will mean farmers will suffer.",
        "The Community and Public Sector Union's Wendy Caird says the plan is alarming.",
        "The Reverend Tim Costello says it is important to remember history.",
        "Dr Hollingworth says at the time of the abuse, legal obligations played heavily.",
        "The TWU secretary, Tony Sheldon, says about 16,000 workers are facing a bleak Christmas.",
        "Qantas says it is confident an agreement will be reached.",
        '"We are delighted. "We will be back next year," Mr Szondy said.',
    ], gaz)}
    assert ("Gabriel Szondy", "he is pleased") in got  # "Mr Szondy" is the man named in full
    assert ("Truss", "that will mean farmers will suffer") in got  # not the gazetteer's Liz Truss
    assert ("Wendy Caird", "the plan is alarming") in got
    assert ("Tim Costello", "it is important to remember history") in got
    assert ("Hollingworth", "at the time of the abuse, legal obligations played heavily") in got
    assert ("Tony Sheldon", "about 16,000 workers are facing a bleak Christmas") in got
    assert ("Qantas", "it is confident an agreement will be reached") in got
    assert ("Gabriel Szondy", "We will be back next year,") in got  # a reopened quote
    assert not any(t.endswith("said.") for _, t in got)


def test_batch11_12_round_mechanisms(gaz: Gazetteer) -> None:
    """Sentence-initial words and academic ranks are no part of a name, show titles are no
    statements, "informed X that", "emailed his staff, '...'", a participle after a leading
    subject with a possessive owner, and a scare quote goes to its own verb's subject."""
    got = {(q.speaker, q.text) for q in quotes([
        "Mike Pompeo spoke at length. Though Pompeo said the agency is barred from it, he "
        "went on.",
        "Associate Professor John Turnidge says it is becoming an ever increasing problem.",
        "Colin Powell appeared on “Face the Nation” on Sunday.",
        "The US ambassador, Todd Chapman, informed the authorities that the visit was off.",
        "Assange's lawyer Jennifer Robinson attended the meeting and claimed he came as an "
        "envoy.",
        "Israel launched raids after Prime Minister Ariel Sharon branded the group a “terror "
        "outfit”.",
        "The Moscow Times has been unjustly branded as a “foreign agent”.",
    ], gaz)}
    assert any(s == "Mike Pompeo" and t.startswith("the agency is barred") for s, t in got)
    assert ("John Turnidge", "it is becoming an ever increasing problem") in got
    assert not any(t == "Face the Nation" and s for s, t in got)
    assert ("Todd Chapman", "the visit was off") in got
    assert ("Jennifer Robinson", "he came as an envoy") in got
    assert ("Ariel Sharon", "terror outfit") in got
    assert not any(t == "foreign agent" and s for s, t in got)  # passive: not its speaker


def test_batch13_round_mechanisms(gaz: Gazetteer) -> None:
    """A one-word place in a title before a three-word name, roles are no names, a place
    after "in" is no subject, and an article's own full name beats a gazetteer surname."""
    got = {(q.speaker, q.text) for q in quotes([
        "Former Taliban ambassador to Pakistan Abdul Salam Zaeef insisted that the deal held.",
        "The new Solomon Islands Prime Minister has told his people that tough times are ahead.",
        "An Iraqi defector who has applied for residency in Australia claims he saw the plants.",
        "Former player Jason Stoltenberg will join the coaching team. Stoltenberg says he "
        "looks forward to it.",
    ], gaz)}
    assert ("Abdul Salam Zaeef", "the deal held") in got
    assert not any(s == "Solomon Islands Prime Minister" for s, _ in got)
    assert not any(s == "Australia" for s, _ in got)
    assert ("Jason Stoltenberg", "he looks forward to it") in got  # not NATO's Jens Stoltenberg


def test_batch14_round_mechanisms(gaz: Gazetteer) -> None:
    """Organisation names stop at a sentence end, a long subject after "says", a clause that
    opens with "despite", a spokeswoman speaks rather than her organisation, the president
    of a possessively named body, and ranks such as "Coroner" or "Navy Captain"."""
    got = {(q.speaker, q.text) for q in quotes([
        "Fires are burning across New South Wales. The Rural Fire Service says the change may "
        "help.",
        "Tom Corder, a neuroscientist at Yale, agreed. Corder says the significant fall in the "
        "number of people arriving illegally in Australia is a sign of change.",
        "Corder says despite the dominance of his side in the first Test, the visitors can never "
        "be taken lightly.",
        "“We have an update,” said Pentagon spokeswoman Victoria Clark.",
        "The president of Adelaide's Islamic Society, Walli Hanifi, says the man left early.",
        "Coroner Graeme Johnston said the race could go ahead.",
    ], gaz)}
    assert ("Rural Fire Service", "the change may help") in got  # not "Wales. The Rural ..."
    assert any(s == "Tom Corder" and t.startswith("the significant fall") for s, t in got)
    assert any(s == "Tom Corder" and t.startswith("despite the dominance") for s, t in got)
    assert ("Victoria Clark", "We have an update,") in got
    assert ("Walli Hanifi", "the man left early") in got
    assert ("Graeme Johnston", "the race could go ahead") in got


def test_bare_clause_after_says_and_named_governments(gaz: Gazetteer) -> None:
    """After say/says/said a bare complement is a clause whatever its verb ("they know", a
    plural subject, "if ..." or "regardless of ..., ..."), but not an adjunct, a fixed object
    or a short phrase; "told <outlet> <clause>"; "expressed certainty <clause>"; "threatened
    to"; governments and administrations named as written, a bare "the Government" left
    unresolved; a clause's own subject is no second speaker."""
    texts = [
        "Dr Ann Rowe, a physician at the clinic, was asked about the plan. Dr Rowe says they "
        "know what needs to be done.",
        "Dr Rowe says if there is no change in the budget significant cuts are possible.",
        "Dr Rowe says Australians need to look beyond the headlines.",
        "Dr Rowe said regardless of the outcome, she expected the result to stand.",
        "Dr Rowe said in a statement issued on Monday. Dr Rowe said goodbye to her colleagues "
        "at the station. Dr Rowe said recently about the plan in an interview.",
        "Senator Tom Hale has told Channel Nine the Government does not know what happened.",
        "Senator Hale told the tale of a man who saw his doctor in November.",
        "President Jon Varga expressed certainty the suspect would be caught.",
        "President Varga expressed concern about a man who was arrested in Perth last year.",
        "The Fabrikam Workers Union has threatened to strike if the talks fail.",
        "The Federal Government says new fuel standards will cut emissions.",
        "The Bush administration says the talks have stalled for good.",
        "The Government says the talks have stalled for good.",
        "Senator Hale says the Government promised to deliver $5 million in entitlements.",
        "The Treasurer, Peter Costello, says the Government's review committee will make cuts.",
    ]
    found = quotes(texts, gaz)
    got = {(q.speaker, q.text) for q in found}
    assert ("Ann Rowe", "they know what needs to be done") in got
    assert ("Ann Rowe", "if there is no change in the budget significant cuts are possible") in got
    assert ("Ann Rowe", "Australians need to look beyond the headlines") in got
    assert ("Ann Rowe", "regardless of the outcome, she expected the result to stand") in got
    assert not [q for q in found if q.passage_id == "a.p4"]  # adjunct, object, adverb + "about"
    assert ("Tom Hale", "the Government does not know what happened") in got
    assert not [q for q in found if q.passage_id == "a.p6"]  # "the tale of": an object
    assert ("Jon Varga", "the suspect would be caught") in got
    assert not [q for q in found if q.passage_id == "a.p8"]  # concern about: no clause
    assert ("Fabrikam Workers Union", "to strike if the talks fail") in got
    assert ("Federal Government", "new fuel standards will cut emissions") in got
    assert ("Bush administration", "the talks have stalled for good") in got
    assert {q.speaker for q in found if q.passage_id == "a.p12"} <= {None}
    assert {q.speaker for q in found if q.passage_id == "a.p13"} == {"Tom Hale"}
    assert {q.speaker for q in found if q.passage_id == "a.p14"} == {"Peter Costello"}


def test_rank_before_demonym_and_quotes_reopened_after_joined_paragraphs(
        gaz: Gazetteer) -> None:
    """'said chief Palestinian negotiator X' names X; a quote reopened right after another
    (paragraphs joined into one, each opening a new mark) goes on with its speaker."""
    found = quotes([
        '"We heard a declaration of war," said chief Palestinian negotiator Saeb Erakat on CNN '
        'television.',
        '"It was a great start to my year," Dr Ann Rowe said. "I am a bit out of shape. "That '
        'is one of the reasons I am here. "I just aim to keep improving in the new year."',
        '"We will win," said Dr Rowe. "We will not," said Senator Tom Hale.',
    ], gaz)
    assert [q.speaker for q in found if q.passage_id == "a.p0"] == ["Saeb Erakat"]
    assert [q.speaker for q in found if q.passage_id == "a.p1"] == ["Ann Rowe"] * 4
    # a quote with an attribution of its own is no continuation
    assert [q.speaker for q in found if q.passage_id == "a.p2"] == ["Ann Rowe", "Tom Hale"]


def test_research_documents_speak_for_their_named_maker(gaz: Gazetteer) -> None:
    """"The study by X shows ...", "X released its report ... The document says ...": a
    report, study or article speaks for whoever made it; "a report says" with no maker named
    has no speaker."""
    found = quotes([
        "The study by the World Health Organization shows the number of people diagnosed "
        "with measles has doubled.",
        "The Grattan Institute today released its report on hospitals. The document says "
        "waiting lists are growing in every state.",
        "A report says hospitals are full. A new study shows the number of people diagnosed "
        "with measles has doubled.",
    ], gaz)
    got = {(q.passage_id, q.speaker, q.text) for q in found}
    assert ("a.p0", "World Health Organization",
            "the number of people diagnosed with measles has doubled") in got
    assert ("a.p1", "Grattan Institute", "waiting lists are growing in every state") in got
    assert {q.speaker for q in found if q.passage_id == "a.p2"} <= {None}


def test_hyphenated_ranks_and_a_fronted_phrase_after_says(gaz: Gazetteer) -> None:
    """"Lieutenant-General Cosgrove", "Federal Attorney-General Daryl Williams": the rank is
    no part of the name; "says over the weekend he had ..." is a clause."""
    got = {(q.speaker, q.text) for q in quotes([
        "General Peter Cosgrove arrived. Lieutenant-General Cosgrove says the man was "
        "discharged from the Army.",
        "The Federal Attorney-General Daryl Williams says he cannot confirm media reports.",
        "Dr Ann Rowe says over the weekend she had time to think the matter through.",
    ], gaz)}
    assert ("Peter Cosgrove", "the man was discharged from the Army") in got
    assert ("Daryl Williams", "he cannot confirm media reports") in got
    assert ("Ann Rowe", "over the weekend she had time to think the matter through") in got


def test_object_verbs_take_a_clause_with_its_own_verb(gaz: Gazetteer) -> None:
    """"confirmed non-US forces are on the ground": a short noun phrase then its own verb is
    a clause; "denied the allegations made against him" stays an object; "admitted planning
    the attacks" is a gerund's clause, "denied wrongdoing" is not."""
    found = quotes([
        "Senator Tom Hale spoke. Senator Hale confirmed non-US coalition forces are also on "
        "the ground.",
        "Senator Hale recognised the accord was far from perfect.",
        "Senator Hale denied the allegations made against him.",
        "Senator Hale admitted planning the attacks on the base.",
        "Senator Hale denied wrongdoing in the matter.",
    ], gaz)
    got = {(q.speaker, q.text) for q in found}
    assert ("Tom Hale", "non-US coalition forces are also on the ground") in got
    assert ("Tom Hale", "the accord was far from perfect") in got
    assert ("Tom Hale", "planning the attacks on the base") in got
    assert not [q for q in found if q.passage_id in ("a.p2", "a.p4")]


def test_clauses_after_says_open_with_subordinators_and_parentheticals(gaz: Gazetteer) -> None:
    """"says despite this report the company continued", "says if fire activity increases
    ...", "says the results, while disturbing, are ..." (a parenthetical is no cut), and
    "told the commission one of the factors was ..." are all reported clauses."""
    got = {(q.speaker, q.text) for q in quotes([
        "Dr Ann Rowe says despite this report the company continued trading for months.",
        "Dr Rowe says if fire activity increases hundreds of homes could burn.",
        "Dr Rowe says the results, while disturbing, are not surprising.",
        "Dr Rowe told the commission one of the biggest factors was poor management.",
    ], gaz)}
    assert ("Ann Rowe", "despite this report the company continued trading for months") in got
    assert ("Ann Rowe", "if fire activity increases hundreds of homes could burn") in got
    assert ("Ann Rowe", "the results, while disturbing, are not surprising") in got
    assert ("Ann Rowe", "one of the biggest factors was poor management") in got


def test_speakers_the_rules_could_not_see_before(gaz: Gazetteer) -> None:
    """One-word organisations after a sentence's first word ("But Fabrikam maintains"),
    institution anaphors ("the authority"), hyphenated roles ("The Governor-General"),
    honorifics before an appositive ("Sir Allan Kemakeza, the leader of ..."), a name set off
    by commas before the verb, occupational titles and common given names; capitalised
    common words before "officials" are no organisation."""
    texts = [
        "Workers want a rise. But Fabrikam maintains it has to impose a wage freeze.",
        "The Civil Aviation Safety Authority has released new rules. The authority says it has "
        "also begun to encourage lighter fuel loads.",
        "Governor-General Peter Hollingworth has been criticised. The Governor-General says he "
        "relied on advice from church officials.",
        "Sir Allan Kemakeza, the leader of the People's Alliance Party, was elected. \"The "
        "times ahead are not going to be easy,\" he said.",
        "A spokesman for provincial governor Gul Agha, Akbar Khan, says the man was arrested "
        "when he left his ward.",
        "Nutrition Australia dietitian Rachael Bradford says the results are not surprising.",
        "Julia Ham won the 50 metres butterfly. She says the prize money will pay for a car.",
        "Geoff Huegill won the final. \"Every race is just getting better,\" Huegill said.",
        "Fire officials said there were no reported injuries. Senior officials say they are "
        "certain the fire was lit.",
    ]
    found = quotes(texts, gaz)
    got = {(q.speaker, q.text) for q in found}
    assert ("Fabrikam", "it has to impose a wage freeze") in got
    assert ("Civil Aviation Safety Authority", "it has also begun to encourage lighter fuel "
            "loads") in got
    assert ("Peter Hollingworth", "he relied on advice from church officials") in got
    assert ("Allan Kemakeza", "The times ahead are not going to be easy,") in got
    assert ("Akbar Khan", "the man was arrested when he left his ward") in got
    assert ("Rachael Bradford", "the results are not surprising") in got
    assert ("Julia Ham", "the prize money will pay for a car") in got
    assert ("Geoff Huegill", "Every race is just getting better,") in got
    assert {q.speaker for q in found if q.passage_id == "a.p8"} <= {None}


def test_a_passage_may_open_inside_a_quote(gaz: Gazetteer) -> None:
    """A quote that runs over a paragraph break closes in the next passage: its first mark
    closes it, so the attribution after it is read as prose, not as quoted words."""
    found = quotes([
        "Pat Rafter was forced to withdraw. \"Any player dreams of a final at home.",
        "I just didn't get the job done,\" he said. Team captain John Fitzgerald has defended "
        "the decision, saying he was always in doubt for the final.",
    ], gaz)
    got = {(q.speaker, q.text, q.direct) for q in found if q.passage_id == "a.p1"}
    assert ("Pat Rafter", "I just didn't get the job done,", True) in got
    assert ("John Fitzgerald", "he was always in doubt for the final", False) in got


def test_spokesmen_for_people_bodies_named_for_places_and_believes(gaz: Gazetteer) -> None:
    """"a spokesman for Immigration Minister Philip Ruddock says" speaks for the minister;
    "Energy Australia says" is a body, not the state; "X believes <clause>" is a view voiced
    (the guide counts it); "Prime Minister Howard" keeps its single name."""
    found = quotes([
        "A spokesman for Immigration Minister Philip Ruddock says damage from the fires was "
        "limited.",
        "Energy Australia says power has been restored to 35,000 customers.",
        "President Pervez Musharraf believes there is a strong possibility of talks.",
    ], gaz)
    got = {(q.speaker, q.text) for q in found}
    assert ("Philip Ruddock", "damage from the fires was limited") in got
    assert ("Energy Australia", "power has been restored to 35,000 customers") in got
    assert ("Pervez Musharraf", "there is a strong possibility of talks") in got
    assert "Australia" not in {q.speaker for q in found}


def test_a_stray_closing_mark_does_not_quote_the_sentences_before_it(gaz: Gazetteer) -> None:
    """A passage opens inside a quote only when the passage before it left one open: a
    closing mark whose opening mark was lost is no reason to read "Mr Lubbers says" as
    quoted words."""
    found = quotes([
        "The talks in Geneva ended on Tuesday.",
        "The UN refugee chief, Ruud Lubbers, spoke first. Mr Lubbers says some governments "
        "base their policies on fear. We respond to every request,\" he said.",
    ], gaz)
    assert ("Ruud Lubbers", "some governments base their policies on fear") in {
        (q.speaker, q.text) for q in found}


def test_group_owners_stop_at_a_sentence_end_and_named_companies(gaz: Gazetteer) -> None:
    """"... over Afghanistan. Pentagon officials said": the owner is the Pentagon, not a
    name run across the full stop; "The company, Yallourn Energy, believes": the company is
    the one named beside it, not the latest organisation in the article."""
    found = quotes([
        "The bomber flew over Afghanistan. Pentagon officials said they had heard about the "
        "crash early in the morning.",
        "Workers from the Australian Workers Union met on Monday. The company, Yallourn "
        "Energy, believes the state's power supply is under threat.",
    ], gaz)
    got = {(q.speaker, q.text) for q in found}
    assert ("Pentagon", "they had heard about the crash early in the morning") in got
    assert ("Yallourn Energy", "the state's power supply is under threat") in got


def test_plural_say_and_longer_objects_of_told(gaz: Gazetteer) -> None:
    """"Japanese officials say <clause>" (a plural present right after its subject) reports a
    clause, "would say" does not; "told" takes a longer object before "that" or a comma."""
    found = quotes([
        "Japanese officials say their coast guard has sunk an unidentified boat.",
        "Japanese officials would say little about the boat, which was seen off Kyushu.",
        "Reserve Bank governor Ian Macfarlane told a gathering in Sydney last night, growth "
        "is remarkably good by world standards.",
        "Defence Secretary Donald Rumsfeld has told a NATO defence ministers' meeting that "
        "the attacks may be a preview of what is to come.",
        "Defence Secretary Donald Rumsfeld told the BBC, which had asked him twice, that he "
        "would not comment.",
    ], gaz)
    got = {(q.speaker, q.text) for q in found}
    assert ("Japan", "their coast guard has sunk an unidentified boat") in got
    assert not [q for q in found if q.passage_id == "a.p1"]
    assert ("Ian Macfarlane", "growth is remarkably good by world standards") in got
    assert ("Donald Rumsfeld", "the attacks may be a preview of what is to come") in got
    assert not any(q.text.startswith("which") for q in found)


def test_subjects_behind_places_open_relatives_and_royal_numbers(gaz: Gazetteer) -> None:
    """"In Brussels, the US Defence Secretary, X, has told": a place after "In" is not the
    subject; "X, who is in the squad in place of Y says": X speaks; "Akbar Jan" is a name,
    "Jan." a month; "the Governor-General, Dr X." names the Governor-General; "King Carl XVI
    Gustaf" is one person."""
    found = quotes([
        "In Brussels, the US Defence Secretary, Donald Rumsfeld, has told allies to prepare "
        "for the threat.",
        "Leg-spinner Stuart MacGill, who is in the squad in place of Andy Bichel says he is not "
        "perturbed by the reports.",
        "A spokesman for the governor, Akbar Jan, says the man was arrested at the hospital.",
        "The Prime Minister has backed the Governor-General, Dr Peter Hollingworth. In a "
        "statement, the Governor-General said the allegations were unfounded.",
    ], gaz) + quotes([
        "Sweden's King Carl XVI Gustaf spoke on Christmas Day. \"We need friendship beyond "
        "borders,\" he said.",
    ], gaz)
    got = {(q.speaker, q.text) for q in found}
    assert ("Donald Rumsfeld", "allies to prepare for the threat") in got
    assert ("Stuart MacGill", "he is not perturbed by the reports") in got
    assert ("Akbar Jan", "the man was arrested at the hospital") in got
    assert ("Peter Hollingworth", "the allegations were unfounded") in got
    assert ("King Carl XVI Gustaf", "We need friendship beyond borders,") in got


def test_a_quote_closing_its_sentence_keeps_the_speaker_before_it(gaz: Gazetteer) -> None:
    """'..., Ms Almao said. "They seem okay." Helen Clark says she is devastated.': the quote
    goes on with the speaker before it, not the next sentence's subject, who reports
    something of her own; a bare trailing 'Mr Powell said.' is still the quote's, and with
    no speaker before it the next sentence's is the best guess."""
    found = quotes([
        "Two crew members were treated in hospital, Ms Almao said. \"They seem okay. The "
        "injuries were not serious.\" Prime Minister Helen Clark says she is devastated.",
        "The talks ended on Friday. \"We are looking for him.\" Mr Powell said.",
        "\"We were disappointed by the refusal.\" Dr Sultan says he will appeal.",
    ], gaz)
    got = {(q.speaker, q.text) for q in found}
    assert ("Almao", "They seem okay. The injuries were not serious.") in got
    assert ("Powell", "We are looking for him.") in got
    assert ("Sultan", "We were disappointed by the refusal.") in got


def test_bodies_described_by_their_business_and_owned_sources(gaz: Gazetteer) -> None:
    """"car maker Mitsubishi", "Mitsubishi sources in Japan say that", "ASIC claims that",
    "The U-S has conceded that", "Several Israeli Government ministers suggested that" and a
    six-word "New South Wales State Emergency Service" all speak under their names."""
    found = quotes([
        "Japanese car maker Mitsubishi, has confirmed that it has asked for more money. "
        "Mitsubishi sources in Japan say that the company has applied for investment aid.",
        "ASIC claims that the true position of the company was hidden from investors.",
        "The U-S has conceded that the whereabouts of the leader remain a mystery.",
        "Several Israeli Government ministers suggested that the leadership should be "
        "treated as an enemy.",
        "The New South Wales State Emergency Service says it has received 5,000 calls.",
        "The New Zealand Government says it will send help to the islands.",
    ], gaz)
    got = {(q.speaker, q.text) for q in found}
    assert ("Mitsubishi", "it has asked for more money") in got
    assert ("Mitsubishi", "the company has applied for investment aid") in got
    assert ("ASIC", "the true position of the company was hidden from investors") in got
    assert ("United States", "the whereabouts of the leader remain a mystery") in got
    assert ("Israeli Government",
            "the leadership should be treated as an enemy") in got
    assert ("New South Wales State Emergency Service", "it has received 5,000 calls") in got
    assert ("New Zealand Government", "it will send help to the islands") in got


def test_reports_reminds_and_say_after_a_modal(gaz: Gazetteer) -> None:
    """"The BBC reports <clause>" is the outlet's statement, "Preliminary reports suggested"
    is a noun; "reminded householders that" reports a clause; "declined to say whether" and
    "would not say" report nothing."""
    found = quotes([
        "The BBC reports the boat was spotted off the coast by a patrol plane.",
        "Preliminary reports suggested a disgruntled employee was behind the shooting.",
        "Mr Aquilina has reminded householders that the service is run by volunteers.",
        "Police declined to say whether the man had been charged with any offence.",
        "The Pentagon would not say how many troops were on the ground there.",
    ], gaz)
    got = {(q.speaker, q.text) for q in found}
    assert ("BBC", "the boat was spotted off the coast by a patrol plane") in got
    assert ("Aquilina", "the service is run by volunteers") in got
    assert {q.passage_id for q in found} == {"a.p0", "a.p2"}


def test_second_titles_apposed_spokesmen_and_contracted_auxiliaries(gaz: Gazetteer) -> None:
    """"President General Pervez Musharraf says" (two titles), "The Shadow Foreign Affairs
    Minister, Kevin Rudd, has urged" (the name given, not the last minister named), "Mr Ali's
    spokesman, Amin, told" (the spokesman named), "Mr Dixon claims" / "points out" (verbs
    after a person), "the Pentagon now believes", "it cannot afford it" (a clause)."""
    found = quotes([
        "President General Pervez Musharraf says Pakistan wants to defuse the crisis.",
        "Foreign Minister Robert Hill spoke first. The Shadow Foreign Affairs Minister, Kevin "
        "Rudd, has urged the Government to set up immediate diplomatic access.",
        "Earlier, Mr Ali's spokesman, Amin, told the news agency that the forces had captured "
        "a number of heights.",
        "Qantas chief executive Geoff Dixon was upset. Mr Dixon claims maintenance workers have "
        "earned more than most. Mr Dixon points out most of the workforce have agreed.",
        "The United States intercepted the calls and the Pentagon now believes the leader is "
        "on the run.",
        "Unions want a pay rise, while Qantas maintains it cannot afford it this year.",
    ], gaz)
    got = {(q.speaker, q.text) for q in found}
    assert ("Pervez Musharraf", "Pakistan wants to defuse the crisis") in got
    assert ("Kevin Rudd", "the Government to set up immediate diplomatic access") in got
    assert ("Amin", "the forces had captured a number of heights") in got
    assert ("Geoff Dixon", "maintenance workers have earned more than most") in got
    assert ("Geoff Dixon", "most of the workforce have agreed") in got
    assert ("Pentagon", "the leader is on the run") in got
    assert ("Qantas", "it cannot afford it this year") in got
    assert "Robert Hill" not in {q.speaker for q in found}


def test_told_or_expressed_right_before_a_quote_is_the_quote_s_attribution(
        gaz: Gazetteer) -> None:
    """'told reporters, "..."' and 'expressed confidence "..."': the quote is the statement
    (the clause scans after "told"/"expressed" met the quote mark and failed before)."""
    found = quotes([
        'Mr Smith told reporters, "We will win the next round."',
        'Mr Smith expressed confidence "we will win the next round."',
    ], gaz)
    got = {(q.passage_id, q.speaker, q.text, q.direct) for q in found}
    assert got == {("a.p0", "Smith", "We will win the next round.", True),
                   ("a.p1", "Smith", "we will win the next round.", True)}


def _one_by_one(texts: list[str], gaz: Gazetteer) -> set[tuple[str | None, str]]:
    """Each text as an article of its own: (speaker, text) of every statement."""
    return {(q.speaker, q.text) for t in texts for q in quotes([t], gaz)}


def test_bare_police_a_statement_from_x_and_knighted_given_names(gaz: Gazetteer) -> None:
    """"Police say" at a sentence's start (capitalised, no determiner) speaks; with no force
    named in the article the speaker is "Police", else the force; "A statement from X said"
    is X's; "Sir Allan Kemakeza" is later "Sir Allan"."""
    got = _one_by_one([
        "Peru is in mourning in Lima. Police say the fire began when a fireworks cache exploded.",
        "Mumbai police arrested a man. Police say he was carrying plans of the parliament.",
        "A man was arrested near the stadium, police said.",
        "A statement from Acme Corporation said the company would appeal.",
        "A statement by Jane Smithers said the company would appeal.",
        "Sir Allan Kemakeza won the vote. Sir Allan says he hopes to disarm the militias.",
        "Dame Joan Sutherland sang. Dame Joan said she was happy.",
    ], gaz)
    assert ("Police", "the fire began when a fireworks cache exploded") in got
    assert ("Mumbai Police", "he was carrying plans of the parliament") in got
    assert ("Police", "A man was arrested near the stadium") in got
    assert ("Acme Corporation", "the company would appeal") in got
    assert ("Jane Smithers", "the company would appeal") in got
    assert ("Allan Kemakeza", "he hopes to disarm the militias") in got
    assert ("Joan Sutherland", "she was happy") in got


def test_given_names_that_are_gazetteer_surnames_party_tags_and_company_suffixes(
        gaz: Gazetteer) -> None:
    """"Austin Smithers" is not the gazetteer's Lloyd Austin nor "Jean-Pierre Raffarin" its
    Karine Jean-Pierre; "(R-Texas)" or "(pictured)" between a name and its verb; "Acme
    Corp." / "Boeing Co." / "Acme Corporation" are companies, not people."""
    got = _one_by_one([
        "Austin Smithers said the vote was lost.",
        "Jean-Pierre Raffarin said he would resign.",
        "Sen. Ted Cruz (R-Texas) said the bill was dead.",
        "Rep. Jane Smithers (D-N.Y.) said the bill was dead.",
        "Jane Doe (pictured) said the bill was dead.",
        '"It is dead," said Sen. Ted Cruz (R-Texas).',
        "Acme Corp. said the company would appeal.",
        "Boeing Co. said it would appeal.",
    ], gaz)
    assert ("Austin Smithers", "the vote was lost") in got
    assert ("Jean-Pierre Raffarin", "he would resign") in got
    assert {("Ted Cruz", "the bill was dead"), ("Jane Smithers", "the bill was dead"),
            ("Jane Doe", "the bill was dead"), ("Ted Cruz", "It is dead,")} <= got
    assert ("Acme Corp.", "the company would appeal") in got
    assert ("Boeing Co.", "it would appeal") in got
    kinds = {m.name: m.kind for an in analyze_article(
        ["Acme Corporation said the company would appeal."], gazetteer=gaz) for m in an.mentions}
    assert kinds == {"Acme Corporation": "organization"}


def test_written_and_told_clauses_coordinated_speech_and_kin(gaz: Gazetteer) -> None:
    """"wrote/tweeted that", "tells reporters (that)", "declined to comment but said", a
    subject's "... and says", "..., according to X, the chair." (the clause before, not
    X's role); "A friend of X said" is not X speaking."""
    got = _one_by_one([
        "Jane Smithers wrote that the ruling was unfair.",
        "Jane Smithers tweeted that the court had erred.",
        "Jane Smithers wrote a letter to the court.",
        "Jane Smithers tells reporters the court had erred.",
        "Jane Smithers, a spokeswoman for Acme, declined to comment but said the company "
        "would appeal.",
        "Julia Ham won the butterfly and says the prize money will pay for a new car.",
        "The bill is dead, according to Jane Smithers, the chair of the committee.",
        "According to Jane Smithers, the chair of the committee, the bill is dead.",
        "A friend of Jane Smithers said she was innocent.",
        "The widow of John Smithers says she was never told.",
    ], gaz)
    assert {("Jane Smithers", "the ruling was unfair"),
            ("Jane Smithers", "the court had erred"),
            ("Jane Smithers", "the company would appeal"),
            ("Julia Ham", "the prize money will pay for a new car"),
            ("Jane Smithers", "The bill is dead"),
            ("Jane Smithers", "the bill is dead")} <= got
    assert not {t for s, t in got if "letter" in t or "chair" in t or "innocent" in t
                or "never told" in t}


def test_objects_of_told_colons_participles_and_described_inverted_speakers(
        gaz: Gazetteer) -> None:
    """'"...," Smithers, 64, told The Associated Press': the outlet is told, it does not
    speak; "X has a simple message for voters: '...'" is X's; "sued Acme, alleging that",
    "filed a lawsuit claiming that"; '"...," said one mother, Jane Smithers'."""
    got = _one_by_one([
        "“Not this time,” Smithers, 64, told The Associated Press in an interview.",
        "Jane Smithers has a simple message for voters: “Stay home if you are sick.”",
        "The message from Jane Smithers was clear: “Stay home if you are sick.”",
        "The sign read: “Stay home if you are sick.”",
        "Jane Smithers sued Acme, alleging that the company hid the defects.",
        "Jane Smithers filed a lawsuit claiming that Acme hid the defects.",
        "“I just want my kids to be safe,” said one mother, Jane Smithers.",
    ], gaz)
    assert "Associated Press" not in {s for s, _ in got}
    assert ("Jane Smithers", "Stay home if you are sick.") in got
    assert (None, "Stay home if you are sick.") in got  # the sign's
    assert ("Jane Smithers", "the company hid the defects") in got
    assert ("Jane Smithers", "Acme hid the defects") in got
    assert ("Jane Smithers", "I just want my kids to be safe,") in got


def test_a_name_s_tail_is_not_a_person_one_statement_once_and_an_office(
        gaz: Gazetteer) -> None:
    """"A report from Human Rights Watch said" is HRW's (not a person "Rights Watch"); "A
    report by Amnesty International said" gives one statement, not one per attribution;
    "Putin's office said" is Putin's."""
    found = [q for t in ["A report from Human Rights Watch said the army killed civilians.",
                         "A report by Amnesty International said the army killed civilians.",
                         "Putin's office said the talks had failed."]
             for q in quotes([t], gaz)]
    assert [(q.speaker, q.text) for q in found] == [
        ("Human Rights Watch", "the army killed civilians"),
        ("Amnesty International", "the army killed civilians"),
        ("Vladimir Putin", "the talks had failed")]


def test_progressive_speech_owned_officials_words_of_relatives_and_the_company(
        gaz: Gazetteer) -> None:
    """"X is insisting that" (a speech verb in the progressive); "Trump administration
    officials said" (a body already named owns the officials); "In Vladimir Putin's words,
    '...'"; "her mother, Fiona, said" and "Kylie Morrow's mother Elizabeth says" (a relative
    by given name, with the family's surname when the possessor gives one); "the company"
    is the latest company, not an association named after it."""
    got = _one_by_one([
        "Jane Smithers is insisting that the president finishes his term.",
        "Jane Smithers is saying goodbye to her staff.",
        "Trump administration officials said that they had briefed the president.",
        'In Vladimir Putin\'s words, "Could the moment come?"',
        "“She had taken eight,” her mother, Fiona, said in a statement yesterday.",
        "Kylie Morrow's mother Elizabeth, says the verdict has made the tour harder.",
        "Amazon bought the chain. The Fishing Vessel Owners Association sells halibut there. "
        "The company also said it was lowering prices across the store.",
    ], gaz)
    assert {("Jane Smithers", "the president finishes his term"),
            ("Trump administration", "they had briefed the president"),
            ("Vladimir Putin", "Could the moment come?"),
            ("Fiona", "She had taken eight,"),
            ("Elizabeth Morrow", "the verdict has made the tour harder"),
            ("Amazon", "it was lowering prices across the store")} <= got
    assert not {t for _, t in got if "goodbye" in t}


def test_more_verbs_of_saying_modals_and_coordinated_subjects(gaz: Gazetteer) -> None:
    """Verbs of saying beyond "said": plural subjects' bare forms ("officials warn that"),
    "asserted", "hinted", "speculates", "believed"; a modal before the verb ("Page would
    say, '...'"); after ", and Y ..." a participle belongs to Y. Verbs whose bare object is a
    noun ("repeated his offer", "mentioned the plan", "agreed to pay") report no clause, and
    a view ("believed") never owns a quote's words."""
    got = _one_by_one([
        "Pentagon officials warn that the budget cuts will hurt readiness.",
        "Jane Smithers asserted that the contract had been breached.",
        "Jane Smithers hinted last year that Apple might build a television.",
        "Jane Smithers speculates that the cells repair damaged tissue.",
        "Jane Smithers believed someone in the world could help.",
        "Jane Smithers agreed that the plan was flawed.",
        "Larry Page met Eric Schmidt. When an argument went in circles, Page would say, "
        "“I don't want to talk about this anymore.”",
        "Larry Page met Eric Schmidt. Page would grow animated, and Schmidt would shut him "
        "down, saying, “We heard you, Larry.”",
        "Jane Smithers repeated her offer of talks with the union.",
        "Jane Smithers mentioned the plan to reporters.",
        "Jane Smithers agreed to pay the fine.",
        'Jane Smithers believed the crowd would chant, "Go home".',
    ], gaz)
    assert {("Pentagon", "the budget cuts will hurt readiness"),
            ("Jane Smithers", "the contract had been breached"),
            ("Jane Smithers", "Apple might build a television"),
            ("Jane Smithers", "the cells repair damaged tissue"),
            ("Jane Smithers", "someone in the world could help"),
            ("Jane Smithers", "the plan was flawed"),
            ("Larry Page", "I don't want to talk about this anymore."),
            ("Eric Schmidt", "We heard you, Larry.")} <= got
    assert ("Larry Page", "We heard you, Larry.") not in got
    assert not {t for s, t in got if s and ("offer" in t or "plan to" in t or "fine" in t
                                            or t == "Go home")}


def test_companies_named_by_their_legal_form_speak_in_wire_copy(gaz: Gazetteer) -> None:
    """A name ending in a legal form ("Inc", "Co Ltd", "Limited Partnership") is a company
    whatever its words look like (camel case, "(Pacific)", wire copy's "<...>" brackets, a
    ticker after it); later "CoFAB", "Multi-Step" and "it" are the same company. A company
    in an object or an aside ("a subsidiary of X Plc, said") does not speak."""
    got = _one_by_one([
        "UtiliCorp United Inc said it completed the acquisition of West Virginia Power.",
        "Industrial Equity (Pacific) Ltd, a Hong Kong investment firm, said it raised its "
        "stake in Wrather Corp.",
        "<Versatile Corp> said it agreed in principle to sell its Alberta unit.",
        "Montedison Spa <MONI.MI> said it has concluded its negotiations.",
        "Bank of New York Co said it will sell its stake.",
        "Unocal Corp's Union Oil Co said it lowered its posted prices.",
        "Moody's Investors Service Inc said it lowered the ratings.",
        "Red Lion Inns Limited Partnership said it filed a registration statement.",
        "CoFAB Inc said it acquired Gulfex Inc. CoFAB said its companies make oilfield gear.",
        "Multi-Step Products Inc said it agreed to sell its unit. Multi-Step also said it "
        "will pay 900,000 dlrs.",
        "Exco International Plc, a subsidiary of British Shipping Co Plc, said it agreed to "
        "buy RMJ.",
    ], gaz)
    assert {("UtiliCorp United Inc", "it completed the acquisition of West Virginia Power"),
            ("Industrial Equity (Pacific) Ltd", "it raised its stake in Wrather Corp"),
            ("Versatile Corp", "it agreed in principle to sell its Alberta unit"),
            ("Montedison Spa", "it has concluded its negotiations"),
            ("Bank of New York Co", "it will sell its stake"),
            ("Union Oil Co", "it lowered its posted prices"),
            ("Moody's Investors Service Inc", "it lowered the ratings"),
            ("Red Lion Inns Limited Partnership", "it filed a registration statement"),
            ("CoFAB Inc", "its companies make oilfield gear"),
            ("Multi-Step Products Inc", "it will pay 900,000 dlrs"),
            ("Exco International Plc", "it agreed to buy RMJ")} <= got
    assert not {s for s, _ in got if s and ("British" in s or s.startswith("Unocal"))}


def test_speaker_names_compare_without_case_or_apostrophe_style(tmp_path: Path,
                                                                 gaz: Gazetteer) -> None:
    """The labelled "John O’Neill" (curly apostrophe) is the extracted "John O'Neill"."""
    labelled = tmp_path / "labels.json"
    labelled.write_text(json.dumps({"articles": [{
        "id": "a", "passages": ["“The work is done,” said John O’Neill."],
        "statements": [{"passage": 0, "text": "The work is done,", "speaker": "JOHN O’NEILL",
                        "direct": True}]}]}), encoding="utf-8")
    scores = evaluate_speakers(labelled, gaz)
    assert scores["precision"] == 1.0 and scores["recall"] == 1.0


def _labels(path: Path, statements: list[dict], passages: list[str] | None = None) -> Path:
    path.write_text(json.dumps({"articles": [{
        "id": "a", "passages": passages or ["“We will appeal,” said Jane Smithers. The court "
                                            "ruled on Monday, the Acme Corporation said."],
        "statements": statements}]}), encoding="utf-8")
    return path


def test_eval_quotes_and_agreement_from_the_command_line(tmp_path: Path) -> None:
    """`searchsvc eval quotes` scores the rules on a labelled file; `searchsvc eval
    agreement` scores one labelling against another the same way (the human ceiling)."""
    appeal = {"passage": 0, "text": "We will appeal,", "speaker": ["Jane Smithers", "Smithers"],
              "direct": True}
    ruled = {"passage": 0, "text": "The court ruled on Monday",
             "speaker": "Acme Corporation", "direct": False}
    first = _labels(tmp_path / "first.json", [appeal, ruled])
    second = _labels(tmp_path / "second.json",
                     [dict(appeal, speaker="SMITHERS"), dict(ruled, speaker="The court")])
    result = CliRunner().invoke(main, ["eval", "quotes", str(first), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["n"] == 2
    result = CliRunner().invoke(main, ["eval", "agreement", str(first), str(second), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {"articles": 1, "reference_n": 2, "other_n": 2,
                                         "precision": 0.5, "recall": 0.5}
    other = _labels(tmp_path / "other.json", [], passages=["Another text."])
    result = CliRunner().invoke(main, ["eval", "agreement", str(first), str(other)])
    assert result.exit_code == 1 and "different passages" in result.output


def test_two_independent_labellings_of_batch_19_agree_far_above_the_rules() -> None:
    """The labels are not the obstacle to the 0.9 bar: a second labeller, blind to the
    first labels and to the rules, agrees with the first at 0.989 / 0.961 on batch 19,
    where the rules reach 0.786 / 0.520 (after reading it)."""
    scores = labelling_agreement(LABELLED, SECOND)
    assert scores["articles"] == 6 and scores["reference_n"] == 102
    assert scores["precision"] >= 0.95 and scores["recall"] >= 0.95
