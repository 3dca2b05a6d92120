"""Which memory allocator the query workers run with.

Oxigraph's query evaluation allocates a great deal (hash joins, decoded terms, sort
buffers). Embedded in Python it gets the C library's malloc; with jemalloc preloaded it
evaluates the example queries about a quarter faster (bench: 30,000 offerings, the 14
examples 5.7 s → 4.3 s of CPU on the same store). The workers are forks of the store host,
so preloading jemalloc into the store host's process gives it to every worker; the broker
and the web processes keep the C library's.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Mapping

# Where Debian/Ubuntu (libjemalloc2), Fedora and a local build put it, most specific first.
_CANDIDATES = (
    "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2",
    "/usr/lib/aarch64-linux-gnu/libjemalloc.so.2",
    "/usr/lib/*-linux-gnu/libjemalloc.so.2",
    "/usr/lib64/libjemalloc.so.2",
    "/usr/lib/libjemalloc.so.2",
    "/usr/local/lib/libjemalloc.so.2",
)


def find_jemalloc(candidates: tuple[str, ...] = _CANDIDATES) -> str | None:
    """The path of the jemalloc shared library on this machine, or None."""
    for pattern in candidates:
        for path in sorted(glob.glob(pattern)):
            if os.path.isfile(path):
                return path
    return None


def store_host_environment(
    allocator: str, environ: Mapping[str, str], jemalloc: str | None = None
) -> dict[str, str] | None:
    """The environment to start a store host with, or None to inherit this process's:
    ``allocator`` is the ``worker_allocator`` setting ('auto': jemalloc when the machine
    has it, else the C library's; 'system': the C library's)."""
    if allocator != "auto":
        return None
    library = jemalloc or find_jemalloc()
    if library is None:
        return None
    preload = [part for part in environ.get("LD_PRELOAD", "").split() if part]
    if library in preload:
        return None
    return {**environ, "LD_PRELOAD": " ".join([library, *preload])}


def running_with_jemalloc(pid: int | str = "self") -> bool:
    """Whether jemalloc is mapped into the process ``pid`` (for status and tests)."""
    try:
        with open(f"/proc/{pid}/maps") as maps:
            return any("libjemalloc" in line for line in maps)
    except OSError:
        return False
