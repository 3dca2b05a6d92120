"""Write the site index of a publication: one SQLite file, the same bytes for the same
store, ledger and analysers.

Determinism: rows are inserted in a fixed order, the full-text index is merged into one
segment (``optimize``) and the file is a compact copy (``VACUUM INTO``); nothing
time- or build-dependent is stored. Reuse: the analysis of every word (the slow part, Voikko)
is carried over from the previous publication's index when its analysers were the same.
"""

from __future__ import annotations

import gc
import json
import os
import shutil
import sqlite3
import sys
import threading
import time
import zlib
from array import array
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain, filterfalse
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from pyroaring import AbstractBitMap, BitMap

from publisher.search.analysis import WORD, Analyser, default_analyser, fold, term_of, words
from publisher.siteindex import fulltext
from publisher.siteindex.extract import Text, read_store
from publisher.siteindex.facets import FACETS
from publisher.siteindex.model import Entity, Model, SearchDoc, build_model
from publisher.siteindex.packer import Packer
from publisher.siteindex.schema import INDEX_FILE, ROW_TABLES, SCHEMA_VERSION, TABLES
from publisher.uris import UriScheme

if TYPE_CHECKING:
    from publisher.artefacts import ArtefactContext

Progress = Callable[[str], None]
Members = Sequence[int] | AbstractBitMap  # the ordinals of a facet value's offerings
SUGGEST_TOP_LENGTH = 3  # prefixes up to this length get their best suggestions stored
SUGGEST_LIMIT = 10
KIND_WEIGHT = {"offering": 3, "supplier": 2, "component": 2, "layer": 2, "licence": 1}
SCHEMA_COOKIE = 100  # the staging file's schema cookie before VACUUM INTO (see _write_rows)
# 16 KiB pages: the file is written once and read by lookups; its copies (VACUUM INTO, the
# next build's) cost a third less than with 4 KiB pages, lookups the same.
PAGE_SIZE = 16384
# The previous index's copy is read whole by VACUUM INTO: through a memory map rather than
# a read() per page (a larger page cache costs more than it saves).
STAGING_MMAP = 1 << 30


@dataclass(frozen=True)
class Copy:
    """Rows taken over from the previous index as they are (the new index is written into
    a copy of the previous file, never through Python): every row of each table named in
    ``tables`` but those whose key (``KEYS``) is in its set; those come from ``Rows``
    instead. A table not named is emptied and written from ``Rows`` only. The full-text
    index is updated in place (``fulltext``)."""

    index: Path
    tables: Mapping[str, Collection[Any]]  # table → left-out keys (ids; tuples for suggest)


# The key column(s) of each table a ``Copy`` may take over (a left-out suggest key is a
# (norm, entity) pair: the start of its primary key, so no scan of its 300,000 rows).
KEYS: dict[str, tuple[str, ...]] = {
    "entity": ("id",),
    "label": ("entity",),
    "offering": ("ordinal",),
    "offering_detail": ("ordinal",),
    "search_text": ("entity",),
    "search_kind": ("entity",),
    "suggest": ("norm", "entity"),
    "term": ("term",),
    "word": ("lang", "word"),
    "facet_value": ("facet", "value"),
}


@dataclass
class Rows:
    """Every row of the index, whichever way it was made (from the whole store, or from
    the previous index with the changed entities redone): ``_write_rows`` turns the same
    rows into the same bytes. With ``copy``, the rows of its tables are only those that
    differ from the previous index's."""

    entities: list[Entity]  # all of them (only the labels of those not copied are written)
    concepts: list[dict[str, Any]]
    licences: list[dict[str, Any]]
    offerings: list[tuple[int, str, str | None, bytes]]  # ordinal, key, supplier, packed card
    details: list[tuple[int, bytes]]  # ordinal, packed details
    types: dict[str, int]  # offerings by type (product, service)
    memberships: Mapping[str, Mapping[str, Members]]  # facet → value → ordinals
    sorts: dict[str, list[int]]
    search: list[tuple[int, str, str, str, str]]  # entity, title, keywords, names, body
    kinds: list[tuple[int, str]]  # entity, kind of the searchable entities
    terms: dict[str, list[int]]  # surface term → [entities, entities naming it]
    words: dict[tuple[str, str], list[Any]]  # (lang, word) → [terms, entities]
    suggest: list[tuple[str, int, str, str, int]]  # sorted
    suggest_top: list[tuple[str, str]]  # sorted
    copy: Copy | None = None


