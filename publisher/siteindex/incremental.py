"""Reuse the previous publication's site index: take its rows and redo only the entities
whose description changed (``ArtefactContext.changed``) and the offerings that show them
(an offering's search names carry its supplier's, components' and licences' labels; its
card carries its licences' openness and its components' layers).

The rows of a changed entity are made twice, by the same code as a cold build: from the
previous publication's store (what the previous index must hold for it: checked, and
taken away) and from the new store (what is added). Counts (terms, words, facet values,
suggestion weights) follow by difference; sort orders, facet bitmaps, the concept and
licence tables are recomputed from the cards (cheap). The rows then go through the same
writer as a cold build's, so the file is byte for byte the one a cold build writes.

Entities added or removed renumber the others (offerings first, by IRI; then the other
kinds, as ``build_model`` numbers them): the previous rows are renumbered. Anything this
does not handle (too many offerings to redo, a previous index that does not match its
store) returns ``None``: the caller then writes the index from the whole store.
"""

from __future__ import annotations

import heapq
import json
import sqlite3
import sys
import time
from array import array
from bisect import bisect_left, insort
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from pyroaring import BitMap

from publisher.search.analysis import Analyser
from publisher.siteindex import fulltext
from publisher.siteindex.extract import RDF_TYPE, Extract, Text, read_quads
from publisher.siteindex.model import (
    Entity,
    Model,
    SearchDoc,
    _concepts,
    _layers_of_components,
    _licences,
    _offering,
    _offering_doc,
    _other_doc,
    member_of,
    sort_keys,
    supplier_names,
    terms_of,
)
from publisher.siteindex.schema import SCHEMA_VERSION
from publisher.siteindex.tallies import FacetChange, WordCounts, facet_counts
from publisher.siteindex.writer import (
    SUGGEST_TOP_LENGTH,
    Copy,
    Members,
    Rows,
    Terms,
    _json,
    best_entities,
    entity_suggestions,
    packed,
    search_row,
    suggest_counts,
    suggest_top,
    unpacked,
)
from publisher.uris import KINDS, UriScheme

# Kinds whose every entity is read from the stores (the layers of components).
LAYER_KINDS = frozenset({"layer", "component"})
MAX_SHARE = 5  # redo at most 1/MAX_SHARE of the offerings; beyond that, a cold write

Say = Callable[[str], None]
SuggestRow = tuple[str, int, str, str, int]


class _Stores:
    """The previous and the new store, opened read-only."""

    def __init__(self, old: Path, new: Path) -> None:
        self.old = ox.Store.read_only(str(old))
        self.new = ox.Store.read_only(str(new))


def reuse_rows(
    index: Path,
    *,
    previous_store: Path,
    store_path: Path,
    base_uri: str,
    ledger: dict[str, Any],
    changed: frozenset[str],
    analyser: Analyser,
    say: Say,
) -> Rows | None:
    """The rows of the new index from the previous one (``index``), or None when they
    must be made from the whole store."""
    started = time.perf_counter()
    if not index.is_file() or not previous_store.is_dir() or not store_path.is_dir():
        return None
    try:
        db = sqlite3.connect(f"file:{index}?mode=ro&immutable=1", uri=True)
    except sqlite3.Error:
        return None
    try:
        meta = dict(db.execute("SELECT key, value FROM meta"))
        if (
            meta.get("schema_version") != str(SCHEMA_VERSION)
            or meta.get("analyser") != analyser.info.describe()
            or meta.get("base_uri") != base_uri
            or not fulltext.reusable(db)
        ):
            return None
        rows = _reuse(
            db, previous_store, store_path, base_uri, ledger, changed, analyser, say, index
        )
    except (sqlite3.Error, OSError, KeyError, IndexError, ValueError) as error:
        # never a failed build for want of reuse: the whole store gives the same file
        say(f"  site index: previous rows not reusable ({error!r}); rewriting it whole")
        return None
    finally:
        db.close()
    if rows is not None:
        say(f"  site index: reused the previous rows ({time.perf_counter() - started:.2f} s)")
    return rows


