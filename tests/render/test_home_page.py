"""The home page's items in Python (publisher.render.homepage: the map's components, the
values of the lists under it) write what the templates they replaced wrote: the old
home.html and _archmap.html are kept in tests/render/reference and rendered as the
reference, on a synthetic map and lists covering every branch (a component with no
offering, one placed with low confidence, labels in another language, licence badges,
texts to escape) and on the bundled publication's home page in every language."""

from __future__ import annotations

import itertools
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from publisher.app import create_app
from publisher.config import Settings
from publisher.render.archmap import ComponentRow, LayerRow, MapComponent, build_map
from publisher.render.html import render_page
from tests.render.references import BASE, reference_app


def _map():  # type: ignore[no-untyped-def]
    layers = [
        LayerRow("channels", "Kanavat <&>", "/doc/layer/channels", 1, False),
        LayerRow("data", "Data", "/doc/layer/data", 2, False, lang="en"),
        LayerRow("management", "Johtaminen", "/doc/layer/management", 3, True),
    ]
    components = [
        ComponentRow("web", "Verkko & <sivut>", "/doc/component/web", "channels", 1),
        ComponentRow("chat", "Chat", "/doc/component/chat", "channels", 2, lang="en"),
        ComponentRow("db", "Tietokanta", "/doc/component/db", "data", 1, confidence="low"),
        ComponentRow("bi", "Raportointi", "/doc/component/bi", "management", 1, confidence="low"),
        ComponentRow("kpi", "Mittarit", "/doc/component/kpi", "management", 2, lang="sv"),
    ]
    members = {"web": {"o1", "o2"}, "chat": set(), "db": {"o3"}, "bi": set(), "kpi": {"o1"}}
    return build_map(layers, components, members)  # type: ignore[arg-type]


FACETS = [
    {
        "title": "By licence",
        "items": [
            {"label": "EUPL <1.2>", "lang": None, "href": "/doc/licence/EUPL-1.2?a=1&b=2",
             "count": 12, "badge": "open"},
            {"label": "Oma", "lang": "fi", "href": "/doc/licence/own", "count": 3,
             "badge": "closed"},
            {"label": "Muu", "lang": None, "href": "/doc/licence/other", "count": 0,
             "badge": None},
        ],
        "more": {"href": "/offerings/facet/licence", "count": 40},
    },
    {"title": "By supplier", "items": [], "more": None},
]  # fmt: skip


def _page(app: Flask, template: str, lang: str, query: str) -> str:
    with app.test_request_context("/" + query, headers={"Accept-Language": lang}, base_url=BASE):
        return render_page(
            template,
            lang=lang,
            archmap=_map(),
            facets=FACETS,
            counts={"offerings": 15, "suppliers": 2},
            modified="2026-12-01",
            schemaorg=None,
        )


def test_the_home_page_of_every_branch_is_the_templates(tmp_path: Path) -> None:
    settings = Settings(base_uri=BASE, out_dir=tmp_path)
    new, old = create_app(settings), reference_app(settings)
    assert isinstance(_map().layers[0].components[0], MapComponent)
    for lang, query in itertools.product(("fi", "sv", "en"), ("", "?lang=sv")):
        for template in ("home.html", "_archmap.html"):
            assert _page(new, template, lang, query) == _page(old, template, lang, query)


def test_the_bundled_home_page_is_the_templates(settings: Settings, client: FlaskClient) -> None:
    old = reference_app(settings).test_client()
    for query, language in (("", "fi"), ("?lang=sv", "fi"), ("", "en"), ("?lang=en", "sv")):
        headers = {"Accept": "text/html", "Accept-Language": language}
        got, want = client.get("/" + query, headers=headers), old.get("/" + query, headers=headers)
        assert got.status_code == want.status_code == 200
        assert got.get_data() == want.get_data(), query
        assert got.headers["ETag"] == want.headers["ETag"]
