"""The ``/sparql`` blueprint: the HTTP edge of the endpoint.

One view handles every method, so that CORS headers and readable errors are on every
response, including 405 for PUT/DELETE (the W3C test ``bad_query_method``).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, render_template, request

from sparql_endpoint import formats as F
from sparql_endpoint.answer import EXPOSED, plan, run
from sparql_endpoint.endpoint import Endpoint
from sparql_endpoint.errors import SparqlError
from sparql_endpoint.examples import examples
from sparql_endpoint.execute import check_policy
from sparql_endpoint.page_text import in_language, translate
from sparql_endpoint.protocol import QueryRequest
from sparql_endpoint.service_description import describe
from sparql_endpoint.settings import settings_help
from sparql_endpoint.syntax import excerpt
from sparql_endpoint.vocabulary import prologue

bp = Blueprint(
    "sparql_endpoint",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/sparql-static",
)

METHODS = ["GET", "HEAD", "POST", "OPTIONS", "PUT", "DELETE", "PATCH"]
EXTENSION = "sparql_endpoint"


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


@bp.get("/sparql/prefixes.json")
def prefixes() -> Response:
    """The predeclared prefixes in prefix.cc's format: the query page's editor completes
    prefixes from here instead of calling prefix.cc."""
    response = Response(json.dumps(endpoint().prefixes, indent=1), content_type="application/json")
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


def _handle(ep: Endpoint, arrived: float) -> Response:
    if request.method == "OPTIONS":
        response = Response(status=204)
        response.headers["Allow"] = "GET, HEAD, POST, OPTIONS"
        response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, POST, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "Accept, Content-Type"
        response.headers["Access-Control-Max-Age"] = "86400"
        return response
    planned = plan(
        ep,
        request.method,
        request.query_string,
        request.headers.get("Content-Type"),
        request.headers.get("Accept"),
        request.stream.read,
        request.content_length,
    )
    if planned is None:
        return _no_query(ep, request.args.getlist("format"))
    if planned.chosen is F.HTML:
        return _page(ep, planned.query, arrived)
    result = run(ep, planned, client_address(), arrived, request.method == "HEAD")
    headers = [(k, v) for k, v in result.headers if k != "Content-Type"]
    content_type = dict(result.headers)["Content-Type"]
    if isinstance(result.body, bytes):
        return Response(result.body, content_type=content_type, headers=headers)
    return Response(
        result.body, content_type=content_type, headers=headers, direct_passthrough=True
    )


def client_address() -> str:
    return request.remote_addr or "unknown"


def _no_query(ep: Endpoint, format_param: list[str]) -> Response:
    """GET without a query: the service description, or the query page for a browser."""
    chosen = F.choose(
        request.headers.get("Accept"),
        (*ep.graph_formats, F.HTML),
        format_param,
        ep.host.negotiate,
        known=F.SOLUTION_FORMATS,
    )
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
        "error_excerpt": [],
        "error_position": None,
        "truncated": False,
        "downloads": [],
        "ran": query_request is not None,
        "status": 200,
    }
    if query_request is not None:
        try:
            execution = ep.run(
                query_request,
                F.JSON,
                F.NTRIPLES_FOR_PAGE,
                client_address(),
                arrived,
                check_policy(query_request.query, ep.settings),
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
            if error.position:
                context["error_excerpt"] = excerpt(query_request.query, *error.position)
                context["error_position"] = error.position
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
