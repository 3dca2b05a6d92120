"""Benchmark (not a test): every example query at scale, the new text against the old one.

    python bench/bench_examples.py OUT|PUBLICATION|STORE [--runs 5] [--only SLUG ...]
                                   [--old-runs 1] [--no-old] [--endpoint] [--base URI]

The examples are sparql_endpoint/queries/*.rq (the new texts); their texts before they were
rewritten for speed are tests/sparql_endpoint/examples_before/*.rq (the old ones). Both run
on one publication's store (``avoinkunta build --out OUT``: OUT, or a publication folder,
or a store folder), opened read-only with pyoxigraph, the engine our query workers run,
as a worker runs them: the union of the named graphs as the default graph, the engine
serialising the result (SPARQL TSV, N-Triples for a CONSTRUCT) and stopped once past the
endpoint's row cap (10,000), as the worker caps it.

For each example it prints:

* **new ms / cpu**: the median over ``--runs`` runs after one warm-up run of the wall time
  and of this process's CPU time (user + system) of the query: evaluated and serialised
  by the engine as above (the answer's JSON for the client is not written);
* **old ms / cpu**: the same for the old text (median of ``--old-runs`` runs, no warm-up:
  the new text's runs have warmed the store's caches);
* **rows**: how many rows (triples for a CONSTRUCT) the new text answers, and the old one
  (``cut`` when it has more than the row cap: the endpoint cuts it there);
* **answers**: ``same`` (same rows in the same order), ``same, ties reordered`` (same rows;
  rows with equal ORDER BY keys come in another order, which ORDER BY leaves open),
  ``first N of old`` (the new text has a LIMIT N: its rows are the old answer's first N,
  ties at the cut aside; for a CONSTRUCT: every resource it describes, it describes as
  the old answer does), or ``DIFFERENT``;
* **<= 1 s**: ``yes`` if the new text's median wall time is at most 1,000 ms.

With ``--endpoint`` the new texts also go through our endpoint (the Flask app with its
broker and one query worker, results cache off, JSON results): median wall ms and CPU ms
of the whole endpoint (this process and its workers) per request, after one warm-up.

Timings on a shared machine are noisy: the CPU figures are the steadier ones, and the
machine's load average is printed first. Run it with ``nice -n 10`` when others work.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from publisher.sparql_mount import sparql_host, sparql_prefixes
from sparql_endpoint.examples import QUERIES_DIR, Example, examples
from sparql_endpoint.vocabulary import prologue
from sparql_endpoint.worker import _capped as capped_result

ROOT = Path(__file__).resolve().parents[1]

OLD_DIR = ROOT / "tests" / "sparql_endpoint" / "examples_before"
CAP = 10_000  # the endpoint's row cap (SparqlSettings.max_rows)
GOAL_MS = 1000.0

Row = tuple[str | None, ...]
Answer = bool | list[Row] | set[str]


@dataclass
class Timing:
    wall_ms: float
    cpu_ms: float


@dataclass
class Outcome:
    timing: Timing
    answer: Answer
    cut: bool


def find_store(path: Path) -> tuple[Path, str | None]:
    """The store folder, and the base URI from the publication's manifest if there is one."""
    import json

    for candidate in (path / "current", path):
        if (candidate / "store" / "CURRENT").exists():
            manifest = candidate / "manifest.json"
            base = json.loads(manifest.read_text())["base_uri"] if manifest.exists() else None
            return candidate / "store", base
    if (path / "CURRENT").exists():
        return path, None
    raise SystemExit(f"{path}: neither an OUT folder, a publication nor a store")


def old_text(example: Example) -> str | None:
    matches = sorted(OLD_DIR.glob(f"*-{example.slug}.rq"))
    return matches[0].read_text(encoding="utf-8") if matches else None


def full_query(body: str, prefixes: dict[str, str]) -> str:
    return prologue(prefixes, body) + "\n\n" + body


@dataclass
class Evaluated:
    result: bool | bytes  # ASK's answer, or SPARQL TSV (solutions) / N-Triples (triples)
    graph: bool
    cut: bool
    timing: Timing


