"""Benchmark of the site index and search at catalogue scale (not a test).

    python bench/bench_search.py [--offerings 30000] [--repeat 200] [--no-tantivy]

1. Sources from bench/generate.py (deterministic), mapped to RDF and loaded into a
   pyoxigraph store once (cached under var/bench/search-N/; the SHACL validation of a full
   build is not part of what is measured here).
2. The site index written from that store, cold and then reusing the word analyses of the
   first (each in its own process: wall, CPU user+sys, peak RSS), and its size.
3. Request-time calls on that index, each repeated: search (common words, inflected forms,
   compounds, typos that need "did you mean", two words), facet counts and a page of
   cards under selections, and as-you-type suggestions; median, 95th percentile and max
   wall time, and CPU per call.
4. In the same run, for comparison: the floor (one bare FTS5 MATCH of one term, ranked, top
   20: what SQLite costs without our analysis and facets), the peer the site had before (a
   substring scan over every document's folded texts), and tantivy (the Rust search
   library, over the same analysed terms) when it is installed (`pip install tantivy`).

Figures from a shared machine are noisy: compare the rows of one run, and CPU over wall.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(PROJECT / "bench"))

BASE = "http://localhost:8080/"


# --- 1. the store ---------------------------------------------------------------------


def ensure_store(offerings: int, work: Path) -> Path:
    """The pyoxigraph store of ``offerings`` generated offerings (made once)."""
    store_dir = work / "store"
    if (work / "store.done").exists():
        return store_dir
    import generate  # bench/generate.py
    import pyoxigraph as ox

    from publisher.mapping import map_catalogue
    from publisher.mapping.vocabulary import known_ids, load_vocabulary
    from publisher.sources import read_catalogue
    from publisher.uris import UriScheme

    data = PROJECT / "var" / "bench" / f"data-{offerings}"
    if not data.exists():
        print(f"generating {offerings} offerings into {data} ...", flush=True)
        generate.main(["--offerings", str(offerings), "--out", str(data)])
    started = time.perf_counter()
    uris = UriScheme(BASE)
    vocabulary = load_vocabulary(PROJECT / "ontology", uris)
    catalogue = read_catalogue(data, known_ids(vocabulary, uris))
    try:  # the mapping to N-Triples text per source file (publisher.mapping.map_parts)
        from publisher.mapping import map_parts

        catalogue_graph = f"<{uris.graph('catalogue')}>"
        text = "".join(part.ntriples for part in map_parts(catalogue, uris))
        nquads = text.replace(" .\n", f" {catalogue_graph} .\n").encode("utf-8")
        vocabulary_nt = vocabulary.serialize(format="nt", encoding="utf-8").decode("utf-8")
        nquads += vocabulary_nt.replace(" .\n", f" <{uris.graph('vocabulary')}> .\n").encode()
    except ImportError:
        mapped = map_catalogue(catalogue, uris, vocabulary)
        nquads = mapped.dataset(uris).serialize(format="nquads", encoding="utf-8")
        del mapped
    del catalogue
    gc.collect()
    shutil.rmtree(store_dir, ignore_errors=True)
    store_dir.mkdir(parents=True)
    store = ox.Store(str(store_dir))
    store.bulk_load(nquads, format=ox.RdfFormat.N_QUADS)
    store.optimize()
    store.flush()
    count = len(store)
    del store
    gc.collect()
    (work / "store.done").write_text(str(count))
    ensure_dump(store_dir)
    print(f"store: {count} quads, made in {time.perf_counter() - started:.0f} s", flush=True)
    return store_dir


def ensure_dump(store_dir: Path) -> Path:
    """The store as N-Quads (the build writes the same dump; the index reads it)."""
    import pyoxigraph as ox

    dump = store_dir.parent / "avoinkunta.nq"
    if not dump.exists():
        store = ox.Store.read_only(str(store_dir))
        store.dump(str(dump), format=ox.RdfFormat.N_QUADS)
        del store
    return dump


# --- 2. writing the index ---------------------------------------------------------------

WRITE = """
import json, resource, sys, time
from pathlib import Path
sys.path.insert(0, {project!r})
from publisher.siteindex import write_site_index
def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
previous = {previous}
wall, started = time.perf_counter(), cpu()
path = write_site_index(Path({folder!r}), store_path=Path({store!r}), base_uri={base!r},
                        previous=previous and Path(previous), dump=Path({dump!r}))