def _reuse(
    db: sqlite3.Connection,
    previous_store: Path,
    store_path: Path,
    base_uri: str,
    ledger: dict[str, Any],
    changed: frozenset[str],
    analyser: Analyser,
    say: Say,
    index: Path,
) -> Rows | None:
    uris = UriScheme(base_uri)
    stores = _Stores(previous_store, store_path)
    plan = _plan(db, stores, uris, changed)
    if plan is None:
        return None  # pragma: no cover - kind and key are the IRI's
    redo = len([n for n in plan.dirty if n < plan.offerings]) + len(plan.added)
    if redo > max(50, plan.offerings // MAX_SHARE):
        say(f"  site index: {redo} offerings to redo; rewriting the index whole")
        return None
    numbering = _numbering(db, plan)
    work = _Work(db, plan, numbering, analyser, say)
    if not work.read(stores, uris):
        return None
    if not work.take_away():
        return None
    work.add()
    return work.rows(ledger, index)


@dataclass
class _Plan:
    """What changed, in the previous index's ids: the entities modified (with the
    offerings that show them), added and removed."""

    listed: list[tuple[int, str, str, str]]  # the previous entity rows: id, kind, key, iri
    by_iri: dict[str, tuple[int, str, str]]  # iri → id, kind, key
    offerings: int  # how many the previous index has
    dirty: set[int] = field(default_factory=set)
    added: list[tuple[str, str, str]] = field(default_factory=list)  # kind, key, iri
    removed: set[int] = field(default_factory=set)

    def show(self, store: ox.Store, iri: str, offering_iris: set[str]) -> None:
        """The offerings of ``store`` that show ``iri`` are redone."""
        for showing in _referring(store, iri, offering_iris):
            found = self.by_iri.get(showing)
            if found is not None and found[0] not in self.removed:
                self.dirty.add(found[0])


def _plan(
    db: sqlite3.Connection, stores: _Stores, uris: UriScheme, changed: frozenset[str]
) -> _Plan | None:
    listed = db.execute("SELECT id, kind, key, iri FROM entity ORDER BY id").fetchall()
    plan = _Plan(
        listed=listed,
        by_iri={iri: (number, kind, key) for number, kind, key, iri in listed},
        offerings=db.execute("SELECT count(*) FROM offering").fetchone()[0],
    )
    offering_class = str(terms_of(str(uris.vocab)).Offering)
    for iri in sorted(changed):
        before = plan.by_iri.get(iri)
        after = _entity_of(stores.new, iri, uris, offering_class)
        if before is None:
            if after is not None:
                plan.added.append((after[0], after[1], iri))
        elif after is None:
            plan.removed.add(before[0])
        elif before[1:] != after:
            return None  # pragma: no cover - kind and key are the IRI's
        else:
            plan.dirty.add(before[0])
    offering_iris = {iri for iri, found in plan.by_iri.items() if found[0] < plan.offerings}
    offering_iris |= {iri for kind, _key, iri in plan.added if kind == "offering"}
    for number in sorted(plan.dirty | plan.removed):
        if number >= plan.offerings:
            for store in (stores.old, stores.new):
                plan.show(store, listed[number][3], offering_iris)
    for kind, _key, iri in plan.added:
        if kind != "offering":
            plan.show(stores.new, iri, offering_iris)
    return plan


@dataclass
class _Numbering:
    """The previous entities (old ids) and the new ones (new ids, as build_model numbers
    them), with the labels the previous index has for them."""

    old_entities: list[Entity]
    entities: list[Entity]
    old_of: list[int]  # new id → old id (-1: added)
    new_of: dict[int, int]  # old id → new id (the removed ones: none)
    count: int  # offerings in the new index
    new_dirty: set[int]  # new ids to redo
    identity: bool  # no entity added or removed: every id stays


def _numbering(db: sqlite3.Connection, plan: _Plan) -> _Numbering:
    # When no id changes, only the suppliers' labels are needed (their names sort the
    # offerings; the labels of the others are copied, those of the redone ones read from
    # the stores); otherwise every label is written again.
    renumbered = bool(plan.added or plan.removed)
    labels = _labels(db, None if renumbered else "supplier")
    old_entities = [
        Entity(number, kind, key, iri, labels.get(number, ()))
        for number, kind, key, iri in plan.listed
    ]
    del labels
    if not renumbered:
        return _Numbering(
            old_entities=old_entities,
            entities=list(old_entities),
            old_of=list(range(len(old_entities))),
            new_of={n: n for n in range(len(old_entities))},
            count=plan.offerings,
            new_dirty=set(plan.dirty),
            identity=True,
        )
    things = [(e.kind, e.key, e.iri, e.id) for e in old_entities if e.id not in plan.removed]
    things += [(kind, key, iri, -1) for kind, key, iri in plan.added]
    new_offerings = sorted((t for t in things if t[0] == "offering"), key=lambda t: t[2])
    new_others = sorted(
        (t for t in things if t[0] != "offering"),
        key=lambda t: (KINDS.index(t[0]), t[1], t[0], t[2]),
    )
    ordered = new_offerings + new_others
    old_of = [t[3] for t in ordered]
    new_of = {old: new for new, old in enumerate(old_of) if old >= 0}
    return _Numbering(
        old_entities=old_entities,
        entities=[
            Entity(new, kind, key, iri, old_entities[old].labels if old >= 0 else ())
            for new, (kind, key, iri, old) in enumerate(ordered)
        ],
        old_of=old_of,
        new_of=new_of,
        count=len(new_offerings),
        new_dirty={new_of[n] for n in plan.dirty} | {n for n, old in enumerate(old_of) if old < 0},
        identity=len(old_of) == len(old_entities) and all(o == n for n, o in enumerate(old_of)),
    )


def _labels(
    db: sqlite3.Connection, kind: str | None = None, ids: Iterable[int] | None = None
) -> dict[int, tuple[Text, ...]]:
    """The previous index's labels by entity (every one, or of a kind, or of ``ids``), in
    the table's order."""
    if ids is not None:
        query = (
            "SELECT entity, lang, text FROM label WHERE entity IN (SELECT value FROM json_each(?))"
        )
        found = db.execute(query, (_json(sorted(ids)),))
    elif kind is not None:
        query = (
            "SELECT entity, lang, text FROM label"
            " WHERE entity IN (SELECT id FROM entity WHERE kind = ?)"
        )
        found = db.execute(query, (kind,))
    else:
        found = db.execute("SELECT entity, lang, text FROM label")
    labels: dict[int, list[Text]] = defaultdict(list)
    for entity, lang, text in found:
        labels[entity].append(Text(lang, text))
    return {entity: tuple(texts) for entity, texts in labels.items()}


class _Previous:
    """The previous index's offering and search rows: every one read at once when the
    entities are renumbered (all of them are written again), else only those asked for
    (the others are copied by SQLite)."""

    def __init__(self, db: sqlite3.Connection, everything: bool) -> None:
        self.db = db
        self.everything = everything
        self._offerings: dict[int, tuple[str, str | None, bytes]] = {}
        self._details: dict[int, bytes] = {}
        self._search: dict[int, tuple[str, str, str, str]] = {}
        if everything:
            for ordinal, key, supplier, card in db.execute(
                "SELECT ordinal, key, supplier, card FROM offering"
            ):
                self._offerings[ordinal] = (key, supplier, card)
            self._details = dict(db.execute("SELECT ordinal, detail FROM offering_detail"))
            for entity, title, keywords, names, body in db.execute(
                "SELECT entity, title, keywords, names, body FROM search_text"
            ):
                self._search[entity] = (title, keywords, names, body)

    def complete(self, entities: int, offerings: int) -> bool:
        """Has every entity its search row, every offering its card?"""
        if self.everything:
            return len(self._search) == entities and len(self._offerings) == offerings
        found = self.db.execute(
            "SELECT (SELECT count(*) FROM search_text), (SELECT count(*) FROM offering_detail)"
        ).fetchone()
        return tuple(found) == (entities, offerings)

    def offering(self, ordinal: int) -> tuple[str, str | None, bytes]:
        found = self._offerings.get(ordinal)
        if found is None:
            row = self._row("SELECT key, supplier, card FROM offering WHERE ordinal = ?", ordinal)
            found = self._offerings[ordinal] = (row[0], row[1], row[2])
        return found

    def detail(self, ordinal: int) -> bytes:
        found = self._details.get(ordinal)
        if found is None:
            row = self._row("SELECT detail FROM offering_detail WHERE ordinal = ?", ordinal)
            found = self._details[ordinal] = row[0]
        return found

    def search(self, entity: int) -> tuple[str, str, str, str]:
        found = self._search.get(entity)
        if found is None:
            row = self._row(
                "SELECT title, keywords, names, body FROM search_text WHERE entity = ?", entity
            )
            found = self._search[entity] = (row[0], row[1], row[2], row[3])
        return found

    def _row(self, sql: str, key: int) -> tuple[Any, ...]:
        """The previous index's one row for ``key``; KeyError when it has none."""
        row = self.db.execute(sql, (key,)).fetchone()
        if row is None:
            raise KeyError(key)
        return tuple(row)


class _Work:
    """One reuse: the previous rows of the changed entities taken away (checked against
    what this code makes of the previous store), the new ones added."""

    def __init__(
        self,
        db: sqlite3.Connection,
        plan: _Plan,
        numbering: _Numbering,
        analyser: Analyser,
        say: Say,
    ) -> None:
        self.db, self.plan, self.numbering, self.say = db, plan, numbering, say
        self.previous = _Previous(db, everything=not numbering.identity)
        # renumbered: every word and term row is written again; otherwise only those the
        # changed entities have
        self.counts = WordCounts(db, everything=not numbering.identity)
        self.analyse = Terms(analyser, self.counts)
        self.old_cards: dict[int, dict[str, Any]] = {}  # the previous cards taken away
        counted = json.loads(dict(db.execute("SELECT key, value FROM meta"))["counts"])
        self.types = {t: counted.get(t, 0) for t in ("product", "service")}
        self.cards: dict[int, dict[str, Any]] = {}  # the new cards made or unpacked, by ordinal
        self.offerings: dict[int, tuple[int, str, str | None, bytes]] = {}  # redone, new ordinal
        self.details: dict[int, tuple[int, bytes]] = {}
        self.search: dict[int, tuple[int, str, str, str, str]] = {}  # redone, new id

    def read(self, stores: _Stores, uris: UriScheme) -> bool:
        """The changed entities from both stores, and the licence and concept rows."""
        plan, numbering = self.plan, self.numbering
        old_entities, entities = numbering.old_entities, numbering.entities
        known = set(plan.by_iri) | {iri for _k, _key, iri in plan.added}
        old_redo = sorted(plan.dirty | plan.removed)
        new_redo = sorted(numbering.new_dirty)
        old_x = _partial(
            stores.old,
            [old_entities[n].iri for n in old_redo]
            + [e.iri for e in old_entities if e.kind in LAYER_KINDS],
            known,
            uris,
        )
        new_x = _partial(
            stores.new,
            [entities[n].iri for n in new_redo]
            + [e.iri for e in entities if e.kind in LAYER_KINDS],
            known,
            uris,
        )
        for number in old_redo:
            e = old_entities[number]
            old_entities[number] = Entity(number, e.kind, e.key, e.iri, tuple(old_x.labels(e.iri)))
        for number in new_redo:
            e = entities[number]
            entities[number] = Entity(number, e.kind, e.key, e.iri, tuple(new_x.labels(e.iri)))
        self.old_x, self.new_x = old_x, new_x
        self.old_licences, _ = _licences_of(self.db, old_x, old_entities, old_redo, None)
        self.new_licences, self.licence_rows = _licences_of(
            self.db, new_x, entities, new_redo, numbering.new_of
        )
        self.concept_rows = _concepts_of(self.db, new_x, entities, new_redo, numbering.new_of)
        return self.previous.complete(len(old_entities), plan.offerings)

    def take_away(self) -> bool:
        """Take away what the previous index holds for the changed entities, checking
        that it is what this code makes of the previous store."""
        layers = _layers_of_components(self.old_x)
        taken = sorted(self.plan.dirty | self.plan.removed)
        stored = _labels(self.db, ids=taken)
        for number in taken:
            entity = self.numbering.old_entities[number]
            if set(stored.get(number, ())) != set(entity.labels):
                # (their suggestion rows are found by them)
                self.say(f"  site index: previous labels of {entity.iri} differ; rewriting")
                return False
            doc: SearchDoc
            if number < self.plan.offerings:
                card, _detail = _offering(
                    self.old_x, entity.iri, entity.key, layers, self.old_licences
                )
                if packed(card) != self.previous.offering(number)[2]:
                    self.say(f"  site index: previous card of {entity.iri} differs; rewriting")
                    return False
                self.old_cards[number] = card
                if card["type"] in self.types:
                    self.types[card["type"]] -= 1
                doc = _offering_doc(self.old_x, number, entity.iri)
            else:
                doc = _other_doc(self.old_x, entity)
            fields, seen, named, pairs = self.analyse.doc(doc)
            if tuple(fields) != self.previous.search(number):
                self.say(f"  site index: previous terms of {entity.iri} differ; rewriting")
                return False
            self.counts.count(self.analyse.known, seen, named, pairs, -1)
        return True

    def add(self) -> None:
        """Add what the new store gives for the changed entities."""
        layers = _layers_of_components(self.new_x)
        count = self.numbering.count
        for number in sorted(self.numbering.new_dirty):
            entity = self.numbering.entities[number]
            doc: SearchDoc
            if number < count:
                card, detail = _offering(
                    self.new_x, entity.iri, entity.key, layers, self.new_licences
                )
                self.cards[number] = card
                self.offerings[number] = (number, card["key"], card["supplier"], packed(card))
                self.details[number] = (number, packed(detail))
                if card["type"] in self.types:
                    self.types[card["type"]] += 1
                doc = _offering_doc(self.new_x, number, entity.iri)
            else:
                doc = _other_doc(self.new_x, entity)
            fields, seen, named, pairs = self.analyse.doc(doc)
            self.search[number] = search_row(number, fields)
            self.counts.count(self.analyse.known, seen, named, pairs, 1)

    def card_of(self, ordinal: int) -> dict[str, Any]:
        """A new offering's card (new ordinal)."""
        found = self.cards.get(ordinal)
        if found is None:
            blob = self.previous.offering(self.numbering.old_of[ordinal])[2]
            found = self.cards[ordinal] = unpacked(blob)
        return found

    def sorts(
        self, ledger: dict[str, Any], drop: BitMap, redone: list[int]
    ) -> dict[str, list[int]]:
        """The previous sort orders without the offerings taken away, the redone ones
        inserted; {} when the previous index's orders are not this code's."""
        numbering = self.numbering
        entities = numbering.entities
        keys = sort_keys(self.card_of, lambda i: entities[i].iri, supplier_names(entities), ledger)
        sorts: dict[str, list[int]] = {}
        for name, blob in self.db.execute("SELECT name, ordinals FROM sort_order"):
            previous_order = _uint32s(blob)
            if numbering.identity:
                order = [o for o in previous_order if o not in drop] if drop else previous_order
            else:
                order = [numbering.new_of[o] for o in previous_order if o not in drop]
            key = keys.get(name)
            if key is None:
                return {}
            for number in redone:
                insort(order, number, key=key)
            sorts[name] = order
        return sorts if sorts.keys() == keys.keys() else {}

    def rows(self, ledger: dict[str, Any], index: Path) -> Rows | None:
        plan, numbering = self.plan, self.numbering
        drop = BitMap(n for n in plan.dirty | plan.removed if n < plan.offerings)
        redone = sorted(n for n in numbering.new_dirty if n < numbering.count)
        sorts = self.sorts(ledger, drop, redone)
        if not sorts:
            return None
        if numbering.identity:
            return self._rows_in_place(index, drop, redone, sorts)
        memberships = _memberships(
            self.db, drop, numbering.new_of, redone, self.cards, self.new_licences
        )
        suggest, top = _suggestions(
            self.db,
            numbering.entities,
            numbering.new_of,
            plan.dirty | plan.removed,
            numbering.new_dirty,
            memberships,
        )
        offerings, details, search = self._every_row()
        return Rows(
            entities=numbering.entities,
            concepts=self.concept_rows,
            licences=self.licence_rows,
            offerings=offerings,
            details=details,
            types=self.types,
            memberships=memberships,
            sorts=sorts,
            search=search,
            kinds=[(e.id, e.kind) for e in numbering.entities],
            terms=self.counts.terms,
            words=self.counts.words,
            suggest=suggest,
            suggest_top=top,
        )

    def _rows_in_place(
        self, index: Path, drop: BitMap, redone: list[int], sorts: dict[str, list[int]]
    ) -> Rows:
        """No id changed: the rows that differ from the previous index's, for a copy of
        it changed in place (``Copy``: which previous rows are left out)."""
        plan, numbering = self.plan, self.numbering
        facets = FacetChange(
            self.db,
            {n: self.old_cards[n] for n in drop},
            self.old_licences,
            {n: self.cards[n] for n in redone},
            self.new_licences,
        )
        suggest, top, unsuggested = _suggestions_copied(
            self.db,
            numbering.old_entities,
            numbering.entities,
            plan.dirty | plan.removed,
            numbering.new_dirty,
            facets.counts,
            facets.moved,
        )
        new_dirty = frozenset(numbering.new_dirty)
        copy = Copy(
            index,
            {
                "entity": (),
                "label": new_dirty,
                "offering": frozenset(redone),
                "offering_detail": frozenset(redone),
                "facet_value": frozenset(facets.values),
                "search_text": new_dirty,
                "search_kind": (),
                "term": frozenset(self.counts.terms),
                "word": frozenset(self.counts.words),
                "suggest": unsuggested,
            },
        )
        return Rows(
            entities=numbering.entities,
            concepts=self.concept_rows,
            licences=self.licence_rows,
            offerings=[self.offerings[n] for n in redone],
            details=[self.details[n] for n in redone],
            types=self.types,
            memberships=facets.memberships,
            sorts=sorts,
            search=[self.search[n] for n in sorted(self.search)],
            kinds=[],
            terms=self.counts.terms,
            words=self.counts.words,
            suggest=suggest,
            suggest_top=top,
            copy=copy,
        )

    def _every_row(
        self,
    ) -> tuple[
        list[tuple[int, str, str | None, bytes]],
        list[tuple[int, bytes]],
        list[tuple[int, str, str, str, str]],
    ]:
        """Every offering, detail and search row of the new index (renumbered)."""
        offerings, details = [], []
        old_of = self.numbering.old_of
        for new in range(self.numbering.count):
            made = self.offerings.get(new)
            if made is None:
                key, supplier, card = self.previous.offering(old_of[new])
                offerings.append((new, key, supplier, card))
                details.append((new, self.previous.detail(old_of[new])))
            else:
                offerings.append(made)
                details.append(self.details[new])
        search = []
        for new, old in enumerate(old_of):
            row = self.search.get(new)
            if row is None:
                title, keywords, names, body = self.previous.search(old)
                row = (new, title, keywords, names, body)
            search.append(row)
        return offerings, details, search


def _memberships(
    db: sqlite3.Connection,
    drop: BitMap,
    new_of: dict[int, int],
    redone: list[int],
    cards: dict[int, dict[str, Any]],
    licences: dict[str, dict[str, Any]],
) -> dict[str, dict[str, BitMap]]:
    """The previous facet bitmaps without the offerings redone or removed, renumbered,
    with the redone offerings' values added."""
    found: dict[str, dict[str, BitMap]] = defaultdict(dict)
    for facet, value, blob in db.execute("SELECT facet, value, members FROM facet_value"):
        members = BitMap.deserialize(blob)
        if drop:
            members -= drop
        found[facet][value] = BitMap(new_of[o] for o in members)
    for number in redone:
        for facet, values in member_of(cards[number], licences).items():
            for value in values:
                found[facet].setdefault(value, BitMap()).add(number)
    return {
        facet: {value: members for value, members in values.items() if members}
        for facet, values in found.items()
    }


def _uint32s(blob: bytes) -> list[int]:
    data = array("I")
    data.frombytes(blob)
    if sys.byteorder == "big":  # pragma: no cover
        data.byteswap()
    return data.tolist()


def _entity_of(store: ox.Store, iri: str, uris: UriScheme, offering: str) -> tuple[str, str] | None:
    """(kind, key) of ``iri`` as the index's entity in ``store`` (as ``build_model`` tells
    them: a typed subject with one of our IRIs), or None."""
    parsed = uris.parse(iri)
    if not parsed or not parsed[1]:
        return None
    types = {
        q.object.value
        for q in store.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(RDF_TYPE), None, None)
        if isinstance(q.object, ox.NamedNode)
    }
    if not types:
        return None
    if offering in types:
        return ("offering", parsed[1])
    if parsed[0] == "offering":
        return None
    return (parsed[0], parsed[1])