def evaluate(store: ox.Store, query: str, rows: int | None = CAP) -> Evaluated:
    """Run ``query`` as our workers do: the engine evaluates and serialises it (SPARQL TSV,
    N-Triples), taking at most ``rows`` rows (None: all of them); timed, wall and CPU."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = store.query(query, use_default_graph_as_union=True)
    if isinstance(result, ox.QueryBoolean):
        answer: bool | bytes = bool(result)
        graph = cut = False
    else:
        graph = isinstance(result, ox.QueryTriples)
        if rows is None:
            out = io.BytesIO()
            if isinstance(result, ox.QueryTriples):
                result.serialize(out, ox.RdfFormat.N_TRIPLES)
            else:
                result.serialize(out, ox.QueryResultsFormat.TSV)
            answer, cut = out.getvalue(), False
        else:
            answer, cut = capped_result(result, rows)  # exactly as a worker caps it
    timing = Timing((time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000)
    return Evaluated(answer, graph, cut, timing)


def as_answer(evaluated: Evaluated) -> Answer:
    """Rows (tuples of terms in N-Triples syntax, None when unbound), a set of N-Triples
    lines, or a boolean."""
    result = evaluated.result
    if isinstance(result, bool):
        return result
    if evaluated.graph:
        return {line.removesuffix(" .") for line in result.decode().splitlines() if line}
    parsed = ox.parse_query_results(result, ox.QueryResultsFormat.TSV)
    assert isinstance(parsed, ox.QuerySolutions)
    names = [v.value for v in parsed.variables]
    return [tuple(None if row[n] is None else str(row[n]) for n in names) for row in parsed]


def variables_of(store: ox.Store, query: str) -> list[str]:
    result = store.query(query, use_default_graph_as_union=True)
    if isinstance(result, ox.QuerySolutions):
        return [v.value for v in result.variables]
    return []


def measure(store: ox.Store, query: str, runs: int, warm_up: bool = True) -> Outcome:
    """``runs`` timed runs (after a warm-up run unless told not to), as a worker runs it."""
    evaluated = evaluate(store, query)
    timings = [] if warm_up else [evaluated.timing]
    while len(timings) < runs:
        evaluated = evaluate(store, query)
        timings.append(evaluated.timing)
    median = Timing(
        statistics.median(t.wall_ms for t in timings), statistics.median(t.cpu_ms for t in timings)
    )
    return Outcome(median, as_answer(evaluated), evaluated.cut)


def order_keys(text: str, variables: Sequence[str]) -> list[int] | None:
    """Column indexes of the ORDER BY variables, if they are all projected."""
    match = re.search(r"ORDER BY (.*)$", text, re.MULTILINE)
    if not match:
        return None
    names = re.findall(r"\?(\w+)", match.group(1))
    if not names or any(name not in variables for name in names):
        return None
    return [list(variables).index(name) for name in names]


def compare(old: Outcome, new: Outcome, old_body: str, variables: Sequence[str]) -> str:
    a, b = old.answer, new.answer
    if isinstance(a, bool) or isinstance(b, bool):
        return "same" if a == b else "DIFFERENT"
    if isinstance(a, set) or isinstance(b, set):
        assert isinstance(a, set) and isinstance(b, set)
        if a == b:
            return "same"
        return _graph_prefix(a, b) if old.cut else "DIFFERENT"
    assert isinstance(a, list) and isinstance(b, list)
    if a == b:
        return "same"
    keys = order_keys(old_body, variables)
    if old.cut or len(b) < len(a):
        if keys is None:
            return "DIFFERENT (cannot compare a cut answer without ORDER BY keys)"
        return _first_rows(a, b, keys)
    if Counter(a) != Counter(b):
        return "DIFFERENT"
    if keys is None:
        return "same rows, other order (ORDER BY not on projected columns)"
    if [tuple(r[k] for k in keys) for r in a] == [tuple(r[k] for k in keys) for r in b]:
        return "same, ties reordered"
    return "DIFFERENT order"


def _first_rows(old: list[Row], new: list[Row], keys: list[int]) -> str:
    """Is ``new`` the first len(new) rows of ``old``, ties (equal keys) in any order?"""
    if len(new) > len(old):
        return "DIFFERENT"

    def key(row: Row) -> tuple[str | None, ...]:
        return tuple(row[k] for k in keys)

    if [key(r) for r in new] != [key(r) for r in old[: len(new)]]:
        return "DIFFERENT"
    old_groups: dict[tuple[str | None, ...], Counter[Row]] = {}
    for row in old:
        old_groups.setdefault(key(row), Counter())[row] += 1
    new_groups: dict[tuple[str | None, ...], Counter[Row]] = {}
    for row in new:
        new_groups.setdefault(key(row), Counter())[row] += 1
    last = key(new[-1]) if new else None
    for group, rows in new_groups.items():
        wanted = old_groups[group]
        if group == last:  # the group the LIMIT may cut: a part of the old one
            if rows - wanted:
                return "DIFFERENT"
        elif rows != wanted:
            return "DIFFERENT"
    return f"first {len(new)} of old"


def _graph_prefix(old: set[str], new: set[str]) -> str:
    """Does ``new`` describe every subject it names exactly as ``old`` does?"""
    if not new <= old:
        return "DIFFERENT"

    def subject(triple: str) -> str:
        return triple.split(" ", 1)[0]

    subjects = {subject(t) for t in new}
    if {t for t in old if subject(t) in subjects} != new:
        return "DIFFERENT"
    return f"first {len(subjects)} resources of old"


def endpoint_client(store: Path, base: str) -> tuple[Callable[[str], Timing], Callable[[], None]]:
    """A function that sends a query through our endpoint's app; and one to close it."""
    import flask
    from sparql_servers import cpu_seconds, tree

    import sparql_endpoint
    from sparql_endpoint.settings import SparqlSettings

    settings = SparqlSettings(
        workers=1,
        reserved_workers=0,
        result_cache_mb=0,
        timeout=120,
        queue_wait=120,
        per_client_concurrency=0,
        client_budget=0,
        client_burst=0,
        worker_nice=0,
    )
    app = flask.Flask("bench-examples")
    endpoint = sparql_endpoint.init_app(
        app, store_path=lambda: store, host=sparql_host(base), settings=settings
    )
    if not endpoint.start(wait=120):
        raise SystemExit("the endpoint's workers did not start")
    client = app.test_client()

    def ask(query: str) -> Timing:
        pids = tree(os.getpid())
        cpu, wall = cpu_seconds(pids), time.perf_counter()
        response = client.get(
            "/sparql",
            query_string={"query": query},
            headers={"Accept": "application/sparql-results+json, application/n-triples;q=0.9"},
        )
        response.get_data()
        wall_ms = (time.perf_counter() - wall) * 1000
        cpu_ms = (cpu_seconds(tree(os.getpid())) - cpu) * 1000
        if response.status_code != 200:
            raise SystemExit(f"the endpoint answered {response.status_code}: {response.text}")
        return Timing(wall_ms, cpu_ms)

    return ask, endpoint.close


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", type=Path, help="OUT folder, publication folder or store")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each new text")
    parser.add_argument("--old-runs", type=int, default=1, help="timed runs of each old text")
    parser.add_argument("--no-old", action="store_true", help="do not run the old texts")
    parser.add_argument("--endpoint", action="store_true", help="also through our endpoint")
    parser.add_argument("--only", nargs="*", default=[], help="these examples only (slugs)")
    parser.add_argument("--base", help="base URI (default: from the publication manifest)")
    args = parser.parse_args()

    store_path, manifest_base = find_store(args.path)
    base = args.base or manifest_base or "http://localhost:8080/"
    prefixes = sparql_prefixes(base)
    store = ox.Store.read_only(str(store_path))
    chosen = [e for e in examples() if not args.only or e.slug in args.only]
    print(
        f"store {store_path}, base {base}; {os.cpu_count()} CPUs, "
        f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}; "
        f"{args.runs} runs (old: {0 if args.no_old else args.old_runs}) after a warm-up, "
        f"medians; examples from {QUERIES_DIR.relative_to(ROOT)}, old texts from "
        f"{OLD_DIR.relative_to(ROOT)}"
    )
    ask, close = endpoint_client(store_path, base) if args.endpoint else (None, None)
    header = (
        f"{'example':32s} {'new ms':>7s} {'cpu':>6s} {'old ms':>7s} {'cpu':>6s} "
        f"{'rows':>6s} {'old rows':>8s}  {'<= 1 s':6s} "
        + ("endpoint ms   cpu  " if ask else "")
        + "answers"
    )
    print(header)
    slow: list[str] = []
    slow_endpoint: list[str] = []
    try:
        for example in chosen:
            query = example.text(prefixes)
            new = measure(store, query, args.runs)
            variables = variables_of(store, query)
            old_body = old_text(example)
            old = None
            if old_body is not None and not args.no_old:
                old_query = full_query(old_body, prefixes)
                old = measure(store, old_query, max(1, args.old_runs), warm_up=False)
                if old.cut and isinstance(old.answer, set):
                    # A cut CONSTRUCT: compare against the whole old graph (not timed).
                    old.answer = as_answer(evaluate(store, old_query, None))
            verdict = "yes" if new.timing.wall_ms <= GOAL_MS else "NO"
            if verdict != "yes":
                slow.append(example.slug)
            rows = _count(new)
            line = f"{example.slug:32s} {new.timing.wall_ms:7.0f} {new.timing.cpu_ms:6.0f} "
            if old is not None:
                line += f"{old.timing.wall_ms:7.0f} {old.timing.cpu_ms:6.0f} "
            else:
                line += f"{'-':>7s} {'-':>6s} "
            line += f"{rows:>6s} {_count(old) if old else '-':>8s}  {verdict:6s} "
            if ask is not None:
                ask(query)  # warm-up
                timings = [ask(query) for _ in range(args.runs)]
                wall = statistics.median(t.wall_ms for t in timings)
                cpu = statistics.median(t.cpu_ms for t in timings)
                line += f"{wall:11.0f} {cpu:5.0f}  "
                if wall > GOAL_MS:
                    slow_endpoint.append(example.slug)
            if old is None:
                line += "-"
            elif old_body is not None:
                line += compare(old, new, old_body, variables)
            print(line, flush=True)
    finally:
        if close is not None:
            close()
    print(
        f"\n{len(chosen) - len(slow)} of {len(chosen)} examples answer in <= 1 s "
        f"(engine, median wall)" + (f"; over: {', '.join(slow)}" if slow else "")
    )
    if ask is not None:
        print(
            f"{len(chosen) - len(slow_endpoint)} of {len(chosen)} through the endpoint"
            + (f"; over: {', '.join(slow_endpoint)}" if slow_endpoint else "")
        )


def _count(outcome: Outcome) -> str:
    answer = outcome.answer
    if isinstance(answer, bool):
        return str(answer).lower()
    return "cut" if outcome.cut or len(answer) > CAP else str(len(answer))


if __name__ == "__main__":
    main()
