"""One source file's records → its triples, as the build caches and publishes them.

The build works per supplier file: each file's triples, validation result, ledger facts
and dump chunks depend only on that file (and the vocabulary, the licences and the code),
so an unchanged file is never mapped again. This module is the one place where the build
calls the mapper (``publisher.mapping``); it gives every blank node a label derived from
where it comes from (the record and the field: ``offering x-road`` + ``parts.1.pricing``),
so that the same sources give the same labels on every build, and every literal its
canonical form (``terms.Canonical``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import BNode, Graph

from publisher.build.terms import Canonical, from_rdflib, sort_triples
from publisher.licences import LicenceRegister
from publisher.mapping import licences, offerings, suppliers
from publisher.mapping.context import MappingContext, Origin
from publisher.sources import Supplier
from publisher.uris import UriScheme


@dataclass(frozen=True)
class FileGraph:
    """The triples of one source file (or of the licences), in the build's order."""

    triples: list[ox.Triple]  # canonical literals, sorted (terms.sort_triples)
    origins: dict[str, Origin]  # N-Triples form of a subject ("<iri>", "_:b…") → origin
    licences_used: frozenset[str]


def blank_label(origin: Origin) -> str:
    """A blank-node label from where the node comes from: the same on every build, and
    unique because record ids are unique over all files."""
    key = f"{origin.record}\0{origin.field_prefix}".encode()
    return "b" + hashlib.sha256(key).hexdigest()[:24]


def map_supplier_file(
    supplier: Supplier, uris: UriScheme, register: LicenceRegister, canonical: Canonical
) -> FileGraph:
    context = MappingContext(graph=Graph(), uris=uris, ak=uris.vocab, register=register)
    suppliers.add_supplier(context, supplier)
    for offering in supplier.offerings:
        offerings.add_offering(context, offering)
    return _file_graph(context, canonical)


def map_licences(
    register: LicenceRegister, used: Iterable[str], uris: UriScheme, canonical: Canonical
) -> FileGraph:
    """The licences the offerings use, with the members of their expressions."""
    context = MappingContext(graph=Graph(), uris=uris, ak=uris.vocab, register=register)
    context.licences_used.update(used)
    licences.add_licences(context, register)
    return _file_graph(context, canonical)


def _file_graph(context: MappingContext, canonical: Canonical) -> FileGraph:
    labels: dict[BNode, ox.BlankNode] = {}
    origins: dict[str, Origin] = {}
    for node, origin in context.origins.items():
        if isinstance(node, BNode):
            label = ox.BlankNode(blank_label(origin))
            labels[node] = label
            origins[str(label)] = origin
        else:
            origins[f"<{node}>"] = origin
    triples = []
    for s, p, o in context.graph:
        triples.append(
            canonical.triple(
                ox.Triple(
                    from_rdflib(s, labels),  # type: ignore[arg-type]
                    from_rdflib(p, labels),  # type: ignore[arg-type]
                    from_rdflib(o, labels),
                )
            )
        )
    return FileGraph(sort_triples(triples), origins, frozenset(context.licences_used))


def map_vocabulary(vocabulary: Graph, canonical: Canonical) -> list[ox.Triple]:
    """The vocabulary's triples, blank nodes labelled by RDF canonicalisation (RDFC-1.0),
    so that the same Turtle gives the same labels on every build."""
    labels: dict[BNode, ox.BlankNode] = {}
    dataset = ox.Dataset()
    for s, p, o in vocabulary:
        for node in (s, o):
            if isinstance(node, BNode) and node not in labels:
                labels[node] = ox.BlankNode()
        triple = canonical.triple(
            ox.Triple(
                from_rdflib(s, labels),  # type: ignore[arg-type]
                from_rdflib(p, labels),  # type: ignore[arg-type]
                from_rdflib(o, labels),
            )
        )
        dataset.add(ox.Quad(triple.subject, triple.predicate, triple.object))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return sort_triples(quad.triple for quad in dataset)
