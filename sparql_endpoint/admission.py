"""Admission: how many SPARQL requests one web process takes in at a time.

A request that runs a query holds a web-server thread until it is answered (up to
``timeout``). Without a cap, a flood of slow queries takes every thread, and everything
else (pages, /healthz, short queries) waits in the server's queue, where no deadline of
ours is running. So each process admits at most ``workers + queue_length`` queries at
once; one more gets 503 with Retry-After at once, without waiting for anything.
"""

from __future__ import annotations

import math
import threading

from sparql_endpoint.errors import SparqlError
from sparql_endpoint.settings import SparqlSettings


class Admission:
    def __init__(self, settings: SparqlSettings):
        self.limit = max(1, settings.workers) + max(0, settings.queue_length)
        self._free = threading.BoundedSemaphore(self.limit)
        self._retry_after = str(max(1, math.ceil(min(settings.queue_wait, settings.timeout))))

    def enter(self) -> Ticket:
        """A ticket for one query, or SparqlError 503 when the process is full."""
        if not self._free.acquire(blocking=False):
            raise SparqlError(
                503,
                f"The endpoint is running as many queries as it takes ({self.limit} per "
                "server process); try again in a moment.",
                {"Retry-After": self._retry_after},
            )
        return Ticket(self._free)


class Ticket:
    """An admitted query; release() (idempotent) lets the next one in."""

    def __init__(self, semaphore: threading.BoundedSemaphore):
        self._semaphore: threading.BoundedSemaphore | None = semaphore

    def release(self) -> None:
        semaphore, self._semaphore = self._semaphore, None
        if semaphore is not None:
            semaphore.release()

    __del__ = release
