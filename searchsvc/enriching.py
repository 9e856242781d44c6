"""Actors, speakers and dates for passages: rules plus a gazetteer, no models.

Why rules: the service must run offline and fast (~1M passages in the
benchmark), and "who said what, when" in news prose follows a small set of
patterns (titles before names, speech verbs, weekday references).

Gazetteer format (``searchsvc/data/actors.json``; a ``--actors FILE`` has the
same format and is merged over it, later files win for the same name)::

    {"version": 1, "actors": [
      {"name": "Vladimir Putin", "kind": "person", "aliases": ["Vladimir Vladimirovich Putin"],
       "short": ["Putin"], "gender": "m"},
      {"name": "Russia", "kind": "state", "aliases": ["Russian side", "Moscow"],
       "demonyms": ["Russian"]},
      {"name": "Reuters", "kind": "organization", "aliases": [], "media": true}
    ]}

- ``name`` is the canonical name (facet value); ``kind`` is person,
  organization or state. ``aliases`` are other full names.
- ``short`` (persons only) are the forms a surname-only mention takes; default:
  the last word of the name. A short form shared by several persons resolves
  to the one named in full earlier in the same article, else it is dropped.
- ``gender`` (persons, "m"/"f", default "m") is used to resolve "he"/"she".
- ``demonyms`` (states) count the state ("Israeli siege" -> Israel), EXCEPT
  directly before a person's title ("Israeli Prime Minister Benjamin Netanyahu"):
  the title belongs to the person, so that mention counts only the person.
- ``media`` marks news outlets: they are speakers for "according to Reuters",
  but a quote is given to them only if no one else is attributed in the sentence.
- Capital cities listed as aliases are government metonyms ("Moscow said");
  plain location uses of them count the state too (a documented trade-off).

Matching: non-acronym aliases match case-insensitively but must start with a
capital in the text ("Jewish state" = "Jewish State"); acronyms (US, UN, AP)
match case-sensitively. All aliases are compiled into one trie-shaped regex.

People not in the gazetteer are found after titles and roles ("Deputy Foreign
Minister Mikhail Bogdanov", "Kremlin spokesperson X Y", "Ambassador to Israel
X Y") or before an appositive title ("X Y, Israel's ambassador"); such names
need two or more words, and their last word then resolves in the whole article.

Dates: explicit dates ("October 20, 2023", "20 October 2023", "Oct. 7") and
weekday references ("on Wednesday", "Monday evening", "Tuesday's meeting"),
the latter resolved to the most recent such weekday on or before publication
(same day included); a month-day without year takes the latest year that is
on or before publication. "yesterday" resolves against publication;
"last week", bare numbers and month-only references are not dates.
"""

from __future__ import annotations

import heapq
import json
import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .models import Actor, Enrichment

# --------------------------------------------------------------------------- text helpers

#: Same-length normalisation so offsets in the normalised text equal the original's.
_NORM_PAIRS = (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"'), ("„", '"'), ("\u00a0", " "))
_DOUBLED_APOSTROPHE = re.compile(r"(?<=\S)''")


#: A party tag or a photo position in brackets after a name ("Sen. Ted Cruz (R-Texas)
#: said", "Jane Doe (pictured) said"): it stands between the subject and its verb.
_ASIDE = re.compile(r"(?<=[\w.]) \((?:[RDI]-[A-Z][A-Za-z.]*(?: [A-Z][A-Za-z.]*)?|pictured|left|"
                    r"right|centre|center|above|below|inset|top|bottom)\)(?=[\s,])")


def _blank_asides(norm: str) -> str:
    """The text with such asides blanked out by spaces: the length is unchanged."""
    if " (" not in norm:
        return norm
    return _ASIDE.sub(lambda m: " " * len(m.group()), norm)


def normalise_marks(text: str) -> str:
    """Typographic quotes and apostrophes as ASCII; the length is unchanged.

    A doubled apostrophe closing a quote (AP style: “…,’’ Moy said) becomes '" ' so
    the quote closes; the length still matches the original text.
    """
    norm = text
    if not text.isascii():  # str.replace per mark: same result as translate, far faster
        for mark, ascii_mark in _NORM_PAIRS:
            if mark in norm:
                norm = norm.replace(mark, ascii_mark)
    if "''" in norm:
        norm = _DOUBLED_APOSTROPHE.sub('" ', norm)
    return norm


def _trie_regex(words: Iterable[str]) -> str:
    """A regex alternation factored as a trie: fast to match, longest alternative first."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        end = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if end:
            return "(?:" + body + ")?"
        return body

    return build(trie)


# --------------------------------------------------------------------------- gazetteer


@dataclass(frozen=True)
class _Alias:
    name: str  # canonical
    via: str  # "alias", "short" or "demonym"


@dataclass
class Gazetteer:
    """Canonical actors and their aliases: shipped package data plus user files.

    Holds only plain data and one compiled regex, so it pickles to worker processes.
    """

    actors: dict[str, Actor] = field(default_factory=dict)
    gender: dict[str, str] = field(default_factory=dict)
    demonym: dict[str, str] = field(default_factory=dict)  # state -> first demonym
    media: frozenset[str] = frozenset()
    aliases: dict[str, tuple[_Alias, ...]] = field(default_factory=dict)  # casefolded key
    acronyms: frozenset[str] = frozenset()  # forms that must match case-sensitively
    acronym_keys: frozenset[str] = frozenset()
    pattern: re.Pattern[str] | None = None

    @classmethod
    def load(cls, extra: Sequence[str | Path] = ()) -> Gazetteer:
        """The shipped gazetteer merged with user files (same JSON format)."""
        shipped = resources.files("searchsvc") / "data" / "actors.json"
        entries = list(json.loads(shipped.read_text(encoding="utf-8"))["actors"])
        for path in extra:
            entries.extend(json.loads(Path(path).read_text(encoding="utf-8"))["actors"])
        return cls.from_entries(entries)

    @classmethod
    def from_entries(cls, entries: Iterable[dict]) -> Gazetteer:
        """Build from gazetteer entries; a later entry with the same name replaces earlier."""
        by_name: dict[str, dict] = {}
        for entry in entries:
            if entry.get("kind") not in ("person", "organization", "state"):
                raise ValueError(f"bad kind in gazetteer entry {entry!r}")
            by_name[entry["name"]] = entry
        gaz = cls()
        table: dict[str, dict[_Alias, None]] = {}
        exact: dict[str, str] = {}

        def add(form: str, alias: _Alias) -> None:
            form = normalise_marks(form.strip())
            if not form:
                return
            key = form.casefold()
            table.setdefault(key, {})[alias] = None
            if _is_acronym(form):
                exact[key] = form

        media = set()
        for name, entry in by_name.items():
            kind = entry["kind"]
            gaz.actors[name] = Actor(name, kind)
            if entry.get("media"):
                media.add(name)
            for form in [name, *entry.get("aliases", ())]:
                add(form, _Alias(name, "alias"))
            if kind == "person":
                gaz.gender[name] = entry.get("gender", "m")
                for form in entry.get("short") or [name.split()[-1]]:
                    add(form, _Alias(name, "short"))
            for form in entry.get("demonyms", ()):
                add(form, _Alias(name, "demonym"))
                gaz.demonym.setdefault(name, form)
        # a full alias beats a short form or demonym spelled the same way
        for key, found in table.items():
            strong = [a for a in found if a.via == "alias"]
            gaz.aliases[key] = tuple(strong or found)
        gaz.media = frozenset(media)
        gaz.acronyms = frozenset(exact.values())
        gaz.acronym_keys = frozenset(exact)
        gaz.pattern = re.compile(
            r"(?<![\w.'-])" + _trie_regex(sorted(gaz.aliases)) + r"(?!\w)",
            re.IGNORECASE,
        )
        return gaz

    def lookup(self, text: str) -> tuple[_Alias, ...]:
        """Aliases for an exact surface form (case-insensitive), e.g. a name after a title."""
        return self.aliases.get(normalise_marks(text).casefold(), ())

    def person(self, text: str) -> str | None:
        """The canonical person a full name denotes, if the gazetteer knows it."""
        for alias in self.lookup(text):
            if alias.via != "demonym" and self.actors[alias.name].kind == "person":
                return alias.name
        return None


def _is_acronym(form: str) -> bool:
    letters = [c for c in form if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and len(letters) <= 5


# --------------------------------------------------------------------------- people by title

#: Title words as plain lists (a space matches any whitespace); compiled as tries because
#: a flat case-insensitive alternation tried at every word start dominated enrichment time.
_TITLE_MODIFIER_WORDS = """former acting deputy vice first senior chief foreign defence defense
    associate adjunct emeritus navy naval marine
    interior finance economy health energy prime national_security press state top kremlin
    white_house military army police government ministry foreign_ministry presidential
    opposition special assistant executive general supreme hamas un u.n. eu nato u.s.
    lieutenant major brigadier federal""".split()
_TITLE_HEAD_WORDS = """president minister premier chancellor secretary-general
    secretary_general secretary spokesman spokeswoman spokesperson ambassador envoy counterpart
    leader chief commander general senator sen. rep. governor mayor director chairman
    chairwoman chair head official adviser advisor aide king queen emir crown_prince prince
    sheikh ayatollah pope judge prosecutor attorney_general ceo analyst professor economist
    founder co-founder lawyer coach quarterback negotiator diplomat lawmaker legislator
    representative speaker general_secretary defence_secretary strategist attorney manager
    specialist colonel col col. lt lt. member researcher scientist editor correspondent
    reporter columnist partner investor officer fellow commissioner sheriff superintendent
    administrator inspector dean insider republican democrat coroner magistrate captain
    skipper paceman batsman bowler spinner swimmer jockey striker dietitian campaigner
    treasurer backbencher bishop archbishop cardinal cleric academic barrister solicitor
    detective constable""".split()


def _words_regex(words: Iterable[str]) -> str:
    """A trie regex over words where "_" stands for any run of whitespace."""
    return _trie_regex(w.replace("_", "\0") for w in words).replace(re.escape("\0"), r"\s+")


_TITLE_MODIFIERS = _words_regex(_TITLE_MODIFIER_WORDS)
_TITLE_HEADS = _words_regex(_TITLE_HEAD_WORDS)
#: Sports positions before a name ("QB Mason Rudolph", "Browns DL Sheldon Richardson"):
#: upper case only, so "de", "te" and the like never read as titles.
_POSITIONS = r"(?:QB|DL|DE|DT|LB|CB|DB|WR|RB|TE|OL|OT|OG)(?![\w'])"
TITLE = (
    rf"(?:(?i:(?:(?:{_TITLE_MODIFIERS})[\s-]+){{0,3}}(?:{_TITLE_HEADS}))|{_POSITIONS})"
    r"(?:\s+(?i:to|of|for|at)\s+(?:the\s+)?[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?)?"
)
#: A name word; "McKinley", "DeSantis", "LaCanfora": a surname prefix before a capital.
_TOKEN = (
    r"(?:[A-Z]\.(?:[A-Z]\.)*|(?:Mc|Mac|D[aei]|L[ae])[A-Z][a-zà-ÿ]+(?:-[A-Z]?[a-zà-ÿ]+)*"
    r"|(?:[ae]l-)?[A-Z][a-zà-ÿ]*(?:'[A-Z][a-zà-ÿ]+)?(?:-[A-Z]?[a-zà-ÿ]+)*)"
)
_PARTICLE = r"(?:da|de|del|della|di|do|dos|du|al|el|bin|ibn|van|von|der|den|la|le)"
NAME = rf"{_TOKEN}(?:\s+(?:{_PARTICLE}\s+){{0,2}}{_TOKEN}){{1,4}}"
_TITLE_PERSON = re.compile(rf"(?<![\w'])(?P<title>{TITLE})\s+(?P<name>{NAME})(?![\w'’])")
_APPOSITIVE_PERSON = re.compile(
    rf"(?<![\w'’.-])(?P<name>{NAME})(?:,?\s+(?:Jr|Sr)\.?)?,\s+(?:the\s+|a\s+|an\s+)?"
    rf"(?:(?:[A-Z][\w.]*(?:'s|’s)?|[a-z][\w-]*)\s+){{0,4}}?{TITLE}\b"
)
#: "attorney, Sonya Zoghlin," / "Sonya Zoghlin said": a name before a speech verb or after
#: a role and a comma is a person's (institutions are filtered by their last word); so is
#: one ending a sentence ("... behind the Governor-General, Dr Peter Hollingworth.").
_ROLE_COMMA_PERSON = re.compile(
    rf"(?<![\w'])(?:{TITLE})(?:\s+of\s+[a-z]+(?:\s+[a-z]+){{0,2}}"
    # "The president of Adelaide's Islamic Society, Walli Hanifi, says"
    rf"|\s+(?:of|for|at)\s+(?:the\s+)?[A-Z][\w.'’]*(?:\s+[A-Z][\w.'’]*){{0,3}})?"
    rf",\s+(?:(?:Dr|Mr|Mrs|Ms|Prof|Sir)\.?\s+)?(?P<name>{NAME})(?:,|\.(?=\s|$))")
#: "Prince Andrew", "Pope Francis", "King Salman of Saudi Arabia": a royal or papal title
#: before one given name is how such a person is named (the title is part of the name),
#: with a regnal number and a second name if any ("King Carl XVI Gustaf").
_ROYAL_PERSON = re.compile(
    r"(?<![\w'])(?P<title>Prince|Princess|King|Queen|Pope|Emperor|Empress|Duke|Duchess|"
    r"Sheikh|Sheikha|Emir)\s+(?P<name>[A-Z][a-zà-ÿ]{2,})"
    r"(?:\s+(?:II|III|IV|V|VI|VII|VIII|IX|X|XI|XII|XIII|XIV|XV|XVI)(?:\s+[A-Z][a-zà-ÿ]{2,})?)?"
    r"(?![\w'’-])(?!\s+[A-Z])")
#: "..., said Scott Strenfel, PG&E's principal meteorologist": a full name right after an
#: inverted speech verb is a person's, whatever role (if any) follows it.
_INVERTED_PERSON = re.compile(
    r"[,\"]\s*(?:said|says|added|adds|explained|explains|noted|notes|continued|"
    r"continues|insisted|insists|replied|replies|responded|responds|commented|comments|"
    r"concluded|concludes|wrote|writes|recalled|recalls|remarked|remarks|observed|observes)"
    r"(?:\s+(?:one|a|an|another)\s+(?:[a-z][\w-]*\s+){0,3}?[a-z][\w-]*,)?"  # "one mother, X"
    rf"\s+(?P<name>{NAME})(?![\w'’])"
)
#: A relative named by a given name before a speech verb: "her mother, Fiona, said",
#: "Kylie Morrow's mother Elizabeth, says".
#: Relatives, by the nouns news copy names them with (singular; "s?" makes plurals).
_KIN = (r"(?:(?:grand)?(?:mother|father)|wife|husband|sister|brother|son|daughter|widow|widower|"
        r"partner|aunt|uncle|cousin|niece|nephew|fianc[eé]e?|girlfriend|boyfriend)")
_KIN_NAMED = re.compile(
    r"(?:(?<![\w'])(?:[Hh]is|[Hh]er|[Tt]heir)|(?P<owner>[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)'s?)\s+"
    rf"{_KIN},?\s+(?P<given>[A-Z][a-z]{{2,}})"
    r"(?=,?\s+(?:said|says|told|tells|added|adds|recalled|recalls|wrote|writes)\b)")
#: "A spokesman for provincial governor Gul Agha, Akbar Jan, says": a name set off by
#: commas right before the speech verb is the speaker's.
_COMMA_NAME_SAYS = re.compile(
    rf",\s+(?P<name>{NAME}),\s+(?:also\s+)?(?:said|says|told|tells|added|adds|warned|warns|"
    r"explained|explains|claimed|claims|insisted|insists)\b")
#: "planetary geologist Rosaly Lopes", "JPL scientist and study co-author Michael Malaska",
#: "study lead author Lucas Paganini": a lower-case occupation noun (any "-ist"/"-yst" noun
#: or a few others) directly before a capitalised full name acts as a title. Ideology
#: adjectives ("nationalist Sinn Fein") and verbs ("persist") are not occupations.
_JOB_HEAD = (r"(?:[a-z][a-z-]{3,}(?:ist|yst)|(?:co-)?author|astronomer|physician|surgeon|"
             r"historian|lecturer|biographer|engineer|pediatrician|technician|statistician)")
#: "Tom Baker, a neuroscientist at Stanford,": an occupation in the appositive marks a person.
_APPOSITIVE_JOB = re.compile(
    rf"(?<![\w'’.-])(?P<name>{NAME}),\s+(?:a|an|the)\s+(?:[\w-]+\s+){{0,2}}?(?P<job>{_JOB_HEAD})"
    r"(?=[\s,])")
_JOB_PERSON = re.compile(rf"(?<![\w'’.-])(?P<title>{_JOB_HEAD})\s+(?P<name>{NAME})(?![\w'’])")
_JOB_GATE = re.compile(r"(?:ist|yst|thor|mer|cian|geon|rian|rer|neer)\s+[A-Z]")
_JOB_ENDS = ("ist ", "yst ", "thor ", "mer ", "cian ", "geon ", "rian ", "rer ", "neer ")
_NOT_JOB = frozenset("""persist consist checklist playlist wishlist shortlist waitlist catalyst
    communist socialist nationalist islamist extremist separatist populist leftist rightist
    centrist capitalist marxist zionist jihadist terrorist loyalist unionist modernist realist
    racist sexist elitist imperialist federalist royalist globalist secessionist isolationist
    expansionist protectionist revisionist maoist fascist anarchist militarist hardline
    evangelist""".split())
#: Lower-case words that may stand before an occupation in its description ("study lead
#: author"): not function words or verbs ("said planetary geologist X" leads at "planetary").
_JOB_MODIFIER = re.compile(r"([a-z][a-z-]*)\s+$")
_NOT_JOB_MODIFIER = frozenset("""the a an and or of to in on at by for with from said says told
    tells added adds wrote writes noted notes explained explains according as is was were are
    be been who which that this his her their its our""".split())


#: Cheap gates and anchors for the scans above (same matches, far less scanning):
#: every title starts with a title word at a word start (zero-width, so the words inside
#: "Secretary-General" or "attorney general" are candidates too), and every appositive
#: contains its tail (a comma, a few words and a title).
#: the first part of a hyphenated title the title scan starts after ("Governor-")
_HYPHEN_HEAD = re.compile(r"(?<![\w'-])[A-Za-z]+-$")
_TITLE_START = re.compile(
    r"(?<![\w'])(?=(?i:" + _words_regex(
        {w.split("_")[0] for w in _TITLE_MODIFIER_WORDS + _TITLE_HEAD_WORDS})
    + ")|" + _POSITIONS + ")"
)
_APPOSITIVE_TAIL = re.compile(
    r",\s+(?:the\s+|a\s+|an\s+)?(?:(?:[A-Z][\w.]*(?:'s|’s)?|[a-z][\w-]*)\s+){0,4}?"
    rf"{TITLE}\b"
)


def _anchored(pattern: re.Pattern[str], text: str,
              starts: Iterable[int]) -> Iterable[re.Match[str]]:
    """``pattern.finditer(text)`` when every match starts at one of ``starts`` (ascending):
    the same leftmost, non-overlapping matches, tried only there."""
    end = 0
    for pos in starts:
        if pos >= end and (m := pattern.match(text, pos)) is not None:
            yield m
            end = m.end()


#: Every acronym starts with two of its characters (a capital first): cheap to find.
_ACRONYM_START = re.compile(r"[A-Z][A-Z0-9&]")


def _acronym_starts(text: str) -> list[int]:
    """Candidate acronym starts; one inside a longer run is preceded by a capital, which
    the acronym patterns' lookbehind rejects anyway, so skipping overlaps loses nothing."""
    return [m.start() for m in _ACRONYM_START.finditer(text)]


#: "Dr. Ronny Jackson, who ...": an honorific before a full name marks a person.
_HONORIFIC_GATE = re.compile(r"\b(?:Dr|Mr|Mrs|Ms|Prof)\b")
_PLACE_TAIL = re.compile(r"\s(?:to|of|for|at)\s+(?:the\s+)?([A-Z][\w.]*)\s+([A-Z][a-z]+)$")
_HONORIFIC_SURNAME = re.compile(
    rf"(?<![\w'])(?:Dr|Mr|Mrs|Ms|Prof)\.?\s+(?P<name>{_TOKEN})(?![\w'’-])(?!\s+[A-Z])")
_HONORIFIC_PERSON = re.compile(rf"(?<![\w'])(?:Dr|Mr|Mrs|Ms|Prof)\.?\s+(?P<name>{NAME})")

_STATE_BODY = re.compile(
    r"\s+(?:government|presidency|side|authorities|officials|leadership|delegation|"
    r"foreign\s+ministry|defen[cs]e\s+ministry|ministry)\b", re.IGNORECASE
)
#: Capitalised words that end or cannot be part of a person's name.
_NOT_NAME = frozenset(
    """the a an on in at of and but or for to from by with as after before during since
    monday tuesday wednesday thursday friday saturday sunday january february march april
    may june july august september october november december jan feb mar apr jun jul aug
    sep sept oct nov dec this that these those it he she they we i his her their our its
    said says told monday's news office ministry embassy government according""".split()
)
#: Capitalised at a sentence start, never a first name.
_LEADING_WORDS = frozenset("""though although while when whereas because if unless until once
    but and so yet still then now meanwhile however also instead moreover indeed yesterday
    today tonight overnight earlier later""".split())
#: Last words of institutions, never of a person's name.
_INSTITUTION = frozenset(
    """ministry office council committee department house court agency party group news
    times post service forces army police government assembly union bank fund organization
    organisation authority commission university institute center centre company inc corp
    corporation co
    presidency embassy administration senate congress parliament kremlin media network
    association foundation school hospital city county state district bureau productions
    records studios entertainment holdings pictures labs airlines airways motors brands
    industries technologies systems networks ltd llc plc""".split()
)


#: Last words of a company's name before a speech verb: "Dick Clark Productions denied".
_COMPANY_WORDS = frozenset("""productions records studios entertainment holdings pictures labs
    airlines airways motors brands industries technologies systems networks inc corp ltd llc
    plc company group corporation co""".split())
#: Generational suffixes dropped from names so "James P. Kennedy Jr." = "James P. Kennedy".
_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii"})
_HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "justice", "reverend",
                        "rev", "brigadier", "father", "rabbi", "imam", "sergeant", "lieutenant",
                        "admiral", "captain", "doctor", "professor"})


