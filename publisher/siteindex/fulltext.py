"""The site index's full-text index (the FTS5 table ``search`` over ``search_text``) in
one canonical form, so that an index updated in place ends in the same bytes as one
built from nothing.

An FTS5 index is a set of segments. What SQLite writes when it flushes new rows and what
it writes when it merges segments are laid out differently, and a merge's output is
numbered (segment id) and placed (level) by the history of the index. A merge of every
segment into one is, however, laid out by its content only. So both ways end the same:

* from nothing: every row indexed, then (if that flushed a single segment) one row indexed
  again, so that there are two segments, then every segment merged into one (``optimize``);
* in place (the previous index's copy): the rows of the changed entities deleted and
  indexed again (a second segment), then the same merge;

and then ``canonical`` gives the one segment id 1 on level 0 and writes the structure
record anew (the history counters zeroed). Readers see an ordinary FTS5 index.

The structure record is FTS5's own (``fts5_index.c``: a 4-byte cookie, then varints:
levels, segments, write counter, and per level its merge count, segment count and per
segment id, first and last page). ``reusable`` checks that a previous index is in this
form before an in-place update starts from it.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from publisher.search.engine import RANK

STRUCTURE_ROWID = 10  # FTS5_STRUCTURE_ROWID
SEGMENT_SHIFT = 37  # a data row's id: segment id << 37, then dlidx flag, height, page
COLUMNS = "title, keywords, names, body"
# What ``build`` writes into search_config (an in-place update keeps it; a change of it
# would change the cookie, so a previous index with another one is not reused).
CONFIG = {"automerge": 0, "rank": RANK, "version": 4}


@dataclass(frozen=True)
class Segment:
    segid: int
    first: int
    last: int


@dataclass(frozen=True)
class Structure:
    cookie: bytes
    write_counter: int
    levels: tuple[tuple[int, tuple[Segment, ...]], ...]  # (merging, segments) per level

    @property
    def segments(self) -> list[Segment]:
        return [s for _merging, segments in self.levels for s in segments]


def build(db: sqlite3.Connection) -> None:
    """Index every row of search_text (an empty index, in a fresh file), in the canonical
    form. Outside a transaction: each step is one."""
    db.execute("INSERT INTO search(search, rank) VALUES ('rank', ?)", (RANK,))
    # No merging while the rows go in (twice as fast), one merge after.
    db.execute("INSERT INTO search(search, rank) VALUES ('automerge', 0)")
    db.execute("INSERT INTO search(search) VALUES ('rebuild')")
    merge(db, indexed=True)


def forget(db: sqlite3.Connection, entities: str) -> int:
    """Take the rows of ``entities`` (a JSON array of ids) out of the index, with the
    values they were indexed with (still in search_text: delete those rows after)."""
    cursor = db.execute(
        f"INSERT INTO search(search, rowid, {COLUMNS}) SELECT 'delete', entity, {COLUMNS}"
        " FROM search_text WHERE entity IN (SELECT value FROM json_each(?))",
        (entities,),
    )
    return cursor.rowcount


def index(db: sqlite3.Connection, entities: str) -> int:
    """Index the search_text rows of ``entities`` (a JSON array of ids)."""
    cursor = db.execute(
        f"INSERT INTO search(rowid, {COLUMNS}) SELECT entity, {COLUMNS}"
        " FROM search_text WHERE entity IN (SELECT value FROM json_each(?))",
        (entities,),
    )
    return cursor.rowcount


def merge(db: sqlite3.Connection, *, indexed: bool) -> None:
    """Merge every segment into one (``indexed``: rows were indexed since the index was
    last canonical), then make it canonical. Outside a transaction."""
    if indexed and len(structure(db).segments) == 1:
        # one flush only: its layout is not a merge's; index one row again for a second
        # segment, so that what follows is a merge like any other
        first = db.execute("SELECT min(entity) FROM search_text").fetchone()[0]
        if first is not None:
            ids = f"[{int(first)}]"
            forget(db, ids)
            index(db, ids)
    if len(structure(db).segments) > 1:
        db.execute("INSERT INTO search(search) VALUES ('optimize')")
    canonical(db)


def canonical(db: sqlite3.Connection) -> None:
    """Give the one segment id 1 on level 0 and zero the write counter."""
    found = structure(db)
    segments = found.segments
    if not segments:
        return
    if len(segments) != 1:
        raise ValueError(f"full-text index has {len(segments)} segments, not one")
    (segment,) = segments
    if segment.segid != 1:
        shift = (segment.segid - 1) << SEGMENT_SHIFT
        low, high = segment.segid << SEGMENT_SHIFT, (segment.segid + 1) << SEGMENT_SHIFT
        db.execute("BEGIN")
        db.execute(
            "UPDATE search_data SET id = id - ? WHERE id >= ? AND id < ?", (shift, low, high)
        )
        db.execute("UPDATE search_idx SET segid = 1 WHERE segid = ?", (segment.segid,))
        db.execute("COMMIT")
    record = Structure(found.cookie, 0, ((0, (Segment(1, segment.first, segment.last),)),))
    db.execute("UPDATE search_data SET block = ? WHERE id = ?", (encode(record), STRUCTURE_ROWID))


def reusable(db: sqlite3.Connection, schema: str = "main") -> bool:
    """Is ``schema``'s full-text index in the canonical form (as ``build``/``merge``
    leave it), with this code's configuration?"""
    try:
        config = dict(db.execute(f"SELECT k, v FROM {schema}.search_config"))
        found = structure(db, schema)
    except (sqlite3.Error, ValueError, IndexError):
        return False
    if config != CONFIG or found.write_counter != 0:
        return False
    if not found.levels:
        return True
    if len(found.levels) != 1:
        return False
    merging, segments = found.levels[0]
    return merging == 0 and [s.segid for s in segments] == [1]


