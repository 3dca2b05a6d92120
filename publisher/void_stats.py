"""VoID statistics of a publication, counted once at build time (the build artefact
``void``): triples, distinct subjects, entities under the URI space and entities per class.
Counting them in the store costs seconds at national scale, so no request does it; the
VoID description and its page read ``artefacts/void/statistics.json``."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from publisher.store import ReadStore

FILE = "statistics.json"

TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
DISTINCT_SUBJECTS = "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }"
IN_SPACE = "FILTER(isIRI(?s) && STRSTARTS(STR(?s), ?space))"
ENTITIES = (
    f"SELECT ?space (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s ?p ?o {IN_SPACE} }} GROUP BY ?space"
)
CLASSES = (
    f"SELECT ?c ?space (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a ?c {IN_SPACE} }} GROUP BY ?c ?space"
)


@dataclass(frozen=True)
class StoreStatistics:
    """What VoID states about the data, counted in the store the site serves."""

    triples: int
    distinct_subjects: int  # IRIs and blank nodes, as void:distinctSubjects counts them
    entities: int  # IRIs under void:uriSpace that are subjects
    classes: dict[str, int]  # class IRI → entities of that class


def count(store: ReadStore, uri_space: str) -> StoreStatistics:
    space = {"space": ox.Literal(uri_space)}

    def number(query: str, **options: Any) -> int:
        rows = list(store.query(query, **options))
        return int(rows[0]["n"].value) if rows else 0

    return StoreStatistics(
        triples=number(TRIPLES),
        distinct_subjects=number(DISTINCT_SUBJECTS),
        entities=number(ENTITIES, bindings=space),
        classes={
            r["c"].value: int(r["n"].value)
            for r in sorted(store.query(CLASSES, bindings=space), key=lambda r: r["c"].value)
        },
    )


def write_artefact(context: Any) -> None:
    """The build artefact ``void`` (publisher.artefacts): ``statistics.json``."""
    stats = count(ReadStore(context.store_path), f"{context.uris.base}id/")
    text = json.dumps(asdict(stats), indent=1, sort_keys=True) + "\n"
    (Path(context.folder) / FILE).write_text(text, encoding="utf-8")


def read(folder: Path) -> StoreStatistics:
    data = json.loads((folder / FILE).read_text(encoding="utf-8"))
    return StoreStatistics(**data)
