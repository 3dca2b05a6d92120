"""Federation interfaces over a real server (on 127.0.0.1) with real HTTP clients:
the LDES client replays /feed with `requests`; /reconcile answers an OpenRefine-style
form POST; publiccode.yml is served by negotiation."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
import requests

from publisher.publiccode.validate import validate_text
from tests.conftest import LiveServer
from tests.feed.ldes_client import AS, LdesClient, Replica
from tests.reconcile.schemas import validate

pytestmark = pytest.mark.e2e


def _fetch(url: str, headers: dict[str, str]):  # noqa: ANN202
    response = requests.get(url, headers=headers, timeout=30)
    # requests' headers, not a dict: header names are case-insensitive (Granian sends them
    # in lower case)
    return response.status_code, response.headers, response.content, response.url


def test_ldes_client_replays_the_live_feed(live_server: LiveServer) -> None:
    client = LdesClient(_fetch)
    members = client.run(live_server.url + "feed")
    assert members and client.state.root == live_server.url + "feed"
    replica = Replica()
    replica.apply(members, client.state.timestamp_path, client.state.version_of_path)
    offerings = {e for e in replica.entities() if "/id/offering/" in e}
    store = ox.Store.read_only(str((live_server.out_dir / "current" / "store").resolve()))
    published = {
        q.subject.value
        for q in store.quads_for_pattern(
            None,
            ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
            ox.NamedNode(f"{live_server.url}ontology#Offering"),
            None,
        )
    }
    assert offerings == published
    assert {t for m in members for t in m.types} == {AS + "Create"}
    # a second run asks again only for what may change, and gets 304s
    again = client.run(live_server.url + "feed")
    assert again == []


def test_openrefine_style_post_over_http(live_server: LiveServer) -> None:
    manifest = requests.get(live_server.url + "reconcile", timeout=30)
    assert manifest.headers["Access-Control-Allow-Origin"] == "*"
    validate("0.2", "manifest", manifest.json())
    queries = {
        "q0": {"query": "Oskarin"},
        "q1": {"query": "Lupapiste", "properties": [{"pid": "supplier", "v": "Cloudpermit"}]},
    }
    response = requests.post(
        live_server.url + "reconcile", data={"queries": json.dumps(queries)}, timeout=30
    )
    body = response.json()
    validate("0.2", "reconciliation-result-batch", body)
    assert body["q0"]["result"][0]["id"] == live_server.url + "id/offering/oskari"
    assert body["q1"]["result"][0]["match"] is True


def test_publiccode_by_negotiation_over_http(live_server: LiveServer) -> None:
    response = requests.get(
        live_server.url + "doc/offering/qgis", headers={"Accept": "application/yaml"}, timeout=30
    )
    assert response.status_code == 200 and response.headers["Content-Type"].startswith(
        "application/yaml"
    )
    assert validate_text(response.content).valid
