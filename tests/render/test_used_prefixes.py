"""The prefixes a Turtle/TriG/RDF-XML serialisation declares (publisher.render.rdf
._used_prefixes) are those the comprehension it replaced gave: every prefix whose namespace
begins an IRI of the triples (subject, predicate, object, graph name; not a datatype),
nested namespaces, a namespace equal to an IRI, an empty prefix (never declared)."""

from __future__ import annotations

import itertools
from typing import Any

import pyoxigraph as ox

from publisher.render.rdf import _used_prefixes

NAMESPACES = {
    "": "http://example.org/",
    "ex": "http://example.org/",
    "exa": "http://example.org/a/",
    "exab": "http://example.org/a/b#",
    "exb": "http://example.org/b",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dt": "http://datatypes.example/",
    "g": "http://graphs.example/",
    "none": "http://nowhere.example/",
    "zz": "urn:zz:",
}


def _reference(ordered: Any, namespaces: dict[str, str]) -> dict[str, str]:
    used = {t.value for triple in ordered for t in triple if isinstance(t, ox.NamedNode)}
    return {
        prefix: str(ns)
        for prefix, ns in sorted(namespaces.items())
        if prefix and any(u.startswith(str(ns)) for u in used)
    }


def test_the_prefixes_are_those_of_the_comprehension() -> None:
    iris = [
        "http://example.org/a/b#c",
        "http://example.org/b",
        "http://example.org/bc",
        "http://example.org/a/",
        "urn:zz:1",
        "http://other.example/x",
    ]
    literal = ox.Literal("1", datatype=ox.NamedNode("http://datatypes.example/int"))
    p = ox.NamedNode("http://other.example/p")
    for chosen in itertools.chain.from_iterable(
        itertools.combinations(iris, n) for n in range(len(iris) + 1)
    ):
        nodes = [ox.NamedNode(i) for i in chosen]
        triples = [ox.Triple(n, p, literal) for n in nodes]
        triples += [ox.Triple(ox.BlankNode("b"), p, n) for n in nodes]
        assert _used_prefixes(triples, NAMESPACES) == _reference(triples, NAMESPACES), chosen
    quads = [
        ox.Quad(ox.BlankNode("b"), p, literal, ox.NamedNode("http://graphs.example/1")),
        ox.Quad(ox.BlankNode("b"), ox.NamedNode("urn:zz:p"), literal, ox.DefaultGraph()),
    ]
    assert _used_prefixes(quads, NAMESPACES) == _reference(quads, NAMESPACES)
    assert set(_used_prefixes(quads, NAMESPACES)) == {"g", "zz"}
    assert _used_prefixes([], NAMESPACES) == {}
