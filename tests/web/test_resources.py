"""Dereferencing every thing of the built catalogue through the real app (Flask's test
client over a real pyoxigraph store)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from flask.testing import FlaskClient
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from publisher import formats
from publisher.namespaces import SCHEMA
from publisher.publication import Publication
from publisher.store import ReadStore
from publisher.uris import UriScheme

BASE = "http://localhost:8080/"
URIS = UriScheme(BASE)
# ext → (media type, rdflib parser), for every RDF format a document is offered in.
RDF_FORMATS = {f.ext: (f.media_type, f.rdflib) for f in formats.RDF_FORMATS}
CHROME = (
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,"
    "image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7"
)


@pytest.fixture(scope="module")
def subjects(publication: Publication) -> list[tuple[str, str, str]]:
    """Every subject IRI of the store that is one of our things: (iri, kind, key)."""
    store = ReadStore(publication.store_path)
    found = set()
    for row in store.query("SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(isIRI(?s)) }"):
        parsed = URIS.parse(row["s"].value)
        if parsed:
            found.add((row["s"].value, *parsed))
    return sorted(found)


def path(iri: str) -> str:
    return "/" + iri[len(BASE) :]


def test_catalogue_has_every_kind(subjects: list[tuple[str, str, str]]) -> None:
    kinds = {kind for _, kind, _ in subjects}
    assert {
        "offering",
        "supplier",
        "licence",
        "scheme",
        "layer",
        "component",
        "aspect",
        "domain",
        "phase",
        "route",
    } <= kinds


def test_every_thing_answers_303_to_its_document(
    client: FlaskClient, subjects: list[tuple[str, str, str]]
) -> None:
    for iri, kind, key in subjects:
        response = client.get(path(iri))
        assert response.status_code == 303, iri
        assert response.headers["Location"] == path(str(URIS.doc(kind, key)))


@pytest.mark.parametrize("ext", sorted(RDF_FORMATS))
def test_every_thing_dereferences_in_every_rdf_format(
    client: FlaskClient, subjects: list[tuple[str, str, str]], ext: str
) -> None:
    media_type, parser = RDF_FORMATS[ext]
    for iri, kind, key in subjects:
        # the fixed-format URL, and the negotiated one with Accept
        for url, headers in (
            (path(str(URIS.doc(kind, key, ext))), {}),
            (path(str(URIS.doc(kind, key))), {"Accept": media_type}),
        ):
            response = client.get(url, headers=headers)
            assert response.status_code == 200, url
            assert response.mimetype == media_type
            graph = Graph().parse(data=response.data, format=parser, publicID=BASE)
            assert (URIRef(iri), None, None) in graph, f"{url} says nothing about {iri}"
            assert (URIRef(iri), RDF.type, None) in graph


def test_every_thing_has_an_html_page(
    client: FlaskClient, subjects: list[tuple[str, str, str]], publication: Publication
) -> None:
    for iri, kind, key in subjects:
        response = client.get(path(str(URIS.doc(kind, key))), headers={"Accept": CHROME})
        assert response.status_code == 200, iri
        assert response.mimetype == "text/html"
        assert f"<code>{iri}</code>" in response.text
        label = (publication.ledger.get(iri) or {}).get("label", {})
        if label.get("fi"):
            html_escaped = label["fi"].replace("&", "&amp;").replace("<", "&lt;")
            assert html_escaped in response.text.replace("&#39;", "'"), iri


def test_description_holds_blank_node_structures_and_linked_labels(client: FlaskClient) -> None:
    graph = Graph().parse(data=client.get("/doc/offering/linked-events.ttl").data, format="turtle")
    s = URIRef(f"{BASE}id/offering/linked-events")
    ak = URIS.vocab
    pricing = graph.value(s, ak.pricing)
    assert pricing is not None and (pricing, SCHEMA.priceCurrency, None) in graph
    claims = list(graph.objects(s, ak.opennessClaim))
    assert claims and all((c, ak.evidence, None) in graph for c in claims)
    publisher = graph.value(s, URIRef("http://purl.org/dc/terms/publisher"))
    assert any(True for _ in graph.objects(publisher, URIRef("http://xmlns.com/foaf/0.1/name")))


def test_rapper_parses_a_sample(client: FlaskClient, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import shutil
    import subprocess

    rapper = shutil.which("rapper")
    if rapper is None:
        pytest.skip("rapper (Debian raptor2-utils) is not installed")
    for ext, syntax in (("ttl", "turtle"), ("rdf", "rdfxml"), ("nt", "ntriples")):
        data = client.get(f"/doc/offering/linked-events.{ext}").data
        file = tmp_path / f"doc.{ext}"
        file.write_bytes(data)
        result = subprocess.run(
            [rapper, "-i", syntax, "-o", "ntriples", str(file), BASE],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        assert f"<{BASE}id/offering/linked-events>" in result.stdout


# --- negotiation on the wire ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "query", "expected"),
    [
        (CHROME, "", "text/html"),
        ("*/*", "", "text/turtle"),
        (None, "", "text/turtle"),
        ("application/ld+json", "", "application/ld+json"),
        ("text/turtle;q=0.5, application/rdf+xml", "", "application/rdf+xml"),
        ("application/n-triples, */*;q=0.1", "", "application/n-triples"),
        (CHROME, "?format=ttl", "text/turtle"),
        ("text/turtle", "?format=html", "text/html"),
        ("text/turtle", "?format=jsonld", "application/ld+json"),
    ],
)
def test_negotiated_document(
    client: FlaskClient, accept: str | None, query: str, expected: str
) -> None:
    headers = {"Accept": accept} if accept is not None else {}
    response = client.get(f"/doc/offering/linked-events{query}", headers=headers)
    assert response.status_code == 200
    assert response.mimetype == expected
    assert "Accept" in response.headers["Vary"]
    ext = formats.BY_MEDIA_TYPE[expected].ext
    assert response.headers["Content-Location"] == f"/doc/offering/linked-events.{ext}"
    alternates = dict(
        (m.group(2), m.group(1))
        for m in re.finditer(
            r'<([^>]+)>; rel="alternate"; type="([^"]+)"', response.headers["Link"]
        )
    )
    # every other document format, and publiccode.yml (linked-events is a product)
    assert len(alternates) == len(formats.DOCUMENT_FORMATS) and expected not in alternates
    assert alternates["application/yaml"] == "/doc/offering/linked-events/publiccode.yml"
    for media_type, url in alternates.items():
        other = client.get(url)
        assert other.status_code == 200 and other.mimetype == media_type


def test_406_lists_the_offered_types(client: FlaskClient) -> None:
    response = client.get("/doc/offering/linked-events", headers={"Accept": "image/png"})
    assert response.status_code == 406
    for media_type in (
        "text/html",
        "text/turtle",
        "application/ld+json",
        "application/rdf+xml",
        "application/n-triples",
    ):
        assert media_type in response.text
    # The message follows Accept-Language, so a cache keys on both.
    assert response.headers["Vary"] == "Accept, Accept-Language"
    unknown_format = client.get("/doc/offering/linked-events?format=docx")
    assert unknown_format.status_code == 406


def test_303_keeps_the_query(client: FlaskClient) -> None:
    response = client.get("/id/offering/linked-events?format=ttl")
    assert response.status_code == 303
    assert response.headers["Location"] == "/doc/offering/linked-events?format=ttl"


@pytest.mark.parametrize(
    "url",
    [
        "/id/offering/no-such-thing",
        "/doc/offering/no-such-thing",
        "/doc/offering/no-such.ttl",
        "/id/nokind/x",
        "/doc/offering/Bad_Key",
        "/id/supplier/linked-events",
    ],
)
def test_unknown_uris_are_404_with_a_search_link(client: FlaskClient, url: str) -> None:
    response = client.get(url, headers={"Accept": CHROME})
    assert response.status_code == 404
    assert 'action="/search"' in response.text
    machine = client.get(url, headers={"Accept": "text/turtle"})
    assert machine.status_code == 404 and "/search" in machine.text


# --- caching ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/doc/offering/linked-events.ttl",
        "/doc/offering/linked-events.html",
        "/doc/supplier/coss.jsonld",
    ],
)
def test_conditional_requests_give_304(client: FlaskClient, url: str) -> None:
    first = client.get(url)
    assert first.status_code == 200
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert etag.startswith('"') and not etag.startswith("W/")  # strong
    assert "max-age=" in first.headers["Cache-Control"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag
    since = client.get(url, headers={"If-Modified-Since": modified})
    assert since.status_code == 304
    stale = client.get(url, headers={"If-None-Match": '"0000"'})
    assert stale.status_code == 200 and stale.data == first.data
    # If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2)
    both = client.get(url, headers={"If-None-Match": '"0000"', "If-Modified-Since": modified})
    assert both.status_code == 200


def test_etag_differs_per_representation(client: FlaskClient) -> None:
    tags = {
        client.get(f"/doc/offering/linked-events.{ext}").headers["ETag"]
        for ext in formats.DOCUMENT_EXTENSIONS
    }
    assert len(tags) == len(formats.DOCUMENT_EXTENSIONS)
    fi = client.get("/doc/offering/linked-events.html?lang=fi").headers["ETag"]
    en = client.get("/doc/offering/linked-events.html?lang=en").headers["ETag"]
    assert fi != en


def test_a_kept_document_is_not_hashed_again(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A document's ETag is the hash of its bytes and content type, made when it is
    rendered: a request of a kept document does not hash its bytes again."""
    from publisher.http import caching

    hashed: list[bytes] = []
    real = caching.strong_etag

    def counting(body: bytes, content_type: str = "") -> str:
        hashed.append(body)
        return real(body, content_type)

    monkeypatch.setattr(caching, "strong_etag", counting)
    for ext in formats.DOCUMENT_EXTENSIONS:
        url = f"/doc/offering/linked-events.{ext}?kept=etag"
        first = client.get(url)
        hashed.clear()
        again = client.get(url)
        assert again.headers["ETag"] == first.headers["ETag"]
        assert first.headers["ETag"] == f'"{real(first.data, first.headers["Content-Type"])}"'
        assert hashed == [], ext


