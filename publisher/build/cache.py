"""What a build reuses from the previous publication, and the keys that make it safe.

Each publication carries its own cache (``<publication>/cache/``):

* ``units.pickle`` — every source file's unit (the ids of its records, its problems, the
  ledger facts of what it describes, the licences it uses), in one file of plain tuples
  (``pack_unit``: one read and no class instances to unpickle, where a file per unit cost
  ~1 s at 30,000 offerings), each keyed by ``unit_key``: a hash
  of the file's name and bytes and of every input that checking and mapping it depend on
  (``inputs_key``: the code version, the base URI, the SHACL engine, the source limits,
  the shapes, the vocabulary files and the licences file). A file whose key is in the
  previous publication's cache is not read, mapped or validated again.
* ``records/<key>.pickle`` — the file's records (``ReadResult``), loaded only when asked for
  (build artefacts, ``Checked.catalogue``): a build of 30,000 offerings never holds them all.
* ``context-<key>.pickle`` — the rule problems of the vocabulary and the licences themselves
  (``Workbench.context_problems``), keyed by ``inputs_key`` and the licences used.
* ``store.json`` — how many quads the store holds (an edit build counts the difference).
* ``dumps.json`` — where each chunk of the dumps is (``publisher.build.dumps``); a file's
  chunk has the file's unit key, so a reused unit's triples are copied from the previous
  dumps, never serialised again.

Reused entries are hard links to the previous publication's files (no copy), so pruning an
old publication never takes a newer one's cache with it. A key covers everything a result
depends on, so a reused result is the result a cold build would compute, byte for byte
(tests/test_build_incremental.py compares the two).
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from publisher.build.dumps import ChunkIndex
from publisher.build.units import FileUnit, Inputs, load_records, stable_pickle
from publisher.ledger import SubjectFacts
from publisher.problems import Problem
from publisher.sources import Offering, ReadResult, Supplier

CACHE_DIR = "cache"
UNITS_PACK = "units.pickle"
RECORDS_DIR = "records"
CHUNK_INDEX = "dumps.json"
STORE_COUNT = "store.json"
T = TypeVar("T")


def inputs_key(inputs: Inputs, code_version: str, files: Iterable[Path]) -> str:
    """A hash of what every unit depends on besides its own file."""
    digest = hashlib.sha256()
    parts = (
        code_version,
        inputs.base_uri,
        inputs.engine,
        str(inputs.data_dir),
        repr(inputs.limits),
    )
    for part in parts:
        digest.update(part.encode() + b"\0")
    for path in files:
        digest.update(str(path).encode() + b"\0")
        digest.update(path.read_bytes() if path.is_file() else b"<none>")
        digest.update(b"\0")
    return digest.hexdigest()


def unit_key(inputs_digest: str, name: str, content: bytes) -> str:
    digest = hashlib.sha256(inputs_digest.encode() + b"\0" + name.encode() + b"\0")
    digest.update(content)
    return digest.hexdigest()[:40]


class UnitCache:
    """The previous publication's units (to read) and this build's (to write)."""

    def __init__(self, previous_dir: Path | None, staging_dir: Path | None) -> None:
        self._previous = previous_dir / CACHE_DIR if previous_dir else None
        self._target = staging_dir / CACHE_DIR if staging_dir else None
        self.chunks = ChunkIndex.load(self._previous / CHUNK_INDEX) if self._previous else None
        self._packed = _load_pack(self._previous / UNITS_PACK) if self._previous else {}
        self._reused: dict[str, Packed] = {}  # key → the packed form of a reused unit
        if self._target is not None:
            (self._target / RECORDS_DIR).mkdir(parents=True, exist_ok=True)

    @property
    def records_dir(self) -> Path | None:
        """Where this build's records go (None when it keeps no cache)."""
        return self._target / RECORDS_DIR if self._target else None

    def get(self, key: str) -> FileUnit | None:
        """The previous build's unit of this key, if it has one, its records and its dump
        chunk."""
        if self._previous is None or self.chunks is None or key not in self.chunks.triples:
            return None
        packed = self._packed.get(key)
        if packed is None:
            return None
        records_file = self._previous / RECORDS_DIR / f"{key}.pickle"
        if self._target is not None:
            try:
                _link(records_file, self._target / RECORDS_DIR / records_file.name)
            except FileNotFoundError:
                return None
        elif not records_file.is_file():
            return None
        self._reused[key] = packed
        return unpack_unit(packed)

    def remember(self, name: str, key: str, compute: Callable[[], T]) -> T:
        """``compute()``, or what the previous publication's cache kept of it under the same
        ``key`` (a hash of everything it depends on); kept in this build's cache too."""
        file = f"{name}-{key}.pickle"
        if self._previous is not None:
            try:
                data = (self._previous / file).read_bytes()
            except FileNotFoundError:
                pass
            else:
                if self._target is not None:
                    _link(self._previous / file, self._target / file)
                value: T = pickle.loads(data)  # noqa: S301 - our own cache, as above
                return value
        value = compute()
        if self._target is not None and not (self._target / file).exists():
            (self._target / file).write_bytes(stable_pickle(value))
        return value

    def save(self, units: Iterable[FileUnit]) -> None:
        """Keep these units (every file's, in file order) for the next build."""
        if self._target is not None:
            # A reused unit as it was read (pack_unit(unpack_unit(p)) == p: tested).
            packed = tuple(self._reused.get(unit.key) or pack_unit(unit) for unit in units)
            (self._target / UNITS_PACK).write_bytes(stable_pickle((PACK_VERSION, packed)))

    def records(self, unit: FileUnit) -> ReadResult:
        """The unit's records: kept in the unit, or from this build's or the previous
        publication's cache."""
        if unit.records is not None:
            return unit.records
        for folder in (self._target, self._previous):
            if folder is not None and (folder / RECORDS_DIR / f"{unit.key}.pickle").is_file():
                return load_records(folder / RECORDS_DIR, unit.key)
        raise FileNotFoundError(f"the records of {unit.name} are in no cache")


