"""Per-client slots are shared by every limiter on the host (one per server process)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from sparql_endpoint.errors import SparqlError
from sparql_endpoint.limits import ClientLimiter


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
