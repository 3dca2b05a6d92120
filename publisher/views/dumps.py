"""``/dumps/``: the whole publication as files, with sizes and checksums."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, request, send_from_directory

from publisher.http import HttpError
from publisher.http.caching import add_cors, add_vary, cache_control, finish
from publisher.views.harvestpages import dumps_page, prefers_html

bp = Blueprint("dumps", __name__)


@bp.get("/dumps/")
def index() -> Response:
    site = current_app.extensions["avoinkunta"]
    if request.args.get("format") != "json" and prefers_html():
        return dumps_page(site)  # people: the files, formats, sizes, checksums as a page
    publication = site.publication()
    response = jsonify(build_id=publication.build_id, files=publication.manifest["dumps"])
    add_vary(response, "Accept")
    return finish(
        response,
        request,
        body=response.get_data(),
        last_modified=publication.modified,
        max_age=site.settings.cache_max_age,
        cors=True,
    )


@bp.get("/dumps/<name>")
def dump(name: str) -> Response:
    publication = current_app.extensions["avoinkunta"].publication()
    entry = publication.manifest["dumps"].get(name)
    if entry is None:
        raise HttpError(404, f"No dump named {name[:80]!r}; see {request.script_root}/dumps/.")
    response = send_from_directory(
        publication.dumps_dir, name, mimetype=entry["media_type"], conditional=True, etag=False
    )
    response.set_etag(entry["sha256"])
    add_cors(response)
    response.headers["Cache-Control"] = cache_control(
        current_app.extensions["avoinkunta"].settings.cache_max_age
    )
    return response
