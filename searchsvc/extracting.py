"""Main-content extraction from HTML news pages.

The page is parsed with lxml (bounded: input capped at ``MAX_INPUT_CHARS``,
nesting deeper than libxml2's limit is flattened), metadata is read from the
head (Open Graph, JSON-LD, <title>, <time>, canonical link), then the body is
reduced to the article:

1. *prune*: drop elements that never hold article text (scripts, forms,
   figures, navigation, hidden elements) and elements whose class/id/role name
   boilerplate (share bars, comments, newsletter boxes, related stories, ads,
   cookie banners, captions, credits, bylines...);
2. *linearise*: walk the tree once (iteratively: no recursion limit) into text
   blocks, each with its length and how much of it is link text;
3. *choose*: every block gets a value (running text counts for, link lists
   and short fragments count against) and the element whose subtree has the
   largest total value is the article container; this keeps articles split
   over sibling containers together and stops before sidebars and footers;
4. *emit*: the container's blocks minus link-heavy ones and the headline,
   one block per paragraph, separated by a blank line.

Everything is general (tag, class-name and density signals); nothing is keyed
to particular sites.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urljoin

import lxml.html
from lxml import etree

#: Input beyond this many characters is not looked at (bounds worst-case time;
#: real article pages are well below 2 MB, the largest dev page is ~1.3 MB).
MAX_INPUT_CHARS = 3_000_000
#: The article needs at least this much non-link running text.
MIN_ARTICLE_CHARS = 120


@dataclass
class PageExtraction:
    """The article body of a page as text (blocks separated by blank lines) plus page metadata.

    ``metadata`` keys: title, outlet, published (ISO date), url. ``provenance``
    says where each came from (e.g. ``"html:og:title"``). ``reason`` is set when
    the page yields no article (e.g. ``"no article text: page is only scripts"``).
    """

    text: str
    metadata: dict[str, str] = field(default_factory=dict)
    provenance: dict[str, str] = field(default_factory=dict)
    reason: str | None = None


# --------------------------------------------------------------------------- decoding

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))
_DECLARED = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)""", re.I)


def declared_charset(head: bytes) -> str | None:
    """The charset a page declares (meta charset, http-equiv, XML declaration), if known."""
    match = _XML_DECL.search(head) or _DECLARED.search(head)
    if not match:
        return None
    try:
        return codecs.lookup(match.group(1).decode("ascii", "ignore")).name
    except LookupError:
        return None


