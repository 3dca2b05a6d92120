"""What every mapper shares: the graph, the URI scheme and small helpers for literals."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.term import Node


@dataclass
class MappingContext:
    graph: Graph
    uris: Any  # publisher.uris.UriScheme
    ak: Namespace
    origins: dict[Node, tuple[str, str]] = field(default_factory=dict)
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

    def node(self, origin: tuple[str, str]) -> BNode:
        """A new blank node, remembered as coming from ``origin`` (file, record)."""
        node = BNode()
        self.origins[node] = origin
        return node
