"""Every kind of page is well-formed HTML5 (html5lib in strict mode raises on any parse
error), and no link can carry a script URL."""

from __future__ import annotations

import re

import html5lib
import pytest
from flask.testing import FlaskClient
from rdflib import URIRef

from publisher.render.lens import Lens, is_web_url

PAGES = [
    "/",
    "/?lang=sv",
    "/search?q=kartta",
    "/search?q=%3Cscript%3E",
    "/doc/offering/linked-events.html",
    "/doc/offering/koha-suomi-service.html?lang=fi",
    "/doc/supplier/city-of-helsinki.html",
    "/doc/licence/MIT.html",
    "/doc/layer/service-platform.html",
    "/doc/component/integrations.html?lang=en",
    "/doc/aspect/open-source.html",
    "/doc/domain/education.html",
    "/doc/phase/production-support.html",
    "/doc/route/no-charge.html",
    "/doc/scheme/architecture.html",
    "/.well-known/void.html",
    "/doc/offering/no-such-thing",
]


@pytest.mark.parametrize("url", PAGES)
def test_page_is_well_formed_html5(client: FlaskClient, url: str) -> None:
    response = client.get(url, headers={"Accept": "text/html"})
    assert response.mimetype == "text/html"
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    document = parser.parse(response.data)
    assert document.find(".//main") is not None
    hrefs = [a.get("href") for a in document.iter("a")]
    assert hrefs and not any(h.lower().startswith(("javascript:", "data:")) for h in hrefs)
    assert not re.search(r'href="\s*javascript:', response.text, re.I)


def test_links_only_for_web_urls() -> None:
    from rdflib import Graph

    lens = Lens(Graph(), "fi", lambda iri: None)
    assert lens.link(URIRef("javascript:alert(1)")).href == ""  # type: ignore[union-attr]
    assert lens.link(URIRef("urn:isbn:123")).href == ""  # type: ignore[union-attr]
    assert lens.link(URIRef("https://example.org/")).href == "https://example.org/"  # type: ignore[union-attr]
    assert is_web_url("mailto:a@b.fi") and not is_web_url("ftp://x")
