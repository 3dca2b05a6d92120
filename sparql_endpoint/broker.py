"""The query broker: ONE pool of query workers shared by every web process of a server.

Web processes send each query to the broker over a Unix socket; the broker admits it or
refuses it at once, queues it fairly, runs it on a worker forked from the store host of
the publication, forwards the result frames untouched, and enforces the limits:

* **admission** (global, so it no longer depends on how the web server spreads
  connections over its processes): a client over its query-time budget or with
  ``per_client_concurrency`` queries running or waiting gets 429 + Retry-After; beyond
  ``queue_length`` waiting queries, 503 + Retry-After at once (a light client's query
  takes the place of the heaviest client's newest waiting one instead);
* **fair scheduling** (``fairness.py``): the client that used least goes first; the
  ``reserved_workers`` run only light clients' queries, at a better CPU priority;
* **time**: a query still waiting ``queue_wait`` after its arrival at the web process
  gets 503; one still running ``timeout`` after it started on a worker has its worker killed
  (SIGKILL through a pidfd) and replaced by a fresh fork, and the client gets 503;
* **memory**: a busy worker whose resident memory grew by more than ``worker_memory_mb``
  is killed the same way; a worker that dies on its own gives a logged 503. When the
  workers together keep more than ``worker_keep_mb`` each after their queries (each
  one's RocksDB caches fill up to ~160 MiB), one that keeps more than that is recycled: a
  fresh fork is started, and the old one serves on until it is up (``_recycle``,
  ``_drop_recycled``), so the pool never has a worker fewer;
* **publications**: a job names its store; a new one gets a new store host while the
  previous one goes on answering until the new one is loaded, so a new publication
  never drops or fails a request in flight; then the old host is retired;
* **results cache**: whole results up to 256 KiB, keyed by the web process's cache key
  and the publication that answered, up to ``result_cache_mb``.

Started as ``python -c …broker.main PACKAGE_PARENT SOCKET SETTINGS_JSON``; it runs until
its parent dies (or SIGTERM).
"""

from __future__ import annotations

import collections
import os
import pickle
import selectors
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sparql_endpoint import allocator, sandbox, wire
from sparql_endpoint.fairness import Fairness
from sparql_endpoint.settings import SparqlSettings, worker_count
from sparql_endpoint.store_host import boot_command

PACKAGE_PARENT = str(Path(__file__).resolve().parent.parent)
MEMORY_CHECK_INTERVAL = 0.1  # seconds between memory checks of a busy worker
RESERVED_SLICE = 0.5  # seconds a query may hold a reserved worker while light ones wait
CACHEABLE_BYTES = 256 * 1024
OUT_HIGH_WATER = 4 * 1024 * 1024  # stop reading a worker while its client lags this much
OUT_LOW_WATER = 1024 * 1024
KEEP_CHECK_AFTER = 0.02  # seconds a job must have run before its worker's memory is read
_PAGE = os.sysconf("SC_PAGE_SIZE")
_BOOT = (
    "import sys; sys.path.insert(0, sys.argv.pop(1)); "
    "from sparql_endpoint.broker import main; main()"
)


def boot_command_broker(socket_path: str, settings: SparqlSettings) -> list[str]:
    return [
        sys.executable,
        "-c",
        _BOOT,
        PACKAGE_PARENT,
        socket_path,
        settings.model_dump_json(),
    ]


# the last log lines, also in status()
RECENT: collections.deque[str] = collections.deque(maxlen=50)


def _reserved_nice(worker_nice: int) -> int:
    """The reserved workers' nice value: 6 better than the others', at least 0."""
    return max(0, worker_nice - 6)


def log(message: str) -> None:
    RECENT.append(message)
    print(f"[sparql-broker {os.getpid()}] {message}", file=sys.stderr, flush=True)


def _error_frame(status: int, message: str, headers: dict[str, str] | None = None) -> bytes:
    return wire.encode(wire.ERROR, {"status": status, "message": message, "headers": headers or {}})


@dataclass(eq=False)
class Job:
    conn: WebConn
    client: str
    store: str
    arrived: float
    queue_deadline: float
    payload: bytes  # the JOB frame for the worker
    cache_key: bytes | None
    internal: bool
    text: str  # the query's first characters, for the log
    worker: Worker | None = None
    started: float = 0.0
    run_time: float = 0.0  # seconds it may run once started (settings.timeout)
    deadline: float = 0.0  # once started: when its time is up
    streaming: bool = False
    host: StoreHost | None = None
    sent: bool = False  # some of its answer has gone to the web process
    retried: bool = False  # ran again after its process was stopped (worker_threads)


