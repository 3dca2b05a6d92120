"""RDF serialisations of a description graph."""

from __future__ import annotations

from typing import Any

from rdflib import Graph

from publisher.negotiation import Format


def serialise(graph: Graph, fmt: Format) -> bytes:
    """`graph` in `fmt` (an RDF format of publisher.negotiation), UTF-8 bytes."""
    if fmt.rdflib_name is None:
        raise ValueError(f"{fmt.label} is not an RDF format")
    options: dict[str, Any] = {}
    if fmt.rdflib_name == "json-ld":
        # Compact with the graph's own prefixes so that keys read like the Turtle.
        options = {"context": jsonld_context(graph), "auto_compact": True}
    data = graph.serialize(format=fmt.rdflib_name, encoding="utf-8", **options)
    return data if isinstance(data, bytes) else data.encode("utf-8")


def jsonld_context(graph: Graph) -> dict[str, str]:
    """The graph's bound prefixes that it actually uses, as a JSON-LD context."""
    used = {str(t) for triple in graph for t in triple}
    return {
        prefix: str(ns)
        for prefix, ns in sorted(graph.namespaces())
        if prefix and any(u.startswith(str(ns)) for u in used)
    }