def write_site_index(
    folder: Path,
    *,
    store_path: Path,
    base_uri: str,
    ledger: dict[str, Any] | None = None,
    previous: Path | None = None,
    dump: Path | None = None,
    analyser: Analyser | None = None,
    progress: Progress | None = None,
    changed: frozenset[str] | None = None,
    previous_store: Path | None = None,
) -> Path:
    """Build ``folder/siteindex.sqlite`` from the publication's N-Quads ``dump`` (or, if
    there is none, the store at ``store_path``); ``previous`` is the folder of the previous
    index (its word analyses are reused). With ``changed`` (the IRIs whose description
    changed since) and ``previous_store`` too, the previous index's rows are reused and
    only the changed entities and those that show them are redone (the same bytes)."""
    # Millions of small objects are made and kept until the end: the cyclic garbage
    # collector would walk them again and again for nothing (there are no cycles to free).
    collecting = gc.isenabled()
    gc.disable()
    try:
        started, started_cpu = time.perf_counter(), time.process_time()
        say = progress or (lambda _m: None)
        analyser = analyser or default_analyser()
        rows = None
        staging = _Staging(folder)
        try:
            if previous is not None and changed is not None and previous_store is not None:
                from publisher.siteindex.incremental import reuse_rows

                # the previous file is copied (by the kernel) while its rows are worked out
                staging.copy_from(previous / INDEX_FILE)
                rows = reuse_rows(
                    previous / INDEX_FILE,
                    previous_store=previous_store,
                    store_path=store_path,
                    base_uri=base_uri,
                    ledger=ledger or {},
                    changed=changed,
                    analyser=analyser,
                    say=say,
                )
            if rows is None:
                staging.discard()
                rows = _cold_rows(
                    store_path, base_uri, ledger, previous, dump, analyser, say, folder
                )
            say(
                f"  site index: rows ready ({time.perf_counter() - started:.2f} s, "
                f"CPU {time.process_time() - started_cpu:.2f} s, {_rss()})"
            )
            return _write_rows(folder, rows, analyser, base_uri, say, started, staging)
        finally:
            staging.discard()
    finally:
        if collecting:
            gc.enable()