def _referring(store: ox.Store, iri: str, offerings: set[str]) -> set[str]:
    """The offerings that link to ``iri`` (themselves or through their blank nodes)."""
    found: set[str] = set()
    seen: set[str] = set()
    frontier: list[ox.NamedNode | ox.BlankNode] = [ox.NamedNode(iri)]
    while frontier:
        node = frontier.pop()
        for quad in store.quads_for_pattern(None, None, node, None):
            subject = quad.subject
            if isinstance(subject, ox.BlankNode):
                if subject.value not in seen:
                    seen.add(subject.value)
                    frontier.append(subject)
            elif isinstance(subject, ox.NamedNode) and subject.value in offerings:
                found.add(subject.value)
    return found


def _partial(store: ox.Store, roots: Iterable[str], entities: set[str], uris: UriScheme) -> Extract:
    """The extract of ``roots`` (with their blank nodes) and of the entities they link to."""
    quads: list[Any] = []
    read: set[str] = set()

    def closure(subjects: Iterable[str]) -> set[str]:
        linked: set[str] = set()
        frontier = [s for s in subjects if s not in read]
        read.update(frontier)
        while frontier:
            subject = frontier.pop()
            node = ox.BlankNode(subject[2:]) if subject.startswith("_:") else ox.NamedNode(subject)
            for quad in store.quads_for_pattern(node, None, None, None):
                quads.append(quad)
                obj = quad.object
                if isinstance(obj, ox.BlankNode):
                    label = f"_:{obj.value}"
                    if label not in read:
                        read.add(label)
                        frontier.append(label)
                elif isinstance(obj, ox.NamedNode) and obj.value in entities:
                    linked.add(obj.value)
        return linked

    closure(closure(roots))
    return read_quads(quads, uris)


