"""What every mapper shares: the graph, the URI scheme and small helpers for literals."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.term import Node


@dataclass(frozen=True)
class Origin:
    """Where a node of the graph came from: a file, a record and a field within it."""

    file: str
    record: str
    field_prefix: str = ""


@dataclass
class MappingContext:
    graph: Graph
    uris: Any  # publisher.uris.UriScheme
    ak: Namespace
    origins: dict[Node, Origin] = field(default_factory=dict)
    register: Any = None  # publisher.licences.LicenceRegister
    licences_used: set[str] = field(default_factory=set)

    def add_texts(self, subject: Node, predicate: URIRef, texts: dict[str, str]) -> None:
        for lang, text in texts.items():
            self.graph.add((subject, predicate, Literal(text, lang=lang)))

    def add_iris(self, subject: Node, predicate: URIRef, iris: Any) -> None:
        for iri in iris:
            self.graph.add((subject, predicate, URIRef(iri)))

    def add_iri(self, subject: Node, predicate: URIRef, iri: str | None) -> None:
        if iri:
            self.graph.add((subject, predicate, URIRef(iri)))

    def node(self, origin: Origin, field_prefix: str) -> BNode:
        """A new blank node, remembered as the ``field_prefix`` part of ``origin``'s record."""
        node = BNode()
        self.origins[node] = Origin(origin.file, origin.record, field_prefix)
        return node
