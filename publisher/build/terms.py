"""RDF terms as the build handles them: pyoxigraph terms, in one canonical form.

The store (Oxigraph) keeps typed literals in their canonical form: ``"0.0"^^xsd:decimal``
becomes ``"0"``, ``+00:00`` becomes ``Z``, ``"1"^^xsd:boolean`` becomes ``"true"``. Every
literal the build writes goes through ``Canonical.literal`` first, so that the dumps, the
store and every document served from the store carry the same term, byte for byte.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_S = ox.NamedNode("urn:x-avoinkunta:canonical")

Term = ox.NamedNode | ox.BlankNode | ox.Literal


class Canonical:
    """Turns literals into the form the store keeps them in, by asking a small in-memory
    store (the store's own rules, not a copy of them); remembered per lexical form."""

    def __init__(self) -> None:
        self._store = ox.Store()
        self._known: dict[tuple[str, str], ox.Literal] = {}

    def literal(self, literal: ox.Literal) -> ox.Literal:
        datatype = literal.datatype.value
        if datatype in (XSD_STRING, RDF_LANG_STRING):
            return literal
        key = (literal.value, datatype)
        found = self._known.get(key)
        if found is None:
            self._store.add(ox.Quad(_S, _S, literal))
            (quad,) = list(self._store.quads_for_pattern(_S, _S, None))
            self._store.remove(quad)
            if not isinstance(quad.object, ox.Literal):
                raise TypeError(f"the store turned {literal} into {quad.object}")
            found = self._known[key] = quad.object
        return found

    def triple(self, triple: ox.Triple) -> ox.Triple:
        obj = triple.object
        if isinstance(obj, ox.Literal):
            canonical = self.literal(obj)
            if canonical is not obj:
                return ox.Triple(triple.subject, triple.predicate, canonical)
        return triple


def sort_triples(triples: Iterable[ox.Triple]) -> list[ox.Triple]:
    """The triples once each (a graph is a set: the mapper may write one twice, e.g. a
    keyword given twice), in one order for every build: by the N-Triples text of subject,
    predicate, object."""
    unique = {(str(t.subject), str(t.predicate), str(t.object)): t for t in triples}
    return [unique[key] for key in sorted(unique)]


def ntriples(triples: Iterable[ox.Triple]) -> bytes:
    return ox.serialize(list(triples), format=ox.RdfFormat.N_TRIPLES) or b""


def sorted_ntriples(data: str | bytes) -> bytes:
    """N-Triples → the same triples once each, in the order of ``sort_triples``, as
    pyoxigraph writes them (one line each, ``s p o .``); the build's form of a file's graph.

    Sorting the lines is sorting by (subject, predicate, object) text, because a term's
    text never continues past the space that ends it: an IRI ends with ``>``, which no IRI
    holds; a blank-node label is followed by a space, which sorts before any character a
    label can have; the object ends the line before `` .``. And UTF-8 bytes sort as their
    code points do, as Python's strings do. So this is ``ntriples(sort_triples(parsed))``
    without building a Python key per triple (tests/test_build.py checks the two agree)."""
    parsed = ox.parse(data, format=ox.RdfFormat.N_TRIPLES, rename_blank_nodes=False)
    lines = sorted(set((ox.serialize(parsed, format=ox.RdfFormat.N_TRIPLES) or b"").splitlines()))
    return b"\n".join(lines) + b"\n" if lines else b""


def parse_ntriples(data: bytes) -> list[ox.Triple]:
    """The triples of N-Triples that pyoxigraph wrote (``sorted_ntriples``, ``ntriples``),
    in their order. Read leniently: its terms were checked when they were first parsed,
    and the lenient parser gives the same triples without checking every IRI and language
    tag again (about half the parse)."""
    parsed = ox.parse(data, format=ox.RdfFormat.N_TRIPLES, rename_blank_nodes=False, lenient=True)
    return [quad.triple for quad in parsed]
