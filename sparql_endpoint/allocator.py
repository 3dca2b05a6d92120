"""Which memory allocator the query workers run with, and the C library's allocator
calls the server's processes make (giving free heap back, limiting malloc arenas).

Oxigraph's query evaluation allocates a great deal (hash joins, decoded terms, sort
buffers). Embedded in Python it gets the C library's malloc; with jemalloc preloaded it
evaluates the example queries about a quarter faster (bench: 30,000 offerings, the 14
examples 5.7 s → 4.3 s of CPU on the same store). The workers are forks of the store host,
so preloading jemalloc into the store host's process gives it to every worker; the broker
and the web processes keep the C library's.
"""

from __future__ import annotations

import ctypes
import glob
import os
from collections.abc import Callable, Mapping

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


def _libc_function(name: str) -> Callable[..., int] | None:
    """A function of the C library this process runs with, or None when it has none of
    that name (glibc's malloc_trim and mallopt: not in musl, not in macOS's libc)."""
    try:
        function: Callable[..., int] = getattr(ctypes.CDLL(None), name)
    except (OSError, AttributeError):
        return None
    return function


_MALLOC_TRIM = _libc_function("malloc_trim")
_MALLOPT = _libc_function("mallopt")
_M_ARENA_MAX = -8  # glibc's mallopt parameter


def trim_heap() -> bool:
    """Give the heap's free memory back to the system (glibc's ``malloc_trim``), which
    glibc otherwise keeps for later; False under another C library."""
    if _MALLOC_TRIM is None:
        return False
    _MALLOC_TRIM(0)
    return True


def limit_malloc_arenas(arenas: int) -> bool:
    """Have glibc's malloc make at most ``arenas`` arenas from now on, in this process and
    the processes it forks; False under another C library."""
    return _MALLOPT is not None and bool(_MALLOPT(_M_ARENA_MAX, arenas))
