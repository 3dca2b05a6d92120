"""Benchmark (not a test): SPARQL query-mix throughput, our endpoint vs Oxigraph's server.

One run builds the bundled catalogue, loads its N-Quads dump into Oxigraph
(``oxigraph load`` + ``oxigraph serve-read-only --union-default-graph``), serves the same
publication with ``avoinkunta serve`` (gunicorn), checks that both give the same answers
to every query of the mix, then measures queries per second at 1 and 8 concurrent
clients against each and prints the ratio.

    python bench/bench_sparql.py [--seconds 10] [--clients 1 8] [--workers 2]

Our endpoint is run with its per-client limit raised to the number of clients (every
bench client comes from 127.0.0.1); its other limits are the defaults.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
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
    mix = [(ex.slug, ex.text(base)) for ex in examples()]
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 8])
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (ours)")
    parser.add_argument("--repeat", type=int, default=20, help="runs per query, latency table")
    args = parser.parse_args()
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
                [
                    sys.executable,
                    "-m",
                    "publisher.cli",
                    "serve",
                    "--out",
                    str(out),
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(ours_port),
                    "--workers",
                    str(args.workers),
                ],
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


if __name__ == "__main__":
    raise SystemExit(main())