def _licences_of(
    db: sqlite3.Connection,
    x: Extract,
    entities: list[Entity],
    redo: list[int],
    new_of: dict[int, int] | None,
) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
    """The licences by key and as rows (in entity order): the previous index's rows
    (renumbered with ``new_of``; as they were when it is None), those of ``redo`` made
    again from ``x``."""
    by_id: dict[int, dict[str, Any]] = {}
    for number, opened, osi, members, expression in db.execute(
        "SELECT entity, open_source, osi, members, expression FROM licence"
    ):
        if new_of is not None:
            if number not in new_of:
                continue
            number = new_of[number]
        by_id[number] = {
            "entity": number,
            "key": entities[number].key,
            "open": None if opened is None else bool(opened),
            "osi": None if osi is None else bool(osi),
            "members": json.loads(members),
            "expression": expression,
        }
    model = Model(entities=[entities[n] for n in redo if entities[n].kind == "licence"])
    for number in redo:
        by_id.pop(number, None)
    for info in _licences(x, model).values():
        by_id[info["entity"]] = info
    rows = [by_id[n] for n in sorted(by_id)]
    return {info["key"]: info for info in rows}, rows


def _concepts_of(
    db: sqlite3.Connection,
    x: Extract,
    entities: list[Entity],
    redo: list[int],
    new_of: dict[int, int],
) -> list[dict[str, Any]]:
    """The concept rows (in entity order): the previous ones renumbered, those of ``redo``
    made again from ``x``."""
    by_id: dict[int, dict[str, Any]] = {}
    for number, scheme, broader, position, confidence, cross in db.execute(
        "SELECT entity, scheme, broader, position, confidence, cross_cutting FROM concept"
    ):
        if number in new_of:
            by_id[new_of[number]] = {
                "entity": new_of[number],
                "scheme": scheme,
                "broader": broader,
                "position": position,
                "confidence": confidence,
                "cross_cutting": bool(cross),
            }
    for number in redo:
        by_id.pop(number, None)
    model = Model(entities=[entities[n] for n in redo])
    _concepts(x, model, {})
    for row in model.concepts:
        by_id[row["entity"]] = row
    return [by_id[n] for n in sorted(by_id)]


