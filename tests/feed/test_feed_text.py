"""The feed's text paths give what the store's terms and pyoxigraph's serialiser give:
descriptions read from the N-Quads dump (payload.DumpIndex) equal those read from the
store, and a member written as text (pages.member_text) is the N-Quads of member_quads."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from publisher.feed import pages, payload
from publisher.feed.model import CREATE, UPDATE, FeedIris
from publisher.uris import UriScheme

BASE = "http://example.org/"
GRAPH = f"{BASE}graph/catalogue"
OTHER = f"{BASE}graph/vocabulary"
P = f"{BASE}ontology#"
TRICKY = [
    'a "quoted" \\ backslash',
    "line\nbreak\rreturn\ttab",
    "separators \u2028 \u2029 \x85 \x0b \x0c \x1c",
    "ääkköset ja € ja 𝄞",
    "looks like _:b0123456789abcdef0123 <x> .",
    f"x <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{P}Fake> y",
    "",
]


def _n(local: str) -> ox.NamedNode:
    return ox.NamedNode(f"{BASE}id/{local}")


def _quads() -> list[ox.Quad]:
    graph, other = ox.NamedNode(GRAPH), ox.NamedNode(OTHER)
    offering, part, price = _n("offering/x"), ox.BlankNode("p1"), ox.BlankNode("p2")
    quads = [
        ox.Quad(offering, ox.NamedNode(P + "part"), part, graph),
        ox.Quad(part, ox.NamedNode(P + "price"), price, graph),
        ox.Quad(
            price,
            ox.NamedNode(P + "amount"),
            ox.Literal("12.5", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")),
            graph,
        ),
        ox.Quad(part, ox.NamedNode(P + "name"), ox.Literal("osa", language="fi"), graph),
        # the same subject in another graph, and an object that is the graph's name
        ox.Quad(offering, ox.NamedNode(P + "label"), ox.Literal("vocab"), other),
        ox.Quad(offering, ox.NamedNode(P + "graph"), ox.NamedNode(GRAPH), graph),
    ]
    for number, text in enumerate(TRICKY):
        quads.append(ox.Quad(offering, ox.NamedNode(P + f"t{number}"), ox.Literal(text), graph))
        quads.append(
            ox.Quad(part, ox.NamedNode(P + f"t{number}"), ox.Literal(text, language="en"), graph)
        )
    return quads


@pytest.mark.parametrize("bulk", [False, True])
def test_dump_index_reads_what_the_store_holds(tmp_path: Path, bulk: bool) -> None:
    quads = _quads()
    if not bulk:  # a default graph whose line ends like one of the graph
        quads.append(ox.Quad(_n("offering/x"), ox.NamedNode(P + "in"), ox.NamedNode(GRAPH)))
    store = ox.Store()
    store.extend(quads)
    # As the dump: each subject's lines together, in chunks (here: split in two).
    lines = ox.serialize(sorted(quads, key=str), format=ox.RdfFormat.N_QUADS) or b""
    body = lines.splitlines(keepends=True)
    dump = tmp_path / "dump.nq"
    dump.write_bytes(b"".join(body[3:] + body[:3]))
    index = payload.DumpIndex(dump, GRAPH, default_graph_empty=bulk)
    subject = f"{BASE}id/offering/x"
    from_store = payload.text_closure(store, subject, GRAPH)
    assert sorted(index.closure(subject)) == sorted(from_store)
    assert payload.canonical(index.closure(subject), "b") == payload.canonical(from_store, "b")
    assert payload.text_hash(payload.canonical(from_store, "b")) == payload.description_hash(
        [
            (q.subject, q.predicate, q.object)
            for q in store.quads_for_pattern(None, None, None, ox.NamedNode(GRAPH))
        ]
    )


@pytest.mark.parametrize("kind", [CREATE, UPDATE])
def test_member_text_is_the_serialised_member(kind: str) -> None:
    store = ox.Store()
    store.extend(_quads())
    triples = payload.closure(store, f"{BASE}id/offering/x", GRAPH)
    lines = payload.canonical(payload.to_lines(triples), "b")
    kept = payload.canonical(payload.to_lines(triples), payload.PLACEHOLDER + "b")
    assert payload.text_hash(kept) == payload.text_hash(lines)
    assert [line.replace(payload.PLACEHOLDER, "") for line in kept] == lines
    iris = FeedIris(UriScheme(BASE))
    activity = iris.activity(3, "0123456789abcdef")
    args = (iris, activity, kind, f"{BASE}id/offering/x", "2026-12-01T17:04:52Z")
    quads = pages.member_quads(
        *args,
        [f"{line} <urn:x-payload> ." for line in lines],
        bnode_prefix="m0123456789abcdef",
    )
    expected = (ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b"").decode()
    assert pages.member_text(*args, kept, "m0123456789abcdef") == expected
    assert (
        pages.member_text(*args, [], "m0")
        == (
            ox.serialize(pages.member_quads(*args, []), format=ox.RdfFormat.N_QUADS) or b""
        ).decode()
    )


def test_canonical_labels_as_by_terms() -> None:
    """The line-based labelling gives what labelling by terms gives, for nested, shared,
    isomorphic and leaf blank nodes and for literals that merely look like them."""
    store = ox.Store()
    store.extend(_quads())
    lines = payload.to_lines(payload.closure(store, f"{BASE}id/offering/x", GRAPH))
    lines += [
        f"<{BASE}id/offering/x> <{P}twin> _:t1",
        f"<{BASE}id/offering/x> <{P}twin> _:t2",  # isomorphic to t1: one line each way
        f'_:t1 <{P}name> "twin"',
        f'_:t2 <{P}name> "twin"',
        f"_:t1 <{P}leaf> _:leaf",  # a blank node with nothing under it
        f"_:t2 <{P}shared> _:p9",
        f'_:p9 <{P}name> "_:p9 is not a blank node here"',
    ]
    assert payload.canonical(lines, "b") == payload._canonical_general(lines, "b")
    cycle = [f"_:c1 <{P}next> _:c2", f"_:c2 <{P}next> _:c1", f"<{BASE}x> <{P}p> _:c1"]
    assert payload.canonical(cycle, "b") == payload._canonical_general(cycle, "b")
