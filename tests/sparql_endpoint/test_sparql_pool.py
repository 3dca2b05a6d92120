"""The query workers outlive the request threads that use them."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

from sparql_fixtures import make_app


def test_workers_survive_short_lived_request_threads(store_dir: Path) -> None:
    """Regression: PR_SET_PDEATHSIG fires when the *thread* that started a process ends;
    werkzeug's threaded server runs every request in a new thread. The broker is started
    from a long-lived thread, and the workers are forked by the store host."""
    app = make_app(store_dir, workers=2)
    endpoint = app.extensions["sparql_endpoint"]
    answers: list[bool] = []

    def one() -> None:
        response = app.test_client().get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"})
        answers.append(json.loads(response.data)["boolean"])

    try:
        for _ in range(4):
            thread = threading.Thread(target=one)
            thread.start()
            thread.join()
        first = endpoint.status()
        for _ in range(4):
            thread = threading.Thread(target=one)
            thread.start()
            thread.join()
        after = endpoint.status()
        assert answers == [True] * 8
        assert after["restarts"] == 0
        assert after["worker_pids"] == first["worker_pids"]
        assert after["workers"] == 2
    finally:
        endpoint.close()


def test_a_worker_that_keeps_too_much_memory_is_recycled(store_dir: Path) -> None:
    """When the workers keep more than worker_keep_mb each after their queries (here one
    worker's store caches are enough), one that keeps more is replaced by a fresh fork;
    the old one serves until the new one is up, so the pool keeps its size and the
    queries sent meanwhile are answered."""
    # One worker: the budget is for the workers together, and what one keeps after these
    # queries (~1.5 MiB with the C library's malloc) is over 1 MiB but not always over 2.
    app = make_app(
        store_dir, workers=1, reserved_workers=0, worker_keep_mb=1, worker_allocator="system"
    )
    endpoint = app.extensions["sparql_endpoint"]
    # paths of three triples grouped by their first predicate: a few MiB, and long
    # enough (0.1-0.3 s on the fixture store) for the broker to look at its memory
    sort = (
        "SELECT ?b (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?c ?e ?f . ?f ?g ?h } "
        "GROUP BY ?b ORDER BY DESC(?n) STR(?b) LIMIT 1"
    )
    try:
        first = endpoint.status()
        client = app.test_client()
        for n in range(6):
            response = client.get("/sparql", query_string={"query": f"{sort}\n# {n}"})
            assert response.status_code == 200
        limit = time.monotonic() + 120
        while True:  # the replacement comes up, then the old worker goes
            after = endpoint.status()
            settled = after["workers"] == 1 and len(after["worker_pids"]) == 1
            if after["recycled"] >= 1 and settled:
                break
            assert time.monotonic() < limit, f"never recycled ({after})"
            time.sleep(0.01)
        assert after["restarts"] == 0  # recycled, not killed mid-query
        assert set(after["worker_pids"]) != set(first["worker_pids"])
        response = client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"})
        assert json.loads(response.data)["boolean"] is True
    finally:
        endpoint.close()
