"""The Flask application factory."""

from __future__ import annotations

from flask import Flask

from publisher import http
from publisher.config import Settings
from publisher.i18n import CATALOGUES
from publisher.render import html
from publisher.site import Site
from publisher.sparql_mount import mount_sparql
from publisher.views import BLUEPRINTS


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or Settings.from_env()
    # Each language's messages are read now, when the process starts, not by the first
    # page a reader asks for in that language.
    for lang in CATALOGUES.languages:
        CATALOGUES.catalogue(lang)
    app = Flask(__name__)
    app.json.sort_keys = False  # type: ignore[attr-defined]
    site = Site(settings)
    app.extensions["avoinkunta"] = site
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    html.init_app(app)
    mount_sparql(app, site)
    http.init_app(app, settings.base_uri, settings.render_time_limit)
    return app
