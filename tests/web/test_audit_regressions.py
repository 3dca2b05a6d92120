"""Regression tests for the defects the web-layer audit found, each through real HTTP
(Flask's test client) over the catalogue built once for the session."""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser
from xml.etree import ElementTree

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, VOID

from publisher.publication import Publication

BASE = "http://localhost:8080/"  # the base URI of the session build (tests/conftest.py)
ID_SPACE = f"{BASE}id/"
DOC = "/doc/offering/x-road"


def store_facts(publication: Publication) -> tuple[int, set[str], set[str], Counter[str]]:
    """Triples, distinct subjects, subject IRIs under /id/ and entities per class, read
    quad by quad from the store (not through the SPARQL the app uses)."""
    store = ox.Store.read_only(str(publication.store_path))
    triples: set[tuple[object, object, object]] = set()
    for quad in store.quads_for_pattern(None, None, None, None):
        triples.add((quad.subject, quad.predicate, quad.object))
    subjects = {str(s) for s, _, _ in triples}
    things = {
        s.value
        for s, _, _ in triples
        if isinstance(s, ox.NamedNode) and s.value.startswith(ID_SPACE)
    }
    classes: Counter[str] = Counter()
    for s, _, o in {(s, p, o) for s, p, o in triples if p.value == str(RDF.type)}:
        if isinstance(s, ox.NamedNode) and s.value in things:
            classes[o.value] += 1
    return len(triples), subjects, things, classes


# --- 1. alias types only match exact ranges ----------------------------------------------


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("application/*", "application/ld+json"),
        ("application/*;q=0.9, text/html;q=0.1", "application/ld+json"),
        ("application/*, application/ld+json;q=0", "application/rdf+xml"),
        ("application/x-turtle", "text/turtle"),
    ],
)
def test_application_wildcard_chooses_an_application_type(
    client: FlaskClient, accept: str, expected: str
) -> None:
    response = client.get(DOC, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.mimetype == expected
    fmt = {"application/ld+json": "json-ld", "application/rdf+xml": "xml"}.get(expected, "turtle")
    graph = Graph().parse(data=response.data, format=fmt)
    assert (URIRef(f"{ID_SPACE}offering/x-road"), None, None) in graph


# --- 2. CORS preflight on the machine paths -----------------------------------------------

MACHINE_PATHS = [
    DOC,
    "/id/offering/x-road",
    "/catalog",
    "/catalog.ttl",
    "/catalog/adms",
    "/ontology",
    "/ontology.ttl",
    "/.well-known/void",
    "/dumps/",
]


@pytest.mark.parametrize("path", MACHINE_PATHS)
def test_preflight_is_answered(client: FlaskClient, path: str) -> None:
    response = client.options(
        path,
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "accept, if-none-match, x-trace",
        },
    )
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    methods = {m.strip() for m in response.headers["Access-Control-Allow-Methods"].split(",")}
    assert methods == {"GET", "HEAD", "OPTIONS"}
    allowed = {
        h.strip().lower() for h in response.headers["Access-Control-Allow-Headers"].split(",")
    }
    assert {"accept", "if-none-match", "if-modified-since", "x-trace"} <= allowed
    assert int(response.headers["Access-Control-Max-Age"]) > 0
    assert "Access-Control-Request-Headers" in response.headers["Vary"]
    assert response.data == b""


def test_preflight_drops_malformed_header_names(client: FlaskClient) -> None:
    response = client.options(
        DOC,
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "x-ok, bad name, <script>",
        },
    )
    allowed = response.headers["Access-Control-Allow-Headers"]
    assert "x-ok" in allowed and "bad name" not in allowed and "<script>" not in allowed


def test_plain_options_and_sparql_preflight_are_left_alone(client: FlaskClient) -> None:
    plain = client.options(DOC)  # no Origin: not a preflight
    assert plain.status_code == 200 and "Access-Control-Allow-Methods" not in plain.headers
    sparql = client.options(
        "/sparql",
        headers={"Origin": "https://example.org", "Access-Control-Request-Method": "POST"},
    )
    # The SPARQL endpoint's own answer, which also allows POST.
    assert "POST" in sparql.headers.get("Access-Control-Allow-Methods", "")
    html = client.options(
        "/search", headers={"Origin": "https://example.org", "Access-Control-Request-Method": "GET"}
    )
    assert "Access-Control-Allow-Methods" not in html.headers


