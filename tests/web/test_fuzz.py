"""HTTP is total: generated requests over every route of the app (read from its URL map),
every method, the headers clients send and every parameter the views read never get a
5xx other than a deliberate 503 (with Retry-After), and no body shows a traceback or a
file path. Bounded and reproducible: Hypothesis derandomised, a few thousand requests."""

from __future__ import annotations

import re
import string
from urllib.parse import unquote_to_bytes

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from publisher import formats
from publisher.uris import KINDS

pytestmark = pytest.mark.slow

METHODS = ("GET", "GET", "GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "PROPFIND")
LEAKS = re.compile(
    r"Traceback \(most recent call last\)|File \"[^\"]+\", line \d+|/work/|/tmp/|"
    r"site-packages|/usr/lib/python|Werkzeug Debugger"
)

# Text that breaks naive code: control characters, surrogate escapes, huge numbers,
# percent-encodings, separators, markup.
NASTY = st.sampled_from(
    [
        "",
        " ",
        "%",
        "%00",
        "%ff",
        "..",
        "../../etc/passwd",
        "//",
        "<script>alert(1)</script>",
        "'\"",
        "\u0000",
        "\u202e",
        "%ED%A0%80",  # a lone surrogate, as the bytes a client can send
        "9" * 40,
        "-1",
        "0",
        "1e999",
        "nan",
        "NaN",
        "inf",
        "0x10",
        "+3",
        "３",
        "²",
        "a" * 3000,
    ]
)
TEXT = st.one_of(
    NASTY,
    st.text(st.characters(exclude_categories=("Cs",)), max_size=40),
    st.text(string.printable, max_size=20),
)

KEYS = st.sampled_from(
    ["x-road", "coss", "EUPL-1.2", "MIT-OR-EUPL-1.1", "document-management", "open-source",
     "architecture", "education", "no-such-thing", "x-road.ttl", "x-road.trig", "x-road.pdf"]
)  # fmt: skip
EXTS = st.one_of(st.sampled_from([*formats.BY_EXT, "xyz", "HTML", "ttl.ttl"]), TEXT)


def mostly(
    valid: st.SearchStrategy[str], hostile: st.SearchStrategy[str]
) -> st.SearchStrategy[str]:
    """Usually a value a client would send, sometimes a hostile one: a request then tends
    to get past the other checks and reach the code that reads this value."""
    return st.sampled_from((True, True, True, False)).flatmap(lambda ok: valid if ok else hostile)


ISO_MOMENTS = st.one_of(
    st.sampled_from(
        [
            "0001-01-01T00:00:00+01:00",
            "9999-12-31T23:59:59-01:00",
            "0001-01-01",
            "9999-12-31",
            "2026-11-26",
            "2026-11-26T10:00:00Z",
            "2026-02-30",
            "2026-11-26T25:00:00",
            "2026-W48-4",
        ]
    ),
    st.datetimes(timezones=st.timezones()).map(lambda d: d.isoformat()),
)
PARAMS = st.fixed_dictionaries(
    {},
    optional={
        "page": mostly(st.integers(-3, 10**20).map(str), TEXT),
        "page_size": mostly(st.integers(-3, 10**9).map(str), TEXT),
        "modified_since": mostly(ISO_MOMENTS, TEXT),
        "lang": mostly(st.sampled_from(["fi", "sv", "en", "de", "FI", "fi-FI", "x" * 99]), TEXT),
        "format": mostly(
            st.sampled_from([*formats.BY_EXT, "turtle", "json", "text/turtle", "pdf"]), TEXT
        ),
        "q": TEXT,
        "query": st.sampled_from(["ASK {}", "SELEKT", "", "SELECT * WHERE { ?s ?p ?o } LIMIT 1"]),
        "download": st.sampled_from(["1", ""]),
    },
)
MEDIA = st.sampled_from(
    [
        "*/*",
        "text/html",
        "text/turtle;q=0.5, */*;q=0",
        'application/ld+json; profile="a,b"',
        "application/json",
        "image/png",
        "text/*;q=nan",
        "text/turtle;q=1e999",
        "*; q=.2",
        ";;;,,,",
        "a/b/c",
        "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    ]
)
HEADERS = st.fixed_dictionaries(
    {},
    optional={
        "Accept": mostly(
            st.sampled_from(["*/*", "text/html", "text/turtle"]), st.one_of(MEDIA, TEXT)
        ),
        "Accept-Language": st.one_of(st.sampled_from(["sv", "en;q=0.9, fi", "*", "xx-YY"]), TEXT),
        "If-None-Match": st.one_of(st.sampled_from(['"abc"', "*", 'W/"x"']), TEXT),
        "If-Modified-Since": st.one_of(
            st.sampled_from(["Tue, 01 Dec 2026 10:00:00 GMT", "yesterday", "0"]), TEXT
        ),
        "Origin": st.sampled_from(["https://example.org", "null"]),
        "Access-Control-Request-Method": st.sampled_from(["GET", "POST", "DELETE"]),
        "Access-Control-Request-Headers": st.one_of(st.just("If-None-Match, X-Y"), TEXT),
        "Content-Type": st.sampled_from(
            ["application/sparql-query", "application/x-www-form-urlencoded", "text/plain"]
        ),
        "Range": st.sampled_from(["bytes=0-10", "bytes=abc"]),
    },
)


def rule_values(rule: str) -> st.SearchStrategy[str]:
    """A path for `rule` with every converter filled by known or hostile values (most
    often a known one, so that the parameters reach the view)."""
    parts = re.split(r"(<[^>]+>)", rule)
    pieces = []
    for part in parts:
        if not part.startswith("<"):
            pieces.append(st.just(part))
            continue
        name = part.strip("<>").split(":")[-1]
        if name == "kind":
            pieces.append(mostly(st.sampled_from([*KINDS, "nokind"]), TEXT))
        elif name == "ext":
            pieces.append(mostly(st.sampled_from([*formats.BY_EXT, "xyz"]), EXTS))
        elif name == "key":
            pieces.append(mostly(KEYS, TEXT))
        elif name == "name":
            pieces.append(st.one_of(st.sampled_from(["avoinkunta.ttl", "avoinkunta.nq"]), TEXT))
        elif name == "version":
            pieces.append(st.one_of(st.sampled_from(["1.0", "9.9", "1.0.ttl"]), TEXT))
        else:  # a static file name
            pieces.append(st.one_of(st.sampled_from(["site.css", "sparql.css", "nope"]), TEXT))
    return st.tuples(*pieces).map("".join)


def safe_header(value: str) -> bool:
    return all(32 <= ord(c) < 127 or c == "\t" for c in value)


@pytest.fixture(scope="module")
def fuzz_client(app: Flask) -> FlaskClient:
    return app.test_client()


def check(client: FlaskClient, method: str, path: str, params: dict, headers: dict) -> None:
    headers = {k: v for k, v in headers.items() if safe_header(v)}  # what HTTP can carry
    # PATH_INFO as a WSGI server gives it: percent-decoded bytes, as latin-1 text.
    path_info = unquote_to_bytes(path.encode("utf-8")).decode("latin-1")
    response = client.open(
        "/",
        method=method,
        query_string=params,
        headers=headers,
        environ_overrides={"PATH_INFO": path_info},
    )
    body = response.get_data().decode("utf-8", "replace")
    status = response.status_code
    where = (method, path[:80], params, headers, status)
    assert status < 500 or (status == 503 and "Retry-After" in response.headers), where
    assert not LEAKS.search(body), (where, LEAKS.search(body))


def rules() -> list[str]:
    from publisher.app import create_app
    from publisher.config import Settings

    return sorted({r.rule for r in create_app(Settings()).url_map.iter_rules()}) + ["/<any>"]


# Each route is fuzzed three ways, one dimension at a time from a request a client would
# send (so the hostile value gets past the other checks to the code that reads it):
# its parameters, its headers, and its path and method. 24 rules × 3 × 40 ≈ 2,900 requests.
EXAMPLES = 40
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def paths(rule: str) -> st.SearchStrategy[str]:
    return TEXT.map(lambda t: "/" + t) if rule == "/<any>" else rule_values(rule)


@pytest.mark.parametrize("rule", rules())
def test_fuzz_parameters(fuzz_client: FlaskClient, rule: str) -> None:
    @FUZZ
    @given(path=paths(rule), params=PARAMS)
    def run(path: str, params: dict) -> None:
        check(fuzz_client, "GET", path, params, {})

    run()


@pytest.mark.parametrize("rule", rules())
def test_fuzz_headers(fuzz_client: FlaskClient, rule: str) -> None:
    @FUZZ
    @given(method=st.sampled_from(("GET", "HEAD", "OPTIONS")), path=paths(rule), headers=HEADERS)
    def run(method: str, path: str, headers: dict) -> None:
        check(fuzz_client, method, path, {}, headers)

    run()


@pytest.mark.parametrize("rule", rules())
def test_fuzz_paths_and_methods(fuzz_client: FlaskClient, rule: str) -> None:
    @FUZZ
    @given(method=st.sampled_from(METHODS), path=paths(rule), params=PARAMS, headers=HEADERS)
    def run(method: str, path: str, params: dict, headers: dict) -> None:
        check(fuzz_client, method, path, params, headers)

    run()


@pytest.mark.parametrize(
    "url",
    [
        "/catalog?modified_since=0001-01-01T00:00:00%2B01:00",
        "/catalog?modified_since=9999-12-31T23:59:59-01:00",
        "/catalog/adms?page=99999999999999999999",
        "/catalog?page_size=1e9",
        "/doc/offering/x-road?format=%00",
        "/doc/offering/x-road?lang=%ff%fe",
    ],
)
def test_known_bad_inputs_are_400_with_the_reason(fuzz_client: FlaskClient, url: str) -> None:
    response = fuzz_client.get(url)
    assert response.status_code in (400, 200), response.text  # ?lang= falls back
    if response.status_code == 400:
        assert response.get_json()["message"]
