"""Ranked full-text search over a site index (SQLite FTS5), with morphology and typos.

A query runs in stages, each only when the one before found nothing:

1. every word must match (AND), each by any of its forms (its surface, Finnish base
   forms, Swedish and English stems: ``kartat`` → kartta);
2. a word the index does not know is replaced by its compound parts (all of them:
   ``karttapalvelut`` → kartta + palvelu), by a prefix (``kart*``), or by the nearest
   known word within one or two edits (``oskri`` → oskari: "did you mean");
3. with several words and still nothing, any word may match (OR).

Ranking is FTS5's BM25 with the fields weighted title 10, keywords 5, names (supplier,
components, licence) 3, body 1.
"""

from __future__ import annotations

import sqlite3
import threading
from array import array
from collections import OrderedDict
from dataclasses import dataclass, field

from rapidfuzz import process
from rapidfuzz.distance import OSA

from publisher.search.analysis import Analyser, QueryWord, query_words

WEIGHTS = (10.0, 5.0, 3.0, 1.0)  # title, keywords, names, body: the index's rank function
RANK = f"bm25({', '.join(str(w) for w in WEIGHTS)})"
MIN_PREFIX = 3


@dataclass(frozen=True)
class Hit:
    entity: int
    kind: str
    score: float  # BM25, lower is better (FTS5's sign)


@dataclass
class Outcome:
    """How a query was understood: the FTS5 expression that found something (or the
    last one tried), and what the page says about it."""

    query: str
    words: list[QueryWord] = field(default_factory=list)
    match: str | None = None  # the FTS5 MATCH expression run
    found: bool = False
    corrected: str | None = None  # "did you mean": the query as it was run, if changed
    any_word: bool = False  # stage 3: not every word matched
    terms: frozenset[str] = frozenset()  # every term that counted as a match (highlighting)


@dataclass(frozen=True)
class _Vocabulary:
    terms: list[str]
    docs: list[int]
    named: list[bool]
    by_term: dict[str, int]