# --- 3. 406s carry Vary and speak one language; the footer link works for people --------


@pytest.mark.parametrize("path", ["/catalog", "/catalog/adms", DOC])
@pytest.mark.parametrize(
    ("language", "words"),
    [("fi", "Muotoa ei ole saatavilla. Saatavilla:"), ("en", "Format not available. Offered:")],
)
def test_406_has_vary_and_one_language(
    client: FlaskClient, path: str, language: str, words: str
) -> None:
    """A machine asking for a type nothing offers (image/png) gets the JSON error shape in
    one language. (A browser's text/html on /catalog gets its HTML view: issue 11, item 5.)"""
    accept = "image/png"
    response = client.get(path, headers={"Accept": accept, "Accept-Language": language})
    assert response.status_code == 406
    assert {"Accept", "Accept-Language"} <= {v.strip() for v in response.headers["Vary"].split(",")}
    assert response.headers["Content-Language"] == language
    body = response.get_json()
    assert body["ok"] is False and body["status"] == 406
    assert "text/turtle" in {o["type"] for o in body["offered"]}
    text = body["message"]
    assert words in text
    other = "Offered" if language == "fi" else "Saatavilla"
    assert other not in text
    assert "text/turtle" in text


def test_footer_catalogue_link_is_a_page_for_people(client: FlaskClient) -> None:
    home = client.get("/?lang=en", headers={"Accept": "text/html"}).get_data(as_text=True)
    footer = home[home.index("<footer") :]
    hrefs = re.findall(r'href="([^"]+)"', footer)
    catalogue = [h for h in hrefs if h.startswith("/catalog")]
    assert catalogue == ["/catalog.html?lang=en"]
    page = client.get(catalogue[0], headers={"Accept": "text/html"})
    assert page.status_code == 200 and page.mimetype == "text/html"
    body = page.get_data(as_text=True)
    for fmt in ("ttl", "jsonld", "rdf", "nt"):
        assert f'href="/catalog.{fmt}"' in body and f'href="/catalog/adms.{fmt}"' in body
    for href in set(re.findall(r'href="(/[^"]*)"', body)):
        assert client.get(href).status_code == 200, href


# --- 4. VoID counts what the store holds --------------------------------------------------


def test_void_counts_come_from_the_store(client: FlaskClient, publication: Publication) -> None:
    triples, subjects, things, classes = store_facts(publication)
    graph = Graph().parse(data=client.get("/.well-known/void.ttl").data, format="turtle")
    dataset = next(graph.subjects(VOID.uriSpace, Literal(ID_SPACE)))
    assert graph.value(dataset, VOID.triples).toPython() == triples
    assert graph.value(dataset, VOID.distinctSubjects).toPython() == len(subjects)
    assert graph.value(dataset, VOID.entities).toPython() == len(things)
    # The concepts of the schemes are entities too, not only offerings and suppliers.
    assert {"skos:Concept", "ak:ArchitectureComponent"} <= {
        graph.namespace_manager.normalizeUri(URIRef(c)) for c in classes
    }
    partitions = {
        str(graph.value(p, VOID["class"])): graph.value(p, VOID.entities).toPython()
        for p in graph.objects(dataset, VOID.classPartition)
    }
    assert partitions == dict(classes)
    for iri in things:  # every entity under uriSpace dereferences
        assert client.get(iri[len(BASE) - 1 :]).status_code == 303


# --- 5. the sitemap lists every document of every thing ----------------------------------


def test_sitemap_lists_every_thing_in_the_store(
    client: FlaskClient, publication: Publication
) -> None:
    _, _, things, _ = store_facts(publication)
    tree = ElementTree.fromstring(client.get("/sitemap.xml").data)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [e.text or "" for e in tree.findall("s:url/s:loc", ns)]
    assert len(locs) == len(set(locs))
    docs = {loc for loc in locs if loc.startswith(f"{BASE}doc/")}
    assert docs == {f"{BASE}doc/{iri[len(ID_SPACE) :]}" for iri in things}
    kinds = Counter(loc[len(f"{BASE}doc/") :].split("/")[0] for loc in docs)
    for kind in ("layer", "component", "scheme", "aspect", "domain", "phase", "route"):
        assert kinds[kind] > 0, kind
    for loc in sorted(docs):
        assert client.get(loc[len(BASE) - 1 :], headers={"Accept": "text/html"}).status_code == 200
    for lastmod in tree.findall("s:url/s:lastmod", ns):
        assert re.fullmatch(r"\d{4}-\d\d-\d\d", lastmod.text or "")


