"""The one table of the formats the publication is served and dumped in.

Everything else is derived from `FORMATS`: the document extensions of the URI scheme
(``/doc/offering/x.ttl``), what documents, catalogues, the vocabulary and VoID offer and
name in their ``Link: rel="alternate"`` headers, the dump files of a build, and the RDF
result formats of the SPARQL endpoint (handed to it through ``init_app``). Adding a format
is one `Format` entry here.

The order is the server's preference among formats of equal quality in negotiation.
Nothing here imports the web layer: the build reads this table too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported when used: `avoinkunta validate` never loads pyoxigraph
    import pyoxigraph as ox


@dataclass(frozen=True)
class Format:
    """One representation: URL extension, media type, serialisers, where it is offered."""

    ext: str  # URL extension, dump file extension, and the ?format= name
    media_type: str
    label: str
    oxigraph: str | None = None  # name of pyoxigraph's RdfFormat (TURTLE…); None for HTML
    rdflib: str | None = None  # rdflib's plugin name for it (parsing; the build's dumps)
    # Who writes one description in it: "jsonld" for JSON-LD compacted with our prefixes
    # (publisher.render.rdf.compact_jsonld), else pyoxigraph (one literal form in every
    # format).
    serialiser: str = "oxigraph"
    aliases: tuple[str, ...] = ()  # other media types that name it (matched only exactly)
    names: tuple[str, ...] = ()  # other ?format= names
    # Offered for one resource's description (documents, catalogue pages, vocabulary,
    # VoID, CONSTRUCT results). False: a format for whole datasets only (dumps).
    documents: bool = True

    @property
    def is_rdf(self) -> bool:
        return self.oxigraph is not None

    @property
    def rdf_format(self) -> ox.RdfFormat:
        """pyoxigraph's format (for RDF formats only)."""
        import pyoxigraph

        if self.oxigraph is None:
            raise ValueError(f"{self.label} is not an RDF format")
        return getattr(pyoxigraph.RdfFormat, self.oxigraph)

    @property
    def carries_graphs(self) -> bool:
        """Is it a syntax for datasets (N-Quads, TriG), whose dump keeps the named graphs?
        (JSON-LD could, but its dump, like every triple format's, is their union.)"""
        return self.oxigraph in ("N_QUADS", "TRIG")

    @property
    def content_type(self) -> str:
        """The Content-Type header value: textual formats say they are UTF-8."""
        textual = self.media_type.startswith("text/") or self.media_type.endswith(
            ("+json", "+xml", "/json", "/n-triples", "/n-quads", "/trig")
        )
        return f"{self.media_type}; charset=utf-8" if textual else self.media_type


HTML = Format("html", "text/html", "HTML", aliases=("application/xhtml+xml",), names=("htm",))
TURTLE = Format(
    "ttl",
    "text/turtle",
    "Turtle",
    "TURTLE",
    rdflib="turtle",
    aliases=("application/x-turtle", "text/n3"),
    names=("turtle",),
)
JSONLD = Format(
    "jsonld",
    "application/ld+json",
    "JSON-LD",
    "JSON_LD",
    rdflib="json-ld",
    serialiser="jsonld",
    aliases=("application/json",),
    names=("json-ld", "json"),
)
RDFXML = Format(
    "rdf",
    "application/rdf+xml",
    "RDF/XML",
    "RDF_XML",
    rdflib="xml",  # not pretty-xml: it drops triples on list nodes
    names=("xml", "rdfxml", "rdf-xml"),
)
NTRIPLES = Format(
    "nt",
    "application/n-triples",
    "N-Triples",
    "N_TRIPLES",
    rdflib="nt11",
    names=("ntriples", "n-triples"),
)
NQUADS = Format(
    "nq",
    "application/n-quads",
    "N-Quads",
    "N_QUADS",
    rdflib="nquads",
    names=("nquads", "n-quads"),
    documents=False,  # one description has no named graphs: N-Triples says the same
)
TRIG = Format("trig", "application/trig", "TriG", "TRIG", rdflib="trig")

FORMATS: tuple[Format, ...] = (HTML, TURTLE, JSONLD, RDFXML, NTRIPLES, NQUADS, TRIG)

# --- derived ------------------------------------------------------------------------------

RDF_FORMATS: tuple[Format, ...] = tuple(f for f in FORMATS if f.is_rdf and f.documents)
"""RDF formats of one description: documents, catalogue pages, CONSTRUCT results."""
DOCUMENT_FORMATS: tuple[Format, ...] = tuple(f for f in FORMATS if f.documents)
"""What a document (``/doc/…``, ``/ontology``, VoID) offers: HTML and `RDF_FORMATS`."""
DUMP_FORMATS: tuple[Format, ...] = tuple(f for f in FORMATS if f.is_rdf)
"""The files of ``/dumps/``: every RDF format (named graphs where the format has them)."""
DOCUMENT_EXTENSIONS: tuple[str, ...] = tuple(f.ext for f in DOCUMENT_FORMATS)

DEFAULT = TURTLE  # for a client that states no preference (no Accept, or only */*)

BY_EXT: dict[str, Format] = {f.ext: f for f in FORMATS}
BY_MEDIA_TYPE: dict[str, Format] = {f.media_type: f for f in FORMATS}
_BY_NAME: dict[str, Format] = {
    name: f for f in FORMATS for name in (f.ext, *f.names, f.media_type, *f.aliases)
}


def by_name(value: str) -> Format | None:
    """The format a ``?format=`` value or URL extension names (``ttl``, ``turtle``,
    ``text/turtle``), or None."""
    return _BY_NAME.get(value.strip().lower())
