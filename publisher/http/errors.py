"""The one shape of every error response, on every path.

Views (and the SPARQL endpoint) raise: a Werkzeug ``HTTPException`` (``abort(400, why)``),
or `HttpError` when the answer carries headers (``Retry-After``, ``Link``) or details (the
formats a 406 offers). One handler renders them: for machines the JSON body
``{"ok": false, "status": 404, "error": "Not Found", "message": "…"}`` (Datasette's shape;
details are added as further keys), for browsers the site's own page in the reader's
language. Both carry CORS, ``Vary: Accept`` and ``Cache-Control``. Internals (tracebacks,
file paths) never reach a client; they go to the log.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import Flask, Request, Response, json, request
from markupsafe import escape
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.http import HTTP_STATUS_CODES
from werkzeug.wrappers import Response as BaseResponse

from publisher.budget import ClientGone, TimeLimit
from publisher.errors import NotPublished
from publisher.http.caching import add_cors, add_vary, cache_control
from publisher.http.negotiation import negotiate

# Headers of an exception's own response that an error answer keeps.
KEPT_HEADERS = ("Allow", "Retry-After", "Link", "Content-Language", "WWW-Authenticate")
# Statuses whose answer a cache may keep like a page: they change only with a build.
CACHEABLE = {404, 406, 410}
RETRY_AFTER_UNPUBLISHED = "60"
RETRY_AFTER_TIME_LIMIT = "30"  # a render that ran out of time (publisher.budget)
CLIENT_CLOSED_REQUEST = 499


class HttpError(HTTPException):
    """An HTTP error with a message for a person, extra headers and details.

    ``details`` become further keys of the JSON body (``{"offered": […]}``) and are given
    to the error page's template. ``message_lang`` is the language of the message (most
    are English; a 406 speaks the page language).
    """

    def __init__(
        self,
        status: int,
        message: str,
        headers: Mapping[str, str] | None = None,
        *,
        message_lang: str = "en",
        **details: Any,
    ) -> None:
        super().__init__(description=message)
        self.code = status
        self.headers = dict(headers or {})
        self.message_lang = message_lang
        self.details = details

    @property
    def name(self) -> str:
        return HTTP_STATUS_CODES.get(self.code or 500, "Error")


@dataclass(frozen=True)
class _Shape:
    media_type: str
    aliases: tuple[str, ...] = ()


JSON_SHAPE = _Shape("application/json")
HTML_SHAPE = _Shape("text/html", ("application/xhtml+xml",))


def wants_html(req: Request) -> bool:
    """Does the client prefer the site's page to the JSON shape? (Only when it asks for
    HTML more than for anything JSON can stand for: curl's */* gets JSON.)"""
    return negotiate(req.headers.get("Accept"), (JSON_SHAPE, HTML_SHAPE), JSON_SHAPE) is HTML_SHAPE


def error_response(
    status: int,
    message: str,
    *,
    title: str | None = None,
    headers: Mapping[str, str] | None = None,
    details: Mapping[str, Any] | None = None,
    message_lang: str = "en",
) -> Response:
    """The error answer for the current request, in the shape the client prefers."""
    title = title or HTTP_STATUS_CODES.get(status, "Error")
    details = dict(details or {})
    if request.method != "HEAD" and wants_html(request):
        from publisher.render.html import page_language  # the render layer needs a request

        lang = page_language()
        body = _html_page(status, title, message, {**details, "message_lang": message_lang}, lang)
        response = Response(body, status=status, mimetype="text/html")
        response.headers["Content-Language"] = lang
        add_vary(response, "Accept", "Accept-Language")
    else:
        payload = {"ok": False, "status": status, "error": title, "message": message, **details}
        response = Response(
            json.dumps(payload, ensure_ascii=False) + "\n",
            status=status,
            mimetype="application/json",
        )
        add_vary(response, "Accept")
    for key, value in (headers or {}).items():
        if key.lower() == "vary":
            add_vary(response, *(v.strip() for v in value.split(",")))
        else:
            response.headers[key] = value
    add_cors(response)
    if status in CACHEABLE:
        from flask import current_app

        site = current_app.extensions.get("avoinkunta")
        max_age = site.settings.cache_max_age if site is not None else 0
        response.headers.setdefault("Cache-Control", cache_control(max_age))
    else:
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def _html_page(status: int, title: str, message: str, details: Mapping[str, Any], lang: str) -> str:
    """The site's own page in the reader's language; a bare page when even that fails
    (an error page must not fail)."""
    try:
        from publisher.render.html import render_page

        template = "not_found.html" if status == 404 else "error.html"
        context = {"query": "", **details}
        return render_page(
            template, lang=lang, status=status, title=title, message=message, **context
        )
    except Exception:
        return (
            "<!doctype html><html lang=en><meta charset=utf-8>"
            f"<title>{status} {escape(title)}</title><h1>{status} {escape(title)}</h1>"
            f"<p>{escape(message)}</p><p><a href='/'>Avoin kunta</a> · "
            "<a href='/search'>Search</a></p></html>"
        )


def http_exception_response(exc: HTTPException) -> Response:
    """Render any Werkzeug HTTP exception (or `HttpError`) in the one shape."""
    status = exc.code or 500
    headers: dict[str, str] = {}
    # Werkzeug's own headers for the status (Allow of a 405, WWW-Authenticate…).
    for key, value in exc.get_headers():
        if key in KEPT_HEADERS:
            headers[key] = value
    headers.update(getattr(exc, "headers", None) or {})
    details = getattr(exc, "details", None) or {}
    return error_response(
        status,
        exc.description or "",
        title=exc.name,
        headers=headers,
        details=details,
        message_lang=getattr(exc, "message_lang", "en"),
    )


def init_app(app: Flask) -> None:
    """Register the one handler for every error of `app`."""

    @app.errorhandler(NotPublished)
    def _not_published(exc: NotPublished) -> Response:
        return error_response(503, str(exc), headers={"Retry-After": RETRY_AFTER_UNPUBLISHED})

    @app.errorhandler(TimeLimit)
    def _time_limit(exc: TimeLimit) -> Response:
        return error_response(
            503,
            f"This response took longer than {exc.limit:g} s to prepare and was given up; "
            "try again later.",
            headers={"Retry-After": RETRY_AFTER_TIME_LIMIT},
        )

    @app.errorhandler(ClientGone)
    def _client_gone(exc: ClientGone) -> Response:
        # Nobody reads it (499: nginx's "client closed request", for the access log).
        response = Response(b"", status=CLIENT_CLOSED_REQUEST)
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> BaseResponse:
        if exc.code is None or exc.code < 400:
            return exc.get_response()
        return http_exception_response(exc)

    @app.errorhandler(Exception)
    def _internal(exc: Exception) -> Response:
        # Internals are never shown to the client; they go to the log.
        app.logger.exception("unhandled error", exc_info=exc)
        error = InternalServerError()
        return error_response(500, "The server failed; see its log.", title=error.name)
