"""The feed's state, ``state.json``: per entity its last activity, the pages, and the few
facts the next build reuses (``extra``: the ledger's summary, the catalogue datasets'
inputs).

The file is JSON (``json.loads`` reads it whole: the web layer and the tests do), laid out
one entity a line, sorted by IRI::

    {"entities":{
    "<iri>":{"activity":…,"hash":…,"published":…,"type":…},
    …
    },"extra":{…},"last_published":…,"pages":[…],"version":2}

so that a build that changes a few entities reads it as text, looks up only those entities
(a binary search over the lines) and writes the other lines back as they were: no parse of
the 38,000 entries at national scale, nor their encoding. A line is the entity's IRI and
entry encoded as ``json.dumps(..., sort_keys=True, ensure_ascii=False)`` compactly would,
so the file is the same whether its lines were kept or written anew.
"""

from __future__ import annotations

import bisect
import json
import json.decoder
from collections.abc import Callable
from dataclasses import dataclass, field
from json.encoder import encode_basestring
from pathlib import Path
from typing import Any

Entry = dict[str, Any]

VERSION = 2
HEAD = '{"entities":{\n'
TAIL = "\n},"
_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))
# json's own C scanner of a string literal: (text, index after its opening quote) → (the
# string, index after its closing quote). Not in the type stubs.
scanstring: Callable[[str, int], tuple[str, int]] = json.decoder.__dict__["scanstring"]


def encode(value: Any) -> str:
    """``value`` as compact JSON with sorted keys (the C encoder)."""
    return _ENCODER.encode(value)


def _line(iri: str, entry: Entry) -> str:
    # No raw line end in it: JSON escapes control characters inside strings.
    return f"{encode_basestring(iri)}:{encode(entry)}"


def _key(line: str) -> str:
    return scanstring(line, 1)[0]


class Entities:
    """IRI → entry (``type``, ``hash``, ``activity``, ``published``).

    Either every entry parsed (``whole``: a build that looks at every entity) or the lines
    of the file as text, parsed one at a time where looked up; set entries are kept aside
    and merged in when the lines are written."""

    def __init__(self, lines: list[str] | None = None, whole: dict[str, Entry] | None = None):
        self._lines = lines if lines is not None else []
        self._whole = whole
        self._set: dict[str, Entry] = {}

    @property
    def is_whole(self) -> bool:
        return self._whole is not None

    def get(self, iri: str) -> Entry | None:
        if self._whole is not None:
            return self._whole.get(iri)
        if iri in self._set:
            return self._set[iri]
        lines = self._lines
        at = bisect.bisect_left(lines, iri, key=_key)
        if at == len(lines):
            return None
        value, end = scanstring(lines[at], 1)
        if value != iri:
            return None
        found: Entry = json.loads(lines[at][end + 1 :])
        return found

    def __setitem__(self, iri: str, entry: Entry) -> None:
        if self._whole is not None:
            self._whole[iri] = entry
        else:
            self._set[iri] = entry

    def iris(self) -> list[str]:
        """Every IRI (only when parsed whole)."""
        assert self._whole is not None, "the lines were not parsed"
        return list(self._whole)

    def lines(self) -> list[str]:
        if self._whole is not None:
            return [_line(iri, self._whole[iri]) for iri in sorted(self._whole)]
        lines = self._lines
        for iri in sorted(self._set):
            text = _line(iri, self._set[iri])
            at = bisect.bisect_left(lines, iri, key=_key)
            if at < len(lines) and _key(lines[at]) == iri:
                lines[at] = text
            else:
                lines.insert(at, text)
        self._set.clear()
        return lines


@dataclass
class State:
    entities: Entities = field(default_factory=lambda: Entities(whole={}))
    pages: list[dict[str, Any]] = field(default_factory=list)
    last_published: str | None = None
    # What the next build may reuse (only when it is given ``previous_folder``).
    extra: dict[str, Any] = field(default_factory=dict)

    def text(self) -> str:
        rest: dict[str, Any] = {"extra": self.extra, "pages": self.pages, "version": VERSION}
        if self.last_published is not None:
            rest["last_published"] = self.last_published
        lines = self.entities.lines()
        return HEAD + ",\n".join(lines) + TAIL + encode(rest)[1:] + "\n"


def load(path: Path, *, whole: bool) -> State:
    """The state in ``path`` (an empty one if there is none). ``whole``: parse every entity
    (else only the lines are split, when the file is laid out as this module writes it)."""
    if not path.is_file():
        return State()
    text = path.read_text(encoding="utf-8")
    cut = text.rfind(TAIL)
    if whole or not text.startswith(HEAD) or cut < 0:
        data = json.loads(text)
        return State(
            Entities(whole=data.get("entities", {})),
            data.get("pages", []),
            data.get("last_published"),
            data.get("extra", {}) if data.get("version") == VERSION else {},
        )
    body = text[len(HEAD) : cut]
    rest = json.loads("{" + text[cut + len(TAIL) :])
    return State(
        Entities(lines=body.split(",\n") if body else []),
        rest.get("pages", []),
        rest.get("last_published"),
        rest.get("extra", {}),
    )
