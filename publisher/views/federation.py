"""Offerings as publiccode.yml and CodeMeta: ``/doc/offering/{key}/publiccode.yml`` and
``/doc/offering/{key}/codemeta.json``, ``Accept: application/yaml`` on the document URL,
and both in the document's ``Link: rel="alternate"`` header.

Only products have a publiccode.yml (the standard describes software); CodeMeta is given
for products too. Until the one format table (publisher/formats.py) lands, this blueprint
plugs itself in with request hooks around the document view.
"""

from __future__ import annotations

import json
import re
from typing import Any

from flask import Blueprint, Response, current_app, request
from werkzeug.exceptions import NotFound

from publisher.caching import add_vary, finish
from publisher.negotiation import ALL_MEDIA_TYPES, negotiate
from publisher.publiccode.export import OfferingFacts, offering_facts, to_codemeta, to_publiccode
from publisher.uris import SLUG

bp = Blueprint("federation", __name__)

YAML = "application/yaml"
CODEMETA = "application/ld+json"
_DOC = re.compile(r"^/doc/offering/(?P<key>[a-z0-9]+(?:-[a-z0-9]+)*)(?:\.(?P<ext>[a-z]+))?$")


def _facts(key: str) -> tuple[Any, OfferingFacts]:
    site = current_app.extensions["avoinkunta"]
    if not SLUG.match(key):  # not a key any offering could have
        raise NotFound(f"No offering {key!r}.")
    facts = offering_facts(site.store(), site.uris, key)
    if facts is None or not facts.is_product:
        raise NotFound(
            f"No product offering {key!r}: publiccode.yml and CodeMeta describe products."
        )
    return site, facts


@bp.get("/doc/offering/<key>/publiccode.yml")
def publiccode(key: str) -> Response:
    site, facts = _facts(key)
    body = to_publiccode(facts).encode("utf-8")
    return _finish(Response(body, mimetype=YAML), body, site, key)


@bp.get("/doc/offering/<key>/codemeta.json")
def codemeta(key: str) -> Response:
    site, facts = _facts(key)
    body = (json.dumps(to_codemeta(facts), ensure_ascii=False, indent=2) + "\n").encode()
    response = Response(body, mimetype=CODEMETA)
    return _finish(response, body, site, key)


def _finish(response: Response, body: bytes, site: Any, key: str) -> Response:
    response.headers["Link"] = f'<{_doc(key)}>; rel="describes"'
    publication = site.publication()
    return finish(
        response,
        request,
        body=body,
        last_modified=publication.modified,
        max_age=site.settings.cache_max_age,
        cors=True,
    )


def _doc(key: str, suffix: str = "") -> str:
    return f"{request.script_root}/doc/offering/{key}{suffix}"


@bp.before_app_request
def yaml_by_negotiation() -> Response | None:
    """``GET /doc/offering/{key}`` with an Accept that prefers application/yaml."""
    match = _DOC.match(request.path)
    if request.method not in ("GET", "HEAD") or not match or match.group("ext"):
        return None
    accept = request.headers.get("Accept")
    if not accept or "yaml" not in accept:
        return None
    chosen = negotiate(accept, (*ALL_MEDIA_TYPES, YAML), request.args.get("format"))
    if chosen != YAML:
        return None
    response = publiccode(match.group("key"))
    add_vary(response, "Accept")
    response.headers["Content-Location"] = _doc(match.group("key"), "/publiccode.yml")
    return response


@bp.after_app_request
def link_alternates(response: Response) -> Response:
    """List publiccode.yml among a product's document alternates, and codemeta.json."""
    match = _DOC.match(request.path)
    if not match or response.status_code not in (200, 304) or "Link" not in response.headers:
        return response
    if request.path.endswith(("/publiccode.yml", "/codemeta.json")):
        return response
    site = current_app.extensions["avoinkunta"]
    key = match.group("key")
    iri = site.uris.thing("offering", key)
    if not site.store().has_type(str(iri), f"{site.uris.vocab}Product"):
        return response
    # CodeMeta is JSON-LD too: listed as "describedby" (with its profile), so that a client
    # looking for the application/ld+json alternate still finds the document itself.
    extra = [
        f'<{_doc(key, "/publiccode.yml")}>; rel="alternate"; type="{YAML}"',
        f'<{_doc(key, "/codemeta.json")}>; rel="describedby"; type="{CODEMETA}"; '
        'profile="https://w3id.org/codemeta/3.0"',
    ]
    response.headers["Link"] = ", ".join([response.headers["Link"], *extra])
    return response
