"""Metadata inferred from article text when no better source has it.

Both functions are conservative: a wrong outlet or date is worse than none,
since the pipeline records them as facts (with ``inferred:`` provenance).

* ``infer_outlet``: the URL's domain against a table of outlets; failing that,
  phrases only an outlet writes about itself ("Newsweek reached out to ...",
  "The All Israel News Staff is ..."). A mere mention of an outlet is not a
  signature: "(Forbes)" after a related link or "told Reuters" in another
  outlet's story names someone else.
* ``infer_published``: a line that is only a date, or a "Published/Updated ..."
  line; a date inside a sentence of reporting is never taken.
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlsplit

# --- outlets -----------------------------------------------------------------------------

# Registered domain -> outlet name; subdomains match too (edition.cnn.com -> CNN).
OUTLET_DOMAINS: dict[str, str] = {
    "newsweek.com": "Newsweek",
    "forbes.com": "Forbes",
    "timesofisrael.com": "The Times of Israel",
    "allisrael.com": "All Israel News",
    "themoscowtimes.com": "The Moscow Times",
    "reuters.com": "Reuters",
    "apnews.com": "Associated Press",
    "ap.org": "Associated Press",
    "bbc.com": "BBC",
    "bbc.co.uk": "BBC",
    "nytimes.com": "The New York Times",
    "washingtonpost.com": "The Washington Post",
    "theguardian.com": "The Guardian",
    "guardian.co.uk": "The Guardian",
    "aljazeera.com": "Al Jazeera",
    "cnn.com": "CNN",
    "foxnews.com": "Fox News",
    "nbcnews.com": "NBC News",
    "cbsnews.com": "CBS News",
    "abcnews.go.com": "ABC News",
    "npr.org": "NPR",
    "wsj.com": "The Wall Street Journal",
    "bloomberg.com": "Bloomberg",
    "ft.com": "Financial Times",
    "economist.com": "The Economist",
    "politico.com": "Politico",
    "politico.eu": "Politico Europe",
    "axios.com": "Axios",
    "thehill.com": "The Hill",
    "usatoday.com": "USA Today",
    "latimes.com": "Los Angeles Times",
    "independent.co.uk": "The Independent",
    "telegraph.co.uk": "The Telegraph",
    "dw.com": "Deutsche Welle",
    "france24.com": "France 24",
    "euronews.com": "Euronews",
    "haaretz.com": "Haaretz",
    "jpost.com": "The Jerusalem Post",
    "ynetnews.com": "Ynetnews",
    "i24news.tv": "i24NEWS",
    "tass.com": "TASS",
    "rt.com": "RT",
    "meduza.io": "Meduza",
    "kyivindependent.com": "The Kyiv Independent",
    "afp.com": "AFP",
    "time.com": "Time",
    "theatlantic.com": "The Atlantic",
    "vox.com": "Vox",
    "cnbc.com": "CNBC",
    "businessinsider.com": "Business Insider",
    "huffpost.com": "HuffPost",
    "nypost.com": "New York Post",
    "dailymail.co.uk": "Daily Mail",
    "skynews.com": "Sky News",
    "news.sky.com": "Sky News",
}

# Wire agencies: "told Reuters" in a story is as often another outlet citing them.
_AGENCIES = frozenset({"Reuters", "Associated Press", "AFP", "TASS"})

# Phrases an outlet writes about itself: (pattern with {name}, weight).
_SELF_PATTERNS: tuple[tuple[str, int], ...] = (
    (r"\b{name} (?:has )?(?:reached out to|contacted|emailed|asked)\b", 2),
    (r"\b{name} (?:has )?(?:requested|sought) comment\b", 2),
    (r"\b{name}, an independent news (?:source|outlet|site)\b", 2),
    (r"\bthe journalists of {name}\b", 2),
    (r"\bthe {name} (?:staff|team|newsroom) (?:is|are)\b", 2),
    (r"\bfollow {name} on\b", 2),
    (r"\bsubscribe to {name}\b", 2),
    (r"\bin an? (?:interview|statement) (?:with|to) {name}\b", 1),
    (r"\btold {name}\b", 1),
)

# Outlet names as written in text, including short forms ("The Times of Israel").
_TEXT_NAMES: dict[str, str] = {name: name for name in set(OUTLET_DOMAINS.values())}
_TEXT_NAMES.update({
    "All Israel News": "All Israel News",
    "AP": "Associated Press",
    "the Associated Press": "Associated Press",
    "the BBC": "BBC",
    "the Guardian": "The Guardian",
    "the Times of Israel": "The Times of Israel",
    "the Moscow Times": "The Moscow Times",
})

# Templated layouts that identify an outlet: (heading lines, minimum present, outlet).
_LAYOUTS: tuple[tuple[frozenset[str], int, str], ...] = (
    (frozenset({"topline", "key facts", "key background", "news peg", "big number",
                "crucial quote", "chief critic", "surprising fact", "what to watch for"}),
     2, "Forbes"),
)


# An outlet cited as a source ("the BBC interview", "according to CNN") is someone else's
# story being reported on, so weak signatures (weight 1) for it do not count.
_CITED = (r"\baccording to {name}\b|\b{name}(?:'s|’s)? (?:reported|reports|interview|interviewer"
          r"|report|program|programme|show|documentary|podcast|broadcast)\b")


def _compile_signatures() -> dict[str, list[tuple[re.Pattern[str], int]]]:
    """Per outlet, its self-reference patterns with their weights."""
    signatures: dict[str, list[tuple[re.Pattern[str], int]]] = {}
    for template, weight in _SELF_PATTERNS:
        by_outlet: dict[str, list[str]] = {}
        for written, outlet in sorted(_TEXT_NAMES.items(), key=lambda kv: -len(kv[0])):
            if outlet in _AGENCIES and template.startswith(r"\btold"):
                continue
            by_outlet.setdefault(outlet, []).append(template.replace("{name}", re.escape(written)))
        for outlet, parts in by_outlet.items():
            signatures.setdefault(outlet, []).append(
                (re.compile("|".join(parts), re.IGNORECASE), weight))
    return signatures


def _compile_citations() -> dict[str, re.Pattern[str]]:
    by_outlet: dict[str, list[str]] = {}
    for written, outlet in _TEXT_NAMES.items():
        by_outlet.setdefault(outlet, []).append(_CITED.replace("{name}", re.escape(written)))
    return {outlet: re.compile("|".join(parts), re.IGNORECASE)
            for outlet, parts in by_outlet.items()}


_SIGNATURES = _compile_signatures()
_CITATIONS = _compile_citations()
# One case-sensitive pass finds where outlets are named; signatures are then only looked
# for in a window around each mention (a signature contains the name).
_BY_WRITTEN: dict[str, str] = {}
for _written, _outlet in _TEXT_NAMES.items():
    _BY_WRITTEN[_written] = _outlet
    if _written[:4] in ("The ", "the "):
        _BY_WRITTEN[_written[0].swapcase() + _written[1:]] = _outlet
_NAMES = re.compile(r"\b(?:" + "|".join(
    re.escape(w) for w in sorted(_BY_WRITTEN, key=len, reverse=True)) + r")\b")
_WINDOW = 80


def outlet_from_url(url: str | None) -> str | None:
    """The outlet whose domain (or a parent domain of it) the URL is on."""
    if not url:
        return None
    host = urlsplit(url if "//" in url else f"//{url}").hostname or ""
    parts = host.lower().removeprefix("www.").split(".")
    for start in range(len(parts) - 1):
        outlet = OUTLET_DOMAINS.get(".".join(parts[start:]))
        if outlet:
            return outlet
    return None


def outlet_from_text(text: str) -> str | None:
    """The outlet a text signs itself with; None when there is none or two disagree."""
    scores: dict[str, int] = {}
    windows: dict[str, list[str]] = {}
    for m in _NAMES.finditer(text):
        windows.setdefault(_BY_WRITTEN[m[0]], []).append(
            text[max(0, m.start() - _WINDOW):m.end() + _WINDOW])
    for outlet, parts in windows.items():
        near = "\n".join(parts)
        for pattern, weight in _SIGNATURES[outlet]:
            if pattern.search(near):
                if weight < 2 and _CITATIONS[outlet].search(near):
                    continue
                scores[outlet] = scores.get(outlet, 0) + weight
    lines = {" ".join(ln.lower().split()) for ln in text.splitlines() if len(ln) < 40}
    for headings, minimum, outlet in _LAYOUTS:
        if len(headings & lines) >= minimum:
            scores[outlet] = scores.get(outlet, 0) + 2
    if not scores:
        return None
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return None
    return ranked[0][0]


def infer_outlet(text: str, url: str | None = None) -> str | None:
    """The outlet named by the URL's domain or by a signature in the text."""
    return outlet_from_url(url) or outlet_from_text(text)


