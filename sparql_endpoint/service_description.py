"""SPARQL 1.1 Service Description of this endpoint, with VoID statistics.

Describes what the endpoint really does: SPARQL 1.1 Query only (no update is
advertised, because none is accepted), its result formats, the union default graph,
the named graphs with their sizes, and its limits (as text, there being no standard
terms for them).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence

import pyoxigraph as ox

from sparql_endpoint.formats import SOLUTION_FORMATS, ResultFormat
from sparql_endpoint.settings import SparqlSettings

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
DCT = "http://purl.org/dc/terms/"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
FORMATS_NS = "http://www.w3.org/ns/formats/"

# W3C unique URIs for file formats (https://www.w3.org/ns/formats/), by media type
_FORMAT_IRIS = {
    "application/sparql-results+json": "SPARQL_Results_JSON",
    "application/sparql-results+xml": "SPARQL_Results_XML",
    "text/csv": "SPARQL_Results_CSV",
    "text/tab-separated-values": "SPARQL_Results_TSV",
    "text/turtle": "Turtle",
    "application/n-triples": "N-Triples",
    "application/ld+json": "JSON-LD",
    "application/rdf+xml": "RDF_XML",
    "text/n3": "N3",
}

# Statistics asked of the store through the worker pool (so they obey the time limit).
STATS_BY_GRAPH = """
SELECT ?g (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?subjects)
       (COUNT(DISTINCT ?p) AS ?properties) (COUNT(DISTINCT ?o) AS ?objects)
WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g
"""
STATS_DEFAULT = """
SELECT (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?subjects)
       (COUNT(DISTINCT ?p) AS ?properties) (COUNT(DISTINCT ?o) AS ?objects)
WHERE { ?s ?p ?o }
"""
STATS_CLASSES = "SELECT (COUNT(DISTINCT ?c) AS ?classes) WHERE { [] a ?c }"

_VOID_TERMS = {
    "triples": "triples",
    "subjects": "distinctSubjects",
    "properties": "properties",
    "objects": "distinctObjects",
    "classes": "classes",
}


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _int(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=_n("http://www.w3.org/2001/XMLSchema#integer"))


def describe(
    endpoint: str,
    settings: SparqlSettings,
    default_stats: Mapping[str, int],
    graph_stats: Mapping[str, Mapping[str, int]],
    graph_formats: Sequence[ResultFormat],
) -> list[ox.Triple]:
    """The description as triples; ``endpoint`` is the endpoint's URL."""
    service = _n(endpoint)
    triples: list[ox.Triple] = []

    def add(
        s: ox.NamedNode | ox.BlankNode, p: str, o: ox.NamedNode | ox.BlankNode | ox.Literal
    ) -> None:
        triples.append(ox.Triple(s, _n(p), o))

    triples.append(ox.Triple(service, RDF_TYPE, _n(SD + "Service")))
    add(service, SD + "endpoint", service)
    add(service, SD + "supportedLanguage", _n(SD + "SPARQL11Query"))
    add(service, SD + "supportedLanguage", _n(SD + "SPARQL10Query"))
    for fmt in (*SOLUTION_FORMATS, *graph_formats):
        if fmt.media_type in _FORMAT_IRIS:
            add(service, SD + "resultFormat", _n(FORMATS_NS + _FORMAT_IRIS[fmt.media_type]))
    add(service, SD + "feature", _n(SD + "UnionDefaultGraph"))
    add(service, SD + "feature", _n(SD + "EmptyGraphs"))
    if settings.service_allowlist:
        add(service, SD + "feature", _n(SD + "BasicFederatedQuery"))
    add(service, SD + "defaultEntailmentRegime", _n("http://www.w3.org/ns/entailment/Simple"))
    add(service, DCT + "title", ox.Literal("Avoin kunta – SPARQL-kyselypalvelu", language="fi"))
    add(service, DCT + "title", ox.Literal("Avoin kunta – SPARQL query service", language="en"))
    limits = (
        f"Read-only. Each query may run for {settings.timeout:g} s; results are cut at "
        f"{settings.max_rows} rows (header SPARQL-Results-Truncated); queries may be "
        f"{settings.max_query_length} characters long; {settings.per_client_concurrency} "
        "concurrent queries per client address. "
        + (
            "SERVICE is allowed to: " + " ".join(settings.service_allowlist) + "."
            if settings.service_allowlist
            else "SERVICE is not available."
        )
    )
    add(service, RDFS + "comment", ox.Literal(limits, language="en"))

    # Blank nodes named from what they stand for, not random: the same description gives
    # the same bytes in every process and on every request.
    dataset = ox.BlankNode("dataset")
    add(service, SD + "defaultDataset", dataset)
    triples.append(ox.Triple(dataset, RDF_TYPE, _n(SD + "Dataset")))
    triples.append(ox.Triple(dataset, RDF_TYPE, _n(VOID + "Dataset")))
    default_graph = ox.BlankNode("default-graph")
    add(dataset, SD + "defaultGraph", default_graph)
    triples.append(ox.Triple(default_graph, RDF_TYPE, _n(SD + "Graph")))
    add(
        default_graph,
        RDFS + "comment",
        ox.Literal("The union of all the named graphs.", language="en"),
    )
    for key, value in default_stats.items():
        if key in _VOID_TERMS:
            add(default_graph, VOID + _VOID_TERMS[key], _int(value))
            add(dataset, VOID + _VOID_TERMS[key], _int(value))
    for name, stats in graph_stats.items():
        tag = hashlib.sha256(name.encode("utf-8")).hexdigest()[:16]
        named = ox.BlankNode(f"named-graph-{tag}")
        graph = ox.BlankNode(f"graph-{tag}")
        add(dataset, SD + "namedGraph", named)
        triples.append(ox.Triple(named, RDF_TYPE, _n(SD + "NamedGraph")))
        add(named, SD + "name", _n(name))
        add(named, SD + "graph", graph)
        triples.append(ox.Triple(graph, RDF_TYPE, _n(SD + "Graph")))
        for key, value in stats.items():
            if key in _VOID_TERMS:
                add(graph, VOID + _VOID_TERMS[key], _int(value))
    return triples
