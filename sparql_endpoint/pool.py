"""A pool of query worker processes owned by one web process.

A request checks a worker out, sends it the job and reads its messages under the
request's deadline. A worker that overruns the deadline, or whose client went away
mid-result, is killed (SIGKILL) and replaced at once by a fresh process, so a runaway
query costs one process restart and never blocks anyone else.
"""

from __future__ import annotations

import collections
import os
import queue
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from sparql_endpoint.errors import SparqlError
from sparql_endpoint.settings import SparqlSettings

STARTUP_LIMIT = 60.0  # seconds a new worker may take to start and open the store
_WATCH_INTERVAL = 0.1  # seconds between memory checks of a busy worker
_PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
_PACKAGE_PARENT = str(Path(__file__).resolve().parent.parent)
_BOOT = (
    "import sys; sys.path.insert(0, sys.argv.pop(1)); "
    "from sparql_endpoint.worker import main; main()"
)


class WorkerDied(Exception):
    """The worker process ended while running a job (killed, crashed or out of memory)."""


class OutOfMemory(WorkerDied):
    """The worker's resident memory passed worker_memory_mb while running a job."""


class Overrun(Exception):
    """The deadline passed before the worker's next message (not an OSError, on purpose)."""


class Worker:
    def __init__(self, settings: SparqlSettings, store_path: str = ""):
        parent_end, child_end = socket.socketpair()
        network = "1" if settings.service_allowlist else "0"
        # The store is opened before the worker reports ready, so that a fresh worker
        # answers its first query as fast as a warm one.
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                _BOOT,
                _PACKAGE_PARENT,
                str(child_end.fileno()),
                network,
                store_path,
            ],
            pass_fds=[child_end.fileno()],
            stdin=subprocess.DEVNULL,
            close_fds=True,
        )
        child_end.close()
        self.conn = Connection(parent_end.detach())
        self.ready = False
        self.born = time.monotonic()
        self.sandboxed: bool | None = None
        self.memory_limit = settings.worker_memory_mb * 1024 * 1024

    def resident_bytes(self) -> int:
        """Resident set size from /proc (0 where there is no /proc)."""
        try:
            with open(f"/proc/{self.process.pid}/statm") as statm:
                return int(statm.read().split()[1]) * _PAGE_SIZE
        except (OSError, ValueError, IndexError):
            return 0

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def receive(self, deadline: float) -> tuple[str, Any]:
        """The next message, or Overrun at the deadline, or WorkerDied."""
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise Overrun
            try:
                ready = self.conn.poll(min(remaining, _WATCH_INTERVAL))
                message = self.conn.recv() if ready else None
            except (EOFError, OSError) as exc:
                raise WorkerDied from exc
            if message is None:
                if self.memory_limit and self.resident_bytes() > self.memory_limit:
                    raise OutOfMemory
                continue
            if message[0] == "ready":
                self.ready = True
                self.sandboxed = message[1]["sandboxed"]
                continue
            return message

    def wait_ready(self, deadline: float) -> None:
        """Block until the worker has started: Overrun at the deadline (it goes on
        starting), WorkerDied if it ended or said something else first."""
        if self.ready:
            return
        remaining = deadline - time.monotonic()
        try:
            if remaining <= 0 or not self.conn.poll(remaining):
                raise Overrun
            message = self.conn.recv()
        except (EOFError, OSError) as exc:
            raise WorkerDied from exc
        if message[0] != "ready":
            raise WorkerDied(f"unexpected first message {message[0]!r}")
        self.ready = True
        self.sandboxed = message[1]["sandboxed"]

    def poll_ready(self) -> bool:
        """Has the worker started? Reads its 'ready' message if one is waiting."""
        if not self.ready:
            try:
                if self.conn.poll(0):
                    message = self.conn.recv()
                    if message[0] == "ready":
                        self.ready = True
                        self.sandboxed = message[1]["sandboxed"]
            except (EOFError, OSError):
                return False
        return self.ready

    @property
    def stuck(self) -> bool:
        """Still not started long after it was: something is wrong with it."""
        return not self.ready and time.monotonic() - self.born > STARTUP_LIMIT

    def send(self, job: dict[str, Any]) -> None:
        try:
            self.conn.send(job)
        except OSError as exc:
            raise WorkerDied from exc

    def kill(self) -> None:
        try:
            self.process.kill()
        except OSError:
            pass
        self.process.wait()
        self.conn.close()


