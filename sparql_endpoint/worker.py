"""The query worker: a process forked from the store host, running one query at a time.

The broker sends a job frame (``wire.JOB``) over the worker's Unix socket and reads back
``WHOLE`` (a result that fits in one chunk: head and bytes in one frame), or ``HEAD``,
``DATA``… and ``END``; or ``ERROR`` at any point. The broker enforces the time and
memory limits by killing this process, which is why queries never run in a web or
broker process (pyoxigraph cannot be interrupted, and a thread cannot be killed).
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterable
from typing import IO, Any, cast

import pyoxigraph as ox

from sparql_endpoint import allocator, wire
from sparql_endpoint.syntax import explain

CHUNK = 64 * 1024
TRIM_AFTER = 0.05  # seconds: a job that ran this long gives its freed heap back


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


class _Full(Exception):
    """Raised from ``_Capped.write`` once the cap is passed: stops the serialiser."""


class _Capped:
    """A binary file-like object that keeps the first ``lines`` lines a serialiser writes
    and stops it (``_Full``) at the first byte beyond them; ``cut`` then says that there
    was more. For SPARQL TSV and N-Triples, where a line is exactly a header, a solution
    or a triple (their syntax escapes line breaks inside terms), this caps a result by
    rows without making a Python object per term: the engine serialises, this counts
    line breaks."""

    def __init__(self, lines: int):
        self._need = lines
        self._parts: list[bytes] = []
        self.cut = False

    def write(self, data: bytes) -> int:
        chunk = bytes(data)
        if not chunk:
            return 0
        breaks = chunk.count(b"\n")
        if breaks < self._need or (breaks == self._need and chunk.endswith(b"\n")):
            self._parts.append(chunk)
            self._need -= breaks
            return len(chunk)
        end = -1
        for _ in range(self._need):
            end = chunk.index(b"\n", end + 1)
        self._parts.append(chunk[: end + 1])
        self._need = 0
        self.cut = True
        raise _Full

    def flush(self) -> None:
        pass

    def value(self) -> bytes:
        return b"".join(self._parts)


def _capped(result: ox.QuerySolutions | ox.QueryTriples, cap: int) -> tuple[bytes, bool]:
    """The first ``cap`` solutions (as SPARQL TSV, with its header line) or triples (as
    N-Triples) of ``result``, and whether there were more."""
    buffer = _Capped(cap if isinstance(result, ox.QueryTriples) else cap + 1)
    out = cast(IO[bytes], buffer)
    try:
        if isinstance(result, ox.QueryTriples):
            result.serialize(out, ox.RdfFormat.N_TRIPLES)
        else:
            result.serialize(out, ox.QueryResultsFormat.TSV)
    except _Full:
        pass
    except OSError:
        if not buffer.cut:
            raise
    return buffer.value(), buffer.cut


def _query(
    store: ox.Store, job: dict[str, Any], options: dict[str, Any]
) -> ox.QueryBoolean | ox.QuerySolutions | ox.QueryTriples:
    """The query, parsed with the predeclared prefixes it uses (``parse_prefixes``, from
    the web process's scan); should the engine find it needs another one, parsed again
    with all of them, which is what the answer or the error is then."""
    everything = job.get("prefixes")
    needed = job.get("parse_prefixes", everything)
    base = job.get("base_iri")
    try:
        return store.query(job["query"], base_iri=base, prefixes=needed, **options)
    except SyntaxError:
        if needed == everything:
            raise
    return store.query(job["query"], base_iri=base, prefixes=everything, **options)


def run_job(store: ox.Store, job: dict[str, Any], sock: socket.socket) -> None:
    try:
        options = _dataset_options(job)
    except ValueError as exc:
        raise QueryFailed(400, f"Invalid graph IRI in the dataset parameters: {exc}") from None
    began = time.monotonic()
    cap = int(job["max_rows"])
    capped: bytes | None = None  # the capped result: TSV (solutions) or N-Triples (graph)
    try:
        result = _query(store, job, options)
        if isinstance(result, ox.QueryBoolean):
            kind, truncated = "boolean", False
        else:
            kind = "solutions" if isinstance(result, ox.QuerySolutions) else "graph"
            truncated = False
            if cap > 0:
                # Evaluate up to one past the cap before answering, so the head can say
                # whether the result was cut.
                capped, truncated = _capped(result, cap)
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
    count = None
    if capped is not None:
        count = capped.count(b"\n") - (0 if kind == "graph" else 1)
    head = {"kind": kind, "format": fmt_name, "truncated": truncated, "count": count}
    writer = _ChunkWriter(sock, head)
    try:
        _write(result, capped, job, writer)
    except (OSError, RuntimeError, ValueError, TypeError) as exc:
        raise QueryFailed(500, f"Query evaluation failed while writing results: {exc}") from None
    if time.monotonic() - began >= TRIM_AFTER:
        # A long query's working memory is freed by now, but glibc keeps it; given back
        # before the last frame, so that the broker (which reads this process's resident
        # memory when the result ends: worker_keep_mb) sees what it really keeps.
        del result
        allocator.trim_heap()
    writer.finish()


def _write(
    result: ox.QueryBoolean | ox.QuerySolutions | ox.QueryTriples,
    capped: bytes | None,
    job: dict[str, Any],
    writer: _ChunkWriter,
) -> None:
    """Serialise the result (or its capped rows) in the format the job asks for."""
    out = cast(IO[bytes], writer)  # pyoxigraph calls only write() (and flush())
    if isinstance(result, ox.QueryBoolean):
        result.serialize(out, _FORMATS_RESULTS[job["formats"]["boolean"]])
    elif isinstance(result, ox.QuerySolutions):
        results_format = _FORMATS_RESULTS[job["formats"]["solutions"]]
        if capped is None:
            result.serialize(out, results_format)
        elif results_format == ox.QueryResultsFormat.TSV:
            writer.write(capped)
        else:
            # TSV is lossless for RDF terms: the engine reads the capped rows back and
            # writes them in the format asked for.
            parsed = ox.parse_query_results(capped, ox.QueryResultsFormat.TSV)
            cast(ox.QuerySolutions, parsed).serialize(out, results_format)
    else:
        rdf_format = ox.RdfFormat.from_media_type(job["graph_media_type"])
        if rdf_format is None:
            raise ValueError(f"no RDF format for {job['graph_media_type']}")
        use_prefixes = rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML)
        prefixes = job.get("prefixes") if use_prefixes else None
        if capped is None:
            ox.serialize(result, out, rdf_format, prefixes=prefixes)
        elif rdf_format == ox.RdfFormat.N_TRIPLES:
            writer.write(capped)
        else:
            triples = cast(Iterable[ox.Triple], ox.parse(capped, ox.RdfFormat.N_TRIPLES))
            ox.serialize(triples, out, rdf_format, prefixes=prefixes)


def serve(sock: socket.socket, store: ox.Store, reader: wire.Reader | None = None) -> None:
    """Run jobs until the broker closes the socket (``reader``: the socket's, if it was
    read from already)."""
    reader = reader or wire.Reader(sock)
    while True:
        try:
            kind, job = reader.receive()
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
