"""The ledger: every URI the publication has ever published, and what became of it.

It is carried from each publication to the next, so that a thing once published never
becomes a plain 404: a removed thing answers 410 with a tombstone (``removed``,
``replaced_by``), a renamed one 301 (``renamed_to``). ``modified`` changes only when the
thing's description changes, which gives harvesters ``dct:modified`` and
``?modified_since=`` for free.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, URIRef

from publisher.sources import Retirement
from publisher.store import LABEL_PROPERTIES
from publisher.terms import triple_to_oxigraph
from publisher.uris import UriScheme

Entry = dict[str, Any]
Ledger = dict[str, Entry]
_LABELS = tuple(str(p) for p in LABEL_PROPERTIES)


@dataclass(frozen=True)
class SubjectFacts:
    """What the ledger needs to know of one thing the publication describes."""

    kind: str
    key: str
    hash: str  # description_hash: changes exactly when the description changes
    labels: dict[str, str]  # language ("" for none) → label


def subject_facts(triples: Iterable[ox.Triple], uris: UriScheme) -> dict[str, SubjectFacts]:
    """Facts of every thing of ours that is a subject of ``triples``.

    The description hash covers the subject's triples and, whole, the blank-node
    structures they lead to (parts, prices, claims). Blank-node labels are derived from
    content (``publisher.build.mapfile``), so the sorted N-Triples lines of that closure are
    a canonical form: the hash is the same whenever the description is."""
    by_subject: dict[str, list[ox.Triple]] = defaultdict(list)
    for triple in triples:
        by_subject[str(triple.subject)].append(triple)
    facts: dict[str, SubjectFacts] = {}
    for subject, own in by_subject.items():
        if not subject.startswith("<"):
            continue
        iri = subject[1:-1]
        parsed = uris.parse(iri)
        if parsed is None:
            continue
        digest = _closure_hash(by_subject, subject)
        facts[iri] = SubjectFacts(parsed[0], parsed[1], digest, _labels(own))
    return facts


def description_hash(graph: Graph, subject: URIRef) -> str:
    """The description hash of ``subject`` in an rdflib graph (the same as
    ``subject_facts`` gives for the same triples)."""
    by_subject: dict[str, list[ox.Triple]] = defaultdict(list)
    for s, p, o in graph:
        triple = triple_to_oxigraph(s, p, o)
        by_subject[str(triple.subject)].append(triple)
    return _closure_hash(by_subject, f"<{subject}>")


def _closure_hash(by_subject: Mapping[str, list[ox.Triple]], subject: str) -> str:
    lines: list[str] = []
    todo, seen = [subject], {subject}
    while todo:
        for triple in by_subject.get(todo.pop(), ()):
            lines.append(f"{triple} .")
            obj = triple.object
            if isinstance(obj, ox.BlankNode) and str(obj) not in seen:
                seen.add(str(obj))
                todo.append(str(obj))
    return hashlib.sha256("\n".join(sorted(lines)).encode()).hexdigest()


def _labels(triples: list[ox.Triple]) -> dict[str, str]:
    found: dict[str, str] = {}
    for prop in _LABELS:
        for triple in triples:
            value = triple.object
            if triple.predicate.value == prop and isinstance(value, ox.Literal):
                found.setdefault(value.language or "", value.value)
    return found


def update_ledger(
    previous: Ledger,
    facts: Mapping[str, SubjectFacts],
    retired: Iterable[Retirement],
    renamed: Mapping[str, str],
    offering_ids: set[str],
    uris: UriScheme,
    now: datetime,
) -> Ledger:
    """The new ledger: what the publication describes now (``facts``), plus everything
    published before."""
    stamp = now.astimezone(UTC).isoformat(timespec="seconds")
    ledger: Ledger = {}
    current: set[str] = set()
    for iri in sorted(facts):
        fact = facts[iri]
        current.add(iri)
        before = previous.get(iri, {})
        unchanged = before.get("hash") == fact.hash and not before.get("removed")
        ledger[iri] = {
            "kind": fact.kind,
            "key": fact.key,
            "label": fact.labels,
            "hash": fact.hash,
            "first_published": before.get("first_published", stamp),
            "modified": before["modified"] if unchanged else stamp,
            "removed": None,
            "replaced_by": None,
            "renamed_to": None,
        }
    retirements = {(r.kind, r.id): r for r in retired}
    for iri, before in previous.items():
        if iri in current:
            continue
        entry = dict(before)
        if not entry.get("removed"):
            entry["removed"] = stamp
            entry["modified"] = stamp
        ledger[iri] = entry
    # retired.yaml and renames are applied even when the earlier ledger was lost.
    for (kind, key), retirement in retirements.items():
        iri = str(uris.thing(kind, key))
        entry = ledger.setdefault(iri, _unknown_entry(kind, key, retirement.removed))
        entry["removed"] = entry.get("removed") or _iso(retirement.removed)
        if retirement.replaced_by:
            entry["replaced_by"] = str(uris.thing(kind, retirement.replaced_by))
        if retirement.reason:
            entry["reason"] = retirement.reason
    for old, new in renamed.items():
        kind = "offering" if new in offering_ids else "supplier"
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
