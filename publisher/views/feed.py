"""``/feed``: the DCAT-AP Feed (LDES) written by the build artefact ``feed``.

``/feed`` is the root node (the stream's description and a relation to every page);
``/feed/{n}`` are the pages. Each in TriG (the default), N-Quads or JSON-LD, by ``Accept``,
``?format=`` or a fixed extension (``/feed.trig``, ``/feed/3.jsonld``). A closed page never
changes: it is sent with ``Cache-Control: public, max-age=31536000, immutable`` and a
strong ETag of its bytes; the root and the open page change with the builds and get the
site's short max-age (revalidation with ``If-None-Match`` gives 304).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from flask import Blueprint, Response, current_app, request
from werkzeug.exceptions import NotAcceptable, NotFound

from publisher.caching import add_vary, finish
from publisher.negotiation import negotiate

bp = Blueprint("feed", __name__)

# extension → media type; the first is the default.
MEDIA_TYPES = {
    "trig": "application/trig",
    "nq": "application/n-quads",
    "jsonld": "application/ld+json",
}
_BY_TYPE = {v: k for k, v in MEDIA_TYPES.items()}
_ALIASES = {"json": "jsonld", "json-ld": "jsonld", "nquads": "nq", "n-quads": "nq"}
IMMUTABLE = "public, max-age=31536000, immutable"


def _feed_folder() -> tuple[Path, object]:
    site = current_app.extensions["avoinkunta"]
    publication = site.publication()
    folder = publication.artefact("feed") if publication is not None else None
    if folder is None:
        raise NotFound("This publication has no feed yet; it is written by the next build.")
    return folder, publication


@bp.get("/feed")
@bp.get("/feed.<ext>")
def root(ext: str | None = None) -> Response:
    folder, publication = _feed_folder()
    return _send(folder / "root", ext, immutable=False, publication=publication)


@bp.get("/feed/<int:number>")
@bp.get("/feed/<int:number>.<ext>")
def page(number: int, ext: str | None = None) -> Response:
    folder, publication = _feed_folder()
    state = json.loads((folder / "state.json").read_text(encoding="utf-8"))
    pages = {p["number"]: p for p in state.get("pages", [])}
    if number not in pages:
        last = max(pages, default=0)
        raise NotFound(f"The feed has no page {number}; its pages are 1 to {last}.")
    closed = bool(pages[number]["closed"])
    return _send(folder / "pages" / str(number), ext, immutable=closed, publication=publication)


def _send(stem: Path, ext: str | None, *, immutable: bool, publication: object) -> Response:
    chosen = _choose(ext)
    body = stem.with_name(f"{stem.name}.{chosen}").read_bytes()
    response = Response(body, mimetype=MEDIA_TYPES[chosen])
    base = request.base_url.rsplit(".", 1)[0] if ext else request.base_url
    links = [f'<{base}.{e}>; rel="alternate"; type="{t}"' for e, t in MEDIA_TYPES.items()]
    response.headers["Link"] = ", ".join(links)
    if ext is None:
        add_vary(response, "Accept")
        response.headers["Content-Location"] = f"{base}.{chosen}"
    site = current_app.extensions["avoinkunta"]
    built = publication.modified  # type: ignore[attr-defined]
    response = finish(
        response,
        request,
        body=body,
        last_modified=None if immutable else built,
        max_age=site.settings.cache_max_age,
        cors=True,
    )
    if immutable:
        response.headers["Cache-Control"] = IMMUTABLE
    return response


def _choose(ext: str | None) -> str:
    if ext is not None:
        ext = _ALIASES.get(ext, ext)
        if ext not in MEDIA_TYPES:
            raise NotFound(f"No such format .{ext}; the feed is in .trig, .nq and .jsonld.")
        return ext
    param = request.args.get("format")
    if param is not None:
        name = _ALIASES.get(param, param)
        if name in MEDIA_TYPES:
            return name
        if param in _BY_TYPE:
            return _BY_TYPE[param]
        raise NotAcceptable(f"Unknown format {param!r}; use trig, nq or jsonld.")
    accept = request.headers.get("Accept")
    chosen = negotiate(accept, tuple(MEDIA_TYPES.values()), None, MEDIA_TYPES["trig"])
    if chosen is None:
        # A browser or an RDF client that does not ask for these: TriG, which DCAT-AP
        # Feeds requires, rather than 406 (the feed has no HTML page).
        if accept and re.search(r"text/html|\*/\*|text/turtle", accept):
            return "trig"
        raise NotAcceptable(
            "The feed is served as application/trig, application/n-quads and application/ld+json."
        )
    return _BY_TYPE[chosen]