class _Staging:
    """The file the index is written into before its compact copy: empty, or a copy of
    the previous index (made in a thread: the copy is the kernel's, the GIL is free)."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / f".{INDEX_FILE}.{os.getpid()}"
        self.path.unlink(missing_ok=True)
        self._copying: threading.Thread | None = None
        self._failed: BaseException | None = None
        self.source: Path | None = None

    def copy_from(self, source: Path) -> None:
        self.source, self._failed = source, None

        def copy() -> None:
            try:
                shutil.copyfile(source, self.path)
            except OSError as error:  # (reuse_rows then finds no usable file either)
                self._failed = error

        self._copying = threading.Thread(target=copy, name="site-index-copy", daemon=True)
        self._copying.start()

    def copied(self, source: Path) -> Path:
        """The copy of ``source`` (the previous index), once it is complete."""
        if self._copying is None or self.source != source:
            self.discard()
            self.copy_from(source)
        assert self._copying is not None
        self._copying.join()
        if self._failed is not None:
            raise self._failed
        return self.path

    def discard(self) -> None:
        if self._copying is not None:
            self._copying.join()
            self._copying = None
        self.path.unlink(missing_ok=True)


def _cold_rows(
    store_path: Path,
    base_uri: str,
    ledger: dict[str, Any] | None,
    previous: Path | None,
    dump: Path | None,
    analyser: Analyser,
    say: Progress,
    folder: Path,
) -> Rows:
    started = time.perf_counter()
    uris = UriScheme(base_uri)
    extract = read_store(store_path, uris, dump)
    say(f"  site index: store read ({time.perf_counter() - started:.2f} s, {_rss()})")
    model = build_model(extract, ledger)
    del extract
    say(f"  site index: {len(model.cards)} cards ({time.perf_counter() - started:.2f} s, {_rss()})")
    # The cards are compressed by a second process while this one analyses the texts.
    packer = Packer(folder)
    try:
        packer.start(_json(c).encode("utf-8") for c in chain(model.cards, model.details))
        model.details.clear()
        rows = _search_rows(model, analyser, previous, say, started)
        blobs = packer.result()
    finally:
        packer.close()
    cards = model.cards
    rows.offerings = [(i, c["key"], c["supplier"], blobs[i]) for i, c in enumerate(cards)]
    rows.details = [(i, blobs[len(cards) + i]) for i in range(len(cards))]
    return rows


def _search_rows(
    model: Model, analyser: Analyser, previous: Path | None, say: Progress, started: float
) -> Rows:
    """The rows of a cold write but the offerings' cards and details."""
    cache = previous_words(previous / INDEX_FILE if previous else None, analyser)
    analyse = Terms(analyser, cache)
    search = []
    having: Counter[str] = Counter()  # term → entities having it
    naming: Counter[str] = Counter()  # term → entities having it in a title, keyword, name
    words: dict[str, Counter[str]] = defaultdict(Counter)  # lang → word → entities
    for doc in model.docs:
        fields, seen, named, by_lang = analyse.doc_words(doc)
        search.append(search_row(doc.entity, fields))
        having.update(seen)
        naming.update(named)
        for lang, found in by_lang.items():
            words[lang].update(found)
    terms = {t: [n, naming[t]] for t, n in having.items() if t and not t.isdigit()}
    say(
        f"  site index: search terms ({analyse.analysed} words analysed, {len(cache)} "
        f"reused; {time.perf_counter() - started:.2f} s, {_rss()})"
    )
    suggest = suggest_rows(model.entities, suggest_counts(model.memberships))
    return Rows(
        entities=model.entities,
        concepts=model.concepts,
        licences=model.licences,
        offerings=[],
        details=[],
        types=dict(Counter(c["type"] for c in model.cards)),
        memberships=model.memberships,
        sorts=model.sorts,
        search=search,
        kinds=[(d.entity, d.kind) for d in model.docs],
        terms=terms,
        words={
            (lang, word): [analyse.known(lang, word), n]
            for lang, counted in words.items()
            for word, n in counted.items()
        },
        suggest=suggest,
        suggest_top=suggest_top(suggest),
    )


def _write_rows(
    folder: Path,
    rows: Rows,
    analyser: Analyser,
    base_uri: str,
    say: Progress,
    started: float,
    staging: _Staging,
) -> Path:
    target = folder / INDEX_FILE
    compacted = folder / f".{INDEX_FILE}.{os.getpid()}.compact"
    compacted.unlink(missing_ok=True)
    lap = _Laps(say)
    if rows.copy is not None:
        # the previous index, changed in place (a copy: the previous file is never written)
        temporary = staging.copied(rows.copy.index)
        lap("previous index copied")
    else:
        staging.discard()
        temporary = staging.path
    db = sqlite3.connect(f"file:{temporary}", isolation_level=None, uri=True)
    try:
        db.execute(f"PRAGMA page_size = {PAGE_SIZE}")  # (a copy keeps its own)
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA synchronous = OFF")
        if rows.copy is None:
            db.executescript(TABLES)
        else:
            db.execute(f"PRAGMA mmap_size = {STAGING_MMAP}")
        db.execute("BEGIN")
        if rows.copy is not None:
            db.execute("DROP TABLE IF EXISTS sqlite_stat1")  # (an older index's statistics)
            _leave_out(db, rows.copy)
            lap("previous rows left out")
        _write_tables(db, rows)
        lap("tables written")
        _write_search(db, rows)
        lap("search rows written")
        db.executemany("INSERT INTO suggest VALUES (?, ?, ?, ?, ?)", rows.suggest)
        db.executemany("INSERT INTO suggest_top VALUES (?, ?)", rows.suggest_top)
        _write_meta(db, rows, analyser, base_uri)
        if rows.copy is not None:
            redone = rows.copy.tables.get("search_text", ())
            fulltext.index(db, _json(sorted(redone)))
        db.execute("COMMIT")
        lap("suggestions written")
        if rows.copy is None:
            fulltext.build(db)
            lap("full-text index built")
        else:
            fulltext.merge(db, indexed=bool(rows.copy.tables.get("search_text")))
            lap("full-text index merged")
        # No ANALYZE: every query of the readers and of the next build is a primary-key
        # lookup or range, planned the same without statistics (checked query by query).
        # The file's schema cookie is its history's (one per CREATE, ...): the same for
        # every way of writing it. VACUUM INTO adds one.
        db.execute(f"PRAGMA schema_version = {SCHEMA_COOKIE}")
        db.execute(f"PRAGMA page_size = {PAGE_SIZE}")  # VACUUM INTO's, whatever the copy's
        # a compact copy, written once (VACUUM in place writes it twice)
        db.execute("VACUUM INTO ?", (str(compacted),))
        lap("compact copy written")
    finally:
        db.close()
    staging.discard()
    os.replace(compacted, target)
    say(
        f"  site index: {target.stat().st_size / 1e6:.1f} MB "
        f"({time.perf_counter() - started:.2f} s)"
    )
    return target


