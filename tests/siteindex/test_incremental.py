"""The index of an incremental build: the previous index's rows with the changed entities
(and the offerings that show them) redone give byte for byte the index written from the
whole store, and the reuse is really taken (not a silent full rewrite)."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bench.generate import edit_one_file, generate
from publisher.build import build
from publisher.publication import Publication
from publisher.siteindex import INDEX_FILE, index_path, write_site_index
from tests.conftest import make_settings

pytestmark = pytest.mark.slow

BASE = "http://localhost:8080/"
T0 = datetime(2026, 3, 1, 12, tzinfo=UTC)
T1 = T0 + timedelta(days=3)
REUSED = "reused the previous rows"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("generated-index") / "data"
    generate(data, 60, seed=11)
    return data


def changed(before: Publication, after: Publication) -> frozenset[str]:
    old, new = before.ledger, after.ledger
    return frozenset(
        iri for iri in old.keys() | new.keys() if (old.get(iri) or {}) != (new.get(iri) or {})
    )


def rewrite(
    folder: Path, before: Publication, after: Publication, *, reuse: bool
) -> tuple[Path, list[str]]:
    lines: list[str] = []
    folder.mkdir()
    path = write_site_index(
        folder,
        store_path=after.store_path,
        base_uri=BASE,
        ledger=after.ledger,
        previous=index_path(before.path).parent if reuse else None,
        changed=changed(before, after) if reuse else None,
        previous_store=before.store_path if reuse else None,
        progress=lines.append,
    )
    return path, lines


def edit_supplier_name(data: Path) -> None:
    """Rename the supplier of the middle file: its offerings' search names change."""
    files = sorted((data / "suppliers").glob("*.yaml"))
    path = files[len(files) // 2]
    text = path.read_text(encoding="utf-8")
    start = text.index("  name:\n    fi: ") + len("  name:\n    fi: ")
    path.write_text(text[:start] + "Uusinimi " + text[start:], encoding="utf-8")


def edit_licence(data: Path) -> None:
    """Move the first offering of the first file to another licence (facet counts, and
    so suggestion weights, change)."""
    path = sorted((data / "suppliers").glob("*.yaml"))[0]
    text = path.read_text(encoding="utf-8")
    start = text.index("  licence: ")
    end = text.index("\n", start)
    current = text[start:end].split(": ", 1)[1]
    other = "MIT" if current != "MIT" else "EUPL-1.2"
    path.write_text(text[:start] + f"  licence: {other}" + text[end:], encoding="utf-8")


@pytest.mark.parametrize("edit", ["offering", "supplier", "licence"])
def test_reused_rows_give_the_cold_bytes(tmp_path: Path, generated: Path, edit: str) -> None:
    data = tmp_path / "data"
    shutil.copytree(generated, data)
    out = tmp_path / "out"
    before = build(make_settings(out, data), progress=lambda _m: None, now=T0)
    {"offering": lambda d: edit_one_file(d, round_=1), "supplier": edit_supplier_name}.get(
        edit, edit_licence
    )(data)
    after = build(make_settings(out, data), progress=lambda _m: None, now=T1)
    assert changed(before, after), "the edit changed nothing"

    cold, _ = rewrite(tmp_path / "cold", before, after, reuse=False)
    warm, lines = rewrite(tmp_path / "warm", before, after, reuse=True)
    assert any(REUSED in line for line in lines), lines
    assert digest(warm) == digest(cold)
    # the build's own artefact (reusing the previous one) is the same file
    assert digest(index_path(after.path)) == digest(cold)


def add_supplier(data: Path) -> None:
    """A copy of the second file under new ids: a supplier and its offerings added."""
    source = sorted((data / "suppliers").glob("*.yaml"))[1]
    copy = source.read_text(encoding="utf-8").replace(f"id: {source.stem}", "id: kopio")
    copy = copy.replace("id: offering-", "id: kopio-offering-")
    (data / "suppliers" / "kopio.yaml").write_text(copy, encoding="utf-8")


def remove_supplier(data: Path) -> None:
    """The third file gone: a supplier and its offerings removed."""
    sorted((data / "suppliers").glob("*.yaml"))[2].unlink()


@pytest.mark.parametrize("edit", [add_supplier, remove_supplier])
def test_added_and_removed_entities_renumber_the_reused_rows(
    tmp_path: Path, generated: Path, edit: Callable[[Path], None]
) -> None:
    data = tmp_path / "data"
    shutil.copytree(generated, data)
    out = tmp_path / "out"
    before = build(make_settings(out, data), progress=lambda _m: None, now=T0)
    edit(data)
    after = build(make_settings(out, data), progress=lambda _m: None, now=T1)
    cold, _ = rewrite(tmp_path / "cold", before, after, reuse=False)
    warm, lines = rewrite(tmp_path / "warm", before, after, reuse=True)
    assert any(REUSED in line for line in lines), lines
    assert digest(warm) == digest(cold) == digest(index_path(after.path))
    assert (warm.parent / INDEX_FILE).is_file()
