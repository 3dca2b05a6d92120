"""Benchmark: /reconcile suggest and match latency over the bundled catalogue.

Builds the bundled catalogue into a temporary folder, then times, through Flask's test
client (the whole web stack, no network), ``/reconcile/suggest/entity?prefix=…`` for
prefixes of 1–6 letters and batched ``/reconcile`` match queries, against the floor: the
site index's own ``suggest()`` call that the endpoint wraps. Prints medians and p95 in
milliseconds, and the CPU seconds (user+sys) used, so a run on a shared machine can be
judged. Not a test: nothing here asserts a speed.

    .venv/bin/python bench/bench_reconcile.py [--rounds 200]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from publisher.app import create_app  # noqa: E402
from publisher.build import build  # noqa: E402
from publisher.config import Settings  # noqa: E402
from publisher.publication import Publication  # noqa: E402
from publisher.siteindex import SiteIndex  # noqa: E402

PREFIXES = [
    "o",
    "os",
    "osk",
    "oska",
    "hel",
    "helsi",
    "kirja",
    "moodl",
    "pai",
    "keyc",
    "lupa",
    "x-ro",
]
QUERIES = [
    "Oskari",
    "Oskarin",
    "oskri",
    "Helsingin kaupungin",
    "EUPL 1.2",
    "paikkatietoa",
    "Moodel",
    "kyecloak",
    "Lupapiste",
    "Koha",
]


def _ms(samples: list[float]) -> str:
    samples = sorted(samples)
    p95 = samples[max(0, int(len(samples) * 0.95) - 1)]
    return f"median {statistics.median(samples) * 1000:.3f} ms, p95 {p95 * 1000:.3f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(out_dir=Path(tmp))
        build(settings, progress=lambda _m: None)
        app = create_app(settings)
        client = app.test_client()
        publication = Publication.current(Path(tmp))
        if publication is None:
            raise SystemExit("the build published nothing")
        index = SiteIndex.of(publication.path)
        client.get("/reconcile/suggest/entity?prefix=o")  # warm up
        cpu0 = os.times()
        floor, endpoint = [], []
        for _ in range(args.rounds):
            for prefix in PREFIXES:
                started = time.perf_counter()
                index.suggest(prefix, lang="en", limit=30)
                floor.append(time.perf_counter() - started)
                started = time.perf_counter()
                response = client.get("/reconcile/suggest/entity", query_string={"prefix": prefix})
                endpoint.append(time.perf_counter() - started)
                assert response.status_code == 200
        batch = {f"q{i}": {"query": q, "limit": 3} for i, q in enumerate(QUERIES)}
        matches = []
        for _ in range(max(5, args.rounds // 10)):
            started = time.perf_counter()
            response = client.post("/reconcile", data={"queries": json.dumps(batch)})
            matches.append(time.perf_counter() - started)
            assert response.status_code == 200
        cpu1 = os.times()
    cpu = (cpu1.user - cpu0.user) + (cpu1.system - cpu0.system)
    print(f"suggest, site index call (floor): {_ms(floor)}  [{len(floor)} calls]")
    print(f"suggest, /reconcile/suggest/entity over HTTP stack: {_ms(endpoint)}")
    print(f"match, batch of {len(QUERIES)} queries: {_ms(matches)}  [{len(matches)} batches]")
    print(f"CPU seconds (user+sys) for the timed part: {cpu:.2f}; wall clock figures above")


if __name__ == "__main__":
    main()
