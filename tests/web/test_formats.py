"""One format table: a format added to ``publisher.formats`` (TriG was added as one entry)
is offered by documents, named in their Link alternates and pages, negotiated, served by
the catalogues, written as a dump and given to the SPARQL endpoint."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from publisher import build, formats, uris
from publisher.publication import Publication

DOC = "/doc/offering/x-road"
THING = URIRef("http://localhost:8080/id/offering/x-road")


def test_trig_is_one_entry_of_the_table() -> None:
    assert formats.TRIG in formats.FORMATS
    assert "trig" in uris.DOC_EXTENSIONS
    assert formats.TRIG in formats.DOCUMENT_FORMATS and formats.TRIG in formats.RDF_FORMATS
    assert "trig" in build.DUMP_FORMATS and "trig" in build.DATASET_DUMPS
    assert formats.by_name("application/trig") is formats.TRIG


def test_a_document_in_trig_is_the_same_graph_as_in_ntriples(client: FlaskClient) -> None:
    # (N-Triples, not Turtle: rdflib's Turtle writes a decimal 0 as 0.0, issue 8's
    # "one literal form", which the build's mapping fixes.)
    trig = client.get(f"{DOC}.trig")
    assert trig.status_code == 200
    assert trig.headers["Content-Type"] == "application/trig; charset=utf-8"
    assert trig.headers["Access-Control-Allow-Origin"] == "*"
    ntriples = client.get(f"{DOC}.nt")
    parsed = Dataset()
    parsed.parse(data=trig.data, format="trig")
    as_graph = Graph()
    for s, p, o, _ in parsed.quads((None, None, None, None)):
        as_graph.add((s, p, o))
    assert (THING, None, None) in as_graph
    assert isomorphic(as_graph, Graph().parse(data=ntriples.data, format="nt"))


def test_trig_is_negotiated_and_named_in_every_link(client: FlaskClient) -> None:
    negotiated = client.get(DOC, headers={"Accept": "application/trig"})
    assert negotiated.status_code == 200 and negotiated.mimetype == "application/trig"
    assert negotiated.headers["Content-Location"] == f"{DOC}.trig"
    html = client.get(f"{DOC}.html")
    assert f'<{DOC}.trig>; rel="alternate"; type="application/trig"' in html.headers["Link"]
    assert re.search(
        rf'<link rel="alternate" type="application/trig" href="{DOC}.trig">', html.text
    )
    for path in ("/ontology", "/.well-known/void", "/catalog"):
        response = client.get(path, headers={"Accept": "application/trig"})
        assert response.status_code == 200 and response.mimetype == "application/trig", path
        Dataset().parse(data=response.data, format="trig")


def test_the_dump_in_trig_keeps_the_named_graphs(publication: Publication) -> None:
    entry = publication.manifest["dumps"]["avoinkunta.trig"]
    assert entry["media_type"] == "application/trig"
    dataset = Dataset()
    dataset.parse(publication.dumps_dir / "avoinkunta.trig", format="trig")
    graphs = {str(g) for *_, g in dataset.quads((None, None, None, None))}
    assert graphs == {
        "http://localhost:8080/graph/catalogue",
        "http://localhost:8080/graph/vocabulary",
    }
    assert len(list(dataset.quads((None, None, None, None)))) == publication.manifest["triples"]


def test_the_dumps_are_every_rdf_format(publication: Publication) -> None:
    assert {e["format"] for e in publication.manifest["dumps"].values()} == {
        f.ext for f in formats.DUMP_FORMATS
    }


def test_formats_offered_per_role_come_from_the_table(app: Flask) -> None:
    assert [f.ext for f in formats.DOCUMENT_FORMATS] == [
        "html",
        "ttl",
        "jsonld",
        "rdf",
        "nt",
        "trig",
    ]
    assert formats.NQUADS not in formats.DOCUMENT_FORMATS  # dumps only
    assert formats.NQUADS in formats.DUMP_FORMATS
