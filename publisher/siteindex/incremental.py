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

Anything this does not handle (an entity added or removed, too many offerings to redo,
a previous index that does not match its store) returns ``None``: the caller then writes
the index from the whole store.
"""

from __future__ import annotations

import sqlite3
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pyoxigraph as ox

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
    _sorts,
    memberships_of,
    terms_of,
)
from publisher.siteindex.schema import SCHEMA_VERSION
from publisher.siteindex.writer import (
    SUGGEST_TOP_LENGTH,
    Rows,
    Terms,
    count_terms,
    entity_suggestions,
    packed,
    suggest_counts,
    suggest_top,
    unpacked,
)
from publisher.uris import UriScheme

# Kinds whose every entity is read (the licence and concept tables, layers of components).
VOCABULARY_KINDS = frozenset(
    {"licence", "layer", "component", "aspect", "domain", "phase", "route", "scheme"}
)
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
    except sqlite3.Error as error:
        say(f"  site index: previous index unreadable ({error}); rewriting it whole")
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

    # What changed: the same entities must be there (same ids), or nothing is reused.
    dirty: set[int] = set()
    for iri in changed:
        before = by_iri.get(iri)
        after = _entity_of(stores.new, iri, uris, str(ak.Offering))
        if (before[1:] if before else None) != after:
            say(f"  site index: {iri} was added or removed; rewriting the index whole")
            return None
        if before is not None:
            dirty.add(before[0])
    offering_iris = {iri for iri, (number, _k, _key) in by_iri.items() if number < offerings}
    for number in sorted(dirty):
        if number >= offerings:
            iri = listed[number][3]
            for store in (stores.old, stores.new):
                dirty |= {by_iri[o][0] for o in _referring(store, iri, offering_iris)}
    dirty_offerings = sorted(n for n in dirty if n < offerings)
    if len(dirty_offerings) > max(50, offerings // MAX_SHARE):
        say(f"  site index: {len(dirty_offerings)} offerings to redo; rewriting the index whole")
        return None

    # The previous rows.
    labels: dict[int, list[Text]] = defaultdict(list)
    for entity, lang, text in db.execute("SELECT entity, lang, text FROM label"):
        labels[entity].append(Text(lang, text))
    entities = [
        Entity(number, kind, key, iri, tuple(labels.get(number, ())))
        for number, kind, key, iri in listed
    ]
    del labels

    # The changed entities, from both stores.
    vocabulary = [e.iri for e in entities if e.kind in VOCABULARY_KINDS]
    roots = [listed[n][3] for n in sorted(dirty)]
    old_x = _partial(stores.old, [*roots, *vocabulary], set(by_iri), uris)
    new_x = _partial(stores.new, [*roots, *vocabulary], set(by_iri), uris)
    old_entities = list(entities)
    for number in dirty:
        e = entities[number]
        old_entities[number] = Entity(number, e.kind, e.key, e.iri, tuple(old_x.labels(e.iri)))
        entities[number] = Entity(number, e.kind, e.key, e.iri, tuple(new_x.labels(e.iri)))
    old_model, old_licences, old_layers = _vocabulary(old_x, old_entities)
    new_model, new_licences, new_layers = _vocabulary(new_x, entities)

    card_blobs = [blob for (blob,) in db.execute("SELECT card FROM offering ORDER BY ordinal")]
    detail_blobs = [
        blob for (blob,) in db.execute("SELECT detail FROM offering_detail ORDER BY ordinal")
    ]
    search = db.execute(
        "SELECT entity, title, keywords, names, body FROM search_text ORDER BY entity"
    ).fetchall()
    if len(search) != len(entities) or len(card_blobs) != offerings:
        return None
    previous_words = {
        (lang, word): [terms, docs]
        for lang, word, terms, docs in db.execute("SELECT lang, word, terms, docs FROM word")
    }
    analyse = Terms(analyser, {pair: found[0] for pair, found in previous_words.items()})
    term_counts = {
        term: [docs, named]
        for term, docs, named in db.execute("SELECT term, docs, named FROM term")
    }

    # Take away what the previous index holds for the changed entities (checking that it
    # is what this code makes of the previous store), add what the new store gives.
    for number in sorted(dirty):
        for x, model_entities, licences, layers, sign in (
            (old_x, old_entities, old_licences, old_layers, -1),
            (new_x, entities, new_licences, new_layers, 1),
        ):
            entity = model_entities[number]
            doc: SearchDoc
            if number < offerings:
                card, detail = _offering(x, entity.iri, entity.key, layers, licences)
                doc = _offering_doc(x, number, entity.iri)
                if sign < 0 and (packed(card) != card_blobs[number]):
                    say(f"  site index: previous card of {entity.iri} differs; rewriting whole")
                    return None
                if sign > 0:
                    card_blobs[number] = packed(card)
                    detail_blobs[number] = packed(detail)
            else:
                doc = _other_doc(x, entity)
            fields, seen, named, pairs = analyse.doc(doc)
            if sign < 0 and tuple(fields) != tuple(search[number][1:]):
                say(f"  site index: previous terms of {entity.iri} differ; rewriting whole")
                return None
            if sign > 0:
                search[number] = (number, *fields)
            count_terms(term_counts, seen, named, sign)
            for pair in pairs:
                found = previous_words.get(pair)
                if found is None:
                    found = previous_words[pair] = [analyse.known(*pair), 0]
                found[1] += sign

    cards = [unpacked(blob) for blob in card_blobs]
    model = Model(entities=entities, cards=cards)
    model.concepts = new_model.concepts
    model.licences = new_model.licences
    model.memberships = memberships_of(cards, new_licences)
    model.sorts = _sorts(model, new_x, ledger)

    suggest, top = _suggestions(db, entities, dirty, model.memberships)
    return Rows(
        entities=entities,
        concepts=model.concepts,
        licences=model.licences,
        cards=cards,
        card_blobs=card_blobs,
        detail_blobs=detail_blobs,
        memberships=model.memberships,
        sorts=model.sorts,
        search=search,
        kinds=[(e.id, e.kind) for e in entities],
        terms=term_counts,
        words=previous_words,
        suggest=suggest,
        suggest_top=top,
    )


def _entity_of(store: ox.Store, iri: str, uris: UriScheme, offering: str) -> tuple[str, str] | None:
    """(kind, key) of ``iri`` as the index's entity in ``store`` (as ``build_model`` tells
    them: a typed subject with one of our IRIs), or None."""
    parsed = uris.parse(iri)
    if not parsed or not parsed[1]:
        return None
    types = {
        q.object.value
        for q in store.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(RDF_TYPE), None, None)
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
            if type(subject) is ox.BlankNode:
                if subject.value not in seen:
                    seen.add(subject.value)
                    frontier.append(subject)
            elif subject.value in offerings:
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
                kind = type(obj)
                if kind is ox.BlankNode:
                    label = f"_:{obj.value}"
                    if label not in read:
                        read.add(label)
                        frontier.append(label)
                elif kind is ox.NamedNode and obj.value in entities:
                    linked.add(obj.value)
        return linked

    closure(closure(roots))
    return read_quads(quads, uris)


def _vocabulary(
    x: Extract, entities: list[Entity]
) -> tuple[Model, dict[str, dict[str, Any]], dict[str, list[str]]]:
    model = Model(entities=entities)
    licences = _licences(x, model)
    _concepts(x, model, {})
    return model, licences, _layers_of_components(x)


def _suggestions(
    db: sqlite3.Connection,
    entities: list[Entity],
    dirty: set[int],
    memberships: dict[str, dict[str, list[int]]],
) -> tuple[list[SuggestRow], list[tuple[str, str]]]:
    """The suggestion rows: the previous ones, with those of the changed entities and of
    the entities whose offering counts changed (their weight) made again."""
    before = {
        (facet, value): count
        for facet, value, count in db.execute("SELECT facet, value, count FROM facet_value")
    }
    counts = suggest_counts(memberships)
    redo = set(dirty)
    for key in before.keys() | counts.keys():
        if before.get(key, 0) != counts.get(key, 0):
            facet, value = key
            redo |= {e.id for e in entities if e.kind == facet and e.key == value}
    kept: list[SuggestRow] = []
    affected: set[str] = set()
    for row in db.execute("SELECT norm, entity, lang, label, weight FROM suggest"):
        if row[1] in redo:
            affected.add(row[0])
        else:
            kept.append(row)
    added: set[SuggestRow] = set()
    for number in redo:
        added |= entity_suggestions(entities[number], counts)
    affected |= {row[0] for row in added}
    rows = sorted([*kept, *added])
    prefixes = {
        norm[:length]
        for norm in affected
        for length in range(1, SUGGEST_TOP_LENGTH + 1)
        if len(norm) >= length
    }
    top = dict(db.execute("SELECT prefix, entities FROM suggest_top"))
    for prefix in prefixes:
        top.pop(prefix, None)
    top.update(suggest_top(rows, only=prefixes))
    return rows, sorted(top.items())
