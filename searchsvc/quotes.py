"""Who said what: direct quotes and reported speech with their speakers.

Built on the enricher's article analysis (``enriching.analyze_article``), so a
speaker is always a canonical actor name and pronouns ("he said", "it added")
resolve across the article's passages. Decisions (see docs/quotes.md):

- Direct quotes: typographic and straight double quotes, and single quotes
  around a phrase ('cruel methods'). The quote text excludes the marks.
- A quote split around its attribution (“A,” he said. “B.”) gives two quotes
  with the same speaker: a quote with no attribution of its own inherits the
  speaker of the previous quote in the passage.
- Speaker of a direct quote: an attribution right after it (“...,” Putin said),
  else the nearest before it in the sentence (Putin stated: “...”), else one
  after it in the sentence. News agencies (``media`` in the gazetteer) only
  when nobody else is attributed in the sentence ("..., Reuters reported").
- Scare quotes with no speech verb get the sentence subject only when the
  sentence has a speech-like verb (called, described, compared, blasted...):
  "Netanyahu called criticism “absurd”" -> Netanyahu. Otherwise no speaker.
- Reported speech (direct=False): the clause after a speech verb ("Putin said
  the use of heavy weapons ... is fraught"), after "that", the "X to V"
  complement of urged/told/called on/vowed, ", adding/saying ..." clauses, and
  the sentence before a trailing attribution ("..., the Kremlin reported.").
  A bare noun object ("condemned the violence") is not a statement.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path

from .enriching import (
    INVERTING_VERBS,
    SPEECH_VERB_RE,
    THAT_ONLY_VERBS,
    Attribution,
    Gazetteer,
    PassageAnalysis,
    analyze_article,
    quote_spans,
)
from .models import Quote

#: the opening mark before its lookbehind (same matches as "(?<![\w'])'"): searched fast
_SINGLE = re.compile(r"'(?<![\w']')(?=[A-Za-z])([^'\n]{2,150}?)(?<=[\w.,!?])'(?![\w])")
_SPEECHLIKE = re.compile(
    r"\b(?:said|says|told|added|stated|stressed|warned|urged|criticized|criticised|cautioned|"
    r"called|calling|described|compared|blasted|condemned|condemns|expressed|voiced|vowed|"
    r"reiterated|argued|lauded|praised|accused|proposed|proposing|insisted|tweeted|wrote|"
    r"dubbed|labelled|labeled|termed|describe|describes|calls|branding|branded|denigrated|"
    r"dismissing|dismissed)\b"
)
#: Speech verbs whose bare complement is a reported clause ("Putin said the use ... is").
_CLAUSE_VERBS = frozenset(
    "said says stated added argued claimed insisted denied warned stressed noted explained "
    "cautioned told informed emailed reiterated restated emphasized emphasised confirmed "
    "acknowledged "
    "admitted declared announced suggested believes warning insist insists recounted reported "
    "reports concluded concludes advises advised claims claim swears swore assures assured admits "
    "acknowledges confirms announces declares suggests maintains maintained predicts predicted "
    "reveals revealed disclosed concedes conceded explains argues warns stresses saying adding "
    "noting arguing warning insisting explaining claiming cautions written "
    "alleging stating asserting stressing acknowledging declaring predicting suggesting "
    "announcement claim statement warning assertion insistence argument promise pledge vow "
    "admission contention testimony prediction ruled alleges acknowledge admit confirm "
    "concede testified indicated indicates recognised recognized believes reminded reminds "
    "argue explain warn add insist stress believe believed asserted asserts contended contends "
    "hinted hints implied implies speculated speculates clarified clarifies reaffirmed "
    "reaffirms reiterates repeated underscored underscores emphasizes emphasises theorized "
    "theorised surmised"
    .split()
) | THAT_ONLY_VERBS | {"pointed out", "points out", "point out", "issued a statement",
     "issued a statement warning", "issued a statement saying"}
#: Writing verbs that report a clause only through "that" ("wrote that the court erred";
#: "wrote a letter" is an object).
_WROTE_THAT = frozenset({"wrote", "writes", "tweeted", "posted"})
#: Speech nouns after a possessor ("Trump's announcement that"): their clause ends at a comma.
_SPEECH_NOUNS = frozenset("""announcement statement warning assertion insistence argument
    promise pledge vow admission contention testimony prediction""".split())
#: Verbs whose bare complement is usually a noun object: a clause needs "that" or a pronoun.
_OBJECT_VERBS = frozenset("""denied deny denies concluded concludes confirmed confirms confirm
    declared declares
    acknowledged acknowledges acknowledge admitted admits admit announced announces revealed
    reveals disclosed pressed indicated indicates recognised recognized repeated reaffirmed
    reaffirms underscored underscores clarified clarifies hinted implied implies emphasizes
    emphasises""".split())
#: common irregular past forms: "suggested the approach rang hollow"
_IRREGULAR_PAST_WORDS = (r"rang|made|took|went|came|got|gave|held|left|became|began|brought|built|"
                         r"fell|felt|grew|kept|knew|led|lost|meant|met|paid|ran|saw|sent|sold|spent|"
                         r"stood|thought|won|wrote|broke|chose|drove|flew|forgot|hid|rose|shook|"
                         r"spoke|stole|struck|swore|threw|understood|woke|sank|sought|taught|caught|"
                         r"bought|fought|dealt|drew|fed|fled|hung|lay|lent|let|rode|shot|shut|slept|"
                         r"slid|spun|split|spread|stuck|stung|swept|swung|tore|wore|wove|wept")
_PRONOUN_SUBJECTS = frozenset("he she it they we i there".split())
#: after an object verb, a short noun phrase and then its own verb is a clause ("confirmed
#: the accord was far from perfect"), a noun phrase alone is an object ("denied the claims")
_NP_THEN_VERB = re.compile(
    r"(?:(?!(?:that|which|who|whom|whose|to|for|with|from|about|against|and|or|by)\s)"
    r"[^\s,;:\"]+\s+){1,6}?(?:(?:also|still|now|not|already)\s+)?"
    r"(?:is|are|was|were|has|have|had|will|would|could|can|should|may|might|must|did|does|"
    r"do)\b"
    r"|(?:(?!(?:that|which|who|to|for|with|from|about|against|and|or|by)\s)[^\s,;:\"]+\s+)"
    r"{1,4}?(?:[a-z]{3,}ed|" + _IRREGULAR_PAST_WORDS + r")\s+"
    r"(?!(?:to|by|in|on|at|with|from|for|as|against|over|into|under|during|after|of)\b)")
#: "denied making any mistakes", "admitted planning the attacks": a gerund's clause
_GERUND_VERBS = frozenset("denied deny denies admitted admits admit".split())
_GERUND = re.compile(r"(?!(?:nothing|something|anything|everything|wrongdoing|during|"
                     r"according|meeting|building|funding|training|spending)\b)"
                     r"(?:having\s+)?[a-z]{2,}ing\s+[a-z\d]")
#: Verbs taking "X to V" or "to V" as their reported content.
_TO_VERBS = frozenset("urged urges told asked called warned vowed pledged promised informed "
                      "emailed threatened threatens vows pledges promises".split()) | {
    "pleaded with"}
_NOT_CLAUSE_START = frozenset(
    """to in on at for with during after before of about from by as into over under
    through while when where if whether earlier later also reporters journalists
    it's""".split()
)
_PASSIVE = re.compile(r"\b(?:was|were|been|being|is|are|be)\s+(?:\w+ly\s+)?$")
_THAT = re.compile(r"(?:(?:\s+[^\s\",;:]+){0,4}?|\s+(?:in|on|at|during|to)"
                   r"(?:\s+[^\s\",;:]+){1,7}?"
                   # "told reporters at a press conference that": an object, then a place
                   r"|(?:\s+[^\s\",;:]+){1,2}\s+(?:in|on|at|during|after)(?:\s+[^\s\",;:]+){1,5}?)"
                   r"\s+that\s+")
