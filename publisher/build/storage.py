"""The publication's store (pyoxigraph, RocksDB): on a cold build, bulk-loaded chunk by
chunk while the files are still being checked (``StoreLoader``); when the previous
publication may be reused, a checkpoint of its store (hard links to its immutable files:
instant) with the difference applied (``update_store``)."""

from __future__ import annotations

import gc
import itertools
import queue
import threading
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

BULK_SLICE = 500_000  # quads per bulk_extend call


def load_store(path: Path, nquads: Path) -> int:
    """A new store at ``path`` with the quads of an N-Quads file; returns their number."""
    path.mkdir(parents=True)
    store = ox.Store(str(path))
    # Not Store.bulk_load: it renames blank nodes; ours keep their content-derived labels
    # (the same in the dumps, the store and every document, build after build).
    # Lenient: the dump is pyoxigraph's writing of terms checked when the files were
    # mapped; the same quads, without checking every IRI again (about half the parse).
    quads = iter(
        ox.parse(
            path=str(nquads), format=ox.RdfFormat.N_QUADS, rename_blank_nodes=False, lenient=True
        )
    )
    # In slices: the bulk loader holds what it is given in memory (1.2 GB for 1.8 M quads
    # at once; 0.8 GB in slices of 600,000, for 10 % more CPU).
    while batch := list(itertools.islice(quads, BULK_SLICE)):
        store.bulk_extend(batch)
    return _close(store)


def update_store(
    path: Path, previous: Path, removed: bytes, added: bytes, quads: int | None = None
) -> int:
    """A copy of the store at ``previous`` (left untouched) with the N-Quads ``removed``
    taken out and ``added`` put in; returns the number of quads it holds. ``quads`` is that
    number for ``previous``, when known: counting a store reads all of it (~0.8 s at 1.8 M
    quads), so the difference is counted instead, quad by quad."""
    source = ox.Store.read_only(str(previous))
    source.backup(str(path))
    del source
    store = ox.Store(str(path))
    if quads is None:
        for quad in _quads(removed):
            store.remove(quad)
        store.extend(_quads(added))
        return _close(store)
    for quad in _quads(removed):
        if quad in store:
            store.remove(quad)
            quads -= 1
    for quad in _quads(added):
        if quad not in store:
            store.add(quad)
            quads += 1
    store.flush()
    return quads  # the store is closed as this returns (see _close)


def _quads(data: bytes) -> Iterable[ox.Quad]:
    """Lines of the dumps (pyoxigraph's writing of checked terms): read leniently."""
    return ox.parse(data, format=ox.RdfFormat.N_QUADS, rename_blank_nodes=False, lenient=True)


def _close(store: ox.Store) -> int:
    """Flush the store; the number of quads it holds. The store must be closed before
    anyone opens it read-only: pyoxigraph closes it when the last reference goes, which
    is the caller's, as the caller returns (no garbage collection needed: a store is in
    no reference cycle, and collecting every object of a big build costs ~0.5 s)."""
    store.flush()
    return len(store)


class StoreLoader:
    """Loads a new store from N-Quads handed to it while the build goes on: a thread that
    parses each chunk and bulk-loads every BULK_SLICE quads, so that on a cold build the
    store is ready when the last file is (the build's own process is otherwise idle while
    the worker processes read, map and validate)."""

    def __init__(self, path: Path) -> None:
        path.mkdir(parents=True)
        self._store: ox.Store | None = ox.Store(str(path))
        self._queue: queue.Queue[bytes | None] = queue.Queue(maxsize=64)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="store-loader", daemon=True)
        self._thread.start()

    def add(self, nquads: bytes) -> None:
        if self._error is not None:
            raise self._error
        self._queue.put(nquads)

    def finish(self) -> int:
        """Wait for every quad to be in the store; close it; the number of quads."""
        self._queue.put(None)
        self._thread.join()
        if self._error is not None:
            raise self._error
        store, self._store = self._store, None
        assert store is not None
        return _close(store)

    def abort(self) -> None:
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()
        self._store = None
        gc.collect()

    def _run(self) -> None:
        batch: list[ox.Quad] = []
        try:
            assert self._store is not None
            while (data := self._queue.get()) is not None:
                batch.extend(_quads(data))
                if len(batch) >= BULK_SLICE:
                    self._store.bulk_extend(batch)
                    batch = []
            if batch:
                self._store.bulk_extend(batch)
        except BaseException as exc:  # handed to the build by add() / finish()
            self._error = exc
            while self._queue.get() is not None:  # drain until told to stop
                pass