def _suggestions(
    db: sqlite3.Connection,
    entities: list[Entity],
    new_of: dict[int, int],
    old_redo: set[int],
    new_redo: set[int],
    memberships: Mapping[str, Mapping[str, Members]],
) -> tuple[list[SuggestRow], list[tuple[str, str]]]:
    """The suggestion rows: the previous ones (renumbered), with those of the changed
    entities and of the entities whose offering counts changed (their weight) made again."""
    before = {
        (facet, value): count
        for facet, value, count in db.execute("SELECT facet, value, count FROM facet_value")
    }
    counts = suggest_counts(memberships)
    moved = {
        key for key in before.keys() | counts.keys() if before.get(key, 0) != counts.get(key, 0)
    }
    redo = set(new_redo)
    redo |= {e.id for e in entities if (e.kind, e.key) in moved}
    old_of = {new: old for old, new in new_of.items()}
    old_redo = old_redo | {old_of[n] for n in redo if n in old_of}
    identity = all(old == new for old, new in new_of.items())
    gone = json.dumps(sorted(old_redo))
    affected = {
        norm
        for (norm,) in db.execute(
            "SELECT norm FROM suggest WHERE entity IN (SELECT value FROM json_each(?))", (gone,)
        )
    }
    kept: list[SuggestRow] = db.execute(
        "SELECT norm, entity, lang, label, weight FROM suggest"
        " WHERE entity NOT IN (SELECT value FROM json_each(?))",
        (gone,),
    ).fetchall()
    if not identity:
        kept = [(n, new_of[e], lang, label, w) for n, e, lang, label, w in kept]
    made: set[SuggestRow] = set()
    for number in redo:
        made |= entity_suggestions(entities[number], counts)
    affected |= {row[0] for row in made}
    rows = kept  # in the table's order, which is Python's for these tuples
    rows.extend(made)
    rows.sort()  # one merge of two runs
    prefixes = _prefixes(affected)
    top: dict[str, str] = {}
    for prefix, chosen in db.execute("SELECT prefix, entities FROM suggest_top"):
        if prefix in prefixes:
            continue
        if not identity:
            chosen = _json([new_of[n] for n in json.loads(chosen)])
        top[prefix] = chosen
    top.update(suggest_top(rows, only=prefixes))
    return rows, sorted(top.items())


