"""The ``/sparql`` blueprint: the HTTP edge of the endpoint.

One view handles every method, so that CORS headers and readable errors are on every
response, including 405 for PUT/DELETE (the W3C test ``bad_query_method``).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urljoin

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, render_template, request

from sparql_endpoint import formats as F
from sparql_endpoint.admission import Admission, Ticket
from sparql_endpoint.errors import SparqlError
from sparql_endpoint.examples import examples
from sparql_endpoint.execute import check_policy, start
from sparql_endpoint.host import Host
from sparql_endpoint.limits import ClientLimiter, ClientSlot
from sparql_endpoint.page_text import in_language, translate
from sparql_endpoint.pool import WorkerPool
from sparql_endpoint.protocol import QueryRequest, RawRequest, parse
from sparql_endpoint.service_description import (
    STATS_BY_GRAPH,
    STATS_CLASSES,
    STATS_DEFAULT,
    describe,
)
from sparql_endpoint.settings import SparqlSettings, settings_help
from sparql_endpoint.vocabulary import prologue

bp = Blueprint(
    "sparql_endpoint",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/sparql-static",
)

METHODS = ["GET", "HEAD", "POST", "OPTIONS", "PUT", "DELETE", "PATCH"]
EXPOSED = "SPARQL-Results-Truncated, SPARQL-Row-Limit, Retry-After, Content-Disposition"
TRUNCATED = "SPARQL-Results-Truncated"
ROW_LIMIT = "SPARQL-Row-Limit"
EXTENSION = "sparql_endpoint"
PREFETCH_BYTES = 256 * 1024  # results up to this size are sent whole, with Content-Length


@dataclass
class Endpoint:
    """Everything the view needs, kept in ``app.extensions['sparql_endpoint']``."""

    settings: SparqlSettings
    store_path: Callable[[], Path]
    host: Host
    pool: WorkerPool
    limiter: ClientLimiter
    admission: Admission
    _stats: dict[str, Any] = field(default_factory=dict)
    _stats_lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.graph_formats = F.graph_formats(self.host.rdf_formats)
        if not self.graph_formats:
            raise ValueError("Host.rdf_formats has no format pyoxigraph can write")

    @property
    def base_uri(self) -> str:
        return self.host.base_uri

    def current_store(self) -> Path:
        """The store to query, or 503 when nothing is published (yet)."""
        try:
            return Path(self.store_path())
        except Exception:
            raise SparqlError(
                503,
                "Nothing is published yet: there is no store to query.",
                {"Retry-After": "60"},
            ) from None

    def admit(self, client: str | None) -> Permit:
        """Let one query in: 429 if ``client`` has its share running, 503 if this process
        is full. Both are decided at once, so a refused query never holds a thread."""
        slot = self.limiter.acquire(client) if client is not None else None
        try:
            ticket = self.admission.enter()
        except BaseException:
            if slot:
                slot.release()
            raise
        return Permit(slot, ticket)

    @property
    def prefixes(self) -> dict[str, str]:
        return dict(self.host.prefixes)

    @property
    def url(self) -> str:
        """The endpoint's absolute URL, from the base URI (never from the Host header)."""
        return urljoin(self.host.base_uri, "sparql")

    def choose(
        self,
        offered: tuple[F.ResultFormat, ...],
        format_param: list[str] | None,
        known: tuple[F.ResultFormat, ...] = (),
    ) -> F.ResultFormat:
        return F.choose(
            request.headers.get("Accept"), offered, format_param, self.host.negotiate, known
        )

    def run_json(self, query: str) -> dict[str, Any]:
        """Run an internal SELECT through the pool (same limits) and parse its JSON."""
        permit = self.admit(None)
        try:
            execution = start(
                self.pool,
                self.settings,
                QueryRequest(query),
                self.current_store(),
                {"solutions": "json", "boolean": "json", "graph": "nt"},
                self.base_uri,
                self.prefixes,
                max_rows=0,
            )
            return json.loads(execution.read_all())
        finally:
            permit.release()

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


@dataclass
class Permit:
    """An admitted query's client slot and process ticket; release() frees both."""

    slot: ClientSlot | None
    ticket: Ticket

    def release(self) -> None:
        if self.slot:
            self.slot.release()
        self.ticket.release()


def endpoint() -> Endpoint:
    return current_app.extensions[EXTENSION]


@bp.after_request
def _cors(response: Response) -> Response:
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = EXPOSED
    response.vary.add("Accept")
    return response


@bp.route("/sparql", methods=METHODS, provide_automatic_options=False)
@bp.route("/sparql/", methods=METHODS, provide_automatic_options=False)
def sparql() -> Response:
    # A refusal raises SparqlError, an HTTP exception the site's error handler renders.
    return _handle(endpoint(), time.monotonic())