#: "issued a statement that appeared to ...": a verb right after "that" makes it a relative
#: pronoun (complement "that" is followed by the clause's subject).
_RELATIVE_THAT = re.compile(r"(?:is|are|was|were|has|have|had|will|would|can|could|may|might|"
                            r"should|must|(?!based|compared|provided|concerned)[a-z]{3,}ed)\b")
_TO = re.compile(r"(?:\s+(?:on\s+)?(?:[\w'.-]+\s+){0,8}?)?\s*to\s+[a-z]")
_TOLD_CLAUSE = re.compile(r"(?:\s+[\w'.-]+){1,4}?\s+(?=(?:he|she|they|it|we|I)\s)")
#: A bare clause needs a finite verb soon: an auxiliary, or a subject-like start and a past form.
_AUX = re.compile(
    r"^(?:\S+\s+){0,11}?(?:is|are|was|were|has|have|had|will|would|could|can|should|may|"
    r"might|must|did|does|do|cannot|[a-z]+n't)\b"
)
#: after "said/says" a bare noun phrase is nearly always a clause's subject: allow a long one
_SAY = frozenset({"said", "says", "say"})
_AUX_LONG = re.compile(
    r"^(?:[^\s,;:\"]+\s+){0,17}?(?:is|are|was|were|has|have|had|will|would|could|can|should|"
    r"may|might|must)\b")
_IRREGULAR_PAST = r"(?:" + _IRREGULAR_PAST_WORDS + r")"
#: A clause may open with an adverbial phrase and a comma: "says at the time of X, Y did".
_QUANTITY = re.compile(r"(?<=about|round|early)\s+\$?\d")  # "about 16,000", "around $5"
_FRONTED_ADVERBIAL = frozenset("at in on during after before since when while if because "
                               "although by under over despite amid following given without "
                               "unlike with".split())
_ADVERBIAL_COMMA = re.compile(r"[^,;:\".!?]{3,80},\s+")
#: "legal obligations played": a short bare noun phrase and a past verb (no "a/the ... that")
_FINITE_SOON = re.compile(r"(?!(?:a|an|the)\s)(?:(?!that\b|which\b|who\b)[a-z]+\s+){1,3}"
                          r"(?:[a-z]+ed|" + _IRREGULAR_PAST + r")\b")
_SUBJECT_START = re.compile(
    r"^(?:(?:the|a|an|this|these|those|it|he|she|they|we|i|there|[A-Z]\S*)\s+(?:\S+\s+){0,8}?"
    # "denied the allegations in a statement shared to its website": a participle before a
    # preposition modifies a noun object; it is not the clause's verb
    r"(?:[a-z]+ed|" + _IRREGULAR_PAST + r")\b(?!\s+(?:to|by|in|on|at|with|from|for|as)\b)"
    r"|(?:it|he|she|they|we|I)\s+(?:still\s+|also\s+|now\s+)?[a-z]+s\b"
    # after a pronoun subject a past form is the clause's verb: "says he relied on advice"
    r"|(?:it|he|she|they|we|I)\s+(?:[a-z]+ly\s+)?(?:[a-z]+ed|" + _IRREGULAR_PAST + r")\b"
    # a named subject and a present-tense verb: "said WeWork needs ..."
    r"|[A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*){0,3}\s+(?:still\s+|also\s+|now\s+)?[a-z]{2,}s"
    r"\s+[a-z])"
)
#: subordinators that may open a reported clause after "says" ("says if ..., ...")
_SUBORDINATORS = frozenset("if when while although though because despite regardless unless "
                           "once since whereas".split())
#: "said when asked", "said while visiting": an adjunct, not a clause
_NON_FINITE = re.compile(r"\s+(?:asked|questioned|pressed|[a-z]+ing)\b")
#: objects "said" takes that are no clause: "said goodbye", "said nothing"
_SAY_OBJECTS = frozenset("nothing something anything goodbye hello so yes sorry thanks grace "
                         "little much farewell prayers amen".split())
#: a short fronted phrase then a pronoun subject: "says over the weekend he had ..."
_PP_OPENERS = frozenset("over in on at during after before since by for within".split())
_PP_THEN_SUBJECT = re.compile(r"\S+(?:\s+[^\s,;:\"]+){1,4}?\s+(?=(?:he|she|they|it|we|I|there)\s)")
_MORE_PREPOSITIONS = frozenset("alongside among amid amongst against toward towards via per "
                                "without within near behind beside besides beyond like than "
                                "up out off back upon across along around outside inside "
                                "following".split())
_WHEN_WORDS = frozenset("monday tuesday wednesday thursday friday saturday sunday today "
                        "yesterday tonight overnight".split())
#: an indefinite subject and a present verb soon: "says a new study shows ..."
_PRESENT_SOON = re.compile(r"(?:a|an)\s+(?:[a-z-]+\s+){0,4}?[a-z]{2,}s\s+[a-z]")
#: how a clause's subject may begin: "told the commission one of the factors was ..."
_CLAUSE_OPENER = (r"(?:the|a|an|he|she|they|it|we|there|no|one|some|many|most|several|both|"
                  r"all|more|[A-Z][\w'-]*|\$?\d[\d,.]*)\s")
#: the indirect object of "told" before its bare clause: a name, or reporters/media, or a
#: short "the/a ..." phrase that ends where the clause's own determiner or pronoun begins
_TOLD_OBJECT = re.compile(
    r"\s+(?:(?:[A-Z][\w'&.-]*\s+){1,4}|(?:reporters|journalists|media|parliament|"
    r"colleagues|supporters|police|investigators|him|her|them|us)\s+|"
    r"(?:the|a|an|his|her|their)\s+(?:(?!(?:of|about|from|in|on|with|for|to|that|who)\s)"
    r"[\w'-]+\s+){1,5}?(?=" + _CLAUSE_OPENER + r"))(?=" + _CLAUSE_OPENER + r")")
