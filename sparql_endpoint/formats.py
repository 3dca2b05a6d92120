"""Result formats and their negotiation (one pure function, table-tested).

SELECT and ASK results go out as SPARQL JSON, XML, CSV or TSV; CONSTRUCT and DESCRIBE
results as Turtle, N-Triples, JSON-LD or RDF/XML. All serialisers are pyoxigraph's.
``Accept`` is read with q-values and wildcards (RFC 9110 §12.5.1); ``format=`` (a short
name or a media type) overrides it, for links a browser can follow.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from publisher.negotiation import AcceptRange, parse_accept
from sparql_endpoint.errors import SparqlError


@dataclass(frozen=True)
class ResultFormat:
    name: str  # the format= value and download file extension
    media_type: str
    label: str
    results: ox.QueryResultsFormat | None = None  # for solutions and booleans
    rdf: ox.RdfFormat | None = None  # for graphs
    aliases: tuple[str, ...] = ()
    explicit_only: bool = False  # chosen only when Accept names it (never for */*)

    @property
    def content_type(self) -> str:
        if self.media_type.startswith("text/") or self.media_type.endswith(
            ("+json", "+xml", "/json", "/ld+json", "/n-triples")
        ):
            return f"{self.media_type}; charset=utf-8"
        return self.media_type


JSON = ResultFormat(
    "json",
    "application/sparql-results+json",
    "SPARQL JSON",
    results=ox.QueryResultsFormat.JSON,
    aliases=("application/json",),
)
XML = ResultFormat(
    "xml",
    "application/sparql-results+xml",
    "SPARQL XML",
    results=ox.QueryResultsFormat.XML,
    aliases=("application/xml", "text/xml"),
)
CSV = ResultFormat("csv", "text/csv", "CSV", results=ox.QueryResultsFormat.CSV)
TSV = ResultFormat("tsv", "text/tab-separated-values", "TSV", results=ox.QueryResultsFormat.TSV)
TURTLE = ResultFormat(
    "ttl", "text/turtle", "Turtle", rdf=ox.RdfFormat.TURTLE, aliases=("application/x-turtle",)
)
NTRIPLES = ResultFormat(
    "nt", "application/n-triples", "N-Triples", rdf=ox.RdfFormat.N_TRIPLES, aliases=("text/plain",)
)
JSONLD = ResultFormat(
    "jsonld",
    "application/ld+json",
    "JSON-LD",
    rdf=ox.RdfFormat.JSON_LD,
    aliases=("application/json",),
)
RDFXML = ResultFormat(
    "rdf",
    "application/rdf+xml",
    "RDF/XML",
    rdf=ox.RdfFormat.RDF_XML,
    aliases=("application/xml", "text/xml"),
)

# The query page with the results as a table: only for clients that ask for HTML.
HTML = ResultFormat(
    "html", "text/html", "HTML", aliases=("application/xhtml+xml",), explicit_only=True
)

SOLUTION_FORMATS: tuple[ResultFormat, ...] = (JSON, XML, CSV, TSV)
BOOLEAN_FORMATS: tuple[ResultFormat, ...] = (JSON, XML, CSV, TSV)
GRAPH_FORMATS: tuple[ResultFormat, ...] = (TURTLE, NTRIPLES, JSONLD, RDFXML)

_FORMAT_NAMES = {
    "json": "json",
    "srj": "json",
    "xml": "xml",
    "srx": "xml",
    "csv": "csv",
    "tsv": "tsv",
    "ttl": "ttl",
    "turtle": "ttl",
    "nt": "nt",
    "ntriples": "nt",
    "n-triples": "nt",
    "jsonld": "jsonld",
    "json-ld": "jsonld",
    "rdf": "rdf",
    "rdfxml": "rdf",
    "rdf-xml": "rdf",
    "html": "html",
    "rdf+xml": "rdf",
    "application/rdf+xml": "rdf",
    "text/turtle": "ttl",
    "application/turtle": "ttl",
    "sparql-results+json": "json",
    "sparql-results+xml": "xml",
}


def _quality(media_type: str, ranges: Sequence[AcceptRange]) -> tuple[float, int, int] | None:
    """(q, specificity, -position) of the most specific range matching, or None."""
    type_, _, subtype = media_type.partition("/")
    best: tuple[float, int, int] | None = None
    for r in ranges:
        if r.type == type_ and r.subtype == subtype:
            spec = 2
        elif r.type == type_ and r.subtype == "*":
            spec = 1
        elif r.type == "*" and r.subtype == "*":
            spec = 0
        else:
            continue
        if best is None or spec > best[1]:
            best = (r.q, spec, -r.position)
    return best


def _by_format_param(value: str, offered: Sequence[ResultFormat]) -> ResultFormat | None:
    wanted = value.strip().lower()
    name = _FORMAT_NAMES.get(wanted)
    for fmt in offered:
        if fmt.name == name or fmt.media_type == wanted or wanted in fmt.aliases:
            return fmt
    return None


def _known_format_value(value: str) -> bool:
    wanted = value.strip().lower()
    return wanted in _FORMAT_NAMES or "/" in wanted


def negotiate(
    accept: str | None,
    offered: Sequence[ResultFormat],
    format_param: str | Sequence[str] | None = None,
) -> ResultFormat:
    """Pick the format for a result; the first offered format is the default.

    ``format=`` values are tried in order (SPARQLWrapper sends several, such as
    ``format=rdf+xml&format=application/rdf+xml``); a known value that does not fit this
    kind of result (``csv`` for a CONSTRUCT) is ignored in favour of ``Accept``; a value
    we do not know at all is a 406.
    """
    values = [format_param] if isinstance(format_param, str) else list(format_param or ())
    values = [v for v in values if v.strip()]
    for value in values:
        fmt = _by_format_param(value, offered)
        if fmt is not None:
            return fmt
    unknown = [v for v in values if not _known_format_value(v)]
    if unknown:
        raise SparqlError(
            406,
            f"format={unknown[0]!r} is not a result format this endpoint knows; use one of: "
            + ", ".join(f.name for f in offered)
            + ".",
        )
    if not accept or not accept.strip():
        return offered[0]
    ranges = parse_accept(accept)
    if not ranges:
        return offered[0]
    best: tuple[tuple[float, int, int, int], ResultFormat] | None = None
    for order, fmt in enumerate(offered):
        for alias_rank, media in enumerate((fmt.media_type, *fmt.aliases)):
            quality = _quality(media, ranges)
            if quality is None or quality[0] <= 0 or (fmt.explicit_only and quality[1] < 2):
                continue
            # Exact media types beat aliases; then q, specificity, Accept order, our order.
            key = (quality[0], quality[1], -alias_rank, quality[2] * 100 - order)
            if best is None or key > best[0]:
                best = (key, fmt)
    if best is None:
        raise SparqlError(
            406,
            "None of the media types in Accept can represent this result. Available: "
            + ", ".join(f.media_type for f in offered)
            + ".",
        )
    return best[1]
