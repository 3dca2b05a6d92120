"""Write the site index of a publication: one SQLite file, the same bytes for the same
store, ledger and analysers.

Determinism: rows are inserted in a fixed order, the full-text index is merged into one
segment (``optimize``) and the file is rebuilt by ``VACUUM`` before it is closed; nothing
time- or build-dependent is stored. Reuse: the analysis of every word (the slow part, Voikko)
is carried over from the previous publication's index when its analysers were the same.
"""

from __future__ import annotations

import gc
import json
import os
import sqlite3
import sys
import time
import zlib
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from itertools import filterfalse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pyroaring import BitMap

from publisher.search.analysis import WORD, Analyser, default_analyser, fold, term_of, words
from publisher.search.engine import RANK
from publisher.siteindex.extract import Text, read_store
from publisher.siteindex.facets import FACETS
from publisher.siteindex.model import Model, SearchDoc, build_model
from publisher.siteindex.schema import INDEX_FILE, SCHEMA_VERSION, TABLES
from publisher.uris import UriScheme

if TYPE_CHECKING:
    from publisher.artefacts import ArtefactContext

Progress = Callable[[str], None]
SUGGEST_TOP_LENGTH = 3  # prefixes up to this length get their best suggestions stored
SUGGEST_LIMIT = 10
KIND_WEIGHT = {"offering": 3, "supplier": 2, "component": 2, "layer": 2, "licence": 1}


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
) -> Path:
    """Build ``folder/siteindex.sqlite`` from the publication's N-Quads ``dump`` (or, if
    there is none, the store at ``store_path``); ``previous`` is the folder of the previous
    index (its word analyses are reused)."""
    # Millions of small objects are made and kept until the end: the cyclic garbage
    # collector would walk them again and again for nothing (there are no cycles to free).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _write(folder, store_path, base_uri, ledger, previous, dump, analyser, progress)
    finally:
        if collecting:
            gc.enable()


def _write(
    folder: Path,
    store_path: Path,
    base_uri: str,
    ledger: dict[str, Any] | None,
    previous: Path | None,
    dump: Path | None,
    analyser: Analyser | None,
    progress: Progress | None,
) -> Path:
    started = time.perf_counter()
    say = progress or (lambda _m: None)
    analyser = analyser or default_analyser()
    uris = UriScheme(base_uri)
    extract = read_store(store_path, uris, dump)
    say(f"  site index: store read ({time.perf_counter() - started:.2f} s)")
    model = build_model(extract, ledger)
    say(f"  site index: {len(model.cards)} cards ({time.perf_counter() - started:.2f} s)")
    cache = _previous_words(previous, analyser)
    target = folder / INDEX_FILE
    temporary = folder / f".{INDEX_FILE}.{os.getpid()}"
    temporary.unlink(missing_ok=True)
    db = sqlite3.connect(temporary, isolation_level=None)
    try:
        db.execute("PRAGMA page_size = 4096")
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA synchronous = OFF")
        db.executescript(TABLES)
        db.execute("BEGIN")
        _write_tables(db, model)
        analysed = _write_search(db, model, analyser, cache)
        say(
            f"  site index: search terms ({analysed} words analysed, {len(cache)} reused; "
            f"{time.perf_counter() - started:.2f} s)"
        )
        _write_suggest(db, model)
        _write_meta(db, model, analyser, base_uri)
        db.execute("COMMIT")
        db.execute("INSERT INTO search(search, rank) VALUES ('rank', ?)", (RANK,))
        db.execute("INSERT INTO search(search) VALUES ('optimize')")
        db.execute("ANALYZE")
        db.execute("VACUUM")
    finally:
        db.close()
    os.replace(temporary, target)
    say(
        f"  site index: {target.stat().st_size / 1e6:.1f} MB "
        f"({time.perf_counter() - started:.2f} s)"
    )
    return target


def write_artefact(context: ArtefactContext) -> None:
    """The build's entry point (publisher.artefacts.ARTEFACTS: "site-index")."""
    write_site_index(
        context.folder,
        store_path=context.store_path,
        base_uri=context.settings.base_uri,
        ledger=context.ledger,
        previous=context.previous_folder,
        dump=context.publication_dir / "dumps" / "avoinkunta.nq",
    )


