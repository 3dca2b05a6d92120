"""The full-text index's canonical form (publisher.siteindex.fulltext): one segment, id 1,
whichever way it was written; a sound FTS5 index (SQLite's own integrity check); an
in-place update of a copy ends in the bytes of an index built from nothing."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from publisher.publication import Publication
from publisher.siteindex import fulltext, index_path
from publisher.siteindex.schema import TABLES


def full_text_tables() -> str:
    """The two tables of the full-text index as the site index declares them
    (``schema.TABLES``), for a database that has nothing else."""
    scratch = sqlite3.connect(":memory:")
    scratch.executescript(TABLES)
    statements = scratch.execute(
        "SELECT sql FROM sqlite_master WHERE name IN ('search_text', 'search') "
        "ORDER BY name = 'search'"  # the content table first
    ).fetchall()
    scratch.close()
    assert len(statements) == 2, statements
    return ";\n".join(sql for (sql,) in statements) + ";"


SCHEMA = full_text_tables()


def writable_copy(publication: Publication, tmp_path: Path) -> sqlite3.Connection:
    copy = tmp_path / "index.sqlite"
    shutil.copyfile(index_path(publication.path), copy)
    return sqlite3.connect(copy, isolation_level=None)


def test_the_built_index_is_canonical_and_sound(publication: Publication, tmp_path: Path) -> None:
    db = writable_copy(publication, tmp_path)
    assert fulltext.reusable(db)
    found = fulltext.structure(db)
    assert [s.segid for s in found.segments] == [1]
    assert fulltext.encode(found) == bytes(
        db.execute("SELECT block FROM search_data WHERE id = 10").fetchone()[0]
    )
    # SQLite's own check of the index against its content table (raises if unsound)
    db.execute("INSERT INTO search(search, rank) VALUES ('integrity-check', 1)")
    hits = db.execute("SELECT count(*) FROM search WHERE search MATCH 'kartta'").fetchone()[0]
    assert (
        hits
        == db.execute(
            "SELECT count(*) FROM search_text WHERE ' ' || title || ' ' || keywords || ' '"
            " || names || ' ' || body || ' ' LIKE '% kartta %'"
        ).fetchone()[0]
    )


def documents(count: int) -> list[tuple[int, str, str, str, str]]:
    words = [f"sana{n}" for n in range(500)]
    return [
        (
            n,
            " ".join(words[(n * 7 + k) % 500] for k in range(3)),
            " ".join(words[(n * 11 + k) % 500] for k in range(4)),
            words[n % 17],
            " ".join(words[(n * 13 + k * 5) % 500] for k in range(40)),
        )
        for n in range(1, count + 1)
    ]


def cold(rows: list[tuple[int, str, str, str, str]], hashsize: int | None) -> sqlite3.Connection:
    db = sqlite3.connect(":memory:", isolation_level=None)
    db.executescript(SCHEMA)
    if hashsize:  # FTS5 flushes its in-memory hash at this many bytes (default 1 MB)
        db.execute("INSERT INTO search(search, rank) VALUES ('hashsize', ?)", (hashsize,))
    db.executemany("INSERT INTO search_text VALUES (?, ?, ?, ?, ?)", rows)
    fulltext.build(db)
    return db


def content(db: sqlite3.Connection) -> list[object]:
    return [
        db.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
        for table in ("search_data", "search_idx", "search_docsize", "search_config")
    ]


@pytest.mark.parametrize(("count", "hashsize"), [(1, None), (4000, None), (4000, 20_000)])
def test_an_update_in_place_ends_as_a_cold_build(count: int, hashsize: int | None) -> None:
    """Built in one flush (4,000 rows: 142 pages, laid out unlike a merge's, so the cold
    build merges too) or in many (a small hash: a dozen flushes, as 30,000 offerings
    give) alike: the changed rows forgotten and indexed again, merged, give the rows of
    the index built from nothing."""
    before = documents(count)
    after = list(before)
    changed = [0] if count == 1 else [0, count // 2, count - 1]
    for i in changed:
        n, title, keywords, names, body = after[i]
        after[i] = (n, title + " uusi", keywords, names, "toinen " + body)
    updated = cold(before, hashsize)
    assert hashsize or fulltext.reusable(updated)
    assert len(fulltext.structure(updated).segments) == 1
    ids = "[" + ",".join(str(after[i][0]) for i in changed) + "]"
    updated.execute("BEGIN")
    fulltext.forget(updated, ids)
    for i in changed:
        updated.execute("DELETE FROM search_text WHERE entity = ?", (after[i][0],))
        updated.execute("INSERT INTO search_text VALUES (?, ?, ?, ?, ?)", after[i])
    fulltext.index(updated, ids)
    updated.execute("COMMIT")
    fulltext.merge(updated, indexed=True)
    assert content(updated) == content(cold(after, hashsize))
    updated.execute("INSERT INTO search(search, rank) VALUES ('integrity-check', 1)")


def test_a_structure_record_round_trips_and_strangers_are_refused() -> None:
    record = fulltext.Structure(b"\0\0\0\2", 0, ((0, ()), (0, (fulltext.Segment(13, 1, 2738),))))
    assert fulltext.decode(fulltext.encode(record)) == record
    assert fulltext.encode(record).hex() == "00000002020100000000010d019532"
    with pytest.raises(ValueError):
        fulltext.decode(fulltext.encode(record) + b"\1")
    with pytest.raises(ValueError):
        fulltext.decode(b"\0\0\0\2\2")


def test_an_index_not_in_canonical_form_is_not_reused() -> None:
    db = sqlite3.connect(":memory:", isolation_level=None)
    db.executescript(SCHEMA)
    db.executemany("INSERT INTO search_text VALUES (?, ?, ?, ?, ?)", documents(40))
    db.execute("INSERT INTO search(search, rank) VALUES ('rank', ?)", (fulltext.RANK,))
    db.execute("INSERT INTO search(search, rank) VALUES ('automerge', 0)")
    for half in ("entity <= 20", "entity > 20"):  # two segments, never merged
        db.execute(
            f"INSERT INTO search(rowid, title, keywords, names, body) "
            f"SELECT * FROM search_text WHERE {half}"
        )
    assert not fulltext.reusable(db)
    fulltext.merge(db, indexed=False)
    assert fulltext.reusable(db)
