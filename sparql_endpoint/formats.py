"""Result formats: the endpoint's own table of SPARQL result formats, and the site's RDF ones.

SELECT and ASK results go out as SPARQL JSON, XML, CSV or TSV (this table); CONSTRUCT and
DESCRIBE results in the RDF formats of the site's one format table (handed in through
``Host.rdf_formats``) that pyoxigraph can write. All serialisers are pyoxigraph's.
``Accept`` is matched by the site's one negotiation function (``Host.negotiate``);
``format=`` (a short name or a media type) overrides it, for links a browser can follow.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from sparql_endpoint.errors import SparqlError
from sparql_endpoint.host import Negotiate, RdfFormat


@dataclass(frozen=True)
class ResultFormat:
    name: str  # the format= value and download file extension
    media_type: str
    label: str
    results: ox.QueryResultsFormat | None = None  # for solutions and booleans
    rdf: ox.RdfFormat | None = None  # for graphs
    aliases: tuple[str, ...] = ()

    @property
    def content_type(self) -> str:
        if self.media_type.startswith("text/") or self.media_type.endswith(
            ("+json", "+xml", "/json", "/ld+json", "/n-triples", "/n-quads", "/trig")
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

# The query page with the results as a table: only for clients that ask for HTML.
HTML = ResultFormat("html", "text/html", "HTML", aliases=("application/xhtml+xml",))

SOLUTION_FORMATS: tuple[ResultFormat, ...] = (JSON, XML, CSV, TSV)

# What the query page reads a graph result in (it parses it back into a table).
NTRIPLES_FOR_PAGE = ResultFormat(
    "nt", "application/n-triples", "N-Triples", rdf=ox.RdfFormat.N_TRIPLES
)

# Media types SPARQL clients send for graph results besides the formats' own names
# (SPARQLWrapper asks for application/xml; curl users for text/plain).
_GRAPH_ALIASES = {
    "application/rdf+xml": ("application/xml", "text/xml"),
    "application/n-triples": ("text/plain",),
    "text/turtle": ("application/x-turtle",),
    "application/ld+json": ("application/json",),
}

_DATASET_ONLY = (ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS)

# format= values besides the short names and media types.
_FORMAT_NAMES = {
    "srj": "json",
    "srx": "xml",
    "turtle": "ttl",
    "ntriples": "nt",
    "n-triples": "nt",
    "json-ld": "jsonld",
    "rdfxml": "rdf",
    "rdf-xml": "rdf",
    "rdf+xml": "rdf",
    "xml+rdf": "rdf",
    "sparql-results+json": "json",
    "sparql-results+xml": "xml",
}


def graph_formats(rdf_formats: Sequence[RdfFormat]) -> tuple[ResultFormat, ...]:
    """The site's RDF formats that pyoxigraph writes, as graph result formats (a result is
    one graph: the formats of datasets, TriG and N-Quads, are left out)."""
    found = []
    for fmt in rdf_formats:
        try:
            rdf = ox.RdfFormat.from_media_type(fmt.media_type)
        except ValueError:
            continue
        if rdf is None or rdf in _DATASET_ONLY:
            continue
        aliases = tuple(dict.fromkeys((*fmt.aliases, *_GRAPH_ALIASES.get(fmt.media_type, ()))))
        found.append(ResultFormat(fmt.ext, fmt.media_type, fmt.label, rdf=rdf, aliases=aliases))
    return tuple(found)


def _by_format_param(value: str, offered: Sequence[ResultFormat]) -> ResultFormat | None:
    wanted = value.strip().lower()
    name = _FORMAT_NAMES.get(wanted, wanted)
    for fmt in offered:
        if fmt.name == name or fmt.media_type == wanted or wanted in fmt.aliases:
            return fmt
    return None


def choose(
    accept: str | None,
    offered: Sequence[ResultFormat],
    format_param: str | Sequence[str] | None,
    negotiate: Negotiate,
    known: Sequence[ResultFormat] = (),
) -> ResultFormat:
    """The format for a result; the first offered format is the default.

    ``format=`` values are tried in order (SPARQLWrapper sends several, such as
    ``format=rdf+xml&format=application/rdf+xml``); a value that names a format of
    another kind of result (``csv`` for a CONSTRUCT; any of ``known``) is ignored in
    favour of ``Accept``; a value naming no format at all is a 406. ``Accept`` goes to
    the site's negotiation function, with every format's aliases offered after the
    formats' own media types.
    """
    values = [format_param] if isinstance(format_param, str) else list(format_param or ())
    values = [v for v in values if v.strip()]
    for value in values:
        fmt = _by_format_param(value, offered)
        if fmt is not None:
            return fmt
    unknown = [v for v in values if "/" not in v and _by_format_param(v, known) is None]
    if unknown:
        raise SparqlError(
            406,
            f"format={unknown[0]!r} is not a result format this endpoint knows; use one of: "
            + ", ".join(f.name for f in offered)
            + ".",
        )
    by_media: dict[str, ResultFormat] = {}
    for fmt in offered:
        by_media.setdefault(fmt.media_type, fmt)
    for fmt in offered:
        for alias in fmt.aliases:
            by_media.setdefault(alias, fmt)
    chosen = negotiate(accept, list(by_media), None, offered[0].media_type)
    if chosen is None:
        raise SparqlError(
            406,
            "None of the media types in Accept can represent this result. Available: "
            + ", ".join(f.media_type for f in offered)
            + ".",
        )
    return by_media[chosen]
