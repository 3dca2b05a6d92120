"""The store host: one process per publication that holds its store and forks workers.

Every query worker is a ``fork()`` of this process, so a replacement for a killed worker
is ready in milliseconds and the workers share the interpreter's pages. By default
each worker then opens the publication's RocksDB store read-only (the operating
system's page cache holds it once for all). With ``store_in_memory`` this process first
copies the store into an in-memory pyoxigraph store, which answers two to five times
faster; but the copy does not stay shared: pyoxigraph's in-memory store writes to its
pages as it reads them, so a worker's first query makes most of it private (measured at
30,000 offerings: 515 of 631 MiB after one query), and each worker process ends up with
a copy of its own. So only for small stores, or with ``worker_threads`` (below).

With ``worker_threads`` above 1, a fork is a *group*: one process that serves that many
workers' sockets, each in a thread of its own, sharing one opened store (its caches, or
the in-memory copy's pages, which the first queries make private to the group once
instead of to every worker). A fork request is then answered with a free socket of the
newest group while it has one, else with the first of a new group, and the thread behind
it is told its worker's CPU priority (``wire.PRIORITY``: Linux keeps a nice value per
thread); every worker of a group carries the group's pidfd, so stopping one stops them all.

Started by the broker as ``python -c …store_host.main FD STORE MEMORY NETWORK THREADS``
with one end of a SOCK_SEQPACKET pair. It sends ``("ready", info)`` or ``("failed", message)``,
then answers each ``("fork", {"nice": n})`` with ``("forked", {"pid": …})`` carrying two
file descriptors: the worker's end of its socket and a pidfd (so the broker can kill it
without racing pid reuse).
"""

from __future__ import annotations

import gc
import os
import pickle
import select
import signal
import socket
import sys
import threading
import time
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from sparql_endpoint import sandbox, wire, worker

_BOOT = (
    "import sys; sys.path.insert(0, sys.argv.pop(1)); "
    "from sparql_endpoint.store_host import main; main()"
)


def boot_command(
    package_parent: str, fd: int, store: str, memory: bool, network: bool, threads: int = 1
) -> list[str]:
    return [
        sys.executable,
        "-c",
        _BOOT,
        package_parent,
        str(fd),
        store,
        "1" if memory else "0",
        "1" if network else "0",
        str(threads),
    ]


def _resident_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def load(path: str, memory: bool) -> ox.Store | None:
    """The store every worker queries: an in-memory copy, or None: then each worker opens
    the on-disk store itself, after the fork (this process never opens it, so that no
    RocksDB thread exists when it forks)."""
    if not memory:
        if not os.path.isdir(path) or not os.path.exists(os.path.join(path, "CURRENT")):
            raise OSError(f"{path} is not a store")
        return None
    disk = ox.Store.read_only(path)
    copy = ox.Store()
    copy.bulk_extend(disk.quads_for_pattern(None, None, None, None))
    del disk
    return copy


def _send(control: socket.socket, message: tuple[str, Any], fds: tuple[int, ...] = ()) -> None:
    data = pickle.dumps(message)
    if fds:
        socket.send_fds(control, [data], list(fds))
    else:
        control.send(data)


@dataclass
class _Group:
    """A worker process, with the workers' sockets of it not handed out yet."""

    pid: int
    pidfd: int
    free: list[socket.socket]

    def alive(self) -> bool:
        ended, _, _ = select.select([self.pidfd], [], [], 0)  # a pidfd reads once it exits
        return not ended

    def close(self) -> None:
        for sock in self.free:
            sock.close()
        self.free = []
        os.close(self.pidfd)


_group: _Group | None = None  # the worker process with workers' sockets still to hand out


def _fork_worker(
    control: socket.socket,
    store: ox.Store | None,
    path: str,
    options: dict[str, Any],
    network: bool,
    threads: int = 1,
) -> None:
    """Answer a fork request: a worker's socket and its process's pidfd."""
    global _group
    nice = int(options.get("nice") or 0)
    if threads == 1:  # a process of its own, at the worker's CPU priority
        group = _fork_group(control, store, path, nice, network, 1)
    else:  # a thread of the current worker process, told its priority below
        group = _take_group() or _fork_group(control, store, path, 0, network, threads)
    sock = group.free.pop(0)
    try:
        if threads > 1:
            wire.send(sock, wire.PRIORITY, {"nice": nice})
        _send(control, ("forked", {"pid": group.pid}), (sock.fileno(), group.pidfd))
    finally:
        sock.close()
    if group.free:
        _group = group
    else:
        group.close()


