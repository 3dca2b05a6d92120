"""RDF serialisations of a description graph, in any RDF format of `publisher.formats`."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
from rdflib import Graph

from publisher.formats import Format
from publisher.terms import to_oxigraph


def serialise(graph: Graph, fmt: Format) -> bytes:
    """`graph` in `fmt`, UTF-8 bytes: by rdflib where the table says so (pretty Turtle,
    JSON-LD compacted with our prefixes), else by pyoxigraph."""
    if fmt.oxigraph is None:
        raise ValueError(f"{fmt.label} is not an RDF format")
    if fmt.serialiser != "rdflib" or fmt.rdflib is None:
        return _oxigraph(graph, fmt.oxigraph)
    options: dict[str, Any] = {}
    if fmt.rdflib == "json-ld":
        # Compact with the graph's own prefixes so that keys read like the Turtle.
        options = {"context": jsonld_context(graph), "auto_compact": True}
    data = graph.serialize(format=fmt.rdflib, encoding="utf-8", **options)
    return data if isinstance(data, bytes) else data.encode("utf-8")


def _oxigraph(graph: Graph, fmt: ox.RdfFormat) -> bytes:
    triples = sorted(
        (
            ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))  # type: ignore[arg-type]
            for s, p, o in graph
        ),
        key=str,
    )
    prefixes = used_prefixes(graph) if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
    return ox.serialize(triples, format=fmt, prefixes=prefixes)


def used_prefixes(graph: Graph) -> dict[str, str]:
    """The graph's bound prefixes that it actually uses."""
    used = {str(t) for triple in graph for t in triple}
    return {
        prefix: str(ns)
        for prefix, ns in sorted(graph.namespaces())
        if prefix and any(u.startswith(str(ns)) for u in used)
    }


def jsonld_context(graph: Graph) -> dict[str, str]:
    """The graph's bound prefixes that it actually uses, as a JSON-LD context."""
    return used_prefixes(graph)
