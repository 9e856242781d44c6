"""Boilerplate removal for article text.

A captured article carries lines that are not reporting: donation appeals, ad
labels, social prompts, related-link blocks, photo credits and captions,
bylines, section labels of templated layouts, a repeated headline. Indexing
them would pollute search results, so ``clean_text`` drops them and says which
rule dropped each line (so a wrong removal can be traced and fixed).

Design:

* Rules are data: phrase tables and precompiled patterns below, checked by
  small functions. Nothing is keyed to a particular article.
* Per-line work is cheap: long lines (paragraphs of reporting) skip every
  pattern that only matters for short lines.
* Context rules (appeal blocks, link lists under a "Read more" header,
  captions next to a credit or an image-keyword line) run in a second pass.
* Precision over recall where they conflict: a reporting sentence lost is worse
  than a stray label kept, so short headings in general are kept and only the
  known labels of templated layouts are dropped.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping

from .models import Cleaned, RemovedLine

# --- rule names (the ``rule`` of a RemovedLine) ------------------------------------------

HEADLINE = "headline"
REPEATED_HEADLINE = "repeated-headline"
DONATION_APPEAL = "donation-appeal"
AD_LABEL = "ad-label"
SOCIAL_PROMPT = "social-prompt"
RELATED_LINKS = "related-links"
PHOTO_CREDIT = "photo-credit"
PHOTO_CAPTION = "photo-caption"
IMAGE_KEYWORDS = "image-keywords"
BYLINE = "byline"
AUTHOR_BIO = "author-bio"
AGENCY_CREDIT = "agency-credit"
SECTION_LABEL = "section-label"
SITE_CHROME = "site-chrome"
DATELINE = "dateline"
REPEATED_ACROSS_OUTLET = "repeated-across-outlet"

RULES: tuple[str, ...] = (
    HEADLINE, REPEATED_HEADLINE, DONATION_APPEAL, AD_LABEL, SOCIAL_PROMPT, RELATED_LINKS,
    PHOTO_CREDIT, PHOTO_CAPTION, IMAGE_KEYWORDS, BYLINE, AUTHOR_BIO, AGENCY_CREDIT,
    SECTION_LABEL, SITE_CHROME, DATELINE, REPEATED_ACROSS_OUTLET,
)

# --- limits ------------------------------------------------------------------------------

SHORT_WORDS = 12  # a "short" line: labels, credits, prompts
LINK_MAX_WORDS = 25  # a related-link title
CAPTION_MAX_WORDS = 40  # a caption taken from context (next to a credit)
HEADLINE_MAX_WORDS = 30
HEADLINE_MAX_CHARS = 250
BIO_MAX_WORDS = 45
BIO_WINDOW = 3  # author bios are looked for among the first/last lines of kept text
REPEATED_MAX_WORDS = 30  # only lines this short can be outlet boilerplate
REPEATED_MAX_CHARS = 220

# --- phrase tables -----------------------------------------------------------------------

# "Advertisement" in the languages of the corpus and its neighbours.
AD_LABELS: frozenset[str] = frozenset({
    "advertisement", "advertisements", "advert", "advertising", "ad", "ads", "sponsored",
    "sponsored content", "sponsored post", "sponsored by", "paid content", "paid post",
    "paid partnership", "promoted", "promoted content", "partner content", "promotion",
    "anzeige", "werbung", "publicité", "publicite", "publicidad", "publicidade",
    "pubblicità", "pubblicita", "реклама", "reklama", "reklāma", "reklaam", "reklam",
    "reklamos", "reklamă", "publicitate", "mainos", "annonce", "annonces", "annons",
    "annonse", "advertentie", "reclame", "hirdetés", "διαφήμιση", "оглас", "реклама.",
    "iklan", "quảng cáo", "โฆษณา", "广告", "廣告", "広告", "광고", "إعلان", "פרסומת",
    "story continues below advertisement", "article continues below advertisement",
    "story continues below", "article continues below", "continue reading below",
    "continue reading the main story", "scroll to continue", "scroll to continue with content",
    "advertisement - scroll to continue", "content continues below",
})

# Headers that open a block of links to other articles.
RELATED_HEADERS: frozenset[str] = frozenset({
    "further reading", "most popular", "most read", "most viewed", "read more", "read also",
    "also read", "read next", "what to read next", "related", "related articles",
    "related stories", "related news", "related content", "related coverage", "related links",
    "related topics", "recommended", "recommended for you", "recommended stories",
    "recommended reading", "see also", "also see", "you may also like", "you might also like",
    "you may be interested in", "more stories", "more news", "more on this story",
    "more on this topic", "more like this", "trending", "trending now", "top stories",
    "latest news", "latest stories", "editor's picks", "editors' picks", "don't miss",
    "must read", "up next", "popular now", "in other news", "more coverage",
    "читайте также", "читать также", "lesen sie auch", "mehr zum thema", "à lire aussi",
    "lire aussi", "leer más", "lee también", "leia também", "leggi anche",
})
_MORE_FROM = re.compile(r"^more (?:from|on|about|in|by) [\w .'’&-]{2,50}$")
_INLINE_RELATED = re.compile(
    r"^(?:read more|read also|also read|related|see also|more|watch|listen|related story"
    r"|related article|recommended|must read|don't miss|читайте также)\s*[:>»|–—-]\s*\S",
)

# Templated section headings (Forbes' "Topline" layout, Axios' "smart brevity").
SECTION_LABELS: frozenset[str] = frozenset({
    "topline", "key facts", "key background", "news peg", "big number", "crucial quote",
    "chief critic", "surprising fact", "tangent", "what to watch for", "what we don't know",
    "contra", "key takeaways", "key points", "at a glance", "why it matters",
    "the big picture", "driving the news", "between the lines", "the bottom line",
    "go deeper", "zoom in", "zoom out", "what's next", "by the numbers", "state of play",
    "what they're saying", "catch up quick", "the other side", "our thought bubble",
})

# Photo agencies and sources seen in credits ("Name/Getty Images", "(X / POOL / AFP)").
PHOTO_SOURCES: frozenset[str] = frozenset({
    "getty images", "getty", "afp", "ap", "ap photo", "associated press", "reuters", "epa",
    "epa-efe", "efe", "shutterstock", "istock", "istockphoto", "alamy", "alamy stock photo",
    "flash90", "sputnik", "tass", "pool", "bloomberg", "anadolu", "anadolu agency",
    "xinhua", "imago", "dpa", "picture alliance", "picture-alliance", "zuma", "zuma press",
    "zuma wire", "sipa", "sipa usa", "abaca", "ria novosti", "kremlin.ru", "kremlin pool",
    "wikimedia commons", "wikimedia", "unsplash", "pexels", "handout", "nurphoto",
    "sopa images", "lightrocket", "upi", "gpo", "idf", "kyodo", "yonhap", "ansa",
    "kcna", "the washington post", "the new york times", "redux", "corbis", "wireimage",
    "filmmagic", "ap images", "press association", "pa", "pa wire", "pa images",
    "anp", "belga", "tt", "ntb", "ritzau", "lehtikuva", "stringer", "file", "file photo",
})

# Standalone social and sharing chrome.
SOCIAL_WORDS: frozenset[str] = frozenset({
    "share", "share this", "share this article", "share this story", "share this post",
    "share on facebook", "share on twitter", "share on linkedin", "share on whatsapp",
    "tweet", "email", "e-mail", "print", "facebook", "twitter", "linkedin", "whatsapp",
    "telegram", "pinterest", "reddit", "copy link", "copy url", "link copied",
    "share via email", "comments", "leave a comment", "save", "save article",
    "gift this article", "listen to this article", "teilen", "partager", "compartir",
    "поделиться",
})

SITE_CHROME_WORDS: frozenset[str] = frozenset({
    "skip to content", "skip to main content", "sign in", "log in", "login", "register",
    "menu", "close", "search", "back to top", "loading", "loading...", "subscribe",
    "subscribe now", "accept cookies", "accept all cookies", "cookie settings",
    "all rights reserved", "remind me later", "remind me later.", "toggle navigation",
    "open menu", "next article", "previous article", "next", "previous", "home",
    "click to expand", "view comments", "show comments", "hide caption",
    "toggle caption", "enlarge this image", "image", "photo", "video", "watch",
    "listen", "play video", "load more", "see more", "show more", "read full article",
    "continue reading", "expand", "collapse",
})

# --- patterns ----------------------------------------------------------------------------

_I = re.IGNORECASE
# Appeal phrases unambiguous at any length.
_APPEAL_STRONG = re.compile(
    r"small favou?r to ask|enjoying ad-free|not ready to support|remind me later"
    r"|pa[iy]ment methods|please support us|support us monthly|support (?:us|our journalism)"
    r" (?:today|now|monthly)|(?:make|making) a (?:donation|contribution) (?:today|now)"
    r"|consider (?:supporting|donating|subscribing|becoming a (?:member|subscriber))"
    r"|become a (?:member|subscriber|supporter|patron) (?:today|now)|donate now|donate today"
    r"|subscribe (?:today|now) (?:to|for|and)|you've read \d+ (?:free )?articles"
    r"|already a subscriber\?|reader[- ](?:funded|supported) (?:journalism|news)"
    r"|(?:independent|our) journalism (?:needs|relies on|depends on) (?:your|readers)"
    r"|with your support,? we can|unlock (?:this|full) (?:article|access)"
    r"|start your free trial|cancel anytime",
)
# Appeal lines recognised only when the whole (short) line is the appeal.
_APPEAL_SHORT = re.compile(
    r"^(?:support us|support (?:our|independent) journalism|donate|donate now|contribute"
    r"|become a (?:member|subscriber|supporter)|subscribe(?: now| today)?|join us"
    r"|make a donation|support the [\w ]{2,30}|give now)[.!]?$",
)
# Substrings one of which every _APPEAL_STRONG match contains: a cheap gate for long lines.
_APPEAL_HINTS = ("favo", "ad-free", "support", "remind me", "ment method", "donat", "contribution",
                 "subscri", "member", "patron", "articles", "reader", "journalism", "unlock",
                 "free trial", "cancel anytime")
# Cues that pull a neighbouring line into an appeal block found by the rules above.
_APPEAL_WEAK = re.compile(
    r"your (?:support|help|donation|contribution|generosity)|we need your|our journalism"
    r"|our journalists|journalists of|independent journalism|ad-free|\bads\b|advertis"
    r"|reading experience|support us|donat|subscri|contribut|\bmonthly\b|a month\b"
    r"|per month|our (?:mission|newsroom|reporting|work)|foreign agent",
)

_SOCIAL_HINTS = ("twitter", "facebook", "instagram", "linkedin", "telegram", "youtube",
                 "tiktok", "threads", "whatsapp", "bluesky", "mastodon", "google news", "flipboard",
                 "apple news", "tip", "newsletter", "share", "conversation", " on x")
_SOCIAL = re.compile(
    r"^(?:follow|like|join|find|connect with|subscribe to) (?:us|me|him|her|them|[\w .'’&-]{1,40}?)"
    r" on (?:twitter|x\b|facebook|instagram|linkedin|telegram|youtube|tiktok|threads"
    r"|whatsapp|bluesky|mastodon|google news|flipboard|apple news)"
    r"|send (?:me|us) a (?:secure |confidential )?tip|^share (?:this|on|via)\b"
    r"|^(?:sign up|subscribe|register) (?:for|to) (?:our|the|my|a) (?:free |daily |weekly )?"
    r"[\w '’-]{0,30}newsletter|^get (?:our|the) [\w '’-]{0,30}newsletter"
    r"|^click (?:here )?to share|^(?:join|follow) the conversation",
)

_AGENCY_CONTRIBUTED = re.compile(r"contributed (?:reporting )?to this (?:report|story|article)")
_AGENCY_CREDIT = re.compile(
    r"\(?(?:additional )?reporting by [^.]{2,120}\)?\.?$|^\(?editing by [^.]{2,80}\)?\.?$"
    r"|^\(?writing by [^.]{2,80}\)?\.?$|^(?:with )?(?:agencies|afp|ap|reuters|dpa|tass)\.?$"
    r"|^[—–-]\s?(?:afp|ap|reuters|agencies|dpa|efe|tass)\.?$"
    r"|^this (?:article|story|report) (?:was|has been) (?:produced|written) (?:in partnership"
    r" with|by|with) ",
)

_BYLINE = re.compile(
    r"^(?:(?:[Ww]ritten|[Rr]eported|[Ww]ords|[Ss]tory|[Tt]ext|[Pp]hotos?) )?[Bb][Yy]:?\s+"
    r"[A-ZÀ-ÖØ-ÞĀ-ſА-Я][\w.'’-]*(?:\s+(?:[A-ZÀ-ÖØ-ÞĀ-ſА-Я][\w.'’-]*|and|&|de|del|della|di|da"
    r"|van|von|der|den|bin|ibn|al|el|la|le)){0,9}\s*"
    r"(?:\s*[,|–—-]\s*(?:[A-ZÀ-ÖØ-Þ0-9][\w.'’&:-]*\s?){1,6})?$",
)
_BYLINE_PREFIX = re.compile(r"^(?:(?:written|reported|words|story|text|photos?) )?by:?\s", _I)

_BIO = re.compile(
    r"^(?:[A-ZÀ-ÖØ-Þ][\w.'’-]*\s){2,6}(?:is|was|are|has been)\s+(?:a|an|the|our)\s+"
    r"(?:[\w-]+\s){0,6}?(?:reporter|correspondent|journalist|journalists|writer|editor|"
    r"columnist|contributor|producer|staff writer|freelancer|freelance \w+|bureau chief|"
    r"news team|team of (?:journalists|reporters|writers|editors))"
    r"(?:[.,]|$| (?:at|for|with|in|on|covering|based|and|who (?:covers|writes|reports))\b)"
    r"|^[A-Z][\w.'’-]+ [A-Z][\w.'’-]+ (?:covers|reports on|writes about) [\w ,&'’-]{2,80}"
    r" (?:for|at) ",
)

_DATELINE = re.compile(
    r"^\(?(?:published|updated|posted|last updated|first published|modified)(?: on| at)?:?"
    r"\s+[\w ,.:/|+-]{0,30}\d[\w ,.:/|+-]{0,30}\)?$",
)

_IMAGE_CAPTION_START = re.compile(
    r"^(?:this (?:photograph|photo|picture|image|handout photo|video grab|screen ?grab)"
    r"(?: \w+){0,12}? (?:shows|show|depicts)\b|in this (?:photo|photograph|picture|image|"
    r"file photo|handout)\b|(?:file )?photo:|pictured:|image:|caption:|photograph:|"
    r"(?:photo|image|picture) (?:credit|courtesy)\b)",
)
_CREDIT_PREFIX = re.compile(
    r"^\(?(?:photo|image|picture|photograph|foto|фото|credit|source|courtesy|copyright)"
    r"(?: credit| by| courtesy| source)?\s*(?::|by\b|of\b)",
    _I,
)
_DOMAIN_TAIL = re.compile(r"^(?P<head>.{2,120}?[.,:|–—-])\s+(?P<dom>[\w-]+(?:\.[\w-]+)*"
                          r"\.(?:ru|com|org|net|gov|ua|uk|il|de|fr|info|io|eu|int|mil))$")
_KEYWORDS = re.compile(r"^[^\W\d_]+(?:[ -][^\W\d_]+){1,7}$")
_CLOSING_PUNCT = ".!?…:;,"
_ENDS = ".!?…\"'”’"
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_ONLY_ZERO_WIDTH = re.compile(f"[\\s{_ZERO_WIDTH}]*")
# Matching form of a line: odd spaces (NBSP in "Follow me on\xa0Twitter") become plain ones.
_FLAT_MAP = {**dict.fromkeys(_ZERO_WIDTH, ""),
             **dict.fromkeys("\u00a0\u2007\u202f\u2009\u200a\u3000", " ")}
_FLAT_CHARS = re.compile("[" + "".join(_FLAT_MAP) + "]")


def _flat(line: str) -> str:
    if line.isascii():
        return line
    return _FLAT_CHARS.sub(lambda m: _FLAT_MAP[m[0]], line)
_ODD_MAP = {"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " ",
            **dict.fromkeys("\u200b\u200c\u200d\u2060\ufeff\u00ad", "")}
_ODD_CHARS = re.compile("[" + "".join(_ODD_MAP) + "]")


def _odd_char(match: re.Match[str]) -> str:
    return _ODD_MAP[match[0]]
_LABEL_TRIM = " \t:>»›→|•·-–—.…"


def normalise_line(line: str) -> str:
    """The form in which lines are compared across articles and against tables.

    Case, Unicode compatibility forms, curly quotes, dashes, zero-width characters
    and runs of whitespace are ignored, so a line compares equal however the
    capture rendered it.
    """
    if not line.isascii():
        line = _ODD_CHARS.sub(_odd_char, unicodedata.normalize("NFKC", line))
    return " ".join(line.lower().split())


def _label(norm: str) -> str:
    """A normalised line without the punctuation that decorates labels ("Read more »")."""
    return norm.strip(_LABEL_TRIM)


def _is_photo_source(segment: str) -> bool:
    """True for "getty images", "mikhail svetlov via getty images", "pool" and the like."""
    seg = segment.strip(" .()[]").casefold()
    if seg in PHOTO_SOURCES:
        return True
    for tail in (" via ", " for ", " - ", " / "):
        if tail in seg and seg.rsplit(tail, 1)[1].strip() in PHOTO_SOURCES:
            return True
    return seg.startswith(("photo", "image", "credit", "courtesy"))


def _is_credit_text(inner: str) -> bool:
    """A credit: slash-separated name/agency parts with a known agency, or "Photo: X"."""
    if _CREDIT_PREFIX.match(inner):
        return True
    parts = [p.strip() for p in inner.split("/")]
    if len(parts) > 5 or any(len(p.split()) > 6 for p in parts):
        return False
    return any(_is_photo_source(p) for p in parts)


def _credit_tail(line: str) -> str | None:
    """The credit a line ends with ("... 2022. (Avshalom Sassoni/Flash90)"), if any."""
    if line.endswith(")"):
        start = line.rfind("(")
        if start >= 0 and len(line) - start <= 120:
            inner = line[start + 1:-1]
            before = line[:start].rstrip()
            # "(AFP)" alone is a credit only after a finished sentence: "(ePA)" may be a term
            alone = "/" not in inner and not _CREDIT_PREFIX.match(inner)
            if _is_credit_text(inner) and not (alone and before and before[-1] not in _ENDS):
                return line[start:]
    slash = line.rfind("/")
    if slash > 0 and len(line) - slash <= 60:
        agency = line[slash + 1:]
        if _is_photo_source(agency) and not agency.strip().startswith(("photo", "image")):
            # the name before the slash: up to four capitalised words
            head = line[:slash].split()
            name = []
            for word in reversed(head[-4:]):
                if not word[:1].isupper():
                    break
                name.append(word)
            if name:
                return " ".join(reversed(name)) + "/" + agency
    return None


def _is_photo_credit(line: str, norm: str, words: int) -> bool:
    """A line that is only a credit: "Getty Images", "(X / POOL / AFP)", "Putin. kremlin.ru"."""
    if words > SHORT_WORDS:
        return False
    bare = norm.strip(" ()[]")
    if bare in PHOTO_SOURCES:
        return True
    prefix = _CREDIT_PREFIX.match(bare)
    if prefix:  # "Photo: Jane Doe"; a bare "Photo:" label says nothing and is kept
        return len(bare) > prefix.end() + 1
    if "/" in bare and _is_credit_text(bare):
        return True
    tail = _credit_tail(line)
    if tail is not None and len(tail) >= len(line) - 2:
        return True
    match = _DOMAIN_TAIL.match(line)
    return bool(match and len(match["head"].split()) <= 8)


def _is_ad_label(norm: str, words: int) -> bool:
    """ "Advertisement", "Reklāma", "Zaļā Josta - Reklāma", "Advertisement - Scroll to continue"."""
    if words > 8:
        return False
    if _label(norm) in AD_LABELS:
        return True
    for sep in (" - ", " | ", ": ", " · ", " • "):
        if sep in norm:
            parts = [_label(p) for p in norm.split(sep)]
            if any(p in AD_LABELS and p not in {"ad", "promotion"} for p in parts):
                return True
    return False


def _is_related_header(norm: str) -> bool:
    label = _label(norm)
    return label in RELATED_HEADERS or bool(_MORE_FROM.match(label))


def _is_link_title(line: str, words: int) -> bool:
    """A line that reads like a link to another article: short, not a finished sentence."""
    if words > LINK_MAX_WORDS or words == 0:
        return False
    if line.endswith(")") and "(" in line:  # "Headline (Outlet)"
        return True
    return line[-1] not in ".:;,"


def _line_rule(line: str, norm: str, words: int, known: Collection[str]) -> str | None:
    """The rule a line breaks on its own, without context (None: keep for now).

    Case-insensitive patterns run on ``norm`` (lowercase); long lines only meet
    the few rules that can apply to a paragraph, each behind a substring gate.
    """
    if any(map(norm.__contains__, _APPEAL_HINTS)) and _APPEAL_STRONG.search(norm):
        return DONATION_APPEAL
    tail = _credit_tail(line)
    if tail is not None:
        return PHOTO_CREDIT if _is_photo_credit(line, norm, words) else PHOTO_CAPTION
    if _IMAGE_CAPTION_START.match(norm):
        return PHOTO_CREDIT if _is_photo_credit(line, norm, words) else PHOTO_CAPTION
    if ("contributed" in norm and _AGENCY_CONTRIBUTED.search(norm)) or (
            words <= 30 and _AGENCY_CREDIT.match(norm)):
        return AGENCY_CREDIT
    if known and norm in known and _repeatable(norm, words):
        return REPEATED_ACROSS_OUTLET
    if words > SHORT_WORDS:
        if (words <= BIO_MAX_WORDS and any(map(norm.__contains__, _SOCIAL_HINTS))
                and _SOCIAL.search(norm)):
            return SOCIAL_PROMPT
        return None
    # short lines only below
    label = _label(norm)
    if label in SECTION_LABELS:
        return SECTION_LABEL
    if _is_ad_label(norm, words):
        return AD_LABEL
    if _is_related_header(norm) or _INLINE_RELATED.match(norm):
        return RELATED_LINKS
    if label in SOCIAL_WORDS or _SOCIAL.search(norm):
        return SOCIAL_PROMPT
    if _APPEAL_SHORT.match(label):
        return DONATION_APPEAL
    if label in SITE_CHROME_WORDS or norm.startswith(("©", "(c) ", "copyright ")):
        return SITE_CHROME
    if _DATELINE.match(norm):
        return DATELINE
    if _is_photo_credit(line, norm, words):
        return PHOTO_CREDIT
    if _BYLINE_PREFIX.match(line) and _BYLINE.match(line):
        return BYLINE
    if 2 <= words <= 8 and line.islower() and _KEYWORDS.match(line):
        return IMAGE_KEYWORDS
    return None


def _repeatable(norm: str, words: int) -> bool:
    """Whether a line may count as outlet boilerplate when repeated across articles.

    Long lines and lines that read like reporting (a quote or an attribution)
    are never boilerplate, so a background paragraph an outlet reuses in every
    story of a series, or a quote cited in several articles, is kept.
    """
    if words > REPEATED_MAX_WORDS or len(norm) > REPEATED_MAX_CHARS:
        return False
    return _REPORTING.search(norm) is None


_REPORTING = re.compile(
    r"[\"«»„]|\b(?:said|says|told|according to|added|stated|reported|announced|claimed"
    r"|warned|urged|insisted|denied|confirmed)\b"
)


def _looks_like_headline(line: str, words: int) -> bool:
    """A headline: a few words, capitalised, not a finished sentence or a label."""
    if not 3 <= words <= HEADLINE_MAX_WORDS or len(line) > HEADLINE_MAX_CHARS:
        return False
    if line[-1] in _CLOSING_PUNCT:
        return False
    first = next((ch for ch in line if ch.isalnum()), "")
    return not first.islower()


def clean_text(
    text: str,
    *,
    title: str | None = None,
    known_boilerplate: Collection[str] = (),
) -> Cleaned:
    """Return the reporting text of an article with every removed line and its rule.

    ``title`` is the headline if known (a repeated headline is removed);
    ``known_boilerplate`` are normalised lines found repeated across articles of
    one outlet (see ``repeated_lines``). Every kept line is its own paragraph.
    """
    raw = text.splitlines()
    # kept verbatim but for surrounding space; a line of zero-width characters is blank
    lines = [ln.strip() for ln in raw]
    lines = [ln if ln.isascii() or not _ONLY_ZERO_WIDTH.fullmatch(ln) else "" for ln in lines]
    n = len(lines)
    norms = [normalise_line(ln) if ln else "" for ln in lines]
    counts = [len(nm.split()) for nm in norms]
    flat = [_flat(ln) for ln in lines]
    rules: list[str | None] = [
        _line_rule(ln, nm, wc, known_boilerplate) if ln else None
        for ln, nm, wc in zip(flat, norms, counts, strict=True)
    ]
    content = [i for i in range(n) if lines[i]]

    _grow_appeals(content, norms, rules)
    _mark_link_blocks(content, flat, counts, rules)
    found_title = _mark_headline(content, lines, norms, counts, rules, title)
    _mark_captions(content, flat, counts, rules)
    _mark_bios(content, flat, counts, rules)

    kept = [lines[i] for i in content if rules[i] is None]
    removed = [RemovedLine(line=i + 1, text=lines[i], rule=rules[i])  # type: ignore[arg-type]
               for i in content if rules[i] is not None]
    return Cleaned(text="\n\n".join(kept), title=found_title, removed=removed)


def _grow_appeals(content: list[int], lines: list[str], rules: list[str | None]) -> None:
    """Extend each appeal to neighbouring lines that speak of support, ads or money."""
    for pos in range(len(content)):
        if rules[content[pos]] != DONATION_APPEAL:
            continue
        for step in (-1, 1):
            p = pos + step
            while 0 <= p < len(content):
                i = content[p]
                if rules[i] not in (None, DONATION_APPEAL, SITE_CHROME, RELATED_LINKS):
                    break
                if rules[i] is None:
                    if not _APPEAL_WEAK.search(lines[i]) or _REPORTING.search(lines[i]):
                        break
                    rules[i] = DONATION_APPEAL
                p += step


def _mark_link_blocks(
    content: list[int], lines: list[str], counts: list[int], rules: list[str | None]
) -> None:
    """The link titles listed under a related-links header go with it."""
    for pos, i in enumerate(content):
        if rules[i] != RELATED_LINKS:
            continue
        for j in content[pos + 1:]:
            if rules[j] in (PHOTO_CAPTION, PHOTO_CREDIT) and _is_link_title(lines[j], counts[j]):
                rules[j] = RELATED_LINKS  # "Headline (Associated Press)": a link, not a credit
                continue
            if rules[j] is not None:
                if rules[j] == RELATED_LINKS:
                    break  # the next header takes over
                continue
            if not _is_link_title(lines[j], counts[j]):
                break
            rules[j] = RELATED_LINKS


def _mark_headline(
    content: list[int],
    lines: list[str],
    norms: list[str],
    counts: list[int],
    rules: list[str | None],
    title: str | None,
) -> str | None:
    """Mark the headline (the given title, else the first headline-like line) and its copies."""
    if title is not None and title.strip():
        target = normalise_line(title)
        found = title.strip()
    else:
        first = next((i for i in content if rules[i] is None), None)
        rest = first is not None and any(
            rules[i] is None for i in content if i > first)
        if first is None or not rest or not _looks_like_headline(lines[first], counts[first]):
            return None
        target, found = norms[first], lines[first]
    seen = False
    for i in content:
        if norms[i] == target and rules[i] in (None, REPEATED_ACROSS_OUTLET):
            rules[i] = REPEATED_HEADLINE if seen else HEADLINE
            seen = True
    return found


def _mark_captions(
    content: list[int], lines: list[str], counts: list[int], rules: list[str | None]
) -> None:
    """Captions known by position: after an image-keyword line, or just above a lone credit."""
    for pos, i in enumerate(content):
        rule = rules[i]
        if rule == IMAGE_KEYWORDS and pos + 1 < len(content):
            j = content[pos + 1]
            if j == i + 1 and rules[j] is None:  # the caption follows without a blank line
                rules[j] = PHOTO_CAPTION
        elif rule == PHOTO_CREDIT and pos > 0:
            j = content[pos - 1]
            if (i - j <= 2 and rules[j] is None and 4 <= counts[j] <= CAPTION_MAX_WORDS
                    and lines[j][-1] in ".!?" and _is_single_sentence(lines[j])
                    and not _REPORTING.search(lines[j])  # "..., officials said." is reporting
                    and not _CREDIT_PREFIX.fullmatch(lines[i].strip("()[] "))):
                rules[j] = PHOTO_CAPTION


def _is_single_sentence(line: str) -> bool:
    body = line.rstrip(".!?\"'’” ")
    return not any(mark in body for mark in (". ", "! ", "? "))


def _mark_bios(
    content: list[int], lines: list[str], counts: list[int], rules: list[str | None]
) -> None:
    """Author bios ("X is a reporter at Y") among the first or last few kept lines."""
    kept = [i for i in content if rules[i] is None]
    edge = kept[:BIO_WINDOW] + kept[-BIO_WINDOW:]
    for i in edge:
        if rules[i] is None and counts[i] <= BIO_MAX_WORDS and _BIO.match(lines[i]):
            rules[i] = AUTHOR_BIO


def repeated_lines(
    texts_by_outlet: Mapping[str, Iterable[str]], *, min_articles: int = 3
) -> frozenset[str]:
    """Normalised lines that occur in at least ``min_articles`` articles of one outlet.

    Only short lines that do not read like reporting are counted (see
    ``_repeatable``): a wire paragraph or a quote reused across stories is kept.
    """
    found: set[str] = set()
    for texts in texts_by_outlet.values():
        seen: dict[str, int] = {}
        for text in texts:
            article: set[str] = set()
            for line in text.splitlines():
                norm = normalise_line(line)
                if norm and _repeatable(norm, len(norm.split())):
                    article.add(norm)
            for norm in article:
                seen[norm] = seen.get(norm, 0) + 1
        found.update(norm for norm, count in seen.items() if count >= min_articles)
    return frozenset(found)