def _packed(data: Any) -> bytes:
    """JSON, zlib-compressed (level 6: the same bytes for the same data)."""
    return zlib.compress(_json(data).encode("utf-8"), 6)


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _write_tables(db: sqlite3.Connection, model: Model) -> None:
    db.executemany(
        "INSERT INTO entity (id, kind, key, iri) VALUES (?, ?, ?, ?)",
        ((e.id, e.kind, e.key, e.iri) for e in model.entities),
    )
    db.executemany(
        "INSERT OR IGNORE INTO label (entity, lang, text) VALUES (?, ?, ?)",
        ((e.id, t.lang, t.value) for e in model.entities for t in e.labels),
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
            for c in model.concepts
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
            for lic in model.licences
        ),
    )
    db.executemany(
        "INSERT INTO offering VALUES (?, ?, ?, ?)",
        ((i, c["key"], c["supplier"], _packed(c)) for i, c in enumerate(model.cards)),
    )
    db.executemany(
        "INSERT INTO offering_detail VALUES (?, ?)",
        ((i, _packed(d)) for i, d in enumerate(model.details)),
    )
    rows = []
    for spec in FACETS:
        for value, ordinals in sorted(model.memberships.get(spec.name, {}).items()):
            bitmap = BitMap(ordinals)
            bitmap.run_optimize()
            rows.append((spec.name, value, len(bitmap), bitmap.serialize()))
    db.executemany("INSERT INTO facet_value VALUES (?, ?, ?, ?)", rows)
    db.executemany(
        "INSERT INTO sort_order VALUES (?, ?)",
        ((name, _uint32(order)) for name, order in sorted(model.sorts.items())),
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


def _previous_words(previous: Path | None, analyser: Analyser) -> dict[tuple[str, str], str]:
    """(lang, word) → terms from the previous publication's index, if it used the same
    analysers and schema (otherwise nothing is reused)."""
    if previous is None or not (previous / INDEX_FILE).is_file():
        return {}
    try:
        db = sqlite3.connect(f"file:{previous / INDEX_FILE}?mode=ro&immutable=1", uri=True)
        try:
            meta = dict(db.execute("SELECT key, value FROM meta"))
            if (
                meta.get("schema_version") != str(SCHEMA_VERSION)
                or meta.get("analyser") != analyser.info.describe()
            ):
                return {}
            return {(lang, w): terms for lang, w, terms in db.execute("SELECT * FROM word")}
        finally:
            db.close()
    except sqlite3.Error:
        return {}


class _Terms:
    """Analyses texts with a (lang, word) → terms cache."""

    def __init__(self, analyser: Analyser, cache: dict[tuple[str, str], str]) -> None:
        self.analyser = analyser
        self.cache = cache
        # per language: word → its terms (space-separated), word → its surface form
        self.terms: dict[str, dict[str, str]] = {lang: {} for lang in ("", "fi", "sv", "en")}
        self.surfaces: dict[str, str] = {}
        self.analysed = 0

    def field(self, texts: tuple[Text, ...]) -> tuple[str, set[str]]:
        """The terms of a field's texts (each distinct word once: the index keeps no
        positions and counts a term once per field), and their surface forms. The loops
        over words are C's (dict.fromkeys, set differences, map): millions of words."""
        by_lang: dict[str, list[str]] = {}
        for text in texts:
            lang = text.lang if text.lang in {"fi", "sv", "en"} else ""
            by_lang.setdefault(lang, []).append(text.value)
        out: list[str] = []
        surfaces: set[str] = set()
        for lang, values in by_lang.items():
            unique = dict.fromkeys(WORD.findall(" ".join(values)))
            known = self.terms[lang]
            for word in list(filterfalse(known.__contains__, unique)):
                self._learn(lang, word)
            out.append(" ".join(map(known.__getitem__, unique)))
            surfaces.update(map(self.surfaces.__getitem__, unique))
        return " ".join(out), surfaces

    def _learn(self, lang: str, word: str) -> None:
        terms = self.cache.get((lang, word))
        if terms is None:
            terms = " ".join(self.analyser.word_terms(word, lang or None))
            self.analysed += 1
        self.terms[lang][word] = terms
        if word not in self.surfaces:
            self.surfaces[word] = term_of(word)

    def used(self) -> list[tuple[str, str, str]]:
        """(lang, word, terms) of every word seen, sorted (the `word` table)."""
        return sorted((lang, w, t) for lang, found in self.terms.items() for w, t in found.items())


def _write_search(
    db: sqlite3.Connection,
    model: Model,
    analyser: Analyser,
    cache: dict[tuple[str, str], str],
) -> int:
    analyse = _Terms(analyser, cache)
    docs: Counter[str] = Counter()
    named: set[str] = set()
    rows = []
    for doc in model.docs:
        fields = []
        seen: set[str] = set()
        for number, texts in enumerate(_fields(doc)):
            terms, surfaces = analyse.field(texts)
            seen |= surfaces
            if number < 3:  # title, keywords, names
                named |= surfaces
            fields.append(terms)
        docs.update(seen)
        rows.append((doc.entity, *fields))
    db.executemany(
        "INSERT INTO search (rowid, title, keywords, names, body) VALUES (?, ?, ?, ?, ?)", rows
    )
    db.executemany(
        "INSERT INTO search_kind VALUES (?, ?)", ((d.entity, d.kind) for d in model.docs)
    )
    db.executemany(
        "INSERT INTO term VALUES (?, ?, ?)",
        ((t, n, int(t in named)) for t, n in sorted(docs.items()) if t and not t.isdigit()),
    )
    db.executemany("INSERT INTO word VALUES (?, ?, ?)", analyse.used())
    return analyse.analysed


def _fields(doc: SearchDoc) -> tuple[tuple[Text, ...], ...]:
    return (doc.title, doc.keywords, doc.names, doc.body)


# --- suggestions -------------------------------------------------------------------


def _write_suggest(db: sqlite3.Connection, model: Model) -> None:
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for facet, values in model.memberships.items():
        for value, ordinals in values.items():
            counts[(facet, value)] = len(ordinals)
    rows: set[tuple[str, int, str, str, int]] = set()
    for entity in model.entities:
        if entity.kind not in KIND_WEIGHT and entity.kind not in {
            "aspect",
            "domain",
            "phase",
            "route",
        }:
            continue
        base = KIND_WEIGHT.get(entity.kind, 1) * 100_000
        weight = base + min(counts.get((entity.kind, entity.key), 0), 99_999)
        labels = list(entity.labels)
        if entity.kind == "licence" and not labels:
            labels = [Text("", entity.key)]
        for label in labels:
            for start, norm in _word_starts(label.value):
                # a later word of the label ranks below the label's own start
                rows.add((norm, entity.id, label.lang, label.value, weight - (start > 0)))
    ordered = sorted(rows)
    db.executemany("INSERT INTO suggest VALUES (?, ?, ?, ?, ?)", ordered)
    best: dict[str, list[tuple[int, str, int]]] = defaultdict(list)
    for norm, entity_id, _lang, _label, weight in ordered:
        for length in range(1, SUGGEST_TOP_LENGTH + 1):
            if len(norm) >= length:
                best[norm[:length]].append((-weight, norm, entity_id))
    top_rows = []
    for prefix, found in sorted(best.items()):
        chosen: list[int] = []
        for _w, _n, entity_id in sorted(found):
            if entity_id not in chosen:
                chosen.append(entity_id)
            if len(chosen) == SUGGEST_LIMIT:
                break
        top_rows.append((prefix, _json(chosen)))
    db.executemany("INSERT INTO suggest_top VALUES (?, ?)", top_rows)


def _word_starts(label: str) -> list[tuple[int, str]]:
    """(offset, folded label from that word on) for every word of a label."""
    spans = [(m.start(), fold(m.group())) for m in words(label)]
    folded = [w for _, w in spans]
    return [(start, " ".join(folded[i:])) for i, (start, _) in enumerate(spans) if folded[i]]


# --- meta --------------------------------------------------------------------------


def _write_meta(db: sqlite3.Connection, model: Model, analyser: Analyser, base: str) -> None:
    kinds = Counter(e.kind for e in model.entities)
    types = Counter(c["type"] for c in model.cards)
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