def _is_title(word: str) -> bool:
    """A title word, or a hyphenated compound of them ("Lieutenant-General")."""
    return bool(_TITLE_WORD.fullmatch(word)) or (
        "-" in word and all(_TITLE_WORD.fullmatch(p) for p in word.split("-")))


def _name_at(raw: str, name: str | None) -> int | None:
    """Where a cleaned name starts in the raw match: 0, or after honorifics and a sentence's
    first word ("Sir Allan Kemakeza", "But Mr John Smith"); None if it was cut elsewhere."""
    if not name:
        return None
    if raw.startswith(name):
        return 0
    off = raw.find(name)
    if off > 0 and raw[off - 1] == " " and all(
            w.strip(".").casefold() in _HONORIFICS or w.casefold() in _LEADING_WORDS
            for w in raw[:off].split()):
        return off
    return None


def _clean_name(name: str) -> str | None:
    """Trim trailing non-name words; None unless two or more name words remain."""
    words = name.split()
    owner = max((i for i, w in enumerate(words) if w.endswith(("'s", "’s"))), default=-1)
    words = words[owner + 1:]  # "the Union's Luke Foley": the possessor is not the name
    while words and words[0].casefold() in _LEADING_WORDS:
        words.pop(0)  # "Though Pompeo said": a sentence's first word, not a first name
    while words and (words[-1].casefold().strip(".") in _NOT_NAME
                     or words[-1].casefold().strip(".") in _NAME_SUFFIXES):
        if words[-1] == "Jan" and len(words) == 2 and words[0].casefold() not in _NOT_NAME:
            break  # "Akbar Jan": a surname (the month is "Jan." or comes before its day)
        words.pop()
    while len(words) > 2 and _is_title(words[0].strip(".")):
        words.pop(0)  # "Lt Col Alexander Vindman": the title, not the name
    if (len(words) == 2 and _TITLE_HEAD_WORD.fullmatch(words[0].strip(".").split("-")[-1])
            and not _TITLE_WORD.fullmatch(words[1]) and words[1].casefold() not in _NOT_NAME):
        return words[1]  # "President General Suharto": a title and a single name
    while words and words[0].strip(".").casefold() in _HONORIFICS:
        words.pop(0)  # "Ms Persson" is a surname mention; "Dr. Luz Arroyo" is "Luz Arroyo"
    if words and words[0].casefold() in _NOT_NAME and not (
            words[0] == "He" and len(words) > 1 and words[1].casefold() not in _NOT_NAME):
        return None  # "He Jianxiong" is a name (the pronoun never precedes a capital)
    if len([w for w in words if w[:1].isupper()]) < 2:
        return None
    if _TITLE_WORD.fullmatch(words[-1].strip(".")):
        return None  # "the Solomon Islands Prime Minister has told": a role, not a name
    if words[-1].casefold().strip(".") in _INSTITUTION:
        return None
    return " ".join(words)


# --------------------------------------------------------------------------- speech

SPEECH_VERBS = (
    "said says say told tells added adds stated states stressed stresses warned warns "
    "urged urges criticized criticised cautioned noted notes argued argues insisted "
    "emphasized emphasised declared announced explained wrote writes tweeted posted "
    "reported asked replied responded claimed vowed reiterated confirmed denied "
    "acknowledged commented continued concluded admitted expressed voiced called "
    "described blasted condemned accused proposed promised pledged suggested recalled "
    "remarked observed complained demanded threatened predicted assured praised lauded "
    "compared outlined underlined hailed slammed dismissed restated maintained warning "
    "cheered defended deny denies recounted recounts insist insists explains comments "
    "concludes recalls remarks observes replies responds advises advised claims claim swears "
    "swore assures admits acknowledges confirms announces declares suggests accuses maintains "
    "predicts reveals revealed disclosed concedes conceded found finds showed shows projected "
    "projects estimated estimates recommended recommends discovered demonstrated describes "
    "cautions written interjected countered rejoined retorted quipped snapped interrupted "
    "testified protested lamented boasted bragged scoffed shouted yelled exclaimed whispered "
    "muttered answered answers mused joked pressed ruled alleges alleged acknowledge admit "
    "confirm concede informed informs emailed texted indicated indicates recognised "
    "recognized believes reminded reminds reports "
    # more verbs of saying, in the forms news uses them (plural subjects take the bare form:
    # "officials warn that", "researchers argue that")
    "argue explain warn urge add insist stress believe believed asserted asserts contended "
    "contends hinted hints implied implies speculated speculates clarified clarifies "
    "elaborated reaffirmed reaffirms reiterates repeated vows pledges underscored underscores "
    "emphasizes emphasises theorized theorised surmised mentioned mentions signalled signaled "
    "agreed agrees disputed forecast forecasts remembers remembered"
).split() + [r"shot\s+back", r"fired\s+back", r"chimed\s+in", r"cut\s+(?:her|him|them)\s+off",
             r"puts\s+it", r"put\s+it", r"pointed\s+out", r"points?\s+out", r"pleaded\s+with",
             r"issued\s+a\s+statement(?:\s+(?:warning|saying))?"]
#: Verbs after which "VERB X" names the speaker (only after a quote or comma: '..," said X').
INVERTING_VERBS = frozenset(
    "said says added adds stated states wrote writes asked asks explained explains noted notes "
    "continued continues concluded concludes insisted insists replied replies "
    "responded responds commented comments recalled recalls remarked remarks observed "
    "observes interjected countered rejoined retorted quipped snapped interrupted protested "
    "lamented boasted scoffed shouted yelled exclaimed whispered muttered answered mused "
    "joked pressed testified".split()
)
#: a trie over the plain verbs (an alternation of ~150 words is tried word by word)
_VERB_RE = _trie_regex(v for v in SPEECH_VERBS if v.isalpha()) + "|" + "|".join(
    v for v in SPEECH_VERBS if not v.isalpha())
SPEECH_VERB_RE = re.compile(rf"\b(?:{_VERB_RE})\b")
#: What may stand between a subject and its speech verb.
_GAP = (
    r"(?:,?\s+(?:Jr|Sr)\.?)?"
    r"(?:\s+\([A-Z][A-Za-z0-9&]{1,6}\))?"  # "the Australian Workers Union (AWU) says"
    # a company's ticker: "Montedison Spa <MONI.MI> said", "Apple Inc (AAPL.O) said",
    # "Acme Corp (NYSE: ACM) said"; ">" closes a wire-copy bracketed name ("<Versatile Corp>")
    r">?(?:\s+[(<](?:(?:NYSE|NASDAQ|Nasdaq|AMEX|LSE|TSX|ASX):\s*)?[A-Z][A-Z0-9]{0,5}"
    r"(?:\.[A-Z]{1,3})?[)>])?"
    r"(?:\s+(?:unit|subsidiary|division|affiliate))?"  # "Unocal Corp's Union Oil Co unit said"
    # "Paganini and his team wrote", "X and colleagues found"
    r"(?:\s+and\s+(?:his\s+|her\s+|their\s+)?(?:team|colleagues|co-?authors|collaborators)\b)?"
    r"(?:\s*,(?:[^.;\"!?]|(?<=[A-Z])\.){1,200}?,)?"
    r"(?:\s+(?:on|at|in|late|early|last|this|earlier|later)\s+(?:[A-Z\d][\w']*|week|month|"
    r"year|day|time|today|yesterday|tonight|morning|afternoon|evening|night)"
    r"(?:\s+(?:morning|afternoon|evening|night))?)?"
    r"(?:\s*,?\s+(?:also|later|previously|reportedly|has|had|have|was|then|again|further|"
    r"publicly|repeatedly|however|recently|once|always|never|still|now|had\s+earlier|has\s+long|"
    r"since|continues\s+to|continued\s+to|flat-out|[a-z]{3,}ly|"
    r"on\s+\w+),?)*"
)
_SUBJECT_VERB = re.compile(
    rf"{_GAP},?(?:\s+(?:would|will|could|might|may|can|should|must))?"  # "Page would say"
    rf"\s+(?P<verb>{_VERB_RE})\b")
#: "X is insisting (that) ...", "the soldiers are warning that": a speech verb in the
#: progressive, with a clause after it.
_PROGRESSIVE = re.compile(
    rf"{_GAP}\s+(?:is|are|was|were)\s+(?:also\s+|now\s+|still\s+)?(?P<verb>insisting|"
    r"claiming|warning|arguing|alleging|predicting|suggesting|saying)"
    r"(?=\s+that\b|\s+(?:he|she|they|it|we|I|the|there)\s)")
_GAP_COMMA = re.compile(r",\s*")
#: An organisation's name going on in capitals before its verb ("Bloomberg News reported").
_ACCORDING_BEFORE = re.compile(r"(?i:according)\s+to\s+(?:[A-Z][\w'.-]*\s+){0,3}$")
_APPOSITION_START = re.compile(r",\s+(?:a|an|the|[a-z]+)\s")
_ORG_TAIL_VERB = re.compile(rf"(?:\s+[A-Z][\w&.-]*){{1,2}}{_GAP},?\s+(?P<verb>{_VERB_RE})\b")
#: Speech verbs that are also plural nouns: a verb only when a clause or quote follows.
_NOUNLIKE_VERBS = frozenset(
    "states comments remarks notes claims claim reports hints vows pledges stress".split())
#: Verbs that report a statement only with a "that" clause: "the study found that ...",
#: "the Tax Foundation projected in May that ..." (not "police found the car").
THAT_ONLY_VERBS = frozenset("""found finds showed shows projected projects estimated estimates
    recommended recommends discovered demonstrated alleged mentioned mentions agreed agrees
    disputed forecast forecasts remembers remembered""".split())
_WRITTEN_OPENS = re.compile(r"\s*(?:that\b|[.:]|,?\s*\")")
#: "that" soon after the verb: "found that", "showed in a paper published in X that"
_THAT_FOLLOWS = re.compile(
    r"(?:\s+(?:in|on|last|this|earlier|later)\s+[^.;:\"]{0,70}?)?,?\s+that\s")
_CLAUSE_OPENS = re.compile(r"\s*(?:that\b|:|,?\s*\")|\s+(?:the|a|an|he|she|it|they|we|I|"
                           r"there|this|his|her|its|their)\b")
#: "X ... told Newsweek: "...": the outlet is the object, not the speaker.
_OBJECT_BEFORE = re.compile(r"\b(?:told|tells|asked|asks|to)\s+$")
_PASSIVE_GAP = re.compile(r"\b(?:was|were|been|being|is|are)\s+$")
_COLON = re.compile(r"\s*:\s*\"")
_TITLE_WORD = re.compile(rf"(?i:{_TITLE_MODIFIERS}|{_TITLE_HEADS})")
_TITLE_HEAD_WORD = re.compile(rf"(?i:{_TITLE_HEADS})")
_NAME_SAID = re.compile(
    rf"(?<![\w'’.-])(?<!of )(?<!in )(?<!from )(?<!at )(?<!the )(?<!for )"
    rf"(?P<name>{_TOKEN}(?:\s+(?:{_PARTICLE}\s+){{0,2}}{_TOKEN}){{0,4}}"
    r"(?:\s+(?:Inc|Corp|Co|Ltd)\.)?)"  # "Boeing Co. said"
    rf"(?:\s+(?:also|later|has|had|would|will))?\s+(?:{_VERB_RE})\b"
)
_RELATIVE_VERB = re.compile(rf"\s+(?:that|which)\s+(?:also\s+)?(?P<verb>{_VERB_RE})\b")
#: A non-restrictive relative clause speaks for its antecedent: "the United States, which
#: accuses him of ...", "Persson, who said ...".
#: A leading subject's own speech later in its sentence: "... and argued that", ", saying",
#: "declined to comment but said the company ..." (after said/says the clause is tested later).
_SUBJECT_SPEECH = re.compile(
    rf"\s+(?:and|but)\s+(?:also\s+|then\s+|later\s+)?(?P<and>{_VERB_RE})\b"
    r"(?=\s+that\b|:|\s*,?\s*\"|\s+(?:he|she|they|it|we|I)\s|(?<=said)|(?<=says)|"
    r"(?<=accused)\s+[^.;\"]{1,80}?\bof\s+[a-z]+ing\b)"
    r"|,\s*(?P<ing>saying|adding|noting|arguing|warning|insisting|explaining|claiming|"
    r"alleging|stating|asserting|stressing|acknowledging|declaring)\b"
    r"|\s+(?P<ing2>saying|claiming|alleging|arguing|stating|asserting)(?=\s+that\b)")
_DATELINE = re.compile(r"[A-Z][A-Z .'-]+(?:,|\s+\(|\s*(?:--|—|–))")
_SUBORDINATE_START = re.compile(
    r"\s*(?:When|While|Although|Though|If|Because|Once|Until|After|Before|Since|As)\s")
#: a relative clause left open before the verb: "X, who is in the squad in place of Y says"
_OPEN_RELATIVE = re.compile(r",\s+(?:who|whose)\s[^,;:\"]{0,120}")
_NEW_CLAUSE = re.compile(r"(?:,\s*(?:and|but|while)|;)\s+$")
_PREPOSITION_BEFORE = re.compile(r"(?<![\w'])(?:[Ii]n|[Aa]t|[Ii]nto)\s+$")
#: "A friend of X said", "the widow of X says": the relative speaks, not X.
_KIN_OF = re.compile(
    rf"(?<![\w'])(?:[Tt]he|[Aa]n?|[Oo]ne)\s+(?:[a-z][\w-]*\s+){{0,2}}(?:{_KIN}s?|friends?|"
    r"relatives?|neighbou?rs?|colleagues?|classmates?|teammates?|parents|children|family)"
    r"\s+of\s+(?:the\s+late\s+)?$")
_OWNER_INTRO = re.compile(r"\s*(?:[A-Z][\w&.'’-]*\s+){1,2}")  # "Browns DL X", "Assange's lawyer X"
#: "a research group led by X at the University of Y found that": the leader speaks.
_LED_BY_VERB = re.compile(
    r"(?:\s+(?:at|of|from)\s+(?:the\s+)?[A-Z][\w'.-]*(?:\s+(?:of\s+)?[A-Z][\w'.-]*){0,5})?"
    rf",?\s+(?P<verb>{_VERB_RE})\b")