def _take_group() -> _Group | None:
    """The worker process with workers still to hand out, if it is still running."""
    global _group
    group, _group = _group, None
    if group is not None and not group.alive():  # stopped before all were handed out
        group.close()
        return None
    return group


def _fork_group(
    control: socket.socket,
    store: ox.Store | None,
    path: str,
    nice: int,
    network: bool,
    threads: int,
) -> _Group:
    """Fork a worker process that serves ``threads`` workers' sockets (usually one)."""
    pairs = [socket.socketpair() for _ in range(threads)]
    pid = os.fork()
    if pid == 0:  # the worker process
        try:
            control.close()
            if _group is not None:
                _group.close()
            for parent_end, _child_end in pairs:
                parent_end.close()
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            sandbox.die_with_parent()
            if nice:
                os.nice(nice)
            sandboxed = False if network else sandbox.forbid_inet_sockets()
            opened = store if store is not None else ox.Store.read_only(path)
            ends = [child_end for _parent_end, child_end in pairs]
            if len(ends) == 1:
                _serve_worker(wire.Reader(ends[0]), opened, sandboxed)
            else:  # the process ends once the broker has closed every worker's socket
                served = [
                    threading.Thread(target=_serve_thread, args=(end, opened, sandboxed))
                    for end in ends
                ]
                for thread in served:
                    thread.start()
                for thread in served:
                    thread.join()
        finally:
            os._exit(0)
    for _parent_end, child_end in pairs:
        child_end.close()
    return _Group(pid, os.pidfd_open(pid), [parent_end for parent_end, _ in pairs])


def _serve_thread(sock: socket.socket, store: ox.Store, sandboxed: bool) -> None:
    """A worker that is a thread: it waits until it is handed out, which tells it its CPU
    priority (Linux keeps a nice value per thread), then serves as a worker process does."""
    reader = wire.Reader(sock)
    try:
        kind, value = reader.receive()
    except wire.Closed:
        return  # never handed out (its process was replaced or the store host ended)
    if kind == wire.PRIORITY and value.get("nice"):
        base = os.getpriority(os.PRIO_PROCESS, 0)
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), base + int(value["nice"]))
    _serve_worker(reader, store, sandboxed)


def _serve_worker(reader: wire.Reader, store: ox.Store, sandboxed: bool) -> None:
    # The first frame says the worker is up, and how much memory its process holds
    # already (its share of the store): the memory limit counts from there.
    info = {"sandboxed": sandboxed, "resident_mb": _resident_mb()}
    wire.send(reader.sock, wire.STATUS_REPLY, info)
    worker.serve(reader.sock, store, reader)


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    fd, path, memory, network = int(argv[0]), argv[1], argv[2] == "1", argv[3] == "1"
    threads = int(argv[4]) if len(argv) > 4 else 1
    sandbox.die_with_parent()
    # Exited workers are reaped by the kernel: no zombies, nothing to wait for.
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    control = socket.socket(fileno=fd)
    started = time.monotonic()
    try:
        store = load(path, memory)
    except (OSError, ValueError) as exc:
        _send(control, ("failed", f"The published store cannot be opened: {exc}"))
        return
    quads = len(store) if store is not None else None
    gc.collect()
    gc.freeze()  # keep the collector off the shared pages, so that they stay shared
    _send(
        control,
        (
            "ready",
            {
                "quads": quads,
                "seconds": round(time.monotonic() - started, 3),
                "resident_mb": round(_resident_mb(), 1),
            },
        ),
    )
    while True:
        try:
            data = control.recv(65536)
        except OSError:
            return
        if not data:
            return  # the broker is gone
        command, options = pickle.loads(data)
        if command == "fork":
            _fork_worker(control, store, path, options, network, threads)
