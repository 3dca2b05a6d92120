"""The benchmark's source generator: valid data (the real checks and rules accept it), the
same bytes for the same size and seed, and the variety the benchmarks rely on."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import yaml

from bench.generate import edit_one_file, generate
from publisher.build import check_sources
from tests.conftest import make_settings, quiet

# Slow layer (generates and validates whole source folders): not in `make test-fast`.
pytestmark = pytest.mark.slow


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*.yaml"))
    }


def test_generated_sources_are_valid_and_varied(tmp_path: Path) -> None:
    data = tmp_path / "data"
    stats = generate(data, 60, seed=3)
    assert stats["offerings"] == 60 and stats["suppliers"] >= 6
    catalogue, mapped = check_sources(make_settings(tmp_path / "out", data), progress=quiet)
    offerings = catalogue.offerings
    assert len(offerings) == 60
    assert {o.type for o in offerings} == {"product", "service"}
    assert any(o.parts for o in offerings) and any(not o.parts for o in offerings)
    assert any(" AND " in o.licence for o in offerings)
    assert any(" OR " in o.licence for o in offerings)
    assert any(not catalogue.licences.resolve(o.licence).open_source for o in offerings)
    claimed = {claim.aspect for o in offerings for claim in o.aspects}
    assert {"open-source", "open-standards", "open-interface"} <= claimed
    assert any(o.pricing and o.pricing.price_list for o in offerings)
    assert any("sv" in o.title for o in offerings)
    assert any(s.business_id for s in catalogue.suppliers)
    assert len(mapped.catalogue) > 60 * 40


def test_same_size_and_seed_give_the_same_bytes(tmp_path: Path) -> None:
    generate(tmp_path / "a", 25, seed=1)
    generate(tmp_path / "b", 25, seed=1)
    generate(tmp_path / "c", 25, seed=2)
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    assert _digest(tmp_path / "a") != _digest(tmp_path / "c")


def test_one_file_edit_changes_one_valid_file(tmp_path: Path) -> None:
    data = tmp_path / "data"
    generate(data, 30, seed=0)
    before = _digest(data)
    edited = edit_one_file(data, round_=2)
    after = _digest(data)
    changed = [name for name in before if before[name] != after[name]]
    assert changed == [str(edited.relative_to(data))]
    document = yaml.safe_load(edited.read_text(encoding="utf-8"))
    assert document["offerings"][0]["title"]["en"].endswith("(edit 2)")
    check_sources(make_settings(tmp_path / "out", data), progress=quiet)
