"""Home page, search, the vocabulary at its namespace, VoID, sitemap and robots.txt."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import html5lib
import pytest
from flask import Flask
from flask.testing import FlaskClient
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, VOID

from publisher.publication import Publication
from publisher.store import ReadStore

BASE = "http://localhost:8080/"


def test_home_draws_the_architecture_with_counts(
    client: FlaskClient, publication: Publication
) -> None:
    html = client.get("/?lang=fi").text
    store = ReadStore(publication.store_path)
    # every layer and every component is on the map, each with its number of offerings
    counts = {
        r["c"].value: int(r["n"].value)
        for r in store.query(
            f"SELECT ?c (COUNT(DISTINCT ?o) AS ?n) WHERE {{ ?c a <{BASE}ontology#"
            "ArchitectureComponent> OPTIONAL { ?o <http://www.w3.org/ns/dcat#theme> ?c } } "
            "GROUP BY ?c"
        )
    }
    assert len(counts) > 40
    for iri, n in counts.items():
        key = iri.rsplit("/", 1)[1]
        match = re.search(
            # each component links to its filtered list (issue 11, item 4)
            rf'href="/offerings\?component={re.escape(key)}&amp;lang=fi"><span[^>]*>[^<]+</span>'
            r'(?:<span class="inferred"[^>]*>†<span[^>]*>[^<]*</span></span>)?'
            r'<span class="count"[^>]*>(?:<span class="visually-hidden">: </span>)?(\d+)',
            html,
        )
        assert match, key
        assert int(match.group(1)) == n, key
    assert html.count('class="layer ') == 7
    assert "Tiedolla johtaminen" in html and "ICT-infrastruktuuri" in html
    # the stack is drawn top (service channels) to bottom (ICT infrastructure)
    assert html.index("layer-service-channels") < html.index("layer-ict-infrastructure")


def test_home_lists_by_facet(client: FlaskClient) -> None:
    html = client.get("/?lang=en").text
    for heading in (
        "By supplier",
        "By licence",
        "By openness aspect",
        "By service domain",
        "By delivery phase",
    ):
        assert heading in html
    assert 'href="/doc/supplier/city-of-helsinki?lang=en"' in html
    assert 'href="/doc/licence/MIT?lang=en"' in html


def test_home_describes_the_site_and_its_search(client: FlaskClient) -> None:
    import json

    html = client.get("/").text
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert block
    data = json.loads(block.group(1))
    graph = Graph().parse(data=json.dumps(data), format="json-ld")
    assert (URIRef(BASE), RDF.type, URIRef("http://schema.org/WebSite")) in graph
    assert "{search_term_string}" in data["potentialAction"]["target"]


def test_home_is_cacheable(client: FlaskClient) -> None:
    first = client.get("/")
    assert client.get("/", headers={"If-None-Match": first.headers["ETag"]}).status_code == 304


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("linked events", "/doc/offering/linked-events"),
        ("LINKED", "/doc/offering/linked-events"),
        ("tapahtumatietojen", "/doc/offering/linked-events"),  # Finnish description
        ("helsingin", "/doc/supplier/city-of-helsinki"),
        ("helsingin kaupunki", "/doc/supplier/city-of-helsinki"),
    ],
)
def test_search_finds_in_every_language(client: FlaskClient, query: str, expected: str) -> None:
    html = client.get("/search", query_string={"q": query}).text
    assert f'href="{expected}"' in html


def test_search_without_hits_and_hostile_query(client: FlaskClient) -> None:
    html = client.get("/search", query_string={"q": "<zzqx>", "lang": "en"}).text
    assert "Nothing found" in html
    assert "<zzqx>" not in html and "&lt;zzqx&gt;" in html


# --- vocabulary ------------------------------------------------------------------------------


def test_ontology_negotiates(client: FlaskClient) -> None:
    html = client.get("/ontology", headers={"Accept": "text/html"})
    assert html.status_code == 200 and html.mimetype == "text/html"
    for term in ("Supplier", "Offering", "opennessClaim", "pricing"):
        assert f'id="{term}"' in html.text  # /ontology#Term resolves
    assert 'id="conceptschemes"' in html.text
    assert html.headers["Content-Location"] == "/ontology.html"
    for accept, fmt in (
        ("text/turtle", "turtle"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
    ):
        response = client.get("/ontology", headers={"Accept": accept})
        assert response.status_code == 200 and response.mimetype == accept
        assert "Accept" in response.headers["Vary"]
        graph = Graph().parse(data=response.data, format=fmt)
        assert (URIRef(f"{BASE}ontology"), RDF.type, OWL.Ontology) in graph
        assert (URIRef(f"{BASE}ontology#Supplier"), None, None) in graph
        # only the vocabulary, not the concept schemes
        assert (URIRef(f"{BASE}id/layer/ict-infrastructure"), None, None) not in graph
    assert client.get("/ontology.ttl").mimetype == "text/turtle"
    assert client.get("/ontology", headers={"Accept": "image/png"}).status_code == 406


def test_ontology_version(client: FlaskClient) -> None:
    graph = Graph().parse(data=client.get("/ontology.ttl").data, format="turtle")
    version = str(graph.value(URIRef(f"{BASE}ontology"), OWL.versionInfo))
    response = client.get(f"/ontology/{version}", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert response.headers["Content-Location"] == f"/ontology/{version}.ttl"
    assert client.get(f"/ontology/{version}.jsonld").mimetype == "application/ld+json"
    assert client.get("/ontology/0.0.0-never").status_code == 404
    modified = graph.value(URIRef(f"{BASE}ontology"), URIRef("http://purl.org/dc/terms/modified"))
    dated = client.get(f"/ontology/{str(modified)[:10]}.ttl")
    assert dated.status_code == 200 and dated.data == client.get("/ontology.ttl").data


# --- dataset description ------------------------------------------------------------------


def test_void(client: FlaskClient, publication: Publication) -> None:
    response = client.get("/.well-known/void")
    assert response.status_code == 200 and response.mimetype == "text/turtle"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    graph = Graph().parse(data=response.data, format="turtle")
    dataset = next(graph.subjects(RDF.type, VOID.Dataset))
    assert graph.value(dataset, VOID.uriSpace) == Literal(f"{BASE}id/")
    assert graph.value(dataset, VOID.sparqlEndpoint) == URIRef(f"{BASE}sparql")
    assert graph.value(dataset, VOID.triples).toPython() == publication.manifest["triples"]
    assert graph.value(dataset, VOID.entities).toPython() > 0
    assert graph.value(dataset, URIRef("http://purl.org/dc/terms/license")) is not None
    dumps = set(graph.objects(dataset, VOID.dataDump))
    assert {URIRef(f"{BASE}dumps/{name}") for name in publication.manifest["dumps"]} == dumps
    for dump in dumps:
        size = graph.value(dump, URIRef("http://www.w3.org/ns/dcat#byteSize"))
        assert size is not None and int(size) > 0
    examples = list(graph.objects(dataset, VOID.exampleResource))
    assert examples and all(
        client.get(str(e)[len(BASE) - 1 :]).status_code == 303 for e in examples
    )
    html = client.get("/.well-known/void", headers={"Accept": "text/html"})
    assert html.mimetype == "text/html" and "avoinkunta.ttl" in html.text


def test_sitemap_lists_every_published_document(
    client: FlaskClient, publication: Publication
) -> None:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.data)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = {el.text for el in root.findall("s:url/s:loc", ns)}
    live = [iri for iri, e in publication.ledger.items() if not e.get("removed")]
    assert len(locs) == len(live) + 2
    assert f"{BASE}doc/offering/linked-events" in locs


def test_robots(client: FlaskClient) -> None:
    text = client.get("/robots.txt").text
    assert f"Sitemap: {BASE}sitemap.xml" in text
    assert "Disallow: /sparql" in text


def test_ontology_page_survives_a_broken_pylode(
    app: Flask, publication: Publication, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If pyLODE fails (as 3.4.1 does at import), /ontology still documents every term."""
    import pylode

    from publisher.views import vocabulary

    def broken(*_args: object, **_kwargs: object) -> None:
        raise FileNotFoundError("pyproject.toml")

    monkeypatch.setattr(pylode, "OntPub", broken)
    with app.test_request_context("/ontology"):
        site = app.extensions["avoinkunta"]
        graph = vocabulary.ontology_graph(site)
        html = vocabulary.ontology_html(graph, site)
    assert "made by" not in html  # not pyLODE's page
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    document = parser.parse(html)
    ids = {el.get("id") for el in document.iter() if el.get("id")}
    terms = {
        str(t)[len(f"{BASE}ontology#") :]
        for t in graph.subjects()
        if isinstance(t, URIRef) and str(t).startswith(f"{BASE}ontology#")
    }
    assert terms and terms <= ids
    assert "Toimittaja" in html and "Supplier" in html
    assert 'id="conceptschemes"' in html
