"""The read interface of a publication's site index.

One ``SiteIndex`` per index file and process (``SiteIndex.of(path)``); it is safe to share
between threads (each thread gets its own read-only SQLite connection). The file never
changes once written, so everything small is read once and kept: facet bitmaps, sort
orders, labels of everything but offerings. Offering cards are read per page.

    index = SiteIndex.of(publication.path / INDEX_FILE)
    index.counts()                                  # {"offering": 31, "supplier": 31, ...}
    index.label("component", "spatial-data", "sv")  # Label("Paikkatieto", "fi")
    selection = Selection.of(component="spatial-data", open="yes")
    index.facets(selection)                         # counts under the selection, per facet
    index.page(selection, sort="name", lang="fi", number=1, size=20)  # cards
    index.search("paikkatietoa", lang="fi")         # ranked, with facets and snippets
    index.suggest("osk", lang="fi")                 # as-you-type
"""

from __future__ import annotations

import heapq
import json
import sqlite3
import sys
import threading
import zlib
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from itertools import chain
from pathlib import Path
from typing import Any

from pyroaring import AbstractBitMap, BitMap, FrozenBitMap

from publisher.publication import ARTEFACTS_DIR
from publisher.search.analysis import WORD, Analyser, default_analyser, fold, words
from publisher.search.engine import Hit, Outcome, SearchEngine
from publisher.siteindex.facets import BY_NAME, FACETS, RELEVANCE, SORTS, Selection
from publisher.siteindex.schema import ARTEFACT, INDEX_FILE, SCHEMA_VERSION

LANG_FALLBACK = ("fi", "en", "", "sv")


class IndexError_(RuntimeError):
    """The index file is missing, unreadable, or of another schema version."""


@dataclass(frozen=True)
class Label:
    text: str
    lang: str  # the language the text is in ("" for a proper name)

    def other_than(self, lang: str) -> str | None:
        """The text's language when a page in ``lang`` must mark it (lang attribute)."""
        return self.lang if self.lang and self.lang != lang else None


@dataclass(frozen=True)
class Entity:
    id: int
    kind: str
    key: str
    iri: str


@dataclass(frozen=True)
class FacetValue:
    value: str
    count: int  # offerings under the selection if this value were (also) chosen
    selected: bool
    total: int  # offerings with this value in the whole publication


@dataclass(frozen=True)
class Facet:
    name: str
    values: tuple[FacetValue, ...]  # display order: the facet's own, or by count

    @property
    def selected(self) -> tuple[FacetValue, ...]:
        return tuple(v for v in self.values if v.selected)


@dataclass(frozen=True)
class Page:
    total: int  # offerings in the selection
    number: int  # 1-based
    size: int
    cards: tuple[dict[str, Any], ...]

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))


@dataclass(frozen=True)
class Snippet:
    """A text cut around its matches: (text, matched?) segments, in ``lang``."""

    segments: tuple[tuple[str, bool], ...]
    lang: str


@dataclass
class SearchResult:
    outcome: Outcome
    selection: Selection
    offerings: FrozenBitMap  # every offering that matches, within the selection
    ranked: list[int]  # every matching offering (ignoring the selection), best first
    page: Page
    others: list[Entity] = field(default_factory=list)  # other kinds that match, best first
    facets: list[Facet] = field(default_factory=list)


@dataclass(frozen=True)
class Suggestion:
    entity: Entity
    label: Label