def _rss() -> str:
    """This process's resident memory now (Linux; "" elsewhere)."""
    try:
        with open("/proc/self/statm", "rb") as handle:
            pages = int(handle.read().split()[1])
    except (OSError, ValueError, IndexError):
        return ""
    return f"RSS {pages * os.sysconf('SC_PAGE_SIZE') / 2**20:.0f} MB"


class _Laps:
    """Says how long each step of the write took (wall and CPU seconds)."""

    def __init__(self, say: Progress) -> None:
        self.say = say
        self.last = time.perf_counter()
        self.cpu = time.process_time()

    def __call__(self, what: str) -> None:
        now, cpu = time.perf_counter(), time.process_time()
        self.say(f"  site index: {what} ({now - self.last:.2f} s, CPU {cpu - self.cpu:.2f} s)")
        self.last, self.cpu = now, cpu


def write_artefact(context: ArtefactContext) -> None:
    """The build's entry point (publisher.artefacts.ARTEFACTS: "site-index")."""
    previous = context.previous
    previous_store = previous.store_path if previous is not None else None
    write_site_index(
        context.folder,
        store_path=context.store_path,
        base_uri=context.settings.base_uri,
        ledger=context.ledger,
        previous=context.previous_folder,
        dump=context.publication_dir / "dumps" / "avoinkunta.nq",
        changed=context.changed if context.previous_folder is not None else None,
        previous_store=previous_store,
    )


def packed(data: Any) -> bytes:
    """JSON, zlib-compressed (level 6: the same bytes for the same data)."""
    return zlib.compress(_json(data).encode("utf-8"), 6)


def unpacked(data: bytes) -> Any:
    return json.loads(zlib.decompress(data))


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _leave_out(db: sqlite3.Connection, copy: Copy) -> None:
    """In the previous index's copy: the rows of ``copy.tables`` but the left-out keys
    stay (the full-text index forgets the left-out search rows), every other table is
    emptied (``Rows`` gives all of its rows)."""
    for table in ROW_TABLES:
        left_out = copy.tables.get(table)
        if left_out is None:
            db.execute(f"DELETE FROM {table}")
        elif left_out:
            keys = _json(sorted(left_out))
            if table == "search_text":
                fulltext.forget(db, keys)
            columns = KEYS[table]
            if len(columns) == 1:
                chosen = f"{columns[0]} IN (SELECT value FROM json_each(?))"
            else:
                parts = ", ".join(f"json_extract(value, '$[{i}]')" for i in range(len(columns)))
                chosen = f"({', '.join(columns)}) IN (SELECT {parts} FROM json_each(?))"
            db.execute(f"DELETE FROM {table} WHERE {chosen}", (keys,))