@dataclass(eq=False)
class WebConn:
    sock: socket.socket
    buffer: wire.FrameBuffer = field(default_factory=wire.FrameBuffer)
    out: bytearray = field(default_factory=bytearray)
    job: Job | None = None
    closed: bool = False


@dataclass(eq=False)
class Worker:
    sock: socket.socket
    pidfd: int
    pid: int
    host: StoreHost
    reserved: bool
    ready: bool = False
    baseline: int = 0  # resident bytes when it started
    sandboxed: bool | None = None
    buffer: wire.FrameBuffer = field(default_factory=wire.FrameBuffer)
    job: Job | None = None
    paused: bool = False  # not reading: its client lags behind
    dead: bool = False
    freed: float = 0.0  # when it last finished a job
    recycled: bool = False  # keeps too much memory: its replacement is coming up
    promoted: bool = False  # was reserved; its long query runs on as a general worker's
    kept: int = 0  # bytes over its baseline, as last read after a job

    def resident_bytes(self) -> int:
        try:
            with open(f"/proc/{self.pid}/statm") as statm:
                return int(statm.read().split()[1]) * _PAGE
        except (OSError, ValueError, IndexError):
            return 0


@dataclass(eq=False)
class StoreHost:
    path: str
    control: socket.socket
    process: subprocess.Popen[bytes]
    serial: int  # order of arrival: the newest ready host answers
    state: str = "loading"  # loading, ready, failed, retired
    info: dict[str, Any] = field(default_factory=dict)
    failure: str = ""
    workers: list[Worker] = field(default_factory=list)
    forks_pending: list[bool] = field(default_factory=list)  # reserved? per pending fork