#: a longer object of "told", then "that" or a comma before the clause: "told a NATO
#: defence ministers' meeting that ...", "told Channel Nine, vandalism is not ..."
_TOLD_LONG = re.compile(r"(?:\s+[^\s\",;:]+){1,8}?(?:\s+(?P<that>that)\s+|,\s+)")
_NOT_TOLD_CLAUSE = frozenset("""which who whom whose where when and but or as adding saying
    noting while after before according""".split())
#: "expressed (his) confidence (that) <clause>": a view voiced
_EXPRESSED = re.compile(r"\s+(?:(?:his|her|their|its|the)\s+)?(?:certainty|confidence|hope|"
                        r"concern|fears?|doubts?|belief|optimism)(?:\s+that)?\s+")
_POSSESSIVE = frozenset("its his her their our my your".split())
_POSSESSIVE_SUBJECT = re.compile(
    r"\S+(?:\s+[\w'-]+){1,3}?\s+(?:is|are|was|were|has|have|had|will|would|could|can|"
    r"should|may|might|must)\b"
)
_PARTICIPLE = re.compile(
    r",\s*(?:saying|adding|noting|arguing|warning|stressing|insisting|explaining|claiming)\s+"
    r"(?:that\s+)?")
#: "accused X of (also) V-ing": the object and what it is accused of are the statement.
_ACCUSED_OF = re.compile(
    r"\s+(?=(?:[^\s,;:.\"]+(?:,\s+|\s+)){1,8}?of\s+(?:[a-z]+ly\s+|also\s+)?[a-z]{3,}ing\b)")
_ACCUSE_VERBS = frozenset("accused accuses accuse accusing".split())
_ACCUSING = re.compile(r",\s*accusing(?=" + _ACCUSED_OF.pattern + r")\s+")
#: "... after Swift publicly scolded her label, accusing ...": a participle after another
#: subject's clause is that subject's, not the attribution's.
_OTHER_CLAUSE = re.compile(
    r"\b(?:after|before|when|while|because|since|although|though|as|once|until|and)\s+"
    r"(?:[A-Z][\w'-]*\s+)+(?:[a-z]+ly\s+)?[a-z]+ed\b")
#: A fronted participle clause: "Noting that on Earth ..., Malaska asked, ..." (the
#: attribution's subject follows the clause and its comma).
_FRONTED = re.compile(
    r"\s*(?:Noting|Saying|Arguing|Adding|Warning|Stressing|Explaining|Insisting|"
    r"Acknowledging|Suggesting|Claiming)\s+that\s+")
#: A sentence-final "..., according to the analyst.": the sentence before it.
_ACCORDING_HEAD = re.compile(r",\s*$")
#: a sentence-initial "According to X (ACR) in the US, ...": the clause after the comma
_ACCORDING_FRONT = re.compile(
    r"[^,.;:\"]{0,60}(?:,\s+(?:a|an|the)\s[^,.;:\"]{1,160})?,\s*(?!\")")
#: a role set off after the source that runs to the sentence's end
_APPOSED_TO_END = re.compile(r"(?:a|an|the|his|her|its|their)\s[^,;:\"]*?[.!?]?[\s\"]*")
_CONJUNCTION_END = re.compile(r"\b(?:but|and|yet|so)\s*,?\s*$", re.I)
#: what may precede a fronted "according to": nothing, or "..., but," / "But"
_ACCORDING_LEAD = re.compile(
    r"[\s\"]*|.*?,\s*(?:(?:but|and|yet|so)\s*,?\s*)?|\s*(?:But|And|Yet),?\s*", re.S)
_TRAILING_CUT = re.compile(
    r",\s*(?:adding|saying|reiterating|according\s+to|noting|arguing|while)\b|[;:]"
)
_STRIP = " \t\n,;:."
#: A short adverbial between a speech verb and its clause: "noted at the time, ...".
_ADVERBIAL = re.compile(
    r",?\s+(?:at|in|on|during|last|earlier|later|this)\s+(?:the\s+|a\s+|an\s+|that\s+)?"
    r"[\w'-]+(?:\s+[\w'-]+)?,(?=\s)"
)
#: A time between a speech verb and its clause: "said on Monday", "said late Tuesday".
_WHEN = re.compile(
    r"\s+(?:(?:on|last|late|early|this|earlier)\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|"
    r"Saturday|Sunday|today|yesterday|(?:Jan|Feb|March|April|May|June|July|Aug|Sept?|Oct|Nov|Dec)"
    r"[a-z]*\.?\s+\d{1,2})(?:\s+(?:morning|afternoon|evening|night))?(?=\s+[a-z])")
#: A sentence-final attribution clause: its start (after the reported clause) and its tail.
_HEAD = re.compile(r",\s+(?!which|who|that|as|while)(?:the\s+)?(?:[\w'.-]+\s+){0,4}$")
#: what may follow a sentence-final attribution: "on Tuesday", ", in a statement", or a
#: longer adjunct opened by a subordinator (", after years of debate over how best to ...")
_TAIL = re.compile(r"[^,]{0,40}(?:,[^,]{0,80}|,\s+(?:after|amid|as|while|following|despite|"
                   r"before|during|when|because)\s[^,\"]{0,160})?")
#: "... in an email to staff", ", who heads the Alliance for ..., a group that ...."
#: "..., but Pyongyang has called it a rehearsal": an object, not a trailing attribution
_OBJECT_TAIL = re.compile(r"\s+(?:it|him|her|them|this|that|the|a|an)\b")
_INVERTED_TAIL = re.compile(r"[^,\"]{0,90}(?:,[^,\"]{0,80}|,\s+(?:who|whose)\s[^\"]{0,200})?")
_TITLE_LIKE = re.compile(
    r"[A-Z][\w'-]*(?:\s+(?:(?:of|the|and|a|an|in|on|for|to|at)\s+)*[A-Z][\w'-]*){1,3}")


def extract_quotes(
    texts: Sequence[str],
    *,
    passage_ids: Sequence[str],
    gazetteer: Gazetteer,
    published: str | None = None,
) -> list[Quote]:
    """Direct quotes and reported statements of one article, passage by passage."""
    if len(texts) != len(passage_ids):
        raise ValueError("one passage id per text")
    out: list[Quote] = []
    for pid, analysis in zip(passage_ids, analyze_article(texts, gazetteer=gazetteer),
                             strict=True):
        out.extend(quotes_from_analysis(pid, analysis, gazetteer))
    return out


def quotes_from_analysis(pid: str, analysis: PassageAnalysis, gaz: Gazetteer) -> list[Quote]:
    """Quotes of one analysed passage: the shared path of ``enrich_passages`` and
    ``extract_quotes``, so an article is analysed once for actors, speakers and quotes."""
    found = _direct(pid, analysis, gaz) + _indirect(pid, analysis)
    # one statement once, however many attributions reached it ("A report by X said": the
    # report and X both attribute the clause to X)
    seen: set[tuple[str | None, int, int, bool]] = set()
    out = []
    for q in found:
        key = (q.speaker, q.start, q.end, q.direct)
        if key not in seen:
            seen.add(key)
            out.append(q)
    return out