def _write_tables(db: sqlite3.Connection, rows: Rows) -> None:
    copied = rows.copy.tables if rows.copy is not None else {}
    if "entity" not in copied:
        db.executemany(
            "INSERT INTO entity (id, kind, key, iri) VALUES (?, ?, ?, ?)",
            ((e.id, e.kind, e.key, e.iri) for e in rows.entities),
        )
    relabelled = copied.get("label")
    db.executemany(
        "INSERT OR IGNORE INTO label (entity, lang, text) VALUES (?, ?, ?)",
        (
            (e.id, t.lang, t.value)
            for e in rows.entities
            if relabelled is None or e.id in relabelled
            for t in e.labels
        ),
    )
    db.executemany(
        "INSERT INTO concept VALUES (?, ?, ?, ?, ?, ?)",
        (
            (
                c["entity"],
                c["scheme"],
                c["broader"],
                c["position"],
                c["confidence"],
                int(c["cross_cutting"]),
            )
            for c in rows.concepts
        ),
    )
    db.executemany(
        "INSERT INTO licence VALUES (?, ?, ?, ?, ?)",
        (
            (
                lic["entity"],
                _tristate(lic["open"]),
                _tristate(lic["osi"]),
                _json(lic["members"]),
                lic["expression"],
            )
            for lic in rows.licences
        ),
    )
    db.executemany("INSERT INTO offering VALUES (?, ?, ?, ?)", rows.offerings)
    db.executemany("INSERT INTO offering_detail VALUES (?, ?)", rows.details)
    facet_rows = []
    for spec in FACETS:
        for value, ordinals in sorted(rows.memberships.get(spec.name, {}).items()):
            bitmap = BitMap(ordinals)
            bitmap.run_optimize()
            facet_rows.append((spec.name, value, len(bitmap), bitmap.serialize()))
    db.executemany("INSERT INTO facet_value VALUES (?, ?, ?, ?)", facet_rows)
    db.executemany(
        "INSERT INTO sort_order VALUES (?, ?)",
        ((name, _uint32(order)) for name, order in sorted(rows.sorts.items())),
    )


def _uint32(values: Iterable[int]) -> bytes:
    data = array("I", values)
    if data.itemsize != 4:  # pragma: no cover - every platform we run on has 4-byte I
        raise RuntimeError("array('I') is not 32 bits here")
    if sys.byteorder == "big":  # pragma: no cover
        data.byteswap()
    return data.tobytes()


def _tristate(value: bool | None) -> int | None:
    return None if value is None else int(value)


# --- full-text search --------------------------------------------------------------


def previous_words(index: Path | None, analyser: Analyser) -> dict[tuple[str, str], str]:
    """(lang, word) → terms from the previous publication's index, if it used the same
    analysers and schema (otherwise nothing is reused)."""
    if index is None or not index.is_file():
        return {}
    try:
        db = sqlite3.connect(f"file:{index}?mode=ro&immutable=1", uri=True)
        try:
            meta = dict(db.execute("SELECT key, value FROM meta"))
            if (
                meta.get("schema_version") != str(SCHEMA_VERSION)
                or meta.get("analyser") != analyser.info.describe()
            ):
                return {}
            return {
                (lang, w): terms
                for lang, w, terms in db.execute("SELECT lang, word, terms FROM word")
            }
        finally:
            db.close()
    except sqlite3.Error:
        return {}


class WordCache(Protocol):
    """Words' analyses from before: (lang, word) → its terms (space-separated), or None."""

    def get(self, key: tuple[str, str], /) -> str | None: ...


