"""Every result format, parsed back by an independent parser, agrees with the others."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
import rdflib
from rdflib.compare import isomorphic

from publisher.negotiation import RDF_FORMATS
from publisher.negotiation import negotiate as site_negotiate
from sparql_endpoint import formats as F
from sparql_endpoint.errors import SparqlError

GRAPH_FORMATS = F.graph_formats(RDF_FORMATS)
ALL_FORMATS = (*F.SOLUTION_FORMATS, *GRAPH_FORMATS, F.HTML)


def negotiate(accept, offered, param) -> F.ResultFormat:
    """The endpoint's choice with the site's negotiation function, as the blueprint makes it."""
    known = tuple(f for f in ALL_FORMATS if f not in offered)
    return F.choose(accept, offered, param, site_negotiate, known)


SELECT = """SELECT ?offering ?title ?price WHERE {
  ?offering a ak:Offering ; dct:title ?title ; ak:pricing/schema:price ?price .
  FILTER (lang(?title) = "en") } ORDER BY ?offering"""
EXPECTED = [
    ("http://localhost:8080/id/offering/alpha-kartta", "Alpha Map", "0"),
    ("http://localhost:8080/id/offering/beta-talous", "Beta Finance", "1200"),
    ("http://localhost:8080/id/offering/delta-tuki", "Delta Support", "80"),
    ("http://localhost:8080/id/offering/gamma-asiointi", "Gamma e-Services", "0"),
]
RES = "{http://www.w3.org/2005/sparql-results#}"


def _from_json(data: bytes) -> list[tuple[str, ...]]:
    parsed = json.loads(data)
    assert parsed["head"]["vars"] == ["offering", "title", "price"]
    return [
        tuple(b[v]["value"] for v in ("offering", "title", "price"))
        for b in parsed["results"]["bindings"]
    ]


def _from_xml(data: bytes) -> list[tuple[str, ...]]:
    root = ET.fromstring(data)
    rows = []
    for result in root.iter(f"{RES}result"):
        cells = {b.get("name"): next(iter(b)).text for b in result.iter(f"{RES}binding")}
        rows.append((cells["offering"], cells["title"], cells["price"]))
    return rows


def _from_csv(data: bytes) -> list[tuple[str, ...]]:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    assert rows[0] == ["offering", "title", "price"]
    return [tuple(r) for r in rows[1:]]


def _from_tsv(data: bytes) -> list[tuple[str, ...]]:
    lines = data.decode("utf-8").strip().split("\n")
    assert lines[0].split("\t") == ["?offering", "?title", "?price"]
    out = []
    for line in lines[1:]:
        iri, title, price = line.split("\t")
        out.append(
            (iri.strip("<>"), title.split('"')[1], price.split('"')[1] if '"' in price else price)
        )
    return out


@pytest.mark.parametrize(
    ("accept", "mimetype", "parse"),
    [
        ("application/sparql-results+json", "application/sparql-results+json", _from_json),
        ("application/sparql-results+xml", "application/sparql-results+xml", _from_xml),
        ("text/csv", "text/csv", _from_csv),
        ("text/tab-separated-values", "text/tab-separated-values", _from_tsv),
        ("application/json", "application/sparql-results+json", _from_json),
        ("*/*", "application/sparql-results+json", _from_json),
    ],
)
def test_select_formats_round_trip(sparql_client, accept, mimetype, parse) -> None:
    response = sparql_client.get(
        "/sparql", query_string={"query": SELECT}, headers={"Accept": accept}
    )
    assert response.status_code == 200
    assert response.mimetype == mimetype
    assert "Accept" in response.headers["Vary"]
    rows = parse(response.data)
    assert [(o, t, str(float(p))) for o, t, p in rows] == [
        (o, t, str(float(p))) for o, t, p in EXPECTED
    ]


@pytest.mark.parametrize(
    ("fmt", "parse"),
    [
        ("json", lambda d: json.loads(d)["boolean"]),
        ("xml", lambda d: ET.fromstring(d).find(f"{RES}boolean").text == "true"),
    ],
)
def test_ask_formats(sparql_client, fmt, parse) -> None:
    response = sparql_client.get(
        "/sparql", query_string={"query": "ASK { ?x a ak:Supplier }", "format": fmt}
    )
    assert response.status_code == 200
    assert parse(response.data) is True


CONSTRUCT = (
    "CONSTRUCT { ?o dct:title ?t ; dct:license ?l } WHERE { ?o a ak:Offering ; "
    "dct:title ?t ; dct:license ?l }"
)


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
    ],
)
def test_construct_formats_isomorphic(sparql_client, accept, rdflib_format) -> None:
    response = sparql_client.get(
        "/sparql", query_string={"query": CONSTRUCT}, headers={"Accept": accept}
    )
    assert response.status_code == 200
    assert response.mimetype == accept
    graph = rdflib.Graph().parse(data=response.data, format=rdflib_format)
    reference = sparql_client.get("/sparql", query_string={"query": CONSTRUCT, "format": "nt"})
    expected = rdflib.Graph().parse(data=reference.data, format="nt")
    assert len(expected) == 12  # 4 offerings × (2 titles + 1 licence)
    assert isomorphic(graph, expected)


def test_describe(sparql_client) -> None:
    response = sparql_client.get(
        "/sparql",
        query_string={"query": "DESCRIBE <http://localhost:8080/id/supplier/testikunta>"},
        headers={"Accept": "text/turtle"},
    )
    graph = rdflib.Graph().parse(data=response.data, format="turtle")
    names = {str(o) for o in graph.objects(predicate=rdflib.FOAF.name)}
    assert names == {"Testikunta", "Test Municipality"}


def test_select_refuses_rdf_only_accept(sparql_client) -> None:
    response = sparql_client.get(
        "/sparql", query_string={"query": SELECT}, headers={"Accept": "text/turtle"}
    )
    assert response.status_code == 406
    assert "application/sparql-results+json" in response.get_data(as_text=True)


def test_unknown_format_param(sparql_client) -> None:
    response = sparql_client.get("/sparql", query_string={"query": SELECT, "format": "pdf"})
    assert response.status_code == 406


def test_download_link_sets_filename(sparql_client) -> None:
    response = sparql_client.get(
        "/sparql", query_string={"query": SELECT, "format": "csv", "download": "1"}
    )
    assert response.headers["Content-Disposition"] == 'attachment; filename="results.csv"'


NEGOTIATION = [
    # (Accept, offered, format=, expected name)
    (None, F.SOLUTION_FORMATS, None, "json"),
    ("", F.SOLUTION_FORMATS, None, "json"),
    ("*/*", F.SOLUTION_FORMATS, None, "json"),
    ("text/*", F.SOLUTION_FORMATS, None, "csv"),
    ("text/csv;q=0.5, application/sparql-results+xml", F.SOLUTION_FORMATS, None, "xml"),
    ("text/csv;q=0.5, application/sparql-results+xml;q=0.4", F.SOLUTION_FORMATS, None, "csv"),
    ("application/sparql-results+json;q=0, */*;q=0.1", F.SOLUTION_FORMATS, None, "xml"),
    ("text/tab-separated-values, text/csv", F.SOLUTION_FORMATS, None, "tsv"),
    ("application/xml", F.SOLUTION_FORMATS, None, "xml"),
    ("application/json", GRAPH_FORMATS, None, "jsonld"),
    ("application/rdf+xml;q=0.9, text/turtle", GRAPH_FORMATS, None, "ttl"),
    ("application/rdf+xml, text/turtle;q=0.9", GRAPH_FORMATS, None, "rdf"),
    ("text/plain", GRAPH_FORMATS, None, "nt"),
    ("*/*;q=0.1, application/ld+json", GRAPH_FORMATS, None, "jsonld"),
    ("TEXT/TURTLE", GRAPH_FORMATS, None, "ttl"),
    (
        "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        (*F.SOLUTION_FORMATS, F.HTML),
        None,
        "html",
    ),
    ("*/*", (*F.SOLUTION_FORMATS, F.HTML), None, "json"),
    ("text/turtle", GRAPH_FORMATS, "rdf", "rdf"),
    ("text/turtle", GRAPH_FORMATS, "application/ld+json", "jsonld"),
    ("text/html", F.SOLUTION_FORMATS, "tsv", "tsv"),
    # format= values that fit another kind of result defer to Accept (SPARQLWrapper)
    (None, F.SOLUTION_FORMATS, "ttl", "json"),
    ("application/rdf+xml", GRAPH_FORMATS, ["rdf+xml", "application/rdf+xml"], "rdf"),
    ("application/rdf+xml", GRAPH_FORMATS, ["xml"], "rdf"),
    ("text/turtle", GRAPH_FORMATS, ["csv"], "ttl"),
]


@pytest.mark.parametrize(("accept", "offered", "param", "expected"), NEGOTIATION)
def test_negotiate_table(accept, offered, param, expected) -> None:
    assert negotiate(accept, offered, param).name == expected


@pytest.mark.parametrize(
    ("accept", "offered", "param"),
    [
        ("text/turtle", F.SOLUTION_FORMATS, None),
        ("image/png", GRAPH_FORMATS, None),
        ("text/html", GRAPH_FORMATS, None),
        ("*/*;q=0", GRAPH_FORMATS, None),
        (None, F.SOLUTION_FORMATS, "pdf"),
        ("*/*", GRAPH_FORMATS, ["csv", "spreadsheet"]),
    ],
)
def test_negotiate_406(accept, offered, param) -> None:
    with pytest.raises(SparqlError) as info:
        negotiate(accept, offered, param)
    assert info.value.status == 406


def test_large_result_streams_and_frees_its_slot(sparql_client) -> None:
    """Beyond 256 KiB a result streams (no Content-Length); slots and workers come back:
    more requests than the per-client limit (8), one after another, all succeed."""
    query = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } LIMIT 3000"
    for _ in range(10):
        response = sparql_client.get("/sparql", query_string={"query": query})
        assert response.status_code == 200
        assert response.is_streamed
        assert "Content-Length" not in response.headers
        assert len(json.loads(response.data)["results"]["bindings"]) == 3000
    small = sparql_client.get("/sparql", query_string={"query": "ASK {}"})
    assert int(small.headers["Content-Length"]) == len(small.data)
