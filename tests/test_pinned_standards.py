"""The pinned official shapes are the unmodified files of the shared standards folder."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

PINNED = Path(__file__).parent / "standards"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "standards"
FILES = sorted(p.relative_to(PINNED) for p in PINNED.rglob("*.ttl"))


def test_the_dcat_ap_shapes_are_pinned() -> None:
    assert {str(f) for f in FILES} == {
        "dcat-ap-3.0.1/shacl/dcat-ap-SHACL.ttl",
        "dcat-ap-3.0.1/shacl/ranges.ttl",
        "dcat-ap-3.0.1/html/shacl/mdr-vocabularies.shape.ttl",
        "dcat-ap-3.0.1/html/shacl/shapes_recommended.ttl",
        "dcat-ap-3.0.1/html/shacl/deprecateduris.ttl",
    }


@pytest.mark.parametrize("name", FILES, ids=str)
def test_pinned_copy_equals_the_shared_file(name: Path) -> None:
    if not SHARED.is_dir():
        pytest.skip(f"no shared standards folder at {SHARED} to compare with")
    pinned = hashlib.sha256((PINNED / name).read_bytes()).hexdigest()
    shared = hashlib.sha256((SHARED / name).read_bytes()).hexdigest()
    assert pinned == shared