def decode_html(data: bytes) -> str:
    """Decode page bytes so that a wrong declared charset never yields mojibake or a crash.

    BOM first; then UTF-8 strictly (valid UTF-8 with non-ASCII bytes is almost
    never another encoding, so it beats a wrong declaration); then the declared
    charset strictly; then cp1252 with replacement, which always succeeds.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data.decode(codec, errors="replace")
    candidates = ["utf-8"]
    declared = declared_charset(data[:4096])
    if declared and declared not in candidates:
        candidates.append(declared)
    for codec in candidates:
        try:
            return data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("cp1252", errors="replace")


# --------------------------------------------------------------------------- parsing

_DEPTH_LIMIT_HINT = "depth"
_KEEP_WHEN_FLATTENING = re.compile(
    r"</?(?!(?:p|br|h[1-6]|li|title|meta|link|script|style|head|body|html)\b)[a-zA-Z][^>]*>"
)


def parse(text: str) -> etree._Element | None:
    """Parse HTML with libxml2; if nesting exceeds its depth limit, flatten and parse again.

    libxml2 stops at depth 256 and silently drops the rest of the page, so a
    deeply nested page is re-parsed with all tags but paragraphs, headings,
    list items and the head stripped: structure is lost, text is kept.
    """
    text = text[:MAX_INPUT_CHARS]
    if not text.strip():
        return None
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True)
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError):
        return None
    if any(_DEPTH_LIMIT_HINT in (e.message or "").lower() for e in parser.error_log):
        flat = _KEEP_WHEN_FLATTENING.sub(" ", text)
        try:
            root = lxml.html.document_fromstring(flat, parser=parser)
        except (etree.ParserError, ValueError):
            return None
    return root


# --------------------------------------------------------------------------- metadata

_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_SLASH_DATE = re.compile(r"(\d{4})/(\d{2})/(\d{2})")
_TITLE_SEPARATORS = re.compile(r"\s+[|\-–—:·•»]\s+")

#: metadata key -> (meta attribute value, provenance), in order of trust.
_META_SOURCES: dict[str, tuple[tuple[str, str], ...]] = {
    "title": (("og:title", "html:og:title"), ("twitter:title", "html:twitter:title")),
    "outlet": (("og:site_name", "html:og:site_name"),
               ("application-name", "html:application-name")),
    "published": (("article:published_time", "html:article:published_time"),
                   ("og:article:published_time", "html:article:published_time"),
                   ("datepublished", "html:meta:datePublished"),
                   ("pubdate", "html:meta:pubdate"),
                   ("publishdate", "html:meta:publishdate"),
                   ("publish-date", "html:meta:publish-date"),
                   ("parsely-pub-date", "html:meta:parsely-pub-date"),
                   ("sailthru.date", "html:meta:sailthru.date"),
                   ("dc.date.issued", "html:meta:dc.date.issued"),
                   ("date", "html:meta:date")),
    "url": (("og:url", "html:og:url"),),
}
_ARTICLE_TYPES = re.compile(r"(article|posting|report|blog|news)", re.I)


def iso_date(value: str | None) -> str | None:
    """The yyyy-mm-dd at the start of a date/datetime string, if it is a plausible date."""
    if not value:
        return None
    match = _ISO_DATE.search(value) or _SLASH_DATE.search(value)
    if not match:
        return None
    year, month, day = (int(g) for g in match.groups())
    if not (1900 <= year <= 2100 and 1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _meta_values(root: etree._Element) -> dict[str, str]:
    """First content of each <meta property|name|itemprop>, keyed by lower-cased name."""
    values: dict[str, str] = {}
    for meta in root.iter("meta"):
        content = (meta.get("content") or "").strip()
        if not content:
            continue
        for attr in ("property", "name", "itemprop"):
            key = (meta.get(attr) or "").strip().lower()
            if key and key not in values:
                values[key] = content
    return values


def _json_ld_objects(root: etree._Element) -> Iterator[dict]:
    """Every object in the page's JSON-LD blocks, flattening lists and @graph."""
    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            data = json.loads(script.text or "")
        except (ValueError, RecursionError):
            continue
        stack = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack[:0] = item
            elif isinstance(item, dict):
                yield item
                graph = item.get("@graph")
                if isinstance(graph, list):
                    stack[:0] = graph


