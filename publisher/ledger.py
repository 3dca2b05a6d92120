"""The ledger: every URI the publication has ever published, and what became of it.

It is carried from each publication to the next, so that a thing once published never
becomes a plain 404: a removed thing answers 410 with a tombstone (``removed``,
``replaced_by``), a renamed one 301 (``renamed_to``). ``modified`` changes only when the
thing's description changes, which gives harvesters ``dct:modified`` and
``?modified_since=`` for free.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
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
_LABEL_TERMS = frozenset(f"<{p}>".encode() for p in _LABELS)


@dataclass(frozen=True)
class SubjectFacts:
    """What the ledger needs to know of one thing the publication describes."""

    kind: str
    key: str
    hash: str  # description_hash: changes exactly when the description changes
    labels: dict[str, str]  # language ("" for none) → label


def subject_facts(triples: Iterable[ox.Triple], uris: UriScheme) -> dict[str, SubjectFacts]:
    """Facts of every thing of ours that is a subject of ``triples`` (``ntriples_facts``)."""
    return ntriples_facts(ox.serialize(list(triples), format=ox.RdfFormat.N_TRIPLES) or b"", uris)


def ntriples_facts(data: bytes, uris: UriScheme) -> dict[str, SubjectFacts]:
    """Facts of every thing of ours that is a subject of the N-Triples ``data`` (one
    triple a line, as pyoxigraph writes them).

    The description hash covers the subject's triples and, whole, the blank-node
    structures they lead to (parts, prices, claims). Blank-node labels are derived from
    content (``publisher.build.mapfile``), so the sorted N-Triples lines of that closure are
    a canonical form: the hash is the same whenever the description is."""
    by_subject: dict[bytes, list[bytes]] = defaultdict(list)
    for line in data.splitlines():
        # Subjects and predicates (IRIs, blank nodes) hold no space.
        by_subject[line[: line.index(b" ")]].append(line)
    facts: dict[str, SubjectFacts] = {}
    for subject, own in by_subject.items():
        if not subject.startswith(b"<"):
            continue
        iri = subject[1:-1].decode()
        parsed = uris.parse(iri)
        if parsed is None:
            continue
        digest = _closure_hash(by_subject, subject)
        facts[iri] = SubjectFacts(parsed[0], parsed[1], digest, _labels(own))
    return facts


def description_hash(graph: Graph, subject: URIRef) -> str:
    """The description hash of ``subject`` in an rdflib graph (the same as
    ``subject_facts`` gives for the same triples)."""
    by_subject: dict[bytes, list[bytes]] = defaultdict(list)
    for s, p, o in graph:
        line = f"{triple_to_oxigraph(s, p, o)} .".encode()
        by_subject[line[: line.index(b" ")]].append(line)
    return _closure_hash(by_subject, f"<{subject}>".encode())


def _closure_hash(by_subject: Mapping[bytes, list[bytes]], subject: bytes) -> str:
    lines: list[bytes] = []
    todo, seen = [subject], {subject}
    while todo:
        for line in by_subject.get(todo.pop(), ()):
            lines.append(line)
            obj = line[:-2].split(b" ", 2)[2]  # "s p o ."
            if obj.startswith(b"_:") and obj not in seen:
                seen.add(obj)
                todo.append(obj)
    return hashlib.sha256(b"\n".join(sorted(lines))).hexdigest()


def _labels(lines: list[bytes]) -> dict[str, str]:
    """Language ("" for none) → label, from the first label property that gives one."""
    wanted = [line for line in lines if line.split(b" ", 2)[1] in _LABEL_TERMS]
    if not wanted:
        return {}
    triples = [
        quad.triple
        for quad in ox.parse(
            b"\n".join(wanted), format=ox.RdfFormat.N_TRIPLES, rename_blank_nodes=False
        )
    ]
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


_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def write_ledger(
    path: Path, ledger: Ledger, previous: Ledger | None = None, previous_path: Path | None = None
) -> None:
    """``ledger.json``: a JSON object, one entry a line (``"iri":{...}``). The line of an
    entry that is as in the ``previous`` ledger (read from ``previous_path``, a file this
    code wrote) is copied from that file: an edit build encodes only the entries that
    changed."""
    lines = _lines(previous_path, previous) if previous and previous_path else {}
    written: list[str] = []
    for iri, entry in ledger.items():
        line = lines.get(iri)
        if line is None or previous is None or previous.get(iri) != entry:
            line = f"{_ENCODE(iri)}:{_ENCODE(entry)}"
        written.append(line)
    text = "{\n" + ",\n".join(written) + "\n}\n" if written else "{}\n"
    path.write_text(text, encoding="utf-8")


def _lines(path: Path, ledger: Ledger) -> dict[str, str]:
    """Each entry's line in ``path``, the file ``ledger`` was read from, if it is written
    as ``write_ledger`` writes (else none)."""
    try:
        rows = path.read_text(encoding="utf-8").split("\n")
    except OSError:
        return {}
    if len(rows) != len(ledger) + 3 or rows[0] != "{" or rows[-2:] != ["}", ""]:
        return {}
    lines: dict[str, str] = {}
    for iri, row in zip(ledger, rows[1:-2], strict=True):
        line = row.removesuffix(",")
        if not line.startswith(f"{_ENCODE(iri)}:"):
            return {}
        lines[iri] = line
    return lines
