"""The web processes' store (publisher.store.ReadStore) opens its pyoxigraph store again
every ``reopen_after`` reads (to drop RocksDB's block cache): what it reads is the same
before and after, also for an iteration begun before an opening."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from publisher.store import ReadStore

EX = "http://example.org/"


def _store(path: Path) -> None:
    store = ox.Store(str(path))
    graph = ox.NamedNode(EX + "graph")
    for n in range(5):
        thing = ox.NamedNode(f"{EX}thing/{n}")
        part = ox.BlankNode(f"part{n}")
        store.add(ox.Quad(thing, ox.NamedNode(EX + "label"), ox.Literal(f"thing {n}"), graph))
        store.add(ox.Quad(thing, ox.NamedNode(EX + "part"), part, graph))
        store.add(ox.Quad(part, ox.NamedNode(EX + "price"), ox.Literal(str(n)), graph))
        store.add(
            ox.Quad(thing, ox.NamedNode(EX + "next"), ox.NamedNode(f"{EX}thing/{n + 1}"), graph)
        )
    store.flush()
    del store


def test_reads_are_the_same_across_openings(tmp_path: Path) -> None:
    _store(tmp_path / "store")
    once = ReadStore(tmp_path / "store", reopen_after=None)
    often = ReadStore(tmp_path / "store", reopen_after=2)
    for _ in range(3):
        for n in range(5):
            iri = f"{EX}thing/{n}"
            assert often.exists(iri) and once.exists(iri)
            assert [str(t) for t in often.describe_triples(iri)] == [
                str(t) for t in once.describe_triples(iri)
            ]
    assert once.openings == 1
    assert often.openings > 5
    assert not often.exists(EX + "nothing")
    rows = often.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert [row["n"].value for row in rows] == ["20"]


def test_an_iteration_keeps_the_store_it_began_with(tmp_path: Path) -> None:
    _store(tmp_path / "store")
    store = ReadStore(tmp_path / "store", reopen_after=2)
    quads = store.quads()
    first = next(quads)
    for n in range(6):  # several openings while the iteration is under way
        store.describe_triples(f"{EX}thing/{n % 5}")
    rest = list(quads)
    assert len([first, *rest]) == 20


def test_existence_and_type_answers_are_kept_and_do_not_reopen(tmp_path: Path) -> None:
    """``exists``/``has_type`` come with every request of a document, cached or not: their
    answers are kept, and they do not count towards the next opening (they read the first
    blocks of what a description of the same thing reads)."""
    _store(tmp_path / "store")
    store = ReadStore(tmp_path / "store", reopen_after=2)
    label = EX + "label"
    for _ in range(4):
        assert store.exists(f"{EX}thing/1")
        assert not store.exists(EX + "nothing")
        assert not store.has_type(f"{EX}thing/1", EX + "Thing")
    assert store.openings == 1
    assert store._reads == 0
    store.describe_triples(f"{EX}thing/1")
    store.describe_triples(f"{EX}thing/2")  # the second counted read opens it again
    assert store.openings == 2
    assert store.exists(f"{EX}thing/4") and not store.exists(label)


def test_values_are_kept(tmp_path: Path) -> None:
    """``values`` (the licences' facts every document page asks for) reads the store once
    per subject and predicates: asked again, the same triples come without a read."""
    from rdflib import URIRef

    _store(tmp_path / "store")
    store = ReadStore(tmp_path / "store", reopen_after=None)
    predicates = [URIRef(EX + "label"), URIRef(EX + "next")]
    subjects = [f"{EX}thing/{n}" for n in (3, 1, 9)]
    first = list(store.values(subjects, predicates))
    reads = store._reads
    assert [str(o) for _s, _p, o in first] == [
        "thing 3",
        f"{EX}thing/4",
        "thing 1",
        f"{EX}thing/2",
    ]
    assert list(store.values(subjects, predicates)) == first
    assert store._reads == reads
    assert list(store.values(subjects[1:], predicates[:1])) == [first[2]]
