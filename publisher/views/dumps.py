"""``/dumps/``: the whole publication as files, with sizes and checksums."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, jsonify, send_from_directory

bp = Blueprint("dumps", __name__)


@bp.get("/dumps/")
def index() -> Response:
    publication = current_app.extensions["avoinkunta"].publication()
    return jsonify(build_id=publication.build_id, files=publication.manifest["dumps"])


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
