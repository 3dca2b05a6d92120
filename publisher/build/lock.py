"""One build at a time per output folder, and no leftovers from builds that were killed.

The lock is ``flock`` on ``OUT/.build.lock``: the kernel releases it when the process that
holds it ends, however it ends (SIGKILL included), so it can never be left held. Whoever
holds it is the only build running on ``OUT``, so any staging folder it finds was left by a
build that died, and is removed.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from pathlib import Path
from types import TracebackType

from publisher.errors import BuildError
from publisher.publication import PUBLICATIONS

LOCK_FILE = ".build.lock"
STAGING_PREFIX = ".staging-"


class BuildLock:
    def __init__(self, out_dir: Path) -> None:
        self.path = Path(out_dir) / LOCK_FILE
        self._handle: int | None = None

    def __enter__(self) -> BuildLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(handle, 32, 0).decode(errors="replace").strip() or "?"
            os.close(handle)
            raise BuildError(
                f"another build (process {holder}) is publishing into {self.path.parent}; "
                "wait for it to finish"
            ) from None
        os.ftruncate(handle, 0)
        os.pwrite(handle, f"{os.getpid()}\n".encode(), 0)
        self._handle = handle
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        if self._handle is not None:
            fcntl.flock(self._handle, fcntl.LOCK_UN)
            os.close(self._handle)
            self._handle = None


def remove_leftovers(out_dir: Path) -> list[Path]:
    """Remove staging folders and temporary links of builds that died; call with the lock
    held. Returns what was removed."""
    out_dir = Path(out_dir)
    removed: list[Path] = []
    publications = out_dir / PUBLICATIONS
    if publications.is_dir():
        for path in publications.iterdir():
            if path.name.startswith(STAGING_PREFIX):
                shutil.rmtree(path, ignore_errors=True)
                removed.append(path)
    for path in out_dir.glob(".*.*"):  # .current.<pid>, .previous.<pid> (publication switch)
        if path.is_symlink() and path.name.split(".")[-1].isdigit():
            path.unlink()
            removed.append(path)
    return removed
