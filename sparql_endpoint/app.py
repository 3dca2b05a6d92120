"""``init_app``: mount the endpoint on a Flask app."""

from __future__ import annotations

import atexit
import sys
from collections.abc import Callable
from pathlib import Path

import flask

from sparql_endpoint.admission import Admission
from sparql_endpoint.blueprint import EXTENSION, Endpoint, bp
from sparql_endpoint.host import Host
from sparql_endpoint.limits import ClientLimiter, lock_directory
from sparql_endpoint.pool import WorkerPool
from sparql_endpoint.settings import SparqlSettings


def init_app(
    app: flask.Flask,
    *,
    store_path: Callable[[], Path],
    host: Host,
    settings: SparqlSettings | None = None,
    state_dir: Path | None = None,
) -> None:
    """Register ``/sparql`` on ``app``; ``store_path()`` names the current store directory.

    ``host`` is what the endpoint needs from the site (prefixes, negotiation, formats,
    languages). ``settings`` default to ``SparqlSettings()`` (defaults and the
    environment). ``state_dir`` is this deployment's own folder for the endpoint's
    run-time state (the per-client lock files), shared by its server processes and by no
    other deployment; the ``lock_dir`` setting overrides it.
    """
    settings = settings or SparqlSettings()
    pool = WorkerPool(settings, store_path)
    atexit.register(pool.close)
    if "gunicorn.workers.base" in sys.modules:
        # A server process about to take requests (gunicorn loads the app in each of its
        # workers): start the query workers now. Their start-up counts against a query's
        # time limit, so the first queries should not have to wait for it. Other apps
        # (tests, scripts) start them with their first query.
        pool.start()
    app.extensions[EXTENSION] = Endpoint(
        settings=settings,
        store_path=store_path,
        host=host,
        pool=pool,
        limiter=ClientLimiter(
            settings.per_client_concurrency,
            lock_directory(settings.lock_dir, state_dir, host.base_uri),
        ),
        admission=Admission(settings),
    )
    app.register_blueprint(bp)
