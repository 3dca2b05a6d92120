"""CORS preflight for the machine interfaces: ``/doc``, ``/id``, ``/catalog``,
``/ontology``, ``/.well-known/void`` and ``/dumps``.

A script on another origin that sends a non-simple header (``If-None-Match`` for
revalidation, an ``Accept`` with parameters) first asks with ``OPTIONS`` +
``Access-Control-Request-Method``; without an answer the browser blocks the real request.
Everything here is public and read-only, so any origin may read it, by GET and HEAD.
``/sparql`` answers its own preflight (it also takes POST) and is left alone.
"""

from __future__ import annotations

import re

from flask import Blueprint, Response, request

from publisher.http.caching import add_vary

bp = Blueprint("cors", __name__)

# Paths (below the script root) whose preflight this module answers.
MACHINE_PATHS = re.compile(
    r"^/(?:doc|id|dumps)(?:/.*)?$"
    r"|^/feed(?:\.[a-z]+|/.*)?$"
    r"|^/catalog(?:\.[a-z]+|/.*)?$"
    r"|^/ontology(?:\.[a-z]+|/.*)?$"
    r"|^/\.well-known/void(?:\.[a-z]+)?$"
)
ALLOWED_METHODS = "GET, HEAD, OPTIONS"
# Granted when the preflight names none; requested names are echoed when well-formed.
DEFAULT_HEADERS = "Accept, Accept-Language, If-None-Match, If-Modified-Since"
_HEADER_NAME = re.compile(r"^[A-Za-z0-9!#$%&'*+.^_`|~-]+$")
MAX_AGE = 86400  # browsers cap it (Chromium: 2 hours); the answer never changes anyway


def is_preflight() -> bool:
    return (
        request.method == "OPTIONS"
        and "Origin" in request.headers
        and "Access-Control-Request-Method" in request.headers
    )


def allowed_headers(requested: str | None) -> str:
    """The requested header names (the field is a comma-separated list of tokens) plus the
    ones every linked-data client needs; anything malformed is dropped."""
    names = [DEFAULT_HEADERS]
    for name in (requested or "").split(","):
        name = name.strip()
        if name and _HEADER_NAME.match(name) and name.lower() not in DEFAULT_HEADERS.lower():
            names.append(name)
    return ", ".join(names)


def preflight_response() -> Response:
    response = Response(status=204)
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Allow-Methods"] = ALLOWED_METHODS
    response.headers["Access-Control-Allow-Headers"] = allowed_headers(
        request.headers.get("Access-Control-Request-Headers")
    )
    response.headers["Access-Control-Max-Age"] = str(MAX_AGE)
    response.headers["Allow"] = ALLOWED_METHODS
    # The allowed headers echo the request: a shared cache must key on it.
    add_vary(response, "Access-Control-Request-Headers")
    return response


@bp.before_app_request
def _answer_preflight() -> Response | None:
    if is_preflight() and MACHINE_PATHS.match(request.path):
        return preflight_response()
    return None
