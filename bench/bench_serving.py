"""What a request costs the server, at the size of a national catalogue.

For each publication (built from bench/generate.py's sources: ``--offerings 1000 5000
30000``, reused under var/bench/serving-N when already built, or given with ``--out``) it
serves requests in this process through the app (Flask's test client, so what is measured
is the server's own work: routing, negotiation, rendering, caching, no network) and
prints, per kind of request, the server CPU time (process time) and wall time:

* cached: a document or page asked for again (served from the caches, with its ETag);
* cold: the first request of a document or page after every cache of the web layer was
  emptied (the publication's store and site index stay open, as in a running server),
  the figures a page is made from that are computed once per publication (catalogue
  items and ledger-wide dates, facet counts, the vocabulary page of an earlier
  publication of the same vocabulary) kept, as they are after the publication's first
  request;
* first of a publication: the same with those figures gone too (once per publication);
* kept: the first request in a new process of a page that an earlier request rendered and
  kept with the publication (memory caches emptied, the kept pages on disk stay);
* worst: the most expensive cold page of every kind of page the site has (pages that
  list things, the sitemap, VoID, the vocabulary, the people's pages, /catalog pages).

Each figure with a target says whether its median meets it. ``--load SECONDS`` then runs
a real server (``avoinkunta serve``, ``--workers`` web processes) under ``--clients``
concurrent clients asking for documents of 2,000 offerings in every format and every
kind of page, and prints the server's CPU ms per request (every process) and its highest
PSS (all processes; target < 600 MB), with its share by process role (web, broker, SPARQL
store host and workers).

The floor is the cheapest request the app can answer (``/robots.txt``, cached) in the
same run. Targets (issue 8): cached ≤ 1 ms CPU, cold document ≤ 5 ms, /catalog page
≤ 2 ms (kept), home ≤ 5 ms, no page over 50 ms cold. Figures on a shared machine are
noisy: CPU time is reported besides wall time. The benchmark writes only the web layer's
cache folders of the publication it is given (and OUT/.web).

    .venv/bin/python bench/bench_serving.py --offerings 1000 5000 [--out DIR ...] [--load 30]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
BASE = "http://127.0.0.1:8080/"
# The web layer's folders in <publication>/cache (the build keeps its own files there too):
# rendered pages, and the figures over the whole publication that pages are made from.
WEB_PAGES = ("catalog", "home", "ontology", "sitemap")
WEB_FACTS = ("catalog-facts", "home-facts")
# Targets of issue 8 item 4 (median server CPU ms).
CACHED, COLD_DOCUMENT, CATALOG, HOME, ANY_PAGE = 1.0, 5.0, 2.0, 5.0, 50.0


@dataclass
class Figure:
    label: str
    cpu_ms: list[float]
    wall_ms: list[float]
    detail: str = ""
    target: float | None = None  # ms of CPU (median) the issue asks for, if any

    def row(self) -> str:
        cpu = sorted(self.cpu_ms)
        wall = sorted(self.wall_ms)
        p90 = cpu[min(len(cpu) - 1, int(len(cpu) * 0.9))]
        median = statistics.median(cpu)
        verdict = ""
        if self.target is not None:
            verdict = f"≤ {self.target:g}: {'ok' if median <= self.target else 'OVER'}"
        return (
            f"  {self.label:<44} {median:9.2f} {p90:9.2f} {cpu[-1]:9.2f}"
            f" {statistics.median(wall):9.2f}  {verdict:<12} n={len(cpu):<4} {self.detail}"
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
        from publisher.server import settle_heap

        publication = Publication.current(out)
        assert publication is not None, out
        self.publication = publication
        self.out = out
        self.app = create_app(Settings.from_env(base_uri=publication.base_uri, out_dir=out))
        self.client = self.app.test_client()
        self.index = self.app.extensions["avoinkunta"].site_index()
        self.get("/robots.txt")  # open the store and the site index
        settle_heap()  # as a web process does once its app is made (publisher.server)

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

    def forget(self, disk: bool = True, facts: bool = True) -> None:
        """Empty every cache of the web layer: in memory, and the pages kept with the
        publication unless not ``disk``; the figures over the whole publication (catalogue
        items, facet counts: computed once per publication) and the vocabulary pages kept
        across publications too unless not ``facts``."""
        from publisher.catalog import admsparts
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

        # the ADMS pages' memos of table values' triples (the same in every publication)
        admsparts._AUTHORITY.clear()
        admsparts._ASSET_TYPES.clear()
        admsparts._constants.cache_clear()
        admsparts._literal.cache_clear()
        admsparts._date.cache_clear()
        for module in (resources, home, catalog, wellknown, vocabulary, discovery, statistics):
            for value in vars(module).values():
                if isinstance(value, LruCache):
                    value._data.clear()
                elif isinstance(value, PublicationCache):
                    value._memory._data.clear()
        folders = [*WEB_PAGES, *WEB_FACTS] if facts else list(WEB_PAGES)
        if facts:  # where the ADMS artefact's records begin (read once per process)
            admsparts._offsets_of.cache_clear()
        if disk:
            for namespace in folders:
                shutil.rmtree(
                    self.publication.path / PublicationCache.FOLDER / namespace, ignore_errors=True
                )
            if facts:
                shutil.rmtree(self.out / vocabulary.ACROSS_DIR, ignore_errors=True)

    def cached(
        self,
        label: str,
        path: str,
        accept: str | None = None,
        n: int = 30,
        target: float | None = CACHED,
    ) -> Figure:
        self.get(path, accept)
        runs = [self.get(path, accept) for _ in range(n)]
        return Figure(label, [r[0] for r in runs], [r[1] for r in runs], target=target)

    def cold(
        self,
        label: str,
        paths: list[str],
        accept: str | None = None,
        disk: bool = True,
        target: float | None = None,
        facts: bool = True,
    ) -> Figure:
        """``facts=False``: the figures over the whole publication stay (they were
        computed by an earlier request of the publication), the page is rendered anew."""
        runs = []
        for path in paths:
            if not facts:
                self.get(path, accept)  # the publication's figures computed once
            self.forget(disk, facts)
            if not disk:
                self.get(path, accept)  # rendered and kept once
                self.forget(disk=False)
            runs.append(self.get(path, accept))
        bad = [(p, r[2]) for p, r in zip(paths, runs, strict=True) if r[2] != 200]
        assert not bad, bad[:3]
        return Figure(label, [r[0] for r in runs], [r[1] for r in runs], target=target)

    def keys(self, kind: str, limit: int) -> list[str]:
        found = [e.key for e in self.index.entities(kind)]
        step = max(1, len(found) // limit)
        return found[::step][:limit]

    def last_adms_page(self) -> int:
        total = sum(1 for _ in self.index.entities("offering"))
        size = self.app.extensions["avoinkunta"].settings.page_size
        return max(1, -(-total // size))

    def largest(self, facet: str) -> str:
        from publisher.siteindex import Selection

        (counted,) = [f for f in self.index.facets(Selection()) if f.name == facet]
        return max(counted.values, key=lambda v: v.count).value


def run(out: Path, samples: int) -> list[Figure]:
    b = Bench(out)
    # Each cold figure asks for documents of its own: a document asked for in one format
    # has its store reads kept (ReadStore's memos) when asked for in the next, which is not
    # the first request of that IRI in a running web process (the cached figures: another).
    *offerings, kept = b.keys("offering", samples * 3 + 1)
    docs, ttl_docs, jsonld_docs = offerings[2::3], offerings[0::3], offerings[1::3]
    docs = [f"/doc/offering/{k}" for k in docs]
    kept_doc = f"/doc/offering/{kept}"
    adms = [f"/catalog/adms?page={n}" for n in (2, 3, 4)]
    figures = [
        b.cached("floor: /robots.txt (cached)", "/robots.txt", target=None),
        b.cached("document Turtle (cached)", kept_doc + ".ttl"),
        b.cached("document HTML (cached)", kept_doc, BROWSER),
        b.cold("document Turtle (cold)", [f"/doc/offering/{k}.ttl" for k in ttl_docs],
               target=COLD_DOCUMENT),
        b.cold("document JSON-LD (cold)", [f"/doc/offering/{k}.jsonld" for k in jsonld_docs],
               target=COLD_DOCUMENT),
        b.cold("document HTML (cold)", docs, BROWSER, target=COLD_DOCUMENT),
        b.cached("/catalog page 1 (cached)", "/catalog", target=CATALOG),
        b.cached("/catalog/adms page 2 (cached)", "/catalog/adms?page=2", target=CATALOG),
        b.cold("/catalog/adms page (kept, new process)", adms, disk=False, target=CATALOG),
        b.cold("/catalog page 1 (cold)", ["/catalog"] * 3, facts=False, target=ANY_PAGE),
        b.cold("/catalog/adms page (cold)", adms, facts=False, target=ANY_PAGE),
        b.cold("/catalog page 1 (first of a publication)", ["/catalog"] * 3),
        b.cold("/catalog/adms page (first of a publication)", adms[:1] * 3),
        b.cached("home (cached)", "/", BROWSER),
        b.cold("home (kept, new process)", ["/"] * 3, BROWSER, disk=False, target=HOME),
        b.cold("home (cold)", ["/?lang=fi", "/?lang=en", "/?lang=sv"], BROWSER, facts=False,
               target=HOME),
        b.cold("home (first of a publication)", ["/"] * 3, BROWSER),
        b.cold("vocabulary page (kept, new process)", ["/ontology"] * 3, BROWSER, disk=False,
               target=CACHED),
        b.cold("vocabulary page (new publication, same vocabulary)", ["/ontology"] * 3, BROWSER,
               facts=False, target=ANY_PAGE),
        b.cold("vocabulary page (first of a vocabulary)", ["/ontology"] * 3, BROWSER),
    ]  # fmt: skip
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
        "catalogue page (last)": f"/catalog/adms?page={b.last_adms_page()}",
        "catalogue page (people's HTML)": "/catalog/adms?page=2",
        "offerings (discovery's)": "/offerings",
        "search (discovery's)": "/search?q=kartta",
        "statistics (discovery's)": "/statistics",
    }
    worst = []
    for name, path in pages.items():
        machine = path.endswith((".ttl", ".xml")) or ("catalog/" in path and "HTML" not in name)
        accept = None if machine else BROWSER
        worst.append(b.cold(f"cold: {name}", [path], accept, target=ANY_PAGE, facts=False))
    figures += sorted(worst, key=lambda f: -max(f.cpu_ms))
    return figures


def load(out: Path, clients: int, seconds: float, workers: int) -> None:
    """A real server (`avoinkunta serve`) under `clients` concurrent clients asking for
    documents of every offering in every format and every kind of page: requests, errors,
    server CPU ms per request (every process of the server) and the highest PSS."""
    import http.client
    import threading

    from sparql_servers import Meter, free_port, ours, pss_by_role, pss_mb

    from publisher.formats import DOCUMENT_FORMATS
    from publisher.publication import Publication

    publication = Publication.current(out)
    assert publication is not None
    bench = Bench(out)
    keys = bench.keys("offering", 2000)
    paths = [f"/doc/offering/{k}.{f.ext}" for k in keys for f in DOCUMENT_FORMATS]
    pages = ["/", "/catalog", "/ontology", "/sitemap.xml", "/.well-known/void"]
    pages += [f"/catalog/adms?page={n}" for n in range(1, 40)]
    pages += [f"/doc/supplier/{k}" for k in bench.keys("supplier", 100)]
    work = Path(tempfile.mkdtemp(prefix="bench-serving-"))
    port = free_port()
    counts = {"requests": 0, "errors": 0}
    lock = threading.Lock()
    with ours(work, publication, port, workers, {}) as server:
        meter = Meter(server.process.pid)
        meter.start()
        pss = [pss_mb(server.pids())]
        roles = pss_by_role(server.pids())  # at the highest PSS seen
        stop_at = time.monotonic() + seconds

        def client(n: int) -> None:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            i = n
            while time.monotonic() < stop_at:
                path = pages[i % len(pages)] if i % 5 == 0 else paths[i % len(paths)]
                i += clients
                try:
                    conn.request("GET", path, headers={"Accept": BROWSER})
                    reply = conn.getresponse()
                    reply.read()
                    ok = reply.status in (200, 304)
                except OSError:
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                    ok = False
                with lock:
                    counts["requests"] += 1
                    counts["errors"] += not ok

        threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
        for thread in threads:
            thread.start()
        while any(t.is_alive() for t in threads):
            time.sleep(0.5)
            meter.update()
            pss.append(pss_mb(server.pids()))
            if pss[-1] >= max(pss):
                roles = pss_by_role(server.pids())
        cpu = meter.seconds()
    shutil.rmtree(work, ignore_errors=True)
    n = max(1, counts["requests"])
    print(
        f"\nserver under load ({clients} clients, {seconds:g} s, {workers} web processes): "
        f"{counts['requests']} requests, {counts['errors']} errors, "
        f"{cpu * 1000 / n:.2f} ms server CPU per request (all processes), "
        f"PSS idle {pss[0]:.0f} MB, highest {max(pss):.0f} MB (target < 600 MB: "
        f"{'ok' if max(pss) < 600 else 'OVER'})"
    )
    print(
        "  PSS at its highest by process role (web = the server process and its web "
        "processes): "
        + ", ".join(f"{role} {n} × = {mb:.0f} MB" for role, (n, mb) in sorted(roles.items()))
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--offerings", type=int, nargs="*", default=[])
    parser.add_argument("--out", type=Path, nargs="*", default=[])
    parser.add_argument("--samples", type=int, default=40, help="documents per cold figure")
    parser.add_argument(
        "--load",
        type=float,
        default=0,
        metavar="SECONDS",
        help="also run a real server under concurrent clients for SECONDS (PSS, CPU/request)",
    )
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=3, help="web processes under --load")
    args = parser.parse_args(argv)
    outs = [(f"{n:,} offerings", build(n)) for n in args.offerings]
    outs += [(str(o), o) for o in args.out]
    if not outs:
        parser.error("give --offerings N … or --out DIR …")
    for title, out in outs:
        figures = run(out, args.samples)
        print(f"\n{title} ({out})")
        print(
            f"  {'request':<44} {'CPU med':>9} {'CPU p90':>9} {'CPU max':>9} {'wall med':>9}"
            "  target (ms)"
        )
        for figure in figures:
            print(figure.row())
        if args.load:
            load(out, args.clients, args.load, args.workers)


if __name__ == "__main__":
    main()
