"""The query page makes no request to another site: YASQE's prefix.cc lookup and its LOV
completers are off (prefixes come from us), and nothing else leaves the server.

Headless Chromium loads the page through a recording proxy (``--proxy-bypass-list=<-loopback>``
sends even loopback requests through it): every request it asks for is kept; only those to
our server are forwarded. The page is loaded plain, with a query, and with a syntax error.
"""

from __future__ import annotations

import http.server
import shutil
import socketserver
import subprocess
import threading
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

# Chromium's own services (clock, component updates, sign-in, autofill), which it calls
# whatever the page is, even with background networking off. A page's request to any other
# host counts, the Google hosts pages use (fonts, libraries) included.
BROWSER_SERVICE_DOMAINS = (".google.com", ".googleapis.com", ".gvt1.com")
PAGE_HOSTS = ("fonts.googleapis.com", "ajax.googleapis.com", "www.google.com")


def _browser_service(host: str) -> bool:
    return host.endswith(BROWSER_SERVICE_DOMAINS) and host not in PAGE_HOSTS


def _host(request: str) -> str:
    target = request.split(" ", 1)[1]
    if "://" in target:
        return urllib.parse.urlsplit(target).hostname or ""
    return target.rsplit(":", 1)[0]  # CONNECT host:port


class _Recorder(http.server.BaseHTTPRequestHandler):
    seen: list[str]
    allowed: str  # scheme://host:port of our server

    def _handle(self) -> None:
        self.seen.append(f"{self.command} {self.path}")
        if self.command == "CONNECT" or not self.path.startswith(self.allowed):
            self.send_error(502, "not forwarded by the test proxy")
            return
        request = urllib.request.Request(self.path, method=self.command)
        for name in ("Accept", "Accept-Language", "Content-Type"):
            if self.headers.get(name):
                request.add_header(name, self.headers[name])
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        try:
            with urllib.request.urlopen(request, data=body, timeout=60) as reply:
                status, headers, data = reply.status, reply.headers, reply.read()
        except urllib.error.HTTPError as error:
            status, headers, data = error.code, error.headers, error.read()
        self.send_response(status)
        for name in ("Content-Type", "Cache-Control"):
            if headers.get(name):
                self.send_header(name, headers[name])
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_HEAD = do_CONNECT = _handle

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def proxy(live_server) -> Iterator[tuple[str, list[str]]]:
    seen: list[str] = []
    allowed = live_server.url.rstrip("/")
    handler = type("Recorder", (_Recorder,), {"seen": seen, "allowed": allowed})
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()


def test_query_page_requests_nothing_from_other_sites(live_server, proxy, tmp_path: Path) -> None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("headless Chromium is not installed (Debian package `chromium`)")
    proxy_url, seen = proxy
    pages = [
        live_server.url + "sparql",
        live_server.url + "sparql?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"}),
        live_server.url + "sparql?" + urllib.parse.urlencode({"query": "SELECT * { ?s foo:x ?o }"}),
    ]
    for page in pages:
        dom = subprocess.run(
            [
                browser,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-default-apps",
                "--disable-extensions",
                "--disable-domain-reliability",
                "--disable-client-side-phishing-detection",
                f"--proxy-server={proxy_url}",
                "--proxy-bypass-list=<-loopback>",
                f"--user-data-dir={tmp_path / 'profile'}",
                "--virtual-time-budget=10000",
                "--dump-dom",
                page,
            ],  # fmt: skip
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        ).stdout
        assert "has-yasqe" in dom  # the editor ran, with everything it loads
    ours = live_server.url.rstrip("/")
    assert any(f" {ours}/sparql" in request for request in seen), "the proxy was not used"
    others = [
        request
        for request in seen
        if f" {ours}/" not in request and not _browser_service(_host(request))
    ]
    assert others == []
