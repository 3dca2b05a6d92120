"""Finnish morphology from Voikko (libvoikko + the voikko-fi dictionary), if installed.

The Python binding is the ``libvoikko`` package from PyPI (the same ctypes module Debian
ships as python3-libvoikko); it loads the native ``libvoikko.so.1`` and the dictionary
(Debian: ``libvoikko1`` and ``voikko-fi``). When either is missing, ``open_voikko()``
returns None and the Finnish analyser falls back to the Snowball stemmer, which finds
fewer inflected forms and no compound parts; the index records which analyser it used.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Any


@dataclass(frozen=True)
class Analysis:
    """What Voikko says of one word: its base form and, for a compound, the base forms of
    its parts (``paikkatietoa`` → ``paikkatieto``; parts ``paikka``, ``tieto``)."""

    baseform: str
    parts: tuple[str, ...]


class Voikko:
    """A thread-safe wrapper: libvoikko handles are not safe for concurrent calls."""

    def __init__(self, handle: Any, version: str) -> None:
        self._handle = handle
        self._lock = threading.Lock()
        self.version = version

    def analyse(self, word: str) -> tuple[Analysis, ...]:
        with self._lock:
            found = self._handle.analyze(word)
        seen: dict[Analysis, None] = {}
        for item in found:
            base = item.get("BASEFORM")
            if base:
                seen[Analysis(base, compound_parts(base, item.get("WORDBASES", "")))] = None
        return tuple(seen)


def compound_parts(baseform: str, wordbases: str) -> tuple[str, ...]:
    """The base forms of a compound's parts, read from Voikko's WORDBASES.

    WORDBASES lists segments ``+surface(base)``; a segment whose base starts with ``+`` is
    a derivational suffix of the one before (``+palvel(palvella)+u(+u)`` is *palvelu*).
    The last part's base form is the end of the word's base form after the surfaces of the
    earlier parts (``karttapalvelu`` − ``kartta`` → ``palvelu``). Not a compound → ()."""
    segments = []
    for chunk in wordbases.split("+")[1:]:
        surface, _, rest = chunk.partition("(")
        base = rest.rstrip(")")
        if not chunk.startswith("(") and not base.startswith("+") and base:
            segments.append((surface, base))
        elif segments and surface:
            # a suffix: it belongs to the previous part's surface
            prev_surface, prev_base = segments[-1]
            segments[-1] = (prev_surface + surface, prev_base)
    if len(segments) < 2:
        return ()
    parts = [base for _, base in segments[:-1]]
    prefix = "".join(surface for surface, _ in segments[:-1]).lower()
    last = baseform[len(prefix) :] if baseform.lower().startswith(prefix) else segments[-1][1]
    if last:
        parts.append(last)
    return tuple(p.lower() for p in parts if p)


@lru_cache(maxsize=1)
def open_voikko() -> Voikko | None:
    """The Finnish Voikko analyser, or None when libvoikko or voikko-fi is missing."""
    try:
        import libvoikko
    except ImportError:
        return None
    try:
        handle = libvoikko.Voikko("fi")
        version = str(libvoikko.Voikko.getVersion())
    except (OSError, Exception):  # the native library or the dictionary is missing
        return None
    try:
        names = [d.description for d in libvoikko.Voikko.listDicts() if d.language == "fi"]
    except Exception:  # an old binding without listDicts
        names = []
    label = f"libvoikko {version}" + (f" ({names[0]})" if names else "")
    return Voikko(handle, label)
