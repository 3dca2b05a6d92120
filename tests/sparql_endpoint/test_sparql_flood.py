"""A flood of runaway queries over a real server (``avoinkunta serve``: Granian + broker).

Each query holds a web-server thread until it is answered. Before the admission limit,
runaway queries could hold every thread: /healthz, pages and ordinary queries then
waited in the server's queue, and queued runaways got their 503 long after the time
limit. Here the clients come from distinct addresses (127.0.0.x), as in the audit's
``curl --interface`` repro, so the per-client limit does not stop the flood.

The checks are the endpoint's own documented limits and orderings, not speeds. Each
step waits for the broker to report the state it needs (``/readyz``: workers, busy,
queued) instead of sleeping, so a busy machine changes how long a test takes, not what
it sees: every query is answered within ``timeout`` (+ a generous margin for killing
and writing), the refusals are the ones given at arrival (their message says so), and
the ordinary requests are answered while the runaways still hold their workers (on the
reserved worker, which runaways from any number of addresses cannot take).
"""

from __future__ import annotations

import http.client
import itertools
import json
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sparql_server import Served, serve

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

TIMEOUT = 10.0
MARGIN = 15.0  # seconds for killing a worker and writing the 503, on a busy machine
WORKERS = 6  # 5 for anyone, 1 reserved for light clients
EVENT_LIMIT = 120.0  # a generous bound on waiting for the broker to reach a state
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
SETTINGS = {
    "AVOINKUNTA_SPARQL_TIMEOUT": str(TIMEOUT),
    "AVOINKUNTA_SPARQL_WORKERS": str(WORKERS),
    "AVOINKUNTA_SPARQL_RESERVED_WORKERS": "1",
    "AVOINKUNTA_SPARQL_QUEUE_LENGTH": "1",
    "AVOINKUNTA_SPARQL_QUEUE_WAIT": "5",
    "AVOINKUNTA_SPARQL_PER_CLIENT_CONCURRENCY": "2",
}
_fresh = itertools.count()


def fresh(query: str) -> str:
    """The query with a comment of its own: not in the results cache, so it needs a worker."""
    return f"{query}\n# {next(_fresh)}"


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
        parts.hostname, parts.port, timeout=120, source_address=(source, 0)
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


def pool(server: Served) -> dict[str, Any]:
    """The broker's state as /readyz reports it: workers (ready), busy, queued."""
    answer = fetch(server.url + "readyz", "127.0.0.1")
    assert answer.status == 200, answer.body
    return dict(json.loads(answer.body)["sparql"])


def wait_for(server: Served, what: str, done: Callable[[dict[str, Any]], bool]) -> None:
    """Until the broker reports ``done`` (an event, bounded generously)."""
    limit = time.monotonic() + EVENT_LIMIT
    while not done(state := pool(server)):
        assert time.monotonic() < limit, f"the broker never reached: {what} ({state})"
        time.sleep(0.05)


def wait_for_idle_pool(server: Served) -> None:
    """Every worker up (killed ones replaced) and none busy, nothing waiting."""
    wait_for(
        server,
        "all workers idle",
        lambda s: s["workers"] == WORKERS and s["busy"] == 0 and s["queued"] == 0,
    )


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """One web process (16 threads) and the broker's 6 query workers, a 10 s limit."""
    with serve(tmp_path_factory.mktemp("flood"), SETTINGS, workers=1) as served:
        yield served


class Flood:
    """Runaway queries, each sent from its own thread."""

    def __init__(self, server: Served):
        self.server = server
        self.answers: list[Answer] = []
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []

    def send(self, source: str) -> None:
        def run() -> None:
            answer = fetch(self.server.sparql, source, RUNAWAY)
            with self._lock:
                self.answers.append(answer)

        thread = threading.Thread(target=run)
        thread.start()
        self._threads.append(thread)

    def so_far(self) -> list[Answer]:
        with self._lock:
            return list(self.answers)

    def join(self) -> list[Answer]:
        for thread in self._threads:
            thread.join()
        return self.answers


