"""Per-client concurrency: at most N queries in flight per client address.

Counted with ``flock`` on small lock files, so the limit holds across every server
process on the host (gunicorn workers) and a crashed process releases its slots.
Addresses are hashed into a fixed number of buckets, which bounds the number of files;
two clients rarely share a bucket, and when they do they share its slots.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import tempfile
from pathlib import Path

from sparql_endpoint.errors import SparqlError

BUCKETS = 65536


class ClientSlot:
    """A held slot; release() frees it (and so, as a safety net, does garbage collection,
    so that a slot can never stay taken by a response object that was dropped)."""

    def __init__(self, fd: int):
        self._fd: int | None = fd

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor drops the flock
            self._fd = None

    __del__ = release


def lock_directory(lock_dir: str, state_dir: Path | None, base_uri: str) -> Path:
    """Where one deployment keeps its lock files: ``lock_dir`` if set, else its state
    directory, else a folder per base URI in the temporary directory. Deployments must not
    share one: a client's queries on one server would take its slots on another."""
    if lock_dir:
        return Path(lock_dir)
    if state_dir is not None:
        return Path(state_dir) / "client-slots"
    mine = Path(tempfile.gettempdir()) / f"avoinkunta-sparql-{os.getuid()}"
    mine.mkdir(mode=0o700, exist_ok=True)
    # In a shared temporary directory, refuse a folder someone else prepared.
    if mine.stat().st_uid != os.getuid():
        raise RuntimeError(f"{mine} belongs to another user; set lock_dir")
    return mine / hashlib.sha256(base_uri.encode()).hexdigest()[:16]


class ClientLimiter:
    def __init__(self, slots: int, lock_dir: str | Path = ""):
        self.slots = slots
        self.directory = Path(lock_dir or lock_directory("", None, ""))
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        if self.directory.stat().st_uid != os.getuid():
            raise RuntimeError(f"{self.directory} belongs to another user; set lock_dir")

    def acquire(self, client: str) -> ClientSlot | None:
        """A slot for this client, or SparqlError 429; None when the limit is off."""
        if self.slots <= 0:
            return None
        bucket = int.from_bytes(hashlib.sha256(client.encode()).digest()[:4], "big") % BUCKETS
        for slot in range(self.slots):
            path = self.directory / f"{bucket:05d}.{slot}"
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                continue
            return ClientSlot(fd)
        raise SparqlError(
            429,
            f"You already have {self.slots} queries running; wait for one to finish.",
            {"Retry-After": "1"},
        )
