"""publisher.terms.TermMemo, the bounded memo of rdflib terms both term conversions of the
web layer use (publisher.catalog.triples: to_rdflib; publisher.render.turtlegraph: the
terms rdflib's Turtle parser makes): a kept term is the same object, a term not kept is
converted (once), at most ``kept`` terms are kept (emptied when full), and what comes
out is what the conversion makes."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib.term import Node

from publisher.catalog import triples
from publisher.render import turtlegraph
from publisher.terms import TermMemo, to_rdflib

XSD = "http://www.w3.org/2001/XMLSchema#"
TERMS: list[ox.NamedNode | ox.Literal] = [
    ox.NamedNode("http://example.org/a"),
    ox.Literal("x", language="fi"),
    ox.Literal("plain"),
    ox.Literal("0042", datatype=ox.NamedNode(XSD + "integer")),
    ox.Literal("2026-12-01T21:34:00Z", datatype=ox.NamedNode(XSD + "dateTime")),
]


def test_a_term_is_converted_once_and_kept_up_to_the_bound() -> None:
    made: list[ox.NamedNode | ox.Literal] = []

    def convert(term: ox.NamedNode | ox.Literal) -> Node:
        made.append(term)
        return to_rdflib(term)

    memo: TermMemo[ox.NamedNode | ox.Literal] = TermMemo(convert, kept=3)
    first = memo.add(TERMS[0])
    assert memo.get(TERMS[0]) is first
    assert memo.get(TERMS[1]) is None
    for term in TERMS[1:3]:
        memo.add(term)
    assert len(made) == 3 and memo.get(TERMS[2]) is not None
    memo.add(TERMS[3])  # full: emptied, then kept
    assert memo.get(TERMS[0]) is None and memo.get(TERMS[3]) is not None
    assert len(memo._terms) == 1


def test_the_memos_give_what_their_conversions_make() -> None:
    for term in TERMS:
        if isinstance(term, ox.NamedNode):
            assert triples._iri(term) == to_rdflib(term)
            assert triples._iri(term) is triples._iri(term)
        else:
            assert triples._iri(term) == to_rdflib(term)
        parsed = turtlegraph._TERMS.get(term) or turtlegraph._TERMS.add(term)
        expected = turtlegraph._parsed_term(term)
        assert (type(parsed), str(parsed), getattr(parsed, "datatype", None)) == (
            type(expected),
            str(expected),
            getattr(expected, "datatype", None),
        )
