"""Source records → RDF. One small mapper per kind of record, all adding to one graph
(ckanext-dcat's habit). ``map_catalogue`` is the entry point."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Dataset, Graph, URIRef
from rdflib.term import Node

from publisher.mapping import licences, offerings, suppliers
from publisher.mapping.context import MappingContext, Origin
from publisher.sources import Catalogue
from publisher.store import new_graph
from publisher.uris import UriScheme

CATALOGUE_GRAPH = "catalogue"
VOCABULARY_GRAPH = "vocabulary"


@dataclass
class Mapped:
    """The mapped catalogue, with where each subject came from (for error reports)."""

    catalogue: Graph
    vocabulary: Graph
    origins: dict[Node, Origin] = field(default_factory=dict)

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
    graph = new_graph(str(uris.vocab))
    context = MappingContext(graph=graph, uris=uris, ak=uris.vocab, register=catalogue.licences)
    for supplier in catalogue.suppliers:
        suppliers.add_supplier(context, supplier)
        for offering in supplier.offerings:
            offerings.add_offering(context, offering)
    licences.add_licences(context, catalogue.licences)
    return Mapped(catalogue=graph, vocabulary=vocabulary, origins=context.origins)
