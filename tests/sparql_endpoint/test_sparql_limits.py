"""Limits are global: one broker for every web process; its budgets and fair queue."""

from __future__ import annotations

import time
from pathlib import Path

import flask
import pytest
from sparql_fixtures import BASE, make_app, submit_directly

import sparql_endpoint
from publisher import errors
from publisher.sparql_mount import sparql_host
from sparql_endpoint.fairness import Fairness
from sparql_endpoint.settings import SparqlSettings

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # runs for ever


def _second_process_app(store_dir: Path, broker_socket: str, **settings: object) -> flask.Flask:
    """Another web process of the same server: an app that uses the first one's broker."""
    app = flask.Flask("second")
    sparql_endpoint.init_app(
        app,
        store_path=lambda: store_dir,
        host=sparql_host(BASE),
        settings=SparqlSettings(broker_socket=broker_socket, **settings),
    )
    errors.init_app(app)
    return app


def test_a_clients_limit_counts_across_web_processes(store_dir: Path) -> None:
    first = make_app(store_dir, per_client_concurrency=1, workers=3)
    endpoint = first.extensions["sparql_endpoint"]
    second = _second_process_app(store_dir, endpoint.broker.socket_path, per_client_concurrency=1)
    try:
        # the first process's query holds a worker until it is let go (no time limit race)
        held = submit_directly(first, SLOW, "127.0.0.1")
        limit = time.monotonic() + 120
        while endpoint.status()["busy"] < 1:
            assert time.monotonic() < limit, endpoint.status()
            time.sleep(0.01)
        # the same client through the other process: its one query is already running
        refused = second.test_client().get("/sparql", query_string={"query": "ASK {}"})
        other = second.test_client().get(
            "/sparql", query_string={"query": "ASK {}"}, environ_base={"REMOTE_ADDR": "192.0.2.3"}
        )
        # one pool: the second process's queries ran on the broker's workers (compared
        # while the held query still runs: letting it go replaces its worker)
        assert (
            second.extensions["sparql_endpoint"].status()["worker_pids"]
            == (endpoint.status()["worker_pids"])
        )
        held.abandon()
        assert refused.status_code == 429 and refused.headers["Retry-After"]
        assert other.status_code == 200
    finally:
        endpoint.close()


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0


@pytest.fixture()
def fair() -> Fairness[str]:
    return Fairness(budget_per_minute=60.0, burst=30.0, light_seconds=5.0)


def test_budget_refills_at_its_rate(fair: Fairness[str]) -> None:
    clock = Clock()
    assert fair.over_budget("a", clock.now) is None
    fair.charge("a", 40.0, clock.now)  # 10 s over a 30 s bucket
    assert fair.over_budget("a", clock.now) == 10  # refills 1 s per second
    clock.now += 9.5
    assert fair.over_budget("a", clock.now) == 1
    clock.now += 1.0
    assert fair.over_budget("a", clock.now) is None
    assert fair.over_budget("b", clock.now) is None  # another client: its own bucket


def test_many_short_queries_count(fair: Fairness[str]) -> None:
    """Wikidata's 2017 outage: many short queries that a concurrency limit never saw."""
    clock = Clock()
    for _ in range(40_000):
        fair.charge("a", 0.0, clock.now)  # each costs at least a millisecond
    assert fair.over_budget("a", clock.now) is not None


def test_queue_serves_the_client_that_used_least_first(fair: Fairness[str]) -> None:
    clock = Clock()
    fair.charge("heavy", 20.0, clock.now)
    fair.enqueue("heavy", "h1", clock.now)
    fair.enqueue("heavy", "h2", clock.now)
    fair.enqueue("light", "l1", clock.now)
    assert fair.next(clock.now) == ("light", "l1")
    fair.start("light", "l1", clock.now)
    # the light client now has one running: still ahead of 20 s of usage
    fair.enqueue("light", "l2", clock.now)
    assert fair.next(clock.now) == ("light", "l2")
    fair.start("light", "l2", clock.now)
    assert fair.next(clock.now) == ("heavy", "h1")
    # reserved workers take light clients only, and none with a query running already
    assert fair.next(clock.now, light_only=True) is None
    assert not fair.is_light("heavy", clock.now) and not fair.is_light("light", clock.now)
    fair.finish("light", 0.01, clock.now)
    fair.finish("light", 0.01, clock.now)
    assert fair.is_light("light", clock.now)


def test_running_queries_count_before_they_end(fair: Fairness[str]) -> None:
    """A flood of runaways that have not ended yet must not look light."""
    clock = Clock()
    fair.enqueue("flood", "f1", clock.now)
    fair.start("flood", "f1", clock.now)
    clock.now += 8.0
    fair.enqueue("flood", "f2", clock.now)
    fair.enqueue("polite", "p1", clock.now)
    assert fair.usage("flood", clock.now) >= 8.0
    assert fair.next(clock.now) == ("polite", "p1")
    assert fair.next(clock.now, light_only=True) == ("polite", "p1")


def test_usage_decays_within_minutes(fair: Fairness[str]) -> None:
    clock = Clock()
    fair.charge("a", 20.0, clock.now)
    assert not fair.is_light("a", clock.now)
    clock.now += 180  # three time constants
    assert fair.is_light("a", clock.now)