def stopped(answers: list[Answer]) -> list[Answer]:
    """The runaways that ran until the time limit stopped them."""
    return [a for a in answers if a.status == 503 and "was stopped" in a.body]


def test_ordinary_query_and_healthz_served_while_runaways_run(server: Served) -> None:
    """5 runaways (two addresses send two each): as many as the workers anyone may use;
    the reserved one stays free for a light client."""
    wait_for_idle_pool(server)
    flood = Flood(server)
    for source in ("127.0.0.2", "127.0.0.2", "127.0.0.3", "127.0.0.3", "127.0.0.4"):
        flood.send(source)
    wait_for(server, "5 runaways running", lambda s: s["busy"] >= 5)
    ordinary = fetch(server.sparql, "127.0.1.1", fresh("ASK { ?s a ak:Offering }"))
    health = fetch(server.url + "healthz", "127.0.1.2")
    answers = flood.join()

    assert len(stopped(answers)) == 5
    first_stop = min(a.done for a in answers)
    assert ordinary.status == 200 and '"boolean":true' in ordinary.body.replace(" ", "")
    assert health.status == 200
    # answered while every runaway was still running, not after threads came free
    assert ordinary.done < first_stop
    assert health.done < first_stop
    assert all(a.took < TIMEOUT + MARGIN for a in answers), [a.took for a in answers]


def test_flood_beyond_capacity_is_refused_at_once_and_all_answered_in_time(
    server: Served,
) -> None:
    """10 runaways from 5 addresses: 5 run, 1 waits for a worker, 4 get 503 at once;
    the reserved worker, idle, is no room for them, and serves a light client's query."""
    wait_for_idle_pool(server)
    sources = [f"127.0.3.{i}" for i in range(1, 6)]  # new to this server: no usage yet
    flood = Flood(server)
    # one after another, so that each client has used at least as much query time as
    # the next: the waiting query (of the last) is never the heaviest one's
    for count, source in enumerate(sources, 1):
        flood.send(source)
        wait_for(server, f"{count} runaways running", lambda s, n=count: s["busy"] >= n)
    flood.send(sources[-1])  # not light (one running): it waits, the reserved worker is not for it
    wait_for(server, "1 runaway waiting", lambda s: s["queued"] >= 1)
    for source in sources[:-1]:  # each one's second: workers and queue are full
        flood.send(source)
    limit = time.monotonic() + EVENT_LIMIT
    while len(flood.so_far()) < 4:
        assert time.monotonic() < limit, flood.so_far()
        time.sleep(0.05)
    refused = flood.so_far()
    ordinary = fetch(server.sparql, "127.0.1.3", fresh("ASK { ?s a ak:Supplier }"))
    health = fetch(server.url + "healthz", "127.0.1.4")
    answers = flood.join()

    assert len(answers) == 10
    assert {a.status for a in answers} == {503}
    # every runaway answered within its limit from arrival, the waiting one included
    assert all(a.took < TIMEOUT + MARGIN for a in answers), [a.took for a in answers]
    # the first four answers: refused at arrival (only admission gives this message)
    assert len(refused) == 4
    for answer in refused:
        assert "as many queries as it takes (5 running, 1 waiting)" in answer.body, answer.body
        assert answer.retry_after and int(answer.retry_after) >= 1
    ran = stopped(answers)
    assert len(ran) >= 5  # the five running ones (and the waiting one, if it got a worker)
    waited = [a for a in answers if a not in ran and a not in refused]
    assert all("All query workers are busy" in a.body and a.retry_after for a in waited)
    assert len(ran) + len(waited) == 6
    first_stop = min(a.done for a in ran)
    assert max(a.done for a in refused) < first_stop
    assert health.status == 200 and health.done < first_stop
    # the ordinary query of a light client runs on the reserved worker at once,
    # never left waiting behind the runaways
    assert ordinary.status == 200 and '"boolean":true' in ordinary.body.replace(" ", "")
    assert ordinary.done < first_stop
    # and once the runaways are stopped (their workers replaced), ordinary queries run again
    wait_for_idle_pool(server)
    assert fetch(server.sparql, "127.0.1.3", fresh("ASK {}")).status == 200


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