def test_cors_on_machine_formats_only(client: FlaskClient) -> None:
    for ext in RDF_FORMATS:
        response = client.get(f"/doc/offering/linked-events.{ext}")
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        assert "Link" in response.headers["Access-Control-Expose-Headers"]
    assert (
        "Access-Control-Allow-Origin" not in client.get("/doc/offering/linked-events.html").headers
    )


# --- HTML ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "query", "lang", "ui_word", "data_text"),
    [
        ({}, "?lang=fi", "fi", "Hinnoittelu", "Helsingin kaupunki"),
        ({}, "?lang=en", "en", "Pricing", "City of Helsinki"),
        ({}, "?lang=sv", "sv", "Prissättning", "Helsingin kaupunki"),  # no sv: fi
        ({"Accept-Language": "en-GB,en;q=0.9"}, "", "en", "Pricing", "City of Helsinki"),
        ({"Accept-Language": "sv-FI"}, "", "sv", "Prissättning", "Helsingin kaupunki"),  # no sv: fi
        ({"Accept-Language": "de"}, "", "fi", "Hinnoittelu", "Helsingin kaupunki"),
    ],
)
def test_html_in_each_language(
    client: FlaskClient,
    headers: dict[str, str],
    query: str,
    lang: str,
    ui_word: str,
    data_text: str,
) -> None:
    response = client.get(f"/doc/offering/linked-events.html{query}", headers=headers)
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in response.text
    assert response.headers["Content-Language"] == lang
    assert ui_word in response.text
    assert data_text in response.text  # supplier name in that language
    # the language switch offers all three
    for code in ("fi", "sv", "en"):
        assert f'hreflang="{code}"' in response.text
    if not query:
        assert "Accept-Language" in response.headers["Vary"]


