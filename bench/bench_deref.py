"""How fast the running server answers a dereference, against a static file server.

Builds the bundled catalogue into a temporary folder (or uses --out), starts
`avoinkunta serve` on 127.0.0.1, and times GET requests, each on a new
connection, for:

* a Turtle document and an HTML page of one offering, repeated (warm: rendered once,
  then served from the per-process cache with its ETag);
* the first request of every offering's Turtle and HTML (cold: described, serialised or
  rendered on that request, unless the other worker saw it first);
* a 304 answer to If-None-Match;
* the peer: Python's http.server serving the very same bytes as static files.

Prints medians and 90th percentiles in milliseconds. Usage:

    .venv/bin/python bench/bench_deref.py [--requests 300] [--out DIR]
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"{url} did not answer")


def get(port: int, path: str, headers: dict[str, str]) -> tuple[int, bytes, dict[str, str]]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, body, dict(response.getheaders())


def timed(fn: Callable[[], object], n: int) -> list[float]:
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def report(name: str, samples: list[float]) -> None:
    p90 = statistics.quantiles(samples, n=10)[-1] if len(samples) >= 10 else max(samples)
    print(
        f"  {name:<46} median {statistics.median(samples):7.2f} ms   "
        f"p90 {p90:7.2f} ms   n={len(samples)}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument(
        "--out",
        type=Path,
        help="an already built OUT folder (base URI must "
        "match the port; default: build into a temporary folder)",
    )
    parser.add_argument("--offering", default="linked-events")
    args = parser.parse_args()

    from publisher.build import build
    from publisher.config import Settings
    from publisher.server import serve_command

    port, peer_port = free_port(), free_port()
    base = f"http://127.0.0.1:{port}/"
    tmp = Path(tempfile.mkdtemp(prefix="bench-deref-"))
    out = args.out or tmp / "out"
    if args.out is None:
        started = time.perf_counter()
        build(
            Settings(base_uri=base, data_dir=ROOT / "data", out_dir=out), progress=lambda _m: None
        )
        print(f"built the bundled catalogue in {time.perf_counter() - started:.1f} s")
    env = dict(os.environ, AVOINKUNTA_BASE_URI=base)
    server = subprocess.Popen(
        serve_command(out, port, 2),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
    )
    peer = None
    try:
        wait_until_up(f"{base}healthz", server)
        ttl_path = f"/doc/offering/{args.offering}.ttl"
        html_path = f"/doc/offering/{args.offering}.html"
        status, ttl, headers = get(port, ttl_path, {})
        assert status == 200, status
        _, html, _ = get(port, html_path, {"Accept-Language": "fi"})

        # The peer serves the same bytes from disk.
        static = tmp / "static"
        static.mkdir(exist_ok=True)
        (static / "doc.ttl").write_bytes(ttl)
        (static / "doc.html").write_bytes(html)
        peer = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "http.server",
                str(peer_port),
                "--bind",
                "127.0.0.1",
                "--directory",
                str(static),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until_up(f"http://127.0.0.1:{peer_port}/doc.ttl", peer)

        # Cold: the first request for each offering, in each format.
        from publisher.publication import Publication

        publication = Publication.current(out)
        assert publication is not None
        offerings = sorted(
            e["key"]
            for e in publication.ledger.values()
            if e["kind"] == "offering" and not e.get("removed")
        )
        cold_ttl = [
            timed(partial(get, port, f"/doc/offering/{k}.ttl", {}), 1)[0]
            for k in offerings
            if k != args.offering
        ]
        cold_html = [
            timed(partial(get, port, f"/doc/offering/{k}.html", {}), 1)[0]
            for k in offerings
            if k != args.offering
        ]

        n = args.requests
        print(
            f"\nGET on a new connection each, {ttl_path} ({len(ttl)} bytes) and "
            f"{html_path} ({len(html)} bytes):"
        )
        print("avoinkunta serve (Granian, 2 web processes)")
        report("Turtle, warm", timed(lambda: get(port, ttl_path, {}), n))
        report("HTML, warm", timed(lambda: get(port, html_path, {"Accept-Language": "fi"}), n))
        report(
            "Turtle via /id 303 + negotiated /doc",
            timed(
                lambda: (
                    get(port, f"/id/offering/{args.offering}", {"Accept": "text/turtle"}),
                    get(port, f"/doc/offering/{args.offering}", {"Accept": "text/turtle"}),
                ),
                n,
            ),
        )
        report(
            "304 (If-None-Match)",
            timed(lambda: get(port, ttl_path, {"If-None-Match": headers["ETag"]}), n),
        )
        report(f"Turtle, cold (first request, {len(cold_ttl)} offerings)", cold_ttl)
        report(f"HTML, cold (first request, {len(cold_html)} offerings)", cold_html)
        print("peer: python -m http.server, same bytes as static files")
        report("Turtle file", timed(lambda: get(peer_port, "/doc.ttl", {}), n))
        report("HTML file", timed(lambda: get(peer_port, "/doc.html", {}), n))
    finally:
        for process in (server, peer):
            if process is not None:
                process.terminate()
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
