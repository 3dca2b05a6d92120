"""worker_threads: several workers as threads of one process, sharing its opened store.

The same answers as workers with a process each; queries side by side in one process; a
client that goes away does not stop the others' queries; a query over its time stops its
process, the other queries in it run again (once), and the pool comes back; a new
publication retires the old one's workers without stopping a query that still runs.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import flask
import pytest
from sparql_fixtures import BASE, make_app, submit_directly

import sparql_endpoint
from publisher.sparql_mount import sparql_host
from sparql_endpoint import wire
from sparql_endpoint.settings import SparqlSettings

# Slow layer (starts SPARQL worker processes): not in `make test-fast`.
pytestmark = pytest.mark.slow

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # runs for ever
QUERIES = [
    ("SELECT ?s ?label WHERE { ?s rdfs:label ?label } ORDER BY ?s ?label LIMIT 50", None),
    ("ASK { ?s a skos:Concept }", None),
    ("CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s rdfs:label ?l } ORDER BY ?s ?l LIMIT 20", "nt"),
]


def _until(condition: Callable[[], bool], limit: float = 60.0) -> None:
    deadline = time.monotonic() + limit
    while not condition():
        assert time.monotonic() < deadline, "never happened"
        time.sleep(0.01)


@pytest.mark.parametrize("in_memory", [False, True], ids=["on-disk", "in-memory"])
def test_threads_of_one_process_answer_as_processes_do(store_dir: Path, in_memory: bool) -> None:
    threaded = make_app(
        store_dir, workers=3, reserved_workers=1, worker_threads=3, store_in_memory=in_memory
    )
    alone = make_app(store_dir, workers=1, reserved_workers=0)
    try:
        status = threaded.extensions["sparql_endpoint"].status()
        assert status["workers"] == 3
        assert status["worker_processes"] == 1 and len(set(status["worker_pids"])) == 1
        for query, fmt in QUERIES:
            params = {"query": query, **({"format": fmt} if fmt else {})}
            ours = threaded.test_client().get("/sparql", query_string=params)
            theirs = alone.test_client().get("/sparql", query_string=params)
            assert ours.status_code == theirs.status_code == 200, ours.data[:300]
            assert ours.data == theirs.data and ours.data
    finally:
        threaded.extensions["sparql_endpoint"].close()
        alone.extensions["sparql_endpoint"].close()


def _nice_values(pid: int) -> dict[int, int]:
    """Each thread's nice value (Linux keeps one per thread), by thread id."""
    found = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        fields = (task / "stat").read_text().rpartition(")")[2].split()
        found[int(task.name)] = int(fields[16])  # field 19 of stat: nice
    return found


def test_reserved_and_general_workers_are_threads_at_their_own_priorities(
    store_dir: Path,
) -> None:
    app = make_app(store_dir, workers=3, reserved_workers=1, worker_threads=3, worker_nice=8)
    endpoint = app.extensions["sparql_endpoint"]
    try:
        status = endpoint.status()
        assert status["workers"] == 3 and status["worker_processes"] == 1
        pid = status["worker_pids"][0]
        nices = _nice_values(pid)
        base = nices[pid]  # the process's main thread: the store host's priority
        raised = sorted(n - base for n in nices.values() if n != base)
        assert raised == [2, 8, 8], nices  # the reserved worker 6 better than the others
    finally:
        endpoint.close()


@pytest.fixture()
def pair(store_dir: Path) -> Iterator[flask.Flask]:
    """Two workers, threads of one process."""
    app = make_app(store_dir, workers=2, reserved_workers=0, worker_threads=2)
    yield app
    app.extensions["sparql_endpoint"].close()


def test_queries_run_side_by_side_in_one_process(pair: flask.Flask) -> None:
    endpoint = pair.extensions["sparql_endpoint"]
    held = [submit_directly(pair, SLOW, f"10.0.0.{n}") for n in (1, 2)]
    _until(lambda: endpoint.status()["busy"] == 2)
    status = endpoint.status()
    assert status["worker_processes"] == 1 and status["queued"] == 0
    for reply in held:
        reply.abandon()


