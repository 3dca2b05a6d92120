"""A new publication switched in is served from the next query on, by the same workers."""

from __future__ import annotations

import json
from pathlib import Path

import flask
import pyoxigraph as ox
import pytest
from sparql_fixtures import BASE

import sparql_endpoint
from publisher.sparql_mount import sparql_host
from sparql_endpoint.settings import SparqlSettings

# Slow layer (starts SPARQL worker processes): not in `make test-fast`.
pytestmark = pytest.mark.slow


def _store(path: Path, label: str) -> Path:
    store = ox.Store(str(path))
    store.add(
        ox.Quad(
            ox.NamedNode(f"{BASE}id/supplier/x"),
            ox.NamedNode("http://xmlns.com/foaf/0.1/name"),
            ox.Literal(label),
            ox.NamedNode(f"{BASE}graph/catalogue"),
        )
    )
    store.flush()
    del store
    return path


def test_switched_publication_is_served(tmp_path: Path) -> None:
    first = _store(tmp_path / "first", "first build")
    second = _store(tmp_path / "second", "second build")
    current = {"path": first}
    app = flask.Flask("switch-test")
    sparql_endpoint.init_app(
        app,
        store_path=lambda: current["path"],
        host=sparql_host(BASE),
        settings=SparqlSettings(workers=1),
    )
    client = app.test_client()
    query = {"query": "SELECT ?name WHERE { ?s foaf:name ?name }"}
    endpoint = app.extensions["sparql_endpoint"]
    try:

        def names() -> list[str]:
            response = client.get("/sparql", query_string=query)
            assert response.status_code == 200
            return [b["name"]["value"] for b in json.loads(response.data)["results"]["bindings"]]

        assert names() == ["first build"]
        current["path"] = second
        # Until the new publication is loaded the previous one answers (no query fails),
        # then the new one does; nothing was restarted by force.
        assert names() in (["first build"], ["second build"])
        assert endpoint.start(wait=60)
        assert names() == ["second build"]
        assert endpoint.status()["restarts"] == 0
        # The service description's statistics follow the switch too.
        turtle = client.get("/sparql", headers={"Accept": "text/turtle"}).get_data(as_text=True)
        assert "void:triples 1 " in turtle
    finally:
        endpoint.close()


def test_nothing_published_yet_is_503(tmp_path: Path) -> None:
    def no_publication() -> Path:
        raise AttributeError("'NoneType' object has no attribute 'store_path'")

    app = flask.Flask("unpublished")
    sparql_endpoint.init_app(
        app,
        store_path=no_publication,
        host=sparql_host(BASE),
        settings=SparqlSettings(workers=1),
    )
    try:
        for headers in ({}, {"Accept": "text/turtle"}):
            response = app.test_client().get(
                "/sparql",
                query_string={"query": "ASK {}"} if not headers else None,
                headers=headers,
            )
            assert response.status_code == 503
            assert "Nothing is published yet" in response.get_data(as_text=True)
    finally:
        app.extensions["sparql_endpoint"].close()
