"""The index file as a build artefact: written by every build, the same bytes for the same
store (also when reusing the previous index's word analyses), refused when its schema
version is not the code's."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from publisher.publication import Publication
from publisher.siteindex import INDEX_FILE, IndexError_, SiteIndex, index_path, write_site_index

BASE = "http://localhost:8080/"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_every_build_writes_the_index(publication: Publication) -> None:
    """The index is the build artefact "site-index", listed in the manifest."""
    assert INDEX_FILE in publication.manifest["artefacts"]["site-index"]["files"]
    index = SiteIndex.of(publication.path)
    counts = index.counts()
    assert counts["offering"] == publication.manifest["entities"]["offering"]
    assert counts["supplier"] == publication.manifest["entities"]["supplier"]


def test_same_store_same_bytes_with_and_without_reuse(
    publication: Publication, tmp_path: Path
) -> None:
    ledger = json.loads((publication.path / "ledger.json").read_text(encoding="utf-8"))
    first, second, third = (tmp_path / n for n in ("first", "second", "third"))
    for folder in (first, second, third):
        folder.mkdir()
    written = []
    for folder, previous in ((first, None), (second, None), (third, first)):
        path = write_site_index(
            folder,
            store_path=publication.store_path,
            base_uri=BASE,
            ledger=ledger,
            previous=previous,
        )
        written.append(digest(path))
    assert written[0] == written[1] == written[2]
    assert written[0] == digest(index_path(publication.path))


def test_rebuilding_identical_sources_gives_identical_index(
    built_out: Path, tmp_path: Path
) -> None:
    """The session's build and a rebuild of the same sources into (a copy of) the same
    OUT folder, which reuses the word analyses of the previous index."""
    from publisher.build import build
    from publisher.config import PROJECT_ROOT, Settings

    out = tmp_path / "out"
    shutil.copytree(built_out, out, symlinks=True)
    before = Publication.current(out)
    assert before is not None
    settings = Settings(base_uri=BASE, data_dir=PROJECT_ROOT / "data", out_dir=out)
    after = build(settings, progress=lambda _m: None)
    assert after.build_id != before.build_id
    assert digest(index_path(after.path)) == digest(index_path(before.path))


def test_another_schema_version_is_refused(publication: Publication, tmp_path: Path) -> None:
    copy = tmp_path / INDEX_FILE
    shutil.copy(index_path(publication.path), copy)
    db = sqlite3.connect(copy)
    db.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
    db.commit()
    db.close()
    with pytest.raises(IndexError_, match="schema version 0"):
        SiteIndex(copy)
    with pytest.raises(IndexError_, match="no site index"):
        SiteIndex(tmp_path / "missing.sqlite")
