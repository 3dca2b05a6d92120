"""The web process's side of the broker: send a query, read its result frames.

One Unix-socket connection per query in flight, kept for the next query when the answer
was read to its end. The broker enforces the deadline; the web process waits a few
seconds longer (``GRACE``) before it gives up on a silent broker itself. Without a
``broker_socket`` setting the endpoint starts a broker of its own (``start_private``),
from one long-lived thread (Linux's parent-death signal follows the thread that forked,
and request threads are short-lived under some servers).
"""

from __future__ import annotations

import atexit
import os
import queue
import socket
import subprocess
import tempfile
import threading
import time
from typing import Any

from sparql_endpoint import wire
from sparql_endpoint.broker import boot_command_broker
from sparql_endpoint.errors import SparqlError
from sparql_endpoint.settings import SparqlSettings

GRACE = 5.0  # seconds a web process waits beyond a deadline before giving up on the broker
START_LIMIT = 60.0  # seconds a private broker may take to start


def _unavailable(message: str = "The query service is not available; try again.") -> SparqlError:
    return SparqlError(503, message, {"Retry-After": "5"})


class Reply:
    """The frames of one job's answer; gives its connection back once read to the end."""

    def __init__(self, client: BrokerClient, conn: wire.Reader, deadline: float):
        self._client = client
        self._conn: wire.Reader | None = conn
        self._deadline = deadline

    def next(self) -> tuple[bytes, Any]:
        conn = self._conn
        if conn is None:
            raise _unavailable()
        conn.sock.settimeout(max(0.05, self._deadline + GRACE - time.monotonic()))
        try:
            kind, value = conn.receive()
        except (TimeoutError, wire.Closed):
            self.abandon()
            raise _unavailable() from None
        if kind in (wire.WHOLE, wire.END, wire.ERROR, wire.STATUS_REPLY):
            self._client.give_back(conn)
            self._conn = None
        return kind, value

    def abandon(self) -> None:
        """Stop reading (the client went away): closing the connection tells the broker
        to stop the query."""
        if self._conn is not None:
            self._conn.sock.close()
            self._conn = None

    @property
    def done(self) -> bool:
        return self._conn is None


class BrokerClient:
    def __init__(self, socket_path: str, process: subprocess.Popen[bytes] | None = None):
        self.socket_path = socket_path
        self.process = process
        self._idle: list[wire.Reader] = []  # connections, each with its read-ahead
        self._lock = threading.Lock()
        self._pid = os.getpid()

    def _connect(self) -> wire.Reader:
        with self._lock:
            if self._pid != os.getpid():  # forked: the parent's connections are not ours
                self._idle = []
                self._pid = os.getpid()
            if self._idle:
                return self._idle.pop()
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.connect(self.socket_path)
        except OSError:
            sock.close()
            raise _unavailable() from None
        return wire.Reader(sock)

    def give_back(self, conn: wire.Reader) -> None:
        with self._lock:
            if len(self._idle) < 64 and self._pid == os.getpid():
                self._idle.append(conn)
                return
        conn.sock.close()

    def submit(self, meta: dict[str, Any], deadline: float) -> Reply:
        conn = self._connect()
        try:
            wire.send(conn.sock, wire.JOB, meta)
        except wire.Closed:
            conn.sock.close()
            conn = self._connect()  # an idle connection may have gone stale: one retry
            try:
                wire.send(conn.sock, wire.JOB, meta)
            except wire.Closed:
                conn.sock.close()
                raise _unavailable() from None
        return Reply(self, conn, deadline)

    def status(self, store: str | None = None, timeout: float = 5.0) -> dict[str, Any]:
        conn = self._connect()
        try:
            wire.send(conn.sock, wire.STATUS, {"store": store})
            reply = Reply(self, conn, time.monotonic() + timeout - GRACE)
            kind, value = reply.next()
        except wire.Closed:
            conn.sock.close()
            raise _unavailable() from None
        if kind != wire.STATUS_REPLY:
            raise _unavailable()
        return dict(value)

    def close(self) -> None:
        with self._lock:
            for conn in self._idle:
                conn.sock.close()
            self._idle = []
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None


class _Spawner:
    """Starts processes from one long-lived thread (see the module docstring)."""

    def __init__(self) -> None:
        self._requests: queue.Queue[tuple[list[str], queue.Queue[Any]]] = queue.Queue()
        threading.Thread(target=self._run, name="sparql-spawner", daemon=True).start()

    def _run(self) -> None:
        while True:
            command, reply = self._requests.get()
            try:
                reply.put(subprocess.Popen(command, stdin=subprocess.DEVNULL, close_fds=True))
            except Exception as exc:  # reported to the caller
                reply.put(exc)

    def spawn(self, command: list[str]) -> subprocess.Popen[bytes]:
        reply: queue.Queue[Any] = queue.Queue()
        self._requests.put((command, reply))
        result = reply.get()
        if isinstance(result, Exception):
            raise result
        return result


_spawner: _Spawner | None = None
_spawner_pid = 0
_spawner_lock = threading.Lock()


def spawn(command: list[str]) -> subprocess.Popen[bytes]:
    """Start ``command`` from this process's long-lived spawner thread."""
    global _spawner, _spawner_pid
    with _spawner_lock:
        if _spawner is None or _spawner_pid != os.getpid():
            _spawner, _spawner_pid = _Spawner(), os.getpid()
        spawner = _spawner
    return spawner.spawn(command)


def socket_path_for(directory: str) -> str:
    return os.path.join(directory, "broker.sock")


def start_private(settings: SparqlSettings) -> BrokerClient:
    """A broker of this process's own, in a private temporary folder."""
    folder = tempfile.mkdtemp(prefix="avoinkunta-sparql-")
    path = socket_path_for(folder)
    process = spawn(boot_command_broker(path, settings))
    client = BrokerClient(path, process)
    atexit.register(client.close)
    wait_for_socket(path, process)
    return client


def wait_for_socket(path: str, process: subprocess.Popen[bytes] | None) -> None:
    deadline = time.monotonic() + START_LIMIT
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the SPARQL broker exited at start ({process.returncode})")
        if os.path.exists(path):
            probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                probe.connect(path)
                return
            except OSError:
                pass
            finally:
                probe.close()
        time.sleep(0.02)
    raise RuntimeError(f"the SPARQL broker did not start within {START_LIMIT:g} s")