class Terms:
    """Analyses texts with a (lang, word) → terms cache."""

    def __init__(self, analyser: Analyser, cache: WordCache) -> None:
        self.analyser = analyser
        self.cache = cache
        # per language: word → its terms (space-separated), word → its surface form
        self.terms: dict[str, dict[str, str]] = {lang: {} for lang in ("", "fi", "sv", "en")}
        self.surfaces: dict[str, str] = {}
        self.texts: dict[str, list[str]] = {}  # text → its words (keywords, names)
        self.analysed = 0

    def doc(self, doc: SearchDoc) -> tuple[list[str], set[str], set[str], set[tuple[str, str]]]:
        """A document's four fields' terms, its surface terms, those of its title, keywords
        and names, and its (lang, word) pairs."""
        fields, seen, named, by_lang = self.doc_words(doc)
        pairs = {(lang, word) for lang, found in by_lang.items() for word in found}
        return fields, seen, named, pairs

    def doc_words(
        self, doc: SearchDoc
    ) -> tuple[list[str], set[str], set[str], dict[str, set[str]]]:
        """``doc``, with the words by language instead of (lang, word) pairs."""
        fields = []
        seen: set[str] = set()
        named: set[str] = set()
        by_lang: dict[str, set[str]] = {}
        for number, texts in enumerate(_fields(doc)):
            # keywords and names repeat from one offering to the next: their words are
            # remembered by text
            terms, surfaces = self.field(texts, by_lang, number in {1, 2})
            seen |= surfaces
            if number < 3:  # title, keywords, names
                named |= surfaces
            fields.append(terms)
        return fields, seen, named, by_lang

    def field(
        self, texts: tuple[Text, ...], by_lang: dict[str, set[str]], repeated: bool = False
    ) -> tuple[str, set[str]]:
        """The terms of a field's texts (each distinct word once: the index keeps no
        positions and counts a term once per field), and their surface forms; its words
        are added to ``by_lang``. The loops over words are C's (dict.fromkeys, set
        differences, map): millions of words."""
        values_of: dict[str, list[str]] = {}
        for text in texts:
            lang = text.lang if text.lang in {"fi", "sv", "en"} else ""
            values_of.setdefault(lang, []).append(text.value)
        out: list[str] = []
        surfaces: set[str] = set()
        for lang, values in values_of.items():
            if repeated:
                unique = dict.fromkeys(chain.from_iterable(map(self._words_of, values)))
            else:
                unique = dict.fromkeys(WORD.findall(" ".join(values)))
            known = self.terms[lang]
            for word in list(filterfalse(known.__contains__, unique)):
                self._learn(lang, word)
            out.append(" ".join(map(known.__getitem__, unique)))
            surfaces.update(map(self.surfaces.__getitem__, unique))
            found = by_lang.get(lang)
            if found is None:
                by_lang[lang] = set(unique)
            else:
                found.update(unique)
        return " ".join(out), surfaces

    def _words_of(self, text: str) -> list[str]:
        found = self.texts.get(text)
        if found is None:
            found = self.texts[text] = WORD.findall(text)
        return found

    def known(self, lang: str, word: str) -> str:
        found = self.terms[lang].get(word)
        if found is None:
            self._learn(lang, word)
            found = self.terms[lang][word]
        return found

    def _learn(self, lang: str, word: str) -> None:
        terms = self.cache.get((lang, word))
        if terms is None:
            terms = " ".join(self.analyser.word_terms(word, lang or None))
            self.analysed += 1
        self.terms[lang][word] = terms
        if word not in self.surfaces:
            self.surfaces[word] = term_of(word)


def search_row(entity: int, fields: list[str]) -> tuple[int, str, str, str, str]:
    title, keywords, names, body = fields
    return (entity, title, keywords, names, body)


def _write_search(db: sqlite3.Connection, rows: Rows) -> None:
    db.executemany(
        "INSERT INTO search_text (entity, title, keywords, names, body) VALUES (?, ?, ?, ?, ?)",
        rows.search,
    )
    db.executemany("INSERT INTO search_kind VALUES (?, ?)", rows.kinds)
    db.executemany(
        "INSERT INTO term VALUES (?, ?, ?)",
        ((t, n, named) for t, (n, named) in sorted(rows.terms.items()) if n > 0),
    )
    db.executemany(
        "INSERT INTO word VALUES (?, ?, ?, ?)",
        ((lang, w, t, n) for (lang, w), (t, n) in sorted(rows.words.items()) if n > 0),
    )


def _fields(doc: SearchDoc) -> tuple[tuple[Text, ...], ...]:
    return (doc.title, doc.keywords, doc.names, doc.body)


