"""Incremental and deterministic builds.

* A build that reuses the previous publication (a one-file edit) gives byte for byte the
  publication that a build computing everything again gives (the store compared by
  content: its files are RocksDB's own business).
* The same sources and code give the same bytes: dumps, ledger, vocabulary archive, cache,
  and every document, page and ETag the web layer serves from them; only the manifest's
  build id, time and predecessor differ.
* Worker processes give the same units as the build's own process.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyoxigraph as ox
import pytest

from bench.generate import edit_one_file, generate, remove_one_and_copy_one
from publisher.app import create_app
from publisher.build import build, check
from publisher.publication import Publication
from tests.conftest import make_settings

pytestmark = pytest.mark.slow

T0 = datetime(2026, 3, 1, 12, tzinfo=UTC)
T1 = T0 + timedelta(days=3)
VOLATILE = {"build_id", "built_at", "previous"}  # the manifest fields that may differ


def files(publication: Path) -> dict[str, str]:
    """Every file of a publication but its store, with its sha256."""
    return {
        p.relative_to(publication).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(publication.rglob("*"))
        if p.is_file() and p.relative_to(publication).parts[0] != "store"
    }


def store_content(publication: Path) -> list[str]:
    store = ox.Store.read_only(str(publication / "store"))
    return sorted(str(quad) for quad in store)


def manifest(publication: Path) -> dict[str, object]:
    data = json.loads((publication / "manifest.json").read_text())
    return {k: v for k, v in data.items() if k not in VOLATILE}


def assert_same_publication(a: Path, b: Path) -> None:
    fa, fb = files(a), files(b)
    assert fa.keys() == fb.keys()
    differing = sorted(name for name in fa if fa[name] != fb[name] and name != "manifest.json")
    assert not differing, differing
    assert manifest(a) == manifest(b)
    assert store_content(a) == store_content(b)


def assert_reuse_is_a_fresh_write(publication: Publication, scratch: Path) -> None:
    """What an edit build copied rather than wrote (ledger lines of unchanged entries, the
    manifest entries of artefact files linked from the previous publication) is what
    writing them afresh gives."""
    from publisher.artefacts import _files
    from publisher.ledger import write_ledger

    scratch.mkdir()
    write_ledger(scratch / "ledger.json", publication.ledger)
    assert (scratch / "ledger.json").read_bytes() == (publication.path / "ledger.json").read_bytes()
    for name, entry in publication.manifest["artefacts"].items():
        folder = publication.artefact(name)
        assert folder is not None
        assert _files(folder) == entry["files"], name


def messages() -> tuple[list[str], object]:
    lines: list[str] = []
    return lines, lines.append


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("generated") / "data"
    generate(data, 140, seed=5)  # 28 files: several validation batches
    return data


def test_incremental_build_equals_a_full_rebuild(tmp_path: Path, generated: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(generated, data)
    incremental, full = tmp_path / "incremental", tmp_path / "full"
    for out in (incremental, full):
        build(make_settings(out, data), progress=lambda _m: None, now=T0)
    edit_one_file(data, round_=1)

    lines, progress = messages()
    updated = build(make_settings(incremental, data), progress=progress, now=T1)  # type: ignore[arg-type]
    assert any("1 to check" in line for line in lines), lines
    assert any("store:" in line and "reused the previous store" in line for line in lines), lines
    # The same history, but nothing reused: the previous publication's cache is gone.
    shutil.rmtree((full / "current").resolve() / "cache")
    lines, progress = messages()
    rebuilt = build(make_settings(full, data), progress=progress, now=T1)  # type: ignore[arg-type]
    assert any(" 0 unchanged" in line for line in lines), lines

    assert_same_publication(updated.path, rebuilt.path)
    assert_reuse_is_a_fresh_write(updated, tmp_path / "fresh")
    edited = [
        iri
        for iri, entry in updated.ledger.items()
        if entry["modified"] == T1.isoformat(timespec="seconds")
    ]
    assert len(edited) == 1 and "/id/offering/" in edited[0]


def test_removed_and_added_files_update_the_reused_store(tmp_path: Path, generated: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(generated, data)
    incremental, full = tmp_path / "incremental", tmp_path / "full"
    for out in (incremental, full):
        build(make_settings(out, data), progress=lambda _m: None, now=T0)
    remove_one_and_copy_one(data)  # a supplier and its offerings removed, a copy added
    updated = build(make_settings(incremental, data), progress=lambda _m: None, now=T1)
    shutil.rmtree((full / "current").resolve() / "cache")
    rebuilt = build(make_settings(full, data), progress=lambda _m: None, now=T1)
    assert_same_publication(updated.path, rebuilt.path)
    removed = [e for e in updated.ledger.values() if e["removed"]]
    assert removed and all(e["removed"] == T1.isoformat(timespec="seconds") for e in removed)


def test_same_sources_give_the_same_bytes(tmp_path: Path, generated: Path) -> None:
    out = tmp_path / "out"
    settings = make_settings(out, generated)
    first = build(settings, progress=lambda _m: None, now=T0)
    first_files = files(first.path)
    first_store = store_content(first.path)
    # a graph is a set: the manifest, the store and the N-Triples dump count the same triples
    nt_lines = (first.dumps_dir / "avoinkunta.nt").read_bytes().count(b"\n")
    assert len(first_store) == first.manifest["triples"] == nt_lines
    first_pages = served(settings, first)

    shutil.rmtree(first.path / "cache")  # the second build computes everything again
    second = build(settings, progress=lambda _m: None, now=T1)
    assert second.build_id != first.build_id
    third = build(settings, progress=lambda _m: None, now=T1 + timedelta(hours=1))

    first_documents = {k: v for k, v in first_pages.items() if k.startswith("/doc/")}
    for publication in (second, third):
        now = files(publication.path)
        assert now.keys() == first_files.keys()
        differing = sorted(n for n in now if n != "manifest.json" and now[n] != first_files[n])
        assert not differing, differing
        assert manifest(publication.path) == manifest(first.path)
        assert store_content(publication.path) == first_store
    again = served(settings, third)
    assert {k: v for k, v in again.items() if k.startswith("/doc/")} == first_documents
    assert len(first_documents) > 5 * len(first.ledger) // 2


def test_same_sources_give_the_same_pages(tmp_path: Path, generated: Path) -> None:
    settings = make_settings(tmp_path / "out", generated)
    first = build(settings, progress=lambda _m: None, now=T0)
    pages = served(settings, first, documents=False)
    second = build(settings, progress=lambda _m: None, now=T1)
    assert second.manifest["modified"] == first.manifest["modified"]
    assert served(settings, second, documents=False) == pages


def served(
    settings: object, publication: Publication, documents: bool = True
) -> dict[str, tuple[int, bytes, str]]:
    """Every document (each format), catalogue page and well-known page, with its ETag."""
    client = create_app(settings).test_client()  # type: ignore[arg-type]
    paths = ["/", "/catalog", "/catalog?page=2", "/catalog/adms", "/.well-known/void"]
    paths += ["/sitemap.xml", "/ontology"]
    for entry in publication.ledger.values() if documents else ():
        if entry["removed"]:
            continue
        for ext in ("", ".ttl", ".jsonld", ".rdf", ".nt"):
            paths.append(f"/doc/{entry['kind']}/{entry['key']}{ext}")
    pages: dict[str, tuple[int, bytes, str]] = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code < 500, path
        pages[path] = (response.status_code, response.data, response.headers.get("ETag", ""))
    return pages


def test_worker_processes_give_the_same_units(generated: Path, tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "out", generated)
    alone = check(settings, progress=lambda _m: None, workers=1)
    pooled = check(settings, progress=lambda _m: None, workers=2)
    assert [u.key for u in alone.units] == [u.key for u in pooled.units]
    for a, b in zip(alone.units, pooled.units, strict=True):
        assert a.chunks == b.chunks and a.facts == b.facts and a.outline == b.outline
        assert a.records is not None and a.records == b.records


def test_context_rules_are_checked_again_only_when_their_inputs_change(
    tmp_path: Path, data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from publisher.build.units import Workbench
    from publisher.problems import Problem

    calls: list[int] = []
    checked = Workbench.context_problems

    def counting(self: Workbench, used: Iterable[str]) -> list[Problem]:
        calls.append(1)
        return checked(self, used)

    monkeypatch.setattr(Workbench, "context_problems", counting)
    out = tmp_path / "out"
    first = build(make_settings(out, data_copy), progress=lambda _m: None, now=T0)
    second = build(make_settings(out, data_copy), progress=lambda _m: None, now=T1)
    assert len(calls) == 1  # the second build reused the first one's result
    (kept,) = (second.path / "cache").glob("context-*.pickle")
    assert kept.read_bytes() == (first.path / "cache" / kept.name).read_bytes()
    licences = data_copy / "licences.yaml"
    licences.write_text(licences.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    third = build(make_settings(out, data_copy), progress=lambda _m: None, now=T1)
    assert len(calls) == 2
    assert [p.name for p in (third.path / "cache").glob("context-*.pickle")] != [kept.name]
