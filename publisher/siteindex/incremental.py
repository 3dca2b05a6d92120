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

import json
import sqlite3
import sys
import time
from array import array
from bisect import insort
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from pyroaring import BitMap

from publisher.search.analysis import Analyser
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
from publisher.siteindex.writer import (
    SUGGEST_TOP_LENGTH,
    Rows,
    Terms,
    _json,
    count_terms,
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
        ):
            return None
        rows = _reuse(db, previous_store, store_path, base_uri, ledger, changed, analyser, say)
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
) -> Rows | None:
    uris = UriScheme(base_uri)
    ak = terms_of(str(uris.vocab))
    stores = _Stores(previous_store, store_path)
    listed = db.execute("SELECT id, kind, key, iri FROM entity ORDER BY id").fetchall()
    by_iri = {iri: (number, kind, key) for number, kind, key, iri in listed}
    offerings = db.execute("SELECT count(*) FROM offering").fetchone()[0]

    # What changed: modified (`dirty`, old ids), added and removed entities.
    dirty: set[int] = set()
    added: list[tuple[str, str, str]] = []  # kind, key, iri
    removed: set[int] = set()
    for iri in sorted(changed):
        before = by_iri.get(iri)
        after = _entity_of(stores.new, iri, uris, str(ak.Offering))
        if before is None and after is None:
            continue
        if before is None:
            assert after is not None
            added.append((after[0], after[1], iri))
        elif after is None:
            removed.add(before[0])
        elif before[1:] != after:
            return None  # pragma: no cover - kind and key are the IRI's
        else:
            dirty.add(before[0])
    added_iris = {iri for _k, _key, iri in added}
    offering_iris = {iri for iri, (number, _k, _key) in by_iri.items() if number < offerings}
    offering_iris |= {iri for kind, _key, iri in added if kind == "offering"}
    for number in sorted(dirty | removed):
        if number >= offerings:
            for store in (stores.old, stores.new):
                for iri in _referring(store, listed[number][3], offering_iris):
                    found = by_iri.get(iri)
                    if found is not None and found[0] not in removed:
                        dirty.add(found[0])
    for kind, _key, iri in added:
        if kind != "offering":
            for iri_ in _referring(stores.new, iri, offering_iris):
                found = by_iri.get(iri_)
                if found is not None and found[0] not in removed:
                    dirty.add(found[0])
    redo = len([n for n in dirty if n < offerings]) + len(added)
    if redo > max(50, offerings // MAX_SHARE):
        say(f"  site index: {redo} offerings to redo; rewriting the index whole")
        return None

    # The previous entities (old ids) and the new ones (new ids, as build_model numbers).
    labels: dict[int, list[Text]] = defaultdict(list)
    for entity, lang, text in db.execute("SELECT entity, lang, text FROM label"):
        labels[entity].append(Text(lang, text))
    old_entities = [
        Entity(number, kind, key, iri, tuple(labels.get(number, ())))
        for number, kind, key, iri in listed
    ]
    del labels
    kept = [e for e in old_entities if e.id not in removed]
    things = [(e.kind, e.key, e.iri, e.id) for e in kept]
    things += [(kind, key, iri, -1) for kind, key, iri in added]
    new_offerings = sorted((t for t in things if t[0] == "offering"), key=lambda t: t[2])
    new_others = sorted(
        (t for t in things if t[0] != "offering"),
        key=lambda t: (KINDS.index(t[0]), t[1], t[0], t[2]),
    )
    ordered = new_offerings + new_others
    old_of = [t[3] for t in ordered]  # new id -> old id (-1: added)
    new_of = {old: new for new, old in enumerate(old_of) if old >= 0}
    entities = [
        Entity(new, kind, key, iri, old_entities[old].labels if old >= 0 else ())
        for new, (kind, key, iri, old) in enumerate(ordered)
    ]
    count = len(new_offerings)
    new_dirty = {new_of[n] for n in dirty} | {new for new, old in enumerate(old_of) if old < 0}

    # The changed entities, from both stores.
    old_vocabulary = [e.iri for e in old_entities if e.kind in LAYER_KINDS]
    new_vocabulary = [e.iri for e in entities if e.kind in LAYER_KINDS]
    known = set(by_iri) | added_iris
    old_roots = [listed[n][3] for n in sorted(dirty | removed)]
    new_roots = [entities[n].iri for n in sorted(new_dirty)]
    old_x = _partial(stores.old, [*old_roots, *old_vocabulary], known, uris)
    new_x = _partial(stores.new, [*new_roots, *new_vocabulary], known, uris)
    for number in dirty | removed:
        e = old_entities[number]
        old_entities[number] = Entity(number, e.kind, e.key, e.iri, tuple(old_x.labels(e.iri)))
    for number in new_dirty:
        e = entities[number]
        entities[number] = Entity(number, e.kind, e.key, e.iri, tuple(new_x.labels(e.iri)))
    # The licence and concept rows: the previous ones, the changed ones made again.
    old_redo = sorted(dirty | removed)
    old_licences, _ = _licences_of(db, old_x, old_entities, old_redo, None)
    new_licences, licence_rows = _licences_of(db, new_x, entities, sorted(new_dirty), new_of)
    concept_rows = _concepts_of(db, new_x, entities, sorted(new_dirty), new_of)
    old_layers = _layers_of_components(old_x)
    new_layers = _layers_of_components(new_x)

    old_rows = db.execute("SELECT key, supplier, card FROM offering ORDER BY ordinal").fetchall()
    old_details = [
        blob for (blob,) in db.execute("SELECT detail FROM offering_detail ORDER BY ordinal")
    ]
    old_search = db.execute(
        "SELECT entity, title, keywords, names, body FROM search_text ORDER BY entity"
    ).fetchall()
    if len(old_search) != len(old_entities) or len(old_rows) != offerings:
        return None
    words = {
        (lang, word): [terms, docs]
        for lang, word, terms, docs in db.execute("SELECT lang, word, terms, docs FROM word")
    }
    analyse = Terms(analyser, {pair: found[0] for pair, found in words.items()})
    term_counts = {
        term: [docs, named]
        for term, docs, named in db.execute("SELECT term, docs, named FROM term")
    }
    counted = json.loads(dict(db.execute("SELECT key, value FROM meta"))["counts"])
    types = {t: counted.get(t, 0) for t in ("product", "service")}

    # Take away what the previous index holds for the changed entities (checking that it
    # is what this code makes of the previous store)...
    for number in sorted(dirty | removed):
        entity = old_entities[number]
        doc: SearchDoc
        if number < offerings:
            card, _detail = _offering(old_x, entity.iri, entity.key, old_layers, old_licences)
            if packed(card) != old_rows[number][2]:
                say(f"  site index: previous card of {entity.iri} differs; rewriting whole")
                return None
            if card["type"] in types:
                types[card["type"]] -= 1
            doc = _offering_doc(old_x, number, entity.iri)
        else:
            doc = _other_doc(old_x, entity)
        fields, seen, named, pairs = analyse.doc(doc)
        if tuple(fields) != tuple(old_search[number][1:]):
            say(f"  site index: previous terms of {entity.iri} differ; rewriting whole")
            return None
        _count(term_counts, words, analyse, seen, named, pairs, -1)
    # ... and add what the new store gives.
    offering_rows: list[tuple[str, str | None]] = [
        (old_rows[old][0], old_rows[old][1]) if old >= 0 else ("", None) for old in old_of[:count]
    ]
    card_blobs = [old_rows[old][2] if old >= 0 else b"" for old in old_of[:count]]
    detail_blobs = [old_details[old] if old >= 0 else b"" for old in old_of[:count]]
    search = [
        search_row(new, list(old_search[old][1:]) if old >= 0 else [""] * 4)
        for new, old in enumerate(old_of)
    ]
    del old_rows, old_details, old_search
    cards: dict[int, dict[str, Any]] = {}  # the new cards made or unpacked, by ordinal
    for number in sorted(new_dirty):
        entity = entities[number]
        if number < count:
            card, detail = _offering(new_x, entity.iri, entity.key, new_layers, new_licences)
            cards[number] = card
            card_blobs[number] = packed(card)
            detail_blobs[number] = packed(detail)
            offering_rows[number] = (card["key"], card["supplier"])
            if card["type"] in types:
                types[card["type"]] += 1
            doc = _offering_doc(new_x, number, entity.iri)
        else:
            doc = _other_doc(new_x, entity)
        fields, seen, named, pairs = analyse.doc(doc)
        search[number] = search_row(number, fields)
        _count(term_counts, words, analyse, seen, named, pairs, 1)

    identity = len(old_of) == len(old_entities) and all(
        old == new for new, old in enumerate(old_of)
    )
    drop = BitMap(n for n in dirty | removed if n < offerings)
    redone = sorted(n for n in new_dirty if n < count)
    memberships = _memberships(db, drop, None if identity else new_of, redone, cards, new_licences)

    def card_of(ordinal: int) -> dict[str, Any]:
        found = cards.get(ordinal)
        if found is None:
            found = cards[ordinal] = unpacked(card_blobs[ordinal])
        return found

    keys = sort_keys(card_of, lambda i: entities[i].iri, supplier_names(entities), ledger)
    sorts: dict[str, list[int]] = {}
    for name, blob in db.execute("SELECT name, ordinals FROM sort_order"):
        previous_order = _uint32s(blob)
        if identity:
            order = [o for o in previous_order if o not in drop] if drop else previous_order
        else:
            order = [new_of[o] for o in previous_order if o not in drop]
        key = keys.get(name)
        if key is None:
            return None
        for number in redone:
            insort(order, number, key=key)
        sorts[name] = order
    if sorts.keys() != keys.keys():
        return None

    suggest, top = _suggestions(db, entities, new_of, dirty | removed, new_dirty, memberships)
    return Rows(
        entities=entities,
        concepts=concept_rows,
        licences=licence_rows,
        offerings=offering_rows,
        types=types,
        card_blobs=card_blobs,
        detail_blobs=detail_blobs,
        memberships=memberships,
        sorts=sorts,
        search=search,
        kinds=[(e.id, e.kind) for e in entities],
        terms=term_counts,
        words=words,
        suggest=suggest,
        suggest_top=top,
    )


def _memberships(
    db: sqlite3.Connection,
    drop: BitMap,
    new_of: dict[int, int] | None,
    redone: list[int],
    cards: dict[int, dict[str, Any]],
    licences: dict[str, dict[str, Any]],
) -> dict[str, dict[str, list[int]]]:
    """The previous facet bitmaps without the offerings redone or removed (renumbered
    when ``new_of`` is given), with the redone offerings' values added."""
    found: dict[str, dict[str, BitMap]] = defaultdict(dict)
    for facet, value, blob in db.execute("SELECT facet, value, members FROM facet_value"):
        members = BitMap.deserialize(blob)
        if drop:
            members -= drop
        if new_of is not None:
            members = BitMap(new_of[o] for o in members)
        found[facet][value] = members
    for number in redone:
        for facet, values in member_of(cards[number], licences).items():
            for value in values:
                found[facet].setdefault(value, BitMap()).add(number)
    return {
        facet: {value: list(members) for value, members in values.items() if members}
        for facet, values in found.items()
    }


def _uint32s(blob: bytes) -> list[int]:
    data = array("I")
    data.frombytes(blob)
    if sys.byteorder == "big":  # pragma: no cover
        data.byteswap()
    return data.tolist()


def _count(
    terms: dict[str, list[int]],
    words: dict[tuple[str, str], list[Any]],
    analyse: Terms,
    seen: set[str],
    named: set[str],
    pairs: set[tuple[str, str]],
    sign: int,
) -> None:
    count_terms(terms, seen, named, sign)
    for pair in pairs:
        found = words.get(pair)
        if found is None:
            found = words[pair] = [analyse.known(*pair), 0]
        found[1] += sign


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
    memberships: Mapping[str, Mapping[str, Sequence[int]]],
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
    for row in sorted(made):
        insort(rows, row)
    prefixes = {
        norm[:length]
        for norm in affected
        for length in range(1, SUGGEST_TOP_LENGTH + 1)
        if len(norm) >= length
    }
    top: dict[str, str] = {}
    for prefix, chosen in db.execute("SELECT prefix, entities FROM suggest_top"):
        if prefix in prefixes:
            continue
        if not identity:
            chosen = _json([new_of[n] for n in json.loads(chosen)])
        top[prefix] = chosen
    top.update(suggest_top(rows, only=prefixes))
    return rows, sorted(top.items())
