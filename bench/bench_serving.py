"""What a request costs the server, at the size of a national catalogue.

For each publication (built from bench/generate.py's sources: ``--offerings 1000 5000
30000``, reused under var/bench/serving-N when already built, or given with ``--out``) it
serves requests in this process through the app (Flask's test client, so what is measured
is the server's own work: routing, negotiation, rendering, caching, no network) and
prints, per kind of request, the server CPU time (process time) and wall time:

* cached: a document or page asked for again (served from the caches, with its ETag);
* cold: the first request of a document or page after every cache of the web layer was
  emptied (the publication's store and site index stay open, as in a running server);
* kept: the first request in a new process of a page that an earlier request rendered and
  kept with the publication (memory caches emptied, the kept pages on disk stay);
* worst: the most expensive cold page of every kind of page the site has (pages that
  list things, the sitemap, VoID, the vocabulary, the people's pages, /catalog pages).

The floor is the cheapest request the app can answer (``/robots.txt``, cached) in the
same run. Targets (issue 8): cached ≤ 1 ms CPU, cold document ≤ 5 ms, /catalog page
≤ 2 ms (cached), home ≤ 5 ms, no page over 50 ms cold. Figures on a shared machine are
noisy: CPU time is reported besides wall time.

    .venv/bin/python bench/bench_serving.py --offerings 1000 5000 [--out DIR ...]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
BASE = "http://127.0.0.1:8080/"
# The web layer's folders in <publication>/cache (the build keeps its own files there too).
WEB_CACHES = ("catalog", "home", "ontology", "sitemap")


@dataclass
class Figure:
    label: str
    cpu_ms: list[float]
    wall_ms: list[float]
    detail: str = ""

    def row(self) -> str:
        cpu = sorted(self.cpu_ms)
        wall = sorted(self.wall_ms)
        p90 = cpu[min(len(cpu) - 1, int(len(cpu) * 0.9))]
        return (
            f"  {self.label:<34} {statistics.median(cpu):9.2f} {p90:9.2f} {cpu[-1]:9.2f}"
            f" {statistics.median(wall):9.2f}   n={len(cpu):<4} {self.detail}"
        )


def build(offerings: int) -> Path:
    """var/bench/serving-N: generated sources and their publication (built once)."""
    folder = ROOT / "var" / "bench" / f"serving-{offerings}"
    out = folder / "out"
    if (out / "current").exists():
        return out
    data = folder / "data"
    python = sys.executable
    subprocess.run(
        [python, str(ROOT / "bench" / "generate.py"), "--offerings", str(offerings), "--out",
         str(data)],
        check=True,
    )  # fmt: skip
    env = {**os.environ, "AVOINKUNTA_BASE_URI": BASE}
    subprocess.run(
        [python, "-m", "publisher.cli", "build", "--data", str(data), "--out", str(out)],
        check=True,
        env=env,
        cwd=ROOT,
    )
    return out


class Bench:
    def __init__(self, out: Path) -> None:
        from publisher.app import create_app
        from publisher.config import Settings
        from publisher.publication import Publication

        publication = Publication.current(out)
        assert publication is not None, out
        self.publication = publication
        self.app = create_app(Settings.from_env(base_uri=publication.base_uri, out_dir=out))
        self.client = self.app.test_client()
        self.index = self.app.extensions["avoinkunta"].site_index()
        self.get("/robots.txt")  # open the store and the site index

    def get(self, path: str, accept: str | None = None) -> tuple[float, float, int]:
        headers = {"Accept": accept} if accept else {}
        cpu, wall = time.process_time(), time.perf_counter()
        response = self.client.get(path, headers=headers)
        response.get_data()
        return (
            (time.process_time() - cpu) * 1000,
            (time.perf_counter() - wall) * 1000,
            response.status_code,
        )

    def forget(self, disk: bool = True) -> None:
        """Empty every cache of the web layer (in memory, and kept with the publication
        unless not ``disk``)."""
        from publisher.http.caching import LruCache, PublicationCache
        from publisher.views import (
            catalog,
            discovery,
            home,
            resources,
            statistics,
            vocabulary,
            wellknown,
        )

        for module in (resources, home, catalog, wellknown, vocabulary, discovery, statistics):
            for value in vars(module).values():
                if isinstance(value, LruCache):
                    value._data.clear()
                elif isinstance(value, PublicationCache):
                    value._memory._data.clear()
        if disk:
            for namespace in WEB_CACHES:
                shutil.rmtree(
                    self.publication.path / PublicationCache.FOLDER / namespace, ignore_errors=True
                )

    def cached(self, label: str, path: str, accept: str | None = None, n: int = 30) -> Figure:
        self.get(path, accept)
        runs = [self.get(path, accept) for _ in range(n)]
        return Figure(label, [r[0] for r in runs], [r[1] for r in runs])

    def cold(
        self, label: str, paths: list[str], accept: str | None = None, disk: bool = True
    ) -> Figure:
        runs = []
        for path in paths:
            self.forget(disk)
            if not disk:
                self.get(path, accept)  # rendered and kept once
                self.forget(disk=False)
            runs.append(self.get(path, accept))
        bad = [p for p, r in zip(paths, runs, strict=True) if r[2] != 200]
        assert not bad, bad[:3]
        return Figure(label, [r[0] for r in runs], [r[1] for r in runs])

    def keys(self, kind: str, limit: int) -> list[str]:
        found = [e.key for e in self.index.entities(kind)]
        step = max(1, len(found) // limit)
        return found[::step][:limit]

    def largest(self, facet: str) -> str:
        from publisher.siteindex import Selection

        (counted,) = [f for f in self.index.facets(Selection()) if f.name == facet]
        return max(counted.values, key=lambda v: v.count).value


def run(out: Path, samples: int) -> list[Figure]:
    b = Bench(out)
    offerings = b.keys("offering", samples)
    docs = [f"/doc/offering/{k}" for k in offerings]
    figures = [
        b.cached("floor: /robots.txt (cached)", "/robots.txt"),
        b.cached("document Turtle (cached)", docs[0] + ".ttl"),
        b.cached("document HTML (cached)", docs[0], BROWSER),
        b.cold("document Turtle (cold)", [d + ".ttl" for d in docs]),
        b.cold("document JSON-LD (cold)", [d + ".jsonld" for d in docs]),
        b.cold("document HTML (cold)", docs, BROWSER),
        b.cached("/catalog page 1 (cached)", "/catalog"),
        b.cached("/catalog/adms page 2 (cached)", "/catalog/adms?page=2"),
        b.cold("/catalog page 1 (cold)", ["/catalog"] * 3),
        b.cold("/catalog/adms page 2 (cold)", ["/catalog/adms?page=2"] * 3),
        b.cold("/catalog/adms page 2 (kept)", ["/catalog/adms?page=2"] * 3, disk=False),
        b.cached("home (cached)", "/", BROWSER),
        b.cold("home (cold)", ["/"] * 3, BROWSER),
        b.cold("home (kept)", ["/"] * 3, BROWSER, disk=False),
        b.cold("vocabulary page (kept)", ["/ontology"] * 3, BROWSER, disk=False),
    ]
    pages = {
        "supplier (most offerings)": f"/doc/supplier/{b.largest('supplier')}",
        "licence (most offerings)": f"/doc/licence/{b.largest('licence')}",
        "component (most offerings)": f"/doc/component/{b.largest('component')}",
        "layer (most offerings)": f"/doc/layer/{b.largest('layer')}",
        "aspect open-source": "/doc/aspect/open-source",
        "domain (most offerings)": f"/doc/domain/{b.largest('domain')}",
        "route (most offerings)": f"/doc/route/{b.largest('route')}",
        "scheme architecture": "/doc/scheme/architecture",
        "sitemap": "/sitemap.xml",
        "sitemap page 1": "/sitemap.xml?page=1",
        "VoID page": "/.well-known/void",
        "VoID Turtle": "/.well-known/void.ttl",
        "vocabulary page": "/ontology",
        "catalogue page (last)": "/catalog/adms?page=1",
        "offerings": "/offerings",
        "search": "/search?q=kartta",
        "statistics": "/statistics",
    }
    worst = []
    for name, path in pages.items():
        accept = None if path.endswith((".ttl", ".xml")) or "catalog/" in path else BROWSER
        figure = b.cold(f"cold: {name}", [path], accept)
        worst.append(figure)
    figures += sorted(worst, key=lambda f: -max(f.cpu_ms))
    return figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--offerings", type=int, nargs="*", default=[])
    parser.add_argument("--out", type=Path, nargs="*", default=[])
    parser.add_argument("--samples", type=int, default=40, help="documents per cold figure")
    args = parser.parse_args(argv)
    outs = [(f"{n:,} offerings", build(n)) for n in args.offerings]
    outs += [(str(o), o) for o in args.out]
    if not outs:
        parser.error("give --offerings N … or --out DIR …")
    for title, out in outs:
        figures = run(out, args.samples)
        print(f"\n{title} ({out})")
        print(
            f"  {'request':<34} {'CPU med':>9} {'CPU p90':>9} {'CPU max':>9} {'wall med':>9}  (ms)"
        )
        for figure in figures:
            print(figure.row())


if __name__ == "__main__":
    main()
