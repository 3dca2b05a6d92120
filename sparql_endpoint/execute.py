"""Run one query under the endpoint's policies: read-only, SERVICE allow-list, nesting,
then through the broker (admission, fairness, time and memory limits).

``start()`` checks the query text and sends the job; it returns once the result's head
(or the whole of a small result) is back. ``Execution.chunks()`` then yields the
serialised result as it arrives. A query may wait ``settings.queue_wait`` from its
arrival for a free worker, then run ``settings.timeout`` on it (evaluation and writing);
the broker kills a worker that overruns it.
"""

from __future__ import annotations

import hashlib
import pickle
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sparql_endpoint import wire
from sparql_endpoint.client import BrokerClient, Reply
from sparql_endpoint.errors import SparqlError
from sparql_endpoint.protocol import READ_ONLY, QueryRequest
from sparql_endpoint.scan import Scan, scan
from sparql_endpoint.settings import SparqlSettings


def check_policy(text: str, settings: SparqlSettings) -> Scan:
    """Refuse updates, SERVICE calls outside the allow-list and deep nesting, before
    anything runs."""
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
    if found.depth > settings.max_nesting:
        raise SparqlError(
            400,
            f"The query nests groups {found.depth} levels deep; this endpoint accepts at "
            f"most {settings.max_nesting}.",
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
    head: dict[str, Any]
    settings: SparqlSettings
    reply: Reply | None = None  # None: the whole result came with the head
    buffered: bytes = b""
    ended: bool = False  # True once the whole result has arrived
    _started: bool = field(default=False, repr=False)

    def chunks(self) -> Iterator[bytes]:
        """The serialised result as it arrives from the worker."""
        if self.buffered:
            data, self.buffered = self.buffered, b""
            yield data
        reply, self.reply = self.reply, None
        if reply is None:
            return
        try:
            while True:
                kind, payload = reply.next()
                if kind == wire.DATA:
                    yield payload
                elif kind == wire.END:
                    self.ended = True
                    return
                else:  # an error after the head (time limit): nothing to do but cut it
                    return
        except SparqlError:
            return
        finally:
            if not reply.done:
                reply.abandon()  # the client went away: the broker stops the query

    def prefetch(self, limit: int) -> tuple[bytes, Iterator[bytes] | None]:
        """Read up to ``limit`` bytes ahead. A result that ends within them comes back
        whole: ``(body, None)``. A longer one comes back as ``(first bytes, iterator over
        the rest)`` to be streamed."""
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
        """Give up on an unread result."""
        if self.reply is not None:
            self.reply.abandon()
            self.reply = None


def cache_key(job: Mapping[str, Any], prefixes_digest: bytes) -> bytes:
    """Everything in a job that changes its answer (the publication is added by the
    broker): the query, the dataset, the formats, the row cap, the base and prefixes."""
    parts = (
        job["query"],
        tuple(job["default_graph_uris"]),
        tuple(job["named_graph_uris"]),
        job["has_from"],
        tuple(sorted(job["formats"].items())),
        job["graph_media_type"],
        job["max_rows"],
        job["base_iri"],
    )
    return hashlib.sha256(pickle.dumps(parts) + prefixes_digest).digest()


def start(
    broker: BrokerClient,
    settings: SparqlSettings,
    request: QueryRequest,
    store_path: Path,
    formats: dict[str, str],
    graph_media_type: str,
    base_iri: str | None,
    prefixes: Mapping[str, str],
    prefixes_digest: bytes,
    client: str,
    arrived: float | None = None,
    max_rows: int | None = None,
    internal: bool = False,
    found: Scan | None = None,
) -> Execution:
    found = found or check_policy(request.query, settings)
    now = time.monotonic()
    arrived = now if arrived is None else arrived
    # Its answer at the latest: queue_wait, then timeout on a worker (while the workers are
    # still starting, the broker lets a query wait its running time on top).
    deadline = arrived + settings.queue_wait + 2 * settings.timeout
    job = {
        "query": request.query,
        "default_graph_uris": list(request.default_graph_uris),
        "named_graph_uris": list(request.named_graph_uris),
        "has_from": found.has_from,
        "formats": formats,
        "graph_media_type": graph_media_type,
        "max_rows": settings.max_rows if max_rows is None else max_rows,
        "base_iri": base_iri,
        "prefixes": dict(prefixes),
        # what the engine needs to parse it: the predeclared prefixes that it uses and
        # does not declare itself (each one passed costs the engine's parser time)
        "parse_prefixes": {
            name: prefixes[name]
            for name in found.names_used
            if name in prefixes and name not in found.prefixes
        },
    }
    meta = {
        "waited": max(0.0, now - arrived),
        "timeout": settings.timeout,
        "client": client,
        "store": str(store_path),
        "job": pickle.dumps(job, protocol=5),
        "cache_key": cache_key(job, prefixes_digest) if settings.result_cache_mb else None,
        "internal": internal,
        "text": request.query[:120],
    }
    reply = broker.submit(meta, deadline)
    kind, payload = reply.next()
    if kind == wire.ERROR:
        position = payload.get("position")
        raise SparqlError(
            payload["status"],
            payload["message"],
            payload.get("headers"),
            tuple(position) if position else None,
        )
    if kind == wire.WHOLE:  # small result: it came whole
        return Execution(payload["head"], settings, None, payload["data"], True)
    if kind == wire.HEAD:
        return Execution(payload, settings, reply)
    reply.abandon()
    raise SparqlError(503, "The query service answered out of turn; try again.")
