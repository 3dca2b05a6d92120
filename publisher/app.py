"""The Flask application factory."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

import sparql_endpoint
from publisher import http
from publisher.config import Settings
from publisher.render import html
from publisher.site import Site
from publisher.views import BLUEPRINTS


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or Settings.from_env()
    app = Flask(__name__)
    app.json.sort_keys = False  # type: ignore[attr-defined]
    site = Site(settings)
    app.extensions["avoinkunta"] = site
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    html.init_app(app)
    _init_sparql(app, site)
    http.init_app(app, settings.base_uri)
    return app


def _init_sparql(app: Flask, site: Site) -> None:
    sparql_endpoint.init_app(
        app,
        store_path=lambda: site.publication().store_path,
        base_uri=site.settings.base_uri,
        state_dir=Path(site.settings.out_dir) / ".sparql",
    )
