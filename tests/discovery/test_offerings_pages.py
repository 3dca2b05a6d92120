"""/offerings, /search, /suggest over HTTP (Flask's test client on the session's build):
HTML with facets and URL round trips, the same selection as CSV (read by Python's csv module
with the BOM) and as a hydra collection (parsed by rdflib), ranked search with "did you
mean", and the buyer's path of issue 11: home → GIS, open source, no licence fee in two
clicks → compare two."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from flask.testing import FlaskClient
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from publisher.namespaces import HYDRA
from publisher.siteindex import Selection, SiteIndex

BASE = "http://localhost:8080/"
HTML = {"Accept": "text/html"}


def page(client: FlaskClient, url: str) -> str:
    response = client.get(url, headers=HTML)
    assert response.status_code == 200, (url, response.status_code)
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True)


def hrefs(body: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(r'href="([^"]+)"', body)]


def card_keys(body: str) -> list[str]:
    return re.findall(r'<article aria-labelledby="card-([a-z0-9-]+)"', body)


def test_the_list_shows_every_offering_with_counts(
    client: FlaskClient, site_index: SiteIndex
) -> None:
    total = site_index.counts()["offering"]
    body = page(client, "/offerings?lang=fi&page_size=100")
    assert f"{total} tuotetta tai palvelua" in body  # Finnish plural, partitive
    assert len(card_keys(body)) == total
    assert '<link rel="canonical"' in body
    english = page(client, "/offerings?lang=en")
    assert f"{total} offerings" in english
    assert len(card_keys(english)) == 20  # paged


def test_a_facet_link_round_trips_through_the_url(
    client: FlaskClient, site_index: SiteIndex
) -> None:
    body = page(client, "/offerings?lang=en")
    link = next(
        h
        for h in hrefs(body)
        if "component=spatial-data" in h
        and "&" in h
        or h.endswith("component=spatial-data&lang=en")
    )
    chosen = page(client, link)
    expected = {
        site_index.entity_by_id(o).key
        for o in site_index.select(Selection.of(component="spatial-data"))
    }
    assert set(card_keys(chosen)) == expected
    # the chip removes the choice again: back to everything
    remove = next(
        h
        for h in hrefs(chosen)
        if "component=spatial-data" not in h
        and h.startswith("/offerings")
        and "lang=en" in h
        and "sort" not in h
        and "page" not in h
    )
    back = page(client, remove)
    assert len(card_keys(back)) == 20
    # the selection survives a round trip through its own canonical URL
    canonical = html.unescape(re.search(r'<link rel="canonical" href="([^"]+)"', chosen).group(1))
    query = dict(parse_qsl(urlsplit(canonical).query))
    assert query == {"component": "spatial-data", "lang": "en"}


def test_sorting_and_paging(client: FlaskClient, site_index: SiteIndex) -> None:
    first = card_keys(page(client, "/offerings?lang=en&page_size=5"))
    second = card_keys(page(client, "/offerings?lang=en&page_size=5&page=2"))
    assert len(first) == len(second) == 5 and not set(first) & set(second)
    everything = card_keys(page(client, "/offerings?lang=en&page_size=100"))
    assert everything[:10] == first + second
    titles = [site_index.label("offering", k, "en").text.casefold() for k in everything]
    assert titles == sorted(titles)
    by_supplier = card_keys(page(client, "/offerings?lang=en&page_size=100&sort=supplier"))
    names = [
        site_index.label("supplier", site_index.card(k)["supplier"], "en").text.casefold()
        for k in by_supplier
    ]
    assert names == sorted(names)
    assert client.get("/offerings?page=99", headers=HTML).status_code == 404
    assert client.get("/offerings?page=zero", headers=HTML).status_code == 400


SELECTION = "component=spatial-data&open=yes&pricing=no-licence-fee"


def test_csv_of_the_selection_opens_with_the_bom(
    client: FlaskClient, site_index: SiteIndex
) -> None:
    response = client.get(f"/offerings.csv?{SELECTION}&lang=fi")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv; charset=utf-8")
    data = response.get_data()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    expected = {
        site_index.entity_by_id(o).key
        for o in site_index.select(Selection.from_pairs(parse_qsl(SELECTION)))
    }
    assert {r["id"] for r in rows} == expected and len(rows) == len(expected)
    oskari = next(r for r in rows if r["id"] == "oskari")
    assert oskari["supplier"] == "Maanmittauslaitos"
    assert oskari["open_source"] == "yes"
    assert oskari["uri"] == f"{BASE}id/offering/oskari"
    assert "Paikkatieto" in oskari["components"]
    # the whole list, not one page
    everything = client.get("/offerings.csv").get_data().decode("utf-8-sig")
    assert len(list(csv.DictReader(io.StringIO(everything)))) == site_index.counts()["offering"]


def test_csv_keeps_finnish_letters(client: FlaskClient) -> None:
    text = client.get("/offerings.csv?supplier=koha-suomi&lang=fi").get_data().decode("utf-8-sig")
    (row,) = list(csv.DictReader(io.StringIO(text)))
    assert row["title"] == "Koha-kirjastojärjestelmä palveluna"
    assert "0,28\u00a0€" in row["parts"]  # Babel: a no-break space before the sign


@pytest.mark.parametrize(
    ("ext", "syntax"), [("ttl", "turtle"), ("jsonld", "json-ld"), ("rdf", "xml"), ("nt", "nt")]
)
def test_rdf_of_the_selection_is_a_hydra_collection(
    client: FlaskClient, site_index: SiteIndex, ext: str, syntax: str
) -> None:
    response = client.get(f"/offerings.{ext}?{SELECTION}")
    assert response.status_code == 200
    graph = Graph().parse(data=response.get_data(), format=syntax)
    collection = URIRef(f"{BASE}offerings?{SELECTION}")
    assert (collection, RDF.type, HYDRA.Collection) in graph
    expected = {
        URIRef(f"{BASE}id/offering/{site_index.entity_by_id(o).key}")
        for o in site_index.select(Selection.from_pairs(parse_qsl(SELECTION)))
    }
    assert set(graph.objects(collection, HYDRA.member)) == expected
    assert graph.value(collection, HYDRA.totalItems) == Literal(len(expected))


def test_a_paged_collection_links_its_pages(client: FlaskClient, site_index: SiteIndex) -> None:
    graph = Graph().parse(
        data=client.get("/offerings.ttl?page_size=10&page=2").get_data(), format="turtle"
    )
    view = URIRef(f"{BASE}offerings.ttl?page=2&page_size=10") if False else None
    (view,) = list(graph.objects(URIRef(f"{BASE}offerings"), HYDRA.view))
    assert (view, RDF.type, HYDRA.PartialCollectionView) in graph
    nxt = graph.value(view, HYDRA.next)
    prev = graph.value(view, HYDRA.previous)
    assert "page=3" in str(nxt) and prev is not None
    members = set(graph.objects(URIRef(f"{BASE}offerings"), HYDRA.member))
    assert len(members) == 10


def test_negotiation_and_bad_formats(client: FlaskClient) -> None:
    assert client.get("/offerings", headers={"Accept": "text/turtle"}).mimetype == "text/turtle"
    assert client.get("/offerings", headers={"Accept": "text/csv"}).mimetype == "text/csv"
    assert client.get("/offerings", headers={"Accept": "*/*"}).mimetype == "text/html"
    assert client.get("/offerings.xlsx").status_code == 404
    assert client.get("/offerings", headers={"Accept": "image/png"}).status_code == 406


def test_search_with_did_you_mean(client: FlaskClient) -> None:
    body = page(client, "/search?q=oskri&lang=fi")
    assert "Tarkoititko" in body and "<strong>oskari</strong>" in body
    assert card_keys(body)[0] == "oskari"


def test_search_for_an_inflected_form_highlights_and_facets(
    client: FlaskClient, voikko: None
) -> None:
    body = page(client, "/search?q=paikkatietoa&lang=fi")
    assert "oskari" in card_keys(body)[:3]
    assert 'id="facet-component"' in body
    # within the search, a facet narrows the matches
    narrowed = page(client, "/search?q=paikkatietoa&lang=fi&supplier=national-land-survey")
    assert card_keys(narrowed) == ["oskari"]


def test_search_finds_other_kinds_too(client: FlaskClient) -> None:
    body = page(client, "/search?q=Maanmittauslaitos&lang=fi")
    assert "/doc/supplier/national-land-survey" in body


def test_suggest_answers_json(client: FlaskClient) -> None:
    response = client.get("/suggest?q=osk", headers={"Accept-Language": "fi"})
    assert response.status_code == 200 and response.mimetype == "application/json"
    data = json.loads(response.get_data())
    assert data["query"] == "osk"
    assert data["suggestions"][0] == {
        "label": "Oskari",
        "lang": "fi",
        "kind": "offering",
        "key": "oskari",
        "href": "/doc/offering/oskari",
    }
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    opensearch = json.loads(client.get("/suggest?q=osk&format=opensearch").get_data())
    assert opensearch[0] == "osk" and opensearch[1][0] == "Oskari"
    assert opensearch[3][0] == f"{BASE}doc/offering/oskari"
    assert json.loads(client.get("/suggest?q=").get_data())["suggestions"] == []


def test_the_buyers_two_clicks_and_a_comparison(client: FlaskClient) -> None:
    """Issue 11, done when: from the home page to a shortlist of "GIS, open source, no
    licence fee" in two clicks, then two of them side by side."""
    home = page(client, "/?lang=en")
    gis = next(h for h in hrefs(home) if h.startswith("/offerings?component=spatial-data"))
    listed = page(client, gis)  # click 1: the map's GIS component
    preset = next(
        h
        for h in hrefs(listed)
        if "open=yes" in h and "pricing=no-licence-fee" in h and "component=spatial-data" in h
    )
    shortlist = page(client, preset)  # click 2: "Open source, no licence fee"
    keys = card_keys(shortlist)
    assert "oskari" in keys and len(keys) >= 2
    assert 'id="compare-form"' in shortlist and 'name="o"' in shortlist
    compared = page(client, f"/compare?o={keys[0]}&o={keys[1]}&lang=en")
    assert compared.count('<th scope="col">') == 2