def _handle(ep: Endpoint, arrived: float) -> Response:
    if request.method == "OPTIONS":
        response = Response(status=204)
        response.headers["Allow"] = "GET, HEAD, POST, OPTIONS"
        response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, POST, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "Accept, Content-Type"
        response.headers["Access-Control-Max-Age"] = "86400"
        return response
    settings = ep.settings
    body = b""
    if request.method == "POST":
        if (request.content_length or 0) > settings.max_query_length:
            raise SparqlError(
                413, f"Request body is longer than {settings.max_query_length} bytes."
            )
        body = request.stream.read(settings.max_query_length + 1)
    raw = RawRequest(
        request.method, request.query_string, request.headers.get("Content-Type"), body
    )
    query_request = parse(raw, settings.max_query_length)
    format_param = request.args.getlist("format")
    if query_request is None:
        return _no_query(ep, format_param)
    found = check_policy(query_request.query, settings)
    graph_form = found.form in ("CONSTRUCT", "DESCRIBE")
    offered_solutions = (*F.SOLUTION_FORMATS, F.HTML)
    offered_graph = (*ep.graph_formats, F.HTML)
    offered, other = (
        (offered_graph, offered_solutions) if graph_form else (offered_solutions, offered_graph)
    )
    chosen = ep.choose(offered, format_param, known=other)
    try:
        fallback = ep.choose(other, None)
    except SparqlError:
        fallback = other[0]
    graph_fmt, solutions_fmt = (chosen, fallback) if graph_form else (fallback, chosen)
    if chosen is F.HTML:
        return _page(ep, query_request, arrived)
    if solutions_fmt is F.HTML:
        solutions_fmt = F.JSON
    if graph_fmt is F.HTML:
        graph_fmt = ep.graph_formats[0]
    wanted = {
        "solutions": solutions_fmt.name,
        "boolean": solutions_fmt.name,
        "graph": graph_fmt.name,
    }
    permit = ep.admit(request.remote_addr or "unknown")
    try:
        execution = start(
            ep.pool,
            settings,
            query_request,
            ep.current_store(),
            wanted,
            ep.base_uri,
            ep.prefixes,
            arrived=arrived,
        )
    except BaseException:
        permit.release()
        raise
    head = execution.head
    fmt = {f.name: f for f in (*F.SOLUTION_FORMATS, *ep.graph_formats)}[head["format"]]
    headers = {ROW_LIMIT: str(settings.max_rows)}
    if head["truncated"]:
        headers[TRUNCATED] = "true"
    if format_param and request.args.get("download"):
        headers["Content-Disposition"] = f'attachment; filename="results.{fmt.name}"'
    # Most results are small: read them whole, free the worker, send a Content-Length.
    # Larger ones stream on from the worker as the client reads.
    streaming = False
    try:
        first, rest = execution.prefetch(PREFETCH_BYTES)
        if rest is not None and request.method == "HEAD":
            for _ in rest:  # finish the result so that the worker is reusable
                pass
            rest = None
        if rest is None:
            return Response(first, content_type=fmt.content_type, headers=headers)
        streaming = True
    finally:
        if not streaming:
            permit.release()

    def stream(rest: Iterator[bytes]) -> Iterator[bytes]:
        try:
            yield first
            yield from rest
        finally:
            permit.release()

    return Response(
        stream(rest), content_type=fmt.content_type, headers=headers, direct_passthrough=True
    )


def _no_query(ep: Endpoint, format_param: list[str]) -> Response:
    """GET without a query: the service description, or the query page for a browser."""
    chosen = ep.choose((*ep.graph_formats, F.HTML), format_param, known=F.SOLUTION_FORMATS)
    if chosen is F.HTML:
        return _page(ep, None, time.monotonic())
    default_stats, graph_stats = ep.statistics()
    triples = describe(ep.url, ep.settings, default_stats, graph_stats, ep.graph_formats)
    prefixes = {
        "sd": "http://www.w3.org/ns/sparql-service-description#",
        "void": "http://rdfs.org/ns/void#",
        "dct": "http://purl.org/dc/terms/",
        "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
        "formats": "http://www.w3.org/ns/formats/",
    }
    data = ox.serialize(
        triples,
        format=chosen.rdf,
        prefixes=prefixes if chosen.rdf in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else None,
    )
    return Response(data, content_type=chosen.content_type)


# --- the query page -----------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    text: str
    href: str | None = None
    note: str = ""  # language tag or datatype