def _sentence_of(analysis: PassageAnalysis, pos: int) -> tuple[int, int]:
    for span in analysis.sentences:
        if span[0] <= pos < span[1]:
            return span
    return (0, len(analysis.norm))


def _quote_spans(norm: str, covered: list[tuple[int, int]] | None = None,
                 ) -> list[tuple[int, int]]:
    covered = quote_spans(norm) if covered is None else covered
    spans = [(a + 1 if norm[a] == '"' else a, b - 1 if norm[b - 1] == '"' else b)
             for a, b in covered]
    for m in _SINGLE.finditer(norm) if "'" in norm else ():
        if not any(a <= m.start() < b for a, b in covered):
            spans.append(m.span(1))
    return sorted((a, b) for a, b in spans if b > a)


def _direct(pid: str, analysis: PassageAnalysis, gaz: Gazetteer) -> list[Quote]:
    norm, attrs = analysis.norm, analysis.attributions
    quotes: list[Quote] = []
    previous: Attribution | None = None
    for q_start, q_end in _quote_spans(norm, analysis.quoted):
        s_start = _sentence_of(analysis, q_start)[0]
        s_end = _sentence_of(analysis, max(q_start, q_end - 1))[1]
        s_end = max(s_end, min(len(norm), q_end + 1))
        held: int | None = None  # the next sentence's end, when it is only a fallback
        if s_end < len(norm):  # the sentence that ends after the closing mark
            ext = _sentence_of(analysis, min(len(norm) - 1, q_end + 1))[1]
            if _closes_own_sentence(analysis, q_start, q_end):
                held = ext
            else:
                s_end = ext
        chosen = _attribution_for(norm, attrs, q_start, q_end, s_start, s_end, gaz)
        speaker = chosen.speaker if chosen else None
        verb = chosen.verb if chosen else None
        concern = _concern_to(norm, analysis, q_start, q_end)
        if concern[0] and not (chosen and _adjacent(chosen, q_start, q_end)):
            speaker, verb = concern  # of "extreme concern" to the Kremlin: the Kremlin
        if chosen is None and previous is not None and _only_quotes_between(
            norm, attrs, previous.verb_end, q_start
        ):
            speaker, verb = previous.speaker, previous.verb  # "A," he said. "B."
        if (speaker is None and analysis.carry and not attrs and norm.lstrip().startswith('"')
                and not _speech_outside_quotes(norm, analysis)):
            speaker, verb = analysis.carry  # a quote-only paragraph continues the last one
        if speaker is None and previous is None:
            speaker, verb = _scare_quote_speaker(norm, analysis, s_start, s_end)
        if speaker is None and (prior := _prior_attribution(analysis, q_start, q_end, s_start)):
            speaker, verb = prior.speaker, prior.verb  # '..., Howitt says. Just because ..., "..."'
        if speaker is None and chosen is None and quotes and quotes[-1].speaker and (
                _REOPENED.fullmatch(norm, quotes[-1].end, q_start)):
            # '"... out of shape. "That is why I am here. "I just aim ...": a quote reopened
            # after a joined paragraph goes on with the same speaker
            speaker, verb = quotes[-1].speaker, quotes[-1].verb
        if speaker is None and held is not None and (
                chosen := _attribution_for(norm, attrs, q_start, q_end, s_start, held, gaz)):
            speaker, verb = chosen.speaker, chosen.verb  # no speaker before it: the next one's

        if speaker is None and chosen is None and _COLON_BEFORE.search(
                norm, max(s_start, q_start - 4), q_start):
            speaker = _colon_speaker(analysis, s_start, q_start)  # 'X put it simply: "..."'
        if speaker is None and chosen is None and (
                w := _WORDS_OF.search(norm, max(s_start, q_start - 30), q_start)):
            speaker = next((m.name for m in analysis.mentions if m.end == w.start()
                            and m.kind in ("person", "organization")), None)  # "in X's words"
        if chosen is not None:
            previous = chosen
        if _TITLE_LIKE.fullmatch(norm[q_start:q_end].strip()):
            speaker = verb = None  # a show or book title, not a statement
        text = analysis.text[q_start:q_end]
        lead = len(text) - len(text.lstrip())
        text = text.strip()
        if text:
            quotes.append(Quote(pid, speaker, verb, text, q_start + lead,
                                q_start + lead + len(text), True))
    return quotes


#: "In Shadlen's words, '...'", "in Tyler Cowen's phrase, '...'": the possessor's words.
_WORDS_OF = re.compile(r"'s?\s+(?:own\s+)?(?:words|phrase|telling)\)?[,:]?\s*\"$")
_COLON_BEFORE = re.compile(r':\s*"$')


def _colon_speaker(analysis: PassageAnalysis, s_start: int, q_start: int) -> str | None:
    """The one actor named before a colon that opens a quote, when that actor leads the
    sentence ("X has a simple message for voters: '...'", "The message from X was clear:
    '...'"); None when several are named or a quote comes earlier in the sentence."""
    if any(s_start <= a < q_start - 1 for a, _ in analysis.quoted):
        return None
    names = {m.name for m in analysis.mentions if s_start <= m.lead and m.end <= q_start
             and m.kind in ("person", "organization")}
    if len(names) != 1:
        return None
    first = min((m for m in analysis.mentions if s_start <= m.lead < q_start),
                key=lambda m: m.lead)
    lead = analysis.norm[s_start:first.lead]
    return first.name if _COLON_LEAD.fullmatch(lead) else None


#: What may come before the actor in such a sentence: nothing, or "The message from".
_COLON_LEAD = re.compile(r"\s*(?:(?:The|Her|His|Their|Its)\s+(?:[a-z]+\s+){1,2}(?:from|of)\s+)?")


_NEW_SENTENCE = re.compile(r'"\s+[A-Z]')


def _closes_own_sentence(analysis: PassageAnalysis, q_start: int, q_end: int) -> bool:
    """The quoted words end a sentence and the next sentence reports something of its own
    ('... not serious." Helen Clark says she feels devastated.', '... Blunkett has promised
    more involvement.'): its attribution is the quote's only when no speaker comes before
    it (a bare '... not serious." Ms Almao said.' always is)."""
    norm = analysis.norm
    if not (norm[q_start:q_end].rstrip().endswith((".", "!", "?"))
            and _NEW_SENTENCE.match(norm, q_end)):
        return False
    n_start, n_end = _sentence_of(analysis, min(len(norm) - 1, q_end + 2))
    own = [a for a in analysis.attributions if n_start <= a.verb_start < n_end]
    return bool(own) and not any(a.how in ("subject", "inverted") and a.verb in INVERTING_VERBS
                                 and _clause_start(norm, a, n_end) is None for a in own)


