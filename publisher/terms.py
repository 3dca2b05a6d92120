"""Conversions between pyoxigraph terms and rdflib terms."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    if datatype == XSD_STRING:
        return Literal(term.value)
    # normalize=False: keep the store's canonical lexical form (rdflib would rewrite a
    # dateTime's "Z" as "+00:00", another form of the term in its JSON-LD).
    return Literal(term.value, datatype=URIRef(datatype), normalize=False)


def to_oxigraph(
    term: Node, blank_nodes: dict[BNode, ox.BlankNode] | None = None
) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as a pyoxigraph term; blank nodes keep their label, or take the one
    `blank_nodes` gives them."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term)) if blank_nodes is None else blank_nodes[term]
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot convert {term!r}")


def triple_to_oxigraph(
    subject: Node,
    predicate: Node,
    obj: Node,
    blank_nodes: dict[BNode, ox.BlankNode] | None = None,
) -> ox.Triple:
    """An rdflib triple as a pyoxigraph one (a literal subject or a predicate that is not
    an IRI is not RDF: refused); blank nodes as in `to_oxigraph`."""
    s, p = to_oxigraph(subject, blank_nodes), to_oxigraph(predicate, blank_nodes)
    if isinstance(s, ox.Literal) or not isinstance(p, ox.NamedNode):
        raise TypeError(f"not an RDF triple: {subject!r} {predicate!r} {obj!r}")
    return ox.Triple(s, p, to_oxigraph(obj, blank_nodes))
