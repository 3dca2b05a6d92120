"""Caches are keyed by everything that changes the bytes: every page variant, fetched
many times over new connections from a real gunicorn server with several workers, has
exactly one ETag, and revalidating with it always gives 304."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

import pytest
import requests
from flask.testing import FlaskClient

from publisher import formats

if TYPE_CHECKING:
    from tests.conftest import LiveServer

pytestmark = pytest.mark.e2e

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
THINGS = (
    "offering/x-road",
    "supplier/coss",
    "licence/EUPL-1.2",
    "component/document-management",
    "layer/ict-infrastructure",
    "aspect/open-source",
    "scheme/architecture",
    "domain/education",
    "phase/production-support",
    "route/direct-purchase",
)
PAGES = (
    "",
    "?lang=sv",
    "?lang=en&x=1",
    "search?q=kartta",
    "search?q=kartta&lang=en",
    "catalog",
    "catalog?page=2&page_size=3",
    "catalog.jsonld",
    "catalog.trig",
    "catalog/adms",
    "catalog/adms.nt?page=2&page_size=5",
    "catalog.html",
    "catalog.html?lang=sv",
    ".well-known/void",
    ".well-known/void.html",
    ".well-known/void.nt",
    ".well-known/void.jsonld",
    "ontology",
    "ontology.ttl",
    "ontology.nt",
    "ontology.jsonld",
    "sitemap.xml",
    "robots.txt",
    "dumps/",
)
REPEATS = 6


def variants() -> list[tuple[str, dict[str, str]]]:
    out: list[tuple[str, dict[str, str]]] = []
    for thing in THINGS:
        doc = f"doc/{thing}"
        for ext in formats.DOCUMENT_EXTENSIONS:
            out.append((f"{doc}.{ext}", {}))
        for query in ("", "?lang=sv", "?lang=en"):
            out.append((f"{doc}{query}", {"Accept": BROWSER}))
            out.append((f"{doc}.html{query}", {"Accept": BROWSER}))
        out.append((doc, {"Accept": BROWSER, "Accept-Language": "sv"}))
        out.append((doc, {"Accept": "text/turtle"}))
        out.append((doc, {"Accept": "application/ld+json"}))
        out.append((doc, {}))
    for page in PAGES:
        out.append((page, {"Accept": BROWSER}))
        out.append((page, {"Accept": BROWSER, "Accept-Language": "en"}))
        out.append((page, {}))
    return out


def test_every_variant_has_one_etag_across_workers(live_server: LiveServer) -> None:
    tags: dict[tuple[str, tuple[tuple[str, str], ...]], set[str]] = defaultdict(set)
    for path, headers in variants():
        key = (path, tuple(sorted(headers.items())))
        for _ in range(REPEATS):
            # A new connection each time, so that different workers answer.
            response = requests.get(
                live_server.url + path,
                headers={**headers, "Connection": "close"},
                timeout=30,
                allow_redirects=False,
            )
            assert response.status_code == 200, (path, headers, response.text[:200])
            tags[key].add(response.headers["ETag"])
    several = {key: found for key, found in tags.items() if len(found) > 1}
    assert not several, several
    for (path, headers), found in list(tags.items())[::7]:
        (etag,) = found
        again = requests.get(
            live_server.url + path,
            headers={**dict(headers), "If-None-Match": etag, "Connection": "close"},
            timeout=30,
        )
        assert again.status_code == 304, (path, headers)


def test_a_path_and_its_html_extension_are_cached_apart(client: FlaskClient) -> None:
    """/doc/X.html and /doc/X differ in their language links: the second request must not
    get the first one's bytes."""
    fixed = client.get("/doc/offering/x-road.html?lang=sv")
    negotiated = client.get("/doc/offering/x-road?lang=sv", headers={"Accept": BROWSER})
    assert 'href="/doc/offering/x-road.html?lang=fi"' in fixed.text
    assert 'href="/doc/offering/x-road?lang=fi"' in negotiated.text
    assert fixed.headers["ETag"] != negotiated.headers["ETag"]
    home = client.get("/?lang=en", headers={"Accept": BROWSER})
    other = client.get("/?lang=en&x=1", headers={"Accept": BROWSER})
    assert "x=1" in other.text and "x=1" not in home.text