print(json.dumps({{"wall": time.perf_counter() - wall, "cpu": cpu() - started,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "bytes": path.stat().st_size}}))
"""


def write_index(store: Path, folder: Path, previous: Path | None) -> dict[str, float]:
    folder.mkdir(parents=True, exist_ok=True)
    code = WRITE.format(
        project=str(PROJECT),
        folder=str(folder),
        store=str(store),
        base=BASE,
        previous=repr(str(previous)) if previous else "None",
        dump=str(store.parent / "avoinkunta.nq"),
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


# --- 3. timing calls ------------------------------------------------------------------


def timed(call: Callable[[], object], repeat: int) -> dict[str, float]:
    call()  # warm: first use loads bitmaps, vocabularies, caches
    walls, cpus = [], []
    for _ in range(repeat):
        cpu, wall = time.process_time(), time.perf_counter()
        call()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    walls.sort()
    return {
        "median_ms": statistics.median(walls) * 1000,
        "p95_ms": walls[int(len(walls) * 0.95) - 1] * 1000,
        "max_ms": walls[-1] * 1000,
        "cpu_ms": statistics.mean(cpus) * 1000,
    }


def row(name: str, figures: dict[str, float], note: str = "") -> None:
    print(
        f"  {name:44} {figures['median_ms']:8.2f} {figures['p95_ms']:8.2f} "
        f"{figures['max_ms']:8.2f} {figures['cpu_ms']:8.2f}  {note}",
        flush=True,
    )


def header(title: str) -> None:
    print(f"\n{title}\n  {'call':44} {'median':>8} {'p95':>8} {'max':>8} {'cpu':>8}  (ms)")


# --- 4. peers -------------------------------------------------------------------------


def substring_peer(index_file: Path) -> Callable[[str], list[int]]:
    """What the site's /search did before the index: every word of the query as a
    substring of a document's folded title, keywords or description."""
    from publisher.search.analysis import fold
    from publisher.siteindex import SiteIndex

    index = SiteIndex(index_file)
    docs = []
    for entity in index.entities("offering"):
        card = index.card(entity.key) or {}
        detail = index.detail(entity.key) or {}
        docs.append(
            (
                entity.id,
                fold(" ".join(card.get("title", {}).values())),
                fold(" ".join(w for ws in detail.get("keywords", {}).values() for w in ws)),
                fold(" ".join(detail.get("description", {}).values())),
            )
        )

    def search(query: str) -> list[int]:
        words = [fold(w) for w in query.split()]
        scored = []
        for entity_id, *fields in docs:
            score = 0
            for word in words:
                hits = [3 - i for i, text in enumerate(fields) if word in text]
                if not hits:
                    break
                score += max(hits)
            else:
                scored.append((-score, entity_id))
        return [e for _, e in sorted(scored)]

    return search


