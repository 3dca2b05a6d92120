"""The HTTP contract: every route of the app (read from ``app.url_map``) and every error it
can give answer in the one shape — JSON ``{ok: false, status, error, message}`` for
machines, the site's own page for browsers — with CORS, ``Vary: Accept`` and a
Cache-Control, and never a traceback or a file path."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.http import HTTP_STATUS_CODES
from werkzeug.test import TestResponse

from publisher.app import create_app
from tests.conftest import make_settings

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
MACHINE = "application/json"


@dataclass(frozen=True)
class Case:
    path: str
    status: int
    method: str = "GET"
    accept: tuple[str, ...] = (MACHINE, BROWSER)  # each is tried
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.method} {self.path} {self.status}"


# For every rule: a URL that answers 200, and the errors it can give. A rule added to the
# app without an entry here fails `test_every_route_is_in_the_contract`.
# (A rule that answers only POST has no GET sample: None.)
ROUTES: dict[str, tuple[str | None, list[Case]]] = {
    "/static/<path:filename>": (
        "/static/site.css",
        [Case("/static/nope.css", 404), Case("/static/site.css", 405, "POST")],
    ),
    "/favicon.ico": ("/favicon.ico", [Case("/favicon.ico", 405, "DELETE")]),
    "/healthz": ("/healthz", [Case("/healthz", 405, "POST")]),
    # 503 until the endpoint's workers have answered once, then 200: no sample here (it
    # depends on the tests before); tests/sparql_endpoint/test_sparql_lifecycle.py checks
    # both on a real server.
    "/readyz": (None, [Case("/readyz", 405, "POST")]),
    "/sparql/prefixes.json": (
        "/sparql/prefixes.json",
        [Case("/sparql/prefixes.json", 405, "POST")],
    ),
    "/dumps/": ("/dumps/", [Case("/dumps/", 405, "PUT")]),
    "/dumps/<name>": (
        "/dumps/avoinkunta.ttl",
        [Case("/dumps/nope.ttl", 404), Case("/dumps/<script>", 404)],
    ),
    "/catalog": (
        "/catalog",
        [
            Case("/catalog", 406, accept=("image/png",)),
            Case("/catalog?page=abc", 400),
            Case("/catalog?page=0", 400),
            Case("/catalog?page=99999", 404),
            Case("/catalog?page_size=-1", 400),
            Case("/catalog?modified_since=yesterday", 400),
            Case("/catalog?format=%3Cscript%3E", 400),
            Case("/catalog", 405, "POST"),
        ],
    ),
    "/catalog.<ext>": (
        "/catalog.ttl",
        [Case("/catalog.csv", 404), Case("/catalog.ttl?page=x", 400)],
    ),
    "/catalog/adms": (
        "/catalog/adms",
        [Case("/catalog/adms?page=99999", 404), Case("/catalog/adms", 406, accept=("image/png",))],
    ),
    "/catalog/adms.<ext>": ("/catalog/adms.nt", [Case("/catalog/adms.pdf", 404)]),
    "/": ("/", [Case("/", 405, "POST")]),
    "/search": ("/search?q=kartta", [Case("/search", 405, "PUT")]),
    "/id/<kind>/<key>": (
        "/id/offering/x-road",
        [Case("/id/offering/no-such-thing", 404), Case("/id/nokind/x", 404)],
    ),
    "/doc/<kind>/<key>": (
        "/doc/offering/x-road",
        [
            Case("/doc/offering/no-such-thing", 404),
            Case("/doc/offering/no-such.ttl", 404),
            Case("/doc/offering/x-road", 406, accept=("image/png",)),
            Case("/doc/offering/x-road?format=docx", 406),
            Case("/doc/offering/x-road?format=a%20b", 400),
            Case("/doc/offering/x-road", 405, "POST"),
        ],
    ),
    "/ontology.<ext>": ("/ontology.ttl", [Case("/ontology.xyz", 404)]),
    "/ontology": ("/ontology", [Case("/ontology", 406, accept=("image/png",))]),
    "/ontology/<version>": ("/ontology.ttl", [Case("/ontology/9.9", 404)]),
    "/.well-known/void.<ext>": ("/.well-known/void.nt", [Case("/.well-known/void.xyz", 404)]),
    "/.well-known/void": (
        "/.well-known/void",
        [Case("/.well-known/void", 406, accept=("image/png",))],
    ),
    "/offerings": (
        "/offerings?component=document-management",
        [
            Case("/offerings?page=abc", 400),
            Case("/offerings?page=9999", 404),
            Case("/offerings", 406, accept=("image/png",)),
            Case("/offerings", 405, "POST"),
        ],
    ),
    "/offerings.<ext>": ("/offerings.csv", [Case("/offerings.pdf", 404)]),
    "/offerings/facet/<name>": (
        "/offerings/facet/component",
        [Case("/offerings/facet/nope", 404)],
    ),
    "/offerings/add": ("/offerings/add", [Case("/offerings/add", 405, "POST")]),
    "/compare": ("/compare?o=x-road&o=oskari", [Case("/compare", 405, "PUT")]),
    "/statistics": ("/statistics", [Case("/statistics", 405, "POST")]),
    "/suggest": ("/suggest?q=osk", [Case("/suggest", 405, "POST")]),
    "/doc/offering/<key>/publiccode.yml": (
        "/doc/offering/x-road/publiccode.yml",
        [Case("/doc/offering/nope/publiccode.yml", 404)],
    ),
    "/doc/offering/<key>/codemeta.json": (
        "/doc/offering/x-road/codemeta.json",
        [Case("/doc/offering/nope/codemeta.json", 404)],
    ),
    "/feed": ("/feed", [Case("/feed", 405, "POST")]),
    "/feed.<ext>": ("/feed.trig", [Case("/feed.pdf", 404)]),
    "/feed/<int:number>": ("/feed", [Case("/feed/99999", 404)]),
    "/feed/<int:number>.<ext>": ("/feed.trig", [Case("/feed/99999.trig", 404)]),
    "/reconcile": (
        "/reconcile",
        [Case("/reconcile?queries=xx", 400), Case("/reconcile", 405, "PUT")],
    ),
    "/reconcile/docs": ("/reconcile/docs", [Case("/reconcile/docs", 405, "POST")]),
    "/reconcile/preview": (
        "/reconcile/preview?id=http://localhost:8080/id/offering/x-road",
        [Case("/reconcile/preview?id=nope", 404)],
    ),
    "/reconcile/propose_properties": (
        "/reconcile/propose_properties?type=offering",
        [Case("/reconcile/propose_properties", 405, "POST")],
    ),
    "/reconcile/suggest/entity": (
        "/reconcile/suggest/entity?prefix=osk",
        [Case("/reconcile/suggest/entity", 405, "POST")],
    ),
    "/reconcile/suggest/property": (
        "/reconcile/suggest/property?prefix=x",
        [Case("/reconcile/suggest/property", 405, "POST")],
    ),
    "/reconcile/suggest/type": (
        "/reconcile/suggest/type?prefix=x",
        [Case("/reconcile/suggest/type", 405, "POST")],
    ),
    "/reconcile/1.0-draft": ("/reconcile/1.0-draft", [Case("/reconcile/1.0-draft", 405, "POST")]),
    "/reconcile/1.0-draft/extend": (None, [Case("/reconcile/1.0-draft/extend", 405)]),
    "/reconcile/1.0-draft/extend/propose": (
        "/reconcile/1.0-draft/extend/propose?type=offering",
        [Case("/reconcile/1.0-draft/extend/propose", 405, "POST")],
    ),
    "/reconcile/1.0-draft/match": (None, [Case("/reconcile/1.0-draft/match", 405)]),
    "/reconcile/1.0-draft/preview": (
        "/reconcile/1.0-draft/preview?id=http://localhost:8080/id/offering/x-road",
        [Case("/reconcile/1.0-draft/preview?id=nope", 404)],
    ),
    "/reconcile/1.0-draft/suggest/entity": (
        "/reconcile/1.0-draft/suggest/entity?prefix=osk",
        [Case("/reconcile/1.0-draft/suggest/entity", 405, "POST")],
    ),
    "/reconcile/1.0-draft/suggest/property": (
        "/reconcile/1.0-draft/suggest/property?prefix=x",
        [Case("/reconcile/1.0-draft/suggest/property", 405, "POST")],
    ),
    "/reconcile/1.0-draft/suggest/type": (
        "/reconcile/1.0-draft/suggest/type?prefix=x",
        [Case("/reconcile/1.0-draft/suggest/type", 405, "POST")],
    ),
    "/sitemap.xml": ("/sitemap.xml", [Case("/sitemap.xml", 405, "POST")]),
    "/robots.txt": ("/robots.txt", [Case("/robots.txt", 405, "POST")]),
    "/sparql-static/<path:filename>": (
        "/sparql-static/sparql.css",
        [Case("/sparql-static/nope.js", 404)],
    ),
    "/sparql": (
        "/sparql?query=ASK%20%7B%7D",
        [
            Case("/sparql?query=SELEKT", 400),
            Case("/sparql?query=ASK%20%7B%7D&format=pdf", 406),
            Case("/sparql", 405, "PUT"),
        ],
    ),
    "/sparql/": ("/sparql/?query=ASK%20%7B%7D", [Case("/sparql/?query=SELEKT", 400)]),
}
UNROUTED = [Case("/nope", 404), Case("/doc/", 404), Case("/doc/offering/x-road/", 404)]
# The endpoint's own answer before any publication is its 503 (checked by its tests).
ENDPOINT_OWN_ERRORS = {"/sparql", "/sparql/"}


def error_cases() -> list[pytest.param]:
    params = []
    for _, cases in ROUTES.values():
        for case in cases:
            for accept in case.accept:
                params.append(pytest.param(case, accept, id=f"{case.id} [{accept[:9]}]"))
    for case in UNROUTED:
        for accept in case.accept:
            params.append(pytest.param(case, accept, id=f"{case.id} [{accept[:9]}]"))
    return params


def assert_error_shape(response: TestResponse, status: int, accept: str) -> None:
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    body = response.get_data(as_text=True)
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Accept" in {v.strip() for v in response.headers.get("Vary", "").split(",")}
    assert response.headers.get("Cache-Control")
    assert "Traceback" not in body and "/work/" not in body and "site-packages" not in body
    if accept == BROWSER or (accept == "text/html"):
        assert response.mimetype == "text/html"
        assert '<html lang="' in body and str(status) in body
        assert "Avoin kunta" in body
        return
    assert response.mimetype == "application/json"
    data = response.get_json()
    assert data["ok"] is False
    assert data["status"] == status
    assert data["error"] == HTTP_STATUS_CODES[status]
    assert isinstance(data["message"], str) and data["message"].strip()
    if status == 405:
        assert response.headers["Allow"]


def test_every_route_is_in_the_contract(app: Flask) -> None:
    assert {rule.rule for rule in app.url_map.iter_rules()} == set(ROUTES)


@pytest.mark.parametrize("rule", sorted(r for r, (sample, _) in ROUTES.items() if sample))
def test_every_route_answers(client: FlaskClient, rule: str) -> None:
    """(Rules that answer POST only have their errors in the contract.)"""
    sample = ROUTES[rule][0]
    assert sample is not None
    response = client.get(sample)
    expected = 303 if rule.startswith("/id/") else 200  # a thing redirects to its document
    assert response.status_code == expected, response.get_data(as_text=True)[:300]


@pytest.mark.parametrize(("case", "accept"), error_cases())
def test_every_error_has_the_one_shape(client: FlaskClient, case: Case, accept: str) -> None:
    response = client.open(
        case.path, method=case.method, headers={"Accept": accept, **case.headers}
    )
    assert_error_shape(response, case.status, accept)


@pytest.fixture(scope="module")
def unpublished(tmp_path_factory: pytest.TempPathFactory) -> FlaskClient:
    out: Path = tmp_path_factory.mktemp("never-built")
    return create_app(make_settings(out)).test_client()


@pytest.mark.parametrize("rule", sorted(set(ROUTES) - ENDPOINT_OWN_ERRORS))
@pytest.mark.parametrize("accept", [MACHINE, BROWSER])
def test_before_the_first_build_every_route_is_503_or_needs_no_publication(
    unpublished: FlaskClient, rule: str, accept: str
) -> None:
    response = unpublished.get(ROUTES[rule][0] or rule, headers={"Accept": accept})
    if response.status_code in (200, 405):  # static files, robots.txt; POST-only rules
        return
    assert_error_shape(response, 503, accept)
    assert response.headers["Retry-After"] == "60"
    assert response.headers["Cache-Control"] == "no-store"


def test_an_unexpected_failure_is_a_500_in_the_shape_without_internals(app: Flask) -> None:
    app_ = create_app(app.extensions["avoinkunta"].settings)

    @app_.get("/boom")
    def boom() -> str:
        raise RuntimeError("secret /work/path detail")

    for accept in (MACHINE, BROWSER):
        response = app_.test_client().get("/boom", headers={"Accept": accept})
        assert_error_shape(response, 500, accept)
        assert "secret" not in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ("//doc//offering//x-road", "doc/offering/x-road"),
        ("/dumps", "dumps/"),
        ("/catalog//adms", "catalog/adms?page=2"),
    ],
)
def test_framework_redirects_name_the_base_uri_not_the_host(
    client: FlaskClient, path: str, target: str
) -> None:
    """Werkzeug's own 308s (merged slashes, a missing trailing slash) point under the base
    URI, whatever Host the client sent."""
    # PATH_INFO as a server passes it on (the test client would read //doc as a host).
    response = client.get(
        "/",
        headers={"Host": "evil.example"},
        environ_overrides={"PATH_INFO": path, "QUERY_STRING": "page=2" if "?" in target else ""},
    )
    assert response.status_code == 308
    assert response.headers["Location"] == f"http://localhost:8080/{target}"
    assert "evil" not in response.get_data(as_text=True)
