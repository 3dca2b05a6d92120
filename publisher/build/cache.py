"""What a build reuses from the previous publication, and the keys that make it safe.

Each publication carries its own cache (``<publication>/cache/``):

* ``units/<key>.pickle`` — one supplier file's unit (records, problems, ledger facts, the
  licences it uses), keyed by ``unit_key``: a hash of the file's name and bytes and of every
  input that checking and mapping it depend on (``inputs_key``: the code version, the base
  URI, the SHACL engine, the shapes, the vocabulary files and the licences file). A file
  whose key is in the previous publication's cache is not read, mapped or validated again.
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
import os
import pickle
from collections.abc import Iterable
from pathlib import Path

from publisher.build.dumps import ChunkIndex
from publisher.build.units import FileUnit, Inputs

CACHE_DIR = "cache"
UNITS_DIR = "units"
CHUNK_INDEX = "dumps.json"


def inputs_key(inputs: Inputs, code_version: str, files: Iterable[Path]) -> str:
    """A hash of what every unit depends on besides its own file."""
    digest = hashlib.sha256()
    for part in (code_version, inputs.base_uri, inputs.engine, str(inputs.data_dir)):
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
        self._previous = previous_dir / CACHE_DIR / UNITS_DIR if previous_dir else None
        self._target = staging_dir / CACHE_DIR / UNITS_DIR if staging_dir else None
        self.chunks = (
            ChunkIndex.load(previous_dir / CACHE_DIR / CHUNK_INDEX) if previous_dir else None
        )
        if self._target is not None:
            self._target.mkdir(parents=True, exist_ok=True)

    def get(self, key: str) -> FileUnit | None:
        """The previous build's unit of this key, if it has one and its dump chunk."""
        if self._previous is None or self.chunks is None or key not in self.chunks.triples:
            return None
        path = self._previous / f"{key}.pickle"
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        unit = pickle.loads(data)  # noqa: S301 - our own cache, written by this code version
        if not isinstance(unit, FileUnit) or unit.key != key:
            return None
        if self._target is not None:
            target = self._target / path.name
            if not target.exists():
                os.link(path, target)
        return unit

    def put(self, unit: FileUnit) -> None:
        if self._target is None:
            return
        target = self._target / f"{unit.key}.pickle"
        if not target.exists():
            target.write_bytes(pickle.dumps(unit.cacheable(), protocol=pickle.HIGHEST_PROTOCOL))


def save_chunk_index(staging_dir: Path, index: ChunkIndex) -> None:
    folder = staging_dir / CACHE_DIR
    folder.mkdir(parents=True, exist_ok=True)
    index.save(folder / CHUNK_INDEX)