#: "Mr. Trump's Oct. 11 announcement that ...": a possessor's speech noun and its clause.
_SPEECH_NOUN = re.compile(
    r"'s\s+(?:[\w.]+\s+){0,3}?(?P<verb>announcement|claim|claims|statement|warning|assertion|"
    r"insistence|argument|promise|pledge|vow|admission|contention|testimony|prediction)"
    r"(?=\s+that\s)")
_WHICH_VERB = re.compile(
    rf",\s+(?:which|who)\s+(?:also\s+|has\s+|had\s+|have\s+)?(?P<verb>{_VERB_RE})\b")
#: '..., said the X', '..." explains SciSpacE Team Leader X', 'said The We Company's
#: recently named executive chair X': a determiner, up to four capitalised words (an owner,
#: possibly possessive) and up to two lower-case modifiers may stand before the mention's lead.
_INVERTED = re.compile(
    rf"[,\"]\s*(?P<verb>{'|'.join(sorted(INVERTING_VERBS))})\s+(?:(?:the|a|an)\s+)?"
    # "said chief Palestinian negotiator X": a rank word before the demonym
    r"(?:(?:chief|senior|top|deputy|former|veteran|acting|outgoing|incoming)\s+)?"
    r"(?:[A-Z][\w&.-]*(?:'s)?\s+){0,4}(?:[a-z]+ly\s+)?(?:(?:named|appointed|new|newly)\s+)?$"
    # "said one mother, X": a description, then the name
    rf"|[,\"]\s*(?P<verb2>{'|'.join(sorted(INVERTING_VERBS))})\s+(?:one|a|an|another)\s+"
    r"(?:[a-z][\w-]*\s+){0,3}?[a-z][\w-]*,\s+$"
)
#: After an inverted subject a lower-case word other than these means the "subject" is in
#: fact the start of the reported clause ("..., said the US policy change paved the way").
_CLAUSE_GOES_ON = re.compile(
    r"\s+(?!(?:in|on|at|of|to|for|from|with|by|during|when|who|whose|which|that|after|before|"
    r"as|while|last|this|earlier|later|according|via|and|but|told|tells|through|about|over|"
    r"under|since|until|adding|noting|saying|citing|referring|speaking|writing|said|says|"
    r"added|recently|previously|also|himself|herself|itself|via|per|amid|late|early)\b)[a-z]"
)
#: "according to a new report by E! News": whoever published the report speaks (an
#: organisation, whatever its name looks like).
_REPORT_BY = re.compile(
    r"(?i:according)\s+to\s+(?:the\s+|a\s+|an\s+)?(?:[a-z-]+\s+){0,2}"
    r"(?:report|reports|story|article|analysis|survey|poll)\s+(?:by|from|in|of)\s+(?:the\s+)?"
    r"(?P<org>[A-Z][\w!&'-]*(?:\s+[A-Z][\w&'-]*){0,3})(?=[.,;](?:\s|$)|$)")
#: "the Rodong Sinmun said", "the NGO Front Line Defenders", "the group People for the Ethical
#: Treatment of Animals said": a capitalised name after "the" (or a kind of organisation)
#: that speaks is an organisation (people are not "the X Y").
_THE_NAME_SAID = re.compile(
    r"(?<![\w'])(?:[Tt]he\s+(?:(?:group|organi[sz]ation|NGO|charity|nonprofit|coalition|"
    r"watchdog|newspaper|paper|broadcaster|agency|firm|company)\s+)?|[Tt]he\s+(?:group|NGO)\s+)"
    r"(?P<org>[A-Z][\w&'.-]*(?:\s+(?:(?:of|for|the|and|on|&)\s+)*[A-Z][\w&'-]*){1,6})"
    r"(?=\s+(?:also\s+)?(?:said|says|reported|reports|wrote|writes|announced|stated|warned|"
    r"noted|claimed|argued|found|revealed|added)\b|\s+that\s)")
#: "Japanese car maker Mitsubishi", "travel company Traveland", "pay TV operator Austar": a
#: capitalised name right after a lower-case kind of business is that business
_KIND_NAME = re.compile(
    r"(?<=[a-z] )(?:car\s?maker|maker|company|firm|airline|retailer|miner|insurer|broadcaster|"
    r"manufacturer|operator|carrier|chain|developer|publisher|supplier|producer|telco|"
    r"conglomerate|giant)\s+(?P<org>[A-Z][\w&'-]+(?:\s+(?:(?:and|&)\s+)?[A-Z][\w&'-]+){0,3})"
    r"(?![\w&'-])")
#: The legal forms that end a company's name ("Inc", "Co Ltd", "Limited Partnership").
_LEGAL_FORM_WORDS = (r"Inc|Corp|Co|Ltd|Plc|PLC|plc|Spa|SpA|AG|NV|LLC|L\.P|LP|Bancorp|Bancshares|"
                     r"Corporation|Incorporated|Limited|Holdings|Partnership|Partners")
_LEGAL_FORMS = frozenset(_LEGAL_FORM_WORDS.replace("\\", "").casefold().split("|"))
_LEGAL_FORM = re.compile(rf"\s(?:{_LEGAL_FORM_WORDS})\b")  # a fast gate: most text names none
#: a capitalised word of a company's name: "Moody's" may be one, "Unocal Corp's" is an owner
_CORP_WORD = (r"(?!(?:Inc|Corp|Co|Ltd|Plc)'s)[A-Z][\w&-]*(?:'(?:s(?=\s+[A-Z]))?[\w&-]*)?")
#: A company by its legal form, wherever it is named: "UtiliCorp United Inc", "Industrial
#: Equity (Pacific) Ltd", "Bank of New York Co", "<Versatile Corp>" (wire copy brackets
#: unlisted companies), "Montedison Spa": a name that ends in a corporate suffix is a company
#: whatever its words look like, so "the company said" and "it said" can find it.
_CORPORATE = re.compile(
    rf"(?<![\w'&.-])(?P<org>{_CORP_WORD}\.?(?:\s+(?:(?:of|and|&|de|du|der|for)\s+)?"
    rf"(?:{_CORP_WORD}\.?|\([A-Z][\w.]*(?:\s[A-Z][\w.]*){{0,3}}\))){{0,8}}?"
    rf"(?:\s+(?:(?:and|&)\s+)?(?:{_LEGAL_FORM_WORDS}))+)"
    r"(?P<dot>\.(?=,|\s+[a-z]|'s))?(?![\w&-])(?!'(?!s(?!\w)))")
#: Before a company named in an object or an aside: "acquired ... of X Inc", "owned by X Ltd".
_OBJECT_PREPOSITION = re.compile(
    r"(?<![\w'])(?:of|by|from|with|for|to|in|at|into|on|against|over|than|via)\s+$")
_SENTENCE_SO_FAR = re.compile(r"(?:(?<=[.!?]\s)|^)[^.!?]*$")
#: "according to the American Farm Bureau Federation.": a capitalised name after "the" is
#: an organisation (people are not "the X Y").
_ACCORDING_ORG = re.compile(
    r"(?i:according)\s+to\s+the\s+(?P<org>[A-Z][\w&'-]*(?:\s+(?:(?:of|for|on|and|&)\s+)?"
    r"[A-Z][\w&'-]*){1,6})(?=\s*(?:\(|[.,;]|\s+in\s|$))")
_ACCORDING = re.compile(r"\b[Aa]ccording\s+to\s+(?:the\s+)?(?:[a-z-]+\s+){0,4}$")
_AND_VERB = re.compile(rf"\b(?:and|but)\s+(?:also\s+|has\s+|had\s+)?(?P<verb>{_VERB_RE})\b")
_AND = re.compile(r"\s*(?:,|,?\s+and)\s+")
#: A document as the speaker: "the statement continued/read", "says the letter signed by
#: seven physicians", "The statement, which was obtained by Variety, claimed that ...".
_DOCUMENT = re.compile(
    r"(?<![\w'])(?:[Tt]he|[Tt]his|[Tt]hat|[Ii]ts|[Tt]heir)\s+(?:(?:new|joint|separate|written|"
    r"official|full|brief|latest|same|original|open|company's|group's)\s+)?"
    r"(?P<p>statement|letter|release|press\s+release|memo|email|e-mail|filing)(?![\w'-])"
)
#: Research documents speak for whoever made them: "The study by the Australian National
#: University shows ...", "The Bureau released its report ... The report says ...".
_RESEARCH = re.compile(
    r"(?<![\w'])(?:[Tt]he|[Tt]his|[Ii]ts|[Tt]heir|[Aa]|[Aa]n)\s+(?P<mod>(?:[\w'-]+\s+){0,3}?)"
    r"(?P<p>report|study|survey|document|article|paper|bulletin)(?![\w'-])")
_RESEARCH_GATE = ("report", "study", "survey", "document", "article", "paper", "bulletin")
#: between a research document and its verb: "by X", "released on Monday", "conducted by X
#: for Y"
_RESEARCH_TAIL = re.compile(
    r"(?:\s+(?:(?:released|published|issued|conducted|commissioned|prepared|produced)\s+)?"
    r"(?:by|from|for|on|in|last|this|today|yesterday)\s+[^,.;:\"]{1,80}?)?"
    r"(?:\s+(?:also|has|have|had|now|further|clearly))*\s+")
_RESEARCH_BY = re.compile(r"\s+(?:(?:released|published|issued|conducted|commissioned|"
                          r"prepared|produced)\s+)?(?:by|from)\s+(?:the\s+)?")
#: "X released its report", "X has published a new study": X issued that document
_ISSUED = re.compile(
    r"\s+(?:(?:has|have|had|today|yesterday|also|recently|this\s+week)\s+){0,3}"
    r"(?:released|published|issued|unveiled|produced|commissioned|tabled)\s+(?:its|their|a|an|"
    r"the)\s+(?:[\w'-]+\s+){0,3}?(?:report|study|survey|document|article|paper|bulletin)"
    r"(?![\w'-])")
#: Who issued a document: "said in a statement", "stated in the letter", "issued a statement"
#: (the verb itself), or a fronted "In a Nov. 5 letter, the doctors pleaded ..." (the first
#: attribution); "signatory to the letter" or "In a letter to X" do not count.
_DOC_NOUN = r"(?P<p>statement|letter|release|memo|email|e-mail|filing)\b"
_DOCUMENT_AFTER_VERB = re.compile(
    r"(?:\s+[\w-]+){0,3}?\s+in\s+(?:a|an|the|its|their)\s+(?:[\w.-]+\s+){0,2}?" + _DOC_NOUN)
_DOCUMENT_FRONTED = re.compile(
    r"\s*(?:In|in)\s+(?:a|an|the|its|their)\s+(?:[\w.]+\s+){0,3}?" + _DOC_NOUN + ",")
_DOCUMENT_VERB = re.compile(rf"{_GAP},?\s+(?P<verb>{_VERB_RE}|reads?)\b")
_DOCUMENT_INVERTED = re.compile(
    rf"[,\"]\s*(?P<verb>{'|'.join(sorted(INVERTING_VERBS))}|reads?)\s+$")
_PRONOUN = re.compile(r"(?<![\w'])(?P<p>[Hh]e|[Ss]he|[Ii]t)(?![\w'])")
_SENTENCE = re.compile(r"[^.!?]*(?:[.!?]+[\"')\]]*|$)")
_ABBREV = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gen|Col|Lt|St|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|"
    r"Dec|No|vs|Inc|Corp|Jr|Sr)|\b[A-Z]|\b[A-Z]\.[A-Z])\.$"
)
_SENTENCE_START = re.compile(r"\s*[\"'(]?[A-Z\d]")
_INTRO = re.compile(
    r"\s*(?:\"\s*)?(?:(?:On|In|At|During|Earlier|Later|Meanwhile|However|But|And|Also|Since|"
    r"After|Before|As|Still|Instead|Separately|Among|Amid|Despite|Following|With|Last|When|While|"
    r"Although|Though|If|Because|Once|Until|Unlike|Like|Under|For|Over|By|Now|Then|Yet|So)\b"
    r"[^,\"]{0,80},\s*)?(?:the\s+|The\s+)?$"
)


#: A quote closes at a mark not followed by a letter; a mark after a space and before a
#: letter opens the next quote ('"A. "B," he said.': a quote left open at a paragraph's end).
_QUOTE = re.compile(r'"[^"]*?(?:"(?![A-Za-z0-9])|(?=\s+"[A-Za-z0-9])|$)')


#: A passage that opens inside a quote from the previous one: its first mark closes it
#: ('... get the job done," he said.'): punctuation before the mark, a lower-case word after.
_CLOSES_FIRST = re.compile(r'\s*[^"\s][^"\n]{7,}?[.,!?]"(?=\s+[a-z]|\s*$)')