def _ld_name(value: object) -> str | None:
    """A name from a JSON-LD value that may be a string, an object or a list of them."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name")
    return value.strip() if isinstance(value, str) and value.strip() else None


def _is_article(obj: dict) -> bool:
    kinds = obj.get("@type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return any(isinstance(k, str) and _ARTICLE_TYPES.search(k) for k in kinds)


def _json_ld_metadata(root: etree._Element) -> tuple[dict[str, str], str]:
    """title/outlet/published from JSON-LD article objects (others as fallback), and articleBody."""
    found: dict[str, str] = {}
    body = ""
    objects = sorted(_json_ld_objects(root), key=lambda o: not _is_article(o))
    for obj in objects:
        fields = {
            "title": _ld_name(obj.get("headline")),
            "outlet": _ld_name(obj.get("publisher")),
            "published": iso_date(_ld_name(obj.get("datePublished"))),
        }
        if not _is_article(obj):
            fields["title"] = None  # a WebPage/Organization "name" is not the headline
        for key, value in fields.items():
            if value and key not in found:
                found[key] = value
        text = obj.get("articleBody")
        if isinstance(text, str) and len(text) > len(body):
            body = text
    return found, body


_LD_PROVENANCE = {"title": "html:json-ld:headline", "outlet": "html:json-ld:publisher",
                  "published": "html:json-ld:datePublished"}


def _title_tag(root: etree._Element, outlet: str | None) -> str | None:
    """<title> without a trailing or leading " | Site name" segment."""
    node = root.find(".//title")
    text = " ".join((node.text_content() if node is not None else "").split())
    if not text:
        return None
    parts = _TITLE_SEPARATORS.split(text)
    if len(parts) > 1:
        if outlet and parts[-1].strip().lower() == outlet.lower():
            parts = parts[:-1]
        elif outlet and parts[0].strip().lower() == outlet.lower():
            parts = parts[1:]
        elif len(parts[-1]) < 30 and len(parts[0]) > len(parts[-1]):
            parts = parts[:-1]
    return " - ".join(p.strip() for p in parts) or text


def read_metadata(
    root: etree._Element, url: str | None
) -> tuple[dict[str, str], dict[str, str], str]:
    """Page metadata with provenance, plus any JSON-LD articleBody (used as a fallback)."""
    meta_tags = _meta_values(root)
    ld, ld_body = _json_ld_metadata(root)
    metadata: dict[str, str] = {}
    provenance: dict[str, str] = {}

    def offer(key: str, value: str | None, source: str) -> None:
        if value and key not in metadata:
            metadata[key] = " ".join(value.split())
            provenance[key] = source

    for key in ("title", "outlet", "published"):
        for name, source in _META_SOURCES[key]:
            raw = meta_tags.get(name)
            offer(key, iso_date(raw) if key == "published" else raw, source)
        offer(key, ld.get(key), _LD_PROVENANCE[key])
    offer("title", _title_tag(root, metadata.get("outlet")), "html:title")
    for time_el in root.iter("time"):
        offer("published", iso_date(time_el.get("datetime")), "html:time")
    for link in root.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            offer("url", urljoin(url or "", link.get("href").strip()), "html:canonical")
    for name, source in _META_SOURCES["url"]:
        offer("url", meta_tags.get(name), source)
    return metadata, provenance, ld_body


# --------------------------------------------------------------------------- pruning

#: Tags whose content is never article text.
_DROP_TAGS = frozenset(
    "script style noscript template svg canvas iframe object embed video audio picture img "
    "button select option input textarea label figure figcaption nav aside footer menu "
    "dialog map area source track head title meta link base".split()
)
#: Containers dropped unless they hold most of the page's text (some sites wrap
#: the whole page in a <form> or <header>).
_DROP_IF_SMALL = frozenset({"form", "header"})
_DROP_ROLES = frozenset(
    "navigation banner contentinfo complementary search menu menubar dialog alert "
    "alertdialog toolbar".split()
)
#: Parts of class/id names (split on - _ space and camelCase) that mark boilerplate.
_BOILERPLATE_NAME = re.compile(
    r"^(?:comments?|commentlist|disqus|respond|replies|"
    r"share|sharing|sharebar|shares|sharetools|social|socials|sociallinks|"
    r"newsletters?|subscribe|subscription|signup|optin|"
    r"related|relatedposts|recommended|recommendations?|readmore|morestories|"
    r"promo|promos|promoted|promotion|sponsors?|sponsored|advert|adverts|advertisement|"
    r"advertising|ads?|adslot|adunit|adsense|dfp|outbrain|taboola|"
    r"cookies?|consent|gdpr|popup|modal|overlay|banner|"
    r"breadcrumbs?|nav|navbar|navigation|subnav|topnav|menu|sidebar|footer|masthead|"
    r"widget|widgets|trending|popular|mostpopular|mostread|"
    r"donate|donation|donations|"
    r"caption|captions|credit|credits|byline|bylines|author|authors|bio|"
    r"meta|dateline|timestamp|tags|tagcloud|keywords|pagination|pager|"
    r"print|toolbar|tools|utility|rating|reactions|"
    r"srOnly|visuallyhidden|screenreadertext)$",
    re.I,
)
_NAME_SPLIT = re.compile(r"[\s_\-]+|(?<=[a-z])(?=[A-Z])")
_SR_ONLY = frozenset({"sronly", "visuallyhidden", "screenreadertext"})
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


def _name_parts(el: etree._Element) -> Iterator[str]:
    for attr in ("class", "id"):
        value = el.get(attr)
        if value:
            for part in _NAME_SPLIT.split(value):
                if part:
                    yield part
    for joined in ((el.get("class") or "").replace("-", "").replace("_", "").split()):
        if joined.lower() in _SR_ONLY:
            yield joined


def is_boilerplate(el: etree._Element) -> bool:
    """Whether the element's tag, role, visibility or class/id names mark it as boilerplate."""
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in _DROP_TAGS:
        return True
    if (el.get("role") or "").lower() in _DROP_ROLES:
        return True
    if el.get("hidden") is not None or _HIDDEN_STYLE.search(el.get("style") or ""):
        return True
    if (el.get("itemprop") or "").lower() == "articlebody":
        return False
    return any(_BOILERPLATE_NAME.match(p) for p in _name_parts(el))


