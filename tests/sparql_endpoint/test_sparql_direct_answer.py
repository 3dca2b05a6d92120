"""Answers go straight from the worker to the web process (the broker passes the worker
the web process's connection): long results arrive whole, a connection is reused safely
after every kind of ending, and a stopped query's error is the broker's, as before."""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from pathlib import Path

import pyoxigraph as ox
from sparql_fixtures import make_app

from sparql_endpoint import wire
from sparql_endpoint.client import BrokerClient, Reply

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # runs for ever
EVERYTHING = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"


def test_a_result_of_many_records_arrives_whole(store_dir: Path) -> None:
    """A result far larger than one record (``wire.RECORD_LIMIT``) streams from the
    worker in chunks, every row there, on a connection that then serves the next query."""
    app = make_app(store_dir, max_rows=0, result_cache_mb=0)
    endpoint = app.extensions["sparql_endpoint"]
    try:
        client = app.test_client()
        response = client.get(
            "/sparql",
            query_string={"query": EVERYTHING},
            headers={"Accept": "application/sparql-results+json"},
        )
        assert response.status_code == 200
        body = response.get_data()
        assert len(body) > wire.RECORD_LIMIT > 3 * wire.CHUNK
        store = ox.Store.read_only(str(store_dir))
        expected = sum(1 for _ in store.quads_for_pattern(None, None, None, None))
        assert len(json.loads(body)["results"]["bindings"]) == expected
        again = client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"})
        assert again.status_code == 200 and again.get_json()["boolean"] is True
    finally:
        endpoint.close()


def test_one_clients_queries_one_after_another_never_overlap(store_dir: Path) -> None:
    """The next query on a connection is sent once the whole answer is read, maybe before
    the broker has read the worker's DONE: the previous query counts as finished then, so a
    client allowed one query at a time is never refused for queries run one by one."""
    app = make_app(store_dir, per_client_concurrency=1, result_cache_mb=0)
    endpoint = app.extensions["sparql_endpoint"]
    try:
        client = app.test_client()
        statuses = [
            client.get(
                "/sparql", query_string={"query": f"SELECT ({n} AS ?n) WHERE {{}}"}
            ).status_code
            for n in range(200)
        ]
        assert statuses == [200] * 200
    finally:
        endpoint.close()


def test_a_query_stopped_at_its_time_limit_gets_the_brokers_503(store_dir: Path) -> None:
    """The broker kills the worker and answers 503 with its sentence; the web process does
    not reuse that connection (the killed worker may have written to it), and its next
    queries are answered."""
    app = make_app(store_dir, timeout=1, result_cache_mb=0, workers=2)
    endpoint = app.extensions["sparql_endpoint"]
    try:
        client = app.test_client()
        stopped = client.get("/sparql", query_string={"query": SLOW})
        assert stopped.status_code == 503
        assert "did not finish within 1 seconds" in stopped.get_json()["message"]
        for _ in range(5):
            answered = client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"})
            assert answered.status_code == 200 and answered.get_json()["boolean"] is True
        assert endpoint.status()["restarts"] >= 1
    finally:
        endpoint.close()


def _pair() -> tuple[BrokerClient, wire.Reader, socket.socket]:
    """A client and one of its connections, whose other end the test writes to."""
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    return BrokerClient("/nonexistent"), wire.Reader(ours), theirs


def test_an_error_about_an_earlier_job_is_skipped() -> None:
    """The broker may stop a job just after its worker wrote the whole answer: its error,
    numbered with that job's ``seq``, is skipped by the next job on the connection."""
    client, conn, other = _pair()
    conn.seq = 2
    stale = {"status": 503, "message": "stopped", "headers": {}, "seq": 1, "drop": True}
    other.send(wire.encode(wire.ERROR, stale))
    whole = {"head": {"kind": "boolean"}, "data": b"true"}
    other.send(wire.encode(wire.WHOLE, whole))
    reply = Reply(client, conn, deadline=time.monotonic() + 60)
    assert reply.next() == (wire.WHOLE, whole)
    assert client._idle == [conn]  # read to the end: kept for the next query
    other.close()


def test_a_connection_whose_query_was_stopped_is_not_reused() -> None:
    client, conn, other = _pair()
    conn.seq = 3
    error = {"status": 503, "message": "stopped", "headers": {}, "seq": 3, "drop": True}
    other.send(wire.encode(wire.ERROR, error))
    reply = Reply(client, conn, deadline=time.monotonic() + 60)
    assert reply.next() == (wire.ERROR, error)
    assert client._idle == [] and conn.sock.fileno() == -1
    other.close()


def test_a_refusal_before_the_query_ran_keeps_the_connection() -> None:
    """Admission refusals (no worker was given the connection) keep it for the next query;
    so do the worker's own errors, which come without a number."""
    client, conn, other = _pair()
    conn.seq = 4
    refusal = {"status": 429, "message": "too many", "headers": {"Retry-After": "1"}, "seq": 4}
    other.send(wire.encode(wire.ERROR, refusal))
    assert Reply(client, conn, deadline=time.monotonic() + 60).next() == (wire.ERROR, refusal)
    assert client._idle == [conn]
    client._idle.clear()  # taken again for the next query
    conn.seq = 5
    failed = {"status": 400, "message": "Query syntax error", "position": None}
    other.send(wire.encode(wire.ERROR, failed))
    assert Reply(client, conn, deadline=time.monotonic() + 60).next() == (wire.ERROR, failed)
    assert client._idle == [conn]
    other.close()


def test_each_process_receives_into_its_own_room() -> None:
    """The workers are forks of one store host: the room a record is received into must
    be the process's own (a shared mapping let one worker's job overwrite another's)."""
    room = wire._SPACE.room
    room[:4] = b"mine"
    pid = os.fork()
    if pid == 0:  # the child writes into its room, as a worker receiving a job would
        try:
            wire._SPACE.room[:4] = b"that"
        finally:
            os._exit(0)
    os.waitpid(pid, 0)
    assert room[:4] == b"mine"


def test_concurrent_queries_on_several_workers_get_their_own_answers(store_dir: Path) -> None:
    app = make_app(store_dir, workers=4, result_cache_mb=0, per_client_concurrency=0)
    endpoint = app.extensions["sparql_endpoint"]
    answers: dict[int, object] = {}

    def ask(first: int) -> None:
        client = app.test_client()
        for n in range(first, first + 25):
            response = client.get(
                "/sparql",
                query_string={"query": f'SELECT ?n WHERE {{ BIND ("{"x" * n}" AS ?n) }}'},
                environ_base={"REMOTE_ADDR": f"192.0.2.{first // 25}"},
            )
            rows = response.get_json()["results"]["bindings"] if response.status_code == 200 else []
            answers[n] = (response.status_code, [row["n"]["value"] for row in rows])

    try:
        threads = [threading.Thread(target=ask, args=(25 * i,)) for i in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert answers == {n: (200, ["x" * n]) for n in range(200)}
    finally:
        endpoint.close()
