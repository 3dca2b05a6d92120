"""Benchmarks (not tests): the site under a flood of heavy queries, and under slow clients.

    python bench/bench_sparql_flood.py flood [--addresses 8] [--seconds 20] [--nginx]
    python bench/bench_sparql_flood.py slow  [--connections 500] [--seconds 20] [--nginx]

Both serve the bundled catalogue with ``avoinkunta serve`` (2 web processes, default
settings), optionally behind nginx with ``deploy/nginx/avoinkunta.conf``, and measure two
well-behaved clients, first on the idle server and then under the load, in the same run:

* a **polite** client: a cheap SPARQL query (the title of one offering, a different one
  each time, so that no cache answers it) every 200 ms, from its own address;
* a **reader**: an HTML document (``/doc/offering/…``) every 200 ms, from another address.

``flood``: ``--addresses`` heavy clients (8 on 127.0.0.2…, or 1), each with two queries
at a time (its per-client limit), every one a runaway that only the time limit stops, sent
again as soon as it is answered (after 20 ms when refused). Goal: the polite client's p95
≤ 2× idle with 0 errors, and the documents' p95 ≤ 2× idle.

``slow``: ``--connections`` connections (on 127.0.3.x, two per address) that either send
their request headers one byte every 2 s, or send a request for a large result and never
read it. Goal: ``/healthz``, pages and cheap queries still answered within 1 s.

Prints p50 / p95 / max latency in ms and error counts for idle and loaded, and the
server's CPU seconds (user + system of every process: web processes, broker, store host,
query workers, and nginx with --nginx) next to the wall time of each phase; the
machine's load average is printed too (figures on a shared machine are noisy).
"""

from __future__ import annotations

import argparse
import random
import socket
import statistics
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from sparql_servers import ROOT, Meter, fetch, free_port, nginx_front, ours, publication

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
PERIOD = 0.2  # seconds between two requests of a well-behaved client


@dataclass
class Samples:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    statuses: dict[int | str, int] = field(default_factory=dict)

    def add(self, seconds: float, status: int | str) -> None:
        self.latencies.append(seconds)
        self.statuses[status] = self.statuses.get(status, 0) + 1
        if status != 200:
            self.errors += 1

    def row(self) -> str:
        values = sorted(self.latencies) or [0.0]
        p95 = values[max(0, int(len(values) * 0.95) - 1)]
        others = {k: v for k, v in self.statuses.items() if k != 200}
        return (
            f"{len(values):5d} req  p50 {statistics.median(values) * 1000:7.1f}  "
            f"p95 {p95 * 1000:7.1f}  max {values[-1] * 1000:7.1f} ms  errors {self.errors}"
            + (f" {others}" if others else "")
        )


def periodic(stop: threading.Event, samples: Samples, call: Callable[[], int]) -> None:
    while not stop.is_set():
        began = time.perf_counter()
        try:
            status: int | str = call()
        except OSError as exc:
            status = type(exc).__name__
        samples.add(time.perf_counter() - began, status)
        stop.wait(max(0.0, PERIOD - (time.perf_counter() - began)))


def well_behaved(
    base: str, offerings: list[str], seconds: float
) -> tuple[Samples, Samples, Samples]:
    """The polite client, the reader and a health check for ``seconds``; their samples."""
    polite, reader, health = Samples(), Samples(), Samples()
    rng = random.Random(5)
    stop = threading.Event()

    def cheap() -> int:
        key = rng.choice(offerings)
        query = f"SELECT ?t WHERE {{ <{base}id/offering/{key}> dct:title ?t }} # {rng.random()}"
        return fetch(base + "sparql", query, "127.0.1.1", timeout=60)[0]

    def page() -> int:
        key = rng.choice(offerings)
        return fetch(base + f"doc/offering/{key}", None, "127.0.1.2", "text/html", 60)[0]

    def healthz() -> int:
        return fetch(base + "healthz", None, "127.0.1.3", "application/json", 60)[0]

    threads = [
        threading.Thread(target=periodic, args=(stop, polite, cheap)),
        threading.Thread(target=periodic, args=(stop, reader, page)),
        threading.Thread(target=periodic, args=(stop, health, healthz)),
    ]
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    return polite, reader, health


def heavy_clients(base: str, addresses: int, stop: threading.Event) -> tuple[list, Samples]:
    samples = Samples()

    def loop(source: str) -> None:
        while not stop.is_set():
            began = time.perf_counter()
            try:
                status: int | str = fetch(base + "sparql", RUNAWAY, source, timeout=120)[0]
            except OSError as exc:
                status = type(exc).__name__
            samples.add(time.perf_counter() - began, status)
            if status != 200:
                stop.wait(0.02)

    threads = [
        threading.Thread(target=loop, args=(f"127.0.0.{2 + i % addresses}",))
        for i in range(2 * max(addresses, 1) if addresses > 1 else 2)
    ]
    for thread in threads:
        thread.start()
    return threads, samples