def structure(db: sqlite3.Connection, schema: str = "main") -> Structure:
    row = db.execute(
        f"SELECT block FROM {schema}.search_data WHERE id = ?", (STRUCTURE_ROWID,)
    ).fetchone()
    if row is None:
        raise ValueError("full-text index has no structure record")
    return decode(bytes(row[0]))


def decode(data: bytes) -> Structure:
    """FTS5's structure record (fts5StructureDecode); ValueError if it is not one."""
    reader = _Varints(data, 4)
    levels_count, segments_count, write_counter = reader.next(), reader.next(), reader.next()
    levels = []
    for _level in range(levels_count):
        merging, count = reader.next(), reader.next()
        segments = tuple(Segment(reader.next(), reader.next(), reader.next()) for _ in range(count))
        levels.append((merging, segments))
    if reader.offset != len(data) or sum(len(s) for _m, s in levels) != segments_count:
        raise ValueError("not an FTS5 structure record this code knows")
    return Structure(data[:4], write_counter, tuple(levels))


def encode(record: Structure) -> bytes:
    out = bytearray(record.cookie)
    out += _varint(len(record.levels))
    out += _varint(len(record.segments))
    out += _varint(record.write_counter)
    for merging, segments in record.levels:
        out += _varint(merging) + _varint(len(segments))
        for s in segments:
            out += _varint(s.segid) + _varint(s.first) + _varint(s.last)
    return bytes(out)


class _Varints:
    """SQLite's varints (sqlite3Fts5GetVarint): 7 bits a byte, big end first, high bit
    set on all but the last; a ninth byte gives all its 8 bits."""

    def __init__(self, data: bytes, offset: int) -> None:
        if len(data) < offset:
            raise ValueError("structure record too short")
        self.data, self.offset = data, offset

    def next(self) -> int:
        value = 0
        for i in range(9):
            if self.offset >= len(self.data):
                raise ValueError("structure record ends inside a varint")
            byte = self.data[self.offset]
            self.offset += 1
            if i == 8:
                return (value << 8) | byte
            value = (value << 7) | (byte & 0x7F)
            if not byte & 0x80:
                return value
        raise AssertionError("unreachable")  # pragma: no cover


def _varint(value: int) -> bytes:
    if value < 0 or value >= 1 << 56:  # FTS5's structure values are far smaller
        raise ValueError(f"varint out of range: {value}")
    groups = [value & 0x7F]
    value >>= 7
    while value:
        groups.append((value & 0x7F) | 0x80)
        value >>= 7
    return bytes(reversed(groups))