def quote_spans(norm: str, opens_inside: bool = True) -> list[tuple[int, int]]:
    """Spans of double-quoted text (marks included) in mark-normalised text.

    An unclosed quote runs to the end: news prose leaves a quote open when it
    continues in the next paragraph; a passage may likewise open inside one (its span
    then starts at 0, with no opening mark), but only when ``opens_inside`` (the passage
    before it ended in an open quote: a stray closing mark is no reason to read every
    sentence before it as quoted).
    """
    first = _CLOSES_FIRST.match(norm) if opens_inside and '"' in norm else None
    pos = first.end() if first else 0
    spans = [m.span() for m in _QUOTE.finditer(norm, pos) if m.end() - m.start() > 1]
    return [(0, pos)] + spans if first else spans


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans; merges splits after common abbreviations ("U.S.", "Oct.")."""
    spans: list[tuple[int, int]] = []
    for m in _SENTENCE.finditer(text):
        if m.start() == m.end():
            continue
        start, end = m.span()
        if spans and (
            # an abbreviation ends at the split ($): at most 7 characters back
            _ABBREV.search(text, max(0, spans[-1][1] - 8), spans[-1][1])
            or not _SENTENCE_START.match(text, start, end)
            # "88.5": a decimal point; "MONI.MI", "Amazon.com": no space, no new sentence
            or text[start].isalnum() and text[start - 1] == "."
        ):
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


# --------------------------------------------------------------------------- analysis


@dataclass
class Mention:
    """An actor mention: ``start``/``end`` span the name, ``lead`` includes its title."""

    start: int
    end: int
    name: str
    kind: str
    via: str  # alias, short, demonym, title, surname, pronoun, role, orgname
    lead: int = -1
    title: str = ""  # the role words a titled person was introduced with


@dataclass
class Attribution:
    """A speech verb and who it is attributed to, within one passage."""

    speaker: str
    verb: str
    verb_start: int
    verb_end: int
    anchor_start: int  # the speaker's mention (or pronoun) span
    anchor_end: int
    how: str  # subject, inverted, according, colon


@dataclass
class PassageAnalysis:
    text: str
    norm: str
    mentions: list[Mention]
    attributions: list[Attribution]
    sentences: list[tuple[int, int]]
    subjects: dict[tuple[int, int], str]  # sentence span -> subject actor (for quotes)
    quoted: list[tuple[int, int]]
    #: (speaker, verb) a quote-only paragraph continues: the last attribution of the
    #: previous paragraph (or what that paragraph itself continued)
    carry: tuple[str, str] | None = None


# --------------------------------------------------------------------------- institutions

#: State bodies named by a common noun -> the canonical body in "<Demonym> <Body>" names.
_BODIES = {
    "foreign ministry": "Foreign Ministry", "ministry of foreign affairs": "Foreign Ministry",
    "foreign office": "Foreign Office", "defense ministry": "Defense Ministry",
    "defence ministry": "Defense Ministry", "ministry of defense": "Defense Ministry",
    "ministry of defence": "Defense Ministry",
    "interior ministry": "Interior Ministry", "ministry of the interior": "Interior Ministry",
    "ministry of interior": "Interior Ministry", "justice ministry": "Justice Ministry",
    "ministry of justice": "Justice Ministry", "health ministry": "Health Ministry",
    "ministry of health": "Health Ministry", "finance ministry": "Finance Ministry",
    "ministry of finance": "Finance Ministry", "economy ministry": "Economy Ministry",
    "trade ministry": "Trade Ministry", "education ministry": "Education Ministry",
}
#: Governments and administrations named by their owner as written ("the Federal Government",
#: "the Bush administration", "the United States Government"); a possessive state's takes
#: its demonym ("Israel's government" -> "Israeli Government"); a bare "the Government" is
#: too vague to name.
_GOVERNMENT = re.compile(
    r"(?<![\w'])(?P<owner>[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)?)(?P<pos>'s|’s)?\s+"
    r"(?P<body>[Gg]overnment|[Aa]dministration)(?![\w'])")
_BODY_RE = "|".join(b.replace(" ", r"\s+") for b in sorted(_BODIES, key=len, reverse=True))
#: "Russia's foreign ministry", "the French foreign ministry", "its foreign ministry",
#: "the Foreign Ministry" (no state: resolved against the article, see _Context).
_MINISTRY = re.compile(
    rf"(?<![\w'])(?:(?P<its>its)\s+|(?:[Tt]he\s+)?(?P<state>[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?)"
    rf"(?:'s)?\s+|(?P<the>[Tt]he\s+)?)(?P<body>(?i:{_BODY_RE}))(?!\w)"
)
#: Domain words that end a public body's name ("Customs and Border Protection").
_DOMAIN_RE = (
    r"(?:Protection|Security|Services|Affairs|Development|Prevention|"
    r"Control|Research|Administration|Enforcement|Statistics|Safety|Health|Defense|Defence|"
    r"Justice|Energy|Commerce|Labor|Labour|Education|Transportation|Immigration|Revenue|"
    r"Welfare|Environment|Agriculture|Finance|Trade|Management)")
#: Named institutions that speak ("the Swedish Prosecution Authority said", "the U.S.
#: Attorney's Office for the Western District of New York said"): capitalised words
#: ending in an institution head; ministries are left to _MINISTRY.
_ORG_NAME = re.compile(
    # name words; a period only inside or after an abbreviation ("U.S."), never a sentence end
    r"(?<![\w'])(?:[A-Z](?:[\w'-]|\.(?=[A-Za-z]))*(?:(?<![a-z]{2})\.)?\s+){0,5}?"
    r"(?:Office|Authority|Commission|Agency|"
    r"Department|"
    r"Prosecution|Service|Council|Committee|Party|Foundation|Institute|Center|Centre|Association|"
    r"Federation|Society|Bureau|Board|Fund|Administration|Organization|Organisation|Union)"
    r"(?:\s+(?:Office|Authority|Service|Agency))?(?![\w'])"
    r"(?:\s+(?:for|of)\s+(?:the\s+)?[A-Z][\w.]*(?:\s+(?:of\s+)?[A-Z][\w.]*){0,5}"
    # "Department of Health and Human Services": "and" only before a domain word
    r"(?:\s+and\s+(?:[A-Z][a-z]+\s+){0,2}" + _DOMAIN_RE + r"(?![\w'-]))?)?"
)
#: Common-noun references to an institution named earlier: the latest organisation in
#: the article whose name contains one of the stems.
_ANAPHORS: dict[str, tuple[str, ...]] = {
    "the ministry": ("Ministry",),
    "prosecutors": ("Prosecut", "Attorney"),
    "the prosecutors": ("Prosecut", "Attorney"),
    "the prosecutor's office": ("Prosecut", "Attorney"),
    "the prosecution": ("Prosecut", "Attorney"),
    "the u.s. attorney's office": ("Attorney", "Prosecut"),
    "the attorney's office": ("Attorney", "Prosecut"),
    "the commission": ("Commission",),
    "the agency": ("Agency",),
    "the department": ("Department",),
    "the bank": ("Bank",),
    "the union": ("Union",),
    "the institute": ("Institute",),
    "the foundation": ("Foundation",),
    "the council": ("Council",),
    "the committee": ("Committee",),
    "the association": ("Association",),
    "the federation": ("Federation",),
    "the authority": ("Authority",),
    "the bureau": ("Bureau",),
    "the board": ("Board",),
    "the alliance": ("Alliance",),
    "the movement": ("Movement",),
    "the university": ("University",),
}
_ANAPHOR = re.compile(
    r"(?<![\w'])(?i:" + _trie_regex(a.replace(" ", "\0") for a in _ANAPHORS).replace(
        re.escape("\0"), r"\s+") + r")(?![\w'])"
)
#: "Patrick W. Carlineo Jr., 55, of Addison": a name followed by an age is a person's.
#: (a cheap test before the costly name scan; ", from the <Org>" marks a person too)
_AGE_GATE = re.compile(r",\s+(?:\d{1,3},|from\s+the\s+[A-Z])")
_AGE_PERSON = re.compile(
    rf"(?<![\w'.-])(?P<name>{NAME})(?:,?\s+(?:Jr|Sr)\.?)?,\s+(?:\d{{1,3}},|from\s+the\s+[A-Z])"
)


#: "Ian Hamilton, an expert in drug use ... at the U.K.'s University of York who did not
#: work on the study, told Newsweek": a full name, an appositive and a speech verb.
_APPOSED_TAIL = re.compile(
    rf",\s+(?:a|an|the)\s+[a-z](?:[^.;\"!?]|(?<=[A-Z])\.){{1,200}}?"
    rf",\s+(?:also\s+|later\s+)?(?:{_VERB_RE})\b"
)
_NAME_BEFORE = re.compile(rf"(?<![\w'’.-])(?P<name>{NAME})$")


#: every _ORG_NAME match has one of its capitalised heads (cheap to find)
_ORG_HEAD = re.compile(r"(?:Office|Authority|Commission|Agency|Department|Prosecution|Service|"
                       r"Council|Committee|Party|Foundation|Institute|Cent(?:er|re)|"
                       r"Association|Federation|Society|Bureau|Board|Fund|Administration|"
                       r"Organi[sz]ation|Union)(?![\w'])")
#: capitalised words before "Government" that are no owner: "The Government", "A Government"
#: capitalised words that quantify a group at a sentence start, never part of its owner's name
_QUANTIFIERS = frozenset("Several Some Many Most All Both Other Few Two Three Senior Top".split())
_NOT_OWNER = frozenset("The A An This That Its His Her Their Our New Every Any".split()) | (
    _QUANTIFIERS)
_INSTITUTION_GATE = ("minist", "government", "administration", "office", "authority",
                     "commission", "agency", "department",
                     "prosecut", "service", "council", "committee", "party", "foundation",
                     "institut", "center", "centre", "association", "federation", "society",
                     "bureau", "board", "fund", "administration", "organi", "bank", "union")
_ARTICLE = re.compile(r"(?:The|A|An)\s+")
_POSSESSOR = re.compile(r"[A-Z][\w.-]*'s\s+")


def _institutions(norm: str, gaz: Gazetteer) -> list[Mention]:
    """Ministries, named institutions and institution anaphors in one passage.

    Names still unresolved (no state given, an anaphor) carry a "?" marker and
    are resolved against the article by ``_Context``.
    """
    out: list[Mention] = []
    folded = norm.casefold()  # substring gates: most passages name no institution
    if not any(w in folded for w in _INSTITUTION_GATE):
        return out
    for m in _MINISTRY.finditer(norm) if "minist" in folded or "office" in folded else ():
        body = _BODIES[" ".join(m.group("body").casefold().split())]
        start = m.start()
        if m.group("its"):
            name = "?its " + body
        elif m.group("state"):
            state = next((a.name for a in gaz.lookup(m.group("state"))
                          if gaz.actors[a.name].kind == "state"), None)
            if state is None:  # "Iran Foreign Ministry"-like unknown: use the body alone
                if not m.group("body")[0].isupper():
                    continue
                start, name = m.start("body"), "?" + body
            else:
                name = f"{gaz.demonym.get(state, state)} {body}"
        else:
            if not m.group("body")[0].isupper():
                continue  # a lowercase "foreign ministry" with no owner is too vague
            name = "?" + body
        out.append(Mention(start, m.end(), name, "organization", "alias", start))
    for m in _GOVERNMENT.finditer(norm) if "overnment" in norm or "dministration" in norm \
            else ():
        words = m.group("owner").split()
        if words[0] in _NOT_OWNER and (words[0] != "New" or len(words) == 1):
            words = words[1:]  # (but "New Zealand Government" is New Zealand's)
        if not words or words[0].casefold() in _NOT_NAME:
            continue
        owner, body = " ".join(words), m.group("body")
        if m.group("pos"):  # "Israel's government": a state's, by its demonym
            state = next((a.name for a in gaz.lookup(owner)
                          if gaz.actors[a.name].kind == "state"), None)
            if state is None:
                continue
            owner = gaz.demonym.get(state, state)
        body = "Government" if body[0] in "Gg" else "administration"
        start = m.start("owner") + m.group("owner").find(words[0])
        out.append(Mention(start, m.end(), f"{owner} {body}", "organization", "alias", start))
    for m in _ORG_NAME.finditer(norm) if _ORG_HEAD.search(norm) else ():
        start, name = m.start(), m.group()
        if (lead := _ARTICLE.match(name)) is not None:  # "The Conservative Party became",
            start, name = start + lead.end(), name[lead.end():]
        if (lead := _POSSESSOR.match(name)) is not None:  # "Britain's Conservative Party"
            start, name = start + lead.end(), name[lead.end():]
        words = name.split()
        if words[0].casefold() in _NOT_NAME:
            continue
        if any(a.start < m.end() and start < a.end for a in out):
            continue
        if len(words) < 2:
            continue
        end = m.end()
        if name.endswith(".") and len(words[-1]) > 5:  # "... Humanitarian Affairs." ends a sentence
            name, end = name[:-1], end - 1
        out.append(Mention(start, end, name, "organization", "alias", start))
    for m in _ANAPHOR.finditer(norm):
        if not any(a.start < m.end() and m.start() < a.end for a in out):
            key = " ".join(m.group().casefold().split())
            out.append(Mention(m.start(), m.end(), "?=" + key, "organization", "anaphor",
                               m.start()))
    return out


class _Context:
    """Article-level resolution of institution references made by a common noun.

    "the Foreign Ministry" -> the article's dominant state's ("Israeli Foreign
    Ministry"); "its foreign ministry" -> the latest state named before it;
    "prosecutors", "the ministry" -> the latest institution named with that stem.
    """

    def __init__(self, gaz: Gazetteer, raw: list[list[Mention]]) -> None:
        self.gaz = gaz
        counts: dict[str, int] = {}
        for mentions in raw:
            for m in mentions:
                if m.kind == "state":
                    counts[m.name] = counts.get(m.name, 0) + 1
        self.dominant = max(sorted(counts), key=lambda n: counts[n]) if counts else None
        self.last_state: str | None = None
        self.orgs: list[str] = []

    def _body(self, state: str | None, body: str) -> str | None:
        return f"{self.gaz.demonym.get(state, state)} {body}" if state else None

    def resolve(self, mentions: list[Mention]) -> list[Mention]:
        out: list[Mention] = []
        for m in mentions:
            name: str | None = m.name
            if name.startswith("?its "):
                name = self._body(self.last_state or self.dominant, name[5:])
            elif name.startswith("?="):
                stems = _ANAPHORS[name[2:]]
                name = next((o for o in reversed(self.orgs) if any(s in o for s in stems)), None)
            elif name.startswith("?"):
                name = self._body(self.dominant, name[1:])
            if name is None:
                continue
            if m.kind == "state" and m.via != "demonym":
                self.last_state = name
            elif m.kind == "organization":
                self.orgs.append(name)
            out.append(Mention(m.start, m.end, name, m.kind,
                               "alias" if m.via == "anaphor" else m.via, m.lead))
        return out


def analyze_article(
    texts: Sequence[str], *, gazetteer: Gazetteer, title: str | None = None
) -> list[PassageAnalysis]:
    """Mentions, speech attributions and sentence subjects for each passage of one article.

    Two passes: the first collects the people the article names in full (so a
    surname anywhere resolves to them), the second resolves and attributes.
    """
    norms = [_blank_asides(normalise_marks(t)) for t in texts]
    titled: list[bool] = []  # passages with a title word: the only ones a description can be in
    raw = [_raw_mentions(n, gazetteer, titled) for n in norms]
    _describe(raw, norms, titled)
    _company_stems(raw, norms, gazetteer)
    _groups(raw, norms, gazetteer)
    people: dict[str, str] = {}  # surname / short form (casefolded) -> canonical
    in_article: set[str] = set()
    # full names first: "Mr Szondy" (a surname alone) is the article's "Gabriel Szondy"
    for i, m in sorted(((i, m) for i, ms in enumerate(raw) for m in ms if m.kind == "person"),
                       key=lambda im: " " not in im[1].name):
        if m.via in ("alias", "title") and m.name not in gazetteer.actors:
            people.setdefault(m.name.split()[-1].casefold(), m.name)
        if " " in m.name and (k := _KNIGHTED.search(norms[i], max(0, m.start - 6), m.start)):
            # "Sir Allan Kemakeza" is then "Sir Allan"
            people.setdefault(f"{k.group(1)} {m.name.split()[0]}".casefold(), m.name)
    named_in_full = {m.name for ms in raw for m in ms
                     if m.kind == "person" and m.via in ("alias", "title")}
    for norm, mentions in zip(norms, raw, strict=True):
        for j, m in enumerate(mentions):
            if (m.via == "short" and m.kind == "person" and "|" not in m.name
                    and m.name not in named_in_full
                    and (own := people.get(norm[m.start:m.end].casefold())) is not None):
                # "Stoltenberg says" in an article about Jason Stoltenberg, not the
                # gazetteer's Jens Stoltenberg (whom it never names in full)
                mentions[j] = Mention(m.start, m.end, own, m.kind, "surname", m.lead, m.title)
                continue
            if m.kind == "person" and m.via in ("alias", "title"):
                if " " not in m.name and people.get(m.name.casefold(), m.name) != m.name:
                    m = mentions[j] = Mention(m.start, m.end, people[m.name.casefold()],
                                              m.kind, m.via, m.lead, m.title)
                in_article.add(m.name)
    surname_re = (
        re.compile(
            r"(?<![\w'-])(?:"
            + "|".join(re.escape(s) for s in sorted(people, key=len, reverse=True))
            + r")(?![\w-])",
            re.IGNORECASE,
        )
        if people
        else None
    )
    if people:  # a lone word that is a titled person's surname is that person
        raw = [[m for m in ms if m.via != "orgname" or m.name.casefold() not in people]
               for ms in raw]
    _orgname_surnames(raw, norms)
    state = _Discourse(gazetteer)
    context = _Context(gazetteer, raw)
    out: list[PassageAnalysis] = []
    carry: tuple[str, str] | None = None
    for text, norm, mentions in zip(texts, norms, raw, strict=True):
        resolved = context.resolve(_resolve(mentions, norm, gazetteer, in_article, surname_re,
                                            people))
        analysis = state.attribute(text, norm, resolved)
        analysis.carry = carry
        if analysis.attributions:
            last = max(analysis.attributions, key=lambda a: a.verb_start)
            carry = (last.speaker, last.verb)
        elif not norm.lstrip().startswith('"'):
            carry = None  # only a quote-only paragraph passes the speaker on
        out.append(analysis)
    return out


def _apposed_speakers(norm: str) -> Iterable[re.Match[str]]:
    """Names right before an appositive that ends in a speech verb (``_APPOSED_TAIL``);
    the tail is tried first, only at ", a|an|the " (far fewer places than names)."""
    end = 0
    for t in _APPOSED_TAIL.finditer(norm) if ", " in norm else ():
        m = _NAME_BEFORE.search(norm, max(end, t.start() - 80), t.start())
        if m is not None:
            yield m
        end = t.end()


def _company_stems(raw: list[list[Mention]], norms: list[str], gaz: Gazetteer) -> None:
    """"Big Machine Records ... accused Big Machine": a company named in the article with a
    company word ("Records", "Productions", "Inc") is also named by the words before it.
    A company named by its legal form is also named by its name without it ("CoFAB Inc":
    "CoFAB said") and, as a speaker, by a first word the article never writes in lower case
    ("Multi-Step Products Inc": "Multi-Step also said"; not "American", "Financial")."""
    stems: dict[str, str] = {}
    firsts: dict[str, str] = {}
    lower: set[str] | None = None
    for ms in raw:
        for m in ms:
            words = m.name.split()
            if (m.kind == "organization" and len(words) > 2
                    and words[-1].casefold().strip(".") in _COMPANY_WORDS):
                stems.setdefault(m.name, m.name)
                stems.setdefault(" ".join(words[:-1]), m.name)
            if m.kind != "organization" or len(words) < 2 or (
                    words[-1].casefold().strip(".") not in _LEGAL_FORMS):
                continue
            core = words[:-1]
            while len(core) > 1 and core[-1].casefold().strip(".") in _LEGAL_FORMS | {"and", "&"}:
                core.pop()
            if lower is None:
                lower = {w for n in norms for w in re.findall(r"(?<![\w'-])[a-z][\w-]*", n)}
            first = core[0]
            if (len(first) < 3 or first.casefold() in lower or first.casefold() in _NOT_NAME
                    or first.casefold() in _LEADING_WORDS or gaz.lookup(first)
                    or _TITLE_WORD.fullmatch(first)):
                continue
            stems.setdefault(m.name, m.name)
            stems.setdefault(" ".join(core), m.name)
            if len(core) > 1:
                firsts.setdefault(first, m.name)
    for first in [f for f in firsts if f in stems or any(
            re.search(rf"[A-Z][\w.&-]*\s+{re.escape(f)}(?![\w'-])", n) for n in norms)]:
        del firsts[first]  # "E.F. Hutton" is another name with "Hutton LBO Inc"'s first word
    if firsts:
        speaking = re.compile(r"(?<![\w'-])(?:" + "|".join(map(re.escape, firsts))
                              + r")(?![\w'-])(?!\s+[A-Z])")
        for i, norm in enumerate(norms):
            for s in speaking.finditer(norm):
                if not _SUBJECT_VERB.match(norm, s.end()):
                    continue
                # "Diamond said", read alone as a one-word organisation, is the company
                raw[i] = [m for m in raw[i] if not (m.start == s.start() and m.end == s.end()
                                                    and m.name == s.group())]
                if not any(m.lead < s.end() and s.start() < m.end for m in raw[i]):
                    raw[i].append(Mention(s.start(), s.end(), firsts[s.group()],
                                          "organization", "alias", s.start()))
                    raw[i].sort(key=lambda x: x.start)
    if not stems:
        return
    # a longer capitalised name ("Big Machine Label Group") is another name
    pattern = re.compile(r"(?<![\w'-])(?:" + "|".join(map(re.escape, sorted(
        stems, key=len, reverse=True))) + r")(?![\w'-])(?!\s+[A-Z])")
    for i, norm in enumerate(norms):
        for s in pattern.finditer(norm):
            if any(m.lead < s.end() and s.start() < m.end for m in raw[i]):
                continue
            if s.group() not in stems.values() and (
                    prev := _PREV_CAPITAL.search(norm, max(0, s.start() - 40), s.start())) and (
                    _mid_name(prev.group(1))):
                continue  # "Formula One Grand Prix" is not the "Grand Prix Corporation"
            raw[i].append(Mention(s.start(), s.end(), stems[s.group()], "organization", "alias",
                                  s.start()))
            raw[i].sort(key=lambda x: x.start)


def _introduced_orgs(norm: str, gaz: Gazetteer, titled: list[Mention]) -> list[Mention]:
    """Organisations known by how the text introduces them, added to ``titled``: "the Rodong
    Sinmun said", "according to the American Farm Bureau Federation", "according to a report
    by E! News" (whatever their names look like). Returns the companies named by their
    legal form, which no institution pattern may cut ("Unocal Corp's Union")."""
    corporate: list[Mention] = []
    for m in _CORPORATE.finditer(norm) if _LEGAL_FORM.search(norm) else ():
        words = m.group("org").split()
        start = m.start("org")
        while len(words) > 2 and (words[0].casefold() in _NOT_NAME
                                  or words[0].casefold() in _LEADING_WORDS):
            start = norm.index(words[1], start + len(words[0]))
            words = words[1:]  # "Yesterday Acme Corp said", "The Japan Fund Inc"
        end = m.end("dot") if m.group("dot") else m.end("org")
        if (len(words) < 2 or words[0].casefold() in _NOT_NAME
                or any(t.lead < end and start < t.end for t in titled)):
            continue
        lead = start - (norm[start - 1:start] == "<")  # "<Versatile Corp>"
        opening = _SENTENCE_SO_FAR.search(norm, max(0, lead - 120), lead)
        if _OBJECT_PREPOSITION.search(norm, max(0, lead - 9), lead) or not (
                _SUBJECT_VERB.match(norm, end)
                or opening and _INTRO.fullmatch(norm, opening.start(), lead)):
            continue  # "acquired Gulfex Inc", "a subsidiary of X Plc": an object, not a speaker
        corporate.append(Mention(start, end, norm[start:end], "organization", "alias", start))
        titled.append(corporate[-1])
    for pattern, gate, titles_ok in ((_KIND_NAME, " ", False), (_THE_NAME_SAID, "he ", False),
                                     (_ACCORDING_ORG, "ccording to the", True),
                                     (_REPORT_BY, "ccording to", True)):
        for m in pattern.finditer(norm) if gate in norm else ():
            org = m.group("org")
            end = m.end("org")
            if "'s " in org:  # "the Community and Public Sector Union's Wendy Caird says"
                org = org[:org.index("'s ")]
                end = m.start("org") + len(org)
            if (gaz.lookup(org) or org.split()[0].casefold() in _NOT_NAME or len(org) < 3
                    or not titles_ok and any(_TITLE_WORD.fullmatch(w) or w.casefold() in
                                             _HONORIFICS or _first_name_gender(w)
                                             for w in org.split())
                    or any(t.lead <= m.start("org") < t.end for t in titled)):
                continue  # "the Union's Wendy Caird", "the Reverend Tim Costello": people
            titled.append(Mention(m.start("org"), end, org, "organization", "alias",
                                  m.start("org")))
    return corporate


def _raw_mentions(norm: str, gaz: Gazetteer, titled_passages: list[bool] | None = None,
                  ) -> list[Mention]:
    """Gazetteer matches and titled people in one passage, overlaps removed.

    ``titled_passages`` (if given) gets whether the passage has any title word."""
    found: list[Mention] = []
    titled: list[Mention] = []
    title_starts = [m.start() for m in _TITLE_START.finditer(norm)]
    if titled_passages is not None:
        titled_passages.append(bool(title_starts))
    for m in _anchored(_ROYAL_PERSON, norm, title_starts) if title_starts else ():
        name = m.group()
        if any(a.via != "short" for a in gaz.lookup(m.group("name"))):
            continue  # "King Abdullah" is in the gazetteer under its own name, or not a name
        titled.append(Mention(m.start(), m.end(), gaz.person(name) or name, "person", "title",
                              m.start(), m.group("title")))
    for m in _anchored(_TITLE_PERSON, norm, title_starts):
        name = _clean_name(m.group("name"))
        if name is None:
            continue
        # "President General Pervez Musharraf": the name starts after the second title
        start = m.start("name") + max(0, m.group("name").find(name))
        if (t := _PLACE_TAIL.search(m.group("title"))) and gaz.lookup(t.group(1)) and not (
                gaz.lookup(f"{t.group(1)} {t.group(2)}")):
            # "ambassador to Pakistan Abdul Salam Zaeef": the place is one word, the name three
            start -= len(t.group(2)) + 1
            name = f"{t.group(2)} {name}"
        end = start + len(name)
        canonical = gaz.person(name)
        if canonical is None:
            if any(a.via != "short" for a in gaz.lookup(name.split()[0])):
                continue  # "leader Hamas ..." style: a known actor, not a person's name
            canonical = name
        title = m.group("title")
        if (h := _HYPHEN_HEAD.search(norm, max(0, m.start("title") - 20), m.start("title"))):
            title = h.group() + title  # "Governor-General X": the role is the whole compound
        titled.append(Mention(start, end, canonical, "person", "title", m.start(), title))
    job = any(w in norm for w in _JOB_ENDS) and _JOB_GATE.search(norm)  # substrings first
    for m in _JOB_PERSON.finditer(norm) if job else ():
        if m.group("title") in _NOT_JOB:
            continue
        name = _clean_name(m.group("name"))
        if (name is None or not m.group("name").startswith(name)
                or any(t.lead <= m.start("name") < t.end for t in titled)
                or any(a.via != "short" for a in gaz.lookup(name.split()[0]))):
            continue
        lead = m.start()
        for _ in range(3):  # "study lead author": the description's modifiers lead it
            if not (w := _JOB_MODIFIER.search(norm, max(0, lead - 30), lead)) or (
                    w.group(1) in _NOT_JOB_MODIFIER or w.group(1) in SPEECH_VERBS):
                break
            lead = w.start()
        titled.append(Mention(m.start("name"), m.start("name") + len(name),
                              gaz.person(name) or name, "person", "title", lead,
                              norm[lead:m.end("title")]))
    for m in _APPOSITIVE_JOB.finditer(norm) if job else ():
        name = _clean_name(m.group("name"))
        if (name is None or not name.startswith(m.group("name")[: len(name)])
                or m.group("job") in _NOT_JOB or any(a.via != "short" for a in gaz.lookup(
                    name.split()[0])) or any(t.lead <= m.start() < t.end for t in titled)):
            continue
        titled.append(Mention(m.start(), m.start() + len(name), gaz.person(name) or name,
                              "person", "title", m.start(), m.group()[len(m.group("name")):]))
    for m in _APPOSITIVE_PERSON.finditer(norm) if _APPOSITIVE_TAIL.search(norm) else ():
        name = _clean_name(m.group("name"))
        if (off := _name_at(m.group("name"), name)) is None:
            continue
        if any(a.via != "short" for a in gaz.lookup(name.split()[0])):
            continue
        canonical = gaz.person(name) or name
        at = m.start("name") + off
        titled.append(Mention(at, at + len(name), canonical, "person", "title",
                              m.start("name"), m.group()[len(m.group("name")):]))
    for m in _anchored(_ROLE_COMMA_PERSON, norm, title_starts):
        name = _clean_name(m.group("name"))
        if name and m.group("name").startswith(name) and not gaz.lookup(name.split()[0]):
            title = m.group()[:m.start("name") - m.start()]
            if (h := _HYPHEN_HEAD.search(norm, max(0, m.start() - 20), m.start())):
                title = h.group() + title  # "the Governor-General, Dr X."
            titled.append(Mention(m.start("name"), m.start("name") + len(name),
                                  gaz.person(name) or name, "person", "title", m.start("name"),
                                  title))
    honorific = ("Dr" in norm or "Mr" in norm or "Ms" in norm or "Prof" in norm) and (
        _HONORIFIC_GATE.search(norm))  # substrings first: most passages have none
    for m in _HONORIFIC_SURNAME.finditer(norm) if honorific else ():
        name = m.group("name")  # "Mr Szondy says": a person known by the surname
        if (not gaz.lookup(name) and name.casefold() not in _NOT_NAME
                and not any(t.lead <= m.start("name") < t.end for t in titled)):
            titled.append(Mention(m.start("name"), m.end("name"), name, "person", "title",
                                  m.start()))
    for m in _HONORIFIC_PERSON.finditer(norm) if honorific else ():
        name = _clean_name(m.group("name"))
        if (name and m.group("name").startswith(name) and not gaz.lookup(name.split()[0])
                and not any(t.lead <= m.start("name") < t.end for t in titled)):
            titled.append(Mention(m.start("name"), m.start("name") + len(name),
                                  gaz.person(name) or name, "person", "title", m.start()))
    for m in _AGE_PERSON.finditer(norm) if _AGE_GATE.search(norm) else ():
        name = _clean_name(m.group("name"))
        if (off := _name_at(m.group("name"), name)) is not None and not gaz.lookup(
                name.split()[0]):
            at = m.start("name") + off
            titled.append(Mention(at, at + len(name), gaz.person(name) or name,
                                  "person", "title", m.start("name")))
    for m in _apposed_speakers(norm):
        name = _clean_name(m.group("name"))
        if ((off := _name_at(m.group("name"), name)) is not None
                and not gaz.lookup(name.split()[0])
                and not any(_TITLE_WORD.fullmatch(w) for w in name.split())
                and not any(t.lead <= m.start() < t.end for t in titled)):
            at = m.start("name") + off
            titled.append(Mention(at, at + len(name), gaz.person(name) or name,
                                  "person", "title", m.start("name")))
    for m in _INVERTED_PERSON.finditer(norm):
        name = _clean_name(m.group("name"))
        if (name and m.group("name").startswith(name) and not gaz.lookup(name.split()[0])
                and not any(_TITLE_WORD.fullmatch(w) for w in name.split())  # "said Senate
                # Majority Leader Mitch McConnell": the title rule reads that one
                and not any(t.lead <= m.start("name") < t.end for t in titled)):
            titled.append(Mention(m.start("name"), m.start("name") + len(name),
                                  gaz.person(name) or name, "person", "title", m.start("name")))
    for m in _COMMA_NAME_SAYS.finditer(norm) if ", " in norm else ():
        name = _clean_name(m.group("name"))
        if (name and m.group("name") == name and not gaz.lookup(name.split()[0])
                and name.split()[-1].casefold() not in _INSTITUTION
                and not any(_TITLE_WORD.fullmatch(w) for w in name.split())
                and not any(t.lead <= m.start("name") < t.end for t in titled)):
            titled.append(Mention(m.start("name"), m.end("name"), gaz.person(name) or name,
                                  "person", "title", m.start("name")))
    for m in _KIN_NAMED.finditer(norm) if ", " in norm or "'s " in norm else ():
        # "her mother, Fiona, said", "Kylie Morrow's mother Elizabeth says": the relative,
        # by the given name and the family's surname when the possessor has one
        owner = m.group("owner")
        name = m.group("given") + (f" {owner.split()[-1]}" if owner and " " in owner else "")
        if not any(t.lead <= m.start("given") < t.end for t in titled) and (
                m.group("given").casefold() not in _NOT_NAME):
            titled.append(Mention(m.start("given"), m.end("given"), name, "person", "title",
                                  m.start("given")))
    corporate = _introduced_orgs(norm, gaz, titled)
    titled.extend(i for i in _institutions(norm, gaz)
                  if not any(c.start < i.end and i.start < c.end for c in corporate))
    for start, end, name in _first_name_people(norm, gaz):
        if not any(t.lead <= start < t.end or start <= t.lead < end for t in titled):
            titled.append(Mention(start, end, name, "person", "title", start))
    for m in _NAME_SAID.finditer(norm):
        lone, at = m.group("name"), m.start()
        while " " in lone and lone.split(None, 1)[0].casefold() in _LEADING_WORDS:
            lone = lone.split(None, 1)[1]  # "But Qantas maintains": the sentence's first word
            at = m.end("name") - len(lone)
        if " " not in lone:
            verb = m.group().rsplit(None, 1)[-1]
            org = _one_word_org(lone, gaz) if verb in _ORG_VERBS and (
                verb not in THAT_ONLY_VERBS or _THAT_FOLLOWS.match(norm, m.end())) else None
            if org and (prev := _PREV_CAPITAL.search(norm, max(0, at - 40), at)) \
                    and prev.group(1).casefold() not in _NOT_NAME:
                org = None  # "JAMA Psychiatry argued": the tail of a longer name, not a name
            if org and not any(t.lead <= at < t.end for t in titled):
                titled.append(Mention(at, at + len(org), org, "organization", "orgname", at))
            continue
        if (prev := _PREV_CAPITAL.search(norm, max(0, at - 40), at)) and _mid_name(prev.group(1)):
            continue  # "from Human Rights Watch said": not a person "Rights Watch"
        name = _clean_name(m.group("name"))
        words = m.group("name").split()
        if (name is None and words[-1].casefold().rstrip(".") in _COMPANY_WORDS
                and words[0].casefold() not in _NOT_NAME and not gaz.lookup(m.group("name"))
                and not any(t.lead <= m.start() < t.end or m.start() <= t.lead < m.end()
                            for t in titled)):  # "Dick Clark Productions denied"
            titled.append(Mention(m.start(), m.start() + len(m.group("name")), m.group("name"),
                                  "organization", "alias", m.start()))
            continue
        if (off := _name_at(m.group("name"), name)) is not None and not gaz.lookup(
                name.split()[0]):
            at = m.start() + off
            # "Energy Australia says", "Cricket Australia said": a body named for its
            # country or place, not a person
            kind = "organization" if any(
                gaz.actors[a.name].kind == "state" for a in gaz.lookup(name.split()[-1])
            ) and not gaz.lookup(name) and not _TITLE_HEAD_WORD.fullmatch(
                name.split()[0]) else "person"
            if not any(t.lead <= at < t.end or at <= t.lead < m.end() for t in titled) and (
                    kind == "organization" or not _TITLE_WORD.fullmatch(name.split()[0])):
                titled.append(Mention(at, at + len(name), gaz.person(name) or name,
                                      kind, "title" if kind == "person" else "orgname",
                                      m.start()))
    for m in gaz.pattern.finditer(norm) if gaz.pattern else ():
        surface = m.group()
        if not surface[0].isupper() and surface[0].isalpha():
            continue
        options = gaz.aliases.get(surface.casefold(), ())
        if not options:
            continue
        if surface.casefold() in gaz.acronym_keys and surface not in gaz.acronyms:
            continue  # "us" is not "US"
        if len(options) == 1:
            opt = options[0]
            actor = gaz.actors[opt.name]
            end, via = m.end(), opt.via
            if via == "short" and (first := _FIRST_BEFORE.search(norm, max(0, m.start() - 25),
                                                                 m.start())) and (
                    first.group(1) not in opt.name and first.group(1).casefold() not in _NOT_NAME
                    and first.group(1).casefold() not in _LEADING_WORDS
                    and not _TITLE_WORD.fullmatch(first.group(1))):
                # "Noam Cohen" is not the gazetteer's Eli Cohen: another person, named in full
                titled.append(Mention(first.start(1), m.end(), f"{first.group(1)} {surface}",
                                      "person", "title", first.start(1)))
                continue
            if via == "short" and (after := _SURNAME_AFTER.match(norm, m.end())) and (
                    after.group(1) not in opt.name and _first_name_gender(surface.split("-")[0])
                    and after.group(1).casefold() not in _NOT_NAME
                    and not _first_name_gender(after.group(1))):
                titled.append(Mention(m.start(), after.end(), f"{surface} {after.group(1)}",
                                      "person", "title", m.start()))
                continue
            if via == "short" and (h := _HONORIFIC_BEFORE.search(
                    norm, max(0, m.start() - 6), m.start())) and (
                    ("f" if h.group(1) != "Mr" else "m") != gaz.gender.get(opt.name, "m")):
                # "Mr Truss" is not the gazetteer's Liz Truss: someone known by a surname
                titled.append(Mention(m.start(), m.end(), surface, "person", "title",
                                      h.start()))
                continue
            if via == "demonym" and (inst := _STATE_BODY.match(norm, end)):
                end, via = inst.end(), "alias"  # "Turkish presidency", "Russian officials"
            found.append(Mention(m.start(), end, opt.name, actor.kind, via, m.start()))
        else:  # an ambiguous short form: resolved later against the article
            found.append(Mention(m.start(), m.end(), "|".join(a.name for a in options), "person",
                                 "short", m.start()))
    # titled people win over gazetteer matches inside their name; demonyms before titles drop
    keep: list[Mention] = sorted(titled, key=lambda x: x.start)
    for m in found:
        if any(t.lead < m.end and m.start < t.end for t in keep):
            continue
        if m.via == "demonym":
            # the demonym before a title belongs to the person ("Russian President X")
            owner = next((t for t in titled if t.lead >= m.end
                          and norm[m.end:t.lead] in (" ", "\n")), None)
            if owner is not None:
                owner.lead = m.start
                continue
        keep.append(m)
    keep.sort(key=lambda x: (x.start, -x.end))
    result: list[Mention] = []
    for m in keep:
        if result and m.start < result[-1].end:
            continue
        result.append(m)
    return result


#: "Sir"/"Dame" right before a full name: the person is then called by the given name.
_KNIGHTED = re.compile(r"(?<![\w'])(Sir|Dame)\s+$")
_HONORIFIC_BEFORE = re.compile(r"(?<![\w'])(Mr|Mrs|Ms|Miss)\.? $")
_FIRST_BEFORE = re.compile(r"(?<![\w'’.-])([A-Z][a-z]{2,}) $")
#: A surname right after a gazetteer short form that is also a given name ("Austin
#: Mitchell", "Jean-Pierre Raffarin"): someone else, named in full.
_SURNAME_AFTER = re.compile(r" ((?:Mc|Mac)?[A-Z][a-zà-ÿ]{2,}(?:-[A-Z][a-zà-ÿ]+)?)(?![\w'’-])")
def _mid_name(word: str) -> bool:
    """A capitalised word right before a name that makes the name the tail of a longer one
    (not a title, honorific, sentence opener or abbreviation)."""
    low = word.casefold()
    return not (word.endswith(".") or _is_title(word) or low in _NOT_NAME
                or low in _LEADING_WORDS or low in _HONORIFICS)


_PREV_CAPITAL = re.compile(r"(?<![\w'-])([A-Z][\w&.-]*)\s+$")
#: Capitalised words before a speech verb that are not an organisation's name.
_NOT_ORG = frozenset(
    """both many others some few most all everyone nobody someone one police officials
    critics experts analysts sources residents witnesses authorities prosecutors doctors
    lawyers investigators scientists researchers observers diplomats reporters spokesman
    spokeswoman spokesperson president minister leader officer official""".split()
)


_ORG_VERBS = frozenset("""said says told wrote pledged announced stated confirmed tweeted posted
    warned denied insisted argued added claimed responded replied vowed promised reported
    reports advises advised explained noted concluded recommends recommended estimated
    estimates projected projects found finds maintains maintained claims confirms reveals
    revealed admits admitted conceded concedes predicts predicted warns insists""".split())


def _one_word_org(word: str, gaz: Gazetteer) -> str | None:
    """"Twitter pledged": a lone capitalised name before a speech verb, not a person's.

    Skips function words, plural nouns ("Officials said"), title words, first names
    and anything the gazetteer knows (its own mentions cover those).
    """
    key = word.casefold()
    if (len(word) < 3 or not word[1:].islower() and not word.isupper() or key in _NOT_NAME
            or key in _NOT_ORG or key.endswith("s") and not key.endswith(("as", "us", "os"))
            or _TITLE_WORD.fullmatch(word)  # "Officials said"; "Qantas", "Airbus" are names
            or key in _HONORIFICS or _first_name_gender(word) or gaz.lookup(word)):
        return None
    return word


def _role_keys(title: str, description: bool = False) -> frozenset[str]:
    """Role words of a title: "Wikileaks co-founder" -> {founder}; "premier" and
    "Prime Minister" -> {prime minister}. A minister's portfolio narrows the role:
    "Interior Minister X" -> {minister, interior minister}; the description "Austria's
    interior minister" -> {interior minister} (not a "Deputy Foreign Minister")."""
    words = _ROLE_WORD.findall(title.casefold())
    keys = set()
    for i, w in enumerate(words):
        w = _ROLE_SYNONYMS.get(w, w)
        if w == "minister" and i and words[i - 1] == "prime":
            w = "prime minister"
        elif w == "minister" and i and words[i - 1] in _PORTFOLIOS:
            keys.add(f"{words[i - 1]} minister")
            if description:
                continue
        if w in _ROLE_HEADS:
            keys.add(w)
        elif "-" in w and _is_title(w):
            keys.add(w)  # "the Governor-General", "Attorney-General Daryl Williams"
    return frozenset(keys)


_PORTFOLIOS = frozenset("interior foreign defense defence finance health justice education "
                        "trade economy home".split())


_ROLE_WORD = re.compile(r"[a-z][a-z.-]*")
_ROLE_SYNONYMS = {"premier": "prime minister", "co-founder": "founder",
                  "spokeswoman": "spokesman", "spokesperson": "spokesman",
                  "chairwoman": "chairman", "chair": "chairman", "advisor": "adviser"}
_ROLE_HEADS = frozenset(
    {_ROLE_SYNONYMS.get(w, w) for w in (x.replace("_", " ") for x in _TITLE_HEAD_WORDS)}
    | {"prime minister"}
) - frozenset("official member partner head general chief col col. lt lt. sen. rep. "
              "officer counterpart".split())
#: "the Wikileaks founder", "the Jewish state's premier": a person named by a role.
_DESCRIPTION = re.compile(
    rf"(?<![\w'])(?:[Tt]he|[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)?'s)\s+(?:[\w'.-]+\s+){{0,3}}?"
    rf"(?:(?i:{_TITLE_HEADS})-)?(?i:{_TITLE_HEADS})(?![\w'-])"
    r"(?:\s+(?:to|at|in)\s+(?:the\s+)?[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?(?![\w'-]))?"
    r"(?!\s+(?:[A-Z]|of\s+[A-Z]))"
)


def _describe(raw: list[list[Mention]], norms: list[str],
              titled: Sequence[bool] | None = None) -> None:
    """Add people named by a description ("the Wikileaks founder") to ``raw``.

    The description resolves to the latest person introduced earlier in the article
    with a matching role (title or appositive), else the first one introduced after it
    (a lead sentence that names the person later); otherwise it is dropped.
    """
    roles = [(i, m.start, m.name, _role_keys(m.title), _qualified(m.title))
             for i, ms in enumerate(raw) for m in ms if m.title and m.kind == "person"]
    for i, ms in enumerate(raw):  # gazetteer people after a title: "President Trump"
        for m in ms:
            if m.kind == "person" and not m.title and m.via in ("alias", "short") and (
                    t := _TITLE_BEFORE.search(norms[i], max(0, m.lead - 60), m.lead)):
                roles.append((i, m.start, m.name, _role_keys(t.group("title")),
                              _qualified(t.group("title"))))
    roles = sorted(r for r in roles if r[3])
    if not roles:
        return
    for i, norm in enumerate(norms):
        if titled is not None and not titled[i]:
            continue  # a description's role word starts a title word (see _TITLE_START)
        added = []
        for d in _DESCRIPTION.finditer(norm):
            inside = [m for m in raw[i] if m.lead < d.end() and d.start() < m.end]
            if any(m.kind == "person" or m.end > d.end() for m in inside):
                continue
            keys = _role_keys(d.group(), description=True)
            if not keys or any(m.kind == "person" and (
                    _APPOSED.fullmatch(norm, m.end, d.start())
                    or _APPOSED.fullmatch(norm, d.end(), m.lead)) for m in raw[i]):
                continue  # "John Williams, the president of ...", "The Shadow Foreign Affairs
                # Minister, Kevin Rudd, has": his role, not another person
            qualified = _qualified(d.group()) or _OF.match(norm, d.end()) is not None
            match = [r for r in roles if r[3] & keys]
            if not qualified and any(not r[4] for r in match):
                match = [r for r in match if not r[4]]  # "the president": not "X's president"
            before = [r for r in match if (r[0], r[1]) < (i, d.start())]
            chosen = before[-1] if before else next(iter(match), None)
            if chosen is not None:
                added.append(Mention(d.start(), d.end(), chosen[2], "person", "role", d.start()))
                raw[i] = [m for m in raw[i] if m not in inside]
        if added:
            raw[i] = sorted(raw[i] + added, key=lambda x: x.start)


_TITLE_BEFORE = re.compile(rf"(?<![\w'])(?P<title>{TITLE})\s+$")
#: "Dr. Joneigh Khaldun of the Michigan Department of ... says": the person speaks.
_PERSON_OF = re.compile(r",?\s+(?:of|from|at|with)\s+(?:the\s+)?(?:[A-Z][\w.-]*'s\s+)?")
_APPOSED = re.compile(r"(?:,?\s+(?:Jr|Sr)\.?)?,\s+")
_OF = re.compile(r"\s+of\s")
_QUALIFIER = re.compile(r"\b(?:of|for|at|to)\s|'s\s")


def _qualified(title: str) -> bool:
    """A role tied to an organisation or place ("president of the Fed", "PG&E's CEO")."""
    return _QUALIFIER.search(title) is not None


#: Group nouns that speak for an organisation ("the doctors said", "the agency said",
#: "a spokesperson for X said", "Hong Kong police said"); see ``_groups``.
_GROUP_NOUNS = {
    "doctors": ("Doctor", "Physician", "Medical"), "physicians": ("Physician", "Doctor", "Medical"),
    "nurses": ("Nurse",), "police": ("Police",), "spokesperson": (), "spokesman": (),
    "spokeswoman": (), "agency": ("Agency",), "company": (), "utility": (), "group": (),
    "organization": (), "organisation": (), "firm": (), "officials": (), "executives": (),
    "management": (), "paper": (), "newspaper": (), "sources": (), "ministers": (),
    "statement": (), "office": (),
}
#: Nouns that name the article's company: its main subject when it has one.
_COMPANY_NOUNS = frozenset({"company", "firm", "management"})
#: Last words of bodies that are not what "the company" / "the firm" refers to.
_NOT_COMPANY_END = frozenset("""association union council department ministry government
    agency commission committee police court university institute party federation league
    office authority service army forces parliament senate congress""".split())
_SPOKES_NOUNS = frozenset({"spokesman", "spokeswoman", "spokesperson"})
_OWNED_ONLY = frozenset({"officials", "executives", "sources", "ministers", "statement",
                         "office"})
# "PG&E officials", "Mitsubishi sources", "a statement from X", never bare
_GROUP_WORD = re.compile(r"(?<![\w'&.-])(?:" + _words_regex(_GROUP_NOUNS) + r")(?![\w'-])")
#: The same nouns capitalised as a sentence's first word, bare ("Police say ...",
#: "Doctors warned ..."): only those that speak without a determiner.
_GROUP_FIRST = re.compile(r"(?:^|(?<=[.!?]\s)|(?<=[.!?]\"\s))(?:Police|Doctors|Physicians|"
                          r"Nurses)(?![\w'-])")
#: What may follow the noun before its verb: "for X", a short relative clause.
_GROUP_TAIL = re.compile(
    r"(?:\s+(?:for|of|at|from|by)\s+(?:the\s+)?(?P<for>[A-Z][\w&.-]*(?:\s+(?:of\s+|and\s+)?"
    r"[A-Z][\w&.-]*){0,4}))?"
    r"(?:\s+(?:who|which|that)\s+[^,.;\"]{1,80}?(?=\s+(?:" + _VERB_RE + r")\b)"
    r"|,\s+(?:who|which)\s+[^,.;\"]{1,120},(?=\s+(?:[a-z]+ly\s+)?(?:" + _VERB_RE + r")\b))?"
)
_GROUP_APPOSED = re.compile(
    r",\s+(?P<name>[A-Z][\w&'.-]*(?:\s+(?:of\s+|and\s+|&\s+)?[A-Z][\w&'.-]*){0,4}),"
    r"(?=\s+(?:[a-z]+ly\s+)?(?:" + _VERB_RE + r")\b)")
#: What may precede it: a determiner ("the", "the city's") or an owner ("PG&E", "X's").
_GROUP_HEAD = re.compile(
    r"(?:(?<![\w'&.-])(?:[Tt]he|[Aa]n?|[Ii]ts|[Tt]heir)\s+(?:[a-z][\w-]*'s\s+)?"
    r"(?:(?!(?:and|or|of|for|to|in|on|at|by|with)\s)[a-z][\w-]*\s+)?"  # "the production company"
    r"|(?<![\w'&.-])(?P<owner>[A-Z][\w&.-]*(?:(?<![a-z]{3}\.)\s+[A-Z][\w&.-]*){0,3})(?:'s|')?\s+)$"
)
_OWNER_AT = re.compile(r"(?P<owner>.+?)\s+$")
_INVERTED_GROUP = re.compile(
    rf"[,\"]\s*(?:{'|'.join(sorted(INVERTING_VERBS))})\s+(?:(?:the|a|an)\s+)?$")
_ACRONYM = re.compile(r"(?<![\w&.'-])[A-Z][A-Z0-9&]{2,5}(?![\w&'-])")
_ACRONYM_SAID = re.compile(
    r"(?<![\w&.'-])(?P<acr>[A-Z][A-Z0-9&]{2,5})(?:\s+(?:also|later|has|had))?\s+(?:"
    + _words_regex(_ORG_VERBS) + r")\b"
)
_ACRONYM_DEF = re.compile(
    r"(?<![\w&.-])(?P<long>[A-Z][\w&.-]*(?:\s+(?:(?:and|for|of|the|&)\s+)?[A-Z][\w&.-]*){1,6}),?"
    r"\s+\(?(?P<acr>[A-Z][A-Z0-9&]{2,5})\)?(?![\w&])"
)
_NOT_ACRONYM = frozenset("""CEO CFO COO CTO GDP TV AM PM OK ICU DNA HIV AIDS COVID MP VIP
    USD EUR GBP GMT EST PST ET PT UTC LGBT LGBTQ ID IQ IPO AI PC SUV CCTV RIP FAQ II III IV VI
    VII VIII IX XI XII NB PS CBD""".split())


#: Words that open a sentence before "officials"/"police" as adjectives, not owners.
_COMMON_OWNERS = frozenset("""senior top local fire team military security health rescue
    emergency hospital federal state airline airport court prison election party other some
    many several two three four club league union bank church school city council border
    customs defence defense intelligence foreign western regional provincial county tribal
    army navy government company""".split())


def _common_word_first(owner: str, norms: list[str], norm: str, start: int) -> bool:
    """"Senior officials said", "Fire officials say" at a sentence's start: a capitalised
    common word (listed, or written in lower case elsewhere in the article), not an owner."""
    if " " in owner or norm[:start].rstrip()[-1:] not in ("", ".", "!", "?", '"'):
        return False
    low = owner.casefold()
    return low in _COMMON_OWNERS or any(
        re.search(rf"(?<![\w'-]){re.escape(low)}(?![\w'-])", n) for n in norms)


def _groups(raw: list[list[Mention]], norms: list[str], gaz: Gazetteer) -> None:
    """Organisations that speak through a group noun, added to ``raw``.

    "PG&E officials said", "Hong Kong police said" -> the owner ("<X> Police" for
    police); "a spokesperson for X said" -> X; a bare "the agency/company/group said",
    "the spokesperson said" -> the latest organisation named before it in the article
    (else the first after); "the doctors/physicians said", "police said" -> the
    organisation in the article whose name has that word ("Doctors for Camp
    Closure", "Hong Kong Police"). Unknown acronyms count as organisations
    ("CBP announced", "Doctors for Camp Closure, D4CC"); an acronym defined next to
    its long form takes that name. Only nouns followed by a speech verb are added;
    institution anaphors the stems could not resolve ("the agency") fall back the same way.
    """
    pending = [(i, m) for i, ms in enumerate(raw) for m in ms if m.name.startswith("?=")]
    speaking_acr = [(i, a) for i, norm in enumerate(norms)
                    for a in _anchored(_ACRONYM_SAID, norm, _acronym_starts(norm))
                    if a.group("acr") not in _NOT_ACRONYM and not gaz.lookup(a.group("acr"))
                    and (a.group().rsplit(None, 1)[-1] not in THAT_ONLY_VERBS
                         or _THAT_FOLLOWS.match(norm, a.end()))]
    groups: list[tuple[int, int, int, str, str | None, str | None]] = []
    spokesmen: list[tuple[int, int, int, str, str]] = []  # named by apposition: they speak
    police: list[tuple[int, int, str]] = []  # "<X> police" anywhere: names for bare "police"
    for i, norm in enumerate(norms):
        for g in heapq.merge(_GROUP_WORD.finditer(norm), _GROUP_FIRST.finditer(norm),
                             key=lambda x: x.start()):
            noun = g.group().casefold()
            tail = _GROUP_TAIL.match(norm, g.end())
            end = tail.end() if tail else g.end()
            apposed = None  # "The company, Yallourn Energy, believes": the name given
            if end == g.end() and (ap := _GROUP_APPOSED.match(norm, end)):
                apposed, end = ap.group("name"), ap.end()
            speaks = bool(_SUBJECT_VERB.match(norm, end) or _COLON.match(norm, end))
            head = None if g.group()[0].isupper() else _GROUP_HEAD.search(
                norm, max(0, g.start() - 60), g.start())  # bare "Police say": no owner
            if head is None and not g.group()[0].isupper() and (body := next(
                    (m for m in raw[i] if m.kind != "person" and m.end + 1 == g.start()
                     and norm[m.end] == " "), None)):
                head = _OWNER_AT.match(norm, body.lead, g.start())  # "Trump administration
                # officials said": the body the article already named
            if not speaks and _INVERTED_GROUP.search(  # '"...," said a WeWork spokesperson'
                    norm, max(0, (head.start() if head else g.start()) - 30),
                    head.start() if head else g.start()):
                speaks = True
            if not speaks and noun != "police":
                continue
            owner = head.group("owner") if head else None
            start = head.start() if head else g.start()
            if owner and owner.split()[0] in _QUANTIFIERS:
                owner = owner.split(None, 1)[1] if " " in owner else None  # "Several Israeli
                # Government ministers"
            who = (tail.group("for") if tail else None) or apposed
            if apposed and noun in _SPOKES_NOUNS:  # "Mr Ali's spokesman, Amin, told": Amin
                if speaks and not any(m.kind == "person" and start <= m.start < end
                                      for m in raw[i]):  # (a full name speaks for itself)
                    spokesmen.append((i, start, end, apposed, "person"))
                continue
            if owner and (owner.split()[0].casefold() in _NOT_NAME or owner.endswith(".")
                          or owner.casefold() in _GROUP_NOUNS
                          or _common_word_first(owner, norms, norm, head.start("owner"))):
                owner = None  # "Company management said": the company, not "Company"
            if noun == "police" and owner:
                police.append((i, head.start(), f"{owner} Police"))
            if speaks:
                groups.append((i, start, end, noun, owner, who))
    if not groups and not pending and not speaking_acr and not spokesmen:
        return
    long_forms: dict[str, str] = {}
    defs: list[tuple[int, re.Match[str]]] = []  # "Long Name, ACR" / "Long Name (ACR)"
    for i, norm in enumerate(norms):
        # the costly long-form scan only before an acronym
        for a in _anchored(_ACRONYM, norm, _acronym_starts(norm)):
            if norm[max(0, a.start() - 2):a.start()] in (", ", " (") and (
                    d := _ACRONYM_DEF.search(norm, max(0, a.start() - 120), a.end() + 1)):
                defs.append((i, d))
                if d.group("acr")[0] == d.group("long")[0] and d.group("acr") not in _NOT_ACRONYM:
                    long_forms.setdefault(d.group("acr"), d.group("long"))
    found: list[tuple[int, int, int, str, str]] = spokesmen  # passage, start, end, name, kind
    for i, a in speaking_acr:
        found.append((i, a.start(), a.end("acr"), long_forms.get(a.group("acr"), a.group("acr")),
                      "organization"))
    orgs: list[tuple[int, int, str]] | None = None
    main_subject: list | None = None  # computed once, when a company noun needs it

    def article_orgs() -> list[tuple[int, int, str]]:
        """Organisations named in the article, in order: (passage, start, name)."""
        out = list(police)
        for i, (norm, ms) in enumerate(zip(norms, raw, strict=True)):
            for m in ms:
                if (m.kind == "organization" and not m.name.startswith("?")
                        and m.name not in gaz.media):
                    out.append((i, m.start, m.name))
            for a in _anchored(_ACRONYM, norm, _acronym_starts(norm)):
                acr = a.group()
                if acr not in _NOT_ACRONYM and not gaz.lookup(acr) and not (
                        a.start() < 3 and _DATELINE.match(norm, a.start())):  # "OSLO, Aug. 20"
                    out.append((i, a.start(), long_forms.get(acr, acr)))
        for i, d in defs:
            if d.group("long") == long_forms.get(d.group("acr")):
                out.append((i, d.start(), d.group("long")))
        _initials(out, norms, long_forms)
        named = {(o[0], o[1]) for o in out}
        for i, norm in enumerate(norms):  # "Customs and Border Protection": a public body
            for start, body in _body_names(norm):  # (under its acronym's name if it has one)
                if (i, start) not in named and not any(m.lead <= start < m.end for m in raw[i]):
                    out.append((i, start, body))
        return out

    for i, start, end, noun, owner, who in groups:
        name = None
        known_owner = next((m for m in raw[i] if owner and m.kind != "person"
                            and m.lead <= start < m.end), None)
        if known_owner is not None and noun != "police":
            known_owner.end = end  # "Defense Ministry officials said": that mention speaks
            continue
        if who and not owner and (boss := next(
                (m for m in raw[i] if m.kind == "person"
                 and start <= m.start < end and m.end <= end), None)):
            # "a spokesman for Immigration Minister Philip Ruddock says": he speaks for him
            found.append((i, start, end, boss.name, "person"))
            continue
        if owner or who:
            surface = owner or who or ""
            person = next((m.name for m in raw[i] if m.kind == "person"
                           and m.start <= start < m.end), None) or gaz.person(surface)
            if noun == "office":  # "Smithers' office said": she speaks through it
                person = person or next((m.name for m in raw[i] if m.kind == "person" and (
                    start <= m.start < start + len(surface))), None)
                if person:
                    found.append((i, start, end, person, "person"))
                continue
            if person:
                continue  # "Putin's spokesman" is not Putin
            known = next((x.name for x in gaz.lookup(surface)
                          if gaz.actors[x.name].kind != "person"), None)
            # "a spokesperson for the Defense Ministry": the body as already read (resolved
            # against the article like any bare body name)
            inner = next((m.name for m in raw[i] if who and not owner and m.kind != "person"
                          and m.start <= norms[i].find(who, start) < m.end), None)
            name = (f"{surface} Police" if noun == "police"
                    else inner or known or long_forms.get(surface, surface))
        elif noun in _OWNED_ONLY:
            continue
        else:
            orgs = orgs if orgs is not None else article_orgs()
            name = _latest_org([o for o in orgs if o[2].rsplit(None, 1)[-1].casefold()
                                not in _NOT_COMPANY_END] if noun in _COMPANY_NOUNS else orgs,
                               i, start, _GROUP_NOUNS[noun])
            if name is None and noun == "police":
                name = "Police"  # no force named in the article: the police as such
            if noun in _COMPANY_NOUNS:
                if main_subject is None:
                    main_subject = [_main_subject(raw, norms, gaz)]
                main = main_subject[0]
                if main and main[0] < (i, start):
                    name = main[1]
                elif noun == "management":
                    name = None  # "management" of an unknown company: nobody
        if name:
            found.append((i, start, end, name, "organization"))
    unresolved = [(i, m.start, m.name) for i, ms in enumerate(raw) for m in ms
                  if m.kind == "organization" and m.name.startswith("?")]
    for i, m in pending:  # "the agency" with no Agency before it: the latest organisation
        stems = _ANAPHORS[m.name[2:]]
        orgs = orgs if orgs is not None else article_orgs()
        if not any(any(s in o[2] for s in stems) for o in orgs + unresolved
                   if (o[0], o[1]) < (i, m.start)):
            before = [o for o in orgs if (o[0], o[1]) < (i, m.start)]
            if before:
                found.append((i, m.start, m.end, max(before)[2], "organization"))
    for i, start, end, name, kind in found:
        raw[i] = [m for m in raw[i] if not (m.lead < end and start < m.end)]
        raw[i].append(Mention(start, end, name, kind, "alias" if kind != "person" else "role",
                              start))
        raw[i].sort(key=lambda x: x.start)


#: A public body's name joined by a connector, ending in a domain word ("Customs and
#: Border Protection", "Office of Emergency Services"): an organisation for group nouns.
_BODY_END = re.compile(_DOMAIN_RE + r"(?![\w'-])")
_BODY_HEAD = re.compile(
    r"(?<![\w'&.-])(?!The\s)[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,2}\s+(?:and|of|for)\s+(?:the\s+)?"
    r"(?:[A-Z][a-z]+\s+){0,3}$")


def _body_names(norm: str) -> Iterable[tuple[int, str]]:
    """Public bodies' connector names in a passage (domain word first: fast)."""
    for e in _BODY_END.finditer(norm):
        if (h := _BODY_HEAD.search(norm, max(0, e.start() - 80), e.start())):
            yield h.start(), norm[h.start():e.end()]
_CAP_RUN = re.compile(r"(?<![\w'&.-])[A-Z][\w&-]*(?:\s+[A-Z][\w&-]*){0,2}(?![\w&-])")
_AFTER_SENTENCE = re.compile(r"(?:^|[.!?:;\"(—–-])\s*$")
#: A company's context around its name: "shares of X", "giant X", "X Inc", "X's stock",
#: "X (ticker: HD)", "X CEO".
_COMPANY_BEFORE = re.compile(
    r"(?i:shares\s+of|giant|company|firm|maker|retailer|provider|carrier|startup|start-up|"
    r"rival|competitor|subsidiary)\s+$")
_COMPANY_AFTER = re.compile(
    r"(?:'s)?\s+(?:Inc|Corp|Co|Ltd|LLC|PLC|plc|AG|SA|\(ticker|\((?:NYSE|NASDAQ|Nasdaq)|"
    r"shares|stock|CEO|CFO|chief\s+executive|executives|employees|investors|earnings|"
    r"revenue|sales|profits?|founder|co-founder|board)\b")


def _main_subject(raw: list[list[Mention]], norms: list[str],
                  gaz: Gazetteer) -> tuple[tuple[int, int], str] | None:
    """The article's main subject among names nobody resolved ("WeWork", "Home Depot"):
    a capitalised name (or a part of a longer run: "One Home Depot strategy"), not a
    person, a gazetteer actor or inside a mention, named at least three times, once at
    least inside a sentence, once at least in a company's context ("giant Home Depot",
    "WeWork's employees"), and more often than any name not part of it (the longest of
    equally frequent nested names wins); its first position and name. What "the company"
    and "company management" mean when the article is about one company."""
    counts: dict[str, list] = {}
    surnames = {w for ms in raw for m in ms if m.kind == "person" for w in m.name.split()}
    for i, norm in enumerate(norms):
        for r in _CAP_RUN.finditer(norm):
            if any(m.lead <= r.start() < m.end or r.start() <= m.lead < r.end() for m in raw[i]):
                continue
            words = r.group().removesuffix("'s").split()
            inside = not _AFTER_SENTENCE.search(norm, max(0, r.start() - 3), r.start())
            for j in range(len(words)):
                for k in range(j + 1, len(words) + 1):
                    part = words[j:k]
                    if any(w.casefold() in _NOT_NAME or w in surnames for w in part):
                        continue
                    c = counts.setdefault(" ".join(part), [(i, r.start()), 0, False, False])
                    c[1] += 1
                    c[2] = c[2] or inside or j > 0
                    if not c[3] and k == len(words) and j == 0:
                        c[3] = bool(_COMPANY_BEFORE.search(norm, max(0, r.start() - 20),
                                                           r.start())
                                    or _COMPANY_AFTER.match(norm, r.end()))
    ranked = sorted(((c[1], len(n.split()), n, c[0], c[3]) for n, c in counts.items()
                     if c[2] and c[1] >= 3), reverse=True)
    for count, _, name, first, company in ranked:
        if not company:
            return None  # the most named thing is not seen as a company
        if gaz.lookup(name) or gaz.lookup(name.split()[0]):
            return None  # the most named thing is known (a state, a person): no company
        rival = next((r for r in ranked if r[0] == count and r[2] != name
                      and r[2] not in name), None)
        return None if rival else (first, name)
    return None


_CONNECTOR = r"(?:\s+(?:and|of|for|the|&))*\s+"


def _initials(orgs: list[tuple[int, int, str]], norms: list[str],
              long_forms: dict[str, str]) -> None:
    """Add the long forms of the article's acronyms found by their initials
    ("Customs and Border Protection" for CBP) to ``orgs`` under the acronym's name."""
    acronyms = {o[2] for o in orgs if o[2].isalpha() and o[2].isupper() and o[2] not in long_forms}
    for acr in sorted(acronyms):
        pattern = _initials_regex(acr)
        for i, norm in enumerate(norms):
            for m in pattern.finditer(norm):
                orgs.append((i, m.start(), acr))


@lru_cache(maxsize=4096)
def _initials_regex(acr: str) -> re.Pattern[str]:
    # the first letter before the lookbehind (same matches): a literal start is searched fast
    first = rf"{acr[0]}(?<![\w-]{acr[0]})[a-z]+"
    return re.compile(_CONNECTOR.join([first] + [rf"{c}[a-z]+" for c in acr[1:]]) + r"(?![\w-])")


def _latest_org(orgs: list[tuple[int, int, str]], i: int, start: int,
                stems: tuple[str, ...]) -> str | None:
    """The latest organisation before (i, start) whose name has one of ``stems`` (any
    name if no stems), else the first such after it."""
    fits = [o for o in orgs if not stems or any(s in o[2] for s in stems)]
    before = [o for o in fits if (o[0], o[1]) < (i, start)]
    if before:
        return max(before)[2]
    return min(fits)[2] if fits else None


def _orgname_surnames(raw: list[list[Mention]], norms: list[str]) -> None:
    """A lone word before a speech verb ("Bornstein wrote") that ends a full name
    elsewhere in the article ("Dr. Harold Bornstein") is that person, not an organisation."""
    words = {m.name for ms in raw for m in ms if m.via == "orgname"}
    if not words:
        return
    full: dict[str, str] = {}
    for ms in raw:  # any word of a person's full name: "Liu" -> "Liu Xiaoming" (family name first)
        for m in ms:
            if m.kind == "person" and m.via in ("title", "alias") and " " in m.name:
                for token in m.name.split():
                    if token in words:
                        full.setdefault(token, m.name)
    for w in words - set(full):
        pattern = _preceded_word_regex(w)
        for norm in norms:
            for m in pattern.finditer(norm) if w in norm else ():  # the word is literal
                name = _clean_name(m.group())
                if name and name.endswith(w):
                    full[w] = name
                    break
            if w in full:
                break
    for ms in raw:
        for i, m in enumerate(ms):
            if m.via == "orgname" and m.name in full:
                ms[i] = Mention(m.start, m.end, full[m.name], "person", "surname", m.lead)


@lru_cache(maxsize=4096)
def _preceded_word_regex(word: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w'-])((?:{_TOKEN}\s+){{1,3}}){re.escape(word)}(?![\w'-])")