def test_counts_follow_each_languages_plural_rules(
    client: FlaskClient, site_index: SiteIndex
) -> None:
    suppliers = site_index.counts()["supplier"]
    assert f"{suppliers} toimittajaa" in page(client, "/?lang=fi")  # not "toimittajat"
    assert f"{suppliers} leverantörer" in page(client, "/?lang=sv")
    assert f"{suppliers} suppliers" in page(client, "/?lang=en")
    from publisher.render.discovery_text import plural

    assert plural("n_suppliers", 1, "fi") == "1 toimittaja"
    assert plural("n_offerings", 1, "sv") == "1 produkt eller tjänst"
    assert plural("n_offerings", 1234, "en") == "1,234 offerings"


def test_every_page_head_names_its_languages(client: FlaskClient) -> None:
    body = page(client, "/offerings?component=spatial-data&component=e-services&lang=sv")
    head = body[: body.index("</head>")]
    for code in ("fi", "sv", "en", "x-default"):
        assert f'hreflang="{code}"' in head
    # the language switch keeps both values of the repeated parameter
    assert "component=spatial-data&amp;component=e-services&amp;lang=fi" in head
    assert '<link rel="canonical" href="http://localhost/offerings?component=e-services' in head
    assert head.count('rel="canonical"') == 1


def test_swedish_page_says_once_that_some_content_is_not_in_swedish(client: FlaskClient) -> None:
    body = page(client, "/doc/offering/oskari?lang=sv")
    assert body.count('class="lang-notice"') == 1
    assert "finns bara på finska eller engelska" in body
    assert 'class="lang-notice"' not in page(client, "/doc/offering/oskari?lang=fi")
