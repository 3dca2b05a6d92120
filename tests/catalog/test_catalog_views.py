"""Paging, increments, deletions and formats of /catalog and /catalog/adms, through
Flask's test client over the sample publication (pages of two items; a ledger with two
removed offerings, one with a successor)."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import FOAF, RDF

from publisher.namespaces import ADMS, DCAT, DCT, HYDRA

from .conftest import BASE, OFFERING
from .pages import view_of

WITHDRAWN = URIRef("http://purl.org/adms/status/Withdrawn")


def _graph(response) -> Graph:
    assert response.status_code == 200, response.data[:300]
    return Graph().parse(data=response.data, format=response.mimetype)


def _assets(graph: Graph) -> set[str]:
    return {str(s) for s in graph.subjects(RDF.type, DCAT.Dataset)}


def test_pages_link_absolutely_and_stand_alone(sample_client) -> None:
    first = _graph(sample_client.get("/catalog/adms"))
    view = view_of(first)
    catalogue = URIRef(BASE + "catalog/adms")
    assert first.value(catalogue, HYDRA.totalItems) == Literal(5)
    assert str(first.value(view, HYDRA.first)) == BASE + "catalog/adms?page=1"
    assert str(first.value(view, HYDRA.last)) == BASE + "catalog/adms?page=3"
    assert str(first.value(view, HYDRA.next)) == BASE + "catalog/adms?page=2"
    seen: list[str] = []
    for number in (1, 2, 3):
        page = _graph(sample_client.get(f"/catalog/adms?page={number}"))
        # Each page repeats the catalogue and its publisher.
        assert (catalogue, DCT.title, None) in page
        publisher = page.value(catalogue, DCT.publisher)
        assert (publisher, FOAF.name, None) in page
        seen += sorted(_assets(page))
    assert (view_of(page), HYDRA.next, None) not in page
    assert str(page.value(view_of(page), HYDRA.previous)) == BASE + "catalog/adms?page=2"
    live = [OFFERING + k for k in ("alpha-integrator", "beta-service", "gamma-tool")]
    assert seen == live  # every live offering once, in key order
    assert sample_client.get("/catalog/adms?page=4").status_code == 404
    assert sample_client.get("/catalog/adms?page=0").status_code == 400
    assert sample_client.get("/catalog/adms?page=x").status_code == 400


def test_deletions_are_visible_as_withdrawn_records(sample_client) -> None:
    graph = Graph()
    for number in (1, 2, 3):
        graph += _graph(sample_client.get(f"/catalog/adms?page={number}"))
    removed = {
        str(graph.value(r, FOAF.primaryTopic)) for r in graph.subjects(ADMS.status, WITHDRAWN)
    }
    assert removed == {OFFERING + "old-portal", OFFERING + "dropped-tool"}
    assert graph.value(URIRef(OFFERING + "old-portal"), DCT.isReplacedBy) == URIRef(
        OFFERING + "alpha-integrator"
    )
    assert (URIRef(OFFERING + "old-portal"), RDF.type, DCAT.Dataset) not in graph


@pytest.mark.parametrize(
    "since,expected",
    [
        ("2026-11-21", {"gamma-tool", "old-portal"}),
        ("2026-11-21T10:00:00Z", {"old-portal"}),
        ("2026-11-20", {"beta-service", "gamma-tool", "old-portal"}),
        ("2027-01-01", set()),
    ],
)
def test_modified_since_returns_changes_and_removals(sample_client, since, expected) -> None:
    graph = _graph(sample_client.get(f"/catalog/adms?modified_since={since}&page_size=50"))
    topics = {str(o).rsplit("/", 1)[-1] for o in graph.objects(None, FOAF.primaryTopic)}
    assert topics == expected
    view = view_of(graph)
    assert "modified_since=" in str(graph.value(view, HYDRA.first))


def test_bad_modified_since_is_400(sample_client) -> None:
    response = sample_client.get("/catalog?modified_since=yesterday")
    assert response.status_code == 400
    assert b"ISO 8601" in response.data


@pytest.mark.parametrize(
    "path,media_type",
    [
        ("/catalog.ttl", "text/turtle"),
        ("/catalog.rdf", "application/rdf+xml"),
        ("/catalog.jsonld", "application/ld+json"),
        ("/catalog.nt", "application/n-triples"),
        ("/catalog/adms.nt", "application/n-triples"),
    ],
)
def test_extensions_fix_the_format(sample_client, path, media_type) -> None:
    response = sample_client.get(path, headers={"Accept": "text/html"})
    assert response.mimetype == media_type
    graph = _graph(response)
    assert str(graph.value(view_of(graph), HYDRA.first)).startswith(BASE + path.lstrip("/"))


@pytest.mark.parametrize(
    "accept,media_type",
    [
        (None, "text/turtle"),
        ("*/*", "text/turtle"),
        ("application/ld+json", "application/ld+json"),
        ("application/rdf+xml;q=0.9, text/turtle;q=0.5", "application/rdf+xml"),
    ],
)
def test_negotiation(sample_client, accept, media_type) -> None:
    headers = {"Accept": accept} if accept else {}
    response = sample_client.get("/catalog", headers=headers)
    assert response.mimetype == media_type
    assert "Accept" in response.headers["Vary"]
    _graph(response)


def test_unacceptable_and_unknown_formats(sample_client) -> None:
    assert sample_client.get("/catalog", headers={"Accept": "image/png"}).status_code == 406
    assert sample_client.get("/catalog.csv").status_code == 404


def test_register_dataset_lists_every_dump_with_checksum(sample_client, sample_out) -> None:
    from publisher.publication import Publication

    manifest = Publication.current(sample_out).manifest
    graph = _graph(sample_client.get("/catalog?page_size=50"))
    register = URIRef(BASE + "catalog#offerings")
    urls = {
        str(graph.value(d, DCAT.downloadURL)) for d in graph.objects(register, DCAT.distribution)
    }
    assert urls == {BASE + "dumps/" + name for name in manifest["dumps"]}
    values = {
        str(o) for o in graph.objects(None, URIRef("http://spdx.org/rdf/terms#checksumValue"))
    }
    assert values == {e["sha256"] for e in manifest["dumps"].values()}


def test_catalog_increment_keeps_catalogue_and_service(sample_client) -> None:
    """The register dataset changes with its offerings (last removal 2026-11-25); a page
    with nothing changed still names the catalogue, its publisher and the service."""
    graph = _graph(sample_client.get("/catalog?modified_since=2026-11-25&page_size=50"))
    assert URIRef(BASE + "catalog#offerings") in set(graph.subjects(RDF.type, DCAT.Dataset))
    empty = _graph(sample_client.get("/catalog?modified_since=2030-01-01"))
    catalogue = URIRef(BASE + "catalog")
    assert not set(empty.subjects(RDF.type, DCAT.Dataset))
    assert empty.value(catalogue, HYDRA.totalItems) == Literal(0)
    service = empty.value(catalogue, DCAT.service)
    assert empty.value(service, DCAT.endpointURL) == URIRef(BASE + "sparql")
    full = _graph(sample_client.get("/catalog?page_size=50"))
    served = set(full.objects(full.value(catalogue, DCAT.service), DCAT.servesDataset))
    feed = URIRef(BASE + "feed#stream")  # the change feed: a dataset the endpoint does not serve
    assert served == set(full.objects(catalogue, DCAT.dataset)) - {feed} and len(served) == 7
    assert feed in set(full.objects(catalogue, DCAT.dataset))


def test_conditional_requests_and_alternates(sample_client) -> None:
    first = sample_client.get("/catalog/adms?page=2")
    assert first.status_code == 200 and first.headers["ETag"]
    again = sample_client.get(
        "/catalog/adms?page=2", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304
    other_page = sample_client.get(
        "/catalog/adms?page=3", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert other_page.status_code == 200
    assert f'<{BASE}catalog/adms.jsonld?page=2>; rel="alternate"' in first.headers["Link"]
    assert first.headers["Access-Control-Allow-Origin"] == "*"
