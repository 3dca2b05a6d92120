"""Content negotiation, tested from a table of real Accept headers: the one function
(`publisher.http.negotiation.negotiate`) over the one format table, and `choose_format`,
which adds ``?format=``, as the views call it."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask
from werkzeug.exceptions import HTTPException

from publisher import formats
from publisher.formats import DOCUMENT_FORMATS, by_name
from publisher.http import choose_format
from publisher.http.negotiation import negotiate

_APP = Flask(__name__)


def choose(accept: str | None, fmt: str | None, offered=DOCUMENT_FORMATS) -> str | None:
    """What a document answers for this Accept and ?format= (a media type, None for 406)."""
    with _APP.test_request_context(
        "/",
        query_string={"format": fmt} if fmt is not None else {},
        headers={"Accept": accept} if accept is not None else {},
    ):
        chosen = choose_format(offered)
    return chosen.media_type if chosen else None


def fmt_of(media_type: str) -> formats.Format:
    return formats.BY_MEDIA_TYPE[media_type]


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
    assert choose(accept, fmt) == expected


def test_only_offered_types_are_chosen() -> None:
    offered = tuple(map(fmt_of, (HTML, TTL, JSONLD, RDF)))  # no N-Triples
    assert choose("application/n-triples", None, offered) is None
    assert choose("application/n-triples, */*;q=0.1", None, offered) == TTL
    assert choose(None, "nt", offered) is None
    assert choose(CHROME, None, offered) == HTML


def test_default_outside_offer_falls_back_to_first() -> None:
    assert negotiate("*/*", (formats.HTML,), formats.TURTLE) is formats.HTML
    assert negotiate(None, (formats.JSONLD, formats.RDFXML)) is formats.JSONLD
    assert negotiate("text/html", ()) is None


def test_format_names() -> None:
    assert by_name("ttl").media_type == TTL
    assert by_name(" NT ").media_type == NT
    assert by_name("application/xhtml+xml").ext == "html"
    assert by_name("docx") is None


@pytest.mark.parametrize("value", ["t urtle", "<script>", "x" * 65, "ttl\x00", "/"])
def test_malformed_format_name_is_400(value: str) -> None:
    with pytest.raises(HTTPException) as info:
        choose(None, value)
    assert info.value.code == 400


@dataclass(frozen=True)
class Result:
    """An offer as the SPARQL endpoint's result formats are: one HTML page that only a
    client naming it gets."""

    media_type: str
    aliases: tuple[str, ...] = ()
    explicit_only: bool = False


JSON_RESULTS = Result("application/sparql-results+json", ("application/json",))
XML_RESULTS = Result("application/sparql-results+xml", ("application/xml",))
PAGE = Result("text/html", ("application/xhtml+xml",), explicit_only=True)


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, JSON_RESULTS),
        ("*/*", JSON_RESULTS),
        ("text/*", None),  # the page only for a client that names it
        (CHROME, PAGE),
        ("application/xhtml+xml", PAGE),
        ("application/xml", XML_RESULTS),
        ("application/sparql-results+json;q=0, */*;q=0.1", XML_RESULTS),
    ],
)
def test_explicit_only_offers(accept: str | None, expected: Result | None) -> None:
    assert negotiate(accept, (JSON_RESULTS, XML_RESULTS, PAGE)) == expected


@pytest.mark.parametrize(("accept", "fmt", "expected"), CASES)
def test_the_media_type_api_gives_the_same_answers(
    accept: str | None, fmt: str | None, expected: str | None
) -> None:
    """`publisher.negotiation.negotiate` (media types in, media type out; what the SPARQL
    endpoint's Host takes) wraps the one function and agrees with it."""
    from publisher.negotiation import ALL_MEDIA_TYPES
    from publisher.negotiation import negotiate as negotiate_media_type

    assert negotiate_media_type(accept, ALL_MEDIA_TYPES, fmt) == expected


def test_an_accept_header_is_parsed_once() -> None:
    """The same few Accept headers come with every request: parsed once and kept (their
    ranges are immutable); a very long one is parsed every time rather than kept."""
    from publisher.http.negotiation import KEPT_HEADER_LENGTH, parse_accept

    header = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert parse_accept(header) is parse_accept(header)
    assert [r.q for r in parse_accept(header)] == [1.0, 1.0, 0.9, 0.8]
    long = ", ".join(["text/turtle;q=0.5"] * (KEPT_HEADER_LENGTH // 10))
    assert parse_accept(long) == parse_accept(long)
    assert parse_accept(long) is not parse_accept(long)
