"""The read interface of a publication's store: exists, describe, query.

The web layer reads the data only through this class. The default implementation is the
embedded pyoxigraph store of the publication, opened read-only (several server processes
can share it).

Memory: pyoxigraph opens a read-only store with RocksDB block caches of 128 MiB (id2str)
+ 32 MiB that Python cannot size, and they fill as descriptions are read: a web process
that has read 2,000 offerings of a 30,000-offering store holds ~90 MB more, and would grow
to ~160 MB. They buy little: a description costs ~2.5 ms of CPU whether its blocks are in
that cache or only in the system's page cache. So a ``ReadStore`` opens its store again
after ``reopen_after`` reads (the old cache dropped, its memory given back to the system
with glibc's ``malloc_trim``): ~10 ms per opening, a few MB of cache between openings.

A description copies the labels and types of every IRI it links to; the same concepts,
licences and suppliers recur in thousands of descriptions, so a ``ReadStore`` keeps those
facts of the last thousand linked IRIs that have any (the store never changes). For the same
reason it keeps the answers of ``exists`` and ``has_type`` (asked on every request of a
document, cached or not), and those reads do not count towards the next opening: they read
the first blocks of what a description of the same thing reads.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, RDFS, SKOS
from rdflib.term import Node

from publisher.budget import checkpoint
from publisher.namespaces import PREFIXES
from publisher.terms import to_rdflib
from sparql_endpoint.allocator import trim_heap

Triple = tuple[Node, Node, Node]

# Properties that name a thing; their values are copied into a description for every IRI
# the described resource links to, so a client can show a label without another request.
LABEL_PROPERTIES = (SKOS.prefLabel, DCTERMS.title, FOAF.name, RDFS.label)
_LABELS = tuple(ox.NamedNode(str(p)) for p in LABEL_PROPERTIES)
_TYPE = ox.NamedNode(str(RDF.type))
_PREFIXES = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
# Counted reads (describe, values not kept, query, ...; not exists/has_type) between two
# openings of the store: ~75 documents (a document's one counted read is its description),
# ~15 MB of block cache at most (30,000 offerings; see the module's docstring). (Before
# exists/has_type went uncounted it was 300 reads, 75-100 documents.)
REOPEN_AFTER = 75
# Linked IRIs whose labels and types a ReadStore keeps (~400 bytes a triple: ~1.7 MB a web
# process; the concepts and licences every description links to, and the suppliers read
# lately); emptied when full.
LINK_FACTS_KEPT = 1024
# Answers of exists/has_type kept (~200 bytes each); emptied when full.
ANSWERS_KEPT = 4096
_LINK_PREDICATES = (*_LABELS, _TYPE)


def rdflib_term(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Node:
    """A term of the store as rdflib's (the publication holds no quoted triples)."""
    if isinstance(term, ox.Triple):
        raise TypeError(f"a quoted triple is not published: {term}")
    return to_rdflib(term)


