"""The entries of a catalogue page's people's view in Python
(publisher.render.catalogueview) write what the template's loop wrote: the old
discovery/catalogue.html is kept in tests/render/reference and rendered as the reference,
on synthetic entries covering every branch (a description to cut at 300 characters and one
just under it, texts in another language, contacts with and without address and web page,
distributions named by format or by media type, sizes of 0, no checksum, characters to
escape) and on the bundled publication's /catalog and /catalog/adms pages."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from rdflib import Literal
from rdflib.namespace import XSD

from publisher.app import create_app
from publisher.config import Settings
from publisher.render.discovery_text import format_count
from publisher.render.html import render_page
from publisher.views.harvestpages import words
from tests.render.references import BASE, reference_app


def _entries() -> list[dict[str, Any]]:
    long = "Pitkä <kuvaus> & " * 30
    return [
        {
            "iri": BASE + "id/offering/a?x=1&y=<2>",
            "types": ["adms:Asset", "dcat:Dataset"],
            "title": {"text": "Otsikko <&>", "lang": None},
            "description": {"text": long, "lang": "en"},
            "modified": Literal("2026-01-02T03:04:05Z", datatype=XSD.dateTime),
            "licence": ["https://example.org/licence/EUPL-1.2", "https://example.org/l/<x>"],
            "publisher": {"text": "Toimittaja & co", "lang": "sv"},
            "contacts": [
                {"name": {"text": "Tuki", "lang": None}, "email": "mailto:a@example.org",
                 "url": "https://example.org/tuki?a=1&b=2"},
                {"name": None, "email": None, "url": None},
            ],
            "distributions": [
                {"title": None, "url": "https://example.org/a.ttl",
                 "media_type": ["text", "turtle"],
                 "format": "RDF_TURTLE", "bytes": Literal("12345", datatype=XSD.integer),
                 "checksum": "ab" * 32},
                {"title": None, "url": "", "media_type": ["text", "html"], "format": "",
                 "bytes": Literal("0", datatype=XSD.integer), "checksum": None},
                {"title": None, "url": "https://example.org/b", "media_type": [], "format": "",
                 "bytes": None, "checksum": None},
            ],
        },
        {
            "iri": BASE + "id/offering/b",
            "types": [],
            "title": {"text": "B", "lang": "fi"},
            "description": {"text": "x" * 304, "lang": None},
            "modified": None,
            "licence": [],
            "publisher": None,
            "contacts": [],
            "distributions": [],
        },
        {
            "iri": BASE + "id/offering/c", "types": ["adms:Asset"],
            "title": {"text": "C", "lang": None}, "description": {"text": "y" * 306, "lang": None},
            "modified": Literal("2026-01-02", datatype=XSD.date), "licence": ["urn:x"],
            "publisher": {"text": "P", "lang": None}, "contacts": [], "distributions": [],
        },
    ]  # fmt: skip


def _page(app: Flask, lang: str, entries: list[dict[str, Any]]) -> str:
    with app.test_request_context(
        "/catalog/adms?page=2", headers={"Accept-Language": lang}, base_url=BASE
    ):
        return render_page(
            "discovery/catalogue.html",
            lang=lang,
            which="adms",
            url=BASE + "catalog/adms",
            catalogues=[],
            entries=entries,
            pages={"first": "/catalog/adms?page=1", "next": "/catalog/adms?page=3"},
            rdf=[("Turtle", "text/turtle", "/catalog/adms.ttl")],
            ckan_config="{}",
            ckan_command="ckanapi …",
            total=str(len(entries)),
            d=words(lang),
            fmt=lambda n: format_count(int(n), lang),
        )


def test_catalogue_entries_of_every_branch_are_the_template(tmp_path: Path) -> None:
    settings = Settings(base_uri=BASE, out_dir=tmp_path)
    new, old = create_app(settings), reference_app(settings)
    for lang, some in itertools.product(("fi", "sv", "en"), (_entries(), _entries()[1:], [])):
        assert _page(new, lang, some) == _page(old, lang, some)


def test_the_bundled_catalogue_pages_are_the_template(
    settings: Settings, client: FlaskClient
) -> None:
    old = reference_app(settings).test_client()
    for path, query, language in itertools.product(
        ("/catalog", "/catalog/adms"),
        ("", "?lang=sv", "?page=2&page_size=7", "?page_size=3&lang=en"),
        ("fi", "en"),
    ):
        headers = {"Accept": "text/html", "Accept-Language": language}
        got, want = (
            client.get(path + query, headers=headers),
            old.get(path + query, headers=headers),
        )
        assert got.status_code == want.status_code
        assert got.get_data() == want.get_data(), path + query
        assert got.headers.get("ETag") == want.headers.get("ETag")