#: between two quotes of one speaker's run: closing marks, spaces, one opening mark
_REOPENED = re.compile(r"[\s.,!?]*\"?\s*\"?\s*")
#: a quoted clause, not a phrase: several words, or a sentence's end inside the marks
_CLAUSE_QUOTE = re.compile(r"\S+(?:\s+\S+){3,}|.*[.!?,]\s*$", re.S)


def _prior_attribution(analysis: PassageAnalysis, q_start: int, q_end: int,
                       s_start: int) -> Attribution | None:
    """The attribution of the sentence right before a quoted clause whose own sentence
    attributes nothing and has no other subject: news quotes follow their attribution."""
    if not _CLAUSE_QUOTE.match(analysis.norm[q_start:q_end].strip()):
        return None
    prev_start = max((a for a, b in analysis.sentences if b <= s_start), default=None)
    if prev_start is None or any(s_start <= a.verb_start < q_end
                                 for a in analysis.attributions):
        return None
    inside = [a for a in analysis.attributions if prev_start <= a.verb_start < s_start]
    subject = next((name for (a, b), name in analysis.subjects.items() if a == s_start), None)
    if not inside or (subject is not None and subject != inside[-1].speaker):
        return None
    return max(inside, key=lambda a: a.verb_start)


_JUST_BEFORE = re.compile(r"\s+(?:[a-z]+ly\s+|has\s+|had\s+|also\s+|then\s+){0,2}")


def _scare_quote_speaker(
    norm: str, analysis: PassageAnalysis, s_start: int, s_end: int
) -> tuple[str | None, str | None]:
    """The sentence subject, when the sentence has a speech-like verb outside quotes.

    "Putin condemns Israeli actions, calling them 'cruel methods'" -> Putin.
    """
    subject = next((name for (a, b), name in analysis.subjects.items()
                    if a <= s_start < b or s_start <= a < s_end), None)
    if subject is None:
        return None, None
    for v in _SPEECHLIKE.finditer(norm, s_start, s_end):
        if _PASSIVE.search(norm, max(s_start, v.start() - 25), v.start()):
            continue  # "X was accused of ..." : X did not say it
        if not any(a < v.start() < b for a, b in analysis.quoted):
            # the verb's own subject, when one stands right before it: "Israel launched
            # raids after Prime Minister Ariel Sharon branded his administration a '...'"
            own = next((m.name for m in reversed(analysis.mentions)
                        if s_start <= m.start and m.end <= v.start()
                        and m.kind in ("person", "organization", "state")
                        and _JUST_BEFORE.fullmatch(norm, m.end, v.start())), None)
            return own or subject, v.group()
    return None, None


def _adjacent(a: Attribution, q_start: int, q_end: int) -> bool:
    return (0 <= q_start - max(a.anchor_end, a.verb_end) <= 4
            or 0 <= min(a.anchor_start, a.verb_start) - q_end <= 4)


def _speech_outside_quotes(norm: str, analysis: PassageAnalysis) -> bool:
    """A speech verb outside the quotes: an attribution we could not resolve."""
    pos = 0
    for a, b in analysis.quoted + [(len(norm), len(norm))]:
        if SPEECH_VERB_RE.search(norm, pos, a):
            return True
        pos = b
    return False


_OF_QUOTE = re.compile(r"\bof\s+$")
_TO_ACTOR = re.compile(r'"\s+to\s+(?:the\s+)?')


def _concern_to(
    norm: str, analysis: PassageAnalysis, q_start: int, q_end: int
) -> tuple[str | None, str | None]:
    """'is of "extreme concern" to the Kremlin' -> the Kremlin (whose concern it is)."""
    if not _OF_QUOTE.search(norm, max(0, q_start - 5), q_start - 1):
        return None, None
    m = _TO_ACTOR.match(norm, q_end)
    if m is None:
        return None, None
    who = next((x for x in analysis.mentions if x.lead == m.end() or x.start == m.end()), None)
    if who is None or who.kind == "person" and who.via == "demonym":
        return None, None
    return who.name, "of concern to"


def _only_quotes_between(norm: str, attrs: list[Attribution], a: int, b: int) -> bool:
    """True if nothing but the rest of the attribution's sentence lies between a and b:
    '"A," said Phil Levy, the chief economist at Flexport, which coordinates .... "B."'."""
    gap = norm[a:b]
    if any(a <= x.verb_start < b for x in attrs) or "\n" in gap:
        return False
    return len(gap) < 80 or (len(gap) < 300 and '"' not in gap[:-1]
                             and _ONE_SENTENCE_END.fullmatch(gap) is not None)


#: The rest of one sentence, its end, and whitespace (and the next quote's opening mark).
_ONE_SENTENCE_END = re.compile(r"[^.!?\"]*(?:(?<=[A-Z])\.[^.!?\"]*)*[.!?]\s*\"?")


def _attribution_for(
    norm: str,
    attrs: list[Attribution],
    q_start: int,
    q_end: int,
    s_start: int,
    s_end: int,
    gaz: Gazetteer,
) -> Attribution | None:
    inside = [a for a in attrs if s_start <= a.anchor_start < s_end and a.verb not in _VIEWS
              and not (q_start <= a.anchor_start < q_end) and not _nested(norm, attrs, a)]
    if not inside:
        return None
    people = [a for a in inside if a.speaker not in gaz.media] or inside
    after = [a for a in people if min(a.anchor_start, a.verb_start) >= q_end]
    before = [a for a in people if max(a.anchor_end, a.verb_end) <= q_start]
    if before and q_start - before[-1].verb_end <= 4 and before[-1].verb_end == max(
            before[-1].anchor_end, before[-1].verb_end):
        return before[-1]  # 'he said, "..." the office said': the nearer speaker said it
    if after and min(after[0].anchor_start, after[0].verb_start) - q_end <= 4:
        return after[0]
    if before:
        return before[-1]
    return after[0] if after else people[0]


#: verbs of a view voiced: they report a clause, never a quote's words ("X believes the
#: public will scream, 'Go away'": the public's words, not X's)
_VIEWS = frozenset("""believes believe believed mentioned mentions agreed agrees disputed
    forecast forecasts remembers remembered""".split())
_THAT_CLAUSE = re.compile(r"\s+that\s+[^;\"]*$")
_BARE_SUBJECT = re.compile(r"\s+(?:the\s+)?")
_CLAUSE_BREAK = re.compile(r",\s+(?:and|but|while|whereas)\s|;")


def _nested(norm: str, attrs: list[Attribution], a: Attribution) -> bool:
    """An attribution inside another's "that" clause: "Pompeo said that ... Washington had
    concluded X" is Pompeo's statement, not Washington's."""
    for outer in attrs:
        if outer is a or outer.verb_end > a.anchor_start or a.anchor_start - outer.verb_end > 120:
            continue
        gap = norm[outer.verb_end:min(a.anchor_start, a.verb_start)]
        if _THAT_CLAUSE.match(gap) and not _CLAUSE_BREAK.search(gap) and "." not in gap:
            return True
        if outer.how == "subject" and outer.verb in _SAY and _BARE_SUBJECT.fullmatch(gap):
            return True  # "Sheldon says the Government promised to ...": Sheldon's statement
    return False


