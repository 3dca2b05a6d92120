"""Errors of the publisher and the single shape in which the web layer reports them."""

from __future__ import annotations

from flask import Flask, Request, Response, jsonify, request
from markupsafe import escape
from werkzeug.exceptions import HTTPException


class PublisherError(Exception):
    """Base class of the errors this package raises on purpose."""


class NotPublished(PublisherError):
    """No publication has been built into the output folder yet."""


class BuildError(PublisherError):
    """A build could not be completed; nothing published was changed."""


def wants_html(req: Request) -> bool:
    best = req.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "text/html" and req.accept_mimetypes["text/html"] > 0


def error_response(status: int, title: str, message: str) -> Response:
    """One error shape: ``{"ok": false, "status", "error", "message"}`` for machines, a
    small escaped page for browsers."""
    if wants_html(request):
        response = Response(_html_page(status, title, message), status=status, mimetype="text/html")
        response.headers["Vary"] = "Accept, Accept-Language"
    else:
        response = jsonify(ok=False, status=status, error=title, message=message)
        response.status_code = status
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _html_page(status: int, title: str, message: str) -> str:
    """The site's own page in the reader's language; a bare page when even that fails
    (an error page must not fail)."""
    try:
        # Imported here: the render layer imports this module.
        from publisher.render.html import render_page

        return render_page("error.html", status=status, title=title, message=message)
    except Exception:
        return (
            "<!doctype html><html lang=en><meta charset=utf-8>"
            f"<title>{status} {escape(title)}</title><h1>{status} {escape(title)}</h1>"
            f"<p>{escape(message)}</p><p><a href='/'>Avoin kunta</a> · "
            "<a href='/search'>Search</a></p></html>"
        )


def init_app(app: Flask) -> None:
    @app.errorhandler(NotPublished)
    def _not_published(exc: NotPublished) -> Response:
        response = error_response(503, "Service Unavailable", str(exc))
        response.headers["Retry-After"] = "60"
        return response

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> Response:
        response = error_response(exc.code or 500, exc.name, exc.description or "")
        for key, value in (exc.get_response().headers or {}).items():
            if key.lower() in {"allow", "retry-after", "location"}:
                response.headers[key] = value
        return response

    @app.errorhandler(Exception)
    def _internal(exc: Exception) -> Response:
        # Internals are never shown to the client; they go to the log.
        app.logger.exception("unhandled error", exc_info=exc)
        return error_response(500, "Internal Server Error", "The server failed; see its log.")
