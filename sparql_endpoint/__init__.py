"""The public SPARQL 1.1 endpoint of the Avoin kunta publication (``/sparql``).

``init_app(app, store_path=…, host=Host(…), settings=SparqlSettings(…))`` registers the
blueprint. Queries run in a pool of worker processes over the current publication's
store, opened read-only; see README.md for the protocol coverage, formats and limits.

Importing the package (or ``sparql_endpoint.settings``) loads neither Flask nor the
endpoint: the build reads the settings without the web layer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sparql_endpoint.app import init_app
    from sparql_endpoint.host import Host
    from sparql_endpoint.settings import SparqlSettings

__all__ = ["Host", "SparqlSettings", "init_app"]

_LAZY = {
    "init_app": "sparql_endpoint.app",
    "Host": "sparql_endpoint.host",
    "SparqlSettings": "sparql_endpoint.settings",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'sparql_endpoint' has no attribute {name!r}")