def _suggestions_copied(
    db: sqlite3.Connection,
    old_entities: list[Entity],
    entities: list[Entity],
    gone: set[int],
    new_redo: set[int],
    counts: dict[tuple[str, str], int],
    moved_values: set[tuple[str, str]],
) -> tuple[list[SuggestRow], list[tuple[str, str]], frozenset[tuple[str, int]]]:
    """When no id changed: the suggestion rows to add (those of the changed entities and
    of the entities whose offering counts changed, made again), every suggest_top row,
    and the (norm, entity) keys of the previous rows not copied. The previous rows of an
    entity are found by its labels (``old_entities``: those the previous index has, as
    ``take_away`` checked), never by a scan of the table."""
    counts = dict(counts)  # the changed values'; the others are read when needed
    moved = {e.id for e in entities if (e.kind, e.key) in moved_values} - new_redo
    relabelled = _labels(db, ids=moved)
    for number in moved:  # their labels are needed now (the redone ones have theirs)
        e = entities[number]
        entities[number] = Entity(number, e.kind, e.key, e.iri, relabelled.get(number, ()))
    redo = new_redo | moved
    unsuggested = gone | redo
    left_out: set[tuple[str, int]] = set()
    for number in unsuggested:
        old = entities[number] if number in moved else old_entities[number]
        left_out.update((row[0], number) for row in entity_suggestions(old, counts))
    _read_counts(db, counts, [entities[n] for n in redo])
    made: set[SuggestRow] = set()
    for number in redo:
        made |= entity_suggestions(entities[number], counts)
    rows = sorted(made)
    prefixes = _prefixes({norm for norm, _entity in left_out} | {row[0] for row in rows})
    top = dict(db.execute("SELECT prefix, entities FROM suggest_top"))
    norms = [row[0] for row in rows]
    mine: dict[str, list[tuple[int, str, int]]] = {}
    for prefix in prefixes:
        low = bisect_left(norms, prefix)
        high = bisect_left(norms, prefix + "\U0010ffff")
        mine[prefix] = sorted((-w, n, e) for n, e, _l, _t, w in rows[low:high])
    kept = _kept_tops(db, entities, counts, {p: top.get(p) for p in prefixes}, unsuggested)
    for prefix in prefixes:
        found = kept.get(prefix)
        if found is None:  # a left-out entity was among the best: rank the prefix's rows
            found = db.execute(
                "SELECT -weight, norm, entity FROM suggest WHERE norm >= ? AND norm < ?"
                " AND entity NOT IN (SELECT value FROM json_each(?)) ORDER BY 1, 2, 3",
                (prefix, prefix + "\U0010ffff", _json(sorted(unsuggested))),
            ).fetchall()
        chosen = best_entities(heapq.merge(found, mine[prefix]))
        if chosen:
            top[prefix] = _json(chosen)
        else:
            top.pop(prefix, None)
    return rows, sorted(top.items()), frozenset(left_out)