# --- suggestions -------------------------------------------------------------------

SUGGESTED = frozenset({*KIND_WEIGHT, "aspect", "domain", "phase", "route"})


def suggest_counts(
    memberships: Mapping[str, Mapping[str, Members]],
) -> dict[tuple[str, str], int]:
    return {
        (facet, value): len(ordinals)
        for facet, values in memberships.items()
        for value, ordinals in values.items()
    }


def entity_suggestions(
    entity: Entity, counts: dict[tuple[str, str], int]
) -> set[tuple[str, int, str, str, int]]:
    """The suggestion rows of one entity (none for kinds that are not suggested)."""
    rows: set[tuple[str, int, str, str, int]] = set()
    if entity.kind not in SUGGESTED:
        return rows
    base = KIND_WEIGHT.get(entity.kind, 1) * 100_000
    weight = base + min(counts.get((entity.kind, entity.key), 0), 99_999)
    labels = list(entity.labels)
    if entity.kind == "licence" and not labels:
        labels = [Text("", entity.key)]
    for label in labels:
        for start, norm in _word_starts(label.value):
            # a later word of the label ranks below the label's own start
            rows.add((norm, entity.id, label.lang, label.value, weight - (start > 0)))
    return rows


def suggest_rows(
    entities: Iterable[Entity], counts: dict[tuple[str, str], int]
) -> list[tuple[str, int, str, str, int]]:
    rows: set[tuple[str, int, str, str, int]] = set()
    for entity in entities:
        rows |= entity_suggestions(entity, counts)
    return sorted(rows)


def suggest_top(
    ordered: list[tuple[str, int, str, str, int]], only: set[str] | None = None
) -> list[tuple[str, str]]:
    """The best suggestions of each short prefix (of the prefixes in ``only`` when given),
    from the sorted suggestion rows."""
    best: dict[str, list[tuple[int, str, int]]] = defaultdict(list)
    if only is None:
        for norm, entity_id, _lang, _label, weight in ordered:
            for length in range(1, SUGGEST_TOP_LENGTH + 1):
                if len(norm) >= length:
                    best[norm[:length]].append((-weight, norm, entity_id))
    else:
        norms = [row[0] for row in ordered]
        for prefix in only:
            low = bisect_left(norms, prefix)
            high = bisect_left(norms, prefix + "\U0010ffff")
            best[prefix] = [(-w, n, e) for n, e, _l, _t, w in ordered[low:high]]
    top_rows = []
    for prefix, found in sorted(best.items()):
        chosen = best_entities(sorted(found))
        if chosen:
            top_rows.append((prefix, _json(chosen)))
    return top_rows


def best_entities(ranked: Iterable[tuple[int, str, int]]) -> list[int]:
    """The first SUGGEST_LIMIT distinct entities of (-weight, norm, entity), best first."""
    chosen: list[int] = []
    for _w, _n, entity_id in ranked:
        if entity_id not in chosen:
            chosen.append(entity_id)
            if len(chosen) == SUGGEST_LIMIT:
                break
    return chosen


def _word_starts(label: str) -> list[tuple[int, str]]:
    """(offset, folded label from that word on) for every word of a label."""
    spans = [(m.start(), fold(m.group())) for m in words(label)]
    folded = [w for _, w in spans]
    return [(start, " ".join(folded[i:])) for i, (start, _) in enumerate(spans) if folded[i]]


# --- meta --------------------------------------------------------------------------


def _write_meta(db: sqlite3.Connection, rows: Rows, analyser: Analyser, base: str) -> None:
    kinds = Counter(e.kind for e in rows.entities)
    types = rows.types
    counts = {
        **{k: kinds[k] for k in sorted(kinds)},
        "product": types.get("product", 0),
        "service": types.get("service", 0),
    }
    meta = {
        "schema_version": str(SCHEMA_VERSION),
        "analyser": analyser.info.describe(),
        "base_uri": base,
        "counts": _json(counts),
        "facets": _json([f.name for f in FACETS]),
    }
    db.executemany("INSERT INTO meta VALUES (?, ?)", sorted(meta.items()))