def tantivy_peer(
    index_file: Path, folder: Path
) -> tuple[Callable[[str], list[int]], dict[str, float]] | None:
    """tantivy over the same analysed terms the FTS5 table holds (the `word` table
    rebuilds each document's term stream), queried with the same term alternatives."""
    try:
        import tantivy
    except ImportError:
        return None
    from publisher.search.analysis import default_analyser, query_words
    from publisher.siteindex.extract import read_store
    from publisher.siteindex.model import build_model
    from publisher.siteindex.writer import Terms, _fields
    from publisher.uris import UriScheme

    db = sqlite3.connect(f"file:{index_file}?mode=ro&immutable=1", uri=True)
    cache = {
        (lang, w): terms for lang, w, terms in db.execute("SELECT lang, word, terms FROM word")
    }
    store = Path(str(index_file).replace("/index-cold/siteindex.sqlite", "/store"))
    model = build_model(read_store(store, UriScheme(BASE)))
    analyse = Terms(default_analyser(), cache)
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("id", stored=True, indexed=True)
    for name in ("title", "keywords", "names", "body"):
        builder.add_text_field(name, stored=False, tokenizer_name="whitespace")
    schema = builder.build()
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    cpu, wall = time.process_time(), time.perf_counter()
    index = tantivy.Index(schema, path=str(folder))
    writer = index.writer(heap_size=200_000_000, num_threads=1)
    for doc in model.docs:
        fields = {}
        for name, texts in zip(("title", "keywords", "names", "body"), _fields(doc), strict=True):
            fields[name] = analyse.field(texts, {})[0]  # (the words by language: unused)
        writer.add_document(tantivy.Document(id=doc.entity, **fields))
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    figures = {
        "wall": time.perf_counter() - wall,
        "cpu": time.process_time() - cpu,
        "bytes": sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()),
    }
    searcher = index.searcher()
    analyser = default_analyser()

    def search(query: str) -> list[int]:
        groups = []
        for word in query_words(analyser, query):
            alternatives = " OR ".join(
                f"{field}:{term}{boost}"
                for term in word.terms
                for field, boost in (
                    ("title", "^10"),
                    ("keywords", "^5"),
                    ("names", "^3"),
                    ("body", ""),
                )
            )
            groups.append(f"({alternatives})")
        if not groups:
            return []
        parsed = index.parse_query(" AND ".join(groups), ["title", "keywords", "names", "body"])
        hits = searcher.search(parsed, 20).hits
        return [searcher.doc(address)["id"][0] for _score, address in hits]

    return search, figures