def test_a_client_that_goes_away_does_not_stop_the_others_queries(pair: flask.Flask) -> None:
    endpoint = pair.extensions["sparql_endpoint"]
    first = endpoint.status()
    held = submit_directly(pair, SLOW, "10.0.0.1")
    _until(lambda: endpoint.status()["busy"] == 1)
    held.abandon()  # with a process per query, the broker would kill its worker
    response = pair.test_client().get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"})
    assert response.status_code == 200 and json.loads(response.data)["boolean"] is True
    after = endpoint.status()
    assert after["restarts"] == 0
    assert after["worker_pids"] == first["worker_pids"]
    assert after["busy"] == 1  # the abandoned query runs on to its own time limit


@pytest.fixture()
def timed_pair(store_dir: Path) -> Iterator[flask.Flask]:
    """Two workers, threads of one process, under a time limit of 2 s."""
    app = make_app(store_dir, workers=2, reserved_workers=0, worker_threads=2, timeout=2)
    yield app
    app.extensions["sparql_endpoint"].close()


def test_a_query_over_its_time_stops_its_process_and_its_neighbour_runs_again(
    timed_pair: flask.Flask,
) -> None:
    endpoint = timed_pair.extensions["sparql_endpoint"]
    first = endpoint.status()
    neighbour = submit_directly(timed_pair, SLOW, "10.0.0.2")  # its own time: 300 s
    _until(lambda: endpoint.status()["busy"] == 1)
    response = timed_pair.test_client().get("/sparql", query_string={"query": SLOW})
    assert response.status_code == 503
    assert b"did not finish within 2 seconds" in response.data
    # The process it shared was stopped; the neighbour's query, none of whose answer
    # had gone out, runs again on the fresh process instead of failing (busy: it is
    # the only query, running; a refused one would be gone).
    _until(lambda: endpoint.status()["retried"] == 1 and endpoint.status()["busy"] == 1)
    after = endpoint.status()
    assert after["worker_processes"] == 1 and after["restarts"] >= 2
    assert set(after["worker_pids"]).isdisjoint(first["worker_pids"])
    response = timed_pair.test_client().get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"})
    assert response.status_code == 200
    neighbour.abandon()


def test_a_neighbour_runs_again_once_only(timed_pair: flask.Flask) -> None:
    """A query whose process is stopped a second time under it is answered 503: a query
    that itself brings its process down (were the engine to crash on it) cannot take
    every fresh process with it."""
    endpoint = timed_pair.extensions["sparql_endpoint"]
    neighbour = submit_directly(timed_pair, SLOW, "10.0.0.2")
    _until(lambda: endpoint.status()["busy"] == 1)
    for _ in range(2):
        response = timed_pair.test_client().get("/sparql", query_string={"query": SLOW})
        assert response.status_code == 503
    kind, error = neighbour.next()
    assert kind == wire.ERROR and error["status"] == 503
    assert "ended unexpectedly" in error["message"]
    assert endpoint.status()["retried"] == 1


@pytest.mark.parametrize("in_memory", [False, True], ids=["on-disk", "in-memory"])
def test_a_new_publication_retires_the_old_workers_without_stopping_a_query(
    tmp_path: Path, store_dir: Path, in_memory: bool
) -> None:
    import shutil

    second = tmp_path / "second"
    shutil.copytree(store_dir, second)
    current = {"path": store_dir}
    app = flask.Flask("switch-threads")
    settings = SparqlSettings(
        workers=2, reserved_workers=0, worker_threads=2, store_in_memory=in_memory
    )
    sparql_endpoint.init_app(
        app, store_path=lambda: current["path"], host=sparql_host(BASE), settings=settings
    )
    endpoint = app.extensions["sparql_endpoint"]
    assert endpoint.start(wait=60)
    try:
        held = submit_directly(app, SLOW, "10.0.0.1")
        _until(lambda: endpoint.status()["busy"] == 1)
        current["path"] = second
        client = app.test_client()

        def serving_second() -> bool:
            response = client.get("/sparql", query_string={"query": "ASK {}"})
            assert response.status_code == 200
            return endpoint.status()["serving"] == str(second)

        _until(serving_second)
        time.sleep(1.0)  # a stopped process would have been seen by now (milliseconds)
        assert endpoint.status()["restarts"] == 0  # the old workers were let go, not killed
        held.abandon()
    finally:
        endpoint.close()