def _resolve(
    mentions: list[Mention],
    norm: str,
    gaz: Gazetteer,
    in_article: set[str],
    surname_re: re.Pattern[str] | None,
    people: dict[str, str],
) -> list[Mention]:
    """Resolve ambiguous short forms and add surname mentions of titled people."""
    out: list[Mention] = []
    for m in mentions:
        if "|" in m.name:
            options = [n for n in m.name.split("|") if n in in_article]
            if len(options) != 1:
                continue
            m = Mention(m.start, m.end, options[0], "person", "short", m.lead)
        out.append(m)
    if surname_re is not None:
        taken = [(m.start, m.end) for m in out]
        for s in surname_re.finditer(norm):
            if not s.group()[0].isupper():
                continue
            if any(a < s.end() and s.start() < b for a, b in taken):
                continue
            out.append(Mention(s.start(), s.end(), people[s.group().casefold()], "person",
                               "surname", s.start()))
        out.sort(key=lambda x: x.start)
    return out


#: Common first names -> gender, for people the gazetteer does not know (found by title):
#: "he"/"she" then resolve to them only when the name agrees. Unknown names fit both.
_FIRST_NAMES = {
    g: frozenset(names.split()) for g, names in {
        "m": """james john robert michael william david richard joseph thomas charles daniel
        matthew anthony mark donald steven paul andrew joshua kevin brian george timothy
        ronald edward jason jeffrey ryan jacob gary nicholas eric jonathan stephen larry
        justin scott brandon benjamin samuel gregory alexander frank patrick raymond jack
        dennis jerry tyler aaron jose adam henry nathan douglas zachary peter kyle walter
        ethan jeremy harold keith christian roger noah gerald carl terry sean austin arthur
        lawrence jesse dylan bryan joe jordan billy bruce albert willie gabriel logan alan
        juan wayne roy ralph randy eugene vincent russell elijah louis bobby philip johnny
        boris vladimir dmitry sergei sergey mikhail ivan nikolai alexei igor yuri andrei
        mohammed muhammad ahmed ali hassan hussein omar mahmoud ibrahim khalid abdullah
        benjamin yair naftali isaac avi moshe yossi emmanuel francois jean pierre olaf
        recep xi kim tim kurt will dominic keir jeremy nick kristinn saeb ayman mike matt
        luiz jair narendra justin rishi prince king pope emperor duke sheikh emir adrian
        andy barry ben bernard bill bob brad brett calvin christopher clark colin craig curtis
        dale dan darren dave derek don doug duncan eddie elliot evan felix fred gavin glenn
        graham greg hugh ian jake jared jeff jim jon julian karl ken kenneth leo liam luke
        marcus mario martin max mitch neil oliver phil rick rob rod ron ross simon stan steve
        stuart ted todd tom tony travis trevor victor warren wesley""",
        "f": """mary patricia jennifer linda elizabeth barbara susan jessica sarah karen lisa
        nancy betty margaret sandra ashley kimberly emily donna michelle carol amanda dorothy
        melissa deborah stephanie rebecca sharon laura cynthia kathleen amy angela shirley
        anna brenda pamela emma nicole helen samantha katherine christine debra rachel
        carolyn janet catherine maria heather diane ruth julie olivia joyce virginia victoria
        kelly lauren christina joan evelyn judith megan andrea cheryl hannah jacqueline
        martha gloria teresa ann sara madison frances kathryn janice jean abigail alice
        judy sophia grace denise amber doris marilyn danielle beverly isabella theresa diana
        natalie brittany charlotte marie kayla alexis lori ilhan nancy kamala hillary
        ursula angela theresa marine giorgia liz sonya eva caroline golda tzipi maria
        svetlana valentina olga irina natalia yulia tatiana elena princess queen empress
        duchess sheikha jane ellen claire clara lucy rose ella chloe zoe mia ava leah jenna
        kate katie molly natasha nina paula rita rosa sofia sonia tina vanessa wendy yvonne
        beth erin jill kristen kristin lindsay meghan melanie monica priya sally tracy allison
        alison holly jenny""",
    }.items()
}


