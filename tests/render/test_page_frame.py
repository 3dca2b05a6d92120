"""The frame of every page in Python (publisher.render.frame: base.html's head links, top
bar and footer) writes what base.html wrote: the old base.html is kept in
tests/render/reference and rendered as the reference, on a page covering every branch
(other formats or none or not given, schema.org data or none, a search value, ``?lang=``
and other parameters to carry on, texts to escape, a mount point, every language) and on
every kind of page of the bundled publication."""

from __future__ import annotations

import itertools
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from jinja2 import ChoiceLoader, DictLoader

from publisher.app import create_app
from publisher.config import Settings
from publisher.render import frame
from publisher.render.html import render_page
from publisher.siteindex import SiteIndex
from tests.render.references import BASE, reference_app

PAGES = {
    "plain.html": '{% extends "base.html" %}{% block main %}<p>body</p>{% endblock %}',
    "blocks.html": (
        '{% extends "base.html" %}{% block title %}T <&>{% endblock %}'
        '{% block canonical %}<link rel="canonical" href="{{ canonical }}">\n{% endblock %}'
        '{% block head %}<meta name="x" content="y">{% endblock %}'
        "{% block main %}main{% endblock %}"
    ),
}
FORMATS = [
    {"label": "Turtle <&>", "href": "/doc/x.ttl?a=1&b=2", "type": "text/turtle"},
    {"label": "JSON-LD", "href": '/doc/x.jsonld"', "type": "application/ld+json"},
]
SCHEMAORG = {"@type": "Thing", "name": "</script><b>'&'</b>", "list": [1, "ä"]}
# (formats, schemaorg, query) given to the page; None: not given at all
CONTEXTS = [
    (None, None, None),
    ([], None, ""),
    (FORMATS, SCHEMAORG, "\"<kartta>\" & 'x'"),
    (FORMATS[:1], {}, None),
]
REQUESTS = [
    ("/x", "", "fi"),
    ("/x?lang=sv", "", "fi"),
    ("/x?a=1&b=%3C%22&lang=en", "/mount", "sv"),
    ("/search?q=%22x%22&component=a&component=b", "", "en"),
    ("/x?lang=", "/m", "sv, en;q=0.5"),
]


def _app(app: Flask) -> Flask:
    app.jinja_env.loader = ChoiceLoader(
        [DictLoader(PAGES), app.jinja_env.loader]  # type: ignore[list-item]
    )
    return app


def _page(app: Flask, template: str, context: tuple, request: tuple[str, str, str]) -> str:  # type: ignore[type-arg]
    path, root, language = request
    formats, schemaorg, query = context
    given = {
        name: value
        for name, value in (("formats", formats), ("schemaorg", schemaorg), ("query", query))
        if value is not None
    }
    with app.test_request_context(
        path,
        headers={"Accept-Language": language},
        base_url=BASE.rstrip("/") + root,
    ):
        return render_page(template, canonical="https://example.org/?a=1&b=2", **given)


def test_the_frame_of_every_branch_is_the_template(tmp_path: Path) -> None:
    settings = Settings(base_uri=BASE, out_dir=tmp_path)
    new, old = _app(create_app(settings)), _app(reference_app(settings))
    for template, context, request in itertools.product(PAGES, CONTEXTS, REQUESTS):
        got, want = _page(new, template, context, request), _page(old, template, context, request)
        assert got == want, (template, context, request)
    # (the frame's texts are in the page's language; the parts that do not depend on the
    # page are made once for each variant and reused)
    assert frame._top.cache_info().hits and frame._footer.cache_info().hits
    assert "Hae" in _page(new, "plain.html", CONTEXTS[0], ("/x", "", "fi"))
    assert 'action="/mount/search?lang=en"' in _page(new, "plain.html", CONTEXTS[0], REQUESTS[2])


def test_every_kind_of_bundled_page_is_the_template(
    settings: Settings, client: FlaskClient
) -> None:
    old = reference_app(settings).test_client()
    index = SiteIndex.of(Path(settings.out_dir) / "current")
    paths = [
        "/",
        "/offerings",
        "/offerings?page=2",
        "/search?q=kartta",
        "/search?q=%22%3Cx%3E",
        "/statistics",
        "/compare",
        "/dumps/",
        "/catalog.html",
        "/catalog/adms.html",
        "/.well-known/void.html",
        "/doc/offering/never-published",
        "/offerings?page=x",
    ]
    for kind in ("offering", "supplier", "licence", "component", "layer", "domain", "aspect"):
        paths += [f"/doc/{kind}/{e.key}" for e in list(index.entities(kind))[:3]]
    assert len(paths) > 25
    for path, (query, language), root in itertools.product(
        paths, (("", "fi"), ("lang=sv", "fi"), ("", "en")), ("", "/mount")
    ):
        full = path + ("&" if "?" in path else "?") + query if query else path
        headers = {"Accept": "text/html", "Accept-Language": language}
        environ = {"SCRIPT_NAME": root}
        got = client.get(full, headers=headers, environ_overrides=environ)
        want = old.get(full, headers=headers, environ_overrides=environ)
        assert got.status_code == want.status_code, full
        assert got.get_data() == want.get_data(), (full, root)
        assert got.headers.get("ETag") == want.headers.get("ETag")