# --- dates -------------------------------------------------------------------------------

MONTHS: dict[str, int] = {}
for _number, _names in enumerate((
    "january jan janvier janv januar jänner enero ene gennaio gen janeiro января январь",
    "february feb février févr fevrier februar febrero febbraio fevereiro fev февраля февраль",
    "march mar mars märz marzo março марта март",
    "april apr avril abril aprile апреля апрель",
    "may mai mayo maggio maio мая май",
    "june jun juin juni junio giugno junho июня июнь",
    "july jul juillet juil juli julio luglio julho июля июль",
    "august aug août aout agosto ago августа август",
    "september sep sept septembre septiembre settembre set setembro сентября сентябрь",
    "october oct octobre oktober octubre ottobre okt outubro out октября октябрь",
    "november nov novembre noviembre novembro ноября ноябрь",
    "december dec décembre decembre dezember diciembre dicembre dez dezembro декабря декабрь",
), start=1):
    for _name in _names.split():
        MONTHS.setdefault(_name, _number)

_MONTH = r"(?P<month>[^\W\d_]{3,10})\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th|er|\.)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_WEEKDAY = r"(?:[^\W\d_]{3,12}\.?,?\s+)?"
_TIME = (r"(?:\s*(?:,|\||at|-|–|—|um|à|в)?\s*\d{1,2}[:.h]\d\d(?::\d\d)?\s*(?:[ap]\.?m\.?)?"
         r"\s*(?:[A-Z]{2,5}|GMT[+-]?\d*|UTC[+-]?\d*)?)?")
