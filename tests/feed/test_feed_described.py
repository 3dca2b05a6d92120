"""The feed is described where harvesters look: in /catalog as a dcat:Dataset with its own
distributions, and in VoID."""

from __future__ import annotations

from flask.testing import FlaskClient
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, VOID

from tests.conftest import BASE

STREAM = URIRef(f"{BASE}feed#stream")


def test_catalog_lists_the_feed_as_a_dataset(client: FlaskClient) -> None:
    graph = Graph().parse(data=client.get("/catalog?page_size=500").data, format="turtle")
    assert (URIRef(f"{BASE}catalog"), DCAT.dataset, STREAM) in graph
    assert (STREAM, RDF.type, DCAT.Dataset) in graph
    distributions = set(graph.objects(STREAM, DCAT.distribution))
    media = {str(graph.value(d, DCAT.mediaType)) for d in distributions}
    assert media == {
        "https://www.iana.org/assignments/media-types/application/trig",
        "https://www.iana.org/assignments/media-types/application/n-quads",
        "https://www.iana.org/assignments/media-types/application/ld+json",
    }
    for dist in distributions:
        url = str(graph.value(dist, DCAT.accessURL))
        response = client.get("/" + url[len(BASE) :])
        assert response.status_code == 200, url
    assert URIRef("https://w3id.org/ldes/specification") in set(
        graph.objects(STREAM, DCTERMS.conformsTo)
    )


def test_void_names_the_feed(client: FlaskClient) -> None:
    graph = Graph().parse(data=client.get("/.well-known/void.ttl").data, format="turtle")
    assert (URIRef(f"{BASE}catalog#offerings"), VOID.subset, STREAM) in graph
    assert (STREAM, VOID.rootResource, URIRef(f"{BASE}feed")) in graph