def _indirect(pid: str, analysis: PassageAnalysis) -> list[Quote]:
    norm, text = analysis.norm, analysis.text
    found: list[Quote] = []
    quoted = analysis.quoted
    for a in analysis.attributions:
        if any(x < a.verb_start < y for x, y in quoted):
            continue
        if _nested(norm, analysis.attributions, a):
            continue
        s_start, s_end = _sentence_of(analysis, a.verb_start)
        start = _clause_start(norm, a, s_end)
        after = _clause(norm, analysis, start, s_end, a) if start is not None else None
        if after and a.verb in _SPEECH_NOUNS and (comma := norm.find(",", *after)) > 0:
            after = _trim(norm, after[0], comma)  # "Despite X's claim that A, B happened"
        if after:
            found.append(Quote(pid, a.speaker, a.verb, text[after[0]:after[1]], *after, False))
        if a.how == "subject" and a.anchor_start > s_start and (
                fr := _FRONTED.match(norm, s_start, a.anchor_start)):
            comma = norm.rfind(",", fr.end(), a.anchor_start)
            if comma > fr.end() and not norm[comma + 1:a.anchor_start].strip(" ").count(" ") > 3:
                span = _trim(norm, fr.end(), comma)
                if span:
                    found.append(Quote(pid, a.speaker, fr.group().split()[0].lower(),
                                       text[span[0]:span[1]], *span, False))
        front = None
        if a.how == "according" and _ACCORDING_LEAD.fullmatch(norm, s_start, a.verb_start) and (
                c := _ACCORDING_FRONT.match(norm, a.anchor_end, s_end)) and not (
                a.verb_start - s_start > 10 and _APPOSED_TO_END.fullmatch(norm, c.end(), s_end)
                and not _CONJUNCTION_END.search(norm, s_start, a.verb_start)):
            # (not "The bill is dead, according to X, the committee's chair.": X's role)
            front = _clause(norm, analysis, c.end(), s_end, a)  # "According to X, <clause>."
            if front:
                found.append(Quote(pid, a.speaker, a.verb, text[front[0]:front[1]], *front,
                                   False))
        if a.how == "according" and not front and a.verb_start - s_start > 10 and (
                _ACCORDING_HEAD.search(norm, s_start, a.verb_start)) and not any(
                    s_start <= x < s_end for x, _ in quoted) and (
                    _TAIL.fullmatch(norm, a.anchor_end, s_end) or (  # "by E! News."
                        a.anchor_end >= s_end and "!" in norm[a.anchor_start:s_end])):
            span = _trim(norm, s_start, a.verb_start)  # "X, according to the analyst."
            if span:
                found.append(Quote(pid, a.speaker, a.verb, text[span[0]:span[1]], *span, False))
        if (a.how == "subject" and not after and _AS_BEFORE.search(
                norm, max(s_start, a.anchor_start - 4), a.anchor_start)
                and (c := _COMMA_AFTER.match(norm, a.verb_end, s_end))):
            span = _clause(norm, analysis, c.end(), s_end, a)  # "As X notes, <clause>"
            if span:
                found.append(Quote(pid, a.speaker, a.verb, text[span[0]:span[1]], *span, False))
        pred = _parenthetical(norm, a, s_start, s_end, analysis) if a.how in (
            "subject", "inverted") and not after else None
        if pred:
            end = _clause(norm, analysis, pred, s_end, a)  # "The cell, X said, is ..."
            span = _trim(norm, s_start, end[1]) if end else None  # the whole sentence
            if span:
                found.append(Quote(pid, a.speaker, a.verb, text[span[0]:span[1]], *span, False))
        nxt = min((o.verb_start for o in analysis.attributions
                   if a.verb_end < o.verb_start < s_end), default=s_end)
        for p in _ACCUSING.finditer(norm, a.verb_end, nxt):
            if _OTHER_CLAUSE.search(norm, a.verb_end, p.start()):
                break
            span = _clause(norm, analysis, p.end(), s_end, a)
            if span:
                found.append(Quote(pid, a.speaker, "accusing", text[span[0]:span[1]], *span,
                                   False))
        for p in _PARTICIPLE.finditer(norm, a.verb_end, s_end):
            if _first_word(norm, p.end()) in _NOT_CLAUSE_START:
                continue  # ", adding with a bit of cheek": no clause
            span = _clause(norm, analysis, p.end(), s_end, a)
            if span:
                found.append(Quote(pid, a.speaker, p.group().strip(" ,").split()[0],
                                   text[span[0]:span[1]], *span, False))
        # a verb with its own clause after it ("..., he explained that X") is no trailing
        # attribution of what precedes it
        # (nor is a role before an apposed name: "X's head of Y, Liv Ekdahl, said ...")
        if a.how in ("subject", "inverted") and not after and not pred and not (
                a.how == "subject" and norm.startswith(",", a.anchor_end)) and not any(
                s_start <= x < s_end for x, _ in quoted):
            # "..., said The We Company's executive chair X in an email to staff ...": the
            # attribution clause starts at the verb when inverted, at the subject otherwise
            lead = a.verb_start if a.how == "inverted" else a.anchor_start
            head = _HEAD.search(norm[s_start:lead])
            tail = norm[max(a.verb_end, a.anchor_end):s_end]
            if head and head.start() > 10 and not _OBJECT_TAIL.match(tail) and (
                    _INVERTED_TAIL if a.how == "inverted" else _TAIL).fullmatch(tail):
                span = _trim(norm, s_start, s_start + head.start())
                if span:
                    found.append(Quote(pid, a.speaker, a.verb, text[span[0]:span[1]], *span,
                                       False))
    return found


_FIRST_WORD = re.compile(r"\s*([\w'-]+)")


def _first_word(norm: str, pos: int) -> str:
    """The lower-cased word at ``pos`` ("" before a quote mark or punctuation)."""
    w = _FIRST_WORD.match(norm, pos)
    return w.group(1).lower() if w else ""


#: "say" is a clause verb as a plural present ("officials say", "Mitsubishi sources in Japan
#: say that"), not after a modal, a negation or "to" ("would say", "declined to say")
_MODAL_BEFORE = re.compile(
    r"\b(?:to|not|never|would|will|could|can|cannot|might|may|should|must|did|does|do|"
    r"[a-z]+n't)\s+(?:[a-z]+ly\s+)?$")
_AS_BEFORE = re.compile(r"(?<![\w'])[Aa]s\s+$")
_COMMA_AFTER = re.compile(r"(?:\s+it)?,\s*(?!\")")
#: a comma then the predicate going on: "..., is constantly sensing", "..., helps direct"
_PREDICATE_GOES_ON = re.compile(
    r",\s+(?:[a-z]+ly\s+)?(?:is|are|was|were|has|have|had|will|would|can|could|may|might|"
    r"should|must|did|does|do|(?!(?:always|perhaps|as|its|this|thus|plus|unless|news|series|"
    r"species|analysis|basis|crisis)\b)[a-z]{2,}(?:s|ed))\s+[a-z\d]")


