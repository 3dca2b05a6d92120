"""Check the mapped graph against our SHACL shapes and report problems per file, record
and field.

The shapes use relative IRIs (see shapes/avoinkunta.ttl); ``load_shapes`` resolves them,
including the ``sh:namespace`` literals of ``sh:declare`` that rdflib leaves alone.

Two SHACL engines give the same results on every rule fixture (tests/test_shacl_engines.py):
``pyshacl-turbo`` (Rust, on Oxigraph's SPARQL engine; the build's engine: about 30 times
faster on our shapes) and ``pyshacl`` (the reference implementation in Python, kept to check
the other against).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pyoxigraph as ox
import pyshacl
import pyshacl_turbo
from pyshacl_turbo.rdf import Input as TurboInput
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, XSD
from rdflib.term import Node

from publisher.fields import TABLES
from publisher.mapping import Mapped
from publisher.mapping.context import CURIE_PREFIXES, Origin
from publisher.problems import Problem
from publisher.uris import UriScheme

SHAPES_FILE = "avoinkunta.ttl"
ENGINES = ("pyshacl-turbo", "pyshacl")
DEFAULT_ENGINE = "pyshacl-turbo"
# Rules written as node-level sh:or give no sh:resultPath: the field they are about.
RULE_FIELDS = {
    "open-source-needs-open-licence": "licence",
    "open-source-needs-repository": "repository",
    "open-standards-name-standards": "standards",
    "open-interface-links-documentation": "api_documentation",
    "mixed-licence-lists-parts": "parts",
    "open-source-with-closed-parts-says-which": "parts",
    "price-visible": "price_list",
    "price-needs-currency": "currency",
}


def field_names(ak: object, table_name: str | None = None) -> dict[URIRef, str]:
    """Property → the name of the source field it comes from, from the field tables
    (``publisher.fields``): the fields of ``table_name`` first, then those of every table."""
    prefixes = {**CURIE_PREFIXES, "ak": str(ak)}
    names: dict[URIRef, str] = {}
    order = [TABLES[table_name]] if table_name in TABLES else []
    for fields in (*order, *TABLES.values()):
        for f in fields.fields:
            for curie in (f.property, f.also):
                if curie:
                    prefix, _, local = curie.partition(":")
                    names.setdefault(URIRef(prefixes[prefix] + local), f.name)
    return names


def load_shapes(shapes_dir: Path, uris: UriScheme) -> Graph:
    graph = Graph()
    graph.parse(Path(shapes_dir) / SHAPES_FILE, format="turtle", publicID=uris.base)
    for declaration, namespace in list(graph.subject_objects(SH.namespace)):
        value = str(namespace)
        if "://" not in value:
            resolved = urljoin(uris.base, value) + ("#" if value.endswith("#") else "")
            graph.set((declaration, SH.namespace, Literal(resolved, datatype=XSD.anyURI)))
    return graph


@dataclass(frozen=True)
class ValidationOutcome:
    conforms: bool
    problems: list[Problem]
    report_text: str


def validate_mapped(
    mapped: Mapped, shapes: Graph, uris: UriScheme, engine: str = DEFAULT_ENGINE
) -> ValidationOutcome:
    conforms, report, text = run_shacl(mapped.union(), shapes, engine)
    problems = problems_from_report(report, mapped.origins, uris)
    return ValidationOutcome(conforms, problems, text)


def run_shacl(
    data: Graph | ox.Store | bytes, shapes: Graph, engine: str = DEFAULT_ENGINE
) -> tuple[bool, Graph, str]:
    """Validate ``data`` (an rdflib graph, a pyoxigraph store, whose default graph is
    validated, or N-Triples as pyoxigraph writes them) against ``shapes``; (conforms,
    report graph, report text)."""
    if engine == "pyshacl-turbo":
        compiled = _compiled(shapes)
        given: Any = data
        if isinstance(data, bytes):
            # What pyshacl-turbo makes of a pyoxigraph store (its N-Quads, blank-node
            # labels kept), without loading one only for it to be written out again.
            given = TurboInput(data.decode(), "oxigraph-nquads", None, {}, preserve_ids=True)
        conforms, report, text = compiled.validate(given, allow_warnings=True)
    elif engine == "pyshacl":
        if isinstance(data, ox.Store):
            data = data.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()) or b""
        graph = Graph().parse(data=data, format="nt") if isinstance(data, bytes) else data
        conforms, report, text = pyshacl.validate(
            graph, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True
        )
    else:
        raise ValueError(f"unknown SHACL engine {engine!r} (known: {', '.join(ENGINES)})")
    return bool(conforms), report, str(text)


_COMPILED: dict[int, tuple[Graph, Any]] = {}


def _compiled(shapes: Graph) -> Any:
    """The shapes compiled once for pyshacl-turbo (keyed by the graph object)."""
    found = _COMPILED.get(id(shapes))
    if found is None or found[0] is not shapes:
        found = _COMPILED[id(shapes)] = (
            shapes,
            pyshacl_turbo.compile_shapes(shapes, advanced=True),
        )
    return found[1]


def problems_by_focus(
    report: Graph, origins: dict[Node, Origin], uris: UriScheme
) -> dict[Node, set[Problem]]:
    """The report's violations as problems, by their focus node."""
    found: dict[Node, set[Problem]] = {}
    for result in report.subjects(RDF.type, SH.ValidationResult):
        if report.value(result, SH.resultSeverity) != SH.Violation:
            continue
        focus = report.value(result, SH.focusNode)
        if focus is None:  # SHACL requires one of every result
            raise ValueError(f"validation result {result} has no sh:focusNode")
        problem = _problem(report, result, origins, uris)
        found.setdefault(focus, set()).add(problem)
    return found