class Broker:
    def __init__(self, settings: SparqlSettings, socket_path: str):
        self.settings = settings
        self.socket_path = socket_path
        # workers per worker process (worker_threads): never more than the pool holds
        self.threads = min(settings.worker_threads, worker_count(settings))
        self.selector = selectors.DefaultSelector()
        self.fairness: Fairness[Job] = Fairness(
            settings.client_budget, settings.client_burst, settings.light_client_seconds
        )
        self.hosts: dict[str, StoreHost] = {}
        self.serial = 0
        self.running: set[Job] = set()
        self.restarts = 0
        self.recycled = 0
        self.promoted = 0
        self.retried = 0
        self.served = 0
        self.cache: collections.OrderedDict[tuple[str, bytes], bytes] = collections.OrderedDict()
        self.cache_bytes = 0
        self.cache_hits = 0
        self._next_memory_check = 0.0
        self._next_forget = 0.0
        self._stopping = False

    # --- set-up ----------------------------------------------------------------------

    def listen(self) -> None:
        try:
            os.unlink(self.socket_path)
        except FileNotFoundError:
            pass
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(self.socket_path)
        os.chmod(self.socket_path, 0o600)
        listener.listen(1024)
        listener.setblocking(False)
        self.listener = listener
        self.selector.register(listener, selectors.EVENT_READ, ("accept", None))

    def run(self) -> None:
        self.listen()
        log(f"listening on {self.socket_path}")
        while not self._stopping:
            now = time.monotonic()
            for key, mask in self.selector.select(self._timeout(now)):
                kind, obj = key.data
                if kind == "accept":
                    self._accept()
                elif kind == "web":
                    if mask & selectors.EVENT_READ:
                        self._web_readable(obj)
                    if mask & selectors.EVENT_WRITE and not obj.closed:
                        self._flush(obj)
                elif kind == "worker":
                    self._worker_readable(obj)
                elif kind == "host":
                    self._host_readable(obj)
            now = time.monotonic()
            self._enforce(now)
            self._schedule(now)

    def stop(self, *_args: Any) -> None:
        self._stopping = True

    def _timeout(self, now: float) -> float:
        due = [1.0]
        for job in self.running:
            due.append(job.deadline - now)
            due.append(MEMORY_CHECK_INTERVAL)
        coming_up = self._coming_up(now)
        for _address, job in self.fairness.waiting():
            due.append(self._wait_deadline(job, coming_up(job)) - now)
        return max(0.0, min(due))

    def _coming_up(self, now: float) -> Callable[[Job], bool]:
        """Whether a waiting job waits for workers that are still coming up (the
        publication loading, or no worker it may use started yet) rather than for busy
        ones: such a job may wait longer than queue_wait (see ``_wait_deadline``)."""
        ready = [h for h in self.hosts.values() if h.state == "ready"]
        if not ready:
            loading = any(h.state == "loading" for h in self.hosts.values())
            return lambda _job: loading
        workers = max(ready, key=lambda h: h.serial).workers
        if all(w.ready for w in workers):
            return lambda _job: False
        general = any(w.ready and not w.reserved for w in workers)
        reserved = any(w.ready and w.reserved for w in workers)

        def coming_up(job: Job) -> bool:
            if general:
                return False
            may_use_reserved = job.internal or self.fairness.is_light(job.client, now)
            return not (reserved and may_use_reserved)

        return coming_up

    @staticmethod
    def _wait_deadline(job: Job, coming_up: bool) -> float:
        """Until when ``job`` may wait: ``queue_wait`` from its arrival; while the workers
        it may use are still coming up, its running time on top (so a client waits no
        longer than it could otherwise, and is not told the workers are busy when none
        was up yet)."""
        return job.queue_deadline + (job.run_time if coming_up else 0.0)

    # --- store hosts and workers -----------------------------------------------------

    def _host(self, path: str) -> StoreHost:
        host = self.hosts.get(path)
        if host is not None and host.state not in ("retired", "failed"):
            return host
        parent, child = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        network = bool(self.settings.service_allowlist)
        process = subprocess.Popen(
            boot_command(
                PACKAGE_PARENT,
                child.fileno(),
                path,
                self.settings.store_in_memory,
                network,
                self.threads,
            ),
            pass_fds=[child.fileno()],
            stdin=subprocess.DEVNULL,
            close_fds=True,
            env=allocator.store_host_environment(self.settings.worker_allocator, os.environ),
        )
        child.close()
        self.serial += 1
        host = StoreHost(path, parent, process, self.serial)
        self.hosts[path] = host
        self.selector.register(parent, selectors.EVENT_READ, ("host", host))
        log(f"loading {path}")
        return host

    def _host_readable(self, host: StoreHost) -> None:
        try:
            data, fds, _flags, _addr = socket.recv_fds(host.control, 65536, 2)
        except OSError:
            data, fds = b"", []
        if not data:
            self._host_gone(host)
            return
        message, info = pickle.loads(data)
        if message == "ready":
            host.state = "ready"
            host.info = info
            where = "in memory" if info.get("quads") is not None else "on disk"
            log(
                f"ready {host.path} ({where}): {info.get('seconds')} s, "
                f"{info.get('resident_mb')} MiB"
            )
            count = worker_count(self.settings)
            reserved = min(self.settings.reserved_workers, count - 1)
            for index in range(count):
                self._fork(host, reserved=index < reserved)
            self._retire_older(host)
        elif message == "failed":
            host.state = "failed"
            host.failure = info
            log(f"cannot load {host.path}: {info}")
            self._refuse_waiting(host.path, 503, info, {"Retry-After": "60"})
        elif message == "forked":
            reserved = host.forks_pending.pop(0) if host.forks_pending else False
            sock = socket.socket(fileno=fds[0])
            sock.setblocking(False)
            worker = Worker(sock, fds[1], info["pid"], host, reserved)
            host.workers.append(worker)
            self.selector.register(sock, selectors.EVENT_READ, ("worker", worker))
            if host.state == "retired":
                self._release(worker)

    def _host_gone(self, host: StoreHost) -> None:
        if host.state not in ("retired", "failed"):
            log(f"store host for {host.path} ended unexpectedly")
            host.state = "failed"
            host.failure = "The query service lost its store; try again."
            self._refuse_waiting(host.path, 503, host.failure, {"Retry-After": "5"})
        self._close_host(host)

    def _close_host(self, host: StoreHost) -> None:
        try:
            self.selector.unregister(host.control)
        except (KeyError, ValueError):
            pass
        host.control.close()
        for worker in list(host.workers):
            self._kill(worker)
        try:
            host.process.kill()
        except OSError:
            pass
        host.process.wait()
        if self.hosts.get(host.path) is host:
            del self.hosts[host.path]
        for key in [k for k in self.cache if k[0] == host.path]:
            self.cache_bytes -= len(self.cache.pop(key))

    def _retire_older(self, newest: StoreHost) -> None:
        for host in list(self.hosts.values()):
            if host is not newest and host.serial < newest.serial and host.state != "retired":
                host.state = "retired"
                log(f"retiring {host.path}")
                for worker in list(host.workers):
                    if worker.job is None:
                        self._release(worker)
                if not host.workers:
                    self._close_host(host)

    def _fork(self, host: StoreHost, reserved: bool) -> None:
        host.forks_pending.append(reserved)
        nice = self.settings.worker_nice
        options = {"nice": _reserved_nice(nice) if reserved else nice}
        try:
            host.control.send(pickle.dumps(("fork", options)))
        except OSError:
            host.forks_pending.pop()

    def _kill(self, worker: Worker, signalled: bool = True) -> None:
        """Stop a worker now: SIGKILL to its process (with worker_threads above 1, every
        worker of that process with it)."""
        if worker.dead:
            return
        worker.dead = True
        if signalled:
            try:
                signal.pidfd_send_signal(worker.pidfd, signal.SIGKILL)
            except OSError:
                pass
        os.close(worker.pidfd)
        try:
            self.selector.unregister(worker.sock)
        except (KeyError, ValueError):
            pass
        worker.sock.close()
        if worker in worker.host.workers:
            worker.host.workers.remove(worker)

    def _release(self, worker: Worker) -> None:
        """End an idle worker that is no longer wanted. A worker sharing its process
        (worker_threads above 1) is let go by closing its socket, which ends its thread
        only: the other workers of the process may be running queries; the process ends
        with its last worker."""
        self._kill(worker, signalled=self.threads == 1)

    def _replace(self, worker: Worker) -> None:
        """Kill a worker (it may be mid-query) and fork a fresh one in its place."""
        host = worker.host
        self._kill(worker)
        self.restarts += 1
        if host.state == "ready" and not worker.recycled:  # (else its fork is coming)
            self._fork(host, worker.reserved)
        elif host.state == "retired" and not host.workers:
            self._close_host(host)

    def _worker_readable(self, worker: Worker) -> None:
        try:
            data = worker.sock.recv(1 << 20)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:
            self._worker_died(worker)
            return
        worker.buffer.feed(data)
        for kind, payload, raw in worker.buffer.frames():
            if kind == wire.STATUS_REPLY and not worker.ready:
                info = pickle.loads(payload)
                worker.ready = True
                worker.sandboxed = info["sandboxed"]
                worker.baseline = worker.resident_bytes()
                self._drop_recycled(worker.host)
                continue
            job = worker.job
            if job is None:
                continue
            if kind == wire.HEAD:
                job.streaming = True
            job.sent = True
            self._to_web(job.conn, raw)
            if kind in (wire.WHOLE, wire.ERROR, wire.END):
                if kind == wire.WHOLE and job.cache_key is not None and job.host is not None:
                    self._cache_put(job.host.path, job.cache_key, raw)
                self._finish(job, worker)
        if worker.job is not None and len(worker.job.conn.out) > OUT_HIGH_WATER:
            worker.paused = True
            self.selector.unregister(worker.sock)

    def _worker_died(self, worker: Worker) -> None:
        job = worker.job
        if job is not None and self._retry(job):
            job = None
        if job is not None:
            log(
                f"worker {worker.pid} ended while running a query from {job.client} "
                f"({job.text!r}); answered 503"
            )
            self._end_job(job)
            self._to_web(
                job.conn,
                _error_frame(503, "The query's worker process ended unexpectedly; try again."),
            )
        self._replace(worker)

    def _retry(self, job: Job) -> bool:
        """With worker_threads, a query whose process ended under it (stopped for a
        neighbour's overrun, mostly) runs again from the start on the fresh process, once,
        if none of its answer has gone out yet: only the runaway is refused."""
        if self.threads == 1 or job.sent or job.retried or job.conn.closed:
            return False
        now = time.monotonic()
        self._end_job(job)  # its time so far is charged to its client
        job.retried = True
        job.worker = job.host = None
        job.queue_deadline = now + self.settings.queue_wait
        job.conn.job = job
        self.fairness.enqueue(job.client, job, now)
        self.retried += 1
        log(f"query from {job.client} ({job.text!r}) runs again: its worker process ended")
        return True

    def _finish(self, job: Job, worker: Worker) -> None:
        self._end_job(job)
        worker.job = None
        worker.freed = time.monotonic()
        self.served += 1
        if worker.host.state == "retired":
            self._release(worker)
            if not worker.host.workers:
                self._close_host(worker.host)
        elif worker.recycled:
            self._drop_recycled(worker.host)
        elif self._keeps_too_much(worker, worker.freed - job.started):
            self._recycle(worker)

    def _keeps_too_much(self, worker: Worker, ran: float) -> bool:
        """Whether a worker that just finished a job should be recycled: it holds more
        than ``worker_keep_mb`` over its start, and the pool's workers together keep more
        than ``worker_keep_mb`` each. So a server that runs one query at a time keeps the
        warm caches of the worker it uses (a fresh worker's cold caches cost its next
        queries ~15 % more CPU), and a busy one stays within the pool's budget. Only
        asked after jobs of some length (reading /proc costs more than a short query's
        own work in the broker, and short ones allocate little)."""
        keep = self.settings.worker_keep_mb * 1024 * 1024
        if not keep or ran < KEEP_CHECK_AFTER or self.threads > 1:
            return False
        worker.kept = worker.resident_bytes() - worker.baseline
        if worker.kept <= keep:
            return False
        live = [w for w in worker.host.workers if not w.dead and not w.recycled]
        return sum(w.kept for w in live) > keep * worker_count(self.settings)

    def _recycle(self, worker: Worker) -> None:
        """Start a fresh fork for a worker that keeps too much memory; the old one goes on
        serving until the new one is up (then ``_drop_recycled`` ends it)."""
        worker.recycled = True
        self.recycled += 1
        self._fork(worker.host, worker.reserved)

    def _drop_recycled(self, host: StoreHost) -> None:
        """End idle recycled workers whose replacements are up: of each kind (reserved or
        not), as many as there are workers beyond the pool's size."""
        count = worker_count(self.settings)
        reserved = min(self.settings.reserved_workers, count - 1)
        for kind, wanted in ((True, reserved), (False, count - reserved)):
            live = [w for w in host.workers if w.reserved is kind and not w.dead]
            if not any(w.recycled for w in live):
                continue
            surplus = sum(1 for w in live if w.ready) - wanted
            for old in [w for w in live if w.recycled and w.job is None][: max(0, surplus)]:
                self._kill(old)

    def _end_job(self, job: Job) -> None:
        now = time.monotonic()
        self.running.discard(job)
        if job.conn.job is job:
            job.conn.job = None
        if not job.internal:
            self.fairness.finish(job.client, now - job.started, now)
        if job.worker is not None:
            job.worker.job = None

    # --- web connections -------------------------------------------------------------

    def _accept(self) -> None:
        while True:
            try:
                sock, _ = self.listener.accept()
            except BlockingIOError:
                return
            sock.setblocking(False)
            conn = WebConn(sock)
            self.selector.register(sock, selectors.EVENT_READ, ("web", conn))

    def _web_readable(self, conn: WebConn) -> None:
        try:
            data = conn.sock.recv(1 << 20)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:
            self._web_closed(conn)
            return
        conn.buffer.feed(data)
        try:
            frames = conn.buffer.frames()
        except wire.Closed:
            self._web_closed(conn)
            return
        for kind, payload, _raw in frames:
            if kind == wire.JOB:
                self._submit(conn, pickle.loads(payload))
            elif kind == wire.STATUS:
                self._to_web(
                    conn, wire.encode(wire.STATUS_REPLY, self.status(pickle.loads(payload)))
                )

    def _web_closed(self, conn: WebConn) -> None:
        if conn.closed:
            return
        conn.closed = True
        try:
            self.selector.unregister(conn.sock)
        except (KeyError, ValueError):
            pass
        conn.sock.close()
        job = conn.job
        if job is None:
            return
        if job.worker is not None:  # the client went away mid-query: stop it
            if self.threads > 1:
                # not by stopping its process, which runs others' queries too: it runs to
                # its end (or its time limit), and its frames are dropped
                conn.out.clear()
                self._resume(job.worker)
                return
            worker = job.worker
            self._end_job(job)
            self._replace(worker)
        else:
            self.fairness.remove(job.client, job)

    def _to_web(self, conn: WebConn, data: bytes) -> None:
        if conn.closed:
            return
        if not conn.out:
            try:
                sent = conn.sock.send(data)
            except BlockingIOError:
                sent = 0
            except OSError:
                self._web_closed(conn)
                return
            if sent == len(data):
                return
            data = data[sent:]
            self.selector.modify(
                conn.sock, selectors.EVENT_READ | selectors.EVENT_WRITE, ("web", conn)
            )
        conn.out += data

    def _flush(self, conn: WebConn) -> None:
        try:
            sent = conn.sock.send(conn.out)
        except BlockingIOError:
            return
        except OSError:
            self._web_closed(conn)
            return
        del conn.out[:sent]
        if not conn.out:
            self.selector.modify(conn.sock, selectors.EVENT_READ, ("web", conn))
        job = conn.job
        if job is not None and job.worker is not None and len(conn.out) < OUT_LOW_WATER:
            self._resume(job.worker)

    def _resume(self, worker: Worker) -> None:
        """Read a paused worker's frames again (its client caught up, or went away)."""
        if worker.paused:
            worker.paused = False
            self.selector.register(worker.sock, selectors.EVENT_READ, ("worker", worker))

    # --- admission and scheduling ----------------------------------------------------

    def _submit(self, conn: WebConn, meta: dict[str, Any]) -> None:
        now = time.monotonic()
        settings = self.settings
        waited = max(0.0, float(meta.get("waited", 0.0)))  # in the web process so far
        run_time = float(meta.get("timeout") or settings.timeout)
        client = str(meta.get("client") or "unknown")
        internal = bool(meta.get("internal"))
        job = Job(
            conn=conn,
            client=client,
            store=str(meta["store"]),
            arrived=now,
            queue_deadline=now + max(0.0, settings.queue_wait - waited),
            run_time=run_time,
            payload=wire.frame(wire.JOB, meta["job"]),
            cache_key=meta.get("cache_key"),
            internal=internal,
            text=str(meta.get("text", ""))[:120],
        )
        host = self._answering(job.store)
        if host is not None and host.state == "failed":
            self._to_web(conn, _error_frame(503, host.failure, {"Retry-After": "60"}))
            return
        if not internal:
            wait = self.fairness.over_budget(client, now)
            if wait is not None:
                self.fairness.refuse(client, now)
                self._to_web(
                    conn,
                    _error_frame(
                        429,
                        f"You have used your share of query time ({settings.client_budget:g} s "
                        f"per minute); try again in {wait} s.",
                        {"Retry-After": str(wait)},
                    ),
                )
                return
            active = self.fairness.client(client, now).active
            limit = settings.per_client_concurrency
            if limit and active >= limit:
                self.fairness.refuse(client, now)
                self._to_web(
                    conn,
                    _error_frame(
                        429,
                        f"You already have {active} queries running or waiting; wait for one "
                        "to finish.",
                        {"Retry-After": "1"},
                    ),
                )
                return
        if host is not None and host.state == "ready" and job.cache_key is not None:
            cached = self._cache_get(host.path, job.cache_key)
            if cached is not None:
                self.cache_hits += 1
                if not internal:
                    self.fairness.charge(client, 0.0, now)
                self._to_web(conn, cached)
                return
        if not self.fairness.queued():
            worker = self._worker_at_once(job, now)
            if worker is not None:  # nothing waits, so no one to be fair to: run it now
                conn.job = job
                self._start(client, job, worker, now, waited=False)
                return
        if not self._room_for(job, now):
            return
        conn.job = job
        self.fairness.enqueue(client, job, now)
        self._schedule(now)

    def _worker_at_once(self, job: Job, now: float) -> Worker | None:
        """The worker ``_schedule`` would give ``job`` were it alone in the queue: the
        warmest idle general one, else a reserved one for a light client; or None."""
        idle = self._idle_workers()
        for worker in idle:
            if not worker.reserved:
                return worker
        if idle and (job.internal or self.fairness.is_light(job.client, now)):
            return idle[0]
        return None

    def _room_for(self, job: Job, now: float) -> bool:
        """Refuse at once when the queue is full (unless a heavier client's waiting query
        makes way for this one); True if the job may wait."""
        if self._usable_worker(job, now) or self.fairness.queued() < self.settings.queue_length:
            return True
        retry = {"Retry-After": str(max(1, round(self.settings.queue_wait)))}
        heaviest: tuple[float, Job] | None = None
        for address, waiting in self.fairness.waiting():
            usage = self.fairness.usage(address, now)
            if heaviest is None or usage > heaviest[0]:
                heaviest = (usage, waiting)
        mine = 0.0 if job.internal else self.fairness.usage(job.client, now)
        if heaviest is not None and heaviest[0] > mine + 1.0:
            evicted = heaviest[1]
            self.fairness.remove(evicted.client, evicted)
            self.fairness.refuse(evicted.client, now, own_doing=False)
            evicted.conn.job = None
            self._to_web(
                evicted.conn,
                _error_frame(
                    503, "The endpoint is busy with other clients' queries; try again.", retry
                ),
            )
            return True
        if not job.internal:
            self.fairness.refuse(job.client, now, own_doing=False)
        self._to_web(
            job.conn,
            _error_frame(
                503,
                f"The endpoint is running as many queries as it takes ({len(self.running)} "
                f"running, {self.fairness.queued()} waiting); try again in a moment.",
                retry,
            ),
        )
        return False

    def _answering(self, path: str) -> StoreHost | None:
        """The host that answers a job naming ``path``: that publication's once loaded,
        meanwhile the newest loaded one (so a switch never fails a query); a new path
        starts loading."""
        wanted = self._host(path)
        if wanted.state == "ready":
            return wanted
        ready = [h for h in self.hosts.values() if h.state == "ready"]
        if ready:
            return max(ready, key=lambda h: h.serial)
        return wanted

    def _idle_workers(self) -> list[Worker]:
        """The serving host's idle workers, the one that finished last first: its caches
        are the warmest."""
        ready = [h for h in self.hosts.values() if h.state == "ready"]
        if not ready:
            return []
        host = max(ready, key=lambda h: h.serial)
        idle = [w for w in host.workers if w.ready and w.job is None and not w.dead]
        return sorted(idle, key=lambda w: -w.freed)

    def _usable_worker(self, job: Job, now: float) -> bool:
        """An idle worker that could take ``job`` now: any general one, a reserved one only
        for a light client (an idle reserved worker is no room for heavy clients, so they
        cannot queue beyond queue_length while it waits for a light one)."""
        idle = self._idle_workers()
        if any(not worker.reserved for worker in idle):
            return True
        return bool(idle) and (job.internal or self.fairness.is_light(job.client, now))

    def _schedule(self, now: float) -> None:
        while self.fairness.queued():
            idle = self._idle_workers()
            if not idle:
                return
            general = [w for w in idle if not w.reserved]
            reserved = [w for w in idle if w.reserved]
            pick = self.fairness.next(now)
            if pick is None:
                return
            address, job = pick
            light = job.internal or self.fairness.is_light(address, now)
            if general:  # the reserved workers are kept for when the others are busy
                worker = general[0]
            elif light:
                worker = reserved[0]
            else:
                # Only reserved workers are free, and the next client is not light: a
                # light client's query may still run.
                pick = self.fairness.next(now, light_only=True)
                if pick is None:
                    return
                address, job = pick
                worker = reserved[0]
            self._start(address, job, worker, now)

    def _start(
        self, address: str, job: Job, worker: Worker, now: float, waited: bool = True
    ) -> None:
        if waited:
            self.fairness.start(address, job, now)
        else:
            self.fairness.begin(address, now)
        job.worker = worker
        job.host = worker.host
        job.started = now
        job.deadline = now + job.run_time  # its whole time, however long it waited
        worker.job = job
        self.running.add(job)
        try:
            worker.sock.sendall(job.payload)
        except OSError:
            self._worker_died(worker)

    def _refuse_waiting(
        self, path: str, status: int, message: str, headers: dict[str, str]
    ) -> None:
        for address, job in list(self.fairness.waiting()):
            if job.store == path and not any(h.state == "ready" for h in self.hosts.values()):
                self.fairness.remove(address, job)
                job.conn.job = None
                self._to_web(job.conn, _error_frame(status, message, headers))

    # --- limits ----------------------------------------------------------------------

    def _preempt_reserved(self, now: float) -> None:
        """A reserved worker is for short queries: one that has run for RESERVED_SLICE
        while a light client's query waits (and no worker is free) gives up its worker:
        promoted to a general worker's query if there is room (``_promote``), else
        stopped, with 503 + Retry-After. (A client new to us looks light until its query
        has run a while.)"""
        if not self.fairness.queued() or self._idle_workers():
            return
        if self.fairness.next(now, light_only=True) is None:
            return
        for job in list(self.running):
            worker = job.worker
            if worker is not None and worker.reserved and now - job.started > RESERVED_SLICE:
                if self._promote(worker):
                    return
                self.fairness.refuse(job.client, now)
                self._to_web(
                    job.conn,
                    _error_frame(
                        503,
                        "The query ran longer than this worker is kept for (short queries of "
                        "light clients) while others waited; try again in a moment.",
                        {"Retry-After": str(max(1, round(self.settings.queue_wait)))},
                    ),
                )
                self._end_job(job)
                self._replace(worker)
                return

    def _promote(self, worker: Worker) -> bool:
        """Let a query that outgrew its reserved worker run on as a general worker's: the
        worker joins the general pool at the general workers' CPU priority (and leaves it
        once its query ends, as a recycled worker does) and a fresh reserved worker is
        forked for the light clients. Stopping the query would throw its work away, and
        a client new to us looks light until its query has run a while. At most
        ``reserved_workers`` promoted queries at a time, so that clients new to us,
        however many, cannot grow the pool: beyond that the query is stopped."""
        host = worker.host
        promoted = sum(1 for w in host.workers if w.promoted and not w.dead)
        if host.state != "ready" or promoted >= self.settings.reserved_workers:
            return False
        nice = self.settings.worker_nice
        try:  # relative: the whole server may run niced
            now_nice = os.getpriority(os.PRIO_PROCESS, worker.pid)
            os.setpriority(os.PRIO_PROCESS, worker.pid, now_nice + nice - _reserved_nice(nice))
        except OSError:
            pass  # it ended meanwhile: its socket says so next
        worker.reserved = False
        worker.promoted = True
        worker.recycled = True  # one more than the general pool: dropped once idle
        self.promoted += 1
        self._fork(host, reserved=True)
        return True

    def _enforce(self, now: float) -> None:
        settings = self.settings
        self._preempt_reserved(now)
        coming_up = self._coming_up(now)
        for address, job in list(self.fairness.waiting()):
            starting = coming_up(job)
            if now >= self._wait_deadline(job, starting):
                self.fairness.remove(address, job)
                self.fairness.refuse(address, now, own_doing=False)
                job.conn.job = None
                ready = any(h.state == "ready" for h in self.hosts.values())
                if not ready:
                    message = "The query service is still loading the publication; try again."
                elif starting:
                    message = "The query service is still starting its workers; try again."
                else:
                    message = "All query workers are busy; try again in a moment."
                self._to_web(
                    job.conn,
                    _error_frame(
                        503, message, {"Retry-After": str(max(1, round(settings.queue_wait)))}
                    ),
                )
        check_memory = settings.worker_memory_mb and now >= self._next_memory_check
        if check_memory:
            self._next_memory_check = now + MEMORY_CHECK_INTERVAL
        # the limit of a process: with worker_threads, its threads' queries together
        limit = settings.worker_memory_mb * 1024 * 1024 * self.threads
        for job in list(self.running):
            worker = job.worker
            if worker is None:
                continue
            if now >= job.deadline:
                self._stop(
                    job,
                    worker,
                    f"The query did not finish within {settings.timeout:g} seconds and was "
                    "stopped. Narrow it down (more specific patterns, LIMIT) and try again.",
                )
            elif check_memory and worker.resident_bytes() - worker.baseline > limit:
                self._stop(
                    job,
                    worker,
                    f"The query needed more than {settings.worker_memory_mb} MiB of memory and "
                    "was stopped. Narrow it down and try again.",
                )
        if now >= self._next_forget:
            self._next_forget = now + 60.0
            self.fairness.forget_idle(now)

    def _stop(self, job: Job, worker: Worker, message: str) -> None:
        if not job.internal:  # a runaway: its client is not light for a while
            self.fairness.refuse(job.client, time.monotonic())
        self._end_job(job)
        self._to_web(job.conn, _error_frame(503, message))
        self._replace(worker)

    # --- results cache ---------------------------------------------------------------

    def _cache_get(self, path: str, key: bytes) -> bytes | None:
        found = self.cache.get((path, key))
        if found is not None:
            self.cache.move_to_end((path, key))
        return found

    def _cache_put(self, path: str, key: bytes, raw: bytes) -> None:
        budget = self.settings.result_cache_mb * 1024 * 1024
        if not budget or len(raw) > CACHEABLE_BYTES:
            return
        previous = self.cache.pop((path, key), None)
        if previous is not None:
            self.cache_bytes -= len(previous)
        self.cache[(path, key)] = raw
        self.cache_bytes += len(raw)
        while self.cache_bytes > budget and self.cache:
            _key, dropped = self.cache.popitem(last=False)
            self.cache_bytes -= len(dropped)

    # --- status ----------------------------------------------------------------------

    def status(self, request: dict[str, Any]) -> dict[str, Any]:
        if request.get("store"):
            self._host(str(request["store"]))  # start loading what the web process serves
        ready = [h for h in self.hosts.values() if h.state == "ready"]
        serving = max(ready, key=lambda h: h.serial) if ready else None
        workers = serving.workers if serving else []
        return {
            "ready": bool(serving and any(w.ready for w in workers)),
            "serving": serving.path if serving else None,
            "serving_wanted": bool(serving and serving.path == request.get("store")),
            "loading": [h.path for h in self.hosts.values() if h.state == "loading"],
            "failed": {h.path: h.failure for h in self.hosts.values() if h.state == "failed"},
            "workers": sum(1 for w in workers if w.ready),
            "busy": sum(1 for w in workers if w.job is not None),
            "sandboxed": [w.sandboxed for w in workers if w.ready],
            "worker_pids": [w.pid for w in workers],
            "worker_processes": len({w.pid for w in workers if not w.dead}),
            "queued": self.fairness.queued(),
            "restarts": self.restarts,
            "recycled": self.recycled,
            "promoted": self.promoted,
            "retried": self.retried,
            "served": self.served,
            "cache_hits": self.cache_hits,
            "cache_bytes": self.cache_bytes,
            "store": serving.info if serving else {},
            "log": list(RECENT),
        }


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    socket_path, settings_json = argv[0], argv[1]
    settings = SparqlSettings.model_validate_json(settings_json)
    sandbox.die_with_parent()
    broker = Broker(settings, socket_path)
    signal.signal(signal.SIGTERM, broker.stop)
    signal.signal(signal.SIGINT, broker.stop)
    try:
        broker.run()
    finally:
        for host in list(broker.hosts.values()):
            broker._close_host(host)
        try:
            os.unlink(socket_path)
        except OSError:
            pass
