"""The query workers run with jemalloc when the machine has it (setting worker_allocator)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sparql_fixtures import make_app

from sparql_endpoint.allocator import find_jemalloc, running_with_jemalloc, store_host_environment

ENVIRON = {"PATH": "/usr/bin", "LD_PRELOAD": "/opt/other.so"}


def test_auto_preloads_the_library_found_before_what_was_preloaded() -> None:
    env = store_host_environment("auto", ENVIRON, jemalloc="/lib/libjemalloc.so.2")
    assert env == {"PATH": "/usr/bin", "LD_PRELOAD": "/lib/libjemalloc.so.2 /opt/other.so"}


def test_system_or_no_library_inherits_the_environment(tmp_path: Path) -> None:
    assert store_host_environment("system", ENVIRON, jemalloc="/lib/libjemalloc.so.2") is None
    assert find_jemalloc((str(tmp_path / "*" / "libjemalloc.so.2"),)) is None
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "libjemalloc.so.2").write_bytes(b"")
    found = find_jemalloc((str(tmp_path / "*" / "libjemalloc.so.2"),))
    assert found == str(tmp_path / "lib" / "libjemalloc.so.2")


def _workers_with_jemalloc(store_dir: Path, allocator: str) -> list[bool]:
    app = make_app(store_dir, workers=2, worker_allocator=allocator)
    endpoint = app.extensions["sparql_endpoint"]
    try:
        response = app.test_client().get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"})
        assert json.loads(response.data)["boolean"] is True  # the workers answer with it
        return [running_with_jemalloc(pid) for pid in endpoint.status()["worker_pids"]]
    finally:
        endpoint.close()


@pytest.mark.skipif(find_jemalloc() is None, reason="no libjemalloc.so.2 (Debian: libjemalloc2)")
def test_workers_run_with_jemalloc_when_auto_and_without_when_system(store_dir: Path) -> None:
    assert _workers_with_jemalloc(store_dir, "auto") == [True, True]
    assert _workers_with_jemalloc(store_dir, "system") == [False, False]
    assert not running_with_jemalloc()  # this process (like the web processes) keeps its own
