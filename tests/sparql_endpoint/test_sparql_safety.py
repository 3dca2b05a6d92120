"""Hostile requests: each is answered within its limit while ordinary queries still work.

The app here has a short time limit, a small row cap and a small memory limit so that
every limit can be reached with the fixture store. No test asserts a duration: a
query stopped by the time limit is recognised by its 503 and message.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import flask
import pytest
from sparql_fixtures import make_app

from sparql_endpoint.pool import Worker
from sparql_endpoint.settings import SparqlSettings

ORDINARY = "SELECT ?s WHERE { ?s a ak:Offering } ORDER BY ?s"
ORDINARY_COUNT = 4


class Listener:
    """A TCP listener on 127.0.0.1 that records every connection it receives."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/sparql"
        self.connections: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            conn.settimeout(1)
            try:
                self.connections.append(conn.recv(4096))
            except OSError:
                self.connections.append(b"")
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()


@pytest.fixture()
def listener() -> Iterator[Listener]:
    lis = Listener()
    yield lis
    lis.close()


@pytest.fixture(scope="module")
def strict_app(store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[flask.Flask]:
    app = make_app(
        store_dir,
        tmp_path_factory.mktemp("locks"),
        timeout=1.5,
        max_rows=50,
        workers=2,
        worker_memory_mb=300,
        max_query_length=20_000,
    )
    yield app
    app.extensions["sparql_endpoint"].pool.close()


def _ordinary_ok(client: flask.testing.FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": ORDINARY})
    assert response.status_code == 200, response.data
    assert len(json.loads(response.data)["results"]["bindings"]) == ORDINARY_COUNT


def _while_running(
    app: flask.Flask, send: Callable[[flask.testing.FlaskClient], object]
) -> flask.Response:
    """Send a hostile request in a thread; once it occupies a worker, run an ordinary one."""
    pool = app.extensions["sparql_endpoint"].pool
    _ordinary_ok(app.test_client())  # workers started and idle
    result: dict[str, flask.Response] = {}
    thread = threading.Thread(target=lambda: result.setdefault("r", send(app.test_client())))
    thread.start()
    while thread.is_alive() and pool._idle.qsize() == pool.settings.workers:
        time.sleep(0.01)
    _ordinary_ok(app.test_client())
    thread.join()
    _ordinary_ok(app.test_client())
    return result["r"]


HEAVY = {
    "cartesian product of the whole store": (
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    ),
    "deep property paths": (
        "SELECT (COUNT(*) AS ?n) WHERE { ?a (!rdf:nil)* ?b . ?b (^!rdf:nil)* ?c . "
        "?c (!rdf:nil)+ ?d }"
    ),
    "huge ORDER BY": "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY DESC(?c) ?f ?a ?d",
}


@pytest.mark.parametrize("query", HEAVY.values(), ids=HEAVY.keys())
def test_runaway_query_is_stopped_and_others_served(strict_app, query: str) -> None:
    pool = strict_app.extensions["sparql_endpoint"].pool
    restarts = pool.restarts
    response = _while_running(strict_app, lambda c: c.get("/sparql", query_string={"query": query}))
    assert response.status_code == 503
    text = response.get_data(as_text=True)
    assert "was stopped" in text
    assert pool.restarts == restarts + 1  # the worker was killed and replaced


def test_memory_hog_is_stopped(strict_app) -> None:
    query = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c"
    response = _while_running(strict_app, lambda c: c.get("/sparql", query_string={"query": query}))
    assert response.status_code == 503
    assert "was stopped" in response.get_data(as_text=True)


def test_service_is_refused_and_nothing_is_fetched(strict_app, listener: Listener) -> None:
    for query in (
        f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{listener.url}> {{ ?s ?p ?o }} }}",
        f"PREFIX remote: <http://127.0.0.1:{listener.port}/> "
        "SELECT * WHERE { service remote:sparql { ?s ?p ?o } }",
        f"SELECT * WHERE {{ BIND(<{listener.url}> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
    ):
        response = _while_running(
            strict_app, lambda c, q=query: c.get("/sparql", query_string={"query": q})
        )
        assert response.status_code == 403
        assert "SERVICE" in response.get_data(as_text=True)
    assert listener.connections == []


def test_from_never_fetches(strict_app, listener: Listener) -> None:
    client = strict_app.test_client()
    for query in (
        f"SELECT * FROM <{listener.url}> WHERE {{ ?s ?p ?o }}",
        f"SELECT * FROM NAMED <{listener.url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    ):
        response = client.get("/sparql", query_string={"query": query})
        assert response.status_code == 200
        assert json.loads(response.data)["results"]["bindings"] == []
    response = client.get(
        "/sparql", query_string={"query": "ASK { ?s ?p ?o }", "default-graph-uri": listener.url}
    )
    assert json.loads(response.data)["boolean"] is False
    assert listener.connections == []


def test_worker_cannot_reach_the_network_even_past_the_text_check(
    store_dir: Path, listener: Listener
) -> None:
    """Second guard: the worker's seccomp filter stops SERVICE inside the engine."""
    worker = Worker(SparqlSettings())
    try:
        worker.send(
            {
                "store_path": str(store_dir),
                "query": f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}",
                "formats": {"solutions": "json", "boolean": "json", "graph": "nt"},
                "max_rows": 10,
            }
        )
        kind, payload = worker.receive(time.monotonic() + 30)
        assert worker.sandboxed is True
        assert kind == "error"
        assert payload["status"] == 403
    finally:
        worker.kill()
    assert listener.connections == []