_DATE_FORMS = (
    rf"{_WEEKDAY}{_MONTH}\s+{_DAY},?\s+{_YEAR}",  # October 10, 2023
    rf"{_WEEKDAY}{_DAY}\s+(?:de\s+)?{_MONTH}\s+(?:de\s+)?{_YEAR}",  # 10 October 2023
    r"(?P<year>(?:19|20)\d\d)-(?P<mnum>\d\d)-(?P<day>\d\d)(?:T[\d:.]+(?:Z|[+-][\d:]+)?)?",
    r"(?P<day>\d{1,2})\.(?P<mnum>\d{1,2})\.(?P<year>(?:19|20)\d\d)",  # 10.10.2023
    r"(?P<mnum>\d{1,2})/(?P<day>\d{1,2})/(?P<year>(?:19|20)\d\d)",  # 10/13/2023 (US order)
)
_LEAD = (r"^\(?(?:(?P<kind>published|posted|updated|last updated|first published|modified"
         r"|publié|veröffentlicht|aktualisiert|publicado|pubblicato|опубликовано|обновлено)"
         r"(?: on| at| le| am| el| il)?:?\s+)?")
_DATE_LINES = [re.compile(_LEAD + form + _TIME + r"\)?$", re.IGNORECASE) for form in _DATE_FORMS]
_MAX_DATE_LINE = 80
# Lower is better: a "Published" line beats a bare date line, which beats an "Updated" one.
_KIND_RANK = {"published": 0, "posted": 0, "first published": 0, "publié": 0,
              "veröffentlicht": 0, "publicado": 0, "pubblicato": 0, "опубликовано": 0,
              None: 1}


def _iso(match: re.Match[str]) -> str | None:
    groups = match.groupdict()
    if groups.get("month"):
        month = MONTHS.get(groups["month"].lower().rstrip("."))
    else:
        month = int(groups["mnum"])
    day, year = int(groups["day"]), int(groups["year"])
    if month is None:
        return None
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def infer_published(text: str) -> str | None:
    """A publication date (ISO) written in the text as a line of its own, if any.

    Only lines that are a date, or "Published/Updated <date>", count; "on March
    3, 2022" inside a sentence never does. With several, a "Published" line wins
    over a bare date line, which wins over an "Updated" one; then the first.
    """
    best: tuple[int, str] | None = None
    for raw in text.splitlines():
        line = raw.strip().replace("\u00a0", " ")
        if not line or len(line) > _MAX_DATE_LINE or not any(ch.isdigit() for ch in line):
            continue
        for pattern in _DATE_LINES:
            match = pattern.match(line)
            if match is None:
                continue
            iso = _iso(match)
            if iso is not None:
                kind = (match["kind"] or "").lower() or None
                rank = _KIND_RANK.get(kind, 2)
                if best is None or rank < best[0]:
                    best = (rank, iso)
            break
        if best is not None and best[0] == 0:
            break
    return best[1] if best else None
