"""Every literal is the same RDF term in every format: the dumps and the documents of one
publication, each parsed by an independent parser, hold exactly the store's terms
(issue 8: a price was 0.0 in Turtle and "0"^^xsd:decimal elsewhere). Every RDF/XML output
is also well-formed XML for Python's own parser (issue 10: no output can be malformed).
"""

from __future__ import annotations

import shutil
import subprocess
import xml.dom.minidom
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from flask.testing import FlaskClient
from rdflib import Graph, Literal

from publisher.publication import Publication

BASE = "http://localhost:8080/"
# (extension, pyoxigraph format, rdflib format, rapper syntax)
FORMATS = (
    ("nt", ox.RdfFormat.N_TRIPLES, "nt", "ntriples"),
    ("ttl", ox.RdfFormat.TURTLE, "turtle", "turtle"),
    ("rdf", ox.RdfFormat.RDF_XML, "xml", "rdfxml"),
    ("jsonld", ox.RdfFormat.JSON_LD, "json-ld", None),
)
# Documents whose descriptions hold every kind of typed literal the mapping writes:
# decimals 0 and 120.5 (parts), booleans (licences), dates, dateTimes (dct:modified).
DOCUMENTS = (
    "offering/koha-suomi-service",
    "offering/lupapiste",
    "offering/linked-events",
    "licence/EUPL-1.2",
    "licence/service-agreement",
    "supplier/city-of-helsinki",
)


def literals_by_oxigraph(data: bytes, fmt: ox.RdfFormat) -> set[tuple[str, str, str]]:
    return {
        (t.object.value, t.object.datatype.value, t.object.language or "")
        for t in ox.parse(data, format=fmt, base_iri=BASE)
        if isinstance(t.object, ox.Literal)
    }


def literals_by_rdflib(data: bytes, fmt: str) -> set[tuple[str, str, str]]:
    # rdflib rewrites lexical forms on parsing by default ("…Z" becomes "…+00:00"): the
    # forms as written are what this compares.
    normalize, rdflib.NORMALIZE_LITERALS = rdflib.NORMALIZE_LITERALS, False
    try:
        graph = Graph().parse(data=data, format=fmt, publicID=BASE)
    finally:
        rdflib.NORMALIZE_LITERALS = normalize
    found = set()
    for _s, _p, o in graph:
        if isinstance(o, Literal):
            datatype = str(o.datatype) if o.datatype else _default_datatype(o)
            found.add((str(o), datatype, o.language or ""))
    return found


def _default_datatype(literal: Literal) -> str:
    if literal.language:
        return "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
    return "http://www.w3.org/2001/XMLSchema#string"


def store_literals(publication: Publication, subjects: set[str] | None = None) -> set:
    store = ox.Store.read_only(str(publication.store_path))
    try:
        return {
            (q.object.value, q.object.datatype.value, q.object.language or "")
            for q in store
            if isinstance(q.object, ox.Literal)
            and (subjects is None or getattr(q.subject, "value", None) in subjects)
        }
    finally:
        del store


def typed(literals: set[tuple[str, str, str]]) -> set[tuple[str, str, str]]:
    """The literals whose form can vary between writers: typed ones, not strings."""
    return {
        lit
        for lit in literals
        if lit[1].startswith("http://www.w3.org/2001/XMLSchema#") and not lit[1].endswith("string")
    }


@pytest.fixture(scope="module")
def dumps(publication: Publication) -> dict[str, bytes]:
    return {ext: (publication.dumps_dir / f"avoinkunta.{ext}").read_bytes() for ext, *_ in FORMATS}


@pytest.mark.parametrize(("ext", "ox_format", "rdflib_format", "_rapper"), FORMATS)
def test_every_dump_holds_the_stores_literals(
    publication: Publication,
    dumps: dict[str, bytes],
    ext: str,
    ox_format: ox.RdfFormat,
    rdflib_format: str,
    _rapper: str | None,
) -> None:
    expected = store_literals(publication)
    assert typed(expected), "the store has typed literals to compare"
    assert literals_by_oxigraph(dumps[ext], ox_format) == expected
    assert literals_by_rdflib(dumps[ext], rdflib_format) == expected


def test_every_rdfxml_output_is_well_formed_xml(
    dumps: dict[str, bytes], client: FlaskClient
) -> None:
    xml.dom.minidom.parseString(dumps["rdf"])
    for path in DOCUMENTS:
        xml.dom.minidom.parseString(client.get(f"/doc/{path}.rdf").data)


@pytest.mark.parametrize("path", DOCUMENTS)
def test_every_document_format_holds_the_same_literals(
    client: FlaskClient, publication: Publication, path: str
) -> None:
    found = {}
    for ext, ox_format, rdflib_format, _rapper in FORMATS:
        response = client.get(f"/doc/{path}.{ext}")
        assert response.status_code == 200, (path, ext)
        by_oxigraph = literals_by_oxigraph(response.data, ox_format)
        assert literals_by_rdflib(response.data, rdflib_format) == by_oxigraph, (path, ext)
        found[ext] = by_oxigraph
    first = found["nt"]
    assert typed(first), path
    for ext, literals in found.items():
        assert literals == first, (path, ext, sorted(typed(literals) ^ typed(first)))
    # and they are the store's own terms
    subject = f"{BASE}id/{path}"
    assert typed(store_literals(publication, {subject})) <= typed(first)


@pytest.mark.parametrize("ext", ["nt", "ttl", "rdf"])
def test_rapper_reads_every_dump(dumps: dict[str, bytes], tmp_path: Path, ext: str) -> None:
    rapper = shutil.which("rapper")
    if rapper is None:
        pytest.skip("rapper (Debian raptor2-utils) is not installed")
    syntax = next(r for e, _o, _r, r in FORMATS if e == ext)
    file = tmp_path / f"dump.{ext}"
    file.write_bytes(dumps[ext])
    result = subprocess.run(
        [rapper, "-q", "-i", str(syntax), "-o", "ntriples", str(file), BASE],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[:2000]
    literals = literals_by_oxigraph(result.stdout.encode(), ox.RdfFormat.N_TRIPLES)
    assert typed(literals) == typed(literals_by_oxigraph(dumps["nt"], ox.RdfFormat.N_TRIPLES))
