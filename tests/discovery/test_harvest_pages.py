"""People's views of the machine interfaces: a browser asking for /catalog, /catalog/adms
or /dumps/ gets a page; harvesters and scripts still get RDF and JSON."""

from __future__ import annotations

import html
import json

from flask.testing import FlaskClient
from rdflib import Graph

from publisher.publication import Publication

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def test_a_browser_sees_what_a_harvester_receives(client: FlaskClient) -> None:
    page = client.get("/catalog?lang=en", headers=BROWSER)
    assert page.status_code == 200 and page.mimetype == "text/html"
    body = html.unescape(page.get_data(as_text=True))
    turtle = client.get("/catalog", headers={"Accept": "text/turtle"})
    graph = Graph().parse(data=turtle.get_data(), format="turtle")
    titles = {str(o) for o in graph.objects(None, None) if getattr(o, "language", None) == "en"}
    assert any(t in body for t in titles)
    assert "What a harvester receives" in body and "Distributions" in body
    # the ready-to-paste ckanext-dcat harvest source
    assert "source_type=dcat_rdf" in body and '{"rdf_format": "text/turtle"}' in body
    assert page.headers["Vary"].count("Accept") >= 1


def test_machines_still_get_rdf(client: FlaskClient) -> None:
    for accept in ("*/*", "text/turtle", "application/ld+json"):
        response = client.get("/catalog", headers={"Accept": accept})
        assert response.status_code == 200
        assert response.mimetype != "text/html", accept
    assert client.get("/catalog").mimetype == "text/turtle"  # no Accept: ckanext-dcat's case
    adms = client.get("/catalog/adms", headers=BROWSER)
    assert adms.mimetype == "text/html" and "ADMS-AP" in adms.get_data(as_text=True)


def test_the_downloads_page_lists_files_sizes_and_checksums(
    client: FlaskClient, publication: Publication
) -> None:
    page = client.get("/dumps/?lang=fi", headers=BROWSER)
    assert page.status_code == 200 and page.mimetype == "text/html"
    body = page.get_data(as_text=True)
    for name, entry in publication.manifest["dumps"].items():
        assert f'href="/dumps/{name}?lang=fi"' in body
        assert entry["sha256"] in body
        assert entry["media_type"] in body
    machine = client.get("/dumps/")
    assert machine.mimetype == "application/json"
    assert json.loads(machine.get_data())["files"] == publication.manifest["dumps"]


def test_thing_pages_link_their_filtered_list(client: FlaskClient) -> None:
    for kind, key in (
        ("component", "spatial-data"),
        ("layer", "master-data-management"),
        ("aspect", "open-source"),
        ("licence", "MIT"),
        ("supplier", "national-land-survey"),
        ("route", "no-charge"),
    ):
        body = client.get(f"/doc/{kind}/{key}?lang=en", headers=BROWSER).get_data(as_text=True)
        assert f'href="/offerings?{kind}={key}&amp;lang=en"' in body, kind


def test_the_vocabulary_page_has_a_language_and_follows_lang(client: FlaskClient) -> None:
    finnish = client.get("/ontology?lang=fi", headers=BROWSER).get_data(as_text=True)
    english = client.get("/ontology?lang=en", headers=BROWSER).get_data(as_text=True)
    swedish = client.get("/ontology?lang=sv", headers=BROWSER).get_data(as_text=True)
    assert '<html lang="fi"' in finnish and "Toimittaja / Supplier" in finnish
    assert '<html lang="en"' in english and "Supplier / Toimittaja" in english
    # no Swedish labels exist: the page is in English and says so with its lang
    assert '<html lang="en"' in swedish
