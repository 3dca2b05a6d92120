"""The public SPARQL 1.1 endpoint of the Avoin kunta publication (``/sparql``).

``init_app(app, store_path=…, base_uri=…)`` registers the blueprint. Queries run in a
pool of worker processes over the current publication's store, opened read-only; see
README.md for the protocol coverage, formats and limits.
"""

from __future__ import annotations

import atexit
import sys
from collections.abc import Callable
from pathlib import Path

import flask

from sparql_endpoint.admission import Admission
from sparql_endpoint.blueprint import EXTENSION, Endpoint, bp
from sparql_endpoint.limits import ClientLimiter, lock_directory
from sparql_endpoint.pool import WorkerPool
from sparql_endpoint.settings import SparqlSettings

__all__ = ["SparqlSettings", "init_app"]


def init_app(
    app: flask.Flask,
    *,
    store_path: Callable[[], Path],
    base_uri: str,
    settings: SparqlSettings | None = None,
    state_dir: Path | None = None,
) -> None:
    """Register ``/sparql`` on ``app``; ``store_path()`` names the current store directory.

    ``state_dir`` is this deployment's own folder for the endpoint's run-time state (the
    per-client lock files), shared by its server processes and by no other deployment;
    the ``lock_dir`` setting overrides it.
    """
    settings = settings or SparqlSettings.from_env()
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
        base_uri=base_uri,
        pool=pool,
        limiter=ClientLimiter(
            settings.per_client_concurrency,
            lock_directory(settings.lock_dir, state_dir, base_uri),
        ),
        admission=Admission(settings),
    )
    app.register_blueprint(bp)
