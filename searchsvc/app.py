"""The Flask application: a read-only JSON API and server-rendered pages over one index.

``create_app`` is the factory (``gunicorn 'searchsvc.app:create_app()'``,
``searchsvc serve``). Configuration comes from the environment, overridden by
the ``config`` mapping:

* ``SEARCHSVC_INDEX_DIR`` / ``INDEX_DIR``: the index folder (default ``index``,
  relative to the working directory, as for the CLI);
* ``SEARCHSVC_TIME_LIMIT`` / ``TIME_LIMIT``: seconds a search may take (default 2);
* ``SEARCHSVC_MAX_REQUEST_BYTES`` / ``MAX_CONTENT_LENGTH``: largest request body
  accepted (default 16 KiB; the service only reads, so bodies are never needed).

The web layer holds no search logic: it maps HTTP parameters onto a
``SearchRequest`` (``searchsvc.web.params``), calls the one ``SearchService``
created here, and renders the result as JSON or HTML from the same parsing.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from typing import Any

from flask import Flask, Response, current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed, RequestEntityTooLarge

from .indexing import IndexProblem
from .querying import QueryError
from .searching import DEFAULT_TIME_LIMIT, SearchService

log = logging.getLogger(__name__)

DEFAULT_MAX_REQUEST_BYTES = 16 * 1024
MAX_QUERY_STRING_BYTES = 8 * 1024
ALLOWED_METHODS = ("GET", "HEAD", "OPTIONS")
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def _env_number(name: str, default: float, kind: type = float) -> Any:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = kind(raw)
    except ValueError:
        raise ValueError(f"{name}={raw!r} is not a number") from None
    if value <= 0:
        raise ValueError(f"{name} must be positive, not {raw!r}")
    return value


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app; one SearchService per app, shared by all threads of the process."""
    app = Flask(__name__)
    # "/api/facets//x" is a 404 like any unknown path, not a 308 redirect to "/api/facets/x":
    # an API answers the URL it was given (Werkzeug merges slashes by default)
    app.url_map.merge_slashes = False
    app.config.from_mapping(
        INDEX_DIR=os.environ.get("SEARCHSVC_INDEX_DIR") or "index",
        TIME_LIMIT=_env_number("SEARCHSVC_TIME_LIMIT", DEFAULT_TIME_LIMIT),
        MAX_CONTENT_LENGTH=_env_number("SEARCHSVC_MAX_REQUEST_BYTES",
                                       DEFAULT_MAX_REQUEST_BYTES, int),
        # Keep complete answers per index generation (off: every search is computed).
        CACHE_RESPONSES=os.environ.get("SEARCHSVC_CACHE", "1").strip().lower()
        not in ("0", "false", "no", "off"),
    )
    if config:
        app.config.update(config)
    # Never serve tracebacks or the debugger, whatever the caller passes.
    app.config.update(DEBUG=False, PROPAGATE_EXCEPTIONS=False)
    app.debug = False
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.extensions["searchsvc"] = SearchService(
        app.config["INDEX_DIR"], time_limit=float(app.config["TIME_LIMIT"]),
        cache_responses=bool(app.config["CACHE_RESPONSES"]))

    from .web import api, pages

    app.register_blueprint(api.bp)
    app.register_blueprint(pages.bp)
    app.before_request(_refuse_writes_and_large_requests)
    app.after_request(_security_headers)
    app.register_error_handler(QueryError, _query_error)
    app.register_error_handler(IndexProblem, _index_problem)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)
    return app


def service() -> SearchService:
    """The app's SearchService."""
    return current_app.extensions["searchsvc"]


def wants_json() -> bool:
    """Machine endpoints answer errors in JSON; pages answer with an HTML page."""
    path = request.path
    return path.startswith("/api/") or path in ("/api", "/healthz", "/openapi.json")


def _refuse_writes_and_large_requests() -> None:
    # Runs before routing errors are raised, so a POST anywhere is a 405, not a 404.
    if request.method not in ALLOWED_METHODS:
        raise MethodNotAllowed(valid_methods=list(ALLOWED_METHODS))
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if limit and (request.content_length or 0) > limit:
        raise RequestEntityTooLarge()
    if len(request.query_string) > MAX_QUERY_STRING_BYTES:
        raise RequestEntityTooLarge(
            f"the query string is longer than {MAX_QUERY_STRING_BYTES} bytes")


def _security_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def error_response(code: int, message: str, param: str | None = None,
                   headers: Mapping[str, str] | None = None) -> Response:
    """The one error shape: JSON ``{"error": {...}}`` or an escaped HTML page."""
    if wants_json():
        body: dict[str, Any] = {"code": code, "message": message}
        if param:
            body["param"] = param
        response = jsonify({"error": body})
    else:
        response = Response(render_template("error.html", code=code, message=message,
                                            param=param), mimetype="text/html")
    response.status_code = code
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _query_error(exc: QueryError) -> Response:
    return error_response(400, exc.message, exc.param)


def _index_problem(exc: IndexProblem) -> Response:
    log.warning("index unavailable: %s", exc)
    return error_response(503, f"the search index is not available: {exc}")


def _http_error(exc: HTTPException) -> Response:
    code = exc.code or 500
    headers = {}
    if isinstance(exc, MethodNotAllowed):
        headers["Allow"] = ", ".join(exc.valid_methods or ALLOWED_METHODS)
    message = exc.description or exc.name
    if code == 405:
        message = f"{request.method} is not allowed here: this service is read-only"
    return error_response(code, str(message), headers=headers)


def _unexpected(exc: Exception) -> Response:
    if isinstance(exc, HTTPException):  # pragma: no cover - handled above
        return _http_error(exc)
    log.exception("unexpected error on %s %s", request.method, request.path)
    return error_response(500, "internal error; it has been logged")
