"""``init_app``: mount the endpoint on a Flask app."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import flask

from sparql_endpoint.blueprint import EXTENSION, bp
from sparql_endpoint.endpoint import Endpoint
from sparql_endpoint.fastpath import FastPath
from sparql_endpoint.host import Host
from sparql_endpoint.settings import SparqlSettings


def init_app(
    app: flask.Flask,
    *,
    store_path: Callable[[], Path],
    host: Host,
    settings: SparqlSettings | None = None,
) -> Endpoint:
    """Register ``/sparql`` on ``app``; ``store_path()`` names the current store directory.

    ``host`` is what the endpoint needs from the site (prefixes, negotiation, formats,
    languages). ``settings`` default to ``SparqlSettings()`` (defaults and the
    environment). Queries go to the broker at ``settings.broker_socket`` (one for the
    whole server: ``avoinkunta serve`` starts it), or to a broker this app starts for
    itself on first use.
    """
    endpoint = Endpoint(settings or SparqlSettings(), store_path, host)
    app.extensions[EXTENSION] = endpoint
    app.register_blueprint(bp)
    app.wsgi_app = FastPath(app, endpoint, app.wsgi_app)  # type: ignore[method-assign]
    return endpoint
