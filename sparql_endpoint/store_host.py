"""The store host: one process per publication that holds its store and forks workers.

Every query worker is a ``fork()`` of this process, so a replacement for a killed worker
is ready in milliseconds and the workers share the interpreter's pages. By default
each worker then opens the publication's RocksDB store read-only (the operating
system's page cache holds it once for all). With ``store_in_memory`` this process first
copies the store into an in-memory pyoxigraph store, which answers two to five times
faster; but the copy does not stay shared: pyoxigraph's in-memory store writes to its
pages as it reads them, so a worker's first query makes most of it private (measured at
30,000 offerings: 515 of 631 MiB after one query), and each worker ends up with a copy
of its own. So only for small stores.

Started by the broker as ``python -c …store_host.main FD STORE MEMORY NETWORK`` with one
end of a SOCK_SEQPACKET pair. It sends ``("ready", info)`` or ``("failed", message)``,
then answers each ``("fork", {"nice": n})`` with ``("forked", {"pid": …})`` carrying two
file descriptors: the worker's end of its socket and a pidfd (so the broker can kill it
without racing pid reuse).
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import socket
import sys
import time
from typing import Any

import pyoxigraph as ox

from sparql_endpoint import sandbox, wire, worker

_BOOT = (
    "import sys; sys.path.insert(0, sys.argv.pop(1)); "
    "from sparql_endpoint.store_host import main; main()"
)


def boot_command(
    package_parent: str, fd: int, store: str, memory: bool, network: bool
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


def _fork_worker(
    control: socket.socket,
    store: ox.Store | None,
    path: str,
    options: dict[str, Any],
    network: bool,
) -> None:
    parent_end, child_end = socket.socketpair()
    pid = os.fork()
    if pid == 0:  # the worker
        try:
            control.close()
            parent_end.close()
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            sandbox.die_with_parent()
            if options.get("nice"):
                os.nice(int(options["nice"]))
            sandboxed = False if network else sandbox.forbid_inet_sockets()
            opened = store if store is not None else ox.Store.read_only(path)
            # The first frame says the worker is up, and how much memory it holds
            # already (its share of the store): the memory limit counts from there.
            wire.send(
                child_end,
                wire.STATUS_REPLY,
                {"sandboxed": sandboxed, "resident_mb": _resident_mb()},
            )
            worker.serve(child_end, opened)
        finally:
            os._exit(0)
    child_end.close()
    pidfd = os.pidfd_open(pid)
    try:
        _send(control, ("forked", {"pid": pid}), (parent_end.fileno(), pidfd))
    finally:
        parent_end.close()
        os.close(pidfd)


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    fd, path, memory, network = int(argv[0]), argv[1], argv[2] == "1", argv[3] == "1"
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
            _fork_worker(control, store, path, options, network)
