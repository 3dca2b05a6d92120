"""What the pages read from a publication's store, as named queries with bindings.

Views call these functions and never write SPARQL themselves; every value from outside a
query text (an IRI, the vocabulary namespace) reaches it through ``bindings`` or
``prefixes`` of `ReadStore.query`, never by splicing. (pyoxigraph substitutes only
variables that a SELECT projects, so bound variables are in the projections.)
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, SKOS

from publisher.store import ReadStore, rdflib_term
from publisher.terms import to_rdflib

SCHEMES = """
SELECT ?scheme ?c ?lang ?label WHERE {
  ?scheme a skos:ConceptScheme .
  { ?scheme skos:prefLabel ?label BIND(?scheme AS ?c) }
  UNION { ?scheme skos:hasTopConcept ?c . ?c skos:prefLabel ?label }
  BIND(LANG(?label) AS ?lang)
}
"""


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
        out.add((rdflib_term(quad.subject), to_rdflib(quad.predicate), rdflib_term(quad.object)))
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
