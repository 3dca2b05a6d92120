"""No page talks to another site: every kind of page is loaded in headless Chromium from
the real server, with every network request recorded (Chromium's NetLog) and the console
captured; no request may leave 127.0.0.1 and no Content-Security-Policy violation may be
reported. Every response carries the policy that forbids other origins."""

from __future__ import annotations

import http.server
import json
import re
import shutil
import subprocess
import threading
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest
import requests

if TYPE_CHECKING:
    from tests.conftest import LiveServer

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

PAGES = (
    "",  # home, with the architecture map
    "?lang=sv",
    "doc/offering/linked-events",
    "doc/offering/oskari?lang=en",
    "doc/supplier/coss",
    "doc/licence/EUPL-1.2",
    "doc/component/spatial-data",
    "doc/layer/ict-infrastructure",
    "doc/aspect/open-source",
    "doc/scheme/architecture",
    "doc/route/direct-purchase",
    "doc/offering/never-was-here",  # the site's 404 page
    "ontology",  # pyLODE's page
    "sparql",  # the query page with YASGUI
    "sparql?query=SELECT%20*%20WHERE%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D%20LIMIT%203",
    ".well-known/void",
    "catalog.html",
    "offerings",
    "search?q=kartta",
    "compare?o=oskari&o=linked-events",
    "statistics",
    "reconcile/docs",
)
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--no-first-run",
    "--no-default-browser-check",
    "--enable-logging=stderr",
    "--v=0",
    "--virtual-time-budget=8000",  # let scripts run and fetch what they would fetch
)
LOCAL_SCHEMES = ("data", "blob", "about", "chrome", "chrome-search", "devtools")


def chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("headless Chromium is not installed (Debian package `chromium`)")


# Chromium's network traffic annotations of what a page loads (documents, subresources,
# fetch/XHR): the browser's own background requests (time, updates) carry others.
PAGE_TRAFFIC = {101845102, 63171670}  # blink_resource_loader, navigation_url_loader


def requested_urls(netlog: Path) -> set[str]:
    """Every URL the pages requested, from Chromium's NetLog (one event per line; the log
    of a browser that was stopped may be cut short, so it is read line by line)."""
    urls = set()
    for line in netlog.read_text(encoding="utf-8", errors="replace").splitlines():
        for params in re.findall(r'"params":(\{[^{}]*\})', line):
            try:
                found = json.loads(params)
            except ValueError:
                continue
            if found.get("traffic_annotation") in PAGE_TRAFFIC and "url" in found:
                urls.add(found["url"])
    return urls


def csp_violations(stderr: str) -> list[str]:
    """The console messages of blocked loads (a request the policy stopped never reaches
    the NetLog)."""
    return re.findall(r"CONSOLE[^\n]*Content Security Policy[^\n]*", stderr)


def load(url: str, tmp_path: Path, name: str) -> tuple[subprocess.CompletedProcess[str], Path]:
    netlog = tmp_path / f"netlog-{name}.json"
    result = subprocess.run(
        [
            chromium(),
            *CHROMIUM_FLAGS,
            f"--user-data-dir={tmp_path / f'profile-{name}'}",
            f"--log-net-log={netlog}",
            "--dump-dom",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return result, netlog


def test_the_check_sees_a_page_that_reaches_out(tmp_path: Path) -> None:
    """The control: a page under the site's policy that loads an image and fetches JSON
    from other origins is caught (blocked, and reported on the console)."""
    from publisher.http import CONTENT_SECURITY_POLICY

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = (
                b"<!doctype html><html><img src='http://example.invalid/x.png'>"
                b"<script src='/a.js'></script></html>"
                if self.path == "/"
                else b"fetch('https://prefix.cc/popular/all.file.json')"
            )
            self.send_response(200)
            self.send_header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
            kind = "text/html" if self.path == "/" else "text/javascript"
            self.send_header("Content-Type", kind)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        result, _ = load(f"http://127.0.0.1:{server.server_port}/", tmp_path, "control")
    finally:
        server.shutdown()
    found = " ".join(csp_violations(result.stderr))
    assert "example.invalid" in found and "prefix.cc" in found, result.stderr[-2000:]


@pytest.mark.parametrize("page", PAGES)
def test_no_page_makes_a_request_to_another_origin(
    live_server: LiveServer, tmp_path: Path, page: str
) -> None:
    own = urlsplit(live_server.url).netloc
    result, netlog = load(live_server.url + page, tmp_path, "page")
    assert "<html" in result.stdout, (page, result.stderr[-1500:])
    urls = requested_urls(netlog)
    assert any(urlsplit(u).netloc == own for u in urls), sorted(urls)[:5]
    outside = sorted(
        u for u in urls if urlsplit(u).scheme not in LOCAL_SCHEMES and urlsplit(u).netloc != own
    )
    assert not outside
    assert not csp_violations(result.stderr)


def test_every_response_forbids_other_origins(live_server: LiveServer) -> None:
    for page in ("", "doc/offering/linked-events", "sparql", "ontology", "nope", "catalog"):
        policy = requests.get(live_server.url + page, timeout=30).headers["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
        for name in ("default-src", "script-src", "connect-src", "img-src", "font-src"):
            assert directives[name].split()[0] == "'self'", (page, name)
        assert directives["object-src"] == "'none'"