# --- the run --------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--offerings", type=int, default=30000)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--no-tantivy", action="store_true")
    args = parser.parse_args(argv)
    work = PROJECT / "var" / "bench" / f"search-{args.offerings}"
    work.mkdir(parents=True, exist_ok=True)
    print(
        f"site index and search at {args.offerings} offerings (machine: {os.cpu_count()} "
        "cores, possibly shared; CPU = user+sys)"
    )
    store = ensure_store(args.offerings, work)
    ensure_dump(store)

    cold_dir, warm_dir = work / "index-cold", work / "index-reuse"
    for folder in (cold_dir, warm_dir):
        shutil.rmtree(folder, ignore_errors=True)
    cold = write_index(store, cold_dir, None)
    warm = write_index(store, warm_dir, cold_dir)
    index_file = cold_dir / "siteindex.sqlite"
    same = index_file.read_bytes() == (warm_dir / "siteindex.sqlite").read_bytes()
    print("\nwriting the index            wall s    CPU s  peak RSS MB   size MB")
    for name, f in (("cold", cold), ("reusing word analyses", warm)):
        print(
            f"  {name:26} {f['wall']:7.2f}  {f['cpu']:7.2f}  {f['rss_mb']:11.0f}  "
            f"{f['bytes'] / 1e6:8.1f}"
        )
    print(f"  same bytes both ways: {same}")

    from publisher.siteindex import Selection, SiteIndex

    index = SiteIndex(index_file)
    counts = index.counts()
    db = sqlite3.connect(f"file:{index_file}?mode=ro&immutable=1", uri=True)
    terms = db.execute("SELECT count(*) FROM term").fetchone()[0]
    print(f"  {counts['offering']} offerings, {counts['supplier']} suppliers, {terms} words")

    # queries: a supplier's name word and an offering title word from the index itself
    title_word = db.execute(
        "SELECT term FROM term WHERE named = 1 AND docs BETWEEN 2 AND 50 ORDER BY term LIMIT 1"
    ).fetchone()[0]
    typo = title_word[:2] + title_word[3] + title_word[2] + title_word[4:]  # swap 2 letters
    queries = {
        "common word (kartta)": "kartta",
        "inflected (kartat)": "kartat",
        "compound inflected (paikkatietoa)": "paikkatietoa",
        "two words (kunta palvelu)": "kunta palvelu",
        f"rare name word ({title_word})": title_word,
        f"typo → did you mean ({typo})": typo,
        "English (libraries)": "libraries",
        "nothing (qqqxyz)": "qqqxyz",
    }
    repeat = args.repeat
    header("search (SiteIndex.search: ranked page of 20 + facets over all matches)")
    for name, query in queries.items():
        result = index.search(query)
        row(
            name,
            timed(partial(index.search, query), repeat),
            f"{result.page.total} hits"
            + (f", did you mean {result.outcome.corrected}" if result.outcome.corrected else ""),
        )
    header("search without facets (SiteIndex.hits: every match ranked)")
    for name, query in list(queries.items())[:4]:
        row(name, timed(partial(index.hits, query), repeat))

    header("floor: one bare FTS5 MATCH, ranked, top 20 (no analysis, no facets)")

    def match(term: str) -> list[Any]:
        sql = "SELECT rowid FROM search WHERE search MATCH ? ORDER BY rank LIMIT 20"
        return db.execute(sql, (term,)).fetchall()

    for term in ("kartta", "palvelu"):
        row(
            f"MATCH '{term}'",
            timed(partial(match, term), repeat),
        )

    peer = substring_peer(index_file)
    header("peer: the site's search before (substring scan of every document)")
    for name, query in list(queries.items())[:2]:
        row(name, timed(partial(peer, query), max(3, repeat // 20)), f"{len(peer(query))} hits")

    if not args.no_tantivy:
        found = tantivy_peer(index_file, work / "tantivy")
        if found is None:
            print("\ntantivy: not installed (pip install tantivy) — skipped")
        else:
            search, figures = found
            print(
                f"\ntantivy over the same terms: written in {figures['wall']:.2f} s wall, "
                f"{figures['cpu']:.2f} s CPU (this process; the terms come from the "
                f"index's word cache), {figures['bytes'] / 1e6:.1f} MB"
            )
            header("tantivy: the same term alternatives, top 20 (no facets)")
            for name, query in list(queries.items())[:5]:
                row(name, timed(partial(search, query), repeat), f"{len(search(query))} shown")

    header("facets and pages (SiteIndex.facets / page)")
    selections = {
        "everything": Selection(),
        "GIS + open source + no licence fee": Selection.of(
            component="spatial-data", open="yes", pricing="no-licence-fee"
        ),
        "two layers, a route": Selection.of(
            layer=["service-channels", "domain-solutions"], route="direct-purchase"
        ),
    }
    for name, selection in selections.items():
        total = len(index.select(selection))
        row(
            f"facets: {name}",
            timed(partial(index.facets, selection, top=15), repeat),
            f"{total} offerings",
        )
        row(f"page 1 by name: {name}", timed(partial(index.page, selection), repeat))
        last = max(1, -(-total // 20))
        row(
            f"last page by supplier: {name}",
            timed(partial(index.page, selection, sort="supplier", number=last), repeat),
        )

    header("suggest (SiteIndex.suggest: as-you-type, 8 suggestions)")
    for prefix in ("k", "ka", "kar", "kart", "karttapa", title_word[:5]):
        row(
            f"suggest {prefix!r}",
            timed(partial(index.suggest, prefix), repeat * 5),
            ", ".join(s.label.text for s in index.suggest(prefix)[:3]),
        )

    header("did you mean, alone, against a larger vocabulary")
    engine = index._engine
    vocabulary = engine._load_vocabulary(db)
    row(
        f"nearest('{typo}') over {len(vocabulary.terms)} words",
        timed(lambda: engine.nearest(db, typo), repeat),
    )
    with tempfile.TemporaryDirectory():
        import random

        from publisher.search.engine import _Vocabulary

        rng = random.Random(0)
        letters = "abcdefghijklmnopqrstuvwxyzäö"
        extra = sorted(
            {
                "".join(rng.choice(letters) for _ in range(rng.randint(4, 14)))
                for _ in range(200_000)
            }
            | set(vocabulary.terms)
        )
        engine._vocabulary = _Vocabulary(
            extra, [1] * len(extra), [False] * len(extra), {t: i for i, t in enumerate(extra)}
        )
        row(
            f"nearest('{typo}') over {len(extra)} words",
            timed(lambda: engine.nearest(db, typo), max(20, repeat // 5)),
        )
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(
        f"\nthis process: {usage.ru_utime + usage.ru_stime:.1f} s CPU, "
        f"peak RSS {usage.ru_maxrss / 1024:.0f} MB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
