"""Benchmark (not a test): SPARQL query-mix throughput, our endpoint vs Oxigraph's server.

One run builds the bundled catalogue, loads its N-Quads dump into Oxigraph
(``oxigraph load`` + ``oxigraph serve-read-only --union-default-graph``), serves the same
publication with ``avoinkunta serve`` (gunicorn), checks that both give the same answers
to every query of the mix, then measures queries per second at 1 and 8 concurrent
clients against each and prints the ratio.

    python bench/bench_sparql.py [--seconds 10] [--clients 1 8] [--workers 2]

Our endpoint is run with its per-client limit raised to the number of clients (every
bench client comes from 127.0.0.1); its other limits are the defaults.

    python bench/bench_sparql.py --flood [--flood-clients 7] [--workers 3]

instead floods our endpoint (no Oxigraph needed): two runaway queries from each of
``--flood-clients`` addresses (127.0.0.2, …), then an ordinary ``ASK {}``, ``/healthz`` and a
``/doc/…`` page from other addresses, and prints how long each took and what it got,
beside the same three requests on the idle server in the same run.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from publisher.build import build  # noqa: E402
from publisher.config import Settings  # noqa: E402
from publisher.publication import Publication  # noqa: E402
from publisher.server import serve_command  # noqa: E402
from publisher.sparql_mount import sparql_prefixes  # noqa: E402
from sparql_endpoint.examples import examples  # noqa: E402

JSON_TYPES = "application/sparql-results+json"
GRAPH_TYPES = "application/n-triples"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: server exited\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer\n{log.read_text(errors='replace')}")


def query_mix(base: str) -> list[tuple[str, str]]:
    """(name, query text): the example queries plus typical look-ups."""
    mix = [(ex.slug, ex.text(sparql_prefixes(base))) for ex in examples()]
    mix += [
        ("describe-offering", f"DESCRIBE <{base}id/offering/linked-events>"),
        (
            "offering-by-keyword",
            "PREFIX dcat: <http://www.w3.org/ns/dcat#>\n"
            'SELECT ?o ?k WHERE { ?o dcat:keyword ?k FILTER(CONTAINS(LCASE(STR(?k)), "data")) }',
        ),
        ("count-triples", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"),
    ]
    return mix


def ask(url: str, query: str) -> tuple[int, bytes]:
    wants_graph = any(
        line.strip().upper().startswith(("CONSTRUCT", "DESCRIBE")) for line in query.splitlines()
    )
    request = urllib.request.Request(
        url,
        data=urllib.parse.urlencode({"query": query}).encode(),
        headers={
            "Accept": GRAPH_TYPES if wants_graph else JSON_TYPES,
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as reply:
            return reply.status, reply.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def summary(body: bytes) -> str:
    """A comparable digest of a result: row count, boolean, or triple count."""
    try:
        parsed = json.loads(body)
    except ValueError:
        return f"{len([line for line in body.splitlines() if line.strip()])} triples"
    if "boolean" in parsed:
        return f"boolean {parsed['boolean']}"
    return f"{len(parsed['results']['bindings'])} rows"


def client(args: tuple[str, list[tuple[str, str]], float, int]) -> tuple[int, int, list[float]]:
    url, mix, seconds, offset = args
    done = errors = 0
    latencies: list[float] = []
    stop = time.monotonic() + seconds
    i = offset
    while time.monotonic() < stop:
        began = time.perf_counter()
        status, _ = ask(url, mix[i % len(mix)][1])
        latencies.append(time.perf_counter() - began)
        if status == 200:
            done += 1
        else:
            errors += 1
        i += 1
    return done, errors, latencies


def _timed(url: str, query: str) -> float:
    began = time.perf_counter()
    status, _ = ask(url, query)
    assert status == 200, (url, status)
    return (time.perf_counter() - began) * 1000


def measure(url: str, mix: list[tuple[str, str]], clients: int, seconds: float) -> dict:
    with multiprocessing.get_context("spawn").Pool(clients) as pool:
        results = pool.map(client, [(url, mix, seconds, i * 3) for i in range(clients)])
    done = sum(r[0] for r in results)
    errors = sum(r[1] for r in results)
    latencies = sorted(x for r in results for x in r[2])
    return {
        "qps": done / seconds,
        "errors": errors,
        "p50": statistics.median(latencies) * 1000,
        "p95": latencies[int(len(latencies) * 0.95) - 1] * 1000,
    }


SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def fetch(url: str, source: str, data: bytes | None = None) -> tuple[int, float, str]:
    """(status, seconds, Retry-After) of one request sent from the address ``source``."""
    parts = urllib.parse.urlsplit(url)
    began = time.monotonic()
    conn = http.client.HTTPConnection(
        parts.hostname, parts.port, timeout=120, source_address=(source, 0)
    )
    try:
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        headers = {"Connection": "close"}
        if "/sparql" in path:
            headers["Accept"] = JSON_TYPES
        if data is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request("POST" if data is not None else "GET", path, body=data, headers=headers)
        reply = conn.getresponse()
        reply.read()
        return reply.status, time.monotonic() - began, reply.getheader("Retry-After") or ""
    finally:
        conn.close()


def flood(base: str, clients: int) -> None:
    """Runaway queries from ``clients`` addresses, and ordinary requests in between."""
    sparql = base + "sparql"
    slow = urllib.parse.urlencode({"query": SLOW}).encode()
    ordinary = [
        ("ASK {}", sparql + "?" + urllib.parse.urlencode({"query": "ASK {}"}), "127.0.1.1"),
        ("/healthz", base + "healthz", "127.0.1.2"),
        ("/doc/offering/linked-events", base + "doc/offering/linked-events", "127.0.1.3"),
    ]
    idle = {name: fetch(url, source) for name, url, source in ordinary}
    results: dict[str, tuple[int, float, str]] = {}

    def run(name: str, url: str, source: str, data: bytes | None = None) -> None:
        results[name] = fetch(url, source, data)

    threads = [
        threading.Thread(target=run, args=(f"slow {i}", sparql, f"127.0.0.{2 + i // 2}", slow))
        for i in range(2 * clients)
    ]
    for thread in threads:
        thread.start()
    time.sleep(1.0)  # the runaway queries are in
    others = [threading.Thread(target=run, args=item) for item in ordinary]
    for thread in others:
        thread.start()
    for thread in threads + others:
        thread.join()
    print(f"{2 * clients} runaway queries from {clients} addresses, sent at once:")
    for i in range(2 * clients):
        status, seconds, retry = results[f"slow {i}"]
        print(
            f"  slow {i:2d} from 127.0.0.{2 + i // 2}: {status} after {seconds:5.2f} s"
            + (f" (Retry-After {retry})" if retry else "")
        )
    print("ordinary requests, 1 s into the flood vs on the idle server before it:")
    for name, _, _ in ordinary:
        status, seconds, _ = results[name]
        idle_status, idle_seconds, _ = idle[name]
        print(
            f"  {name:30s} flood {status} after {seconds:6.3f} s | "
            f"idle {idle_status} after {idle_seconds:6.3f} s"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 8])
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (ours)")
    parser.add_argument("--repeat", type=int, default=20, help="runs per query, latency table")
    parser.add_argument("--flood", action="store_true", help="the flood test instead")
    parser.add_argument("--flood-clients", type=int, default=7)
    args = parser.parse_args()
    if args.flood:
        return run_flood(args.workers, args.flood_clients)
    oxigraph = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not Path(oxigraph).exists():
        print("The oxigraph CLI is missing: pip install 'oxigraph>=0.5,<0.6'", file=sys.stderr)
        return 2

    work = Path(tempfile.mkdtemp(prefix="bench-sparql-"))
    processes: list[subprocess.Popen[bytes]] = []
    try:
        ours_port, oxi_port = free_port(), free_port()
        base = f"http://127.0.0.1:{ours_port}/"
        out = work / "out"
        build(Settings(base_uri=base, data_dir=ROOT / "data", out_dir=out), progress=lambda m: None)
        publication = Publication.current(out)
        assert publication is not None
        dump = publication.dumps_dir / "avoinkunta.nq"

        oxi_dir = work / "oxigraph"
        subprocess.run(
            [oxigraph, "load", "--location", str(oxi_dir), "--file", str(dump)],
            check=True,
            capture_output=True,
        )
        oxi_log = work / "oxigraph.log"
        processes.append(
            subprocess.Popen(
                [
                    oxigraph,
                    "serve-read-only",
                    "--location",
                    str(oxi_dir),
                    "--bind",
                    f"127.0.0.1:{oxi_port}",
                    "--union-default-graph",
                ],
                stdout=oxi_log.open("wb"),
                stderr=subprocess.STDOUT,
            )
        )
        ours_log = work / "ours.log"
        env = dict(
            os.environ,
            AVOINKUNTA_BASE_URI=base,
            AVOINKUNTA_SPARQL_PER_CLIENT_CONCURRENCY=str(max(args.clients)),
        )
        processes.append(
            subprocess.Popen(
                serve_command(out, ours_port, args.workers),
                env=env,
                stdout=ours_log.open("wb"),
                stderr=subprocess.STDOUT,
                cwd=ROOT,
            )
        )
        ours_url = f"{base}sparql"
        oxi_url = f"http://127.0.0.1:{oxi_port}/query"
        wait_for(ours_url, processes[1], ours_log)
        wait_for(oxi_url, processes[0], oxi_log)

        mix = query_mix(base)
        print(
            f"dataset: {dump.name}, {sum(1 for _ in dump.open('rb'))} quads; "
            f"query mix: {len(mix)} queries; {args.seconds:g} s per measurement; "
            f"{os.cpu_count()} CPUs"
        )
        print("same answers from both servers:")
        for name, query in mix:
            ours_status, ours_body = ask(ours_url, query)
            oxi_status, oxi_body = ask(oxi_url, query)
            same = ours_status == oxi_status == 200 and summary(ours_body) == summary(oxi_body)
            print(
                f"  {'ok ' if same else 'DIFF'} {name:34s} ours {ours_status} "
                f"{summary(ours_body):12s} oxigraph {oxi_status} {summary(oxi_body)}"
            )

        print(f"\nmedian latency per query, one client, {args.repeat} runs each (ms):")
        print(f"  {'query':34s} {'ours':>8} {'oxigraph':>9} {'ratio':>6}")
        for name, query in mix:
            ours_ms = statistics.median(_timed(ours_url, query) for _ in range(args.repeat))
            oxi_ms = statistics.median(_timed(oxi_url, query) for _ in range(args.repeat))
            print(f"  {name:34s} {ours_ms:8.2f} {oxi_ms:9.2f} {oxi_ms / ours_ms:6.2f}")

        print()
        print(
            f"{'clients':>7} | {'ours q/s':>9} {'p50 ms':>7} {'p95 ms':>7} {'err':>4} | "
            f"{'oxigraph q/s':>12} {'p50 ms':>7} {'p95 ms':>7} {'err':>4} | ratio"
        )
        for clients in args.clients:
            ours = measure(ours_url, mix, clients, args.seconds)
            peer = measure(oxi_url, mix, clients, args.seconds)
            print(
                f"{clients:>7} | {ours['qps']:9.1f} {ours['p50']:7.1f} {ours['p95']:7.1f} "
                f"{ours['errors']:4d} | {peer['qps']:12.1f} {peer['p50']:7.1f} "
                f"{peer['p95']:7.1f} {peer['errors']:4d} | {ours['qps'] / peer['qps']:.2f}"
            )
        print(
            f"\nours: avoinkunta serve (gunicorn gthread, {args.workers} workers) with "
            "sparql_endpoint's worker pools; oxigraph: serve-read-only (one process)"
        )
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(work, ignore_errors=True)
    return 0


def run_flood(workers: int, clients: int) -> int:
    work = Path(tempfile.mkdtemp(prefix="bench-sparql-flood-"))
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    out = work / "out"
    build(Settings(base_uri=base, data_dir=ROOT / "data", out_dir=out), progress=lambda m: None)
    log = work / "server.log"
    process = subprocess.Popen(
        serve_command(out, port, workers),
        env=dict(os.environ, AVOINKUNTA_BASE_URI=base),
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        cwd=ROOT,
    )
    try:
        wait_for(base + "sparql", process, log)
        print(f"avoinkunta serve, {workers} gunicorn workers, {os.cpu_count()} CPUs")
        flood(base, clients)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