class ReadStore:
    def __init__(self, path: Path, *, reopen_after: int | None = REOPEN_AFTER) -> None:
        """``reopen_after``: reads between two openings of the store (None: never again)."""
        self.path = Path(path)
        self._store = ox.Store.read_only(str(self.path))
        self._reopen_after = reopen_after
        self._reads = 0
        self._lock = threading.Lock()
        self.openings = 1
        self._link_facts: dict[ox.NamedNode, tuple[ox.Triple, ...]] = {}
        self._answers: dict[tuple[str, str | None], bool] = {}
        self._values: dict[tuple[str, tuple[ox.NamedNode, ...]], tuple[Triple, ...]] = {}

    def _read(self, *, counted: bool = True) -> ox.Store:
        """The store for one read, opened again every ``reopen_after`` counted reads. A
        read in another thread keeps the store it began with (its iterator holds it) until
        it ends."""
        if not counted:
            return self._store
        self._reads += 1  # under the GIL; a read lost to a race only delays the opening
        if self._reopen_after is not None and self._reads >= self._reopen_after:
            with self._lock:
                if self._reads >= self._reopen_after:
                    self._reads = 0
                    self._store = ox.Store.read_only(str(self.path))
                    self.openings += 1
                    trim_heap()
        return self._store

    def exists(self, iri: str) -> bool:
        """Is there any triple whose subject is ``iri``?"""
        found = self._answers.get((iri, None))
        if found is None:
            subject = ox.NamedNode(iri)
            quads = self._read(counted=False).quads_for_pattern(subject, None, None, None)
            found = self._keep((iri, None), next(iter(quads), None) is not None)
        return found

    def has_type(self, iri: str, cls: str) -> bool:
        """Is ``iri`` an instance of ``cls`` (one index lookup, no query)?"""
        found = self._answers.get((iri, cls))
        if found is None:
            pattern = (ox.NamedNode(iri), _TYPE, ox.NamedNode(cls), None)
            quads = self._read(counted=False).quads_for_pattern(*pattern)
            found = self._keep((iri, cls), next(iter(quads), None) is not None)
        return found

    def _keep(self, question: tuple[str, str | None], answer: bool) -> bool:
        if len(self._answers) >= ANSWERS_KEPT:
            self._answers.clear()
        self._answers[question] = answer
        return answer

    def describe_triples(self, iri: str, *, links: bool = True) -> list[ox.Triple]:
        """The resource's own triples, its blank-node structures whole (parts, prices,
        contact points) and, unless ``links=False``, the labels and types of every IRI it
        links to; as pyoxigraph triples, in a stable order (the same bytes in every
        process)."""
        own, facts = self.describe_parts(iri, links=links)
        for found in facts:
            own.extend(found)
        return own

    def describe_parts(
        self, iri: str, *, links: bool = True
    ) -> tuple[list[ox.Triple], list[tuple[ox.Triple, ...]]]:
        """`describe_triples` in two parts: the resource's own triples (its blank-node
        structures whole), and the labels and types of each IRI it links to, one tuple a
        linked IRI, in the order `describe_triples` gives them. A linked IRI's tuple is the
        same object as long as this store keeps it (a reader may convert it once)."""
        checkpoint()  # every read of the store is a point where a render may stop
        store = self._read()
        triples: list[ox.Triple] = []
        linked: set[ox.NamedNode] = set()
        self._add_closure(store, triples, ox.NamedNode(iri), linked, seen=set())
        if not links:
            return triples, []
        facts = [self._facts_of_link(store, node) for node in sorted(linked, key=_value)]
        return triples, [found for found in facts if found]

    def _facts_of_link(self, store: ox.Store, node: ox.NamedNode) -> tuple[ox.Triple, ...]:
        """``node``'s labels and types: the triples of each of ``_LINK_PREDICATES`` in
        turn, each predicate's in the store's order (what a read per predicate gives)."""
        found = self._link_facts.get(node)
        if found is not None:
            return found
        # Most linked IRIs without facts are web addresses with no triples at all: one
        # look tells. A thing with triples (a supplier has ~15) is then read a predicate
        # at a time: decoding its other triples costs more than the few reads.
        if next(iter(store.quads_for_pattern(node, None, None, None)), None) is None:
            return ()
        found = tuple(
            quad.triple
            for predicate in _LINK_PREDICATES
            for quad in store.quads_for_pattern(node, predicate, None, None)
        )
        if found:  # (web addresses with no facts are looked at again: cheap, mostly unique)
            if len(self._link_facts) >= LINK_FACTS_KEPT:
                self._link_facts.clear()
            self._link_facts[node] = found
        return found

    def describe(self, iri: str, *, vocab: str | None = None, links: bool = True) -> Graph:
        """`describe_triples` as an rdflib graph (with our prefixes when ``links``)."""
        # Without links it is only read (the catalogues): rdflib's store without contexts,
        # cheaper to fill.
        graph = new_graph(vocab) if links else Graph(store="SimpleMemory", bind_namespaces="none")
        graph.addN(
            (rdflib_term(t.subject), to_rdflib(t.predicate), rdflib_term(t.object), graph)
            for t in self.describe_triples(iri, links=links)
        )
        return graph

    def query(
        self,
        sparql: str,
        *,
        bindings: Mapping[str, str | ox.NamedNode | ox.Literal] | None = None,
        prefixes: Mapping[str, str] | None = None,
        **options: Any,
    ) -> Any:
        """Run a read query over the union of the named graphs (unless told otherwise).

        ``bindings`` give variables their values before the query runs (a ``str`` is an
        IRI): values are never spliced into the query text. ``prefixes`` are declared for
        the query besides the standard ones of ``publisher.namespaces``."""
        checkpoint()
        options.setdefault("use_default_graph_as_union", True)
        if bindings:
            options["substitutions"] = {
                ox.Variable(name): ox.NamedNode(value) if isinstance(value, str) else value
                for name, value in bindings.items()
            }
        options["prefixes"] = {**_PREFIXES, **(prefixes or {})}
        return self._read().query(sparql, **options)

    def quads(self, *, graph: ox.NamedNode | None = None) -> Iterator[ox.Quad]:
        """Every quad (of one named graph when `graph` is given)."""
        return iter(self._read().quads_for_pattern(None, None, None, graph))

    def values(
        self, subjects: Iterable[str], predicates: Iterable[URIRef]
    ) -> Iterator[tuple[Node, Node, Node]]:
        """The triples of each subject IRI with one of `predicates`, as rdflib terms (the
        labels and facts a page shows of the things it links to); kept per subject and
        predicates (the same licences' facts are asked for by thousands of pages)."""
        wanted = tuple(ox.NamedNode(str(p)) for p in predicates)
        store: ox.Store | None = None
        for iri in subjects:
            checkpoint()
            found = self._values.get((iri, wanted))
            if found is None:
                store = store or self._read()
                node = ox.NamedNode(iri)
                found = tuple(
                    (URIRef(iri), to_rdflib(predicate), rdflib_term(quad.object))
                    for predicate in wanted
                    for quad in store.quads_for_pattern(node, predicate, None, None)
                )
                if len(self._values) >= ANSWERS_KEPT:
                    self._values.clear()
                self._values[(iri, wanted)] = found
            yield from found

    def _add_closure(
        self,
        store: ox.Store,
        triples: list[ox.Triple],
        subject: ox.NamedNode | ox.BlankNode,
        linked: set[ox.NamedNode],
        seen: set[str],
    ) -> None:
        seen.add(str(subject))
        for quad in store.quads_for_pattern(subject, None, None, None):
            triple = quad.triple  # (one object made, not three)
            triples.append(triple)
            obj = triple.object
            if isinstance(obj, ox.BlankNode) and str(obj) not in seen:
                self._add_closure(store, triples, obj, linked, seen)
            elif isinstance(obj, ox.NamedNode):
                linked.add(obj)


def _value(node: ox.NamedNode) -> str:
    return node.value


def new_graph(vocab: str | None = None, *, store: str = "default") -> Graph:
    """An rdflib graph with our prefixes bound (``ak:`` when the vocabulary is given);
    ``store="SimpleMemory"`` for a graph that needs no contexts (cheaper to fill)."""
    graph = Graph(store=store, bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    graph.bind("rdf", RDF)
    if vocab:
        graph.bind("ak", vocab)
    return graph


__all__ = ["BNode", "LABEL_PROPERTIES", "ReadStore", "new_graph"]