# --- 6. the VoID page is translated -------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("fi", ["Kolmikot", "Tiedosto", "Mediatyyppi", "Tavua", "Entiteetit"]),
        ("sv", ["Fil", "Medietyp", "Byte", "Entiteter"]),
        ("en", ["Triples", "File", "Media type", "Bytes", "Entities"]),
    ],
)
def test_void_page_speaks_the_page_language(
    client: FlaskClient, lang: str, words: list[str]
) -> None:
    html = client.get(f"/.well-known/void?lang={lang}", headers={"Accept": "text/html"})
    text = html.get_data(as_text=True)
    main = text[text.index("<main") : text.index("</main>")]
    for word in words:
        assert f">{word}<" in main, word
    if lang == "fi":
        for english in ("Triples", ">File<", "Media type", ">Bytes<"):
            assert english not in main
    if lang == "sv":
        # Terms without a sure Swedish word fall back to English, marked as such.
        assert '<span lang="en">Triples</span>' in main


# --- 8. browsers get the site's own 404 page; a favicon exists ----------------------------

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.mark.parametrize("path", ["/nope", "/doc/", "/doc/offering/x-road/", "/catalog.pdf"])
@pytest.mark.parametrize(
    ("language", "title"), [("fi", "Ei löytynyt"), ("sv", "Hittades inte"), ("en", "Not found")]
)
def test_unknown_paths_get_the_site_404_page(
    client: FlaskClient, path: str, language: str, title: str
) -> None:
    response = client.get(path, headers={"Accept": BROWSER, "Accept-Language": language})
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert f'<html lang="{language}">' in html
    assert f"<h1>{title}</h1>" in html
    assert 'role="search"' in html and 'name="q"' in html
    assert {"Accept", "Accept-Language"} <= {v.strip() for v in response.headers["Vary"].split(",")}


