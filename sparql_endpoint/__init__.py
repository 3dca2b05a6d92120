"""The public SPARQL 1.1 endpoint of the Avoin kunta publication (``/sparql``).

``init_app(app, store_path=…, base_uri=…)`` registers the blueprint. Queries run in a
pool of worker processes over the current publication's store, opened read-only; see
README.md for the protocol coverage, formats and limits.
"""

from __future__ import annotations

import atexit
from collections.abc import Callable
from pathlib import Path

import flask

from sparql_endpoint.blueprint import EXTENSION, Endpoint, bp
from sparql_endpoint.limits import ClientLimiter
from sparql_endpoint.pool import WorkerPool
from sparql_endpoint.settings import SparqlSettings

__all__ = ["SparqlSettings", "init_app"]


def init_app(
    app: flask.Flask,
    *,
    store_path: Callable[[], Path],
    base_uri: str,
    settings: SparqlSettings | None = None,
) -> None:
    """Register ``/sparql`` on ``app``; ``store_path()`` names the current store directory."""
    settings = settings or SparqlSettings.from_env()
    pool = WorkerPool(settings, store_path)
    atexit.register(pool.close)
    app.extensions[EXTENSION] = Endpoint(
        settings=settings,
        store_path=store_path,
        base_uri=base_uri,
        pool=pool,
        limiter=ClientLimiter(settings.per_client_concurrency, settings.lock_dir),
    )
    app.register_blueprint(bp)
