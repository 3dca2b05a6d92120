"""Content negotiation, tested from a table of real Accept headers."""

from __future__ import annotations

import pytest

from publisher.negotiation import (
    ALL_MEDIA_TYPES,
    format_from_param,
    negotiate,
)

CHROME = (
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,"
    "image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7"
)
FIREFOX = (
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,"
    "image/png,image/svg+xml,*/*;q=0.8"
)
SAFARI = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
# What rdflib's URLInputSource sends when asked for Turtle.
RDFLIB_TURTLE = "text/turtle, application/x-turtle, text/n3, */*;q=0.1"
# Raptor's rapper -g (guess): it asks for every syntax it can parse.
RAPPER = (
    "application/rdf+xml,text/rdf;q=0.6,application/n-triples,text/plain;q=0.1,"
    "text/turtle,application/x-turtle,application/turtle,text/n3;q=0.3,*/*;q=0.1"
)

TTL, JSONLD, RDF, NT, HTML = (
    "text/turtle",
    "application/ld+json",
    "application/rdf+xml",
    "application/n-triples",
    "text/html",
)

CASES = [
    # (accept, ?format=, expected)
    (CHROME, None, HTML),
    (FIREFOX, None, HTML),
    (SAFARI, None, HTML),
    ("*/*", None, TTL),  # curl, wget, requests
    (None, None, TTL),
    ("", None, TTL),
    ("*/*;q=0.5", None, TTL),
    ("text/turtle", None, TTL),
    ("application/ld+json", None, JSONLD),
    ("application/json", None, JSONLD),
    ('application/ld+json;profile="http://www.w3.org/ns/json-ld#compacted"', None, JSONLD),
    ('application/ld+json; profile="a,b;c", text/turtle;q=0.5', None, JSONLD),
    ("application/rdf+xml", None, RDF),
    ("application/n-triples", None, NT),
    ("text/turtle;charset=utf-8", None, TTL),
    ("TEXT/Turtle", None, TTL),
    # q-values decide, not the order
    ("text/turtle;q=0.5, application/rdf+xml", None, RDF),
    ("application/rdf+xml;q=0.2, text/turtle;q=0.9, text/html;q=0.3", None, TTL),
    # the most specific range sets the quality: text/html is refused though text/* is fine
    ("text/*, text/html;q=0", None, TTL),
    ("text/html;q=0, */*", None, TTL),
    # an exact match beats a wildcard of equal quality
    ("*/*, application/n-triples", None, NT),
    ("text/*, text/turtle", None, TTL),
    # equal quality, equal specificity: the client's first
    ("application/rdf+xml, text/turtle", None, RDF),
    ("application/n-triples, application/ld+json", None, NT),
    # rdflib and raptor
    (RDFLIB_TURTLE, None, TTL),
    (RAPPER, None, RDF),
    # parameters after q are accept-extensions and ignored
    ("text/turtle;q=0.4;ext=1, application/ld+json;q=0.3", None, TTL),
    # malformed members are skipped, valid ones still count
    ("garbage, text/turtle;q=abc, application/rdf+xml;q=0.7", None, RDF),
    ("text/turtle;q=2, application/n-triples;q=0.1", None, NT),
    # aliases match only a range naming them exactly, never through a wildcard:
    # application/* wants a real application/ type (JSON-LD first by server order)
    ("application/*", None, JSONLD),
    ("application/*;q=0.9, text/html;q=0.1", None, JSONLD),
    ("application/*, application/n-triples", None, NT),
    ("application/*, application/ld+json;q=0", None, RDF),
    ("application/x-turtle", None, TTL),
    ("application/xhtml+xml", None, HTML),
    ("text/*", None, TTL),
    # nothing offered fits: 406
    ("image/png", None, None),
    ("application/pdf, image/*", None, None),
    (
        "text/turtle;q=0, application/ld+json;q=0, application/rdf+xml;q=0,"
        " application/n-triples;q=0, text/html;q=0",
        None,
        None,
    ),
    ("*/*;q=0", None, None),
    # ?format= overrides Accept in both directions
    (CHROME, "ttl", TTL),
    (CHROME, "jsonld", JSONLD),
    (CHROME, "rdf", RDF),
    (CHROME, "nt", NT),
    ("text/turtle", "html", HTML),
    ("image/png", "ttl", TTL),
    (None, "turtle", TTL),
    (None, "JSON-LD", JSONLD),
    (None, "text/turtle", TTL),
    (None, "pdf", None),
    (None, "", None),
]


@pytest.mark.parametrize(("accept", "fmt", "expected"), CASES)
def test_negotiate(accept: str | None, fmt: str | None, expected: str | None) -> None:
    assert negotiate(accept, ALL_MEDIA_TYPES, fmt) == expected


def test_only_offered_types_are_chosen() -> None:
    offered = (HTML, TTL, JSONLD, RDF)  # e.g. the ontology: no N-Triples
    assert negotiate("application/n-triples", offered) is None
    assert negotiate("application/n-triples, */*;q=0.1", offered) == TTL
    assert negotiate(None, offered, "nt") is None
    assert negotiate(CHROME, offered) == HTML


def test_default_outside_offer_falls_back_to_first() -> None:
    assert negotiate("*/*", (HTML,)) == HTML
    assert negotiate(None, (JSONLD, RDF)) == JSONLD
    assert negotiate("text/html", ()) is None


def test_format_from_param() -> None:
    assert format_from_param("ttl").media_type == TTL
    assert format_from_param(" NT ").media_type == NT
    assert format_from_param("application/xhtml+xml").ext == "html"
    assert format_from_param("docx") is None
