"""Run one query under the endpoint's policies: read-only, SERVICE allow-list, time limit.

``start()`` checks the query text, takes a worker, sends the job and waits for the
result's head; ``Execution.chunks()`` then yields the serialised result as it arrives.
The deadline (settings.timeout from arrival) covers waiting, evaluation and writing:
when it passes, the worker is killed and replaced, and the client gets 503.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sparql_endpoint.errors import SparqlError
from sparql_endpoint.pool import OutOfMemory, Overrun, Worker, WorkerDied, WorkerPool
from sparql_endpoint.protocol import READ_ONLY, QueryRequest
from sparql_endpoint.scan import Scan, scan
from sparql_endpoint.settings import SparqlSettings


def check_policy(text: str, settings: SparqlSettings) -> Scan:
    """Refuse updates and SERVICE calls outside the allow-list, before anything runs."""
    found = scan(text)
    if found.is_update:
        raise SparqlError(403, READ_ONLY)
    allowed = set(settings.service_allowlist)
    for target in found.services:
        if target is None or target not in allowed:
            where = "a computed or relative IRI" if target is None else f"<{target}>"
            raise SparqlError(
                403,
                f"SERVICE {where} is not allowed: this endpoint does not query other "
                "endpoints" + (f" except {', '.join(sorted(allowed))}." if allowed else "."),
            )
    return found


def timeout_error(settings: SparqlSettings) -> SparqlError:
    return SparqlError(
        503,
        f"The query did not finish within {settings.timeout:g} seconds and was stopped. "
        "Narrow it down (more specific patterns, LIMIT) and try again.",
    )


@dataclass
class Execution:
    pool: WorkerPool
    worker: Worker | None
    deadline: float
    head: dict[str, Any]
    settings: SparqlSettings
    ended: bool = False  # True once the worker said the whole result was sent
    buffered: bytes = b""  # a result that came whole with its head

    def chunks(self) -> Iterator[bytes]:
        """The serialised result; the worker goes back to the pool only after 'end'."""
        if self.buffered:
            data, self.buffered = self.buffered, b""
            yield data
        worker, self.worker = self.worker, None
        if worker is None:
            return
        finished = False
        try:
            while True:
                kind, payload = worker.receive(self.deadline)
                if kind == "data":
                    yield payload
                elif kind == "end":
                    finished = self.ended = True
                    return
                else:  # an error after the head: nothing to do but cut the stream
                    return
        except (Overrun, WorkerDied):
            return
        finally:
            if finished:
                self.pool.release(worker)
            else:
                self.pool.discard(worker)

    def prefetch(self, limit: int) -> tuple[bytes, Iterator[bytes] | None]:
        """Read up to ``limit`` bytes ahead. A result that ends within them comes back
        whole (and its worker is free at once): ``(body, None)``. A longer one comes back
        as ``(first bytes, iterator over the rest)`` to be streamed."""
        chunks = self.chunks()
        buffered: list[bytes] = []
        size = 0
        for chunk in chunks:
            buffered.append(chunk)
            size += len(chunk)
            if size >= limit:
                return b"".join(buffered), chunks
        if not self.ended:
            raise timeout_error(self.settings)
        return b"".join(buffered), None

    def read_all(self) -> bytes:
        """The whole result, or SparqlError 503 if it could not be finished in time."""
        body = b"".join(self.chunks())
        if not self.ended:
            raise timeout_error(self.settings)
        return body

    def close(self) -> None:
        """Give up on an unread result (kills the worker: it may be mid-stream)."""
        if self.worker is not None:
            self.pool.discard(self.worker)
            self.worker = None


def start(
    pool: WorkerPool,
    settings: SparqlSettings,
    request: QueryRequest,
    store_path: Path,
    formats: dict[str, str],
    base_iri: str | None,
    prefixes: dict[str, str],
    arrived: float | None = None,
    max_rows: int | None = None,
) -> Execution:
    found = check_policy(request.query, settings)
    deadline = (arrived if arrived is not None else time.monotonic()) + settings.timeout
    job = {
        "store_path": str(store_path),
        "query": request.query,
        "default_graph_uris": list(request.default_graph_uris),
        "named_graph_uris": list(request.named_graph_uris),
        "has_from": found.has_from,
        "formats": formats,
        "max_rows": settings.max_rows if max_rows is None else max_rows,
        "base_iri": base_iri,
        "prefixes": prefixes,
    }
    worker = pool.acquire(deadline)
    try:
        # A worker still starting (after a restart) counts against the query's time too:
        # the client is answered within `timeout` of arrival, whatever it waited for.
        worker.wait_ready(deadline)
        worker.send(job)
        kind, payload = worker.receive(deadline)
    except Overrun:
        if worker.ready or worker.stuck:
            pool.discard(worker)  # it is running the query (or will never start): stop it
        else:
            pool.release(worker)  # still starting, and will serve the next query
        raise timeout_error(settings) from None
    except OutOfMemory:
        pool.discard(worker)
        raise SparqlError(
            503,
            f"The query needed more than {settings.worker_memory_mb} MiB of memory and "
            "was stopped. Narrow it down and try again.",
        ) from None
    except WorkerDied:
        pool.discard(worker)
        raise SparqlError(
            503,
            "The query's worker process ended unexpectedly; try again.",
        ) from None
    if kind == "error":
        pool.release(worker)
        raise SparqlError(payload["status"], payload["message"])
    if kind == "whole":  # small result: the worker is free already
        pool.release(worker)
        return Execution(pool, None, deadline, payload["head"], settings, True, payload["data"])
    return Execution(pool, worker, deadline, payload, settings)
