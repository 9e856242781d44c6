"""Turning what a user typed into a Whoosh query whose cost is bounded.

Whoosh syntax is supported (AND/OR/NOT, "phrases", prefix*, field:value,
fuzzy~1). Input the parser cannot make sense of falls back to plain terms
rather than an error. What would be expensive is refused with a ``QueryError``
naming the parameter (the web layer turns it into a 400): very long queries,
too many terms, leading or bare wildcards, wildcards and fuzzy terms that
expand to too many index terms, large edit distances.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable
from itertools import islice

from whoosh import query as wq
from whoosh.analysis import SimpleAnalyzer
from whoosh.fields import TEXT
from whoosh.qparser import FuzzyTermPlugin, MultifieldParser
from whoosh.qparser.plugins import PlusMinusPlugin
from whoosh.reading import IndexReader

MAX_QUERY_CHARS = 1000
MAX_TERMS = 64
MAX_EXPANSION = 1000
MAX_EDITS = 2
MIN_WILDCARD_PREFIX = 2
DEFAULT_FIELDS = ("text",)
TITLE_BOOST = 2.0
QUERY_FIELDS = frozenset({"title", "text", "outlet", "actor", "speaker", "month", "dates",
                          "article_id", "passage_id"})
_FIELD_PREFIX = re.compile(r"\b(\w+):(?=\S)")
_PLAIN_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")


class QueryError(ValueError):
    """A parameter that cannot be served; ``param`` names it for the 400 response."""

    def __init__(self, param: str, message: str) -> None:
        super().__init__(message)
        self.param = param
        self.message = message


# field:value syntax on facets ("actor:putin") is resolved against the facet's own
# values when the query runs, rather than indexing a tokenised copy of each facet.
VIRTUAL_FIELDS = {"outlet": "outlet_f", "actor": "actor_f", "speaker": "speaker_f"}
MAX_RESOLVED_VALUES = 1000
NO_SUCH_VALUE = "\x00no such value"
Resolver = Callable[[str, Callable[[list[str]], bool]], list[str]]


def _parser(schema) -> MultifieldParser:
    schema = schema.copy()
    for name in VIRTUAL_FIELDS:
        if name not in schema:
            schema.add(name, TEXT(analyzer=SimpleAnalyzer(), phrase=True))
    parser = MultifieldParser(list(DEFAULT_FIELDS), schema)
    parser.add_plugin(FuzzyTermPlugin())
    parser.add_plugin(PlusMinusPlugin())
    return parser


_parsers: dict[int, MultifieldParser] = {}


def parser_for(schema) -> MultifieldParser:
    """One parser per schema object (building one costs more than parsing)."""
    key = id(schema)
    if key not in _parsers:
        _parsers[key] = _parser(schema)
    return _parsers[key]


def plain_query(text: str, schema) -> wq.Query:
    """All the words of ``text`` as plain terms: each is quoted, so no word is syntax."""
    words = _PLAIN_WORD.findall(text)[:MAX_TERMS]
    if not words:
        return wq.NullQuery
    quoted = " ".join('"{}"'.format(w.replace('"', "")) for w in words)
    return MultifieldParser(list(DEFAULT_FIELDS), schema).parse(quoted)


def parse(text: str, schema, reader: IndexReader | None = None,
          resolve: Resolver | None = None) -> wq.Query | None:
    """The query for ``text``; None means "everything" (browse by filters and date).

    ``resolve(facet, matches)`` lists the facet values for which ``matches(words)``
    holds; it turns ``actor:putin`` into the actors whose names have that word.
    """
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError("q", f"query is {len(text)} characters long; at most "
                              f"{MAX_QUERY_CHARS} are allowed")
    stripped = text.strip()
    if not stripped or stripped == "*" or stripped == "*:*":
        return None
    # "titel:putin" means putin: drop field names users may not query.
    stripped = _FIELD_PREFIX.sub(
        lambda m: m.group(0) if m.group(1) in QUERY_FIELDS else "", stripped)
    try:
        q = parser_for(schema).parse(stripped)
    except Exception:  # noqa: BLE001 - the parser's failure means "read it as words"
        q = plain_query(stripped, schema)
    if _has_unknown_field(q) or _is_error(q):
        q = plain_query(stripped, schema)
    if isinstance(q, wq.Every):
        return None
    check_cost(q, reader)
    q = _resolve_virtual(q, resolve)
    return _with_title_boost(q, schema)


def _resolve_virtual(q: wq.Query, resolve: Resolver | None) -> wq.Query:
    """Replace ``actor:…``/``outlet:…``/``speaker:…`` leaves by exact facet-value terms."""
    field = getattr(q, "fieldname", None)
    if field in VIRTUAL_FIELDS:
        matches = _value_matcher(q)
        values = resolve(field, matches)[:MAX_RESOLVED_VALUES] if resolve and matches else []
        target = VIRTUAL_FIELDS[field]
        if not values:
            # Not NullQuery: And.normalize() drops those, so "outlet:nope police" would
            # match every police passage. A term no document has stays false in an And.
            return wq.Term(target, NO_SUCH_VALUE)
        terms = [wq.Term(target, v) for v in values]
        return terms[0] if len(terms) == 1 else wq.Or(terms)
    if q.is_leaf():
        return q
    return q.apply(lambda child: _resolve_virtual(child, resolve)).normalize()


def _value_matcher(q: wq.Query) -> Callable[[list[str]], bool] | None:
    """What a facet value's lower-cased words must satisfy to match the leaf."""
    if isinstance(q, wq.Phrase):
        want = list(q.words)
        n = len(want)
        return lambda words: any(words[i:i + n] == want for i in range(len(words) - n + 1))
    if isinstance(q, wq.Prefix):
        prefix = q.text
        return lambda words: any(w.startswith(prefix) for w in words)
    if isinstance(q, wq.Wildcard):
        pattern = q.text
        return lambda words: any(fnmatch.fnmatchcase(w, pattern) for w in words)
    if isinstance(q, wq.Term):
        word = q.text
        return lambda words: word in words
    return None