def test_unknown_paths_stay_json_for_machines(client: FlaskClient) -> None:
    for path in ("/nope", "/doc/"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.is_json and response.get_json()["status"] == 404


def test_favicon(client: FlaskClient) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype == "image/x-icon"
    assert response.data[:4] == b"\x00\x00\x01\x00"  # an ICO header: reserved 0, type 1
    assert int(re.search(r"max-age=(\d+)", response.headers["Cache-Control"]).group(1)) >= 86400
    again = client.get("/favicon.ico", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    svg = client.get("/static/favicon.svg")
    assert svg.status_code == 200 and b"<svg" in svg.data
    home = client.get("/", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert 'rel="icon"' in home


# --- 7. every fallback text carries its own lang -----------------------------------------

_VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


class _LangOfText(HTMLParser):
    """Each text node of a page with the language it inherits (the nearest ``lang``)."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, str | None]] = []
        self.texts: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID_TAGS:
            return
        inherited = self.stack[-1][1] if self.stack else None
        self.stack.append((tag, dict(attrs).get("lang", inherited)))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if data.strip() and not (self.stack and self.stack[-1][0] in {"script", "style"}):
            self.texts.append((data.strip(), self.stack[-1][1] if self.stack else None))


def finnish_only_texts(publication: Publication) -> set[str]:
    """Finnish literals of the data that no Swedish, English or untagged literal repeats:
    on a Swedish page they can only appear as fallbacks."""
    store = ox.Store.read_only(str(publication.store_path))
    by_text: dict[str, set[str]] = {}
    for quad in store.quads_for_pattern(None, None, None, None):
        if isinstance(quad.object, ox.Literal):
            by_text.setdefault(quad.object.value, set()).add(quad.object.language or "")
    return {text for text, langs in by_text.items() if langs == {"fi"}}


@pytest.mark.parametrize(
    ("path", "must_see"),
    [
        ("/?lang=sv", 40),  # the map's layers and components have no Swedish labels
        ("/doc/offering/oskari?lang=sv", 3),  # price unit, procurement route, title…
        ("/doc/layer/ict-infrastructure?lang=sv", 3),
        ("/search?q=kartt&lang=sv", 1),  # (a query that is itself no label)
    ],
)
def test_finnish_fallbacks_on_swedish_pages_say_so(
    client: FlaskClient, publication: Publication, path: str, must_see: int
) -> None:
    finnish = finnish_only_texts(publication)
    html = client.get(path, headers={"Accept": "text/html"}).get_data(as_text=True)
    parser = _LangOfText()
    parser.feed(html)
    fallbacks = [(text, lang) for text, lang in parser.texts if text in finnish]
    assert len(fallbacks) >= must_see
    assert [t for t, lang in fallbacks if lang != "fi"] == []


def test_no_swedish_document_leaves_a_finnish_fallback_unmarked(
    client: FlaskClient, publication: Publication
) -> None:
    finnish = finnish_only_texts(publication)
    _, _, things, _ = store_facts(publication)
    unmarked: dict[str, str] = {}
    for iri in sorted(things):
        path = f"/doc/{iri[len(ID_SPACE) :]}?lang=sv"
        parser = _LangOfText()
        parser.feed(client.get(path, headers={"Accept": "text/html"}).get_data(as_text=True))
        for text, lang in parser.texts:
            if text in finnish and lang != "fi":
                unmarked.setdefault(text[:60], path)
    assert unmarked == {}


def test_price_unit_and_route_carry_lang(client: FlaskClient) -> None:
    html = client.get("/doc/offering/oskari?lang=sv", headers={"Accept": "text/html"}).text
    assert '<span lang="fi">lisenssimaksu</span>' in html
    route = re.search(r'<a href="/doc/route/[^"]+"( lang="fi")?>', html)
    assert route is not None and route.group(1) == ' lang="fi"'


# --- 9. licence expressions keep their members' backlinks ---------------------------------


@pytest.mark.parametrize(
    ("lang", "words"), [("en", "as part of"), ("fi", "osana lisenssiä"), ("sv", "som del av")]
)
def test_member_licence_lists_offerings_under_its_expressions(
    client: FlaskClient, lang: str, words: str
) -> None:
    html = client.get(f"/doc/licence/EUPL-1.1?lang={lang}", headers={"Accept": "text/html"}).text
    section = html[html.index('<ul class="cards">') : html.index("</ul>", html.index("cards"))]
    assert f'href="/doc/offering/oskari?lang={lang}"' in section
    # (the expression's title may be a Finnish fallback, marked lang="fi")
    via = rf'\({words} <a href="/doc/licence/MIT-OR-EUPL-1\.1\?lang={lang}"( lang="fi")?>'
    assert re.search(via + r"MIT OR EUPL-1\.1</a>\)", section)
    # The expression's own page lists Oskari directly, without the note.
    own = client.get("/doc/licence/MIT-OR-EUPL-1.1?lang=en", headers={"Accept": "text/html"}).text
    assert 'href="/doc/offering/oskari?lang=en"' in own and "as part of" not in own


# --- 10. the map says which placements are inferred ---------------------------------------


def test_map_marks_low_confidence_placements(client: FlaskClient, publication: Publication) -> None:
    store = ox.Store.read_only(str(publication.store_path))
    low = {
        r["c"].value.rsplit("/", 1)[-1]
        for r in store.query(
            'SELECT ?c WHERE { ?c <http://localhost:8080/ontology#confidence> "low" }',
            use_default_graph_as_union=True,
        )
    }
    assert low  # the architecture scheme records some
    for lang, caption, title in (
        ("en", "partly inferred", "confidence: low"),
        ("fi", "osin päätelty", "varmuus: matala"),
        ("sv", "delvis härlett", "säkerhet: låg"),
    ):
        html = client.get(f"/?lang={lang}", headers={"Accept": "text/html"}).text
        figcaption = html[html.index("<figcaption") : html.index("</figcaption>")]
        assert caption in figcaption and "†" in figcaption
        marked = set(
            re.findall(
                # the map links each component to its filtered list (issue 11, item 4)
                r'href="/offerings\?component=([^"&]+)[^"]*"><span[^>]*>[^<]*</span>'
                r'<span class="inferred" title="([^"]+)">†',
                html,
            )
        )
        assert {key for key, _ in marked} == low
        assert all(title in t for _, t in marked)
