"""Ready means ready; a graceful restart and a new publication drop no request.

Over a real server (Granian + broker). Requests run without pause from several threads
while the server is restarted (SIGHUP: its web processes are replaced one by one) and
while a new publication is built and switched in; every one must be answered 200. No
test here asserts a speed.
"""

from __future__ import annotations

import http.client
import json
import shutil
import signal
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from publisher.build import build
from publisher.config import PROJECT_ROOT, Settings
from tests.conftest import free_port, quiet, start_server, stop_server

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


JSON = "application/sparql-results+json"


def request(port: int, path: str, accept: str = JSON):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path, headers={"Accept": accept})
        reply = conn.getresponse()
        return reply.status, reply.read()
    finally:
        conn.close()


class Traffic:
    """Queries and pages from a few threads until stopped; every answer is kept."""

    def __init__(self, port: int, queries: list[str]):
        self.port = port
        self.paths = ["/sparql?" + urllib.parse.urlencode({"query": q}) for q in queries]
        self.paths.append("/doc/offering/x-road")
        self.answers: list[tuple[str, int | str]] = []
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._run, args=(i,)) for i in range(4)]
        for thread in self._threads:
            thread.start()

    def _run(self, index: int) -> None:
        i = index
        while not self._stop.is_set():
            path = self.paths[i % len(self.paths)]
            try:
                accept = "text/html" if path.startswith("/doc/") else JSON
                status, _ = request(self.port, path, accept)
                self.answers.append((path, status))
            except OSError as exc:  # a dropped connection is a failure too
                self.answers.append((path, repr(exc)))
            i += 1

    def stop(self) -> list[tuple[str, int | str]]:
        self._stop.set()
        for thread in self._threads:
            thread.join()
        return self.answers


@pytest.fixture()
def served(tmp_path: Path) -> Iterator[tuple[int, Path, Path, object]]:
    port = free_port()
    data = tmp_path / "data"
    shutil.copytree(PROJECT_ROOT / "data", data)
    out = tmp_path / "out"
    settings = Settings(base_uri=f"http://127.0.0.1:{port}/", data_dir=data, out_dir=out)
    build(settings, progress=quiet)
    # four clients' worth of traffic from one address: its per-client limit raised
    env = {"AVOINKUNTA_SPARQL_PER_CLIENT_CONCURRENCY": "8"}
    process = start_server(out, port, tmp_path / "server.log", 2, env, ready_path="readyz")
    try:
        yield port, data, out, process
    finally:
        stop_server(process)


def test_ready_means_a_query_is_answered(served) -> None:
    port, _data, _out, _process = served
    status, body = request(port, "/readyz")
    assert status == 200
    assert json.loads(body)["sparql"]["workers"] >= 1
    # the very next query is answered by a worker, not refused while workers start
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s a ak:Offering }"
    status, body = request(port, "/sparql?" + urllib.parse.urlencode({"query": query}))
    assert status == 200 and int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) > 0


def test_graceful_restart_and_a_new_publication_drop_no_request(served) -> None:
    port, data, out, process = served
    queries = [
        "ASK { ?s a ak:Offering }",
        "SELECT ?o ?t WHERE { ?o a ak:Offering ; dct:title ?t } ORDER BY ?t LIMIT 20",
        "SELECT ?title WHERE { offering:x-road dct:title ?title }",
    ]
    traffic = Traffic(port, queries)
    try:
        time.sleep(1.0)
        process.send_signal(signal.SIGHUP)  # replace every web process, one by one
        time.sleep(4.0)
        # a new publication (a new build of the same sources is a new store to load)
        settings = Settings(base_uri=f"http://127.0.0.1:{port}/", data_dir=data, out_dir=out)
        new = build(settings, progress=quiet)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # until the new one answers (bounded, generous)
            status, body = request(port, "/readyz")
            ready = json.loads(body) if status == 200 else {}
            if ready.get("build_id") == new.build_id and ready["sparql"]["publication_loaded"]:
                break
            time.sleep(0.2)
        else:
            raise AssertionError("the new publication was never served")
        time.sleep(1.0)
    finally:
        answers = traffic.stop()
    failed = [a for a in answers if a[1] != 200]
    assert len(answers) > 50
    assert failed == [], sorted({str(a[1]) for a in failed})
