"""The Service Description: what a client needs, parsed with rdflib, and no update."""

from __future__ import annotations

import pytest
import rdflib
from rdflib import RDF, Namespace

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
        (None, "turtle"),
        ("*/*", "turtle"),
    ],
)
def test_service_description(sparql_client, store_dir, accept, rdflib_format) -> None:
    headers = {"Accept": accept} if accept else {}
    response = sparql_client.get("/sparql", headers=headers)
    assert response.status_code == 200
    graph = rdflib.Graph().parse(data=response.data, format=rdflib_format)
    service = graph.value(predicate=RDF.type, object=SD.Service)
    assert service is not None
    assert graph.value(service, SD.endpoint) == service
    assert str(service).endswith("/sparql")
    languages = set(graph.objects(service, SD.supportedLanguage))
    assert SD.SPARQL11Query in languages
    assert SD.SPARQL11Update not in languages
    assert {
        FORMATS.SPARQL_Results_JSON,
        FORMATS.SPARQL_Results_XML,
        FORMATS.SPARQL_Results_CSV,
        FORMATS.SPARQL_Results_TSV,
        FORMATS.Turtle,
        FORMATS["N-Triples"],
        FORMATS["JSON-LD"],
        FORMATS.RDF_XML,
    } <= set(graph.objects(service, SD.resultFormat))
    assert SD.UnionDefaultGraph in set(graph.objects(service, SD.feature))
    assert SD.BasicFederatedQuery not in set(graph.objects(service, SD.feature))
    dataset = graph.value(service, SD.defaultDataset)
    default_graph = graph.value(dataset, SD.defaultGraph)
    names = {str(graph.value(n, SD.name)) for n in graph.objects(dataset, SD.namedGraph)}
    assert {
        "http://localhost:8080/graph/vocabulary",
        "http://localhost:8080/graph/catalogue",
    } <= names
    # The statistics are the store's real figures.
    import pyoxigraph as ox

    store = ox.Store.read_only(str(store_dir))
    total = len(set((q.subject, q.predicate, q.object) for q in store))
    assert int(graph.value(default_graph, VOID.triples)) == total
    catalogue = next(
        n
        for n in graph.objects(dataset, SD.namedGraph)
        if str(graph.value(n, SD.name)).endswith("graph/catalogue")
    )
    in_catalogue = len(
        list(
            store.quads_for_pattern(
                None, None, None, ox.NamedNode("http://localhost:8080/graph/catalogue")
            )
        )
    )
    assert int(graph.value(graph.value(catalogue, SD.graph), VOID.triples)) == in_catalogue


def test_browser_gets_the_query_page(sparql_client) -> None:
    response = sparql_client.get(
        "/sparql",
        headers={"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"},
    )
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert "<form" in response.get_data(as_text=True)


def test_the_description_is_the_same_bytes_every_time() -> None:
    """Its blank nodes are named from what they stand for (they were random: every web
    process, and every description made, gave other bytes)."""
    import pyoxigraph as ox

    from sparql_endpoint.service_description import describe
    from sparql_endpoint.settings import SparqlSettings

    def made() -> bytes:
        triples = describe(
            "http://example.org/sparql",
            SparqlSettings(),
            {"triples": 10, "distinct_subjects": 2},
            {"http://example.org/graph/a": {"triples": 4}, "http://example.org/graph/b": {}},
            (),
        )
        return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)

    first = made()
    assert first.count(b"_:") >= 6  # the dataset, its default graph, two named graphs
    assert made() == first