def problems_from_report(
    report: Graph, origins: dict[Node, Origin], uris: UriScheme
) -> list[Problem]:
    """The report's violations as problems naming file, record and field (sorted, unique)."""
    problems = [
        _problem(report, result, origins, uris)
        for result in report.subjects(RDF.type, SH.ValidationResult)
        if report.value(result, SH.resultSeverity) == SH.Violation
    ]
    return sorted(set(problems))


def _problem(
    report: Graph,
    result: Node,
    origins: dict[Node, Origin],
    uris: UriScheme,
) -> Problem:
    focus = report.value(result, SH.focusNode)
    path = report.value(result, SH.resultPath)
    origin = origins.get(focus) if focus is not None else None
    if origin is None:
        parsed = uris.parse(str(focus)) if isinstance(focus, URIRef) else None
        label = f"{parsed[0]} {parsed[1]}" if parsed else str(focus)
        file = "ontology/" if parsed and parsed[0] not in {"supplier", "offering"} else "-"
        origin = Origin(file, label)
    rule = _rule_name(report, result)
    if isinstance(path, URIRef):
        fields = _field_names(uris, origin.table or origin.record.partition(" ")[0])
        field = fields.get(path, _local_name(path))
    else:
        field = RULE_FIELDS.get(rule, "-")
    if origin.field_prefix:
        field = f"{origin.field_prefix}.{field}" if field != "-" else origin.field_prefix
    messages = [str(m) for m in report.objects(result, SH.resultMessage)]
    message = messages[0] if messages else "does not meet the rule"
    value = report.value(result, SH.value)
    if isinstance(value, Literal):
        message = f"{message} (value: {str(value)!r})"
    return Problem(origin.file, origin.record, field, rule, message)


@functools.lru_cache(maxsize=64)
def _field_names(uris: UriScheme, table_name: str) -> dict[URIRef, str]:
    return field_names(uris.vocab, table_name)


def _rule_name(report: Graph, result: Node) -> str:
    shape = report.value(result, SH.sourceShape)
    constraint = report.value(result, SH.sourceConstraint)
    for candidate in (constraint, shape):
        if isinstance(candidate, URIRef) and "#" in candidate:
            return candidate.rsplit("#", 1)[1]
    component = report.value(result, SH.sourceConstraintComponent)
    return _local_name(component) if component is not None else "shape"


def _local_name(iri: Node | None) -> str:
    text = str(iri or "")
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
