"""End to end: real clients (SPARQLWrapper, rdflib's SPARQLStore, requests) against the
app served by `avoinkunta serve` on 127.0.0.1 (``live_server`` from tests/conftest.py)."""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import rdflib
import requests
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from sparql_server import serve
from SPARQLWrapper import JSON, POST, POSTDIRECTLY, RDFXML, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from publisher.sparql_mount import sparql_prefixes
from sparql_endpoint.examples import examples

pytestmark = pytest.mark.e2e

EXAMPLES = {example.slug: example for example in examples()}


@pytest.fixture(scope="module")
def endpoint(live_server) -> str:
    return live_server.url + "sparql"


def _wrapper(endpoint: str, query: str, fmt: str = JSON) -> SPARQLWrapper:
    client = SPARQLWrapper(endpoint)
    client.setQuery(query)
    client.setReturnFormat(fmt)
    return client


@pytest.mark.parametrize("slug", list(EXAMPLES))
def test_sparqlwrapper_runs_every_example(live_server, endpoint: str, slug: str) -> None:
    query = EXAMPLES[slug].text(sparql_prefixes(live_server.url))
    if slug == "offering-cards":
        graph = _wrapper(endpoint, query, RDFXML).query().convert()
        assert isinstance(graph, rdflib.Graph) and len(graph) > 0
        return
    result = _wrapper(endpoint, query).query().convert()
    if "boolean" in result:
        assert result["boolean"] is False
    else:
        assert result["results"]["bindings"]


@pytest.mark.parametrize("method", [POST, POSTDIRECTLY])
def test_sparqlwrapper_post_forms_and_xml(live_server, endpoint: str, method: str) -> None:
    client = _wrapper(endpoint, EXAMPLES["suppliers"].text(sparql_prefixes(live_server.url)), XML)
    client.setMethod(POST)
    client.setRequestMethod(method)
    document = client.query().convert()  # xml.dom.minidom.Document
    results = document.getElementsByTagName("result")
    assert len(results) >= 6


def test_sparqlwrapper_update_is_refused(endpoint: str) -> None:
    client = SPARQLWrapper(endpoint)
    client.setMethod(POST)
    client.setQuery("INSERT DATA { <http://x/s> <http://x/p> <http://x/o> }")
    with pytest.raises((SPARQLWrapperException, OSError)) as info:
        client.query()
    assert "403" in str(info.value) or "read-only" in str(info.value)


def test_rdflib_sparqlstore(live_server, endpoint: str) -> None:
    ak = rdflib.Namespace(live_server.url + "ontology#")
    graph = rdflib.Graph(SPARQLStore(endpoint, returnFormat="json"))
    query = EXAMPLES["open-source-by-layer"].text(sparql_prefixes(live_server.url))
    rows = list(graph.query(query))
    assert rows and all(int(row.offerings) > 0 for row in rows)
    suppliers = set(graph.subjects(rdflib.RDF.type, ak.Supplier))
    assert rdflib.URIRef(live_server.url + "id/supplier/city-of-helsinki") in suppliers
    assert graph.query("ASK { ?s a ak:Offering }", initNs={"ak": ak}).askAnswer is True


def test_cors_and_service_description_over_http(endpoint: str) -> None:
    reply = requests.get(endpoint, headers={"Accept": "text/turtle"}, timeout=30)
    assert reply.status_code == 200
    assert reply.headers["Access-Control-Allow-Origin"] == "*"
    graph = rdflib.Graph().parse(data=reply.text, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    assert (rdflib.URIRef(endpoint), rdflib.RDF.type, sd.Service) in graph
    preflight = requests.options(
        endpoint,
        headers={"Origin": "http://example.org", "Access-Control-Request-Method": "POST"},
        timeout=30,
    )
    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"


@pytest.fixture(scope="module")
def strict_server(tmp_path_factory) -> Iterator[str]:
    """A second server, over its own build, with a 4 s limit and four slots per client."""
    env = {"AVOINKUNTA_SPARQL_TIMEOUT": "4", "AVOINKUNTA_SPARQL_PER_CLIENT_CONCURRENCY": "4"}
    with serve(tmp_path_factory.mktemp("strict"), env, workers=2) as served:
        yield served.sparql


def test_runaway_query_over_http_while_others_are_served(strict_server: str) -> None:
    hostile = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    answers: list[requests.Response] = []
    threads = [
        threading.Thread(
            target=lambda: answers.append(
                requests.post(strict_server, data={"query": hostile}, timeout=60)
            )
        )
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    ordinary = EXAMPLES["suppliers"].text(sparql_prefixes(strict_server.removesuffix("sparql")))
    while any(t.is_alive() for t in threads):
        result = _wrapper(strict_server, ordinary).query().convert()
        assert len(result["results"]["bindings"]) > 0
    for thread in threads:
        thread.join()
    assert [a.status_code for a in answers] == [503, 503]
    assert all("was stopped" in a.text for a in answers)
    # and the server still answers afterwards
    assert _wrapper(strict_server, ordinary).query().convert()["results"]["bindings"]


def test_query_page_editor_in_headless_chromium(endpoint: str, tmp_path: Path) -> None:
    """With JavaScript, the bundled YASQE editor replaces the textarea (served by us)."""
    import shutil

    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("headless Chromium is not installed (Debian package `chromium`)")
    dom = subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--virtual-time-budget=10000",
            "--dump-dom",
            endpoint,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    ).stdout
    assert "has-yasqe" in dom  # our enhancement script ran
    assert "CodeMirror" in dom  # and YASQE built its editor
    assert 'name="query"' in dom  # the form is still there to submit
