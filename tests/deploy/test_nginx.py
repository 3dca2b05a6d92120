"""The shipped nginx configuration, run by a real nginx in front of a real server.

Only the addresses change (ports chosen for the test, logs and temporary files in the
test's folder); every limit is the shipped one.
"""

from __future__ import annotations

import http.client
import json
import shutil
import socket
import subprocess
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from publisher.build import build
from publisher.config import PROJECT_ROOT, Settings
from tests.conftest import free_port, quiet, start_server, stop_server

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

SITE = PROJECT_ROOT / "deploy" / "nginx" / "avoinkunta.conf"
SLOW = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY DESC(?c) ?f ?a ?d"


@dataclass(frozen=True)
class Front:
    url: str  # nginx, ending with '/'
    direct: str  # the server itself


def nginx_config(folder: Path, listen: int, upstream: int) -> Path:
    site = SITE.read_text()
    assert "server 127.0.0.1:8080;" in site and "listen 80;" in site
    site = site.replace("server 127.0.0.1:8080;", f"server 127.0.0.1:{upstream};")
    site = site.replace("listen 80;", f"listen 127.0.0.1:{listen};")
    site = site.replace("listen [::]:80;", "")
    (folder / "site.conf").write_text(site)
    main = folder / "nginx.conf"
    main.write_text(
        f"""
daemon off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 2048; }}
http {{
    access_log {folder}/access.log;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/site.conf;
}}
"""
    )
    return main


@pytest.fixture(scope="module")
def front(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Front]:
    nginx = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if nginx is None:
        pytest.skip("nginx is not installed (Debian package `nginx`; .ci/run installs it)")
    folder = tmp_path_factory.mktemp("nginx")
    port, listen = free_port(), free_port()
    base = f"http://127.0.0.1:{listen}/"  # the public address is nginx's
    out = folder / "out"
    build(Settings(base_uri=base, data_dir=PROJECT_ROOT / "data", out_dir=out), progress=quiet)
    env = {
        "AVOINKUNTA_BASE_URI": base,
        "AVOINKUNTA_TRUSTED_PROXIES": "127.0.0.1",
        "AVOINKUNTA_SPARQL_PER_CLIENT_CONCURRENCY": "1",
        "AVOINKUNTA_SPARQL_TIMEOUT": "8",  # long enough to see both running
    }
    # start_server sets AVOINKUNTA_BASE_URI from its port; ours is nginx's (env wins)
    server = start_server(out, port, folder / "server.log", 2, env, ready_path="readyz")
    config = nginx_config(folder, listen, port)
    check = subprocess.run([nginx, "-t", "-c", str(config)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    process = subprocess.Popen([nginx, "-c", str(config)], stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", listen), timeout=1):
                    break
            except OSError:
                time.sleep(0.1)
        yield Front(base, f"http://127.0.0.1:{port}/")
    finally:
        process.terminate()
        process.wait(timeout=15)
        stop_server(server)


def get(url: str, source: str = "127.0.0.1", headers: dict[str, str] | None = None):
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(
        parts.hostname, parts.port, timeout=60, source_address=(source, 0)
    )
    try:
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        conn.request("GET", path, headers=headers or {})
        reply = conn.getresponse()
        return reply.status, dict(reply.getheaders()), reply.read()
    finally:
        conn.close()


def test_pages_and_queries_through_nginx(front: Front) -> None:
    assert get(front.url + "healthz")[0] == 200
    assert get(front.url + "readyz")[0] == 200
    status, headers, body = get(front.url + "doc/offering/x-road", headers={"Accept": "text/html"})
    assert status == 200 and b"X-Road" in body
    status, _, body = get(front.url + "sparql?" + urllib.parse.urlencode({"query": "ASK {}"}))
    assert status == 200 and b"true" in body


def test_a_query_of_the_documented_length_passes_the_request_line(front: Front) -> None:
    """20,000 characters of an ordinary query, GET: about 34 kB percent-encoded, through
    nginx and straight to the server. (Granian, like every server built on Rust's http
    crate, refuses a URI over 64 KiB: longer encodings go by POST.)"""
    values = " ".join(f"<{front.url}id/offering/o{i}>" for i in range(450))
    query = f"ASK {{ VALUES ?o {{ {values} }} ?o ?p ?v }} #"
    query += "é" * (20_000 - len(query))  # two bytes of UTF-8, six encoded
    assert len(query) == 20_000
    url = "sparql?" + urllib.parse.urlencode({"query": query})
    assert 30_000 < len(url) < 65_000
    for base in (front.url, front.direct):
        status, _, body = get(base + url)
        assert status == 200, (base, body[:200])
    too_long = "sparql?" + urllib.parse.urlencode({"query": query + "é"})
    status, _, body = get(front.url + too_long)
    assert status == 414 and b"at most 20000" in body  # the endpoint's own limit, not nginx's


def test_clients_behind_the_proxy_are_told_apart_and_cannot_pose_as_others(front: Front) -> None:
    """Per-client limits see the client nginx saw (127.0.0.x), not nginx; a forged
    X-Forwarded-For is ignored (nginx appends the real address, which is the one used)."""
    slow = front.url + "sparql?" + urllib.parse.urlencode({"query": SLOW})
    answers: dict[str, int] = {}
    threads = [
        threading.Thread(target=lambda s=s: answers.setdefault(s, get(slow, s)[0]))
        for s in ("127.0.0.2", "127.0.0.3")
    ]
    for thread in threads:
        thread.start()
    limit = time.monotonic() + 120  # until both run (an event; their limit is 8 s)
    while (busy := json.loads(get(front.direct + "readyz")[2])["sparql"]["busy"]) < 2:
        assert time.monotonic() < limit and all(t.is_alive() for t in threads), busy
        time.sleep(0.02)
    again = front.url + "sparql?" + urllib.parse.urlencode({"query": "ASK { ?s ?p 1 }"})
    same_client = get(again, "127.0.0.2", {"X-Forwarded-For": "192.0.2.77"})
    for thread in threads:
        thread.join()
    assert answers == {"127.0.0.2": 503, "127.0.0.3": 503}  # both ran until their limit
    assert same_client[0] == 429  # 127.0.0.2 already had its one query running


def test_a_slow_header_client_is_cut_off_while_others_are_served(front: Front) -> None:
    parts = urllib.parse.urlsplit(front.url)
    slow = socket.create_connection((parts.hostname, parts.port))
    slow.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # and never the end of the headers
    try:
        assert get(front.url + "healthz")[0] == 200  # others are served meanwhile
        slow.settimeout(60)
        started = time.monotonic()
        try:  # nginx closes it after client_header_timeout (resets it: reset_timedout_connection)
            data = slow.recv(4096)
        except ConnectionResetError:
            data = b""
        assert data == b"" or data.startswith(b"HTTP/1.1 408")
        assert time.monotonic() - started < 55
    finally:
        slow.close()
