"""Opening source files safely: regular files inside the data folder, within the size limit.

Readers never open files themselves: they get a :class:`SourceFile` whose bytes were read
here, so every reader gets the same guarantees.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from publisher.problems import Problem
from publisher.sources.limits import SETTING, SourceLimits


@dataclass(frozen=True)
class SourceFile:
    """One source file: where it is, how problems name it, and its bytes."""

    path: Path  # as found under the data folder
    display: str  # as problems name it: the data folder as given + the relative path
    data: bytes


def display_name(path: Path, data_dir: Path) -> str:
    return str(data_dir / path.relative_to(data_dir))


def open_source_file(
    path: Path,
    data_dir: Path,
    limits: SourceLimits,
    resolved: dict[Path, Path] | None = None,
) -> tuple[SourceFile | None, Problem | None]:
    """The file's bytes, or the problem that keeps it from being read. ``resolved``
    remembers resolved folders across the calls of one scan (6,000 files: the same few
    folders resolved once, not twice per file)."""
    display = display_name(path, data_dir)
    folders = {} if resolved is None else resolved

    def refuse(rule: str, message: str) -> tuple[None, Problem]:
        return None, Problem(display, "-", "-", rule, message)

    def real_folder(folder: Path) -> Path:
        found = folders.get(folder)
        if found is None:
            found = folders[folder] = folder.resolve(strict=True)
        return found

    try:
        status = os.lstat(path)
        if stat.S_ISLNK(status.st_mode):
            real = path.resolve(strict=True)
            status = os.stat(real)
        else:  # not a link: its real path is its real folder's + its name
            real = real_folder(path.parent) / path.name
        inside = real.is_relative_to(real_folder(Path(data_dir)))
    except FileNotFoundError:
        return refuse("file-type", "is a link to a file that does not exist")
    except OSError as exc:
        return refuse("file-type", f"cannot be read: {exc.strerror or exc}")
    if not inside:
        return refuse(
            "file-outside",
            f"is a link to {real}, outside the data folder; source files must be inside it",
        )
    if not stat.S_ISREG(status.st_mode):
        return refuse("file-type", f"is {_kind(status.st_mode)}, not a regular file")
    if status.st_size > limits.max_file_bytes:
        return refuse("limit-file-size", _too_big(status.st_size, limits))
    try:
        data = _read_at_most(real, limits.max_file_bytes + 1)
    except OSError as exc:
        return refuse("file-type", f"cannot be read: {exc.strerror or exc}")
    if len(data) > limits.max_file_bytes:  # it grew since stat()
        return refuse("limit-file-size", _too_big(len(data), limits))
    return SourceFile(path, display, data), None


def _read_at_most(path: Path, size: int) -> bytes:
    # O_NONBLOCK: never wait on something that turned into a FIFO since stat().
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise OSError(0, "not a regular file")
        chunks = []
        left = size
        while left > 0:
            chunk = os.read(descriptor, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(descriptor)


def _too_big(size: int, limits: SourceLimits) -> str:
    return (
        f"is {size:,} bytes; the limit is {limits.max_file_bytes:,} bytes per file "
        f"(setting {SETTING['max_file_bytes']})"
    )


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a file"