def slow_connections(base: str, count: int, stop: threading.Event) -> list[socket.socket]:
    """Half send headers a byte every 2 s; half ask for a large result and never read."""
    parts = urllib.parse.urlsplit(base)
    sockets: list[socket.socket] = []
    large = "/sparql?" + urllib.parse.urlencode(
        {"query": "SELECT * WHERE { ?s ?p ?o }", "format": "tsv"}
    )
    for i in range(count):
        source = f"127.0.3.{1 + i // 2 % 250}"
        try:
            sock = socket.create_connection((parts.hostname, parts.port), 10, (source, 0))
        except OSError:
            continue
        if i % 2:
            sock.sendall(f"GET {large} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        else:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        sockets.append(sock)

    def drip() -> None:
        while not stop.wait(2.0):
            for i, sock in enumerate(sockets):
                if i % 2 == 0:
                    try:
                        sock.send(b"a")
                    except OSError:
                        pass

    threading.Thread(target=drip, daemon=True).start()
    return sockets


class Phase:
    """The server's CPU seconds and the wall time of one measured phase."""

    def __init__(self, meters: list[Meter]):
        self.meters = meters
        for meter in meters:
            meter.start()
        self.began = time.perf_counter()
        self.cpu = self.wall = 0.0
        self._stop = threading.Event()
        # sampled every 0.2 s: a worker killed in between is counted up to its last sample
        self._sampler = threading.Thread(target=self._sample, daemon=True)
        self._sampler.start()

    def _sample(self) -> None:
        while not self._stop.wait(0.2):
            for meter in self.meters:
                meter.update()

    def end(self) -> None:
        self._stop.set()
        self._sampler.join()
        self.wall = time.perf_counter() - self.began
        self.cpu = sum(meter.seconds() for meter in self.meters)

    def __str__(self) -> str:
        return f"{self.cpu:6.1f} s CPU in {self.wall:5.1f} s wall"


def load_average() -> str:
    with open("/proc/loadavg") as load:
        return load.read().split()[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["flood", "slow"])
    parser.add_argument("--addresses", type=int, default=8, help="flood: heavy addresses")
    parser.add_argument("--connections", type=int, default=500, help="slow: connections")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--warmup", type=float, default=10.0, help="flood: seconds before")
    parser.add_argument("--workers", type=int, default=2, help="our web processes")
    parser.add_argument("--nginx", action="store_true", help="behind deploy/nginx")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-flood-"))
    port, front = free_port(), free_port()
    base = f"http://127.0.0.1:{front if args.nginx else port}/"
    pub = publication(work, base, None, ROOT / "var" / "bench")
    marker = f"<{pub.base_uri}id/offering/"
    offerings = sorted(
        {
            line.split(" ", 1)[0][len(marker) : -1]
            for line in (pub.dumps_dir / "avoinkunta.nq").read_text().splitlines()
            if line.startswith(marker)
        }
    )
    env = {"AVOINKUNTA_TRUSTED_PROXIES": "127.0.0.1"} if args.nginx else {}
    with ExitStack() as stack:
        server = stack.enter_context(ours(work, pub, port, args.workers, env))
        meters = [Meter(server.process.pid)]
        if args.nginx:
            server = stack.enter_context(nginx_front(work, server, front))
            meters.append(Meter(server.process.pid))
        front_text = " behind nginx" if args.nginx else ""
        print(
            f"avoinkunta serve ({args.workers} web processes){front_text}; "
            f"load average {load_average()}"
        )
        for key in offerings:  # warm: every document rendered once before anything counts
            fetch(base + f"doc/offering/{key}", None, "127.0.1.2", "text/html", 60)
        idle_cpu = Phase(meters)
        idle = well_behaved(base, offerings, args.seconds)
        idle_cpu.end()
        stop = threading.Event()
        if args.mode == "flood":
            threads, heavy = heavy_clients(base, args.addresses, stop)
            time.sleep(args.warmup)  # measured under a flood going on, not at its start
            loaded_cpu = Phase(meters)
            loaded = well_behaved(base, offerings, args.seconds)
            loaded_cpu.end()
            stop.set()
            for thread in threads:
                thread.join()
            label = f"{args.addresses} heavy address{'es' if args.addresses > 1 else ''}"
        else:
            sockets = slow_connections(base, args.connections, stop)
            time.sleep(2.0)
            loaded_cpu = Phase(meters)
            loaded = well_behaved(base, offerings, args.seconds)
            loaded_cpu.end()
            stop.set()
            for sock in sockets:
                sock.close()
            label = f"{len(sockets)} slow connections"
        print(f"{'':28s} idle: {'':6s}{label}:")
        for name, before, after in (
            ("polite SPARQL query", idle[0], loaded[0]),
            ("HTML document", idle[1], loaded[1]),
            ("/healthz", idle[2], loaded[2]),
        ):
            print(f"  {name:22s} idle    {before.row()}")
            print(f"  {'':22s} loaded  {after.row()}")
        print(f"  server CPU (user+sys)  idle    {idle_cpu}")
        print(f"  {'':22s} loaded  {loaded_cpu}")
        if args.mode == "flood":
            print(f"  heavy clients' answers: {dict(sorted(heavy.statuses.items(), key=str))}")
        print(f"load average at the end {load_average()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
