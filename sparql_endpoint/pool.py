"""A pool of query worker processes owned by one web process.

A request checks a worker out, sends it the job and reads its messages under the
request's deadline. A worker that overruns the deadline, or whose client went away
mid-result, is killed (SIGKILL) and replaced at once by a fresh process, so a runaway
query costs one process restart and never blocks anyone else.
"""

from __future__ import annotations

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

    def wait_ready(self, limit: float = STARTUP_LIMIT) -> float:
        """Block until the worker has started; the seconds waited (0 if it already had)."""
        if self.ready:
            return 0.0
        began = time.monotonic()
        try:
            if not self.conn.poll(limit):
                raise WorkerDied("the worker did not start in time")
            message = self.conn.recv()
        except (EOFError, OSError) as exc:
            raise WorkerDied from exc
        if message[0] != "ready":
            raise WorkerDied(f"unexpected first message {message[0]!r}")
        self.ready = True
        self.sandboxed = message[1]["sandboxed"]
        return time.monotonic() - began

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


class WorkerPool:
    def __init__(self, settings: SparqlSettings, store_path: Callable[[], Path] | None = None):
        self.settings = settings
        self._store_path = store_path
        self._idle: queue.Queue[Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._pid: int | None = None
        self._all: set[Worker] = set()
        self.restarts = 0

    def _ensure_started(self) -> None:
        # Lazily, and again after a fork (gunicorn --preload): workers belong to one process.
        if self._pid == os.getpid():
            return
        with self._lock:
            if self._pid == os.getpid():
                return
            self._idle = queue.Queue()
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
        try:
            worker = self._idle.get(timeout=max(0.0, wait))
        except queue.Empty:
            raise SparqlError(
                503,
                "All query workers are busy; try again in a moment.",
                {"Retry-After": str(max(1, round(self.settings.queue_wait)))},
            ) from None
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
