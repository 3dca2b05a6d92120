"""The worker pool outlives the request threads that use it."""

from __future__ import annotations

import json
import threading
from pathlib import Path

from sparql_fixtures import make_app


def test_workers_survive_short_lived_request_threads(store_dir: Path, tmp_path: Path) -> None:
    """Regression: PR_SET_PDEATHSIG fires when the *thread* that started a worker ends;
    werkzeug's threaded server runs every request in a new thread."""
    app = make_app(store_dir, tmp_path, workers=2)
    pool = app.extensions["sparql_endpoint"].pool
    answers: list[bool] = []

    def one() -> None:
        response = app.test_client().get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"})
        answers.append(json.loads(response.data)["boolean"])

    try:
        for _ in range(4):
            thread = threading.Thread(target=one)
            thread.start()
            thread.join()
            first = {w.process.pid for w in pool._all}
        for _ in range(4):
            thread = threading.Thread(target=one)
            thread.start()
            thread.join()
        assert answers == [True] * 8
        assert pool.restarts == 0
        assert {w.process.pid for w in pool._all} == first
        assert all(w.alive for w in pool._all)
    finally:
        pool.close()
