"""A description copies the labels and types of every IRI it links to. ReadStore reads
each linked IRI's triples once and keeps those facts (publisher.store.LINK_FACTS_KEPT):
the triples and their order are what a read per label property gives (the reference
below), whether the facts were read now, kept from an earlier description, or read again
after the memo was emptied; in the default graph, in named graphs, and in both."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from publisher import store as store_module
from publisher.store import ReadStore

EX = "http://example.org/"
SKOS_LABEL = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
TITLE = ox.NamedNode("http://purl.org/dc/terms/title")
NAME = ox.NamedNode("http://xmlns.com/foaf/0.1/name")
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
OTHER = ox.NamedNode(EX + "other")
LINK = ox.NamedNode(EX + "link")


def _reference(store: ox.Store, iri: str) -> list[str]:
    """The description as ReadStore wrote it before: a read per linked IRI and predicate."""
    triples: list[ox.Triple] = []
    linked: set[ox.NamedNode] = set()
    seen: set[str] = set()

    def closure(subject: ox.NamedNode | ox.BlankNode) -> None:
        seen.add(str(subject))
        for quad in store.quads_for_pattern(subject, None, None, None):
            triples.append(ox.Triple(subject, quad.predicate, quad.object))
            if isinstance(quad.object, ox.BlankNode) and str(quad.object) not in seen:
                closure(quad.object)
            elif isinstance(quad.object, ox.NamedNode):
                linked.add(quad.object)

    closure(ox.NamedNode(iri))
    for node in sorted(linked, key=lambda n: n.value):
        for predicate in (SKOS_LABEL, TITLE, NAME, LABEL, TYPE):
            for quad in store.quads_for_pattern(node, predicate, None, None):
                triples.append(ox.Triple(node, predicate, quad.object))
    return [str(t) for t in triples]


def _fill(path: Path) -> None:
    store = ox.Store(str(path))
    graphs = [ox.DefaultGraph(), ox.NamedNode(EX + "g1"), ox.NamedNode(EX + "g2")]
    for n in range(6):
        thing = ox.NamedNode(f"{EX}thing/{n}")
        for m in range(4):  # each thing links to others, shared between things
            store.add(ox.Quad(thing, LINK, ox.NamedNode(f"{EX}linked/{(n + m) % 7}"), graphs[1]))
        store.add(ox.Quad(thing, LINK, ox.NamedNode(f"https://elsewhere.example/{n}"), graphs[1]))
        part = ox.BlankNode(f"part{n}")
        store.add(ox.Quad(thing, OTHER, part, graphs[1]))
        store.add(ox.Quad(part, LINK, ox.NamedNode(f"{EX}linked/{n}"), graphs[1]))
    for k in range(7):
        node = ox.NamedNode(f"{EX}linked/{k}")
        graph = graphs[k % 3]
        store.add(ox.Quad(node, LABEL, ox.Literal(f"z label {k}", language="fi"), graph))
        store.add(ox.Quad(node, LABEL, ox.Literal(f"a label {k}", language="en"), graph))
        store.add(ox.Quad(node, SKOS_LABEL, ox.Literal(f"pref {k}"), graphs[(k + 1) % 3]))
        if k % 2:
            store.add(ox.Quad(node, TITLE, ox.Literal(f"title {k}"), graph))
            store.add(ox.Quad(node, NAME, ox.Literal(f"name {k}"), graphs[2]))
            # the same triple in two graphs: two quads, two copies (as before)
            store.add(ox.Quad(node, LABEL, ox.Literal(f"a label {k}", language="en"), graphs[2]))
        store.add(ox.Quad(node, TYPE, ox.NamedNode(EX + "Class"), graph))
        store.add(ox.Quad(node, TYPE, ox.NamedNode(EX + "Another"), graph))
        store.add(ox.Quad(node, OTHER, ox.Literal("not copied"), graph))
        store.add(ox.Quad(node, LINK, ox.NamedNode(f"{EX}linked/{(k + 1) % 7}"), graph))
    store.flush()
    del store


@pytest.mark.parametrize("kept", [1024, 2])
def test_linked_facts_are_those_of_a_read_per_predicate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kept: int
) -> None:
    monkeypatch.setattr(store_module, "LINK_FACTS_KEPT", kept)
    _fill(tmp_path / "store")
    reference = ox.Store.read_only(str(tmp_path / "store"))
    read = ReadStore(tmp_path / "store", reopen_after=3)
    for _ in range(3):  # facts read now, then kept (or read again once the memo was full)
        for n in range(6):
            iri = f"{EX}thing/{n}"
            assert [str(t) for t in read.describe_triples(iri)] == _reference(reference, iri)
    assert len(read._link_facts) <= kept


@pytest.mark.parametrize("kept", [1024, 2])
def test_a_description_in_parts_reads_as_the_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kept: int
) -> None:
    """The document HTML reads a description in parts (its own triples, then each linked
    IRI's facts, converted to rdflib terms once while the store keeps them): the same
    triples in the same order as ``TripleSet.of(describe_triples(...))``, whether the
    facts are converted now or kept, also once either memo was emptied."""
    from publisher.catalog import triples as triples_module
    from publisher.catalog.triples import TripleSet

    monkeypatch.setattr(store_module, "LINK_FACTS_KEPT", kept)
    monkeypatch.setattr(triples_module, "LINKED_KEPT", kept)
    _fill(tmp_path / "store")
    reference = ox.Store.read_only(str(tmp_path / "store"))
    read = ReadStore(tmp_path / "store")
    for _ in range(3):
        for n in range(6):
            iri = f"{EX}thing/{n}"
            own, linked = read.describe_parts(iri)
            assert [str(t) for t in [*own, *(t for facts in linked for t in facts)]] == (
                _reference(reference, iri)
            )
            whole = list(TripleSet.of(read.describe_triples(iri)))
            assert list(TripleSet.of_description(own, linked)) == whole
            if kept > 2:  # a linked IRI's facts: converted once, while the store keeps them
                again = TripleSet.of_description(*read.describe_parts(iri))
                parts = [list(TripleSet.of_description([], [facts])) for facts in linked]
                assert list(again) == whole and all(parts)
                assert triples_module._linked_terms(linked[0]) is (
                    triples_module._linked_terms(linked[0])
                )
    assert len(triples_module._LINKED) <= kept


class _Counting:
    """A pyoxigraph store that counts its reads (quads_for_pattern calls)."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self.reads = 0

    def quads_for_pattern(self, *pattern: object) -> object:
        self.reads += 1
        return self.store.quads_for_pattern(*pattern)


def test_a_linked_thing_is_read_a_predicate_at_a_time(tmp_path: Path) -> None:
    """A linked IRI with no triples (a web address) costs one look; one with triples (a
    supplier has ~15) is read a predicate at a time rather than decoded whole."""
    _fill(tmp_path / "store")
    read = ReadStore(tmp_path / "store", reopen_after=None)
    counting = _Counting(read._store)
    read._store = counting  # type: ignore[assignment]
    own, linked = read.describe_parts(f"{EX}thing/0", links=False)
    before = counting.reads
    assert read._facts_of_link(counting, ox.NamedNode("https://elsewhere.example/0")) == ()  # type: ignore[arg-type]
    assert counting.reads == before + 1
    facts = read._facts_of_link(counting, ox.NamedNode(f"{EX}linked/1"))  # type: ignore[arg-type]
    assert counting.reads == before + 2 + len(store_module._LINK_PREDICATES)
    assert {t.predicate for t in facts} == {SKOS_LABEL, TITLE, NAME, LABEL, TYPE}
    assert read._facts_of_link(counting, ox.NamedNode(f"{EX}linked/1")) is facts  # type: ignore[arg-type]
    assert counting.reads == before + 2 + len(store_module._LINK_PREDICATES)
