"""Do two publications hold the same bytes? (For the benchmarks at sizes where the test
suite's own comparison, ``tests/test_build_incremental.py``, would take too long.)

Every file but the manifest (its build id, time and predecessor differ by design) and the
store (RocksDB's files are its own business: the dumps are the store's content) is compared
byte for byte; a file that is a hard link to the other's is the same without reading it.
"""

from __future__ import annotations

import filecmp
import os
from dataclasses import dataclass
from pathlib import Path

SKIPPED = {"manifest.json"}
SKIPPED_FOLDERS = {"store"}


@dataclass(frozen=True)
class Comparison:
    files: int  # files compared
    linked: int  # of them, hard links to the same inode (not read)
    differing: list[str]  # relative paths whose bytes differ, or that only one side has

    def summary(self) -> str:
        if not self.differing:
            return f"identical ({self.files} files, {self.linked} of them hard links)"
        shown = ", ".join(self.differing[:5])
        more = f" and {len(self.differing) - 5} more" if len(self.differing) > 5 else ""
        return f"DIFFER in {len(self.differing)} of {self.files} files: {shown}{more}"


def _files(root: Path) -> set[str]:
    found: set[str] = set()
    for folder, dirs, names in os.walk(root):
        here = Path(folder)
        if here == root:
            dirs[:] = [d for d in dirs if d not in SKIPPED_FOLDERS]
        found.update((here / n).relative_to(root).as_posix() for n in names)
    return found - SKIPPED


def compare(a: Path, b: Path) -> Comparison:
    left, right = _files(a), _files(b)
    differing = sorted(left ^ right)
    linked = 0
    for name in sorted(left & right):
        one, other = a / name, b / name
        if os.path.samefile(one, other):
            linked += 1
        elif not filecmp.cmp(one, other, shallow=False):
            differing.append(name)
    return Comparison(len(left | right), linked, sorted(differing))
