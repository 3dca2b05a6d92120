"""The endpoint as one object: settings, the site's Host, and the broker connection.

Kept in ``app.extensions['sparql_endpoint']``; the views (``blueprint.py``) and the
lean path for plain queries (``fastpath.py``) both go through ``Endpoint.run``.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from sparql_endpoint import formats as F
from sparql_endpoint.client import BrokerClient, start_private
from sparql_endpoint.errors import SparqlError
from sparql_endpoint.execute import Execution, start
from sparql_endpoint.host import Host
from sparql_endpoint.protocol import QueryRequest
from sparql_endpoint.scan import Scan
from sparql_endpoint.service_description import STATS_BY_GRAPH, STATS_CLASSES, STATS_DEFAULT
from sparql_endpoint.settings import SparqlSettings, worker_count

INTERNAL = "internal"  # the client name of the endpoint's own queries (statistics)


class Endpoint:
    def __init__(self, settings: SparqlSettings, store_path: Callable[[], Path], host: Host):
        self.settings = settings
        self.store_path = store_path
        self.host = host
        self.graph_formats = F.graph_formats(host.rdf_formats)
        if not self.graph_formats:
            raise ValueError("Host.rdf_formats has no format pyoxigraph can write")
        self.formats_by_name = {f.name: f for f in (*F.SOLUTION_FORMATS, *self.graph_formats)}
        self.prefixes = dict(host.prefixes)
        self.prefixes_digest = hashlib.sha256(
            json.dumps(self.prefixes, sort_keys=True).encode()
        ).digest()
        self.url = urljoin(host.base_uri, "sparql")  # from the base URI, never from Host
        self._broker: BrokerClient | None = None
        self._broker_lock = threading.Lock()
        self._stats: dict[str, Any] = {}
        self._stats_lock = threading.Lock()
        self._negotiated: dict[tuple[Any, ...], tuple[F.ResultFormat, F.ResultFormat]] = {}
        solutions = (*F.SOLUTION_FORMATS, F.HTML)
        graphs = (*self.graph_formats, F.HTML)
        # (offered, the other kind) for a query that gives solutions / a graph
        self._offers = {False: (solutions, graphs), True: (graphs, solutions)}

    @property
    def base_uri(self) -> str:
        return self.host.base_uri

    def negotiated(
        self, accept: str | None, graph_form: bool, format_param: tuple[str, ...]
    ) -> tuple[F.ResultFormat, F.ResultFormat]:
        """(format for this kind of result — a graph or solutions, the query page
        included — and the format had it been the other kind), memoised: clients send the
        same few Accept headers again and again."""
        key = (accept, graph_form, format_param)
        found = self._negotiated.get(key)
        if found is None:
            offered, other = self._offers[graph_form]
            negotiate = self.host.negotiate
            chosen = F.choose(accept, offered, format_param, negotiate, known=other)
            try:
                fallback = F.choose(accept, other, None, negotiate)
            except SparqlError:
                fallback = other[0]
            found = (chosen, fallback)
            if len(self._negotiated) > 512:
                self._negotiated.clear()
            self._negotiated[key] = found
        return found

    # --- the broker ------------------------------------------------------------------

    @property
    def broker(self) -> BrokerClient:
        """The server's broker (``broker_socket``), or one of this app's own, started on
        first use."""
        if self._broker is None:
            with self._broker_lock:
                if self._broker is None:
                    if self.settings.broker_socket:
                        self._broker = BrokerClient(self.settings.broker_socket)
                    else:
                        self._broker = start_private(self.settings)
        return self._broker

    def status(self) -> dict[str, Any]:
        """The broker's figures; asking also makes it load the current publication."""
        try:
            store: str | None = str(self.current_store())
        except SparqlError:
            store = None
        return self.broker.status(store)

    def start(self, wait: float = 0.0) -> bool:
        """Have the broker load the current publication and start its workers; with
        ``wait``, wait up to that many seconds for all of them. True once they are up."""
        deadline = time.monotonic() + wait
        while True:
            status = self.status()
            if (
                status["ready"]
                and status.get("serving_wanted")
                and status["workers"] >= worker_count(self.settings)
            ):
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.05)

    def close(self) -> None:
        if self._broker is not None:
            self._broker.close()
            self._broker = None

    # --- queries ---------------------------------------------------------------------

    def current_store(self) -> Path:
        """The store to query, or 503 when nothing is published (yet)."""
        try:
            path = self.store_path()
            return path if isinstance(path, Path) else Path(path)
        except Exception:
            raise SparqlError(
                503,
                "Nothing is published yet: there is no store to query.",
                {"Retry-After": "60"},
            ) from None

    def run(
        self,
        query_request: QueryRequest,
        solutions: F.ResultFormat,
        graph: F.ResultFormat,
        client: str,
        arrived: float,
        found: Scan | None = None,
        max_rows: int | None = None,
        internal: bool = False,
    ) -> Execution:
        return start(
            self.broker,
            self.settings,
            query_request,
            self.current_store(),
            {"solutions": solutions.name, "boolean": solutions.name, "graph": graph.name},
            graph.media_type,
            self.base_uri,
            self.prefixes,
            self.prefixes_digest,
            client,
            arrived=arrived,
            max_rows=max_rows,
            internal=internal,
            found=found,
        )

    def run_json(self, query: str) -> dict[str, Any]:
        """Run an internal SELECT through the broker (same time limit) and parse it."""
        execution = self.run(
            QueryRequest(query),
            F.JSON,
            self.graph_formats[0],
            INTERNAL,
            time.monotonic(),
            max_rows=0,
            internal=True,
        )
        return json.loads(execution.read_all())

    def statistics(self) -> tuple[dict[str, int], dict[str, dict[str, int]]]:
        """VoID figures of the current publication, computed once per store path."""
        path = str(self.current_store())
        with self._stats_lock:
            if path in self._stats:
                return self._stats[path]

        def numbers(binding: dict[str, Any]) -> dict[str, int]:
            return {k: int(v["value"]) for k, v in binding.items() if k != "g"}

        default = numbers(self.run_json(STATS_DEFAULT)["results"]["bindings"][0])
        default.update(numbers(self.run_json(STATS_CLASSES)["results"]["bindings"][0]))
        graphs = {
            b["g"]["value"]: numbers(b)
            for b in self.run_json(STATS_BY_GRAPH)["results"]["bindings"]
            if b.get("g", {}).get("type") == "uri"
        }
        with self._stats_lock:
            self._stats = {path: (default, graphs)}
        return default, graphs