UPDATE = "INSERT DATA { <http://x/s> <http://x/p> <http://x/o> }"


def _load(listener: Listener) -> str:
    return f"LOAD <{listener.url}>"


@pytest.mark.parametrize(
    "form",
    [
        "get-update",
        "get-query",
        "form-update",
        "form-query",
        "direct-update",
        "direct-query",
        "query-then-update",
    ],
)
def test_updates_refused_in_every_form(strict_app, listener: Listener, form: str) -> None:
    client = strict_app.test_client()
    for text in (UPDATE, _load(listener), "CLEAR ALL", "DROP GRAPH <http://x/g>"):
        if form == "get-update":
            response = client.get("/sparql", query_string={"update": text})
        elif form == "get-query":
            response = client.get("/sparql", query_string={"query": text})
        elif form == "form-update":
            response = client.post("/sparql", data={"update": text})
        elif form == "form-query":
            response = client.post("/sparql", data={"query": text})
        elif form == "direct-update":
            response = client.post("/sparql", data=text, content_type="application/sparql-update")
        elif form == "direct-query":
            response = client.post("/sparql", data=text, content_type="application/sparql-query")
        else:
            response = client.post(
                "/sparql", data="ASK {} ; " + text, content_type="application/sparql-query"
            )
        assert response.status_code == 403, (form, text)
        assert "read-only" in response.get_data(as_text=True)
    response = client.get("/sparql", query_string={"query": "ASK { <http://x/s> ?p ?o }"})
    assert json.loads(response.data)["boolean"] is False
    assert listener.connections == []


MEGABYTE_QUERY = "SELECT * WHERE { ?s ?p ?o } #" + "x" * (1024 * 1024)


@pytest.mark.parametrize(("how", "status"), [("get", 414), ("form", 413), ("direct", 413)])
def test_megabyte_query_refused(strict_app, how: str, status: int) -> None:
    def send(c: flask.testing.FlaskClient) -> flask.Response:
        if how == "get":
            return c.get("/sparql", query_string={"query": MEGABYTE_QUERY})
        if how == "form":
            return c.post("/sparql", data={"query": MEGABYTE_QUERY})
        return c.post("/sparql", data=MEGABYTE_QUERY, content_type="application/sparql-query")

    response = _while_running(strict_app, send)
    assert response.status_code == status
    assert "20000" in response.get_data(as_text=True)


def test_malformed_utf8_refused(strict_app) -> None:
    response = _while_running(
        strict_app,
        lambda c: c.post(
            "/sparql",
            data=b'SELECT * WHERE { ?s ?p "\xed\xa0\x80" }',
            content_type="application/sparql-query",
        ),
    )
    assert response.status_code == 400
    assert "UTF-8" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("accept", "parse"),
    [
        ("application/sparql-results+json", lambda d: len(json.loads(d)["results"]["bindings"])),
        ("text/csv", lambda d: len(d.decode().strip().splitlines()) - 1),
        ("text/tab-separated-values", lambda d: len(d.decode().strip().splitlines()) - 1),
    ],
)
def test_row_cap_truncates_and_says_so(strict_app, accept: str, parse) -> None:
    client = strict_app.test_client()
    response = client.get(
        "/sparql", query_string={"query": "SELECT * { ?s ?p ?o }"}, headers={"Accept": accept}
    )
    assert response.status_code == 200
    assert response.headers["SPARQL-Results-Truncated"] == "true"
    assert response.headers["SPARQL-Row-Limit"] == "50"
    assert parse(response.data) == 50
    small = client.get(
        "/sparql",
        query_string={"query": "SELECT * { ?s ?p ?o } LIMIT 50"},
        headers={"Accept": accept},
    )
    assert "SPARQL-Results-Truncated" not in small.headers
    assert parse(small.data) == 50