def _protected(root: etree._Element) -> set[etree._Element]:
    """html, body and the ancestors of schema.org articleBody: never pruned."""
    keep = {root}
    keep.update(root.iter("body"))
    for el in root.iter():
        if (el.get("itemprop") or "").lower() == "articlebody":
            keep.add(el)
            keep.update(el.iterancestors())
    return keep


def _paragraph_chars(root: etree._Element) -> dict[etree._Element, int]:
    """Characters of <p> text under each element, in one pass (a cheap measure of its share)."""
    sizes: dict[etree._Element, int] = {}
    for p in root.iter("p"):
        n = len(p.text_content())
        sizes[p] = sizes.get(p, 0) + n
        for anc in p.iterancestors():
            sizes[anc] = sizes.get(anc, 0) + n
    return sizes


def _doomed(el: etree._Element, sizes: dict[etree._Element, int], total: int) -> bool:
    """Whether to drop an element; a boilerplate-named one holding most of the text is kept."""
    if not isinstance(el.tag, str):
        return True  # comments, processing instructions
    share = sizes.get(el, 0) / total if total else 0.0
    if el.tag in _DROP_IF_SMALL and not is_boilerplate(el):
        return share < 0.5
    if not is_boilerplate(el):
        return False
    return el.tag in _DROP_TAGS or share < 0.6


def prune(root: etree._Element) -> None:
    """Remove boilerplate elements in place, top-down without recursion (keeping their tails)."""
    keep = _protected(root)
    sizes = _paragraph_chars(root)
    total = sizes.get(root, 0)
    stack = [root]
    while stack:
        el = stack.pop()
        for child in list(el):
            if child not in keep and _doomed(child, sizes, total):
                _remove(child)
            else:
                stack.append(child)


