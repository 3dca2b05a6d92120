"""The feed of a build that reuses the previous publication (payloads computed only for
the entities whose ledger entry changed) is byte for byte the feed that computing every
entity's payload gives, and computes only those."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bench.generate import generate, remove_one_and_copy_one
from publisher.artefacts import ArtefactContext
from publisher.build import _changed, build
from publisher.feed import artefact as feed_artefact
from publisher.feed import datasets as feed_datasets
from publisher.feed import pages as feed_pages
from publisher.feed import payload
from publisher.fingerprint import code_version
from publisher.publication import PREVIOUS, Publication
from publisher.uris import UriScheme
from tests.conftest import BASE, DATA_DIR, make_settings, quiet
from tests.feed.test_feed_replay import _edit

pytestmark = pytest.mark.slow
FIRST = datetime(2026, 11, 1, 9, 0, 0, tzinfo=UTC)
SECOND = datetime(2026, 11, 2, 9, 0, 0, tzinfo=UTC)
THIRD = datetime(2026, 11, 3, 9, 0, 0, tzinfo=UTC)


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


class Counting:
    """payload.closure, counting the entities whose payload is computed."""

    def __init__(self) -> None:
        self.subjects: list[str] = []
        self.closure = payload.closure

    def __call__(self, store, subject, graph=None):  # type: ignore[no-untyped-def]
        self.subjects.append(subject)
        return self.closure(store, subject, graph)


class Describing:
    """datasets._describe, counting the times the catalogue datasets are described."""

    def __init__(self) -> None:
        self.calls = 0
        self.describe = feed_datasets._describe

    def __call__(self, *args):  # type: ignore[no-untyped-def]
        self.calls += 1
        return self.describe(*args)


def _build(
    out: Path,
    data: Path,
    now: datetime,
    monkeypatch: pytest.MonkeyPatch,
    describing: Describing | None = None,
) -> list[str]:
    """Build; return the entities whose payload the feed computed."""
    counting = Counting()
    with monkeypatch.context() as patch:
        patch.setattr(feed_pages, "PAGE_SIZE", 20)  # several pages, some closed
        patch.setattr(payload, "closure", counting)
        patch.setattr(feed_datasets, "_describe", describing or Describing())
        build(make_settings(out, data), progress=quiet, now=now)
    return counting.subjects


def _recomputed(
    out: Path, folder: Path, monkeypatch: pytest.MonkeyPatch, *, datasets_kept: bool = False
) -> dict[str, bytes]:
    """The current publication's feed written again with every payload computed (and, as
    the build does, with the previous feed: then the catalogue datasets are described again
    unless ``datasets_kept``)."""
    current = Publication.current(out)
    assert current is not None
    previous = Publication.load((out / PREVIOUS).resolve())
    context = ArtefactContext(
        name="feed",
        folder=folder,
        publication_dir=current.path,
        load_records=lambda: None,
        ledger=current.ledger,
        store_path=current.store_path,
        previous=previous,
        previous_folder=None,  # nothing may be reused: every payload is computed
        changed=_changed(previous.ledger, current.ledger),
        settings=make_settings(out),
        uris=UriScheme(BASE),
        code_version=code_version(),
    )
    every, reusing = Counting(), Counting()
    reused = folder.with_name(folder.name + "-reused")
    reused.mkdir()
    with monkeypatch.context() as patch:
        patch.setattr(feed_pages, "PAGE_SIZE", 20)
        patch.setattr(payload, "closure", every)
        feed_artefact.write_feed(context)
        # and given previous_folder, as the build gives it, the same bytes again
        patch.setattr(payload, "closure", reusing)
        describing = Describing()
        patch.setattr(feed_datasets, "_describe", describing)
        feed_artefact.write_feed(
            dataclasses.replace(context, folder=reused, previous_folder=previous.artefact("feed"))
        )
    assert describing.calls == (0 if datasets_kept else 1)
    live = {
        iri
        for iri, entry in current.ledger.items()
        if entry["kind"] in feed_artefact.FEED_KINDS and not entry["removed"]
    }
    assert sorted(every.subjects) == sorted(live)
    assert sorted(reusing.subjects) == sorted(live & context.changed)
    assert _files(reused) == _files(folder)
    return _files(folder)


def _published(out: Path) -> dict[str, bytes]:
    current = Publication.current(out)
    assert current is not None
    folder = current.artefact("feed")
    assert folder is not None
    return _files(folder)


def _changed_live(out: Path) -> set[str]:
    current = Publication.current(out)
    assert current is not None
    previous = Publication.load((out / PREVIOUS).resolve())
    changed = _changed(previous.ledger, current.ledger)
    return {
        iri
        for iri in changed
        if current.ledger[iri]["kind"] in feed_artefact.FEED_KINDS
        and not current.ledger[iri]["removed"]
    }


def test_reused_feed_equals_a_recomputed_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data, out = tmp_path / "data", tmp_path / "out"
    shutil.copytree(DATA_DIR, data)
    _build(out, data, FIRST, monkeypatch)
    # One offering edited, one removed with a successor, one renamed.
    _edit(data)
    computed = _build(out, data, SECOND, monkeypatch)
    changed = _changed_live(out)
    assert changed, "the edit changed entities"
    assert sorted(computed) == sorted(changed)
    assert _published(out) == _recomputed(out, tmp_path / "again", monkeypatch)
    _assert_manifest_hashes(out)
    # No change: no payload computed, the catalogue datasets not described again (their
    # inputs are the same), no byte changed.
    before = _published(out)
    describing = Describing()
    assert _build(out, data, THIRD, monkeypatch, describing) == []
    assert describing.calls == 0
    assert _published(out) == before
    assert _published(out) == _recomputed(out, tmp_path / "third", monkeypatch, datasets_kept=True)
    _assert_manifest_hashes(out)


def _assert_manifest_hashes(out: Path) -> None:
    """The manifest's sizes and hashes of the feed's files are theirs, those of the closed
    pages linked from the previous publication included (taken from its manifest)."""
    current = Publication.current(out)
    previous = Publication.load((out / PREVIOUS).resolve())
    folder, before = current.artefact("feed"), previous.artefact("feed")  # type: ignore[union-attr]
    assert folder is not None and before is not None
    listed = current.manifest["artefacts"]["feed"]["files"]  # type: ignore[union-attr]
    linked = 0
    for name, data in _files(folder).items():
        assert listed[name] == {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
        if (before / name).is_file():
            linked += os.path.samefile(folder / name, before / name)
    assert linked >= 3  # a closed page's three documents at least


def test_reused_feed_after_files_removed_and_added(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data, out = tmp_path / "data", tmp_path / "out"
    generate(data, 60, seed=3)
    _build(out, data, FIRST, monkeypatch)
    remove_one_and_copy_one(data)  # a supplier and its offerings removed, a copy added
    computed = _build(out, data, SECOND, monkeypatch)
    assert computed and sorted(computed) == sorted(_changed_live(out))
    state = _published(out)
    assert any(name.startswith("pages/") for name in state)
    assert state == _recomputed(out, tmp_path / "again", monkeypatch)


@pytest.mark.parametrize("history", [True, False])
def test_feed_from_the_dump_in_workers_equals_the_store_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, history: bool
) -> None:
    """Descriptions read from the N-Quads dump and pages written by worker processes (what
    a first build of a large catalogue does) give the bytes of the store path in this
    process (what a small one does), with and without a previous feed."""
    data, out = tmp_path / "data", tmp_path / "out"
    generate(data, 60, seed=5)
    _build(out, data, FIRST, monkeypatch)
    current = Publication.current(out)
    assert current is not None
    written = {}
    for mode in ("store", "dump"):
        folder = tmp_path / mode
        folder.mkdir()
        context = ArtefactContext(
            name="feed",
            folder=folder,
            publication_dir=current.path,
            load_records=lambda: None,
            ledger=current.ledger,
            store_path=current.store_path,
            previous=current if history else None,
            previous_folder=None,
            changed=frozenset(current.ledger),
            settings=make_settings(out),
            uris=UriScheme(BASE),
            code_version=code_version(),
        )
        with monkeypatch.context() as patch:
            patch.setattr(feed_pages, "PAGE_SIZE", 20)
            if mode == "dump":
                patch.setattr(feed_artefact, "DUMP_READ_MIN", 0)
                patch.setattr(feed_artefact, "POOL_MIN_MEMBERS", 0)
            feed_artefact.write_feed(context)
        written[mode] = _files(folder)
    assert written["dump"] == written["store"]
    assert sum(name.endswith(".jsonld") for name in written["store"]) > 3
