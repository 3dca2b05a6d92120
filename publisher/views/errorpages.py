"""The site's own 404 page for browsers, and ``/favicon.ico``.

Unknown paths (``/nope``, ``/doc/``, a trailing slash) reach Flask's 404 before any view.
A browser gets the site's not-found page (search box, page language); a machine client
keeps the JSON error shape of ``publisher.errors``.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, request
from werkzeug.exceptions import NotFound

from publisher.caching import add_vary, finish
from publisher.errors import error_response, wants_html
from publisher.render.html import page_language, render_page

bp = Blueprint("errorpages", __name__)

FAVICON = Path(__file__).resolve().parent.parent / "static" / "favicon.ico"
FAVICON_MAX_AGE = 7 * 24 * 3600  # the icon changes (almost) never


@bp.app_errorhandler(404)
def _not_found(exc: NotFound) -> Response:
    if not wants_html(request):
        response = error_response(404, exc.name, exc.description or "")
    else:
        lang = page_language()
        body = render_page("not_found.html", lang=lang, query="")
        response = Response(body, status=404, mimetype="text/html")
        response.headers["Content-Language"] = lang
        add_vary(response, "Accept-Language")
    add_vary(response, "Accept")
    return response


@bp.get("/favicon.ico")
def favicon() -> Response:
    body = FAVICON.read_bytes()
    response = Response(body, mimetype="image/x-icon")
    response = finish(response, request, body=body, last_modified=None, max_age=0, cors=False)
    response.headers["Cache-Control"] = f"public, max-age={FAVICON_MAX_AGE}"
    return response
