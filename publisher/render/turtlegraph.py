"""A Turtle document read by pyoxigraph, with the few reads of an rdflib Graph that the
people's views of the catalogue pages make (``objects``, ``value``, ``subjects``,
``namespace_manager``), answered in the terms rdflib's Turtle parser makes and in the
order its memory store gives them.

rdflib's parser costs ~40 µs a triple: an ADMS page (3,500 triples) took 135 ms to read
before a line of it was shown; pyoxigraph reads it in ~7 ms, and a term becomes an rdflib
term only when it is read. The page made from it does not change by a byte.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import NamespaceManager
from rdflib.term import Node

from publisher.terms import TermMemo

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _parsed_term(term: ox.NamedNode | ox.Literal) -> Node:
    """The rdflib term rdflib's Turtle parser makes of ``term`` (a typed literal's lexical
    form normalised, as the parser's Literal() does)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    if datatype == XSD_STRING:  # written without a datatype, read back without one
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(datatype))


# The rdflib term of each IRI and literal read lately (titles, licences, formats and
# predicates recur on every page).
_TERMS: TermMemo[ox.NamedNode | ox.Literal] = TermMemo(_parsed_term)


class TurtleGraph:
    def __init__(
        self,
        data: bytes,
        written: tuple[Sequence[Any], dict[str, str]] | None = None,
    ) -> None:
        """The Turtle document ``data``; ``written``: the triples and prefixes pyoxigraph
        wrote it from, in that order (what reading it gives: it is not read again)."""
        if written is None:
            # (lenient: a page pyoxigraph wrote from valid triples, not checked again)
            parser = ox.parse(data, format=ox.RdfFormat.TURTLE, lenient=True)
            # rdflib's store answers in the order triples were added, and its parser adds
            # them in the document's order: so do these (each triple once).
            quads: Sequence[Any] = list(parser)  # (quads, or triples when written)
            prefixes: dict[str, str] = dict(parser.prefixes)
        else:
            quads, prefixes = written
        self._quads = quads
        index: dict[OxTerm, dict[ox.NamedNode, dict[OxTerm, None]]] = {}
        # (a subject's triples, and a predicate's, come one after the other in the pages
        # pyoxigraph writes: the dicts of the last ones are reused while they last)
        subject: OxTerm | None = None
        predicate: ox.NamedNode | None = None
        objects: dict[OxTerm, None] = {}
        for quad in self._quads:
            s, p = quad.subject, quad.predicate
            if s != subject:
                by_predicate = index.setdefault(s, {})
                subject, predicate = s, None
            if p != predicate:
                objects = by_predicate.setdefault(p, {})
                predicate = p
            objects[quad.object] = None
        self._index = index
        # predicate -> object -> subjects, made for a predicate when first asked
        self._by_object: dict[ox.NamedNode, dict[OxTerm, dict[OxTerm, None]]] = {}
        self._data = data
        self._prefixes = prefixes
        self._manager: NamespaceManager | None = None
        self._blank: dict[ox.BlankNode, BNode] = {}
        # The pyoxigraph term of each rdflib term handed out or asked with, by id() (an
        # rdflib term hashes in Python, slowly), with the term itself (kept alive, so its
        # id is not another's).
        self._back: dict[int, tuple[Node, OxTerm]] = {}

    def _rdflib(self, term: OxTerm) -> Node:
        found: Node | None
        if isinstance(term, ox.BlankNode):
            found = self._blank.get(term)
            if found is None:
                found = self._blank[term] = BNode(term.value)
        else:
            found = _TERMS.get(term)
            if found is None:
                found = _TERMS.add(term)
        self._back[id(found)] = (found, term)
        return found

    def _ox(self, node: Node) -> OxTerm | None:
        found = self._back.get(id(node))
        if found is not None and found[0] is node:
            return found[1]
        if isinstance(node, URIRef):
            term = ox.NamedNode(str(node))
            self._back[id(node)] = (node, term)
            return term
        return None  # a blank node or literal this graph did not hand out: not a subject

    def objects(self, subject: Node, predicate: Node) -> Iterator[Node]:
        s, p = self._ox(subject), self._ox(predicate)
        if s is None or not isinstance(p, ox.NamedNode):
            return iter(())
        return iter([self._rdflib(o) for o in self._index.get(s, {}).get(p, ())])

    def value(self, subject: Node, predicate: Node) -> Node | None:
        for o in self.objects(subject, predicate):
            return o
        return None

    def subjects(self, predicate: Node, obj: Node) -> Iterator[Node]:
        p, o = self._ox(predicate), self._ox(obj)
        if not isinstance(p, ox.NamedNode) or o is None:
            return iter(())
        by_object = self._by_object.get(p)
        if by_object is None:
            by_object = self._by_object[p] = {}
            for quad in self._quads:
                if quad.predicate == p:
                    by_object.setdefault(quad.object, {})[quad.subject] = None
        return iter([self._rdflib(s) for s in by_object.get(o, ())])

    @property
    def namespace_manager(self) -> NamespaceManager:
        """The prefixes rdflib's graph would have after reading the document: its default
        ones and the document's ``@prefix`` lines, read by rdflib itself."""
        if self._manager is None:
            n = len(self._prefixes)
            lines = self._data.split(b"\n", n + 1)
            if all(line.startswith(b"@prefix ") for line in lines[:n]) and not (
                len(lines) > n and lines[n].startswith(b"@prefix")
            ):
                header = b"\n".join(lines[:n])
            else:  # prefixes not all at the top (not as pyoxigraph writes): read it all
                header = self._data
            self._manager = Graph().parse(data=header, format="turtle").namespace_manager
        return self._manager