def _load_first_names() -> tuple[dict[str, frozenset[str]], frozenset[str]]:
    """The shipped list of given names (``data/first_names.json``) merged over the built-in
    ones: by gender, and the names either gender bears ("Pat", "Chris")."""
    data = json.loads(resources.files("searchsvc").joinpath("data/first_names.json")
                      .read_text(encoding="utf-8"))
    gendered = {g: names | frozenset(data.get(g, ())) for g, names in _FIRST_NAMES.items()}
    return gendered, frozenset(data.get("u", ()))


_FIRST_NAMES, _EITHER_FIRST_NAMES = _load_first_names()
#: "Jane Roe has lived there for years": a full name led by a common first name is a person's
#: (so "she said" and a later "Roe said" resolve to her). First names that also lead place or
#: team names are left out, and the last word must not be a place or an institution.
_PLACE_FIRST_NAMES = frozenset("virginia madison jordan austin charlotte victoria lawrence "
                               "prince king pope emperor duke sheikh emir princess queen "
                               "empress duchess sheikha".split())
_PERSON_FIRST_NAMES = frozenset(n for names in (*_FIRST_NAMES.values(), _EITHER_FIRST_NAMES)
                                for n in names if n not in _PLACE_FIRST_NAMES)
#: a capitalised word before another: the only places a first-name-led name can start
_CAPITAL_PAIR = re.compile(r"(?<![\w'’.-])([A-Z][a-z]+)(?=\s+[A-Z])")
_FIRST_NAME_PERSON = re.compile(rf"(?P<name>{_TOKEN}(?:\s+{_TOKEN}){{1,2}})(?![\w'’&-])")
_NOT_SURNAME = frozenset("""street river beach station church hall bridge road avenue lake
    mountain island airport stadium museum library prize award awards cup trophy act day park
    college square valley garden gardens hotel tower bay coast""".split())


