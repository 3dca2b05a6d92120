"""What the pages read from a publication's store, as named queries with bindings.

Views call these functions and never write SPARQL themselves; every value from outside a
query text (an IRI, the vocabulary namespace) reaches it through ``bindings`` or
``prefixes`` of `ReadStore.query`, never by splicing. (pyoxigraph substitutes only
variables that a SELECT projects, so bound variables are in the projections.)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from publisher.i18n import N_
from publisher.store import LABEL_PROPERTIES, ReadStore
from publisher.terms import to_rdflib
from publisher.uris import UriScheme

RELATED_OFFERINGS = """
SELECT DISTINCT ?s ?type ?target WHERE {
  { ?s ?p ?target }
  UNION { ?s dct:hasPart ?part . ?part ?p ?target }
  UNION { ?c skos:broader ?target . ?s ?p ?c }
  ?s a ak:Offering ; a ?type .
  FILTER(?type IN (ak:Product, ak:Service))
}
"""

OFFERINGS_VIA_EXPRESSIONS = """
SELECT DISTINCT ?s ?type ?expr ?target WHERE {
  ?expr ak:licenceMember ?target .
  { ?s dct:license ?expr } UNION { ?s dct:hasPart ?part . ?part dct:license ?expr }
  ?s a ak:Offering ; a ?type .
  FILTER(?type IN (ak:Product, ak:Service))
}
"""

SCHEMES = """
SELECT ?scheme ?c ?lang ?label WHERE {
  ?scheme a skos:ConceptScheme .
  { ?scheme skos:prefLabel ?label BIND(?scheme AS ?c) }
  UNION { ?scheme skos:hasTopConcept ?c . ?c skos:prefLabel ?label }
  BIND(LANG(?label) AS ?lang)
}
"""


def _kind(type_iri: str) -> str:
    return "product" if type_iri.endswith("Product") else "service"


def related_offerings(store: ReadStore, iri: str, vocab: str) -> dict[str, str]:
    """Offerings that link to `iri` (directly, through a part, or through a narrower
    concept) → "product" or "service", in IRI order."""
    rows = store.query(RELATED_OFFERINGS, bindings={"target": iri}, prefixes={"ak": vocab})
    found = {row["s"].value: _kind(row["type"].value) for row in rows}
    found.pop(iri, None)
    return dict(sorted(found.items()))


def offerings_via_expressions(
    store: ReadStore, iri: str, vocab: str
) -> dict[str, tuple[str, list[str]]]:
    """Offerings under a licence expression that has `iri` as a member → ("product" or
    "service", the expressions' IRIs)."""
    rows = store.query(OFFERINGS_VIA_EXPRESSIONS, bindings={"target": iri}, prefixes={"ak": vocab})
    found: dict[str, tuple[str, list[str]]] = {}
    for row in rows:
        found.setdefault(row["s"].value, (_kind(row["type"].value), []))[1].append(
            row["expr"].value
        )
    for _, expressions in found.values():
        expressions.sort()
    return dict(sorted(found.items()))


def add_labels(store: ReadStore, graph: Graph, iris: Iterable[str]) -> None:
    """Copy the labels of `iris` into `graph` (for the HTML only, not the RDF)."""
    for triple in store.values(sorted(set(iris)), LABEL_PROPERTIES):
        graph.add(triple)


def add_licence_facts(store: ReadStore, graph: Graph, vocab: str) -> None:
    """Whether each licence `graph` names is open source (for the HTML at-a-glance)."""
    licences = {str(o) for o in graph.objects(None, DCTERMS.license) if isinstance(o, URIRef)}
    facts = (URIRef(vocab + "openSource"), URIRef(vocab + "osiApproved"))
    for triple in store.values(sorted(licences), facts):
        graph.add(triple)


def graph_triples(store: ReadStore, graph_iri: str) -> Graph:
    """The triples of one named graph (the vocabulary), in a stable order."""
    out = Graph()
    for quad in sorted(
        store.quads(graph=ox.NamedNode(graph_iri)),
        key=lambda q: (str(q.subject), str(q.predicate), str(q.object)),
    ):
        out.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    return out


@dataclass(frozen=True)
class SchemeLabel:
    scheme: str
    concept: str  # equal to `scheme` for the scheme's own label
    lang: str
    label: str


def scheme_labels(store: ReadStore) -> list[SchemeLabel]:
    """The labels of every concept scheme and of its top concepts."""
    return sorted(
        (
            SchemeLabel(r["scheme"].value, r["c"].value, r["lang"].value, r["label"].value)
            for r in store.query(SCHEMES, prefixes={"skos": str(SKOS)})
        ),
        key=lambda x: (x.scheme, x.concept, x.lang, x.label),
    )


@dataclass(frozen=True)
class StoreStatistics:
    """What VoID states about the data, counted in the store the site serves."""

    triples: int
    distinct_subjects: int  # IRIs and blank nodes, as void:distinctSubjects counts them
    entities: tuple[str, ...]  # IRIs under void:uriSpace that are subjects (sorted)
    classes: dict[str, int]  # class IRI → entities of that class


IN_SPACE = "FILTER(isIRI(?s) && STRSTARTS(STR(?s), ?space))"
ENTITIES = f"SELECT DISTINCT ?s ?space WHERE {{ ?s ?p ?o {IN_SPACE} }}"
CLASSES = (
    f"SELECT ?c ?space (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a ?c {IN_SPACE} }} GROUP BY ?c ?space"
)
TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
DISTINCT_SUBJECTS = "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }"


def store_statistics(store: ReadStore, uri_space: str) -> StoreStatistics:
    """Triples, subjects, entities under `uri_space` and entities per class."""
    space = {"space": ox.Literal(uri_space)}

    def number(query: str) -> int:
        return int(next(iter(store.query(query)))["n"].value)

    return StoreStatistics(
        triples=number(TRIPLES),
        distinct_subjects=number(DISTINCT_SUBJECTS),
        entities=tuple(sorted(r["s"].value for r in store.query(ENTITIES, bindings=space))),
        classes={r["c"].value: int(r["n"].value) for r in store.query(CLASSES, bindings=space)},
    )


# --- the home page and search: one read per publication ------------------------------------

# (title, property linking an offering to the facet value, class of all values or None),
# properties and classes as local names in ak: or full IRIs.
HOME_FACETS: tuple[tuple[str, str, str | None], ...] = (
    (N_("By supplier"), str(DCTERMS.publisher), "Supplier"),
    (N_("By licence"), str(DCTERMS.license), None),
    (N_("By openness aspect"), "opennessAspect", "OpennessAspect"),
    (N_("By service domain"), "serviceDomain", "ServiceDomain"),
    (N_("By delivery phase"), "deliveryPhase", "DeliveryPhase"),
)


@dataclass
class Index:
    """What the home page and search need from one publication, read once."""

    labels: dict[str, list[Literal]]
    layers: list[tuple[str, int, bool]]
    components: list[tuple[str, str, int, str | None]]  # iri, layer, order, confidence
    themes: dict[str, set[str]]
    facets: dict[str, dict[str, set[str]]]
    facet_values: dict[str, set[str]]
    open_licences: dict[str, bool]
    offerings: int
    suppliers: int


LABELS = """SELECT ?s ?p ?o ?p1 ?p2 ?p3 ?p4 WHERE {
  ?s ?p ?o FILTER(isIRI(?s) && ?p IN (?p1, ?p2, ?p3, ?p4)) }"""
LAYERS = """SELECT ?l ?order ?cc WHERE {
  ?l a ak:ArchitectureLayer ; ak:order ?order OPTIONAL { ?l ak:crossCutting ?cc } }"""
COMPONENTS = """SELECT ?c ?l ?order ?conf WHERE {
  ?c a ak:ArchitectureComponent ; skos:broader ?l
  OPTIONAL { ?c ak:order ?order } OPTIONAL { ?c ak:confidence ?conf } }"""
THEMES = "SELECT ?o ?c WHERE { ?o a ak:Offering ; dcat:theme ?c }"
FACET_MEMBERS = "SELECT ?o ?v ?property WHERE { ?o a ak:Offering ; ?property ?v }"
INSTANCES = "SELECT ?v ?class WHERE { ?v a ?class }"
OPEN_LICENCES = "SELECT ?l ?open WHERE { ?l a ak:Licence ; ak:openSource ?open }"
COUNT = "SELECT (COUNT(DISTINCT ?s) AS ?n) ?class WHERE { ?s a ?class } GROUP BY ?class"


def home_index(store: ReadStore, uris: UriScheme) -> Index:
    vocab = str(uris.vocab)
    ak = {"ak": vocab}

    def rows(query: str, **bindings: str) -> list[Any]:
        return list(store.query(query, bindings=bindings, prefixes=ak))

    def term(name: str) -> str:
        return name if "/" in name else vocab + name

    labels: dict[str, list[Literal]] = defaultdict(list)
    label_bindings = {f"p{i}": str(p) for i, p in enumerate(LABEL_PROPERTIES, 1)}
    for r in rows(LABELS, **label_bindings):
        labels[r["s"].value].append(to_rdflib(r["o"]))  # type: ignore[arg-type]
    layers = [
        (r["l"].value, int(r["order"].value), r["cc"] is not None and r["cc"].value == "true")
        for r in rows(LAYERS)
    ]
    components = [
        (
            r["c"].value,
            r["l"].value,
            int(r["order"].value) if r["order"] is not None else 0,
            r["conf"].value if r["conf"] is not None else None,
        )
        for r in rows(COMPONENTS)
    ]
    themes: dict[str, set[str]] = defaultdict(set)
    for r in rows(THEMES):
        themes[r["c"].value].add(r["o"].value)
    facets: dict[str, dict[str, set[str]]] = {}
    facet_values: dict[str, set[str]] = {}
    for title, prop, cls in HOME_FACETS:
        found: dict[str, set[str]] = defaultdict(set)
        for r in rows(FACET_MEMBERS, property=term(prop)):
            found[r["v"].value].add(r["o"].value)
        facets[title] = found
        if cls:
            facet_values[title] = {r["v"].value for r in rows(INSTANCES, **{"class": term(cls)})}
    open_licences = {r["l"].value: r["open"].value == "true" for r in rows(OPEN_LICENCES)}

    def count(cls: str) -> int:
        found = rows(COUNT, **{"class": term(cls)})
        return int(found[0]["n"].value) if found else 0

    return Index(
        labels=dict(labels),
        layers=layers,
        components=components,
        themes=dict(themes),
        facets=facets,
        facet_values=facet_values,
        open_licences=open_licences,
        offerings=count("Offering"),
        suppliers=count("Supplier"),
    )
