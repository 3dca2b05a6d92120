"""``/healthz``: is a publication being served, and which one."""

from flask import Blueprint, Response, current_app, jsonify

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> Response:
    publication = current_app.extensions["avoinkunta"].publication()
    response = jsonify(
        ok=True,
        build_id=publication.build_id,
        built_at=publication.manifest["built_at"],
        triples=publication.manifest["triples"],
    )
    response.headers["Cache-Control"] = "no-store"
    return response
