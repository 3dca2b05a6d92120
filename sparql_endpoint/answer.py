"""Answer a query request, framework-neutral: what both the Flask view and the lean WSGI
path (``fastpath.py``) send for a query whose result goes to a program.

``answer()`` returns an ``Answer`` (status 200, headers, body) or ``None`` when the
request is not a plain query (no query: the service description or the query page; or
HTML wanted: the page), which the Flask view then handles. A refusal raises
``SparqlError``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import parse_qsl

from sparql_endpoint import formats as F
from sparql_endpoint.endpoint import Endpoint
from sparql_endpoint.errors import SparqlError
from sparql_endpoint.execute import check_policy
from sparql_endpoint.protocol import QueryRequest, RawRequest, parse
from sparql_endpoint.scan import Scan

EXPOSED = "SPARQL-Results-Truncated, SPARQL-Row-Limit, Retry-After, Content-Disposition"
TRUNCATED = "SPARQL-Results-Truncated"
ROW_LIMIT = "SPARQL-Row-Limit"
PREFETCH_BYTES = 256 * 1024  # results up to this size are sent whole, with Content-Length
CORS = (("Access-Control-Allow-Origin", "*"), ("Access-Control-Expose-Headers", EXPOSED))


@dataclass
class Answer:
    headers: list[tuple[str, str]]
    body: bytes | Iterator[bytes]  # bytes: whole (with Content-Length); else streamed


@dataclass
class Plan:
    """A parsed query request and the formats it will be answered in."""

    query: QueryRequest
    found: Scan
    chosen: F.ResultFormat  # F.HTML: the query page
    solutions: F.ResultFormat
    graph: F.ResultFormat
    format_param: list[str]
    download: bool


def plan(
    ep: Endpoint,
    method: str,
    query_string: bytes,
    content_type: str | None,
    accept: str | None,
    read_body: Callable[[int], bytes],
    content_length: int | None,
) -> Plan | None:
    """Parse and check the request and negotiate its formats; None when it has no query."""
    settings = ep.settings
    body = b""
    if method == "POST":
        if (content_length or 0) > settings.max_query_length:
            raise SparqlError(
                413, f"Request body is longer than {settings.max_query_length} bytes."
            )
        body = read_body(settings.max_query_length + 1)
    query_request = parse(
        RawRequest(method, query_string, content_type, body), settings.max_query_length
    )
    if query_request is None:
        return None
    params = _format_params(query_string)
    format_param = [v for k, v in params if k == "format"]
    download = any(k == "download" and v for k, v in params)
    found = check_policy(query_request.query, settings)
    graph_form = found.form in ("CONSTRUCT", "DESCRIBE")
    chosen, fallback = ep.negotiated(accept, graph_form, tuple(format_param))
    graph, solutions = (chosen, fallback) if graph_form else (fallback, chosen)
    if solutions is F.HTML:
        solutions = F.JSON
    if graph is F.HTML:
        graph = ep.graph_formats[0]
    return Plan(query_request, found, chosen, solutions, graph, format_param, download)


_FORMAT_NAMES = (b"format", b"download")


def _format_params(query_string: bytes) -> list[tuple[str, str]]:
    """The URL's parameters, decoded only when it may hold ``format`` or ``download``:
    the query in it can be long, and most requests have neither."""
    names = [part.partition(b"=")[0] for part in query_string.split(b"&")]
    if not any(b"%" in name or b"+" in name or name in _FORMAT_NAMES for name in names):
        return []
    return parse_qsl(query_string.decode("utf-8", "replace"), keep_blank_values=True)


def run(ep: Endpoint, planned: Plan, client: str, arrived: float, head_only: bool) -> Answer:
    """Run a planned query and shape its answer for a program."""
    execution = ep.run(
        planned.query, planned.solutions, planned.graph, client, arrived, planned.found
    )
    head = execution.head
    fmt = ep.formats_by_name[head["format"]]
    headers = [
        ("Content-Type", fmt.content_type),
        (ROW_LIMIT, str(ep.settings.max_rows)),
        *CORS,
        ("Vary", "Accept"),
    ]
    if head["truncated"]:
        headers.append((TRUNCATED, "true"))
    if planned.format_param and planned.download:
        headers.append(("Content-Disposition", f'attachment; filename="results.{fmt.name}"'))
    # Most results are small: read them whole (the worker is free again at once) and
    # send a Content-Length. Larger ones stream on from the worker as the client reads.
    first, rest = execution.prefetch(PREFETCH_BYTES)
    if rest is not None and head_only:
        for _ in rest:  # finish the result so that the worker is free for the next one
            pass
        rest = None
    if rest is None:
        return Answer(headers, first)

    def stream(rest: Iterator[bytes]) -> Iterator[bytes]:
        yield first
        yield from rest

    return Answer(headers, stream(rest))
