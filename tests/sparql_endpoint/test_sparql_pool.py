"""The query workers outlive the request threads that use them."""

from __future__ import annotations

import json
import threading
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