def _with_title_boost(q: wq.Query, schema) -> wq.Query:
    """Passages match on their own text; a title sharing the words only ranks them higher.

    The title is stored on every passage of an article, so letting it match would
    return every passage of an article whose headline has the words.
    """
    terms, phrases, _ = positive_terms(q)
    boosts = [wq.Term("title", t, boost=TITLE_BOOST) for t in sorted(terms)]
    if _has_positions(schema, "title"):  # a Phrase on a field without them raises
        boosts += [wq.Phrase("title", words, boost=TITLE_BOOST) for words in phrases if words]
    if not boosts:
        return q
    return wq.AndMaybe(q, wq.Or(boosts))


def _has_positions(schema, fieldname: str) -> bool:
    field = schema[fieldname] if fieldname in schema else None
    return bool(field is not None and field.format and field.format.supports("positions"))


def _is_error(q: wq.Query) -> bool:
    return q is wq.NullQuery or type(q).__name__ == "ErrorQuery"


def _has_unknown_field(q: wq.Query) -> bool:
    return any(getattr(leaf, "fieldname", None) not in QUERY_FIELDS | {None}
               for leaf in q.leaves())


def check_cost(q: wq.Query, reader: IndexReader | None) -> None:
    """Refuse queries whose matching would be expensive, before running them."""
    leaves = list(q.leaves())
    if len(leaves) > MAX_TERMS:
        raise QueryError("q", f"query has {len(leaves)} terms; at most {MAX_TERMS} are allowed")
    for leaf in leaves:
        if isinstance(leaf, wq.Every):
            raise QueryError("q", "a bare * cannot be combined with other terms; "
                                  "leave q empty to browse")
        if isinstance(leaf, wq.FuzzyTerm):
            if leaf.maxdist > MAX_EDITS:
                raise QueryError("q", f"fuzzy term {leaf.text}~{leaf.maxdist} allows too many "
                                      f"edits; at most ~{MAX_EDITS}")
        elif isinstance(leaf, wq.Wildcard | wq.Prefix):
            pattern = leaf.text
            literal = re.split(r"[*?]", pattern, maxsplit=1)[0]
            if len(literal) < MIN_WILDCARD_PREFIX:
                raise QueryError("q", f"wildcard {pattern!r} needs at least "
                                      f"{MIN_WILDCARD_PREFIX} letters before * or ?")
        if isinstance(leaf, wq.MultiTerm) and reader is not None \
                and leaf.fieldname not in VIRTUAL_FIELDS:  # those resolve against facets
            expanded = list(islice(leaf._btexts(reader), MAX_EXPANSION + 1))
            if len(expanded) > MAX_EXPANSION:
                raise QueryError("q", f"{_describe(leaf)} matches more than {MAX_EXPANSION} "
                                      "different words; make it more specific")


def _describe(leaf: wq.Query) -> str:
    text = getattr(leaf, "text", None)
    return repr(text) if text else type(leaf).__name__.lower()


def positive_terms(q: wq.Query | None) -> tuple[set[str], list[list[str]], list[wq.Query]]:
    """What highlighting marks: plain terms, phrases (word lists) and expanding leaves.

    Terms under a NOT are left out: they cannot occur in a hit's matched text.
    """
    terms: set[str] = set()
    phrases: list[list[str]] = []
    multis: list[wq.Query] = []

    def walk(node: wq.Query) -> None:
        if isinstance(node, wq.Not):
            return
        if isinstance(node, wq.AndNot | wq.AndMaybe):
            walk(node.a)
            return
        if isinstance(node, wq.Phrase):
            if node.fieldname in DEFAULT_FIELDS:
                phrases.append([w for w in node.words])
            return
        if isinstance(node, wq.MultiTerm):
            if getattr(node, "fieldname", None) in DEFAULT_FIELDS:
                multis.append(node)
            return
        if isinstance(node, wq.Term):
            if node.fieldname in DEFAULT_FIELDS:
                terms.add(node.text)
            return
        for child in node.children():
            walk(child)

    if q is not None:
        walk(q)
    return terms, phrases, multis
