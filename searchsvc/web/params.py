"""HTTP query parameters -> library requests: the one parser behind JSON and HTML.

Only the shape of parameters is checked here (whole numbers, YYYY-MM-DD dates);
what can be served (page windows, per_page bounds, sort names) is decided by
``SearchRequest.validate`` so the CLI and the web answer the same way. Empty
values count as absent, because an HTML form submits its empty inputs.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from werkzeug.datastructures import MultiDict

from ..querying import QueryError
from ..searching import DEFAULT_PER_PAGE, SearchRequest

_WHOLE = re.compile(r"^[0-9]{1,12}$")
_ISO_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
FILTER_PARAMS = {"outlet": "outlets", "actor": "actors", "speaker": "speakers"}
MAX_FACET_LIMIT = 1000
DEFAULT_FACET_LIMIT = 100
MAX_PREFIX_CHARS = 200
DEFAULT_QUOTES_LIMIT = 50
MAX_QUOTES_LIMIT = 500
DEFAULT_TIMELINE_STATEMENTS = 100
EXPORT_FORMATS = ("csv", "json")


def _text(args: MultiDict, name: str) -> str | None:
    value = args.get(name)
    if value is None or not value.strip():
        return None
    return value.strip()


def whole_number(args: MultiDict, name: str, default: int) -> int:
    """A non-negative integer parameter; anything else is a 400 naming it."""
    raw = _text(args, name)
    if raw is None:
        return default
    if not _WHOLE.match(raw):
        raise QueryError(name, f"{name} must be a whole number, not {raw[:40]!r}")
    return int(raw)


def iso_day(args: MultiDict, name: str) -> str | None:
    """A YYYY-MM-DD date, normalised (Python accepts other ISO spellings; we do not)."""
    raw = _text(args, name)
    if raw is None:
        return None
    if not _ISO_DAY.match(raw):
        raise QueryError(name, f"{name} must be a date as YYYY-MM-DD, not {raw[:40]!r}")
    try:
        return date.fromisoformat(raw).isoformat()
    except ValueError:
        raise QueryError(name, f"{name} is not a real date: {raw!r}") from None


def values(args: MultiDict, name: str) -> list[str]:
    """A repeatable filter parameter, empty values dropped, order and duplicates kept out."""
    seen: dict[str, None] = {}
    for value in args.getlist(name):
        value = value.strip()
        if value:
            seen.setdefault(value, None)
    return list(seen)


def search_request(args: MultiDict) -> SearchRequest:
    """The SearchRequest for ``/api/search`` and ``/`` (validated: raises QueryError)."""
    return _filters_only(args, page=whole_number(args, "page", 1),
                         per_page=whole_number(args, "per_page", DEFAULT_PER_PAGE),
                         collapse=_text(args, "collapse"))


def quotes_options(args: MultiDict) -> tuple[SearchRequest, int]:
    """The request and ``limit`` of ``/api/quotes`` and ``/quotes``."""
    limit = whole_number(args, "limit", DEFAULT_QUOTES_LIMIT)
    if not 1 <= limit <= MAX_QUOTES_LIMIT:
        raise QueryError("limit", f"limit must be from 1 to {MAX_QUOTES_LIMIT}")
    return _filters_only(args), limit


def timeline_options(args: MultiDict) -> tuple[SearchRequest, str]:
    """The request and ``interval`` of an actor's timeline (the service checks the name)."""
    return _filters_only(args), _text(args, "interval") or "month"


def export_options(args: MultiDict) -> tuple[SearchRequest, str]:
    """The search of ``/api/export`` (paging ignored: the whole result set) and its format."""
    fmt = _text(args, "format") or "csv"
    if fmt not in EXPORT_FORMATS:
        raise QueryError("format", f"format must be one of {', '.join(EXPORT_FORMATS)}, "
                                   f"not {fmt[:40]!r}")
    return _filters_only(args), fmt


def _filters_only(args: MultiDict, **paging: Any) -> SearchRequest:
    """Query, filters, dates and sort, plus any paging given (validated)."""
    req = SearchRequest(
        q=args.get("q", ""),
        outlets=values(args, "outlet"),
        actors=values(args, "actor"),
        speakers=values(args, "speaker"),
        date_from=iso_day(args, "from"),
        date_to=iso_day(args, "to"),
        sort=_text(args, "sort") or "relevance",
        **paging,
    )
    req.validate()
    return req


def facet_options(args: MultiDict) -> tuple[str, int]:
    """``prefix`` and ``limit`` of ``/api/facets/<field>``."""
    prefix = args.get("prefix", "")
    if len(prefix) > MAX_PREFIX_CHARS:
        raise QueryError("prefix", f"prefix is at most {MAX_PREFIX_CHARS} characters")
    limit = whole_number(args, "limit", DEFAULT_FACET_LIMIT)
    if not 1 <= limit <= MAX_FACET_LIMIT:
        raise QueryError("limit", f"limit must be from 1 to {MAX_FACET_LIMIT}")
    return prefix, limit
