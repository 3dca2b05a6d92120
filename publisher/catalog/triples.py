"""The graphs a catalogue page (and a document's HTML) is built in: a set of rdflib-term
triples with the few reads the builders and publisher.render.lens make (``add``,
``objects``, ``value``, ``subjects``, ``predicate_objects``, ``(s, p, o) in`` with ``o``
possibly None, iteration), indexed by subject and predicate; what a pattern gives comes in
the order rdflib's SimpleMemory store would give it for the same additions.

A page of 50 assets adds about 9,000 triples and reads some 130 descriptions; rdflib's
Graph costs tens of microseconds per triple in bookkeeping the builders never use (contexts,
events, every pattern index). The same triples come out: the bytes of a page do not
change.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import pyoxigraph as ox
from rdflib.term import Node

from publisher.terms import TermMemo, to_oxigraph, to_rdflib

Triple = tuple[Node, Node, Node]
# The rdflib term of each IRI read lately (predicates, classes, concepts, suppliers recur in
# every description).
_IRIS: TermMemo[ox.NamedNode] = TermMemo(to_rdflib)


def _iri(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
    """``to_rdflib(term)``, an IRI's from ``_IRIS``."""
    if not isinstance(term, ox.NamedNode):
        return to_rdflib(term)
    found = _IRIS.get(term)
    return _IRIS.add(term) if found is None else found


# The rdflib triples of the facts of linked IRIs (a ReadStore's tuples, by identity: the
# tuple is kept with its triples, so its id is not reused while it is here); emptied when
# full.
_LINKED: dict[int, tuple[tuple[ox.Triple, ...], tuple[Triple, ...]]] = {}
LINKED_KEPT = 1024


def _linked_terms(facts: tuple[ox.Triple, ...]) -> tuple[Triple, ...]:
    kept = _LINKED.get(id(facts))
    if kept is not None and kept[0] is facts:
        return kept[1]
    iri = _iri
    terms = tuple(
        (iri(t.subject), iri(t.predicate), iri(t.object))  # type: ignore[arg-type]
        for t in facts
    )
    if len(_LINKED) >= LINKED_KEPT:
        _LINKED.clear()
    _LINKED[id(facts)] = (facts, terms)
    return terms


class TripleSet:
    def __init__(self, triples: Iterable[Triple] = ()) -> None:
        self._index: dict[Node, dict[Node, dict[Node, None]]] = {}
        self._namespaces: dict[str, str] = {}
        self._length = 0
        for triple in triples:
            self.add(triple)

    @classmethod
    def of(cls, triples: Iterable[ox.Triple]) -> TripleSet:
        """pyoxigraph triples (a store's description) as rdflib terms."""
        iri = _iri
        return cls(
            (iri(t.subject), iri(t.predicate), iri(t.object))  # type: ignore[arg-type]
            for t in triples
        )

    @classmethod
    def of_description(
        cls, own: Iterable[ox.Triple], linked: Iterable[tuple[ox.Triple, ...]]
    ) -> TripleSet:
        """``TripleSet.of`` of a description in the parts ``ReadStore.describe_parts``
        gives (the same triples, in the same order): the facts of a linked IRI converted
        once while the store keeps them (the same concepts and licences are linked from
        thousands of descriptions; their labels would be new rdflib literals each time)."""
        found = cls.of(own)
        add = found.add
        for facts in linked:
            for triple in _linked_terms(facts):
                add(triple)
        return found

    def add(self, triple: Triple) -> TripleSet:
        s, p, o = triple
        objects = self._index.setdefault(s, {}).setdefault(p, {})
        if o not in objects:
            objects[o] = None
            self._length += 1
        return self

    def __contains__(self, triple: tuple[Node, Node, Node | None]) -> bool:
        s, p, o = triple
        objects = self._index.get(s, {}).get(p)
        if not objects:
            return False
        return True if o is None else o in objects

    def objects(self, subject: Node | None, predicate: Node) -> Iterator[Node]:
        """The objects of ``subject``'s ``predicate`` in the order added (of every
        subject's when ``subject`` is None)."""
        if subject is None:
            return iter([o for po in self._index.values() for o in po.get(predicate, ())])
        return iter(list(self._index.get(subject, {}).get(predicate, ())))

    def subjects(self, predicate: Node, obj: Node) -> Iterator[Node]:
        return iter([s for s, po in self._index.items() if obj in po.get(predicate, ())])

    def predicate_objects(self, subject: Node) -> Iterator[tuple[Node, Node]]:
        """``subject``'s (predicate, object) pairs, grouped by predicate, in the order added."""
        return iter([(p, o) for p, os in self._index.get(subject, {}).items() for o in os])

    def value(self, subject: Node, predicate: Node) -> Node | None:
        for o in self._index.get(subject, {}).get(predicate, ()):
            return o
        return None

    def __iter__(self) -> Iterator[Triple]:
        for s, predicates in self._index.items():
            for p, objects in predicates.items():
                for o in objects:
                    yield s, p, o

    def __len__(self) -> int:
        return self._length

    def bind(self, prefix: str, namespace: Any) -> None:
        self._namespaces[prefix] = str(namespace)

    def namespaces(self) -> Iterator[tuple[str, str]]:
        return iter(self._namespaces.items())

    def serialize(self, format: str = "nt", encoding: str = "utf-8") -> bytes:
        """N-Triples (what the feed's artefact reads back), as rdflib's Graph would."""
        if format not in ("nt", "nt11", "ntriples") or encoding != "utf-8":
            raise ValueError(f"TripleSet writes N-Triples in UTF-8 only, not {format}")
        return ox.serialize(self.oxigraph(), format=ox.RdfFormat.N_TRIPLES) or b""

    def oxigraph(self) -> list[ox.Triple]:
        return [
            ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))  # type: ignore[arg-type]
            for s, p, o in self
        ]