def _kept_tops(
    db: sqlite3.Connection,
    entities: list[Entity],
    counts: dict[tuple[str, str], int],
    previous: dict[str, str | None],
    unsuggested: set[int],
) -> dict[str, list[tuple[int, str, int]]]:
    """For each prefix whose previous best entities are all kept, the kept rows that can
    still be among its best: those of the previous best (sorted; made from their labels,
    which did not change, like their weights). Every other kept row ranked below the
    previous best's last, and still does. Prefixes whose best lost an entity are not in
    the answer."""
    best = {p: json.loads(chosen) if chosen else [] for p, chosen in previous.items()}
    best = {p: ids for p, ids in best.items() if not unsuggested.intersection(ids)}
    wanted = {number for ids in best.values() for number in ids}
    labels = _labels(db, ids=wanted)
    _read_counts(db, counts, [entities[n] for n in wanted])
    made = {
        number: entity_suggestions(
            Entity(number, e.kind, e.key, e.iri, labels.get(number, ())), counts
        )
        for number in wanted
        for e in (entities[number],)
    }
    return {
        prefix: sorted(
            (-row[4], row[0], number)
            for number in ids
            for row in made[number]
            if row[0].startswith(prefix)
        )
        for prefix, ids in best.items()
    }


def _read_counts(
    db: sqlite3.Connection, counts: dict[tuple[str, str], int], entities: Iterable[Entity]
) -> None:
    """Add to ``counts`` the previous index's offering counts of these entities (as facet
    values: their suggestions' weight) that it does not have yet."""
    keys = {(e.kind, e.key) for e in entities} - counts.keys()
    counts.update({key: 0 for key in keys})
    counts.update(facet_counts(db, keys))


def _prefixes(norms: Iterable[str]) -> set[str]:
    return {
        norm[:length]
        for norm in norms
        for length in range(1, SUGGEST_TOP_LENGTH + 1)
        if len(norm) >= length
    }