def _remove(el: etree._Element) -> None:
    """Detach an element but keep its tail text in place."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if tail and tail.strip():
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


# --------------------------------------------------------------------------- blocks

_BLOCK_TAGS = frozenset(
    "html body main article section div p h1 h2 h3 h4 h5 h6 ul ol li dl dt dd table thead "
    "tbody tfoot tr blockquote pre address center fieldset details summary header "
    "footer form hr figure".split()
)
#: Elements that may be chosen as the article container.
_CONTAINER_TAGS = frozenset(
    "body main article section div td blockquote center form header".split()
)
_HEADINGS = frozenset("h1 h2 h3 h4 h5 h6".split())
#: Table cells are blocks (and candidate containers) only in layout tables;
#: in data tables a row is one block.
_CELLS = frozenset({"td", "th"})


def _has_block_child(el: etree._Element) -> bool:
    return any(isinstance(c.tag, str) and c.tag in _BLOCK_TAGS for c in el)
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u200b\u2009\u202f]+")


@dataclass
class Block:
    """A run of text owned by one block-level element."""

    text: str
    link_chars: int
    tag: str

    @property
    def link_density(self) -> float:
        return self.link_chars / len(self.text) if self.text else 0.0


def _norm(text: str) -> str:
    """Collapse spaces within lines; keep <br> line breaks; drop empty lines."""
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


class _Linearizer:
    """Collects blocks in document order and the block range of every container element."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.ranges: dict[etree._Element, tuple[int, int]] = {}
        self._parts: list[tuple[str, bool]] = []
        self._owners: list[str] = []
        self._starts: list[int] = []
        self._links = 0

    def add(self, text: str | None) -> None:
        if text:
            self._parts.append((text.replace("\n", " "), self._links > 0))

    def flush(self) -> None:
        if not self._parts:
            return
        raw = "".join(t for t, _ in self._parts)
        text = _norm(raw)
        if text:
            linked = sum(len(_SPACES.sub(" ", t).strip()) for t, in_link in self._parts if in_link)
            owner = self._owners[-1] if self._owners else "body"
            self.blocks.append(Block(text, min(linked, len(text)), owner))
        self._parts = []

    def run(self, root: etree._Element) -> None:
        for event, el in etree.iterwalk(root, events=("start", "end")):
            tag = el.tag if isinstance(el.tag, str) else ""
            if event == "start":
                self._start(el, tag)
            else:
                self._end(el, tag)
        self.flush()

    def _start(self, el: etree._Element, tag: str) -> None:
        if tag in _BLOCK_TAGS or (tag in _CELLS and _has_block_child(el)):
            self.flush()
            self._owners.append(tag)
            self._starts.append(len(self.blocks))
        elif tag == "br":
            self._parts.append(("\n", False))
        elif tag == "a":
            self._links += 1
        elif tag in _CELLS:
            self._parts.append((" ", False))
        self.add(el.text)

    def _end(self, el: etree._Element, tag: str) -> None:
        if tag in _BLOCK_TAGS or (tag in _CELLS and _has_block_child(el)):
            self.flush()
            self._owners.pop()
            start = self._starts.pop()
            if tag in _CONTAINER_TAGS:
                self.ranges[el] = (start, len(self.blocks))
        elif tag == "a":
            self._links -= 1
        self.add(el.tail)


#: Owners of running text; when a page has enough of them, other text counts less
#: (teaser blurbs and widgets are rarely <p>, article paragraphs almost always are).
_PROSE_TAGS = frozenset({"p", "blockquote", "pre"})
_SENTENCE_END = re.compile(r"[.!?…:;\"'”’)\]]$")
_MARKUP = re.compile(r"^<[a-zA-Z!/][^>]*>")


@dataclass(frozen=True)
class Tuning:
    """The few numbers the block scoring depends on (kept together so they can be swept)."""

    long_block: int = 80  # a block this long (non-link chars) is running text
    short_penalty: float = 30.0  # what a short fragment costs its container
    link_dense: float = 0.5  # above this link density a block is navigation
    link_penalty: float = 1.0  # cost per character of a link-dense block
    non_prose_weight: float = 0.2  # weight of non-<p> text on pages written in <p>
    min_prose_blocks: int = 3  # long <p> blocks needed for a page to count as written in <p>
    margin: float = 0.1  # a container this close to the best value counts as the best


TUNING = Tuning()


def _is_prose_page(blocks: list[Block], tuning: Tuning) -> bool:
    long_p = sum(
        1 for b in blocks
        if b.tag in _PROSE_TAGS and len(b.text) - b.link_chars >= tuning.long_block
    )
    return long_p >= tuning.min_prose_blocks


def block_value(block: Block, prose_page: bool = False, tuning: Tuning | None = None) -> float:
    """How much a block speaks for its container being the article (negative: boilerplate)."""
    tuning = tuning or TUNING
    size = len(block.text)
    if block.link_density > tuning.link_dense:
        return -tuning.link_penalty * size
    if block.tag in _HEADINGS:
        return 0.0
    own = size - block.link_chars
    value = own if own >= tuning.long_block else own - tuning.short_penalty
    if value > 0 and prose_page and block.tag not in _PROSE_TAGS:
        value *= tuning.non_prose_weight
    return value


