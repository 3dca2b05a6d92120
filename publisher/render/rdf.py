"""RDF serialisations of a description graph, in any RDF format of `publisher.formats`.

The same graph gives the same bytes in every process (one ETag per URL, whichever worker
answers): pyoxigraph writes sorted triples; rdflib, which writes in the order of its
hash-based indexes, is used only for pretty Turtle (sorted by rdflib itself) and for
JSON-LD compacted with our prefixes, whose JSON is put in a canonical order.
"""

from __future__ import annotations

import json
from typing import Any

import pyoxigraph as ox
from rdflib import Graph

from publisher.formats import Format
from publisher.terms import to_oxigraph


def serialise(graph: Graph, fmt: Format, *, fast: bool = False) -> bytes:
    """`graph` in `fmt`, UTF-8 bytes. ``fast`` always uses pyoxigraph (plain Turtle,
    expanded JSON-LD): for large graphs such as catalogue pages."""
    if fmt.oxigraph is None:
        raise ValueError(f"{fmt.label} is not an RDF format")
    if fast or fmt.serialiser != "rdflib" or fmt.rdflib is None:
        return _oxigraph(graph, fmt.rdf_format)
    if fmt.rdflib == "json-ld":
        data = graph.serialize(
            format="json-ld", encoding="utf-8", context=jsonld_context(graph), auto_compact=True
        )
        return canonical_json(data)
    data = graph.serialize(format=fmt.rdflib, encoding="utf-8")
    return data if isinstance(data, bytes) else data.encode("utf-8")


def canonical_json(data: bytes | str) -> bytes:
    """JSON-LD with keys sorted and unordered arrays (node lists, property values) sorted;
    ``@list`` arrays keep their order."""
    return (
        json.dumps(_canonical(json.loads(data)), ensure_ascii=False, indent=2, sort_keys=True)
        + "\n"
    ).encode("utf-8")


def _canonical(value: Any, ordered: bool = False) -> Any:
    if isinstance(value, dict):
        return {k: _canonical(v, ordered=k == "@list") for k, v in value.items()}
    if isinstance(value, list):
        items = [_canonical(v) for v in value]
        return items if ordered else sorted(items, key=lambda v: json.dumps(v, sort_keys=True))
    return value


def _oxigraph(graph: Graph, fmt: ox.RdfFormat) -> bytes:
    triples = [
        ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))  # type: ignore[arg-type]
        for s, p, o in graph
    ]
    return serialise_triples(triples, fmt, dict(graph.namespaces()))


def serialise_triples(
    triples: list[ox.Triple], fmt: ox.RdfFormat, namespaces: dict[str, Any]
) -> bytes:
    """pyoxigraph triples, sorted, in `fmt`, with those of `namespaces` they use."""
    ordered = sorted(triples, key=str)
    prefixes = None
    if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.RDF_XML):
        used = {t.value for triple in ordered for t in triple if isinstance(t, ox.NamedNode)}
        prefixes = {
            prefix: str(ns)
            for prefix, ns in sorted(namespaces.items())
            if prefix and any(u.startswith(str(ns)) for u in used)
        }
    return ox.serialize(ordered, format=fmt, prefixes=prefixes) or b""


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
