"""Compress the offering cards in a second process while this one goes on.

A cold write of a national catalogue compresses about 75 MB of card JSON (60,000 small
documents): seconds of zlib that need nothing else of the build. ``Packer`` writes the
JSON texts to a scratch file, starts a small Python process (only ``zlib``: no import of
ours, a few MB) that compresses each text exactly as ``writer.packed`` does, and collects
its output when asked. Whatever goes wrong there (no process, a non-zero exit, a short
file), the texts are compressed here instead: the same bytes either way.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zlib
from array import array
from collections.abc import Iterable
from pathlib import Path

LEVEL = 6  # writer.packed's

# The helper: reads texts (then their lengths, then their count: uint32, native order),
# writes the compressed texts in the same layout.
_HELPER = r"""
import os, sys, zlib
from array import array
source, target, level = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(source, "rb") as handle:
    data = memoryview(handle.read())
count = int.from_bytes(data[-4:], "little")
lengths = array("I")
lengths.frombytes(data[-4 - 4 * count : -4])
out_lengths = array("I")
with open(target + ".part", "wb") as out:
    position = 0
    for length in lengths:
        packed = zlib.compress(data[position : position + length], level)
        position += length
        out_lengths.append(len(packed))
        out.write(packed)
    out.write(out_lengths.tobytes())
    out.write(count.to_bytes(4, "little"))
os.replace(target + ".part", target)
"""


# glibc: keep freed memory instead of giving it back after each text (every zlib.compress
# allocates and frees its ~300 KB state; a fresh process otherwise spends as much time
# in page faults as in zlib).
_MALLOC = {"MALLOC_MMAP_THRESHOLD_": "4194304", "MALLOC_TRIM_THRESHOLD_": "268435456"}


def _split(data: bytes) -> list[bytes]:
    """The items of a file in the helper's layout."""
    count = int.from_bytes(data[-4:], "little")
    lengths = array("I")
    lengths.frombytes(data[-4 - 4 * count : -4])
    items, position = [], 0
    for length in lengths:
        items.append(data[position : position + length])
        position += length
    if position != len(data) - 4 - 4 * count:
        raise ValueError("packed texts do not add up")
    return items


class Packer:
    """``Packer(folder).start(texts)``, later ``.result()``: the texts zlib-compressed."""

    def __init__(self, folder: Path) -> None:
        stem = f".pack.{os.getpid()}"
        self.source = folder / f"{stem}.in"
        self.target = folder / f"{stem}.out"
        self.process: subprocess.Popen[bytes] | None = None
        self.count = 0

    def start(self, texts: Iterable[bytes]) -> None:
        lengths = array("I")
        with open(self.source, "wb") as out:
            for text in texts:
                out.write(text)
                lengths.append(len(text))
            out.write(lengths.tobytes())
            out.write(len(lengths).to_bytes(4, "little"))
        self.count = len(lengths)
        try:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-I",
                    "-S",
                    "-c",
                    _HELPER,
                    str(self.source),
                    str(self.target),
                    str(LEVEL),
                ],
                env={**os.environ, **_MALLOC},
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        except OSError:
            self.process = None

    def result(self) -> list[bytes]:
        """The compressed texts, in order (waits for the helper; compresses here if it
        failed)."""
        try:
            if self.process is not None and self.process.wait() == 0:
                try:
                    items = _split(self.target.read_bytes())
                    if len(items) == self.count:
                        return items
                except (OSError, ValueError):
                    pass
            texts = _split(self.source.read_bytes())
            return [zlib.compress(text, LEVEL) for text in texts]
        finally:
            self.close()

    def close(self) -> None:
        """Stop the helper if it still runs; remove the scratch files."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        for path in (self.source, self.target, self.target.with_name(self.target.name + ".part")):
            path.unlink(missing_ok=True)