def choose_container(lin: _Linearizer, tuning: Tuning | None = None) -> tuple[int, int]:
    """Block range of the element whose subtree has the largest total block value.

    An element within ``tuning.margin`` of the best is as good, and then the one
    with fewer blocks wins: a wrapper must add clearly more article than noise.
    """
    tuning = tuning or TUNING
    prose = _is_prose_page(lin.blocks, tuning)
    prefix = [0.0]
    for block in lin.blocks:
        prefix.append(prefix[-1] + block_value(block, prose, tuning))
    scored = [(prefix[end] - prefix[start], start, end) for start, end in lin.ranges.values()]
    if not scored:
        return 0, len(lin.blocks)
    best = max(value for value, _, _ in scored)
    floor = best - abs(best) * tuning.margin
    _, start, end = min((end - start, -value, start, end) for value, start, end in scored
                        if value >= floor)[1:]
    return start, end


def _same_text(a: str, b: str) -> bool:
    return re.sub(r"\W+", "", a).lower() == re.sub(r"\W+", "", b).lower()


def _keep(block: Block, title: str | None, tuning: Tuning) -> bool:
    """Whether a block of the chosen container belongs to the article text."""
    if _MARKUP.match(block.text):
        return False  # markup shown as text (e.g. <noscript> contents)
    if block.tag in _HEADINGS and title and _same_text(block.text, title):
        return False
    if block.link_density > tuning.link_dense:
        # a sentence with a long link in it is still prose; a list of links is not
        prose = block.tag in _PROSE_TAGS and _SENTENCE_END.search(block.text)
        return bool(prose) and block.link_density < 0.9 and len(block.text) >= 40
    return True


def emit(blocks: list[Block], title: str | None, tuning: Tuning | None = None) -> list[str]:
    """The container's article blocks: no link lists, no repeated headline."""
    tuning = tuning or TUNING
    kept = [b for b in blocks if _keep(b, title, tuning)]
    while kept and kept[-1].tag in _HEADINGS:
        kept.pop()  # a heading with nothing after it introduced a dropped link list
    return [b.text for b in kept]


# --------------------------------------------------------------------------- entry point

_INVISIBLE = frozenset({"script", "style", "noscript", "template", "head", "title"})
#: C0/C1 control characters other than tab and newline: never text, sometimes in broken pages.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _has_visible_text(body: etree._Element) -> bool:
    for el in body.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag not in _INVISIBLE and el.text and el.text.strip():
            return True
        if el is not body and el.tail and el.tail.strip():
            return True
    return False



def extract_html(html: str | bytes, *, url: str | None = None) -> PageExtraction:
    """The article body and metadata of an HTML page (never raises on malformed input)."""
    text = decode_html(html[: MAX_INPUT_CHARS * 2]) if isinstance(html, bytes) else html
    root = parse(_CONTROLS.sub(" ", text[:MAX_INPUT_CHARS]))
    if root is None:
        return PageExtraction("", reason="no article text: page is empty")
    metadata, provenance, ld_body = read_metadata(root, url)
    body = root.find("body")
    if body is None or not _has_visible_text(body):
        only_scripts = root.find(".//script") is not None
        what = "page is only scripts" if only_scripts else "page has no visible text"
        return PageExtraction("", metadata, provenance, reason=f"no article text: {what}")
    prune(root)
    lin = _Linearizer()
    lin.run(body if body.getparent() is not None else root)
    start, end = choose_container(lin)
    blocks = emit(lin.blocks[start:end], metadata.get("title"))
    own = sum(len(b) for b in blocks)
    if ld_body and len(ld_body) > 2 * own and len(ld_body) >= MIN_ARTICLE_CHARS:
        blocks = [_norm(p) for p in ld_body.split("\n") if _norm(p)]
        own = sum(len(b) for b in blocks)
    if own < MIN_ARTICLE_CHARS:
        return PageExtraction("", metadata, provenance,
                              reason="no article text: no block of running text found")
    return PageExtraction("\n\n".join(blocks), metadata, provenance)
