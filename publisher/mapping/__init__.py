"""Source records → RDF, written as N-Triples text (no rdflib graph in between).

* ``map_records(suppliers, offerings, uris, register)`` maps the records of ONE source file
  to a :class:`MappedPart`: its N-Triples lines, where each subject came from, and the
  licences it uses. A part depends only on those records, the base URI and the licence
  register, so a build can cache it by file and reuse it.
* ``map_licences(used, register, uris)`` describes the licences the parts use, once.
* ``map_parts(catalogue, uris)`` is every file's part plus the licences part.
* ``map_catalogue(catalogue, uris, vocabulary)`` gives the same as an rdflib graph
  (:class:`Mapped`), for pySHACL, the ledger and the tests.

Blank nodes are labelled by the record and field they come from (``_:offering.x-road.
pricing``) and typed literals are in their canonical form (``publisher.mapping.ntriples``),
so the same sources give the same triples, in the same order, on every build.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.term import Node

from publisher.licences import LicenceRegister
from publisher.mapping.context import Origin, Terms, Writer
from publisher.mapping.licences import add_licences
from publisher.mapping.offerings import add_offering
from publisher.mapping.suppliers import add_supplier
from publisher.namespaces import PREFIXES
from publisher.sources import Catalogue, Offering, Supplier
from publisher.store import new_graph
from publisher.terms import to_rdflib
from publisher.uris import UriScheme

CATALOGUE_GRAPH = "catalogue"
VOCABULARY_GRAPH = "vocabulary"


@dataclass(frozen=True)
class MappedPart:
    """The triples of one source file (or of the licences), as N-Triples.

    ``origins`` maps each subject, written as in N-Triples (``<iri>``, ``_:label``; the same
    text as ``str()`` of a pyoxigraph term and ``.n3()`` of an rdflib one), to the file,
    record and field it came from.
    """

    ntriples: str
    origins: dict[str, Origin] = field(default_factory=dict)
    licences: frozenset[str] = frozenset()

    def __len__(self) -> int:
        return self.ntriples.count("\n")


def map_records(
    suppliers: Iterable[Supplier],
    offerings: Iterable[Offering],
    uris: UriScheme,
    register: LicenceRegister,
    terms: Terms | None = None,
) -> MappedPart:
    """The triples of some suppliers (with their offerings) and loose offerings."""
    writer = Writer(terms or Terms(uris), register)
    for supplier in suppliers:
        add_supplier(writer, supplier)
        for offering in supplier.offerings:
            add_offering(writer, offering)
    for offering in offerings:
        add_offering(writer, offering)
    return MappedPart("".join(writer.lines), writer.origins, frozenset(writer.licences_used))


def map_licences(
    used: Iterable[str], register: LicenceRegister, uris: UriScheme, terms: Terms | None = None
) -> MappedPart:
    writer = Writer(terms or Terms(uris), register)
    add_licences(writer, used, register)
    return MappedPart("".join(writer.lines), writer.origins)


def map_parts(catalogue: Catalogue, uris: UriScheme) -> list[MappedPart]:
    """One part per supplier (the suppliers' files, in catalogue order), then the licences."""
    terms = Terms(uris)
    parts = [
        map_records([supplier], [], uris, catalogue.licences, terms)
        for supplier in catalogue.suppliers
    ]
    used = set().union(*(part.licences for part in parts)) if parts else set()
    parts.append(map_licences(used, catalogue.licences, uris, terms))
    return parts


@dataclass
class Mapped:
    """The mapped catalogue as rdflib graphs, with where each subject came from (for error
    reports); ``parts`` holds the same triples as N-Triples, by source file."""

    catalogue: Graph
    vocabulary: Graph
    origins: dict[Node, Origin] = field(default_factory=dict)
    parts: Sequence[MappedPart] = ()

    def dataset(self, uris: UriScheme) -> Dataset:
        dataset = Dataset()
        for name, graph in ((CATALOGUE_GRAPH, self.catalogue), (VOCABULARY_GRAPH, self.vocabulary)):
            named = dataset.graph(URIRef(uris.graph(name)))
            for triple in graph:
                named.add(triple)
        for prefix, namespace in self.catalogue.namespaces():
            dataset.bind(prefix, namespace, replace=True)
        return dataset

    def union(self) -> Graph:
        graph = new_graph()
        for prefix, namespace in self.catalogue.namespaces():
            graph.bind(prefix, namespace, replace=True)
        for triple in self.catalogue:
            graph.add(triple)
        for triple in self.vocabulary:
            graph.add(triple)
        return graph


def map_catalogue(catalogue: Catalogue, uris: UriScheme, vocabulary: Graph) -> Mapped:
    parts = map_parts(catalogue, uris)
    graph = new_graph(str(uris.vocab))
    origins: dict[Node, Origin] = {}
    for part in parts:
        add_ntriples(graph, part.ntriples)
        origins.update((rdflib_term(key), origin) for key, origin in part.origins.items())
    return Mapped(catalogue=graph, vocabulary=vocabulary, origins=origins, parts=parts)


def add_ntriples(graph: Graph, ntriples: str) -> None:
    """Add N-Triples text to an rdflib graph, keeping blank-node labels (rdflib's own
    parser renames them)."""
    converted: dict[object, Node] = {}  # predicates, classes and concepts repeat

    def term(value: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
        found = converted.get(value)
        if found is None:
            found = converted[value] = to_rdflib(value)
        return found

    add = graph.add
    for triple in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES):
        add((term(triple.subject), term(triple.predicate), term(triple.object)))


def rdflib_term(text: str) -> Node:
    """``<iri>`` → URIRef, ``_:label`` → BNode (the keys of MappedPart.origins)."""
    if text.startswith("_:"):
        return BNode(text[2:])
    return URIRef(text[1:-1])


__all__ = [
    "CATALOGUE_GRAPH",
    "PREFIXES",
    "VOCABULARY_GRAPH",
    "Mapped",
    "MappedPart",
    "Origin",
    "add_ntriples",
    "map_catalogue",
    "map_licences",
    "map_parts",
    "map_records",
    "rdflib_term",
]
