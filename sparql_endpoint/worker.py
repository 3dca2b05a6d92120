"""The query worker: a process forked from the store host, running one query at a time.

The broker sends a job frame (``wire.JOB``) over the worker's Unix socket and reads back
``WHOLE`` (a result that fits in one chunk: head and bytes in one frame), or ``HEAD``,
``DATA``… and ``END``; or ``ERROR`` at any point. The broker enforces the time and
memory limits by killing this process, which is why queries never run in a web or
broker process (pyoxigraph cannot be interrupted, and a thread cannot be killed).
"""

from __future__ import annotations

import itertools
import socket
from collections.abc import Iterable
from typing import IO, Any, cast

import pyoxigraph as ox

from sparql_endpoint import wire
from sparql_endpoint.syntax import explain

CHUNK = 64 * 1024
_FORMATS_RESULTS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}


class QueryFailed(Exception):
    def __init__(self, status: int, message: str, position: tuple[int, int] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.position = position


class _ChunkWriter:
    """A binary file-like object that forwards what is written in CHUNK-sized frames.

    The result's head goes out with the first chunk; a result that fits in one chunk
    travels as a single WHOLE frame (one round trip)."""

    def __init__(self, sock: socket.socket, head: dict[str, Any]):
        self._sock = sock
        self._head: dict[str, Any] | None = head
        self._buffer = bytearray()

    def write(self, data: bytes) -> int:
        self._buffer += data
        if len(self._buffer) >= CHUNK:
            if self._head is not None:
                wire.send(self._sock, wire.HEAD, self._head)
                self._head = None
            wire.send(self._sock, wire.DATA, bytes(self._buffer))
            self._buffer.clear()
        return len(data)

    def flush(self) -> None:
        pass

    def finish(self) -> None:
        if self._head is not None:
            wire.send(self._sock, wire.WHOLE, {"head": self._head, "data": bytes(self._buffer)})
        else:
            if self._buffer:
                wire.send(self._sock, wire.DATA, bytes(self._buffer))
            wire.send(self._sock, wire.END, b"")
        self._buffer.clear()


def _dataset_options(job: dict[str, Any]) -> dict[str, Any]:
    default = job.get("default_graph_uris") or []
    named = job.get("named_graph_uris") or []
    if default or named:
        # SPARQL 1.1 Protocol §2.1.4: the protocol's dataset replaces FROM / FROM NAMED.
        return {
            "default_graph": [ox.NamedNode(iri) for iri in default],
            "named_graphs": [ox.NamedNode(iri) for iri in named],
        }
    # No FROM in the query: the default graph is the union of the named graphs.
    return {"use_default_graph_as_union": not job.get("has_from", False)}


def _tsv(variables: list[ox.Variable], rows: list[ox.QuerySolution]) -> str:
    # Terms print in N-Triples syntax, which is exactly what SPARQL TSV cells hold.
    lines = ["\t".join(str(v) for v in variables)]
    for row in rows:
        lines.append("\t".join("" if row[v] is None else str(row[v]) for v in variables))
    return "\n".join(lines) + "\n"


def run_job(store: ox.Store, job: dict[str, Any], sock: socket.socket) -> None:
    try:
        options = _dataset_options(job)
    except ValueError as exc:
        raise QueryFailed(400, f"Invalid graph IRI in the dataset parameters: {exc}") from None
    cap = int(job["max_rows"])
    try:
        result = store.query(
            job["query"], base_iri=job.get("base_iri"), prefixes=job.get("prefixes"), **options
        )
        if isinstance(result, ox.QueryBoolean):
            kind, items, truncated = "boolean", None, False
        else:
            kind = "solutions" if isinstance(result, ox.QuerySolutions) else "graph"
            if cap > 0:
                # Evaluate up to one past the cap before answering, so the head can say
                # whether the result was cut.
                items = list(itertools.islice(result, cap + 1))
                truncated = len(items) > cap
                del items[cap:]
            else:
                items, truncated = None, False
    except SyntaxError as exc:
        problem = explain(job["query"], str(exc))
        position = (problem.line, problem.column) if problem.line and problem.column else None
        raise QueryFailed(400, f"Query syntax error: {problem.message}", position) from None
    except PermissionError:
        raise QueryFailed(
            403, "The query tried to reach the network (SERVICE); this endpoint does not."
        ) from None
    except (OSError, RuntimeError, ValueError, TypeError) as exc:
        raise QueryFailed(500, f"Query evaluation failed: {exc}") from None

    fmt_name = job["formats"][kind]
    head = {
        "kind": kind,
        "format": fmt_name,
        "truncated": truncated,
        "count": None if items is None else len(items),
    }
    writer = _ChunkWriter(sock, head)
    out = cast(IO[bytes], writer)  # pyoxigraph calls only write() (and flush())
    try:
        if isinstance(result, ox.QueryBoolean):
            result.serialize(out, _FORMATS_RESULTS[fmt_name])
        elif isinstance(result, ox.QuerySolutions):
            if items is None:
                result.serialize(out, _FORMATS_RESULTS[fmt_name])
            else:
                # pyoxigraph serialises only its own QuerySolutions; rebuild one from
                # the capped rows through TSV, which is lossless for RDF terms.
                capped = ox.parse_query_results(
                    _tsv(list(result.variables), items), ox.QueryResultsFormat.TSV
                )
                capped.serialize(out, _FORMATS_RESULTS[fmt_name])
        else:
            triples: Iterable[ox.Triple] = result if items is None else items
            rdf_format = ox.RdfFormat.from_media_type(job["graph_media_type"])
            use_prefixes = rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML)
            prefixes = job.get("prefixes") if use_prefixes else None
            ox.serialize(triples, out, rdf_format, prefixes=prefixes)
    except (OSError, RuntimeError, ValueError, TypeError) as exc:
        raise QueryFailed(500, f"Query evaluation failed while writing results: {exc}") from None
    writer.finish()


def serve(sock: socket.socket, store: ox.Store) -> None:
    """Run jobs until the broker closes the socket."""
    while True:
        try:
            kind, job = wire.receive(sock)
        except wire.Closed:
            return
        if kind != wire.JOB:
            continue
        try:
            run_job(store, job, sock)
        except QueryFailed as failure:
            try:
                error = {
                    "status": failure.status,
                    "message": failure.message,
                    "position": failure.position,
                }
                wire.send(sock, wire.ERROR, error)
            except wire.Closed:
                return
        except wire.Closed:
            return
