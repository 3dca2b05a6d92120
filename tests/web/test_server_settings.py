"""The web processes' memory settings (publisher.server): the heap settled out of the
garbage collector's way, and glibc's malloc arenas limited."""

from __future__ import annotations

import gc
import subprocess
import sys

from publisher.server import settle_heap


def test_settle_heap_freezes_what_was_made() -> None:
    try:
        settle_heap()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_malloc_arenas_limited_in_a_process_of_its_own() -> None:
    # In a child: the setting is for the whole process (and the ones it forks).
    code = "from publisher.server import limit_malloc_arenas; print(limit_malloc_arenas())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    import ctypes

    glibc = sys.platform == "linux" and hasattr(ctypes.CDLL(None), "mallopt")
    assert out.stdout.strip() == ("True" if glibc else "False")
