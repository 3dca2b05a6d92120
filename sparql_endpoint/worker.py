"""The query worker: a separate process that opens the store read-only and runs queries.

The web process sends one job at a time over a Unix socket and reads back a stream of
messages: ``("head", info)``, then ``("data", bytes)`` chunks, then ``("end", None)``
(or, for a result that fits in one chunk, the single message ``("whole", {head, data})``);
or ``("error", {"status", "message"})`` at any point. The web process enforces the
time limit by killing this process, which is why queries never run in the web
process itself (pyoxigraph cannot be interrupted, and a thread cannot be killed).

Started as ``python -c 'from sparql_endpoint.worker import main; main()' FD NET [STORE]``.
"""

from __future__ import annotations

import itertools
import sys
from multiprocessing.connection import Connection
from typing import Any

import pyoxigraph as ox

from sparql_endpoint import sandbox

CHUNK = 64 * 1024
_FORMATS_RESULTS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
_FORMATS_RDF = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdf": ox.RdfFormat.RDF_XML,
}


class QueryFailed(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


class _ChunkWriter:
    """A binary file-like object that forwards what is written in CHUNK-sized messages.

    The result's head goes out with the first chunk; a result that fits in one chunk
    travels as a single ``("whole", {"head", "data"})`` message (one round trip)."""

    def __init__(self, conn: Connection, head: dict[str, Any]):
        self._conn = conn
        self._head: dict[str, Any] | None = head
        self._buffer = bytearray()

    def write(self, data: bytes) -> int:
        self._buffer += data
        if len(self._buffer) >= CHUNK:
            if self._head is not None:
                self._conn.send(("head", self._head))
                self._head = None
            self._conn.send(("data", bytes(self._buffer)))
            self._buffer.clear()
        return len(data)

    def flush(self) -> None:
        pass

    def finish(self) -> None:
        if self._head is not None:
            self._conn.send(("whole", {"head": self._head, "data": bytes(self._buffer)}))
        else:
            if self._buffer:
                self._conn.send(("data", bytes(self._buffer)))
            self._conn.send(("end", None))
        self._buffer.clear()


class _Stores:
    """The open store; reopened when the web process names another publication."""

    def __init__(self) -> None:
        self.path: str | None = None
        self.store: ox.Store | None = None

    def get(self, path: str) -> ox.Store:
        if self.store is None or path != self.path:
            self.store = None  # release the old publication first
            try:
                self.store = ox.Store.read_only(path)
            except OSError as exc:
                raise QueryFailed(503, f"The published store cannot be opened: {exc}") from None
            self.path = path
        return self.store


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


def run_job(stores: _Stores, job: dict[str, Any], conn: Connection) -> None:
    store = stores.get(job["store_path"])
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
        raise QueryFailed(400, f"Query syntax error: {exc}") from None
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
    writer = _ChunkWriter(conn, head)
    try:
        if kind == "boolean":
            result.serialize(writer, _FORMATS_RESULTS[fmt_name])
        elif kind == "solutions":
            if items is None:
                result.serialize(writer, _FORMATS_RESULTS[fmt_name])
            else:
                # pyoxigraph serialises only its own QuerySolutions; rebuild one from
                # the capped rows through TSV, which is lossless for RDF terms.
                capped = ox.parse_query_results(
                    _tsv(list(result.variables), items), ox.QueryResultsFormat.TSV
                )
                capped.serialize(writer, _FORMATS_RESULTS[fmt_name])
        else:
            triples = result if items is None else items
            prefixes = job.get("prefixes") if fmt_name in ("ttl", "rdf") else None
            ox.serialize(triples, writer, _FORMATS_RDF[fmt_name], prefixes=prefixes)
    except (OSError, RuntimeError, ValueError, TypeError) as exc:
        raise QueryFailed(500, f"Query evaluation failed while writing results: {exc}") from None
    writer.finish()


def serve(conn: Connection, stores: _Stores) -> None:
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            run_job(stores, job, conn)
        except QueryFailed as failure:
            conn.send(("error", {"status": failure.status, "message": failure.message}))


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    fd, network = int(argv[0]), argv[1] == "1"
    store_path = argv[2] if len(argv) > 2 else ""
    sandbox.die_with_parent()
    sandboxed = False if network else sandbox.forbid_inet_sockets()
    conn = Connection(fd)
    stores = _Stores()
    if store_path:
        try:
            stores.get(store_path)
        except QueryFailed:
            pass  # reported with the first job that needs the store
    try:
        conn.send(("ready", {"sandboxed": sandboxed}))
    except OSError:  # the web process is already gone
        return
    serve(conn, stores)
