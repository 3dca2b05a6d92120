"""bench/same_bytes.py: the benchmarks' check that two publications hold the same bytes."""

from __future__ import annotations

import os
from pathlib import Path

from bench.same_bytes import compare


def publication(root: Path, page: bytes, manifest: bytes) -> Path:
    (root / "dumps").mkdir(parents=True)
    (root / "store").mkdir()
    (root / "dumps" / "avoinkunta.nt").write_bytes(b"<a> <b> <c> .\n")
    (root / "page.json").write_bytes(page)
    (root / "manifest.json").write_bytes(manifest)
    (root / "store" / "LOG").write_bytes(manifest)  # RocksDB's: differs, not compared
    return root


def test_the_same_bytes_are_identical_whatever_the_manifest_says(tmp_path: Path) -> None:
    a = publication(tmp_path / "a", b"{}", b'{"build_id": 1}')
    b = publication(tmp_path / "b", b"{}", b'{"build_id": 2}')
    result = compare(a, b)
    assert result.differing == [] and result.files == 2
    assert result.summary().startswith("identical (2 files")


def test_a_changed_byte_a_missing_file_and_a_hard_link_are_told(tmp_path: Path) -> None:
    a = publication(tmp_path / "a", b"{}", b"1")
    b = publication(tmp_path / "b", b"{ }", b"1")
    (a / "only-here.txt").write_text("x")
    (b / "dumps" / "avoinkunta.nt").unlink()
    os.link(a / "dumps" / "avoinkunta.nt", b / "dumps" / "avoinkunta.nt")
    result = compare(a, b)
    assert result.differing == ["only-here.txt", "page.json"]
    assert result.linked == 1
    assert result.summary().startswith("DIFFER in 2 of 3 files: only-here.txt, page.json")