def test_row_cap_applies_to_graphs(strict_app) -> None:
    import rdflib

    response = strict_app.test_client().get(
        "/sparql",
        query_string={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
        headers={"Accept": "application/n-triples"},
    )
    assert response.headers["SPARQL-Results-Truncated"] == "true"
    assert len(rdflib.Graph().parse(data=response.data, format="nt")) == 50


def test_row_cap_noted_on_the_page(strict_app) -> None:
    response = strict_app.test_client().get(
        "/sparql",
        query_string={"query": "SELECT * { ?s ?p ?o }", "lang": "en"},
        headers={"Accept": "text/html"},
    )
    assert response.status_code == 200
    assert "was cut at 50 rows" in response.get_data(as_text=True)


def test_per_client_concurrency(store_dir: Path, tmp_path: Path) -> None:
    app = make_app(store_dir, tmp_path, timeout=1.5, workers=3, per_client_concurrency=1)
    try:
        pool = app.extensions["sparql_endpoint"].pool
        _ordinary_ok(app.test_client())
        slow = threading.Thread(
            target=lambda: app.test_client().get(
                "/sparql", query_string={"query": HEAVY["huge ORDER BY"]}
            )
        )
        slow.start()
        while slow.is_alive() and pool._idle.qsize() == 3:
            time.sleep(0.01)
        same = app.test_client().get("/sparql", query_string={"query": ORDINARY})
        other = app.test_client().get(
            "/sparql", query_string={"query": ORDINARY}, environ_base={"REMOTE_ADDR": "192.0.2.7"}
        )
        slow.join()
        assert same.status_code == 429
        assert same.headers["Retry-After"]
        assert other.status_code == 200
        _ordinary_ok(app.test_client())  # the slot is free again
    finally:
        app.extensions["sparql_endpoint"].pool.close()


def test_busy_pool_answers_503_with_retry_after(store_dir: Path, tmp_path: Path) -> None:
    app = make_app(store_dir, tmp_path, timeout=1.5, workers=1, queue_wait=0.0)
    try:
        pool = app.extensions["sparql_endpoint"].pool
        _ordinary_ok(app.test_client())
        slow = threading.Thread(
            target=lambda: app.test_client().get(
                "/sparql", query_string={"query": HEAVY["huge ORDER BY"]}
            )
        )
        slow.start()
        while slow.is_alive() and pool._idle.qsize() == 1:
            time.sleep(0.01)
        busy = app.test_client().get(
            "/sparql", query_string={"query": ORDINARY}, environ_base={"REMOTE_ADDR": "192.0.2.8"}
        )
        slow.join()
        assert busy.status_code == 503
        assert "busy" in busy.get_data(as_text=True)
        assert "Retry-After" in busy.headers
    finally:
        app.extensions["sparql_endpoint"].pool.close()


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * { ?s ?p " + '"\\' * 6000 + " }",
        "SELECT * { ?s ?p '''" + "\\'" * 9000 + " }",
        "ASK { " + "<a" * 9000 + " }",
    ],
    ids=["escaped quotes", "unterminated long string", "unclosed IRIs"],
)
def test_pathological_text_is_a_syntax_error(strict_app, text: str) -> None:
    """Inputs that make a naive tokenizer backtrack (the web process scans every query
    before a worker sees it): answered with 400 while others are served."""
    response = _while_running(
        strict_app,
        lambda c: c.post("/sparql", data=text, content_type="application/sparql-query"),
    )
    assert response.status_code == 400
    assert "syntax error" in response.get_data(as_text=True)


def test_full_process_refuses_at_once_and_releases(store_dir: Path, tmp_path: Path) -> None:
    """Admission: beyond workers + queue_length queries in the process, 503 at once (the
    refused request waits for nothing); a finished query lets the next one in."""
    app = make_app(store_dir, tmp_path, workers=1, queue_length=1, queue_wait=30.0)
    try:
        ep = app.extensions["sparql_endpoint"]
        held = [ep.admit("192.0.2.20"), ep.admit("192.0.2.21")]  # one running, one queued
        refused = app.test_client().get(
            "/sparql", query_string={"query": ORDINARY}, environ_base={"REMOTE_ADDR": "192.0.2.9"}
        )
        assert refused.status_code == 503
        assert "as many queries as it takes (2 per server process)" in refused.get_data(True)
        assert int(refused.headers["Retry-After"]) >= 1
        assert refused.headers["Access-Control-Allow-Origin"] == "*"
        page = app.test_client().get(
            "/sparql",
            query_string={"query": ORDINARY, "lang": "en"},
            headers={"Accept": "text/html"},
        )
        assert page.status_code == 503 and "as many queries" in page.get_data(True)
        held.pop().release()
        _ordinary_ok(app.test_client())
        held.pop().release()
        # a refused query released the client slot it had taken
        limited = make_app(
            store_dir, tmp_path / "one", workers=1, queue_length=0, per_client_concurrency=1
        )
        try:
            blocker = limited.extensions["sparql_endpoint"].admit("192.0.2.30")
            again = limited.test_client().get(
                "/sparql",
                query_string={"query": ORDINARY},
                environ_base={"REMOTE_ADDR": "192.0.2.31"},
            )
            assert again.status_code == 503
            blocker.release()
            response = limited.test_client().get(
                "/sparql",
                query_string={"query": ORDINARY},
                environ_base={"REMOTE_ADDR": "192.0.2.31"},
            )
            assert response.status_code == 200  # not 429: its earlier slot was given back
        finally:
            limited.extensions["sparql_endpoint"].pool.close()
    finally:
        app.extensions["sparql_endpoint"].pool.close()