def _cell(term: dict[str, Any] | None, prefixes: dict[str, str]) -> Cell:
    if term is None:
        return Cell("")
    value = term["value"]
    if term["type"] == "uri":
        return Cell(_shorten(value, prefixes), value)
    if term["type"] == "bnode":
        return Cell("_:" + value)
    if term["type"] == "triple":
        return Cell(json.dumps(value))
    note = term.get("xml:lang", "")
    if not note and "datatype" in term:
        note = _shorten(term["datatype"], prefixes)
    return Cell(value, None, note)


def _shorten(iri: str, prefixes: dict[str, str]) -> str:
    best = ""
    for name, namespace in prefixes.items():
        if iri.startswith(namespace) and len(namespace) > len(prefixes.get(best, "")):
            local = iri[len(namespace) :]
            if local and all(c.isalnum() or c in "-_." for c in local):
                best = name
    return f"{best}:{iri[len(prefixes[best]) :]}" if best else iri


def _ntriples_cell(term: Any, prefixes: dict[str, str]) -> Cell:
    if isinstance(term, ox.NamedNode):
        return Cell(_shorten(term.value, prefixes), term.value)
    if isinstance(term, ox.BlankNode):
        return Cell("_:" + term.value)
    if isinstance(term, ox.Literal):
        note = term.language or _shorten(term.datatype.value, prefixes)
        return Cell(term.value, None, note)
    return Cell(str(term))


def _page(ep: Endpoint, query_request: QueryRequest | None, arrived: float) -> Response:
    host = ep.host
    prefixes = ep.prefixes
    default_query = query_request.query if query_request else examples()[0].text(prefixes)
    lang_param = request.args.get("lang")
    lang = host.choose_language(lang_param, request.headers.get("Accept-Language"))
    preference = host.language_preference(lang)
    context: dict[str, Any] = {
        "lang": lang,
        "languages": host.languages,
        # the home page keeps a language that was chosen with ?lang=
        "home": host.home + ("?" + urlencode({"lang": lang}) if lang_param else ""),
        "t": lambda key: translate(key, lang, host.translate),
        # switching language keeps a query given in the URL
        "lang_links": {
            code: "?" + urlencode({**request.args.to_dict(flat=False), "lang": code}, doseq=True)
            for code in host.languages
        },
        "query": default_query,
        "examples": [
            (
                ex,
                ex.text(prefixes),
                in_language(ex.title, preference),
                in_language(ex.note, preference),
            )
            for ex in examples()
        ],
        "prologue": prologue(prefixes),
        "prefixes": prefixes,
        "settings": ep.settings,
        "settings_help": settings_help(),
        "columns": [],
        "rows": [],
        "boolean": None,
        "error": None,
        "truncated": False,
        "downloads": [],
        "ran": query_request is not None,
        "status": 200,
    }
    if query_request is not None:
        permit = None
        try:
            check_policy(query_request.query, ep.settings)
            permit = ep.admit(request.remote_addr or "unknown")
            execution = start(
                ep.pool,
                ep.settings,
                query_request,
                ep.current_store(),
                {"solutions": "json", "boolean": "json", "graph": "nt"},
                ep.base_uri,
                ep.prefixes,
                arrived=arrived,
            )
            data = execution.read_all()
            context["truncated"] = execution.head["truncated"]
            _fill_results(context, execution.head["kind"], data, ep.prefixes)
            kinds = ep.graph_formats if execution.head["kind"] == "graph" else F.SOLUTION_FORMATS
            params = {
                "query": query_request.query,
                "default-graph-uri": list(query_request.default_graph_uris),
                "named-graph-uri": list(query_request.named_graph_uris),
            }
            for fmt in kinds:
                href = "?" + urlencode({**params, "format": fmt.name, "download": "1"}, doseq=True)
                context["downloads"].append((fmt, href))
        except SparqlError as error:
            context["error"] = error.message
            context["status"] = error.status
        finally:
            if permit:
                permit.release()
    html = render_template("sparql_endpoint/query.html", **context)
    response = Response(html, status=context["status"], content_type="text/html; charset=utf-8")
    response.vary.add("Accept-Language")
    return response


def _fill_results(
    context: dict[str, Any], kind: str, data: bytes, prefixes: dict[str, str]
) -> None:
    if kind == "boolean":
        context["boolean"] = json.loads(data)["boolean"]
    elif kind == "solutions":
        parsed = json.loads(data)
        columns = parsed["head"]["vars"]
        context["columns"] = columns
        context["rows"] = [
            [_cell(b.get(c), prefixes) for c in columns] for b in parsed["results"]["bindings"]
        ]
    else:
        context["columns"] = ["subject", "predicate", "object"]
        context["rows"] = [
            [
                _ntriples_cell(t.subject, prefixes),
                _ntriples_cell(t.predicate, prefixes),
                _ntriples_cell(t.object, prefixes),
            ]
            for t in ox.parse(data, ox.RdfFormat.N_TRIPLES)
        ]
