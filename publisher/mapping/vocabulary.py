"""The vocabulary (ontology/*.ttl) and its concept schemes (ontology/schemes/*.ttl).

The Turtle files use relative IRIs; parsing them with the base URI as ``publicID`` puts the
vocabulary at ``{base}ontology#`` and the concepts at ``{base}id/{kind}/{key}``.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from publisher.sources import KnownIds
from publisher.store import new_graph
from publisher.uris import UriScheme


def vocabulary_files(ontology_dir: Path) -> list[Path]:
    ontology_dir = Path(ontology_dir)
    return sorted(ontology_dir.glob("*.ttl")) + sorted((ontology_dir / "schemes").glob("*.ttl"))


def load_vocabulary(ontology_dir: Path, uris: UriScheme) -> Graph:
    graph = new_graph(str(uris.vocab))
    files = vocabulary_files(ontology_dir)
    if not files:
        raise FileNotFoundError(f"no vocabulary (*.ttl) in {ontology_dir}")
    for path in files:
        graph.parse(path, format="turtle", publicID=uris.base)
    return graph


def known_ids(vocabulary: Graph, uris: UriScheme) -> KnownIds:
    """The concept ids, by class, that source files may refer to (group headings such as
    the service-domain groups are concepts but not of these classes)."""
    ak = uris.vocab

    def keys(cls: URIRef) -> set[str]:
        found = set()
        for concept in vocabulary.subjects(RDF.type, cls):
            parsed = uris.parse(str(concept))
            if parsed:
                found.add(parsed[1])
        return found

    return KnownIds(
        components=keys(ak.ArchitectureComponent),
        domains=keys(ak.ServiceDomain),
        phases=keys(ak.DeliveryPhase),
        routes=keys(ak.ProcurementRoute),
        aspects=keys(ak.OpennessAspect),
    )
