"""``/dumps/``: the whole publication as files, with sizes and checksums."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, jsonify, request, send_from_directory

from publisher.views.harvestpages import dumps_page, prefers_html

bp = Blueprint("dumps", __name__)


@bp.get("/dumps/")
def index() -> Response:
    site = current_app.extensions["avoinkunta"]
    if request.args.get("format") != "json" and prefers_html():
        return dumps_page(site)  # people: the files, formats, sizes, checksums as a page
    publication = site.publication()
    response = jsonify(build_id=publication.build_id, files=publication.manifest["dumps"])
    response.headers["Vary"] = "Accept"
    return response


@bp.get("/dumps/<name>")
def dump(name: str) -> Response:
    publication = current_app.extensions["avoinkunta"].publication()
    entry = publication.manifest["dumps"].get(name)
    if entry is None:
        abort(404, f"No dump named {name!r}; see /dumps/ for the list.")
    response = send_from_directory(
        publication.dumps_dir, name, mimetype=entry["media_type"], conditional=True, etag=False
    )
    response.set_etag(entry["sha256"])
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = (
        f"public, max-age={current_app.extensions['avoinkunta'].settings.cache_max_age}"
    )
    return response
