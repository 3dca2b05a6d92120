"""Every page that lists things is paged, so that none grows with the catalogue: the
sitemap (an index of sitemap pages), the offerings of a component, licence or supplier
page, and the home page's lists (the most frequent values and a link to all of them)."""

from __future__ import annotations

import re
from xml.etree import ElementTree

import pytest
from flask.testing import FlaskClient

from publisher.app import create_app
from publisher.config import Settings
from publisher.views import home, wellknown

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture()
def small_pages(settings: Settings) -> FlaskClient:
    return create_app(settings.replace(page_size=2)).test_client()


def test_a_large_sitemap_is_an_index_of_pages(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = ElementTree.fromstring(client.get("/sitemap.xml").data)
    every = [e.text for e in whole.findall("s:url/s:loc", NS)]
    monkeypatch.setattr(wellknown, "SITEMAP_PAGE", 40)
    index = ElementTree.fromstring(client.get("/sitemap.xml").data)
    assert index.tag == f"{{{NS['s']}}}sitemapindex"
    pages = [e.text or "" for e in index.findall("s:sitemap/s:loc", NS)]
    assert len(pages) == -(-len(every) // 40) > 1
    found = []
    for url in pages:
        assert url.startswith("http://localhost:8080/sitemap.xml?page=")
        page = ElementTree.fromstring(client.get(url[len("http://localhost:8080") :]).data)
        locs = [e.text for e in page.findall("s:url/s:loc", NS)]
        assert 0 < len(locs) <= 40
        found += locs
    assert found == every
    assert client.get(f"/sitemap.xml?page={len(pages) + 1}").status_code == 404
    assert client.get("/sitemap.xml?page=abc").status_code == 400


def test_a_component_page_lists_its_offerings_a_page_at_a_time(small_pages: FlaskClient) -> None:
    first = small_pages.get("/doc/component/spatial-data?lang=en", headers={"Accept": BROWSER})
    cards = first.text[first.text.index('<ul class="cards">') :]
    assert cards.count('<li class="card">', 0, cards.index("</ul>")) == 2
    pages = re.findall(r'href="(/doc/component/spatial-data\?[^"]*page=(\d+)[^"]*)"', first.text)
    assert {int(n) for _, n in pages} >= {2}
    assert 'href="/offerings?component=spatial-data' in first.text
    last = max(int(n) for _, n in pages)
    shown = set()
    for n in range(1, last + 1):
        page = small_pages.get(
            f"/doc/component/spatial-data?lang=en&page={n}", headers={"Accept": BROWSER}
        ).text
        part = page[page.index('<ul class="cards">') :]
        shown |= set(re.findall(r'href="(/doc/offering/[^"?]+)', part[: part.index("</ul>")]))
    total = re.search(r"See all (\d+) offerings", first.text)
    assert total and len(shown) == int(total.group(1))
    assert small_pages.get(f"/doc/component/spatial-data.html?page={last + 1}").status_code == 404
    assert small_pages.get("/doc/component/spatial-data.html?page=x").status_code == 400


def test_long_home_lists_show_the_most_frequent_and_link_to_all(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(home, "LIST_ALL_UP_TO", 4)
    monkeypatch.setattr(home, "TOP", 3)
    # (a variant of the page no other test has rendered: pages are kept with the
    # publication)
    page = client.get("/?lang=en&v=top3", headers={"Accept": BROWSER}).text
    by_supplier = page[page.index("By supplier") :]
    by_supplier = by_supplier[: by_supplier.index("</section>")]
    assert by_supplier.count("<li>") == 3
    assert 'href="/offerings/facet/supplier' in by_supplier