def test_swedish_page_falls_back_to_finnish_data(client: FlaskClient) -> None:
    # The offering has no Swedish title: the Finnish one is shown, marked lang="fi".
    response = client.get("/doc/component/integrations.html?lang=sv")
    assert "Integraatiot" in response.text
    assert "Klassificerade här" in response.text


def test_schema_org_json_ld_parses(client: FlaskClient) -> None:
    for url, expected in (
        ("/doc/offering/linked-events.html", SCHEMA.SoftwareApplication),
        ("/doc/supplier/city-of-helsinki.html", SCHEMA.Organization),
    ):
        html = client.get(url).text
        scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
        assert len(scripts) == 1
        data = json.loads(scripts[0])
        graph = Graph().parse(data=json.dumps(data), format="json-ld")
        subject = URIRef(data["@id"])
        assert (subject, RDF.type, expected) in graph
        assert (subject, SCHEMA.name, None) in graph


def test_service_offerings_are_schema_org_services(
    client: FlaskClient, subjects: list[tuple[str, str, str]], publication: Publication
) -> None:
    store = ReadStore(publication.store_path)
    services = [
        r["s"].value
        for r in store.query(f"SELECT ?s WHERE {{ ?s a <{URIS.vocab}Service> }} LIMIT 1")
    ]
    if not services:
        pytest.skip("the catalogue has no service offering")
    html = client.get(path(services[0]).replace("/id/", "/doc/") + ".html").text
    data = json.loads(re.search(r'application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["@type"] == "Service"


def test_supplier_page_lists_its_offerings(client: FlaskClient) -> None:
    html = client.get("/doc/supplier/city-of-helsinki.html?lang=en").text
    assert 'href="/doc/offering/linked-events?lang=en"' in html


def test_offering_page_shows_licence_openness_and_links(client: FlaskClient) -> None:
    html = client.get("/doc/offering/linked-events.html?lang=en").text
    assert "MIT License" in html and "pill open" in html
    assert 'href="https://github.com/City-of-Helsinki/linkedevents"' in html


def iter_scripts(html: str) -> Iterator[str]:
    yield from re.findall(r"<script[^>]*>", html)


def test_pages_need_no_javascript(client: FlaskClient) -> None:
    for url in ("/", "/doc/offering/linked-events.html", "/search?q=kartta"):
        html = client.get(url).text
        assert all("ld+json" in tag for tag in iter_scripts(html)), url


def test_every_subject_of_the_dump_dereferences(
    client: FlaskClient, publication: Publication
) -> None:
    """The "done when" of the issue: every subject IRI in the N-Triples dump answers in
    all five formats (things through their 303, vocabulary terms at /ontology)."""
    dump = Graph().parse(publication.dumps_dir / "avoinkunta.nt", format="nt")
    subjects = {s for s in dump.subjects() if isinstance(s, URIRef)}
    assert subjects and all(str(s).startswith(BASE) for s in subjects)
    # Our IRIs that only appear as objects must answer too (no link of ours is dead).
    objects = {o for o in dump.objects() if isinstance(o, URIRef) and str(o).startswith(BASE)}
    media_types = ("text/html", *(media for media, _ in RDF_FORMATS.values()))
    parsers = {media: parser for media, parser in RDF_FORMATS.values()}
    for subject in sorted(subjects | objects):
        url = path(str(subject).split("#", 1)[0])
        for media_type in media_types:
            response = client.get(url, headers={"Accept": media_type}, follow_redirects=True)
            assert response.status_code == 200, (url, media_type)
            assert response.mimetype == media_type, (url, media_type)
            if media_type in parsers and "#" in str(subject) and subject in subjects:
                graph = Graph().parse(data=response.data, format=parsers[media_type])
                assert (subject, None, None) in graph, (subject, media_type)