def _parenthetical(norm: str, a: Attribution, s_start: int, s_end: int,
                   analysis: PassageAnalysis) -> int | None:
    """Where the predicate resumes after an attribution set off by commas inside its
    sentence ("This system, says X, a scientist at Y, helps direct ...", "ILC2s, he found,
    release ..."); None when the attribution is not parenthetical."""
    lead = a.verb_start if a.how == "inverted" else a.anchor_start
    before = norm[s_start:lead].rstrip()
    if not before.endswith(",") or '"' in before or any(
            s_start <= o.verb_start < lead for o in analysis.attributions):
        return None
    pos = max(a.verb_end, a.anchor_end)
    for c in _PREDICATE_GOES_ON.finditer(norm, pos, s_end):
        between = norm[pos:c.start()]
        if '"' in between or len(between) > 120:
            return None
        return c.start() + 1
    return None


def _clause_start(norm: str, a: Attribution, s_end: int) -> int | None:
    """Where the reported content after a speech verb begins, if it has any."""
    if a.how not in ("subject",):
        return None
    verb = " ".join(a.verb.lower().split())
    if verb == "tells":
        verb = "told"  # "tells reporters that ...": the same object, then the clause
    end = a.verb_end
    clause_verb = verb in _CLAUSE_VERBS or (  # "Japanese officials say their Coast Guard ..."
        verb == "say" and _MODAL_BEFORE.search(
            norm, max(a.anchor_end, a.verb_start - 30), a.verb_start) is None)
    if clause_verb and (adv := _ADVERBIAL.match(norm, end, s_end)):
        end = adv.end()  # "noted at the time, Trump's heart disease meant ..."
    elif clause_verb and (adv := _WHEN.match(norm, end, s_end)):
        end = adv.end()  # "said on Monday the case was over"
    if clause_verb or verb in _TO_VERBS or verb in _WROTE_THAT:
        m = _THAT.match(norm, end, s_end)
        if m and '"' not in m.group() and not _RELATIVE_THAT.match(norm, m.end()):
            return m.end()
    if verb in _TO_VERBS:
        m = _TO.match(norm, a.verb_end, s_end)
        if m and '"' not in m.group() and "," not in m.group():
            return a.verb_end + len(m.group()) - len(m.group().lstrip())
    if verb in _ACCUSE_VERBS and (m := _ACCUSED_OF.match(norm, a.verb_end, s_end)):
        return m.end()  # "accused Braun, Borchetta and Big Machine of also disallowing ..."
    if verb == "told":
        m = _TOLD_CLAUSE.match(norm, a.verb_end, s_end)
        if m and '"' not in m.group() and "," not in m.group():
            return m.end()
    if verb == "expressed" and (m := _EXPRESSED.match(norm, a.verb_end, s_end)) and (
            _AUX.match(norm[m.end():s_end]) or _SUBJECT_START.match(norm[m.end():s_end])) and (
            (w := _first_word(norm, m.end())) and w not in _NOT_CLAUSE_START):
        return m.end()  # "expressed certainty the suspect would be caught"
    if verb == "told" and (m := _TOLD_OBJECT.match(norm, a.verb_end, s_end)) and (
            _AUX.match(norm[m.end():s_end]) or _SUBJECT_START.match(norm[m.end():s_end])):
        return m.end()  # "told Channel Seven the Government does not know ..."
    if verb == "told" and (m := _TOLD_LONG.match(norm, a.verb_end, s_end)) and (
            (w := _first_word(norm, m.end())) and w not in _NOT_TOLD_CLAUSE) and (
            m.group("that") and not _RELATIVE_THAT.match(norm, m.end())
            or _AUX.match(norm[m.end():s_end]) or _SUBJECT_START.match(norm[m.end():s_end])):
        return m.end()  # "told a gathering in Sydney last night, Australia's growth is ..."
    if clause_verb and verb != "told":
        rest = norm[end:s_end]
        first = re.match(r"\s+([\w'-]+)", rest)
        if first is None or '"' in rest[: first.end() + 1]:
            return None
        word = first.group(1)
        if verb in _SAY and _says_clause(rest[first.start(1):], word):
            return end + first.start(1)
        if word.lower() in _FRONTED_ADVERBIAL and (
                c := _ADVERBIAL_COMMA.match(rest, first.start(1))) and (
                _AUX.match(rest[c.end():]) or _SUBJECT_START.match(rest[c.end():])
                or _FINITE_SOON.match(rest[c.end():])):
            return end + first.start(1)  # "says at the time of the abuse, obligations played"
        if word.lower() in _NOT_CLAUSE_START and not _QUANTITY.match(rest, first.end(1)):
            return None  # (but "says about 16,000 workers are ..." is a clause)
        if (verb in _OBJECT_VERBS and word.lower() not in _PRONOUN_SUBJECTS
                and not word[0].isupper()):
            clause = rest[first.start(1):]
            if verb in _GERUND_VERBS and _GERUND.match(clause):
                return end + first.start(1)  # "denied making any mistakes"
            if not _NP_THEN_VERB.match(clause):
                return None  # "denied the allegations", "concluded the line of questioning"
            return end + first.start(1)  # "confirmed non-US forces are on the ground"
        if word.lower() in _POSSESSIVE and not _POSSESSIVE_SUBJECT.match(rest[first.start(1):]):
            return None  # "stated its support": a noun object; "said his plan has": a clause
        clause = rest[first.start(1):]
        if _AUX.match(clause) or _SUBJECT_START.match(clause) or (
                verb in _SAY and _AUX_LONG.match(clause)):  # a long subject after "says"
            return end + first.start(1)
    return None


def _says_clause(clause: str, word: str) -> bool:
    """After say/says/said a bare complement is nearly always a reported clause, whatever
    its verb ("says they know", "says international conditions remain weak", "says if
    there is no change, sanctions are possible"); not an adjunct ("said in a statement",
    "said Thursday"), a fixed object ("said goodbye") or a short indefinite phrase ("said a
    few words")."""
    low = word.lower()
    if low.endswith("ly") and (nxt := _FIRST_WORD.match(clause, len(word))):
        clause, low = clause[nxt.start(1):], nxt.group(1).lower()  # "said recently about"
    if low in _SUBORDINATORS:
        inner = clause[len(word):]
        if _NON_FINITE.match(inner):
            return False
        if low == "despite" or inner.startswith(" of "):  # "regardless of the outcome, ..."
            comma = _ADVERBIAL_COMMA.match(inner.lstrip())
            if comma is None:  # "says despite this report the company continued trading"
                return bool(_SUBJECT_START.match(inner.lstrip()))
            inner = inner.lstrip()[comma.end():]
        inner = inner.lstrip()
        # "says if fire activity increases, ...": a subordinate clause opens the statement;
        # its subject may be any noun phrase, so a few words are enough
        return bool(_AUX.match(inner) or _SUBJECT_START.match(inner)
                    or low != "despite" and len(inner.split()) >= 4)
    if low in _PP_OPENERS and (pp := _PP_THEN_SUBJECT.match(clause)) and (
            _AUX.match(clause[pp.end():]) or _SUBJECT_START.match(clause[pp.end():])):
        return True  # "says over the weekend he had time to think": a fronted phrase
    if (low in _NOT_CLAUSE_START or low in _SAY_OBJECTS or low in _WHEN_WORDS
            or low in _MORE_PREPOSITIONS
            or len(clause.split()) < 3):
        return False
    if low in ("a", "an"):
        return bool(_AUX_LONG.match(clause) or _SUBJECT_START.match(clause)
                    or _PRESENT_SOON.match(clause))
    return True


