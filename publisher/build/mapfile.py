"""One source file's records → its triples, as the build caches and publishes them.

The build works per source file: each file's triples, validation result, ledger facts and
dump chunks depend only on that file (and the vocabulary, the licences and the code), so an
unchanged file is never mapped again. The mapper (``publisher.mapping``) gives blank nodes
labels derived from where they come from (``_:offering.x-road.parts.1.pricing``) and
literals in their canonical form; this module sorts its N-Triples (as pyoxigraph writes
them: the form the dumps, the store and SHACL are given), and gives the vocabulary stable
blank-node labels too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph

from publisher.build.terms import Canonical, parse_ntriples, sort_triples, sorted_ntriples
from publisher.licences import LicenceRegister
from publisher.mapping import map_licences as map_licence_part
from publisher.mapping import map_records
from publisher.mapping.context import Origin, Terms
from publisher.sources import ReadResult
from publisher.terms import triple_to_oxigraph
from publisher.uris import UriScheme


@dataclass(frozen=True)
class FileGraph:
    """The triples of one source file (or of the licences), in the build's order."""

    ntriples: bytes  # canonical literals, once each, sorted (terms.sorted_ntriples)
    origins: dict[str, Origin]  # N-Triples form of a subject ("<iri>", "_:…") → origin
    licences_used: frozenset[str]

    @cached_property
    def triples(self) -> list[ox.Triple]:
        return parse_ntriples(self.ntriples)

    @property
    def count(self) -> int:
        return self.ntriples.count(b"\n")

    def packed(self) -> tuple[Any, ...]:
        """Builtin values only, the same bytes when pickled for the same graph (a cache's
        form; ``unpack`` is its inverse)."""
        origins = tuple(
            (key, o.file, o.record, o.field_prefix, o.table) for key, o in self.origins.items()
        )
        return (self.ntriples, origins, tuple(sorted(self.licences_used)))

    @classmethod
    def unpack(cls, packed: tuple[Any, ...]) -> FileGraph:
        ntriples, origins, used = packed
        return cls(ntriples, {key: Origin(*rest) for key, *rest in origins}, frozenset(used))


def map_file(
    result: ReadResult, uris: UriScheme, register: LicenceRegister, terms: Terms
) -> FileGraph:
    """The records of one source file: its suppliers (with their offerings) and the
    offerings it holds for suppliers of other files."""
    part = map_records(result.suppliers, result.offerings, uris, register, terms)
    return FileGraph(sorted_ntriples(part.ntriples), dict(part.origins), frozenset(part.licences))


def map_licences(
    register: LicenceRegister, used: Iterable[str], uris: UriScheme, terms: Terms
) -> FileGraph:
    """The licences the offerings use, with the members of their expressions."""
    part = map_licence_part(sorted(used), register, uris, terms)
    return FileGraph(sorted_ntriples(part.ntriples), dict(part.origins), frozenset())


def map_vocabulary(vocabulary: Graph, canonical: Canonical) -> list[ox.Triple]:
    """The vocabulary's triples, blank nodes labelled by RDF canonicalisation (RDFC-1.0),
    so that the same Turtle gives the same labels on every build."""
    labels: dict[BNode, ox.BlankNode] = {}
    dataset = ox.Dataset()
    for s, p, o in vocabulary:
        for node in (s, o):
            if isinstance(node, BNode) and node not in labels:
                labels[node] = ox.BlankNode()
        triple = canonical.triple(triple_to_oxigraph(s, p, o, labels))
        dataset.add(ox.Quad(triple.subject, triple.predicate, triple.object))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return sort_triples(quad.triple for quad in dataset)
