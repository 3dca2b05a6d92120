"""RDF serialisations of a description graph, in any RDF format of `publisher.formats`.

The same graph gives the same bytes in every process (one ETag per URL, whichever worker
answers): pyoxigraph writes sorted triples; JSON-LD compacted with our prefixes is
written here (`compact_jsonld`, from pyoxigraph's terms: every literal keeps its exact
lexical form and datatype), in a canonical order.
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Iterable, Sequence
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
    if fast or fmt.serialiser != "jsonld":
        return _oxigraph(graph, fmt.rdf_format)
    return compact_jsonld(_triples(graph), dict(graph.namespaces()))


def write(triples: list[ox.Triple], fmt: Format, namespaces: dict[str, Any]) -> bytes:
    """pyoxigraph triples in `fmt` (JSON-LD compacted with `namespaces`)."""
    if fmt.serialiser == "jsonld":
        return compact_jsonld(triples, namespaces)
    return serialise_triples(triples, fmt.rdf_format, namespaces)


_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def compact_jsonld(triples: list[ox.Triple], namespaces: dict[str, Any]) -> bytes:
    """JSON-LD 1.1 with a context of the prefixes it uses: one node object per subject
    (``@id``, ``@type``, then each property with a list of values), every literal a value
    object with its lexical form as written in the store (no JSON numbers or booleans,
    which would change the term), keys and lists in a canonical order."""
    compactor = _Compactor(_used(triples, namespaces))
    nodes: dict[str, dict[str, list[Any]]] = {}
    for triple in triples:
        node = nodes.setdefault(compactor.node_id(triple.subject), {})
        predicate, obj = triple.predicate.value, triple.object
        if predicate == _RDF_TYPE and isinstance(obj, ox.NamedNode):
            node.setdefault("@type", []).append(compactor.iri(obj.value))
        else:
            node.setdefault(compactor.iri(predicate), []).append(compactor.value(obj))
    graph = []
    for identifier, properties in nodes.items():
        out: dict[str, Any] = {"@id": identifier}
        for key, values in properties.items():
            unique = {_key(v): v for v in values}
            out[key] = [unique[k] for k in sorted(unique)]
        graph.append(out)
    graph.sort(key=lambda n: n["@id"])
    document = {"@context": dict(sorted(compactor.namespaces.items())), "@graph": graph}
    # Without indentation: Python's C encoder writes it (indented, its Python encoder costs
    # a few ms per document).
    text = json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (text + "\n").encode("utf-8")


class _Compactor:
    def __init__(self, namespaces: dict[str, str]) -> None:
        self.namespaces = namespaces
        # Longest namespace first, so that a nested namespace wins.
        self._ordered = sorted(namespaces.items(), key=lambda kv: -len(kv[1]))

    def iri(self, value: str) -> str:
        for prefix, ns in self._ordered:
            if value.startswith(ns):
                local = value[len(ns) :]
                if local and not local.startswith("//"):
                    return f"{prefix}:{local}"
        if value.split(":", 1)[0] in self.namespaces:  # would read as a compact IRI
            raise ValueError(f"IRI {value} is ambiguous with the prefix of the same name")
        return value

    def node_id(self, term: Any) -> str:
        if isinstance(term, ox.BlankNode):
            return f"_:{term.value}"
        if isinstance(term, ox.NamedNode):
            return self.iri(term.value)
        raise TypeError(f"no JSON-LD node for {term!r}")

    def value(self, term: Any) -> dict[str, str]:
        if isinstance(term, ox.Literal):
            if term.language:
                return {"@value": term.value, "@language": term.language}
            if term.datatype.value == _XSD_STRING:
                return {"@value": term.value}
            return {"@value": term.value, "@type": self.iri(term.datatype.value)}
        return {"@id": self.node_id(term)}


def _key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _used(triples: list[ox.Triple], namespaces: dict[str, Any]) -> dict[str, str]:
    """The prefixes of `namespaces` that name a namespace of an IRI in `triples`."""
    used = set()
    for triple in triples:
        for term in (triple.subject, triple.predicate, triple.object):
            if isinstance(term, ox.NamedNode):
                used.add(term.value)
            elif isinstance(term, ox.Literal):
                used.add(term.datatype.value)
    return {
        prefix: str(ns)
        for prefix, ns in sorted(namespaces.items())
        if prefix and any(u.startswith(str(ns)) for u in used)
    }


def _triples(graph: Graph) -> list[ox.Triple]:
    return [
        ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))  # type: ignore[arg-type]
        for s, p, o in graph
    ]


def _oxigraph(graph: Graph, fmt: ox.RdfFormat) -> bytes:
    return serialise_triples(_triples(graph), fmt, dict(graph.namespaces()))


# What a page was written from (`serialise_triples`/`serialise_lines` ``written=``): its
# triples in the order written, and the prefixes it declares.
Written = list[tuple[Sequence[ox.Triple] | Sequence[ox.Quad], dict[str, str]]]


def serialise_triples(
    triples: list[ox.Triple],
    fmt: ox.RdfFormat,
    namespaces: dict[str, Any],
    written: Written | None = None,
) -> bytes:
    """pyoxigraph triples, sorted, in `fmt`, with those of `namespaces` they use."""
    return _serialise_sorted(sorted(triples, key=str), fmt, namespaces, written)


def serialise_lines(
    lines: Iterable[str],
    fmt: ox.RdfFormat,
    namespaces: dict[str, Any],
    written: Written | None = None,
) -> bytes:
    """`serialise_triples` of triples given as N-Triples text without the final " ."
    ("s p o", what ``str(triple)`` gives: the same sort order, the same bytes)."""
    text = "".join(f"{line} .\n" for line in sorted(set(lines)))
    # (quads of the default graph: pyoxigraph writes them as the triples they hold;
    # lenient: the lines are pyoxigraph's own writing of valid triples, not checked again)
    parsed = list(ox.parse(text, format=ox.RdfFormat.N_TRIPLES, lenient=True))
    return _serialise_sorted(parsed, fmt, namespaces, written)


def _serialise_sorted(
    ordered: Sequence[ox.Triple] | Sequence[ox.Quad],
    fmt: ox.RdfFormat,
    namespaces: dict[str, Any],
    written: Written | None = None,
) -> bytes:
    """``ordered`` in ``fmt``; when ``written`` is given, (``ordered``, the prefixes
    declared) is appended to it."""
    prefixes = None
    if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.RDF_XML):
        prefixes = _used_prefixes(ordered, namespaces)
    if written is not None:
        written.append((ordered, prefixes or {}))
    return ox.serialize(ordered, format=fmt, prefixes=prefixes) or b""


def _used_prefixes(
    ordered: Sequence[ox.Triple] | Sequence[ox.Quad], namespaces: dict[str, Any]
) -> dict[str, str]:
    """The prefixes of ``namespaces`` (in their order) whose namespace begins an IRI of
    ``ordered`` (subject, predicate, object or graph name; not a literal's datatype)."""
    used: set[str] = set()
    add = used.add
    for triple in ordered:  # (an ADMS page has ~7,500 triples: each term read once)
        add(triple.predicate.value)  # always an IRI
        for term in (triple.subject, triple.object):
            if isinstance(term, ox.NamedNode):
                add(term.value)
        if isinstance(triple, ox.Quad) and isinstance(triple.graph_name, ox.NamedNode):
            add(triple.graph_name.value)
    # An IRI that begins with a namespace sorts at or after it, before any that does not
    # begin with it and sorts after it: the first IRI at or after the namespace tells.
    ordered_iris = sorted(used)
    prefixes = {}
    for prefix, ns in sorted(namespaces.items()):
        at = bisect.bisect_left(ordered_iris, str(ns))
        if prefix and at < len(ordered_iris) and ordered_iris[at].startswith(str(ns)):
            prefixes[prefix] = str(ns)
    return prefixes
