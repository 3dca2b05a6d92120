"""Terms and paths a page makes over and over are made once: a vocabulary's terms
(publisher.render.lens.terms_of), rdflib namespaces' terms (Kept) and the site path of
each of our IRIs (publisher.render.html._site_path_of) — the same values as made anew,
whatever the mount point and the language of the request."""

from __future__ import annotations

from pathlib import Path

from rdflib import URIRef
from rdflib.namespace import DCTERMS

from publisher.app import create_app
from publisher.config import Settings
from publisher.render import html
from publisher.render.lens import Kept, Terms, terms_of

BASE = "http://localhost:8080/"
VOCAB = BASE + "ontology#"


def test_a_vocabularys_terms_are_made_once() -> None:
    ak = terms_of(VOCAB)
    assert ak is terms_of(VOCAB)
    assert ak.Product == URIRef(VOCAB + "Product") == Terms(VOCAB).Product
    assert ak.Product is ak.Product
    # names of methods and attributes elsewhere are terms here too
    assert ak.count == URIRef(VOCAB + "count") and ak.of == URIRef(VOCAB + "of")
    assert terms_of(BASE + "other#").Product == URIRef(BASE + "other#Product")


def test_a_namespaces_terms_are_made_once() -> None:
    dct = Kept(DCTERMS)
    assert dct.title == DCTERMS.title and dct.title is dct.title
    assert dct.hasPart == URIRef("http://purl.org/dc/terms/hasPart")


def test_the_site_path_of_an_iri_is_made_once(tmp_path: Path) -> None:
    app = create_app(Settings(base_uri=BASE, out_dir=tmp_path))
    iris = [
        BASE + "id/offering/linked-events",
        BASE + "id/licence/EUPL-1.2",
        VOCAB + "Product",
        BASE + "graph/catalogue",
        BASE + "id/nokind/x",
        "https://elsewhere.example/id/offering/x",
    ]
    found = {}
    for root, query in (("", ""), ("/mount", "?lang=sv"), ("", "?lang=en"), ("/m", "")):
        with app.test_request_context("/x" + query, base_url=BASE.rstrip("/") + root):
            found[root, query] = [html.local_href(iri) for iri in iris]
    assert found["", ""] == [
        "/doc/offering/linked-events",
        "/doc/licence/EUPL-1.2",
        "/ontology#Product",
        "/graph/catalogue",
        "/id/nokind/x",
        None,
    ]
    assert found["/mount", "?lang=sv"][:3] == [
        "/mount/doc/offering/linked-events?lang=sv",
        "/mount/doc/licence/EUPL-1.2?lang=sv",
        "/mount/ontology#Product",
    ]
    assert found["", "?lang=en"][0] == "/doc/offering/linked-events?lang=en"
    assert found["/m", ""][1] == "/m/doc/licence/EUPL-1.2"
    assert html._site_path_of.cache_info().hits >= 3 * 5
