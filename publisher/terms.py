"""Conversions between pyoxigraph terms and rdflib terms."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

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


OxTerm = TypeVar("OxTerm", bound=ox.NamedNode | ox.BlankNode | ox.Literal)


class TermMemo(Generic[OxTerm]):
    """The rdflib term ``convert`` made of each pyoxigraph term read lately: predicates,
    classes, concepts, licences recur on every page, and an rdflib term costs a check each
    time it is made. At most ``kept`` terms (emptied when full). The web layer has two,
    which convert differently: ``to_rdflib`` (a store's terms, publisher.catalog.triples)
    and the terms rdflib's Turtle parser makes (publisher.render.turtlegraph).

    ``memo.get(term)`` (a dict's: no Python call for a term kept), ``memo.add(term)`` when
    it gives None."""

    def __init__(self, convert: Callable[[OxTerm], Node], kept: int = 50_000) -> None:
        self._convert: Callable[[OxTerm], Node] = convert
        self._kept = kept
        self._terms: dict[OxTerm, Node] = {}
        self.get = self._terms.get  # (the same dict for good: emptied, never replaced)

    def add(self, term: OxTerm) -> Node:
        """``term``'s rdflib term, kept."""
        if len(self._terms) >= self._kept:
            self._terms.clear()
        found = self._terms[term] = self._convert(term)
        return found
