"""A flood of runaway queries over a real server (``avoinkunta serve``: Granian + broker).

Each query holds a web-server thread until it is answered. Before the admission limit,
runaway queries could hold every thread: /healthz, pages and ordinary queries then
waited in the server's queue, and queued runaways got their 503 long after the time
limit. Here the clients come from distinct addresses (127.0.0.x), as in the audit's
``curl --interface`` repro, so the per-client limit does not stop the flood.

The checks are the endpoint's own documented limits and orderings, not speeds: every
query is answered within ``timeout`` (+ a generous margin for killing and writing), and
the ordinary requests are answered while the runaways are still running (on the
reserved worker, which runaways from any number of addresses cannot take).
"""

from __future__ import annotations

import http.client
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sparql_server import Served, serve

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

TIMEOUT = 6.0
MARGIN = 10.0  # seconds for killing a worker and writing the 503, on a busy machine
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
SETTINGS = {
    "AVOINKUNTA_SPARQL_TIMEOUT": str(TIMEOUT),
    "AVOINKUNTA_SPARQL_WORKERS": "6",  # 5 for anyone, 1 reserved for light clients
    "AVOINKUNTA_SPARQL_QUEUE_LENGTH": "1",
    "AVOINKUNTA_SPARQL_PER_CLIENT_CONCURRENCY": "2",
}


@dataclass
class Answer:
    status: int
    body: str
    retry_after: str | None
    took: float  # seconds from sending to the end of the answer
    done: float  # time.monotonic() at the end of the answer


def fetch(url: str, source: str, query: str | None = None) -> Answer:
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(
        parts.hostname, parts.port, timeout=60, source_address=(source, 0)
    )
    began = time.monotonic()
    try:
        if query is None:
            conn.request("GET", parts.path)
        else:
            conn.request(
                "POST",
                parts.path,
                body=urllib.parse.urlencode({"query": query}),
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Accept": "application/sparql-results+json",
                },
            )
        reply = conn.getresponse()
        body = reply.read().decode()
        done = time.monotonic()
        return Answer(reply.status, body, reply.getheader("Retry-After"), done - began, done)
    finally:
        conn.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """One web process (16 threads) and the broker's 6 query workers, a 6 s limit."""
    with serve(tmp_path_factory.mktemp("flood"), SETTINGS, workers=1) as served:
        yield served


class Flood:
    """Runaway queries, two per address from 127.0.0.2 on, sent at once."""

    def __init__(self, server: Served, count: int):
        self.answers: list[Answer] = []
        self._threads = [
            threading.Thread(
                target=lambda source=f"127.0.0.{2 + i // 2}": self.answers.append(
                    fetch(server.sparql, source, RUNAWAY)
                )
            )
            for i in range(count)
        ]
        for thread in self._threads:
            thread.start()
        time.sleep(1.0)  # let them arrive and start; they run for TIMEOUT seconds

    def join(self) -> list[Answer]:
        for thread in self._threads:
            thread.join()
        return self.answers


def stopped(answers: list[Answer]) -> list[Answer]:
    """The runaways that ran until the time limit stopped them."""
    return [a for a in answers if a.status == 503 and "was stopped" in a.body]


def test_ordinary_query_and_healthz_served_while_runaways_run(server: Served) -> None:
    """5 runaways: as many as the workers anyone may use; the reserved one stays free."""
    flood = Flood(server, 5)
    ordinary = fetch(server.sparql, "127.0.1.1", "ASK { ?s a ak:Offering }")
    health = fetch(server.url + "healthz", "127.0.1.2")
    answers = flood.join()

    assert len(stopped(answers)) == 5
    first_stop = min(a.done for a in answers)
    assert ordinary.status == 200 and '"boolean":true' in ordinary.body.replace(" ", "")
    assert health.status == 200
    # answered while every runaway was still running, not after threads came free
    assert ordinary.done < first_stop
    assert health.done < first_stop
    assert all(a.took < TIMEOUT + MARGIN for a in answers)


def test_flood_beyond_capacity_is_refused_at_once_and_all_answered_in_time(
    server: Served,
) -> None:
    """10 runaways from 5 addresses: 5 run, 1 waits for a worker, the rest get 503 at once."""
    flood = Flood(server, 10)
    ordinary = fetch(server.sparql, "127.0.1.3", "ASK { ?s a ak:Supplier }")
    health = fetch(server.url + "healthz", "127.0.1.4")
    answers = flood.join()

    assert len(answers) == 10
    assert {a.status for a in answers} == {503}
    # every runaway answered within its limit from arrival, the queued ones included
    assert all(a.took < TIMEOUT + MARGIN for a in answers), [a.took for a in answers]
    ran = stopped(answers)
    refused = [a for a in answers if "as many queries as it takes" in a.body]
    assert ran and refused
    assert all(a.retry_after and int(a.retry_after) >= 1 for a in refused)
    first_stop = min(a.done for a in ran)
    assert health.status == 200 and health.done < first_stop
    # the ordinary query is answered at once: run if a worker is free, else refused
    # with Retry-After, never left waiting behind the runaways
    assert ordinary.done < first_stop
    assert ordinary.status == 200 or (ordinary.status == 503 and ordinary.retry_after)
    # and once the runaways are stopped, ordinary queries run again
    assert fetch(server.sparql, "127.0.1.3", "ASK {}").status == 200


def test_eight_clients_never_get_a_503_from_a_cap_that_is_not_full(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """The old per-process cap, with uneven spreading of connections over processes,
    refused queries at only 8 concurrent clients. Now admission is global: 8 clients,
    each one query at a time, on 2 web processes, get no 503."""
    with serve(tmp_path_factory.mktemp("eight"), {}, workers=2) as served:
        answers: list[Answer] = []

        def client(index: int) -> None:
            for round_ in range(15):
                # a different query each time: the results cache must not answer for it
                query = f"SELECT ?s WHERE {{ ?s a ak:Offering }} LIMIT {index * 100 + round_ + 1}"
                answers.append(fetch(served.sparql, f"127.0.2.{index + 1}", query))

        threads = [threading.Thread(target=client, args=(i,)) for i in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert len(answers) == 120
    assert [a.status for a in answers if a.status != 200] == []
