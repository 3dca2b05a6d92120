"""Per-client slots are shared by every limiter on the host (one per server process)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import flask
import pytest
from sparql_fixtures import BASE

import sparql_endpoint
from publisher.sparql_mount import sparql_host
from sparql_endpoint.errors import SparqlError
from sparql_endpoint.limits import ClientLimiter, lock_directory
from sparql_endpoint.settings import SparqlSettings


def test_slots_are_per_client_and_released(tmp_path: Path) -> None:
    first, second = ClientLimiter(2, str(tmp_path)), ClientLimiter(2, str(tmp_path))
    held = [first.acquire("198.51.100.1"), second.acquire("198.51.100.1")]
    with pytest.raises(SparqlError) as info:
        first.acquire("198.51.100.1")
    assert info.value.status == 429
    assert second.acquire("198.51.100.2") is not None  # another client is unaffected
    held.pop().release()
    assert first.acquire("198.51.100.1") is not None


def test_slot_held_by_another_process_counts(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
            import sys, time
            sys.path.insert(0, {str(root)!r})
            from sparql_endpoint.limits import ClientLimiter
            slot = ClientLimiter(1, {str(tmp_path)!r}).acquire("203.0.113.9")
            print("held", flush=True)
            sys.stdin.readline()
        """),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(SparqlError):
            ClientLimiter(1, str(tmp_path)).acquire("203.0.113.9")
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    # the process ended: its slot is free again
    assert ClientLimiter(1, str(tmp_path)).acquire("203.0.113.9") is not None


def test_limit_off() -> None:
    assert ClientLimiter(0).acquire("192.0.2.1") is None


def _app_with_state(store_dir: Path, state_dir: Path, **settings: object) -> flask.Flask:
    app = flask.Flask("state-test")
    sparql_endpoint.init_app(
        app,
        store_path=lambda: store_dir,
        host=sparql_host(BASE),
        settings=SparqlSettings(per_client_concurrency=1, workers=1, **settings),
        state_dir=state_dir,
    )
    return app


def test_deployments_with_their_own_state_dirs_do_not_share_slots(
    store_dir: Path, tmp_path: Path
) -> None:
    first = _app_with_state(store_dir, tmp_path / "a" / ".sparql")
    second = _app_with_state(store_dir, tmp_path / "b" / ".sparql")
    same_as_first = _app_with_state(store_dir, tmp_path / "a" / ".sparql")
    limiters = [app.extensions["sparql_endpoint"].limiter for app in (first, second, same_as_first)]
    assert limiters[0].directory == tmp_path / "a" / ".sparql" / "client-slots"
    held = limiters[0].acquire("198.51.100.7")
    assert limiters[1].acquire("198.51.100.7") is not None  # another deployment: free
    with pytest.raises(SparqlError) as info:
        limiters[2].acquire("198.51.100.7")  # the same deployment's other process: taken
    assert info.value.status == 429
    # and over HTTP: the client's one slot in deployment a does not cost it in b
    response = second.test_client().get(
        "/sparql", query_string={"query": "ASK {}"}, environ_base={"REMOTE_ADDR": "198.51.100.7"}
    )
    assert response.status_code == 200
    held.release()
    for app in (first, second, same_as_first):
        app.extensions["sparql_endpoint"].pool.close()


def test_lock_dir_setting_overrides_the_state_dir(store_dir: Path, tmp_path: Path) -> None:
    app = _app_with_state(store_dir, tmp_path / "state", lock_dir=str(tmp_path / "locks"))
    assert app.extensions["sparql_endpoint"].limiter.directory == tmp_path / "locks"
    assert not (tmp_path / "state").exists()


def test_without_state_dir_each_base_uri_has_its_own_folder() -> None:
    one = lock_directory("", None, "http://127.0.0.1:8001/")
    other = lock_directory("", None, "http://127.0.0.1:8002/")
    assert one != other and one.parent == other.parent
    assert lock_directory("", None, "http://127.0.0.1:8001/") == one
