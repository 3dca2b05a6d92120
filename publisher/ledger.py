"""The ledger: every URI the publication has ever published, and what became of it.

It is carried from each publication to the next, so that a thing once published never
becomes a plain 404: a removed thing answers 410 with a tombstone (``removed``,
``replaced_by``), a renamed one 301 (``renamed_to``). ``modified`` changes only when the
thing's description changes, which gives harvesters ``dct:modified`` and
``?modified_since=`` for free.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, time
from typing import Any

from rdflib import BNode, Graph, URIRef
from rdflib.compare import to_canonical_graph

from publisher.sources import Catalogue
from publisher.store import LABEL_PROPERTIES
from publisher.uris import UriScheme

Entry = dict[str, Any]
Ledger = dict[str, Entry]


def description_hash(graph: Graph, subject: URIRef) -> str:
    """A hash of the subject's triples and blank-node structures that ignores blank-node ids."""
    closure = Graph()
    todo: list[URIRef | BNode] = [subject]
    seen: set[URIRef | BNode] = set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for p, o in graph.predicate_objects(node):
            closure.add((node, p, o))
            if isinstance(o, BNode):
                todo.append(o)
    lines = sorted(line for line in to_canonical_graph(closure).serialize(format="nt").splitlines())
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def labels(graph: Graph, subject: URIRef) -> dict[str, str]:
    found: dict[str, str] = {}
    for prop in LABEL_PROPERTIES:
        for value in graph.objects(subject, prop):
            lang = getattr(value, "language", None) or ""
            found.setdefault(lang, str(value))
    return found


def update_ledger(
    previous: Ledger,
    graph: Graph,
    catalogue: Catalogue,
    uris: UriScheme,
    now: datetime,
) -> Ledger:
    """The new ledger: what the graph publishes now, plus everything published before."""
    stamp = now.astimezone(UTC).isoformat(timespec="seconds")
    ledger: Ledger = {}
    current: set[str] = set()
    for subject in sorted({s for s in graph.subjects() if isinstance(s, URIRef)}):
        parsed = uris.parse(str(subject))
        if parsed is None:
            continue
        iri = str(subject)
        current.add(iri)
        digest = description_hash(graph, subject)
        before = previous.get(iri, {})
        unchanged = before.get("hash") == digest and not before.get("removed")
        ledger[iri] = {
            "kind": parsed[0],
            "key": parsed[1],
            "label": labels(graph, subject),
            "hash": digest,
            "first_published": before.get("first_published", stamp),
            "modified": before["modified"] if unchanged else stamp,
            "removed": None,
            "replaced_by": None,
            "renamed_to": None,
        }
    retired = {(r.kind, r.id): r for r in catalogue.retired}
    for iri, before in previous.items():
        if iri in current:
            continue
        entry = dict(before)
        if not entry.get("removed"):
            entry["removed"] = stamp
            entry["modified"] = stamp
        ledger[iri] = entry
    # retired.yaml and renames are applied even when the earlier ledger was lost.
    for (kind, key), retirement in retired.items():
        iri = str(uris.thing(kind, key))
        entry = ledger.setdefault(iri, _unknown_entry(kind, key, retirement.removed))
        entry["removed"] = entry.get("removed") or _iso(retirement.removed)
        if retirement.replaced_by:
            entry["replaced_by"] = str(uris.thing(kind, retirement.replaced_by))
        if retirement.reason:
            entry["reason"] = retirement.reason
    for old, new in catalogue.renamed.items():
        kind = "offering" if any(o.id == new for o in catalogue.offerings) else "supplier"
        iri = str(uris.thing(kind, old))
        entry = ledger.setdefault(iri, _unknown_entry(kind, old, now.date()))
        entry["removed"] = entry.get("removed") or stamp
        entry["renamed_to"] = str(uris.thing(kind, new))
    return dict(sorted(ledger.items()))


def _unknown_entry(kind: str, key: str, removed: date) -> Entry:
    return {
        "kind": kind,
        "key": key,
        "label": {},
        "hash": None,
        "first_published": None,
        "modified": _iso(removed),
        "removed": _iso(removed),
        "replaced_by": None,
        "renamed_to": None,
    }


def _iso(day: date) -> str:
    return datetime.combine(day, time(0, 0), tzinfo=UTC).isoformat(timespec="seconds")