# ---------------------------------------------------------------- units as plain tuples

PACK_VERSION = 1
Packed = tuple[Any, ...]


def pack_unit(unit: FileUnit) -> Packed:
    """A unit as builtin values only (the cache's form; ``unpack_unit`` is its inverse):
    str, int, None and tuples, which pickle writes the same way for the same values."""
    outline = unit.outline
    return (
        unit.name,
        unit.key,
        tuple(
            (s.id, s.file, s.line, tuple(_offering(o) for o in s.offerings))
            for s in outline.suppliers
        ),
        tuple(_offering(o) for o in outline.offerings),
        tuple(_problem(p) for p in outline.problems),
        tuple(_problem(p) for p in unit.problems),
        tuple(_problem(p) for p in unit.rule_problems),
        unit.licences_used,
        tuple(
            (iri, f.kind, f.key, f.hash, tuple(f.labels.items())) for iri, f in unit.facts.items()
        ),
        unit.triples,
    )


def unpack_unit(packed: Packed) -> FileUnit:
    name, key, suppliers, offerings, outline_problems, problems, rules, used, facts, triples = (
        packed
    )
    return FileUnit(
        name=name,
        key=key,
        outline=ReadResult(
            suppliers=tuple(
                Supplier(
                    values={"id": sid},
                    file=file,
                    line=line,
                    offerings=tuple(_unpack_offering(o) for o in held),
                )
                for sid, file, line, held in suppliers
            ),
            offerings=tuple(_unpack_offering(o) for o in offerings),
            problems=tuple(Problem(*p) for p in outline_problems),
        ),
        problems=[Problem(*p) for p in problems],
        rule_problems=[Problem(*p) for p in rules],
        licences_used=used,
        facts={
            iri: SubjectFacts(kind, fkey, digest, dict(labels))
            for iri, kind, fkey, digest, labels in facts
        },
        triples=triples,
    )


def _offering(o: Offering) -> Packed:
    return (o.id, o.supplier, o.file, o.line)


def _unpack_offering(packed: Packed) -> Offering:
    oid, supplier, file, line = packed
    return Offering(values={"id": oid, "supplier": supplier}, file=file, line=line)


def _problem(p: Problem) -> Packed:
    return (p.file, p.record, p.field, p.rule, p.message, p.line)


def _load_pack(path: Path) -> dict[str, Packed]:
    """Key → packed unit, from a publication's ``units.pickle`` (none if it has none)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return {}
    version, packed = pickle.loads(data)  # noqa: S301 - our own cache, as above
    if version != PACK_VERSION:
        return {}
    return {unit[1]: unit for unit in packed}


def _link(source: Path, target: Path) -> None:
    """A hard link to a cache entry of the previous publication (no copy)."""
    try:
        os.link(source, target)
    except FileExistsError:
        pass


def save_chunk_index(staging_dir: Path, index: ChunkIndex) -> None:
    folder = staging_dir / CACHE_DIR
    folder.mkdir(parents=True, exist_ok=True)
    index.save(folder / CHUNK_INDEX)


def save_store_count(staging_dir: Path, quads: int) -> None:
    """How many quads the store holds, for the next build (which then need not count)."""
    folder = staging_dir / CACHE_DIR
    folder.mkdir(parents=True, exist_ok=True)
    (folder / STORE_COUNT).write_text(json.dumps({"quads": quads}) + "\n", encoding="utf-8")


def load_store_count(publication_dir: Path) -> int | None:
    try:
        data = json.loads((publication_dir / CACHE_DIR / STORE_COUNT).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    quads = data.get("quads") if isinstance(data, dict) else None
    return quads if isinstance(quads, int) else None
