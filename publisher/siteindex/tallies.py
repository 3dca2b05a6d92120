"""Counts an incremental write keeps by difference, reading from the previous index only
the rows it touches (by primary key): the words and terms of the changed entities' texts
(tables ``word`` and ``term``) and the facet values of the changed offerings
(``facet_value``). The rows not touched stay in the previous file's copy as they are.

With ``everything`` (entities were renumbered: every row is written again) the whole
``word`` and ``term`` tables are read at once instead.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Collection, Iterable, Mapping
from typing import Any

from pyroaring import BitMap

from publisher.siteindex.model import member_of

Pair = tuple[str, str]  # (lang, word) of the word table; (facet, value) of facet_value


def keys_json(keys: Iterable[Any]) -> str:
    """Keys (ids, or tuples as arrays) as the JSON array ``json_each`` reads."""
    return json.dumps(sorted(keys), ensure_ascii=False, separators=(",", ":"))


def rows_of_pairs(
    db: sqlite3.Connection, select: str, table: str, key: Pair, pairs: Collection[Pair]
) -> sqlite3.Cursor:
    """``SELECT select FROM table`` for the rows whose two-column key is in ``pairs``."""
    return db.execute(
        f"SELECT {select} FROM {table} WHERE ({key[0]}, {key[1]}) IN"
        " (SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?))",
        (keys_json(pairs),),
    )


class WordCounts:
    """The previous index's words (analysis and entity counts) and terms (entity counts),
    as far as they were asked for; ``count`` adds or takes away one entity's."""

    def __init__(self, db: sqlite3.Connection, everything: bool) -> None:
        self.db = db
        self.words: dict[Pair, list[Any]] = {}  # (lang, word) → [terms, entities]
        self.terms: dict[str, list[int]] = {}  # surface term → [entities, entities naming it]
        self.asked: set[Pair] = set()  # words looked up (found or not)
        self.asked_terms: set[str] = set()
        self.everything = everything
        if everything:
            self.words = {
                (lang, word): [terms, docs]
                for lang, word, terms, docs in db.execute(
                    "SELECT lang, word, terms, docs FROM word"
                )
            }
            self.terms = {
                term: [docs, named]
                for term, docs, named in db.execute("SELECT term, docs, named FROM term")
            }

    def get(self, pair: Pair, default: str | None = None) -> str | None:
        """A word's analysis in the previous index (the ``Terms`` cache)."""
        self.load_words([pair])
        found = self.words.get(pair)
        return default if found is None else found[0]

    def load_words(self, pairs: Iterable[Pair]) -> None:
        if self.everything:
            return
        wanted = set(pairs) - self.asked
        if wanted:
            self.asked |= wanted
            for lang, word, terms, docs in rows_of_pairs(
                self.db, "lang, word, terms, docs", "word", ("lang", "word"), wanted
            ):
                self.words[lang, word] = [terms, docs]

    def load_terms(self, terms: Iterable[str]) -> None:
        if self.everything:
            return
        wanted = set(terms) - self.asked_terms
        if wanted:
            self.asked_terms |= wanted
            for term, docs, named in self.db.execute(
                "SELECT term, docs, named FROM term WHERE term IN (SELECT value FROM json_each(?))",
                (keys_json(wanted),),
            ):
                self.terms[term] = [docs, named]

    def count(
        self,
        known: Callable[[str, str], str],
        seen: set[str],
        named: set[str],
        pairs: set[Pair],
        sign: int,
    ) -> None:
        """Add (sign 1) or take away (-1) one entity's surface terms and words;
        ``known(lang, word)``: a word's analysis."""
        self.load_terms(seen)
        self.load_words(pairs)
        for term in seen:
            if not term or term.isdigit():
                continue
            found = self.terms.get(term)
            if found is None:
                found = self.terms[term] = [0, 0]
            found[0] += sign
            if term in named:
                found[1] += sign
        for pair in pairs:
            found_word = self.words.get(pair)
            if found_word is None:
                found_word = self.words[pair] = [known(*pair), 0]
            found_word[1] += sign


class FacetChange:
    """The facet values of the offerings taken away (their previous cards) and redone
    (their new cards): their previous bitmaps with those offerings moved, and their
    counts. Every other value's bitmap is the previous one."""

    def __init__(
        self,
        db: sqlite3.Connection,
        taken: Mapping[int, dict[str, Any]],
        old_licences: dict[str, dict[str, Any]],
        redone: Mapping[int, dict[str, Any]],
        new_licences: dict[str, dict[str, Any]],
    ) -> None:
        values: set[Pair] = set()
        for cards, licences in ((taken, old_licences), (redone, new_licences)):
            for card in cards.values():
                for facet, found in member_of(card, licences).items():
                    values.update((facet, value) for value in found)
        before: dict[Pair, int] = {}
        members: dict[Pair, BitMap] = {key: BitMap() for key in values}
        drop = BitMap(taken)
        for facet, value, count, blob in rows_of_pairs(
            db, "facet, value, count, members", "facet_value", ("facet", "value"), values
        ):
            before[facet, value] = count
            members[facet, value] = BitMap.deserialize(blob) - drop
        for number, card in redone.items():
            for facet, found in member_of(card, new_licences).items():
                for value in found:
                    members[facet, value].add(number)
        self.values = values  # the facet_value rows to write again (or drop)
        self.counts = {key: len(bitmap) for key, bitmap in members.items()}
        self.moved = {key for key in values if self.counts[key] != before.get(key, 0)}
        self.memberships: dict[str, dict[str, BitMap]] = {}
        for (facet, value), bitmap in sorted(members.items()):
            if bitmap:
                self.memberships.setdefault(facet, {})[value] = bitmap


def facet_counts(db: sqlite3.Connection, keys: Collection[Pair]) -> dict[Pair, int]:
    """The offering counts of facet values (the previous index's)."""
    return {
        (facet, value): count
        for facet, value, count in rows_of_pairs(
            db, "facet, value, count", "facet_value", ("facet", "value"), keys
        )
    }
