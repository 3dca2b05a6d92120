"""End to end: the app served by `avoinkunta serve` on 127.0.0.1, fetched with a
real HTTP client and opened in headless Chromium. Screenshots of the home page and of an
offering page are kept in tests/artifacts/."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import requests
from rdflib import Graph, URIRef

if TYPE_CHECKING:  # not imported at run time: ckan's tests package can shadow ours
    from tests.conftest import LiveServer

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
OFFERING = "linked-events"
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
)

pytestmark = pytest.mark.e2e


def chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip(
        "headless Chromium is not installed (Debian package `chromium`; .ci/run installs it)"
    )


def run_chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / "chromium-profile"  # fresh profile every run
    return subprocess.run(
        [chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_dereference_over_http(live_server: LiveServer) -> None:
    thing = f"{live_server.url}id/offering/{OFFERING}"
    redirect = requests.get(thing, allow_redirects=False, timeout=10)
    assert redirect.status_code == 303
    assert redirect.headers["Location"] == f"/doc/offering/{OFFERING}"
    for accept, parser in (
        ("text/turtle", "turtle"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
        ("application/n-triples", "nt"),
    ):
        response = requests.get(thing, headers={"Accept": accept}, timeout=10)
        assert response.status_code == 200 and response.headers["Content-Type"].startswith(accept)
        graph = Graph().parse(data=response.content, format=parser)
        assert (URIRef(thing), None, None) in graph
    # rdflib as a linked-data client: its own Accept header, the 303 followed
    for syntax in ("turtle", "xml", "json-ld"):
        fetched = Graph().parse(thing, format=syntax)
        assert (URIRef(thing), None, None) in fetched, syntax
    # every subject of the published dump, through the real server
    from publisher.publication import Publication

    publication = Publication.current(live_server.out_dir)
    assert publication is not None
    dump = Graph().parse(publication.dumps_dir / "avoinkunta.nt", format="nt")
    subjects = sorted({str(s).split("#", 1)[0] for s in dump.subjects() if isinstance(s, URIRef)})
    with requests.Session() as session:
        for subject in subjects:
            for accept in ("text/html", "text/turtle"):
                reply = session.get(subject, headers={"Accept": accept}, timeout=10)
                assert reply.status_code == 200, (subject, accept)
                assert reply.headers["Content-Type"].startswith(accept)
    again = requests.get(f"{live_server.url}doc/offering/{OFFERING}.ttl", timeout=10)
    cached = requests.get(
        f"{live_server.url}doc/offering/{OFFERING}.ttl",
        timeout=10,
        headers={"If-None-Match": again.headers["ETag"]},
    )
    assert cached.status_code == 304


@pytest.mark.browser
def test_pages_in_headless_chromium(live_server: LiveServer, tmp_path: Path) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    pages = {
        "home": live_server.url,
        "offering": f"{live_server.url}id/offering/{OFFERING}",  # through the 303
    }
    for name, url in pages.items():
        shot = ARTIFACTS / f"{name}.png"
        shot.unlink(missing_ok=True)
        result = run_chromium(tmp_path, "--window-size=1280,2000", f"--screenshot={shot}", url)
        assert shot.exists(), result.stderr[-2000:]
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert shot.stat().st_size > 20_000  # a drawn page, not a blank one

    home = run_chromium(tmp_path, "--dump-dom", f"{live_server.url}?lang=fi")
    assert home.returncode == 0, home.stderr[-2000:]
    dom = home.stdout
    assert '<html lang="fi">' in dom
    assert dom.count('class="layer ') == 7
    assert "Tiedolla johtaminen" in dom

    offering = run_chromium(tmp_path, "--dump-dom", f"{live_server.url}id/offering/{OFFERING}")
    assert offering.returncode == 0, offering.stderr[-2000:]
    assert "Linked Events" in offering.stdout
    assert 'type="application/ld+json"' in offering.stdout


def test_raptor_dereferences_over_http(live_server: LiveServer) -> None:
    """Raptor's rapper, an independent linked-data client: it sends its own Accept header,
    follows the 303 and parses what it gets."""
    rapper = shutil.which("rapper")
    if rapper is None:
        pytest.skip("rapper is not installed (Debian package `raptor2-utils`; .ci/run installs it)")
    thing = f"{live_server.url}id/offering/{OFFERING}"
    for syntax in ("guess", "turtle", "rdfxml", "ntriples"):
        result = subprocess.run(
            [rapper, "-i", syntax, "-o", "ntriples", thing],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.returncode == 0, (syntax, result.stderr)
        assert f"<{thing}> " in result.stdout, syntax


def test_browser_preflight_and_footer_over_http(live_server: LiveServer) -> None:
    """What a script on another origin and a person clicking the footer meet on the real
    server: the preflight, the revalidating GET it allows, and footer links that answer."""
    doc = f"{live_server.url}doc/offering/{OFFERING}"
    preflight = requests.options(
        doc,
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "if-none-match",
        },
        timeout=10,
    )
    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "if-none-match" in preflight.headers["Access-Control-Allow-Headers"].lower()
    first = requests.get(doc, headers={"Accept": "text/turtle", "Origin": "https://x"}, timeout=10)
    again = requests.get(
        doc,
        headers={"Accept": "text/turtle", "If-None-Match": first.headers["ETag"]},
        timeout=10,
    )
    assert again.status_code == 304
    home = requests.get(live_server.url, headers={"Accept": "text/html"}, timeout=10).text
    footer = home[home.index("<footer") :]
    hrefs = sorted(set(re.findall(r'href="(/[^"]*)"', footer)))
    assert "/catalog.html" in hrefs
    for href in [*hrefs, "/favicon.ico"]:
        reply = requests.get(live_server.url + href.lstrip("/"), timeout=10)
        assert reply.status_code == 200, href