def _clause(
    norm: str, analysis: PassageAnalysis, start: int, s_end: int, a: Attribution
) -> tuple[int, int] | None:
    """The reported clause from ``start``: to the sentence end or a trailing attribution."""
    end = s_end
    for cut in _TRAILING_CUT.finditer(norm, start, s_end):
        if _trim(norm, start, cut.start()):
            end = cut.start()
            break  # (not "says the results, while disturbing, are ...": nothing before it)
    for other in analysis.attributions:
        if other is not a and start < other.anchor_start < end:
            comma = norm.rfind(",", start, other.anchor_start)
            if comma > start:
                end = comma
    return _trim(norm, start, end)


def _trim(norm: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and norm[start] in _STRIP:
        start += 1
    while end > start and norm[end - 1] in _STRIP:
        end -= 1
    if end - start < 8 or len(norm[start:end].split()) < 3:
        return None
    return start, end


# --------------------------------------------------------------------------- evaluation


def name_key(name: str) -> str:
    """A speaker's name for comparison: case and apostrophe style are not part of a name
    (speakers come out with the straight apostrophes of the normalised text)."""
    return name.replace("\u2019", "'").replace("\u2018", "'").casefold()


def _labelled_spans(art: dict) -> list[tuple[int, int, int, set[str]]]:
    """(passage index, start, end, speaker name keys) of each labelled statement."""
    out = []
    for lab in art["statements"]:
        start = art["passages"][lab["passage"]].find(lab["text"])
        if start < 0:
            raise ValueError(f"label text not in passage: {lab!r}")
        names = lab["speaker"] if isinstance(lab["speaker"], list) else [lab["speaker"]]
        out.append((lab["passage"], start, start + len(lab["text"]),
                    {name_key(n) for n in names}))
    return out


def evaluate_speakers(labelled_path: str | Path, gazetteer: Gazetteer | None = None) -> dict:
    """Precision/recall/F1 of speaker attribution against hand-labelled statements.

    An extracted statement (with a speaker) matches a labelled one when their
    spans overlap in the same passage. Precision: extracted statements whose
    overlapping labels include one with the same speaker, over all extracted
    statements with a speaker. Recall: labelled statements overlapped by an
    extracted statement with the right speaker (names compared by ``name_key``: "Hong Kong
    police" is "Hong Kong Police", "O’Neill" is "O'Neill"). ``n`` = labelled statements.
    Articles marked ``"heldout": true`` (labelled before any rule looked at
    them) are also scored on their own as ``heldout_*`` and per ``"batch"`` as
    ``batchN_*`` (the rest as ``original_*``): the overfitting check.
    """
    gaz = gazetteer or Gazetteer.load()
    data = json.loads(Path(labelled_path).read_text(encoding="utf-8"))
    counts: dict[str, list[int]] = {"all": [0, 0, 0, 0], "original": [0, 0, 0, 0],
                                    "heldout": [0, 0, 0, 0]}  # tp_ext, n_ext, tp_lab, n_lab
    for art in data["articles"]:
        passages = art["passages"]
        ids = [f"{art['id']}.p{i}" for i in range(len(passages))]
        quotes = [q for q in extract_quotes(passages, passage_ids=ids, gazetteer=gaz,
                                            published=art.get("published")) if q.speaker]
        labels = [(ids[i], s, e, names) for i, s, e, names in _labelled_spans(art)]
        found = [
            sum(any(pid == q.passage_id and s < q.end and q.start < e
                    and name_key(q.speaker) in names
                    for pid, s, e, names in labels) for q in quotes),
            len(quotes),
            sum(any(pid == q.passage_id and s < q.end and q.start < e
                    and name_key(q.speaker) in names
                    for q in quotes) for pid, s, e, names in labels),
            len(labels),
        ]
        splits = ["all", "heldout", f"batch{art.get('batch', 1)}"] if art.get("heldout") \
            else ["all", "original"]
        for split in splits:
            counts[split] = [a + b for a, b in zip(counts.get(split, [0, 0, 0, 0]), found,
                                                   strict=True)]
    out: dict = {}
    for split, (tp_ext, n_ext, tp_lab, n_lab) in counts.items():
        precision = tp_ext / n_ext if n_ext else 0.0
        recall = tp_lab / n_lab if n_lab else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        prefix = "" if split == "all" else f"{split}_"
        out.update({f"{prefix}precision": round(precision, 3), f"{prefix}recall": round(recall, 3),
                    f"{prefix}f1": round(f1, 3), f"{prefix}n": n_lab,
                    f"{prefix}extracted": n_ext})
    return out


def labelling_agreement(reference_path: str | Path, other_path: str | Path) -> dict:
    """How far two independent labellings of the same articles agree, scored like
    ``evaluate_speakers`` with ``other``'s statements in place of extracted ones: the
    ceiling a speaker bar can be held to on text like this (a statement counts when the
    spans overlap in the same passage and the two name lists share a name).

    Only articles in both files are compared; their passages must be identical."""
    def load(path: str | Path) -> dict[str, dict]:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return {art["id"]: art for art in data["articles"]}

    def agree(x: tuple[int, int, int, set[str]], y: tuple[int, int, int, set[str]]) -> bool:
        return x[0] == y[0] and x[1] < y[2] and y[1] < x[2] and bool(x[3] & y[3])

    ref, other = load(reference_path), load(other_path)
    shared = [key for key in ref if key in other]
    tp_other = n_other = tp_ref = n_ref = 0
    for key in shared:
        if ref[key]["passages"] != other[key]["passages"]:
            raise ValueError(f"article {key!r}: the two files have different passages")
        a, b = _labelled_spans(ref[key]), _labelled_spans(other[key])
        tp_ref += sum(any(agree(x, y) for y in b) for x in a)
        tp_other += sum(any(agree(x, y) for x in a) for y in b)
        n_ref, n_other = n_ref + len(a), n_other + len(b)
    return {"articles": len(shared), "reference_n": n_ref, "other_n": n_other,
            "precision": round(tp_other / n_other, 3) if n_other else 0.0,
            "recall": round(tp_ref / n_ref, 3) if n_ref else 0.0}