def _first_name_people(norm: str, gaz: Gazetteer) -> Iterable[tuple[int, int, str]]:
    """(start, end, name) of full names led by a known first name, not in the gazetteer."""
    for m in _anchored(_FIRST_NAME_PERSON, norm, [
            c.start() for c in _CAPITAL_PAIR.finditer(norm)
            if c.group(1).lower() in _PERSON_FIRST_NAMES]):
        name = _clean_name(m.group("name"))
        if (name is None or not m.group("name").startswith(name)
                or name.split()[-1].casefold() in _NOT_SURNAME or gaz.lookup(name)
                or any(a.via != "short" for a in gaz.lookup(name.split()[-1]))):
            continue
        yield m.start(), m.start() + len(name), name


def _first_name_gender(name: str) -> str | None:
    first = name.split()[0].casefold() if name.split() else ""
    for g, names in _FIRST_NAMES.items():
        if first in names:
            return g
    return None


def _document_key(noun: str) -> str:
    noun = noun.casefold()
    return "email" if "mail" in noun else "release" if "release" in noun else noun


class _Discourse:
    """Article-level state for pronouns: the latest person / organisation subject."""

    def __init__(self, gaz: Gazetteer) -> None:
        self.gaz = gaz
        self.last: dict[str, str | None] = {"m": None, "f": None, "org": None}
        #: the latest person merely mentioned: "he" before any subject ("..., he said")
        self.seen: dict[str, str | None] = {"m": None, "f": None, "org": None}
        self.kinds: dict[str, str] = {}  # kinds of actors the gazetteer does not know
        #: who issued the latest statement/letter: the speaker of the latest attribution in
        #: a sentence naming a document ("issued a statement", "said in a statement")
        self.issuers: dict[str, str] = {}  # document noun -> its latest issuer
        self.open_quote = False  # the latest passage ended inside a quote left open

    def _note(self, name: str, kind: str) -> None:
        self.kinds[name] = kind
        if kind == "person":
            g = self.gaz.gender.get(name) or _first_name_gender(name)
            if g in ("m", "f"):
                self.last[g] = name
            else:  # unknown gender: plausible for either pronoun
                self.last["m"] = self.last["f"] = name
        else:
            self.last["org"] = name

    def _pronoun(self, word: str) -> str | None:
        g = {"he": "m", "she": "f", "it": "org"}[word.lower()]
        return self.last[g] or self.seen[g]

    def _saw(self, name: str) -> None:
        g = self.gaz.gender.get(name) or _first_name_gender(name)
        for key in (g,) if g in ("m", "f") else ("m", "f"):
            self.seen[key] = name

    def _research(self, norm: str, inside: list[Mention], s_start: int, s_end: int,
                  attributions: list[Attribution]) -> None:
        """"The study by X shows ...", "X released its report. The report says ...": a
        report, study or article speaks for its named maker (never for a guessed one)."""
        for d in _RESEARCH.finditer(norm, s_start, s_end):
            v = SPEECH_VERB_RE.search(norm, d.end(), min(s_end, d.end() + 140))
            if v is None or not _RESEARCH_TAIL.fullmatch(norm, d.end(), v.start()):
                continue
            end = d.end()
            by = _RESEARCH_BY.match(norm, d.end(), v.start())
            maker = next((m for m in inside if (by and m.lead == by.end())
                          or d.start("mod") <= m.start < d.start("p")), None)
            name = (maker.name if maker and maker.kind in ("organization", "person", "state")
                    else None if norm[d.start()] in "aA"  # "a report": not the one issued
                    else self.issuers.get("research"))
            if name is None or (v.group() in THAT_ONLY_VERBS
                                and not _CLAUSE_OPENS.match(norm, v.end())):
                continue
            attributions.append(Attribution(name, v.group(), v.start(), v.end(), d.start(),
                                            end, "subject"))

    def _issued(self, norm: str, inside: list[Mention]) -> None:
        for m in inside:
            if m.kind in ("organization", "person", "state") and _ISSUED.match(norm, m.end):
                self.issuers["research"] = m.name

    def _document(self, norm: str, m: Mention, s_start: int, s_end: int,
                  attributions: list[Attribution]) -> None:
        """"the statement continued" -> whoever issued the latest statement (else the latest
        organisation subject): a document speaks for its issuer."""
        name = self.issuers.get(_document_key(m.name)) or self.last["org"]
        if name is None:
            return
        v = _DOCUMENT_VERB.match(norm, m.end, s_end)
        if v and not _PASSIVE_GAP.search(norm, m.end, v.start("verb")):
            attributions.append(Attribution(name, v.group("verb"), v.start("verb"),
                                            v.end("verb"), m.lead, m.end, "subject"))
            return
        inv = _DOCUMENT_INVERTED.search(norm, max(s_start, m.lead - 30), m.lead)
        if inv:
            attributions.append(Attribution(name, inv.group("verb"), inv.start("verb"),
                                            inv.end("verb"), m.lead, m.end, "inverted"))

    @staticmethod
    def _subject_speech(norm: str, subjects: list[tuple[Mention, str]], s_end: int,
                        quoted: list[tuple[int, int]], attributions: list[Attribution]) -> None:
        """The leading subject of a sentence with no attribution of its own says what its
        coordinated speech verb or participle says: "Rep. X visited the border and argued
        that ...", "Browns DL X decided to weigh in ..., saying that ..."; after ", and Y
        ..." the coordinated clause's subject Y does."""
        for (m, name), nxt in zip(subjects, [*subjects[1:], None], strict=True):
            end = nxt[0].lead if nxt else s_end
            if _Discourse._speech_after(norm, m, name, end, quoted, attributions):
                return

    @staticmethod
    def _speech_after(norm: str, m: Mention, name: str, s_end: int,
                      quoted: list[tuple[int, int]], attributions: list[Attribution]) -> bool:
        for c in _SUBJECT_SPEECH.finditer(norm, m.end, s_end):
            if any(a < c.start() < b for a, b in quoted):
                continue
            if c.group("and") and c.group("and") in _NOUNLIKE_VERBS and not _CLAUSE_OPENS.match(
                    norm, c.end("and")):
                continue
            if c.group("and") in THAT_ONLY_VERBS and not _THAT_FOLLOWS.match(norm, c.end("and")):
                continue
            verb = c.group("and") or c.group("ing") or c.group("ing2")
            start = c.start("and") if c.group("and") else (
                c.start("ing") if c.group("ing") else c.start("ing2"))
            attributions.append(Attribution(name, verb, start, start + len(verb), m.start,
                                            m.end, "subject"))
            return True
        return False

    def attribute(self, text: str, norm: str, mentions: list[Mention]) -> PassageAnalysis:
        attributions: list[Attribution] = []
        subjects: dict[tuple[int, int], str] = {}
        spans = sentences(norm)
        quoted = quote_spans(norm, self.open_quote)
        self.open_quote = bool(quoted) and quoted[-1][1] == len(norm) and (
            norm[-1] != '"' or quoted[-1][1] - quoted[-1][0] == 1)
        starts = [m.start for m in mentions]
        ordered = all(a <= b for a, b in zip(starts, starts[1:], strict=False))
        research = any(w in norm for w in _RESEARCH_GATE)  # once per passage
        for s_start, s_end in spans:
            if ordered:  # the same mentions, in the same order, found by bisection
                inside = mentions[bisect_left(starts, s_start):bisect_left(starts, s_end)]
            else:
                inside = [m for m in mentions if s_start <= m.start < s_end]
            pronouns = [
                Mention(p.start(), p.end(), p.group("p"), "pronoun", "pronoun", p.start())
                for p in _PRONOUN.finditer(norm, s_start, s_end)
            ]
            if pronouns and inside:  # "He Jianxiong": a name, not the pronoun
                pronouns = [p for p in pronouns
                            if not any(m.lead <= p.start < m.end for m in inside)]
            documents = [
                Mention(d.start("p"), d.end("p"), d.group("p"), "document", "pronoun", d.start())
                for d in _DOCUMENT.finditer(norm, s_start, s_end)
            ] if ("statement" in norm or "letter" in norm or "release" in norm
                  or "mail" in norm or "memo" in norm or "filing" in norm) else []
            before_count = len(attributions)
            if research:
                self._issued(norm, inside)
                self._research(norm, inside, s_start, s_end, attributions)
            items = sorted(
                (m for m in inside + pronouns + documents
                 if not any(a < m.start < b for a, b in quoted)),
                key=lambda x: x.start,
            )
            first = True
            subject: tuple[Mention, str] | None = None  # the sentence's subject, if it leads
            clauses: list[tuple[Mention, str]] = []  # subjects of later coordinated clauses
            conjuncts: list[Mention] = []
            for m in items:
                name, kind = m.name, m.kind
                if kind == "document":
                    self._document(norm, m, s_start, s_end, attributions)
                    continue
                if kind == "pronoun":
                    name = self._pronoun(m.name)
                    if name is None:
                        continue
                    kind = (self.gaz.actors[name].kind if name in self.gaz.actors
                            else self.kinds.get(name, "person"))
                is_subject = False
                v = None if _PREPOSITION_BEFORE.search(norm, max(0, m.lead - 6), m.lead) or (
                    _KIN_OF.search(norm, max(0, m.lead - 40), m.lead)) else (
                    _SUBJECT_VERB.match(norm, m.end, s_end))  # "residency in Australia claims"
                if v is None and not _PREPOSITION_BEFORE.search(
                        norm, max(0, m.lead - 6), m.lead):
                    v = _PROGRESSIVE.match(norm, m.end, s_end)  # "X is insisting that"
                progressive = v is not None and v.re is _PROGRESSIVE
                if v is None and kind == "organization" and norm[m.end:m.end + 2].startswith(
                        " ") and norm[m.end + 1:m.end + 2].isupper():
                    v = _ORG_TAIL_VERB.match(norm, m.end, s_end)  # "Bloomberg News reported"
                if v is None and norm[max(0, m.lead - 3):m.lead] == "by ":
                    v = _RELATIVE_VERB.match(norm, m.end, s_end)  # "proposed by X that called"
                if v is None and norm.startswith(",", m.end):
                    v = _WHICH_VERB.match(norm, m.end, s_end)
                if v is None and norm.startswith("'s ", m.end) and not _INTRO.fullmatch(
                        norm, s_start, m.lead):  # a subject's "X's claim that ... is" runs on
                    v = _SPEECH_NOUN.match(norm, m.end, s_end)  # "Trump's announcement that"
                if v is None and norm[max(0, m.lead - 7):m.lead] == "led by ":
                    v = _LED_BY_VERB.match(norm, m.end, s_end)  # "a team led by X at Y found"
                if v and (c := _GAP_COMMA.search(norm, m.end, v.start("verb"))) and any(
                        n.lead == c.end() and n.kind == "person" and n.via != "role"
                    for n in inside):
                    v = None  # "to the president in May, Zippy Duvall, ..., said": Duvall
                if (v and v.group("verb") in _NOUNLIKE_VERBS and kind != "person"
                        and not _CLAUSE_OPENS.match(norm, v.end("verb"))
                        and norm[max(0, m.lead - 3):m.lead].lower() != "as "):  # "as X notes,"
                    v = None  # "U.S. states where", "Facebook comments show": plural nouns
                if v and v.group("verb") == "written" and not _WRITTEN_OPENS.match(
                        norm, v.end("verb")):
                    v = None  # "had written the letter": a noun object, no statement
                if v and v.group("verb") in THAT_ONLY_VERBS and (
                        not _THAT_FOLLOWS.match(norm, v.end("verb"))
                        or m.kind == "pronoun" and m.name.lower() == "it"):
                    v = None  # "It shows that ...": a finding, not an actor speaking
                if v and not progressive and _PASSIVE_GAP.search(norm, m.end, v.start("verb")):
                    v = None  # "the party was accused of ...": not the speaker
                if (v and v.group("verb").endswith("ing") and "," in norm[m.end:v.start("verb")]
                        and any(s_start <= a.verb_start < m.start for a in attributions)):
                    v = None  # "X said ... in Beijing, warning:": the participle is X's
                if v and any(a.verb_start == v.start("verb") and a.how == "subject"
                             and a.anchor_end < m.start
                             and _APPOSITION_START.match(norm, a.anchor_end)
                             and not _ACCORDING_BEFORE.search(norm, max(0, a.anchor_start - 60),
                                                              a.anchor_start)
                             for a in attributions[before_count:]):
                    v = None  # "X, a scientist at ... in Washington, D.C., said": X's verb
                if v and (head := next((n for n in reversed(inside) if n.kind == "person"
                                        and n.end <= m.lead and n is not m
                                        and _OPEN_RELATIVE.fullmatch(norm, n.end, m.lead)),
                                       None)) is not None:
                    m, name, kind = head, head.name, "person"  # "X, who replaced Y says"
                if v and kind == "organization" and (
                        owner := next((n for n in inside if n.kind == "person" and n.end < m.start
                                       and _PERSON_OF.fullmatch(norm, n.end, m.start)), None)):
                    m, name, kind = owner, owner.name, "person"  # "Dr. X of the Y Department says"
                if v and not (kind == "state" and m.via == "demonym"):
                    attributions.append(Attribution(name, v.group("verb"), v.start("verb"),
                                                    v.end("verb"), m.start, m.end, "subject"))
                    is_subject = True
                    for c in _AND_VERB.finditer(norm, v.end(), s_end):  # "... and said"
                        if any(a < c.start() < b for a, b in quoted):
                            continue
                        attributions.append(Attribution(name, c.group("verb"), c.start("verb"),
                                                        c.end("verb"), m.start, m.end,
                                                        "subject"))
                    chain: list[Mention] = []  # "Putin and Erdogan reiterated"
                    head = m
                    for prev in reversed(conjuncts):
                        if not _AND.fullmatch(norm, prev.end, head.lead):
                            break
                        chain.append(prev)
                        head = prev
                    if chain and _INTRO.fullmatch(norm, s_start, head.lead):
                        for prev in chain:
                            attributions.append(Attribution(prev.name, v.group("verb"),
                                                            v.start("verb"), v.end("verb"),
                                                            prev.start, prev.end, "subject"))
                elif ((c := _COLON.match(norm, m.end, s_end)) and m.via != "demonym"
                      and not _OBJECT_BEFORE.search(norm, max(0, m.lead - 8), m.lead)):
                    attributions.append(Attribution(name, ":", c.start(), c.end(), m.start,
                                                    m.end, "colon"))
                    is_subject = True
                elif m.kind != "pronoun" and m.via != "demonym":
                    before = norm[max(s_start, m.lead - 60):m.lead]
                    inv = _INVERTED.search(before)
                    if inv and (_CLAUSE_GOES_ON.match(norm, m.end)
                                or norm.startswith(("'s", "’s"), m.end)):
                        inv = None  # "said the US policy change paved ...": a clause subject
                        # ("says the Government's committee will ...": a possessor)
                    if inv and m.kind != "person" and any(
                            n.kind == "person" and n.via == "title"
                            and (0 < n.lead - m.end <= 2 or n.lead < m.end <= n.start)
                            for n in inside):
                        inv = None  # "said Pentagon spokeswoman X": X speaks, not the Pentagon
                    acc = _ACCORDING.search(norm, max(s_start, m.lead - 60), m.lead)
                    if inv:
                        key = "verb" if inv.group("verb") else "verb2"
                        vs = m.lead - len(before) + inv.start(key)
                        attributions.append(Attribution(name, inv.group(key), vs,
                                                        vs + len(inv.group(key)), m.start,
                                                        m.end, "inverted"))
                        is_subject = True
                    elif acc:
                        attributions.append(Attribution(name, "according to", acc.start(),
                                                        acc.start() + 12, m.start, m.end,
                                                        "according"))
                if (first and m.kind == "pronoun" and not is_subject
                        and _SUBORDINATE_START.match(norm, s_start, m.lead)):
                    pass  # "When he was 16, Azza was arrested": the main clause's subject leads
                elif first and not is_subject and _DATELINE.match(norm, m.start, s_end) and (
                        norm[m.start:m.end].isupper()):
                    pass  # "SEOUL, Aug. 20 (Yonhap) -- ...": a dateline, not the subject
                elif first and m.via != "demonym":
                    if is_subject or _INTRO.fullmatch(norm, s_start, m.lead):
                        subjects.setdefault((s_start, s_end), name)
                        if not is_subject and not norm.startswith("'", m.end):
                            subject = (m, name)
                        is_subject = True
                    elif _OWNER_INTRO.fullmatch(norm, s_start, m.lead):  # "Browns DL X ..."
                        subject = (m, name)
                    first = False
                elif (subject is not None and not is_subject and m.via != "demonym"
                      and _NEW_CLAUSE.search(norm, max(s_start, m.lead - 8), m.lead)):
                    # "Page grew animated, and Schmidt shut him down, saying, ...": a
                    # coordinated clause's own subject says what follows it
                    clauses.append((m, name))
                if is_subject:
                    self._note(name, kind)
                if m.kind != "pronoun":
                    conjuncts.append(m)
                    if m.kind == "person":
                        self._saw(m.name)
            if subject is not None and len(attributions) == before_count:
                self._subject_speech(norm, [subject, *clauses], s_end, quoted, attributions)
            if len(attributions) > before_count:
                fronted = _DOCUMENT_FRONTED.match(norm, s_start, s_end)
                if fronted:
                    self.issuers[_document_key(fronted.group("p"))] = attributions[
                        before_count].speaker
                for a in attributions[before_count:]:
                    if "statement" in a.verb:
                        self.issuers["statement"] = a.speaker
                    elif d := _DOCUMENT_AFTER_VERB.match(norm, a.verb_end, s_end):
                        self.issuers[_document_key(d.group("p"))] = a.speaker
        return PassageAnalysis(text, norm, mentions, attributions, spans, subjects, quoted)


