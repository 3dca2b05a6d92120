"""End to end: `avoinkunta serve` with the store in memory and the workers as threads of
one process (`worker_threads`), set from the environment as a deployment would, answers
every example query as the default server does (``live_server``, tests/conftest.py)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from sparql_server import serve
from SPARQLWrapper import JSON, SPARQLWrapper

from sparql_endpoint.examples import examples

pytestmark = pytest.mark.e2e

THREADED = {
    "AVOINKUNTA_SPARQL_STORE_IN_MEMORY": "true",
    "AVOINKUNTA_SPARQL_WORKERS": "4",
    "AVOINKUNTA_SPARQL_RESERVED_WORKERS": "1",
    "AVOINKUNTA_SPARQL_WORKER_THREADS": "4",
}
UNORDERED = re.compile(r"\bLIMIT\b", re.IGNORECASE)


def _rows(endpoint: str, base: str, query: str) -> list[str]:
    client = SPARQLWrapper(endpoint)
    client.setQuery(query)
    client.setReturnFormat(JSON)
    result = client.query().convert()
    assert isinstance(result, dict)
    if "boolean" in result:
        return [str(result["boolean"])]
    text = json.dumps(result["results"]["bindings"]).replace(base, "BASE/")
    return sorted(json.dumps(row, sort_keys=True) for row in json.loads(text))


def _worker_processes(out_dir: Path) -> tuple[list[int], list[int]]:
    """The store host and its worker processes serving the publications in ``out_dir``."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().decode(errors="replace")
            parent = int((entry / "stat").read_text().rpartition(")")[2].split()[1])
        except OSError:
            continue
        if "store_host" in command and str(out_dir) in command:
            found[int(entry.name)] = parent
    hosts = [pid for pid, parent in found.items() if parent not in found]
    return hosts, [pid for pid in found if pid not in hosts]


def test_threads_in_memory_answer_every_example_as_the_default_server(
    live_server, tmp_path: Path
) -> None:
    with serve(tmp_path, THREADED) as served:
        hosts, workers = _worker_processes(served.out_dir)
        assert len(hosts) == 1 and len(workers) == 1, (hosts, workers)
        assert len(os.listdir(f"/proc/{workers[0]}/task")) >= 4  # a thread per worker
        prefixes = {
            "threaded": (served.sparql, served.url),
            "default": (live_server.url + "sparql", live_server.url),
        }
        for example in examples():
            if example.body.lstrip().upper().startswith(("CONSTRUCT", "DESCRIBE")):
                continue  # graphs: compared by bench_sparql and the unit tests
            if UNORDERED.search(example.body) and "ORDER BY" not in example.body.upper():
                continue  # any rows are a right answer: the stores keep other orders
            answers = {
                name: _rows(endpoint, base, example.text({}))
                for name, (endpoint, base) in prefixes.items()
            }
            assert answers["threaded"] == answers["default"], example.slug
