"""Helpers for the SPARQL endpoint tests: build a small store from Turtle, make an app.

The store holds the real vocabulary (ontology/*.ttl, the SKOS schemes) in
``{BASE}graph/vocabulary``, a fictional catalogue (data/catalogue.ttl) in
``{BASE}graph/catalogue``, and the three graphs the W3C protocol tests expect.
"""

from __future__ import annotations

import pickle
import time
from pathlib import Path

import flask
import pyoxigraph as ox

import sparql_endpoint
from publisher import errors
from publisher.sparql_mount import sparql_host, sparql_prefixes
from sparql_endpoint.client import Reply
from sparql_endpoint.settings import SparqlSettings

BASE = "http://localhost:8080/"

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).parent / "data"
VOCABULARY = ox.NamedNode(f"{BASE}graph/vocabulary")
CATALOGUE = ox.NamedNode(f"{BASE}graph/catalogue")
PREFIXES = sparql_prefixes(BASE)


def build_store(path: Path) -> Path:
    store = ox.Store(str(path))
    for ttl in sorted([*ROOT.glob("ontology/*.ttl"), *ROOT.glob("ontology/schemes/*.ttl")]):
        store.load(path=str(ttl), format=ox.RdfFormat.TURTLE, base_iri=BASE, to_graph=VOCABULARY)
    store.load(
        path=str(DATA / "catalogue.ttl"),
        format=ox.RdfFormat.TURTLE,
        base_iri=BASE,
        to_graph=CATALOGUE,
    )
    store.load(path=str(DATA / "w3c-protocol.trig"), format=ox.RdfFormat.TRIG)
    store.flush()
    del store
    return path


def make_app(store_dir: Path, **overrides: object) -> flask.Flask:
    settings = SparqlSettings(**{"per_client_concurrency": 8, "workers": 2, **overrides})
    app = flask.Flask("sparql-test")
    sparql_endpoint.init_app(
        app, store_path=lambda: store_dir, host=sparql_host(BASE), settings=settings
    )
    errors.init_app(app)  # the site's one error handler renders the endpoint's errors
    # Loading counts against a query's time limit: have the workers up before the test.
    assert app.extensions["sparql_endpoint"].start(wait=60)
    return app


def submit_directly(app: flask.Flask, query: str, client: str, remaining: float = 300.0) -> Reply:
    """A job sent straight to the broker, as a web process does, with a long deadline: a
    query held on a worker until the test lets it go. ``abandon()`` is a client that
    goes away (the broker then stops the query, or drops it if it was waiting)."""
    endpoint = app.extensions["sparql_endpoint"]
    job = {
        "query": query,
        "default_graph_uris": [],
        "named_graph_uris": [],
        "has_from": False,
        "formats": {"solutions": "json", "boolean": "json", "graph": "nt"},
        "graph_media_type": "application/n-triples",
        "max_rows": 10,
        "prefixes": endpoint.prefixes,
    }
    meta = {
        "timeout": remaining,  # its time on a worker
        "client": client,
        "store": str(endpoint.current_store()),
        "job": pickle.dumps(job),
        "cache_key": None,
        "internal": False,
        "text": query,
    }
    return endpoint.broker.submit(meta, time.monotonic() + remaining)
