"""publisher.catalog.triples.TripleSet reads as rdflib's SimpleMemory graph reads the same
additions (document pages are rendered from a TripleSet: their bytes depend on it)."""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from publisher.catalog.triples import TripleSet

EX = "http://example.org/"
A, B, C = URIRef(EX + "a"), URIRef(EX + "b"), URIRef(EX + "c")
PART = BNode("p1")
TRIPLES = [
    (A, RDF.type, URIRef(EX + "Offering")),
    (A, DCTERMS.title, Literal("A", lang="fi")),
    (A, DCTERMS.hasPart, PART),
    (B, RDFS.label, Literal("B")),
    (A, DCTERMS.title, Literal("A", lang="en")),
    (PART, DCTERMS.license, C),
    (A, DCTERMS.license, B),
    (B, RDF.type, URIRef(EX + "Offering")),
    (A, DCTERMS.title, Literal("A", lang="fi")),  # again: a set
    (C, RDFS.label, Literal("C", lang="sv")),
]


def _both() -> tuple[TripleSet, Graph]:
    mine, theirs = TripleSet(), Graph(store="SimpleMemory")
    for triple in TRIPLES:
        mine.add(triple)
        theirs.add(triple)
    return mine, theirs


def test_the_same_reads_in_the_same_order() -> None:
    mine, theirs = _both()
    assert len(mine) == len(theirs)
    for s in (A, B, C, PART, URIRef(EX + "none")):
        assert list(mine.predicate_objects(s)) == list(theirs.predicate_objects(s))
        for p in (RDF.type, DCTERMS.title, DCTERMS.license, RDFS.label, DCTERMS.hasPart):
            assert list(mine.objects(s, p)) == list(theirs.objects(s, p))
            assert mine.value(s, p) == theirs.value(s, p)
            assert ((s, p, None) in mine) == ((s, p, None) in theirs)
    assert sorted(mine.objects(None, DCTERMS.license)) == sorted(
        theirs.objects(None, DCTERMS.license)
    )
    assert sorted(mine.subjects(RDF.type, URIRef(EX + "Offering"))) == sorted(
        theirs.subjects(RDF.type, URIRef(EX + "Offering"))
    )
    assert list(mine.subjects(RDF.type, URIRef(EX + "None"))) == []
