"""Paths of the publiccode.yml test material."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PARSER_CASES = ROOT / "tests" / "fixtures" / "publiccode-parser-go"


def _shared() -> Path:
    # CI clones the repository with shared/ beside it; a worktree lives one level deeper.
    for base in (ROOT.parent, ROOT.parent.parent):
        if (base / "shared" / "reference" / "publiccode").is_dir():
            return base / "shared" / "reference" / "publiccode"
    return ROOT.parent / "shared" / "reference" / "publiccode"


SHARED_CORPUS = _shared()
CORPUS_FILES = sorted((SHARED_CORPUS / "files").glob("*.y*ml"))