class SearchEngine:
    """Searches one index file. Thread-safe: give each thread its own connection.

    ``plan`` finds the expression to run (cheap: existence checks only); ``ranked`` gives
    every match in rank order, cached per expression (a list of 12,000 matches costs
    SQLite about 20 ms to rank; the next page or facet choice then costs nothing)."""

    def __init__(self, analyser: Analyser, cache_size: int = 256) -> None:
        self.analyser = analyser
        self._vocabulary: _Vocabulary | None = None
        self._lock = threading.Lock()
        self._ranked: OrderedDict[str, array[int]] = OrderedDict()
        self._cache_size = cache_size

    # --- the public calls -----------------------------------------------------------

    def plan(self, db: sqlite3.Connection, query: str) -> Outcome:
        words = query_words(self.analyser, query)
        outcome = Outcome(query=query, words=words)
        if not words:
            return outcome
        groups = [list(w.terms) for w in words]
        match = _all_of(groups)
        found = self._exists(db, match)
        if not found:
            groups, corrected = self._relax(db, words)
            outcome.corrected = corrected
            match = _all_of(groups)
            found = self._exists(db, match)
            if not found and len(groups) > 1:
                match = _any_of(groups)
                found = self._exists(db, match)
                outcome.any_word = found
        outcome.match = match
        outcome.found = found
        outcome.terms = frozenset(t.rstrip("*") for g in groups for t in g for t in t.split())
        return outcome

    def ranked(self, db: sqlite3.Connection, match: str) -> array[int]:
        """Every entity id matching ``match``, best first (cached)."""
        with self._lock:
            found = self._ranked.get(match)
            if found is not None:
                self._ranked.move_to_end(match)
                return found
        rows = db.execute(
            "SELECT rowid FROM search WHERE search MATCH ? ORDER BY rank, rowid", (match,)
        )
        found = array("I", (r[0] for r in rows))
        with self._lock:
            self._ranked[match] = found
            while len(self._ranked) > self._cache_size:
                self._ranked.popitem(last=False)
        return found

    def scored(self, db: sqlite3.Connection, match: str, limit: int) -> list[tuple[int, float]]:
        """The best ``limit`` matches with their BM25 scores (lower is better)."""
        rows = db.execute(
            "SELECT rowid, rank FROM search WHERE search MATCH ? ORDER BY rank, rowid LIMIT ?",
            (match, limit),
        )
        return [(int(r[0]), float(r[1])) for r in rows]

    def search(self, db: sqlite3.Connection, query: str, limit: int = 100) -> list[Hit]:
        """The best matches of a query, every kind (kinds from the index)."""
        outcome = self.plan(db, query)
        if not outcome.found or outcome.match is None:
            return []
        scored = self.scored(db, outcome.match, limit)
        if not scored:
            return []
        marks = ", ".join("?" for _ in scored)
        kinds = dict(
            db.execute(
                f"SELECT entity, kind FROM search_kind WHERE entity IN ({marks})",
                [e for e, _ in scored],
            )
        )
        return [Hit(e, kinds.get(e, ""), score) for e, score in scored]

    # --- stages ---------------------------------------------------------------------

    def _relax(
        self, db: sqlite3.Connection, words: list[QueryWord]
    ) -> tuple[list[list[str]], str | None]:
        """Each word the index does not know, replaced (parts, prefix, nearest word)."""
        known = self._known(db, {t for w in words for t in (*w.terms, *w.parts)})
        groups: list[list[str]] = []
        shown: list[str] = []
        changed = False
        for word in words:
            if any(t in known for t in word.terms):
                groups.append(list(word.terms))
                shown.append(word.text)
            elif word.parts and all(p in known for p in word.parts):
                groups.append([" ".join(word.parts)])  # all parts: a phrase-free AND
                shown.append(word.text)
            elif len(word.surface) >= MIN_PREFIX and self._prefix_known(db, word.surface):
                groups.append([f"{word.surface}*"])
                shown.append(word.text)
            else:
                nearest = self.nearest(db, word.surface)
                if nearest is None:
                    groups.append(list(word.terms))
                    shown.append(word.text)
                else:
                    nearest_words = query_words(self.analyser, nearest)
                    groups.append(list(nearest_words[0].terms) if nearest_words else [nearest])
                    shown.append(nearest)
                    changed = True
        return groups, (" ".join(shown) if changed else None)

    def nearest(self, db: sqlite3.Connection, surface: str) -> str | None:
        """The known word nearest to ``surface`` (optimal string alignment distance: one
        edit for words up to 4 letters, two for longer; a swap of neighbours is one
        edit), preferring words of titles and names, then the more common."""
        vocabulary = self._load_vocabulary(db)
        limit = 1 if len(surface) <= 4 else 2
        found = process.extract(
            surface, vocabulary.terms, scorer=OSA.distance, score_cutoff=limit, limit=50
        )
        if not found:
            return None
        best = min(
            found,
            key=lambda m: (
                m[1],
                not vocabulary.named[m[2]],
                -vocabulary.docs[m[2]],
                m[0],
            ),
        )
        return str(best[0])

    # --- SQL --------------------------------------------------------------------------

    def _exists(self, db: sqlite3.Connection, match: str) -> bool:
        return (
            db.execute("SELECT 1 FROM search WHERE search MATCH ? LIMIT 1", (match,)).fetchone()
            is not None
        )

    def _known(self, db: sqlite3.Connection, terms: set[str]) -> set[str]:
        if not terms:
            return set()
        _vocab_table(db)
        marks = ", ".join("?" for _ in terms)
        rows = db.execute(f"SELECT term FROM temp.search_vocab WHERE term IN ({marks})", [*terms])
        return {term for (term,) in rows}

    def _prefix_known(self, db: sqlite3.Connection, prefix: str) -> bool:
        _vocab_table(db)
        row = db.execute(
            "SELECT 1 FROM temp.search_vocab WHERE term >= ? AND term < ? LIMIT 1",
            (prefix, prefix + "\U0010ffff"),
        ).fetchone()
        return row is not None

    def _load_vocabulary(self, db: sqlite3.Connection) -> _Vocabulary:
        with self._lock:
            if self._vocabulary is None:
                rows = db.execute("SELECT term, docs, named FROM term ORDER BY term").fetchall()
                self._vocabulary = _Vocabulary(
                    terms=[r[0] for r in rows],
                    docs=[r[1] for r in rows],
                    named=[bool(r[2]) for r in rows],
                    by_term={r[0]: i for i, r in enumerate(rows)},
                )
            return self._vocabulary


def _vocab_table(db: sqlite3.Connection) -> None:
    """FTS5's own term list, as a table of this connection (temp: the file is read-only)."""
    db.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_vocab USING fts5vocab(main, search, row)"
    )


def _quote(term: str) -> str:
    """One term as an FTS5 string (terms are letters and digits; quotes are doubled
    anyway); a trailing ``*`` stays a prefix query."""
    if term.endswith("*"):
        return '"' + term[:-1].replace('"', '""') + '"*'
    return '"' + term.replace('"', '""') + '"'


def _group(terms: list[str]) -> str:
    """Any of the forms of one word; a form of several terms needs all of them."""
    options = []
    for form in terms:
        parts = form.split()
        options.append(
            " AND ".join(_quote(p) for p in parts) if len(parts) > 1 else _quote(parts[0])
        )
    return "(" + " OR ".join(f"({o})" if " AND " in o else o for o in options) + ")"


def _all_of(groups: list[list[str]]) -> str:
    return " AND ".join(_group(g) for g in groups)


def _any_of(groups: list[list[str]]) -> str:
    return " OR ".join(_group(g) for g in groups)