class _Spawner:
    """Starts worker processes from one long-lived thread.

    Workers ask the kernel to kill them when their parent dies (PR_SET_PDEATHSIG), and
    for Linux the "parent" is the thread that forked them. Request threads come and go
    (werkzeug starts one per request), so they must not be that thread.
    """

    def __init__(self) -> None:
        self._requests: queue.Queue[tuple[SparqlSettings, str, queue.Queue[Any]]] = queue.Queue()
        threading.Thread(target=self._run, name="sparql-spawner", daemon=True).start()

    def _run(self) -> None:
        while True:
            settings, path, reply = self._requests.get()
            try:
                reply.put(Worker(settings, path))
            except Exception as exc:  # reported to the caller
                reply.put(exc)

    def spawn(self, settings: SparqlSettings, path: str) -> Worker:
        reply: queue.Queue[Any] = queue.Queue()
        self._requests.put((settings, path, reply))
        result = reply.get()
        if isinstance(result, Exception):
            raise result
        return result


class _Idle:
    """The idle workers. take() prefers one that has started, so that a query does not
    wait for a replacement still opening the store while a warm worker sits idle."""

    def __init__(self) -> None:
        self._workers: collections.deque[Worker] = collections.deque()
        self._changed = threading.Condition()

    def put(self, worker: Worker) -> None:
        with self._changed:
            self._workers.append(worker)
            self._changed.notify()

    def qsize(self) -> int:
        return len(self._workers)

    def take(self, timeout: float) -> Worker | None:
        deadline = time.monotonic() + timeout
        with self._changed:
            while not self._workers:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return None
                self._changed.wait(remaining)
            for worker in self._workers:
                if worker.poll_ready():
                    self._workers.remove(worker)
                    return worker
            return self._workers.popleft()


class WorkerPool:
    def __init__(self, settings: SparqlSettings, store_path: Callable[[], Path] | None = None):
        self.settings = settings
        self._store_path = store_path
        self._idle = _Idle()
        self._lock = threading.Lock()
        self._pid: int | None = None
        self._all: set[Worker] = set()
        self.restarts = 0

    def start(self, wait: float = 0.0) -> bool:
        """Start the workers now (they open the store in the background), so that the
        first queries of a new server process do not wait for them; with ``wait``, wait up
        to that many seconds until every one has started. True if all have."""
        self._ensure_started()
        if wait <= 0:  # only spawned; no looking at workers a request may be using
            return all(worker.ready for worker in list(self._all))
        deadline = time.monotonic() + wait
        while True:
            with self._lock:
                workers = list(self._all)
            if all(worker.ready or worker.poll_ready() for worker in workers):
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.02)

    def _ensure_started(self) -> None:
        # Lazily, and again after a fork (gunicorn --preload): workers belong to one process.
        if self._pid == os.getpid():
            return
        with self._lock:
            if self._pid == os.getpid():
                return
            self._idle = _Idle()
            self._all = set()
            self._spawner = _Spawner()
            for _ in range(max(1, self.settings.workers)):
                self._add()
            self._pid = os.getpid()

    def _new_worker(self) -> Worker:
        path = ""
        if self._store_path is not None:
            try:
                path = str(self._store_path())
            except Exception:  # no publication yet: the worker opens it with its first job
                path = ""
        return self._spawner.spawn(self.settings, path)

    def _add(self) -> None:
        worker = self._new_worker()
        self._all.add(worker)
        self._idle.put(worker)

    def acquire(self, deadline: float) -> Worker:
        self._ensure_started()
        wait = min(deadline - time.monotonic(), self.settings.queue_wait)
        worker = self._idle.take(max(0.0, wait))
        if worker is None:
            raise SparqlError(
                503,
                "All query workers are busy; try again in a moment.",
                {"Retry-After": str(max(1, round(self.settings.queue_wait)))},
            )
        if not worker.alive:
            self.discard(worker, replace=False)
            with self._lock:
                self._all.add(worker := self._new_worker())
        return worker

    def release(self, worker: Worker) -> None:
        self._idle.put(worker)

    def discard(self, worker: Worker, replace: bool = True) -> None:
        """Kill a worker (it may be mid-query) and put a fresh one in its place."""
        worker.kill()
        with self._lock:
            self._all.discard(worker)
            self.restarts += 1
            if replace:
                self._add()

    def close(self) -> None:
        with self._lock:
            for worker in list(self._all):
                worker.kill()
            self._all.clear()
            self._pid = None
