"""The web processes' ledger (publisher.catalog.ledgerfile): the same mapping as
``Publication.ledger`` (entries, their order, their summaries), whether the file is written
one entry a line by the build or otherwise."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from publisher.catalog.changes import first_published, modified, removals
from publisher.catalog.ledgerfile import LedgerFile, Summary, summaries, summary
from publisher.ledger import write_ledger

BASE = "http://localhost:8080/id/"
LEDGER = {
    BASE + "offering/b": {
        "kind": "offering",
        "key": "b",
        "label": {"fi": 'Bee "lainaus" \\ ":{', "en": "Bee"},
        "hash": "ab" * 32,
        "first_published": "2026-01-10T00:00:00+00:00",
        "modified": "2026-06-01T00:00:00+00:00",
        "removed": None,
        "replaced_by": None,
        "renamed_to": None,
    },
    BASE + "offering/a-ä": {
        "kind": "offering",
        "key": "a-ä",
        "label": {"fi": "Ää"},
        "hash": "cd" * 32,
        "first_published": "2026-01-10T00:00:00+00:00",
        "modified": None,
        "removed": "2026-07-01T00:00:00+00:00",
        "replaced_by": BASE + "offering/b",
        "renamed_to": None,
    },
    BASE + "supplier/s": {
        "kind": "supplier",
        "key": "s",
        "label": {"fi": "S"},
        "hash": "ef" * 32,
        "first_published": "2026-01-10T00:00:00+00:00",
        "modified": "2026-01-10T00:00:00+00:00",
        "removed": None,
        "replaced_by": None,
        "renamed_to": None,
    },
}


def _same_as_dicts(found: LedgerFile, expected: dict) -> None:
    assert list(found) == list(expected)
    assert len(found) == len(expected)
    assert dict(found.items()) == expected
    for iri, entry in expected.items():
        assert iri in found
        assert found[iri] == entry
        assert summary(found, iri) == summary(expected, iri)
        assert modified(found, iri) == modified(expected, iri)
        assert first_published(found, iri) == first_published(expected, iri)
    assert list(summaries(found)) == list(summaries(expected))
    assert removals(found, "offering") == removals(expected, "offering")
    assert "http://localhost:8080/id/offering/none" not in found
    assert found.get("http://localhost:8080/id/offering/none") is None
    with pytest.raises(KeyError):
        found["http://localhost:8080/id/offering/none"]


def test_a_ledger_written_by_the_build_reads_as_its_dicts(tmp_path: Path) -> None:
    path = tmp_path / "ledger.json"
    write_ledger(path, LEDGER)  # type: ignore[arg-type]
    found = LedgerFile(path)
    assert found._whole is None  # read line by line, entries not held
    _same_as_dicts(found, json.loads(path.read_text(encoding="utf-8")))
    assert summary(found, BASE + "offering/a-ä") == Summary(
        "offering", "2026-01-10T00:00:00+00:00", None, "2026-07-01T00:00:00+00:00"
    )


@pytest.mark.parametrize(
    "text",
    [json.dumps(LEDGER, indent=2), json.dumps(LEDGER), "{}\n", "{}", ""],
    ids=["indented", "one-line", "empty", "empty-no-newline", "no-bytes"],
)
def test_a_ledger_written_otherwise_is_read_whole(tmp_path: Path, text: str) -> None:
    path = tmp_path / "ledger.json"
    path.write_text(text, encoding="utf-8")
    if not text:
        with pytest.raises(ValueError):
            LedgerFile(path)  # as Publication.ledger: an empty file is not JSON
        return
    _same_as_dicts(LedgerFile(path), json.loads(text))


def test_no_ledger_is_an_empty_one(tmp_path: Path) -> None:
    found = LedgerFile(tmp_path / "ledger.json")
    assert len(found) == 0 and list(summaries(found)) == []
