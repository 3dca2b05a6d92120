"""A publication's ledger (``ledger.json``) as the web processes read it.

``Publication.ledger`` decodes the whole file into Python dicts: at 30,000 offerings that is
~45 MB in every web process that ever asks a document's last modification. A ``LedgerFile``
is the same mapping (IRI → entry dict, in the file's order) without holding the entries: the
file is mapped into memory (its pages are the system's page cache, shared by every web
process), an entry is decoded from its line when asked for, and what pages ask of every
entry (kind, first published, modified, removed) is kept as a small tuple of shared strings
(~6 MB in all at 30,000 offerings).

The build writes the file one entry a line (``publisher.ledger.write_ledger``); a file
written otherwise is read whole, as ``Publication.ledger`` reads it.
"""

from __future__ import annotations

import json
import mmap
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from publisher.publication import LEDGER, Publication


class Summary(NamedTuple):
    """What pages ask of every entry, without the entry."""

    kind: str | None
    first_published: str | None
    modified: str | None
    removed: str | None


class LedgerFile(Mapping[str, dict[str, Any]]):
    def __init__(self, path: Path) -> None:
        self.path = path
        self._map: mmap.mmap | None = None
        self._whole: dict[str, dict[str, Any]] | None = None
        # IRI → start << 32 | end of the entry's JSON object in the file, and its summary
        # (one object for each distinct summary: the entries of one build share them)
        self._where: dict[str, int] = {}
        self._summaries: dict[str, Summary] = {}
        try:
            with path.open("rb") as file:
                self._map = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):  # missing, or empty (mmap cannot map 0 bytes)
            self._whole = _read_whole(path)
        if self._map is not None and not self._index(self._map):
            self._where, self._summaries = {}, {}
            self._whole = _read_whole(path)
        if self._whole is not None:
            self._summaries = {iri: _summary(entry) for iri, entry in self._whole.items()}

    def _index(self, data: mmap.mmap) -> bool:
        """Read every line's place and summary; False when the file is not written one
        entry a line."""
        size = len(data)
        if data[:2] != b"{\n":
            return data[:3] == b"{}\n" and size == 3
        shared: dict[Summary, Summary] = {}
        start = 2
        while start < size:
            end = data.find(b"\n", start)
            if end < 0:
                return False
            if data[start:end] == b"}":
                return end + 1 == size
            line_end = end - 1 if data[end - 1 : end] == b"," else end
            split = data.find(b'":{', start, line_end)
            if split < 0:
                return False
            try:
                iri = json.loads(data[start : split + 1])
                entry = json.loads(data[split + 2 : line_end])
            except ValueError:
                return False
            if not isinstance(iri, str) or not isinstance(entry, dict):
                return False
            self._where[iri] = (split + 2) << 32 | line_end
            brief = _summary(entry)
            try:
                brief = shared.setdefault(brief, brief)
            except TypeError:  # a value that is not a string (kept as it is)
                pass
            self._summaries[iri] = brief
            start = end + 1
        return False

    # --- the mapping -----------------------------------------------------------------

    def __getitem__(self, iri: str) -> dict[str, Any]:
        if self._whole is not None:
            return self._whole[iri]
        where = self._where[iri]
        assert self._map is not None
        entry: dict[str, Any] = json.loads(self._map[where >> 32 : where & 0xFFFFFFFF])
        return entry

    def __contains__(self, iri: object) -> bool:
        return iri in self._summaries

    def __iter__(self) -> Iterator[str]:
        return iter(self._summaries)

    def __len__(self) -> int:
        return len(self._summaries)

    # --- without decoding entries ----------------------------------------------------

    def summary(self, iri: str) -> Summary | None:
        return self._summaries.get(iri)

    def summaries(self) -> Iterator[tuple[str, Summary]]:
        return iter(self._summaries.items())


def summary(ledger: Mapping[str, dict[str, Any]], iri: str) -> Summary | None:
    """The summary of ``iri``'s entry in any ledger mapping (a ``LedgerFile`` or dicts)."""
    if isinstance(ledger, LedgerFile):
        return ledger.summary(iri)
    entry = ledger.get(iri)
    return _summary(entry) if entry is not None else None


def summaries(ledger: Mapping[str, dict[str, Any]]) -> Iterator[tuple[str, Summary]]:
    """Every entry's summary, in the ledger's order."""
    if isinstance(ledger, LedgerFile):
        return ledger.summaries()
    return ((iri, _summary(entry)) for iri, entry in ledger.items())


_LOCK = threading.Lock()
_OPEN: dict[Path, LedgerFile] = {}  # the ledgers of the last publications asked for


def ledger_of(publication: Publication) -> LedgerFile:
    """The ledger of ``publication``, read once per process (the two latest are kept: the
    one being served and the one before a switch)."""
    path = publication.path / LEDGER
    with _LOCK:
        found = _OPEN.get(path)
        if found is None:
            found = LedgerFile(path)
            _OPEN[path] = found
            while len(_OPEN) > 2:
                del _OPEN[next(iter(_OPEN))]
        return found


def _read_whole(path: Path) -> dict[str, dict[str, Any]]:
    if not path.exists():
        return {}
    found: dict[str, dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    return found


def _summary(entry: dict[str, Any]) -> Summary:
    return Summary(*(entry.get(name) for name in Summary._fields))