# --------------------------------------------------------------------------- dates

_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan.": 1, "feb.": 2, "mar.": 3, "apr.": 4, "jun.": 6, "jul.": 7, "aug.": 8,
    "sep.": 9, "sept.": 9, "oct.": 10, "nov.": 11, "dec.": 12,
    "jan": 1, "feb": 2, "aug": 8, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MONTH_RE = "|".join(
    re.escape(m[0].upper() + m[1:]) for m in sorted(_MONTHS, key=len, reverse=True)
)
_MONTH_PREFIXES = tuple(sorted({m[:3].capitalize() for m in _MONTHS}))
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_DATE_RE = re.compile(
    rf"(?<![\w.])(?:(?P<m1>{_MONTH_RE})\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?(?!\d|:)"
    rf"(?:,?\s+(?P<y1>(?:19|20)\d\d)\b)?"
    rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>{_MONTH_RE})(?![\w])"
    rf"(?:,?\s+(?P<y2>(?:19|20)\d\d)\b)?"
    rf"|(?P<rel>(?P<mod>last|next|this|on|since|by|until|from|late|early)\s+)?"
    rf"(?P<wd>{'|'.join(_WEEKDAYS)})(?![\w])"
    rf"|(?P<yt>\byesterday\b))"
)


def _month_day(month: int, day: int, year: int | None, published: date | None) -> date | None:
    try:
        if year is not None:
            return date(year, month, day)
        if published is None:
            return None
        d = date(published.year, month, day)
        return d if d <= published else date(published.year - 1, month, day)
    except ValueError:
        return None


def find_dates(text: str, published: str | None) -> list[str]:
    """ISO dates mentioned in a text, in order of first mention, without duplicates."""
    out: dict[str, None] = {}
    if not ("day" in text and (any(wd in text for wd in _WEEKDAYS) or "yesterday" in text)
            or any(month in text for month in _MONTH_PREFIXES)):
        return []  # every date names a month, a weekday or "yesterday" (case-sensitive)
    pub = _parse_iso(published)
    for m in _DATE_RE.finditer(text):
        d: date | None = None
        if m.group("m1") or m.group("m2"):
            month = _MONTHS[(m.group("m1") or m.group("m2")).lower()]
            day = int(m.group("d1") or m.group("d2"))
            year = m.group("y1") or m.group("y2")
            d = _month_day(month, day, int(year) if year else None, pub)
        elif m.group("wd") and pub is not None:
            back = (pub.weekday() - _WEEKDAYS.index(m.group("wd"))) % 7
            mod = (m.group("mod") or "").lower()
            if mod == "next":
                d = pub + timedelta(days=(7 - back) % 7 or 7)
            else:
                d = pub - timedelta(days=back + (7 if mod == "last" and back == 0 else 0))
        elif m.group("yt") and pub is not None:
            d = pub - timedelta(days=1)
        if d is not None:
            out[d.isoformat()] = None
    return list(out)


def _parse_iso(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


# --------------------------------------------------------------------------- public API


def enrich_passages(
    texts: Sequence[str],
    *,
    published: str | None,
    gazetteer: Gazetteer,
    title: str | None = None,
    passage_ids: Sequence[str] | None = None,
) -> list[Enrichment]:
    """One Enrichment per passage text, in order, using the whole article as context.

    With ``passage_ids`` each Enrichment also carries the passage's quotes
    (offsets relative to its text), computed from the same article analysis so
    the pipeline analyses each article once.
    """
    if passage_ids is not None and len(passage_ids) != len(texts):
        raise ValueError("one passage id per text")
    quotes_from_analysis = None
    if passage_ids is not None:
        from .quotes import quotes_from_analysis  # quotes builds on this module
    out: list[Enrichment] = []
    for i, analysis in enumerate(analyze_article(texts, gazetteer=gazetteer, title=title)):
        actors: dict[Actor, None] = {}
        for m in analysis.mentions:
            actors[gazetteer.actors.get(m.name) or Actor(m.name, m.kind)] = None  # type: ignore[arg-type]
        speakers = list(dict.fromkeys(a.speaker for a in analysis.attributions))
        found = Enrichment(list(actors), speakers, find_dates(analysis.text, published))
        if quotes_from_analysis is not None and passage_ids is not None:
            found.quotes = quotes_from_analysis(passage_ids[i], analysis, gazetteer)
        out.append(found)
    return out
