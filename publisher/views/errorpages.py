"""``/favicon.ico``. (Error pages, the site's 404 page included, are rendered by the one
handler of ``publisher.http.errors``.)"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, request

from publisher.http.caching import finish

bp = Blueprint("errorpages", __name__)

FAVICON = Path(__file__).resolve().parent.parent / "static" / "favicon.ico"
FAVICON_MAX_AGE = 7 * 24 * 3600  # the icon changes (almost) never


@bp.get("/favicon.ico")
def favicon() -> Response:
    body = FAVICON.read_bytes()
    response = Response(body, mimetype="image/x-icon")
    return finish(
        response, request, body=body, last_modified=None, max_age=FAVICON_MAX_AGE, cors=False
    )
