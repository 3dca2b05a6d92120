"""The build-artefact registry: artefacts get the records, the ledger, the store, the
previous publication and their own folder; their files land in the publication and its
manifest; a failing artefact fails the whole build and nothing published changes."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from publisher import build as build_module
from publisher.artefacts import Artefact, ArtefactContext
from publisher.build import build
from publisher.publication import Publication
from publisher.store import ReadStore
from sparql_endpoint.allocator import trim_heap
from tests.conftest import make_settings, quiet
from tests.test_build import snapshot

SEEN: list[ArtefactContext] = []


def write_counts(context: ArtefactContext) -> None:
    """A small real artefact: counts from the records, the ledger and the store."""
    SEEN.append(context)
    store = ReadStore(context.store_path)
    offerings = store.query(
        "SELECT (COUNT(*) AS ?n) WHERE { ?o a ak:Offering }",
        prefixes={"ak": str(context.uris.vocab)},
    )
    reused = None
    if context.previous_folder is not None:
        reused = json.loads((context.previous_folder / "counts.json").read_text())["offerings"]
    counts = {
        "offerings": len(context.records.offerings),
        "in_store": int(next(iter(offerings))["n"].value),
        "ledger": len(context.ledger),
        "previous_offerings": reused,
    }
    (context.folder / "counts.json").write_text(json.dumps(counts, sort_keys=True))


def explode(context: ArtefactContext) -> None:
    (context.folder / "half-written").write_text("x")
    raise RuntimeError("artefact failed")


COUNTS = Artefact("counts", "tests.test_artefacts:write_counts", "counts for the test")


def test_artefact_gets_records_ledger_store_and_previous(
    tmp_path: Path, data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(build_module, "ARTEFACTS", (COUNTS,))
    SEEN.clear()
    out = tmp_path / "out"
    first = build(make_settings(out, data_copy), progress=quiet)
    folder = first.artefact("counts")
    assert folder is not None and folder.parent.parent == first.path
    counts = json.loads((folder / "counts.json").read_text())
    assert counts["offerings"] == counts["in_store"] == first.manifest["entities"]["offering"]
    assert counts["ledger"] == len(first.ledger) and counts["previous_offerings"] is None
    entry = first.manifest["artefacts"]["counts"]["files"]["counts.json"]
    assert entry["bytes"] == (folder / "counts.json").stat().st_size
    assert SEEN[0].previous is None and SEEN[0].changed == frozenset(first.ledger)

    koha = data_copy / "suppliers" / "koha-suomi.yaml"
    koha.write_text(koha.read_text().replace("amount: 0.28", "amount: 0.31", 1))
    second = build(make_settings(out, data_copy), progress=quiet)
    context = SEEN[1]
    assert context.previous is not None and context.previous.build_id == first.build_id
    assert context.previous_folder == folder  # same code and base: reusable
    assert context.changed == {"http://localhost:8080/id/offering/koha-suomi-service"}
    reused = json.loads((second.artefact("counts") / "counts.json").read_text())  # type: ignore[operator]
    assert reused["previous_offerings"] == counts["offerings"]


def test_previous_artefact_is_not_offered_when_the_code_changed(
    tmp_path: Path, data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(build_module, "ARTEFACTS", (COUNTS,))
    SEEN.clear()
    out = tmp_path / "out"
    first = build(make_settings(out, data_copy), progress=quiet)
    manifest = json.loads((first.path / "manifest.json").read_text())
    manifest["code_version"] = "older-code"
    (first.path / "manifest.json").write_text(json.dumps(manifest))
    build(make_settings(out, data_copy), progress=quiet)
    assert SEEN[1].previous is not None and SEEN[1].previous_folder is None


def test_failing_artefact_fails_the_build_and_changes_nothing(
    tmp_path: Path, data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    build(make_settings(out, data_copy), progress=quiet)
    before = snapshot(out)
    monkeypatch.setattr(
        build_module, "ARTEFACTS", (Artefact("boom", "tests.test_artefacts:explode"),)
    )
    with pytest.raises(RuntimeError, match="artefact failed"):
        build(make_settings(out, data_copy), progress=quiet)
    assert snapshot(out) == before
    assert [p.name for p in (out / "publications").iterdir()] == [
        Publication.current(out).path.name  # type: ignore[union-attr]
    ]


RESIDENT: dict[str, int] = {}
KEPT: list[bytes] = []


def _resident_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def hoard(context: ArtefactContext) -> None:
    """Works through 160 MB of small blocks and frees all but one in 32: the heap is left
    fragmented, as the site index leaves it (one live block every 32 KiB)."""
    blocks = [bytes(1024) + bytes([i % 251]) for i in range(160_000)]
    KEPT.extend(blocks[::32])
    del blocks
    RESIDENT["after hoard"] = _resident_bytes()
    (context.folder / "done").write_text("x")


def measure(context: ArtefactContext) -> None:
    RESIDENT["next artefact"] = _resident_bytes()
    (context.folder / "done").write_text("x")


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="reads /proc")
def test_each_artefact_starts_with_the_heap_given_back(
    tmp_path: Path, data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What an artefact freed is given back to the system before the next one starts, so
    that the build's peak is the largest artefact's, not the sum of theirs (glibc keeps
    freed memory in its heap: without it the next artefact starts 140 MB higher here)."""
    if not trim_heap():
        pytest.skip("not glibc: its malloc_trim is what gives the heap back")
    monkeypatch.setattr(
        build_module,
        "ARTEFACTS",
        (
            Artefact("hoard", "tests.test_artefacts:hoard"),
            Artefact("measure", "tests.test_artefacts:measure"),
        ),
    )
    RESIDENT.clear()
    build(make_settings(tmp_path / "out", data_copy), progress=quiet)
    KEPT.clear()
    given_back = RESIDENT["after hoard"] - RESIDENT["next artefact"]
    assert given_back > 80 * 2**20, RESIDENT  # ~150 MB of the 160 are free pages