class SiteIndex:
    _opened: dict[Path, SiteIndex] = {}
    _opened_lock = threading.Lock()

    def __init__(self, path: Path, analyser: Analyser | None = None) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise IndexError_(f"no site index at {self.path}")
        self._local = threading.local()
        self._lock = threading.Lock()
        self._derived: dict[tuple[str, ...], Any] = {}
        self._analyser = analyser
        meta = dict(self._db().execute("SELECT key, value FROM meta"))
        if meta.get("schema_version") != str(SCHEMA_VERSION):
            raise IndexError_(
                f"{self.path} has schema version {meta.get('schema_version')}, this code "
                f"reads {SCHEMA_VERSION}: rebuild the publication"
            )
        self.meta = meta

    @classmethod
    def of(cls, path: Path) -> SiteIndex:
        """The process's one reader of the index at ``path``: the file, or the folder of
        a publication."""
        path = index_path(Path(path))
        with cls._opened_lock:
            found = cls._opened.get(path)
            if found is None:
                found = cls(path)
                # a publication is replaced, never changed: keep the last few open
                if len(cls._opened) >= 4:
                    cls._opened.pop(next(iter(cls._opened)))
                cls._opened[path] = found
            return found

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(f"file:{self.path}?mode=ro&immutable=1", uri=True)
            self._local.db = db
        return db

    @property
    def analyser(self) -> Analyser:
        if self._analyser is None:
            self._analyser = default_analyser()
        return self._analyser

    # --- entities and labels ----------------------------------------------------------

    @cached_property
    def _entities(self) -> tuple[list[Entity], dict[tuple[str, str], Entity], dict[str, Entity]]:
        rows = self._db().execute("SELECT id, kind, key, iri FROM entity ORDER BY id")
        by_id = [Entity(*row) for row in rows]
        return (
            by_id,
            {(e.kind, e.key): e for e in by_id},
            {e.iri: e for e in by_id},
        )

    def entity(self, kind: str, key: str) -> Entity | None:
        return self._entities[1].get((kind, key))

    def entity_of(self, iri: str) -> Entity | None:
        return self._entities[2].get(iri)

    def entity_by_id(self, entity_id: int) -> Entity:
        return self._entities[0][entity_id]

    def entities(self, kind: str | None = None) -> Iterator[Entity]:
        """Every entity (of ``kind``), offerings first, then by kind and key."""
        for entity in self._entities[0]:
            if kind is None or entity.kind == kind:
                yield entity

    @cached_property
    def _labels(self) -> dict[int, dict[str, str]]:
        out: dict[int, dict[str, str]] = {}
        for entity_id, lang, text in self._db().execute(
            "SELECT entity, lang, text FROM label ORDER BY entity, lang, text"
        ):
            out.setdefault(entity_id, {}).setdefault(lang, text)
        return out

    def labels(self, kind: str, key: str) -> dict[str, str]:
        """{lang: label} ('' for an untagged name)."""
        entity = self.entity(kind, key)
        return dict(self._labels.get(entity.id, {})) if entity else {}

    def label(self, kind: str, key: str, lang: str) -> Label:
        """The label in ``lang``, else Finnish, English, untagged, Swedish; the key itself
        when there is none."""
        return best_label(self.labels(kind, key), lang, fallback=key)

    # --- counts, concepts, licences ---------------------------------------------------

    def counts(self) -> dict[str, int]:
        """Entities per kind, and offerings per type (``product``, ``service``)."""
        return dict(json.loads(self.meta["counts"]))

    @cached_property
    def concepts(self) -> dict[tuple[str, str], dict[str, Any]]:
        """(kind, key) → {scheme, broader, position, confidence, cross_cutting}."""
        out = {}
        for entity_id, scheme, broader, position, confidence, cross in self._db().execute(
            "SELECT * FROM concept ORDER BY entity"
        ):
            e = self.entity_by_id(entity_id)
            out[(e.kind, e.key)] = {
                "scheme": scheme,
                "broader": broader,
                "position": position,
                "confidence": confidence,
                "cross_cutting": bool(cross),
            }
        return out

    def concept_keys(self, kind: str) -> list[str]:
        """Keys of the concepts of ``kind`` in their scheme's order (components grouped by
        their layer, in the layers' order)."""
        layers = {key: c["position"] or 0 for (k, key), c in self.concepts.items() if k == "layer"}
        found = [
            (
                layers.get(c["broader"] or "", 0) if kind == "component" else 0,
                c["position"] or 0,
                key,
            )
            for (k, key), c in self.concepts.items()
            if k == kind
        ]
        return [key for *_, key in sorted(found)]

    @cached_property
    def licences(self) -> dict[str, dict[str, Any]]:
        """licence key → {open, osi, members, expression}."""
        out = {}
        for entity_id, open_source, osi, members, expression in self._db().execute(
            "SELECT * FROM licence ORDER BY entity"
        ):
            out[self.entity_by_id(entity_id).key] = {
                "open": None if open_source is None else bool(open_source),
                "osi": None if osi is None else bool(osi),
                "members": json.loads(members),
                "expression": expression,
            }
        return out

    # --- facets and selections --------------------------------------------------------

    @cached_property
    def _bitmaps(self) -> dict[str, dict[str, FrozenBitMap]]:
        out: dict[str, dict[str, FrozenBitMap]] = {f.name: {} for f in FACETS}
        for facet, value, _count, members in self._db().execute(
            "SELECT facet, value, count, members FROM facet_value"
        ):
            out.setdefault(facet, {})[value] = FrozenBitMap.deserialize(members)
        return out

    @cached_property
    def all_offerings(self) -> FrozenBitMap:
        return FrozenBitMap(range(self.counts().get("offering", 0)))

    def facet_values(self, facet: str) -> list[str]:
        """Every value ``facet`` has in this publication (sorted)."""
        return sorted(self._bitmaps.get(facet, {}))

    def members(self, facet: str, value: str) -> FrozenBitMap:
        """The offerings (ordinals) that have ``value`` in ``facet``."""
        return self._bitmaps.get(facet, {}).get(value, FrozenBitMap())

    def select(self, selection: Selection, *, within: AbstractBitMap | None = None) -> FrozenBitMap:
        """The offerings in a selection (facets only; text is ``search``'s)."""
        found = BitMap(self.all_offerings if within is None else within)
        for facet, values in selection.chosen.items():
            found &= self._union(facet, values)
        return FrozenBitMap(found)

    def _union(self, facet: str, values: Iterable[str]) -> BitMap:
        return BitMap.union(BitMap(), *(self.members(facet, v) for v in values))

    def facets(
        self, selection: Selection, *, within: AbstractBitMap | None = None, top: int | None = None
    ) -> list[Facet]:
        """Every facet with each value's count under the selection: AND across facets, OR
        within one, so a value's count is what the list would hold if it were chosen
        too. ``top`` keeps only the most frequent values of the facets with many values
        (suppliers, licences; chosen values are always kept)."""
        base = self.all_offerings if within is None else FrozenBitMap(within)
        unions = {f: self._union(f, vs) for f, vs in selection.chosen.items()}
        out = []
        for spec in FACETS:
            others = BitMap(base)
            for facet, union in unions.items():
                if facet != spec.name:
                    others &= union
            chosen = selection.values(spec.name)
            bitmaps = self._bitmaps.get(spec.name, {})
            if spec.many:
                counts = self._counts_by_offering(spec.name, others)
            else:
                counts = {v: others.intersection_cardinality(b) for v, b in bitmaps.items()}
            if spec.many and top is not None and len(counts) > top:
                # only the most frequent (and the chosen) become FacetValues
                best = heapq.nsmallest(top, counts.items(), key=lambda kv: (-kv[1], kv[0]))
                counts = {**dict(best), **{v: counts[v] for v in chosen if v in counts}}
            values = [
                FacetValue(value, count, value in chosen, len(bitmaps[value]))
                for value, count in counts.items()
                if count or value in chosen or not spec.many
            ]
            values += [
                FacetValue(v, counts.get(v, 0), True, len(bitmaps[v]) if v in bitmaps else 0)
                for v in sorted(chosen - set(counts))
            ]
            values = self._facet_order(spec.name, values)
            if top is not None and spec.many:
                values = [v for i, v in enumerate(values) if i < top or v.selected]
            out.append(Facet(spec.name, tuple(values)))
        return out

    def _counts_by_offering(self, facet: str, offerings: AbstractBitMap) -> dict[str, int]:
        """Counts of a facet with many values, by walking the offerings (cheaper than one
        intersection per value when there are thousands of values)."""
        bitmaps = self._bitmaps.get(facet, {})
        if len(offerings) == len(self.all_offerings):
            return {v: len(b) for v, b in bitmaps.items()}
        names, of_offering = self._values_by_offering(facet)
        # one C loop: the value numbers of every offering, counted
        counted = Counter(chain.from_iterable(map(of_offering.__getitem__, offerings)))
        return {names[i]: n for i, n in counted.items()}

    def _values_by_offering(self, facet: str) -> tuple[list[str], list[tuple[int, ...]]]:
        key = ("by-offering", facet)
        with self._lock:
            found = self._derived.get(key)
        if found is not None:
            return found
        names = sorted(self._bitmaps.get(facet, {}))
        lists: list[list[int]] = [[] for _ in range(len(self.all_offerings))]
        for number, name in enumerate(names):
            for ordinal in self._bitmaps[facet][name]:
                lists[ordinal].append(number)
        found = (names, [tuple(x) for x in lists])
        with self._lock:
            self._derived[key] = found
        return found

    def _facet_order(self, name: str, values: list[FacetValue]) -> list[FacetValue]:
        spec = BY_NAME[name]
        if spec.values:
            rank = {v: i for i, v in enumerate(spec.values)}
            return sorted(values, key=lambda v: (rank.get(v.value, 99), v.value))
        if spec.kind and not spec.many:
            order = {k: i for i, k in enumerate(self.concept_keys(spec.kind))}
            if order:
                return sorted(values, key=lambda v: (order.get(v.value, 10_000), v.value))
        return sorted(values, key=lambda v: (-v.count, -v.total, v.value))

    # --- cards and pages --------------------------------------------------------------

    @cached_property
    def _sorts(self) -> dict[str, array[int]]:
        out = {}
        for name, data in self._db().execute("SELECT name, ordinals FROM sort_order"):
            order = array("I")
            order.frombytes(data)
            if sys.byteorder == "big":  # pragma: no cover
                order.byteswap()
            out[name] = order
        return out

    def order(self, sort: str, lang: str) -> array[int]:
        if sort == "newest":
            return self._sorts["newest"]
        return self._sorts.get(f"{sort}:{lang}") or self._sorts[f"name:{lang}"]

    def ordered(
        self, offerings: AbstractBitMap, sort: str, lang: str, offset: int, size: int
    ) -> list[int]:
        """``size`` ordinals of ``offerings`` from ``offset`` on, in a sort order."""
        if sort not in SORTS:
            sort = "name"
        order = self.order(sort, lang)
        if len(offerings) == len(order):
            return list(order[offset : offset + size])
        if len(offerings) <= 4096:
            rank = self._rank(sort, lang)
            return sorted(offerings, key=rank.__getitem__)[offset : offset + size]
        out: list[int] = []
        skipped = 0
        for ordinal in order:
            if ordinal in offerings:
                if skipped < offset:
                    skipped += 1
                    continue
                out.append(ordinal)
                if len(out) == size:
                    break
        return out

    def _rank(self, sort: str, lang: str) -> array[int]:
        key = ("rank", sort, lang)
        with self._lock:
            rank = self._derived.get(key)
        if rank is None:
            order = self.order(sort, lang)
            rank = array("I", bytes(4 * len(order)))
            for position, ordinal in enumerate(order):
                rank[ordinal] = position
            with self._lock:
                self._derived[key] = rank
        return rank

    def cards(self, ordinals: list[int]) -> list[dict[str, Any]]:
        """The cards of offerings, in the order asked."""
        if not ordinals:
            return []
        marks = ", ".join("?" for _ in ordinals)
        found = {
            ordinal: json.loads(zlib.decompress(card))
            for ordinal, card in self._db().execute(
                f"SELECT ordinal, card FROM offering WHERE ordinal IN ({marks})", ordinals
            )
        }
        return [found[o] for o in ordinals if o in found]

    def card(self, key: str) -> dict[str, Any] | None:
        entity = self.entity("offering", key)
        return self.cards([entity.id])[0] if entity else None

    def detail(self, key: str) -> dict[str, Any] | None:
        """What /compare shows beyond the card (descriptions, claims, links, notes)."""
        entity = self.entity("offering", key)
        if entity is None:
            return None
        row = (
            self._db()
            .execute("SELECT detail FROM offering_detail WHERE ordinal = ?", (entity.id,))
            .fetchone()
        )
        return json.loads(zlib.decompress(row[0])) if row else None

    def page(
        self,
        selection: Selection,
        *,
        sort: str = "name",
        lang: str = "fi",
        number: int = 1,
        size: int = 20,
        within: AbstractBitMap | None = None,
    ) -> Page:
        """One page of the selection's cards."""
        offerings = self.select(selection, within=within)
        number = max(1, number)
        ordinals = self.ordered(offerings, sort, lang, (number - 1) * size, size)
        return Page(len(offerings), number, size, tuple(self.cards(ordinals)))

    # --- search -----------------------------------------------------------------------

    @cached_property
    def _engine(self) -> SearchEngine:
        return SearchEngine(self.analyser)

    def search(
        self,
        query: str,
        *,
        selection: Selection | None = None,
        lang: str = "fi",
        sort: str = RELEVANCE,
        number: int = 1,
        size: int = 20,
        top: int | None = 15,
    ) -> SearchResult:
        """Offerings matching ``query`` within the facet selection, ranked (or sorted),
        with the facets counted over the matches; the other kinds of things that match
        (suppliers, components, licences...) are ranked separately in ``others``."""
        selection = selection or Selection()
        db = self._db()
        outcome = self._engine.plan(db, query)
        ranked = (
            self._engine.ranked(db, outcome.match)
            if outcome.found and outcome.match
            else array("I")
        )
        n = len(self.all_offerings)
        ranked_offerings = [e for e in ranked if e < n]
        matched = FrozenBitMap(ranked_offerings)
        offerings = self.select(selection, within=matched) if selection.chosen else matched
        number = max(1, number)
        offset = (number - 1) * size
        if sort in SORTS:
            ordinals = self.ordered(offerings, sort, lang, offset, size)
        elif len(offerings) == len(matched):
            ordinals = ranked_offerings[offset : offset + size]
        else:
            ordinals = _take(ranked_offerings, offerings, offset, size)
        others = [self.entity_by_id(e) for e in ranked if e >= n][:50]
        return SearchResult(
            outcome=outcome,
            selection=selection,
            offerings=offerings,
            ranked=ranked_offerings,
            page=Page(len(offerings), number, size, tuple(self.cards(ordinals))),
            others=others,
            facets=self.facets(selection, within=matched, top=top),
        )

    def hits(self, query: str, limit: int = 100) -> list[Hit]:
        """The best matches of a query, every kind, with BM25 scores (lower is better;
        for /reconcile: filter by kind yourself)."""
        return self._engine.search(self._db(), query, limit)

    def snippet(self, text: str, lang: str, terms: frozenset[str], width: int = 32) -> Snippet:
        """``text`` cut to about ``width`` words around its first match, matches marked."""
        spans = list(words(text))
        marks = [bool(terms & set(self._word_terms(m.group(), lang))) for m in spans]
        if not spans:
            return Snippet(((text, False),), lang)
        first = marks.index(True) if True in marks else 0
        start = max(0, first - width // 3)
        end = min(len(spans), start + width)
        begin = 0 if start == 0 else spans[start].start()
        finish = len(text) if end == len(spans) else spans[end - 1].end()
        segments: list[tuple[str, bool]] = [("… ", False)] if start > 0 else []
        position = begin
        for match, marked in zip(spans[start:end], marks[start:end], strict=True):
            if match.start() > position:
                segments.append((text[position : match.start()], False))
            segments.append((match.group(), marked))
            position = match.end()
        segments.append((text[position:finish], False))
        if end < len(spans):
            segments.append((" …", False))
        return Snippet(tuple(s for s in segments if s[0]), lang)

    def _word_terms(self, word: str, lang: str) -> tuple[str, ...]:
        row = (
            self._db()
            .execute("SELECT terms FROM word WHERE lang = ? AND word = ?", (lang, word))
            .fetchone()
        )
        if row is not None:
            return tuple(row[0].split())
        return self.analyser.word_terms(word, lang or None)

    # --- suggest ----------------------------------------------------------------------

    def suggest(self, prefix: str, *, lang: str = "fi", limit: int = 8) -> list[Suggestion]:
        """Things whose label (or a word of it) starts with ``prefix``, best first:
        offerings, then suppliers and components by how many offerings they have."""
        # the same words as the stored labels (writer._word_starts): "Koha-k" → "koha k"
        norm = " ".join(fold(w) for w in WORD.findall(prefix[:100]))
        if not norm:
            return []
        db = self._db()
        if len(norm) <= 3:
            row = db.execute("SELECT entities FROM suggest_top WHERE prefix = ?", (norm,))
            found = row.fetchone()
            ids = json.loads(found[0])[:limit] if found else []
        else:
            rows = db.execute(
                "SELECT entity, weight FROM suggest WHERE norm >= ? AND norm < ? LIMIT 500",
                (norm, norm + "\U0010ffff"),
            ).fetchall()
            ids = []
            for entity_id, _ in sorted(rows, key=lambda r: (-r[1], r[0])):
                if entity_id not in ids:
                    ids.append(entity_id)
                if len(ids) == limit:
                    break
        out = []
        for entity_id in ids:
            entity = self.entity_by_id(entity_id)
            labels = self._labels.get(entity_id, {})
            if entity.kind == "offering":
                labels = self.cards([entity_id])[0]["title"] if not labels else labels
            out.append(Suggestion(entity, best_label(labels, lang, fallback=entity.key)))
        return out


def _take(ranked: list[int], within: AbstractBitMap, offset: int, size: int) -> list[int]:
    """``size`` items of ``ranked`` that are in ``within``, after skipping ``offset``."""
    out: list[int] = []
    for entity in ranked:
        if entity in within:
            if offset:
                offset -= 1
                continue
            out.append(entity)
            if len(out) == size:
                break
    return out


def index_path(path: Path) -> Path:
    """The index file of a publication folder (or ``path`` itself when it is a file)."""
    if path.is_dir():
        return path / ARTEFACTS_DIR / ARTEFACT / INDEX_FILE
    return path


def best_label(labels: dict[str, str], lang: str, *, fallback: str) -> Label:
    for wanted in (lang, *LANG_FALLBACK):
        text = labels.get(wanted)
        if text:
            return Label(text, wanted)
    return Label(fallback, "")
