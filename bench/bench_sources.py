"""Benchmark: reading and mapping the sources, per phase, against the floor and the old way.

    python bench/bench_sources.py [--offerings 1000 5000] [--repeat 3]

For each size it generates the sources (bench/generate.py, same bytes every run) and
prints CPU seconds (user+sys, the figure to compare on a shared machine) and wall seconds,
best of ``--repeat`` runs, for:

* YAML: the peer, PyYAML's own C loader (``yaml.load`` with ``CSafeLoader``: libyaml
  parses, PyYAML's Python constructor builds; no line numbers, no checks); our loader
  (libyaml events → dicts with line numbers, limits checked); and PyYAML's pure-Python
  loader with line numbers (what ``publisher/sources.py`` did before);
* read: ``read_catalogue`` (load + every field check + cross-file checks);
* map: ``map_parts`` (records → N-Triples, per file) against building an rdflib graph
  of the same triples (what the mapping did before), and ``pyoxigraph.parse`` of the
  result (the floor for anything that reads the triples back);
* peak RSS of the process so far.
"""

from __future__ import annotations

import argparse
import gc
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import yaml
from rdflib import Graph

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from bench.generate import generate  # noqa: E402
from publisher.config import Settings  # noqa: E402
from publisher.mapping import add_ntriples, map_parts  # noqa: E402
from publisher.mapping.vocabulary import known_ids, load_vocabulary  # noqa: E402
from publisher.sources import SourceLimits, load_yaml_text, read_catalogue  # noqa: E402
from publisher.uris import UriScheme  # noqa: E402


class _LineDict(dict[str, Any]):
    lines: dict[str, int]
    line: int


class _PurePythonLines(yaml.SafeLoader):
    """The loader publisher/sources.py used before: pure Python, a line per key."""


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> _LineDict:
    loader.flatten_mapping(node)
    result = _LineDict()
    result.lines = {}
    result.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        result[key] = loader.construct_object(value_node, deep=True)
        result.lines[str(key)] = key_node.start_mark.line + 1
    return result


_PurePythonLines.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,
)


def measure(function: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    """(best CPU s, best wall s, last result)."""
    best_cpu = best_wall = float("inf")
    result = None
    for _ in range(repeat):
        gc.collect()
        cpu, wall = time.process_time(), time.perf_counter()
        result = function()
        best_cpu = min(best_cpu, time.process_time() - cpu)
        best_wall = min(best_wall, time.perf_counter() - wall)
    return best_cpu, best_wall, result


def row(name: str, cpu: float, wall: float, note: str = "") -> None:
    print(f"  {name:<44} {cpu:8.2f} {wall:8.2f}  {note}")


def run(offerings: int, repeat: int, work: Path) -> None:
    data = work / f"data-{offerings}"
    generate(data, offerings)
    files = sorted((data / "suppliers").glob("*.yaml"))
    blobs = [path.read_bytes() for path in files]
    texts = [blob.decode("utf-8") for blob in blobs]
    size = sum(map(len, blobs))
    settings = Settings(data_dir=data)
    uris = UriScheme(settings.base_uri)
    vocabulary = load_vocabulary(settings.ontology_dir, uris)
    known = known_ids(vocabulary, uris)
    limits = SourceLimits()
    print(f"\n{offerings} offerings: {len(files)} supplier files, {size / 1e6:.1f} MB of YAML")
    print(f"  {'phase':<44} {'CPU s':>8} {'wall s':>8}")

    cpu, wall, _ = measure(lambda: [yaml.load(t, Loader=yaml.CSafeLoader) for t in texts], repeat)
    row("YAML peer: PyYAML CSafeLoader, no lines", cpu, wall)
    peer = cpu
    cpu, wall, _ = measure(lambda: [load_yaml_text(b, limits) for b in blobs], repeat)
    row("YAML ours: libyaml events, lines, limits", cpu, wall, f"{cpu / peer:.1f}x the peer")
    ours = cpu
    cpu, wall, _ = measure(lambda: [yaml.load(t, Loader=_PurePythonLines) for t in texts], 1)
    row("YAML before: pure-Python PyYAML with lines", cpu, wall, f"{cpu / ours:.1f}x ours")

    cpu, wall, catalogue = measure(lambda: read_catalogue(data, known, limits=limits), repeat)
    row("read_catalogue (load + field checks)", cpu, wall, f"{len(catalogue.offerings)} offerings")

    cpu, wall, parts = measure(lambda: map_parts(catalogue, uris), repeat)
    text = "".join(part.ntriples for part in parts)
    lines = text.count("\n")
    row("map_parts: records → N-Triples", cpu, wall, f"{lines} triples")
    mapped = cpu
    cpu, wall, _ = measure(lambda: list(ox.parse(text, format=ox.RdfFormat.N_TRIPLES)), repeat)
    row("floor: pyoxigraph.parse of those N-Triples", cpu, wall)

    def rdflib_graph() -> Graph:
        graph = Graph()
        add_ntriples(graph, text)
        return graph

    cpu, wall, _ = measure(rdflib_graph, 1)
    row("before: the same triples into an rdflib graph", cpu, wall, f"{cpu / mapped:.1f}x ours")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak RSS so far: {peak:.0f} MB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--offerings", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (best is shown)")
    args = parser.parse_args(argv)
    print("CPU s = user+sys of this process; on a shared machine compare CPU, not wall.")
    with tempfile.TemporaryDirectory(prefix="bench-sources-") as work:
        for offerings in args.offerings:
            run(offerings, args.repeat, Path(work))
    return 0


if __name__ == "__main__":
    sys.exit(main())
