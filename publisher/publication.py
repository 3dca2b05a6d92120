"""One built publication on disk, and the ``current`` pointer that says which one is served.

Layout of ``OUT`` (see build.py, which writes it)::

    OUT/current -> publications/<build-id>     (symlink, replaced atomically)
    OUT/previous -> publications/<older-id>    (for rollback)
    OUT/publications/<build-id>/store/         (pyoxigraph)
    OUT/publications/<build-id>/dumps/avoinkunta.{ttl,nt,nq,jsonld,rdf}
    OUT/publications/<build-id>/manifest.json  (build id, time, counts, checksums)
    OUT/publications/<build-id>/ledger.json    (every URI ever published and its fate)
    OUT/publications/<build-id>/vocabulary/<version>.nt  (every published vocabulary version)
    OUT/publications/<build-id>/artefacts/<name>/       (build artefacts: publisher.artefacts)
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import Any

MANIFEST = "manifest.json"
LEDGER = "ledger.json"
CURRENT = "current"
PREVIOUS = "previous"
PUBLICATIONS = "publications"
VOCABULARY_ARCHIVE = "vocabulary"  # every published version of the vocabulary, as N-Triples
ARTEFACTS_DIR = "artefacts"  # one folder per build artefact (publisher.artefacts)


@dataclass(frozen=True)
class Publication:
    path: Path
    manifest: dict[str, Any] = field(repr=False)

    @classmethod
    def load(cls, path: Path) -> Publication:
        manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
        return cls(path=path, manifest=manifest)

    @classmethod
    def current(cls, out_dir: Path) -> Publication | None:
        """The publication ``OUT/current`` points to, or None before the first build."""
        link = Path(out_dir) / CURRENT
        if not link.exists():
            return None
        return cls.load(link.resolve())

    @property
    def build_id(self) -> str:
        return str(self.manifest["build_id"])

    @property
    def built_at(self) -> datetime:
        return datetime.fromisoformat(self.manifest["built_at"])

    @property
    def modified(self) -> datetime:
        """When the published content last changed (not when it was last built): the same
        across rebuilds of the same sources. Use it for dct:modified, Last-Modified and
        sitemap dates."""
        return datetime.fromisoformat(self.manifest.get("modified") or self.manifest["built_at"])

    @property
    def base_uri(self) -> str:
        return str(self.manifest["base_uri"])

    @property
    def store_path(self) -> Path:
        return self.path / "store"

    @property
    def dumps_dir(self) -> Path:
        return self.path / "dumps"

    def artefact(self, name: str) -> Path | None:
        """The folder of build artefact ``name`` (publisher.artefacts), if this publication
        has it."""
        path = self.path / ARTEFACTS_DIR / name
        return path if "/" not in name and path.is_dir() else None

    def vocabulary_version(self, version: str) -> Path | None:
        """The archived vocabulary (N-Triples) of ``version``, if it was ever published."""
        path = self.path / VOCABULARY_ARCHIVE / f"{version}.nt"
        return path if "/" not in version and path.is_file() else None

    @cached_property
    def ledger(self) -> dict[str, dict[str, Any]]:
        """IRI → {kind, key, label, first_published, modified, removed, replaced_by,
        renamed_to, hash}; see publisher.ledger."""
        path = self.path / LEDGER
        if not path.exists():
            return {}
        return json.loads(path.read_text(encoding="utf-8"))
