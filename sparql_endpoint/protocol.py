"""SPARQL 1.1 Protocol §2.1: turn an HTTP request into a query request, or refuse it.

Three ways to send a query: GET with ``query=``; POST with an
``application/x-www-form-urlencoded`` body; POST with an ``application/sparql-query``
body (dataset parameters then in the URL). Anything else is answered with a status
and a sentence saying what was wrong.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl

from werkzeug.datastructures import MultiDict
from werkzeug.http import parse_options_header

from sparql_endpoint.errors import SparqlError

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"

READ_ONLY = (
    "This endpoint is read-only: SPARQL Update is not accepted. "
    "Send a query (SELECT, ASK, CONSTRUCT or DESCRIBE) instead."
)


@dataclass(frozen=True)
class QueryRequest:
    query: str
    default_graph_uris: tuple[str, ...] = ()
    named_graph_uris: tuple[str, ...] = ()


@dataclass(frozen=True)
class RawRequest:
    """The parts of an HTTP request the protocol looks at (framework-neutral)."""

    method: str
    query_string: bytes
    content_type: str | None
    body: bytes


def parse(raw: RawRequest, max_length: int) -> QueryRequest | None:
    """The query request, or None for a GET/HEAD without any query (service description)."""
    url_params = _decode_params(raw.query_string, "URL")
    if raw.method in ("GET", "HEAD"):
        _refuse_update(url_params)
        if "query" not in url_params:
            if url_params.getlist("default-graph-uri") or url_params.getlist("named-graph-uri"):
                raise SparqlError(400, "Missing 'query' parameter.")
            return None
        return _build(url_params, url_params, max_length, status_too_long=414)
    if raw.method != "POST":
        raise SparqlError(
            405,
            f"Method {raw.method} is not allowed: send queries by GET or POST.",
            {"Allow": "GET, HEAD, POST, OPTIONS"},
        )
    if len(raw.body) > max_length:
        raise SparqlError(413, f"Request body is longer than {max_length} bytes.")
    if not raw.content_type:
        raise SparqlError(
            400,
            "POST without a Content-Type. Use application/x-www-form-urlencoded (query=…) "
            "or application/sparql-query (the query as the body).",
        )
    media_type, options = parse_options_header(raw.content_type)
    media_type = media_type.lower()
    charset = options.get("charset", "utf-8").lower()
    if media_type == SPARQL_UPDATE:
        raise SparqlError(403, READ_ONLY)
    if media_type == FORM:
        _require_utf8(charset)
        body_params = _decode_params(raw.body, "request body")
        _refuse_update(body_params, url_params)
        if "query" in url_params:
            raise SparqlError(
                400, "With a URL-encoded POST, send 'query' in the body, not in the URL."
            )
        # The W3C protocol tests send dataset parameters in the URL of a form POST too.
        merged = MultiDict(url_params)
        for key, value in body_params.items(multi=True):
            merged.add(key, value)
        return _build(body_params, merged, max_length, status_too_long=413)
    if media_type == SPARQL_QUERY:
        _require_utf8(charset)
        if "update" in url_params:
            raise SparqlError(403, READ_ONLY)
        if "query" in url_params:
            raise SparqlError(
                400, "Direct POST: the query is the body; do not also send 'query' in the URL."
            )
        text = _utf8(raw.body, "request body")
        return _checked(text, url_params, max_length, status_too_long=413)
    raise SparqlError(
        415,
        f"Unsupported Content-Type {media_type!r}: use application/x-www-form-urlencoded "
        "or application/sparql-query.",
    )


def _refuse_update(*params: MultiDict[str, str]) -> None:
    has_query = any("query" in p for p in params)
    if any("update" in p for p in params):
        if has_query:
            raise SparqlError(400, "The request has both 'query' and 'update'; send one operation.")
        raise SparqlError(403, READ_ONLY)


def _require_utf8(charset: str) -> None:
    if charset.replace("-", "") not in ("utf8",):
        raise SparqlError(
            400, f"Request charset {charset!r} is not supported: SPARQL requests are UTF-8."
        )


def _utf8(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SparqlError(400, f"The {where} is not valid UTF-8 (byte {exc.start}).") from None


def _decode_params(data: bytes, where: str) -> MultiDict[str, str]:
    # Strict on both levels (raw bytes and percent-escapes), so bad UTF-8 is reported
    # rather than silently replaced.
    try:
        text = data.decode("utf-8")
        pairs = parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise SparqlError(400, f"The {where} parameters are not valid UTF-8.") from None
    return MultiDict(pairs)


def _build(
    params: MultiDict[str, str], dataset: MultiDict[str, str], max_length: int, status_too_long: int
) -> QueryRequest:
    queries = params.getlist("query")
    if len(queries) > 1:
        raise SparqlError(400, f"The request has {len(queries)} 'query' parameters; send one.")
    if not queries:
        raise SparqlError(400, "Missing 'query' parameter.")
    return _checked(queries[0], dataset, max_length, status_too_long)


def _checked(
    text: str, dataset: MultiDict[str, str], max_length: int, status_too_long: int
) -> QueryRequest:
    if len(text) > max_length:
        raise SparqlError(
            status_too_long,
            f"The query is {len(text)} characters long; this endpoint accepts at most "
            f"{max_length}.",
        )
    if not text.strip():
        raise SparqlError(400, "The query is empty.")
    return QueryRequest(
        query=text,
        default_graph_uris=tuple(dataset.getlist("default-graph-uri")),
        named_graph_uris=tuple(dataset.getlist("named-graph-uri")),
    )
