"""The example queries in ``queries/*.rq``, each with a title in Finnish and English.

A file starts with comment lines ``# title-fi: …``, ``# title-sv: …``, ``# title-en: …``
and ``# note-fi: …`` / ``# note-sv: …`` / ``# note-en: …``; the rest is the query body
without PREFIX lines (the prologue is added from the site's prefixes).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sparql_endpoint.vocabulary import prologue

QUERIES_DIR = Path(__file__).parent / "queries"
_HEADER = re.compile(r"^#\s*(title|note)-(fi|sv|en):\s*(.*)$")


@dataclass(frozen=True)
class Example:
    slug: str
    title: dict[str, str]
    note: dict[str, str]
    body: str

    def text(self, prefixes: Mapping[str, str]) -> str:
        """The full query, with the PREFIX lines it needs."""
        return prologue(prefixes, self.body) + "\n\n" + self.body


@cache
def examples() -> tuple[Example, ...]:
    found = []
    for path in sorted(QUERIES_DIR.glob("*.rq")):
        title: dict[str, str] = {}
        note: dict[str, str] = {}
        body_lines: list[str] = []
        for line in path.read_text(encoding="utf-8").splitlines():
            match = _HEADER.match(line)
            if match and not body_lines:
                (title if match[1] == "title" else note)[match[2]] = match[3].strip()
            elif body_lines or line.strip():
                body_lines.append(line)
        for kind, texts in (("title", title), ("note", note)):
            missing = [lang for lang in ("fi", "sv", "en") if not texts.get(lang)]
            if missing:
                raise ValueError(
                    f"{path.name}: needs a {kind} in every language; missing "
                    + ", ".join(f"'# {kind}-{lang}:'" for lang in missing)
                )
        found.append(
            Example(path.stem.split("-", 1)[-1], title, note, "\n".join(body_lines).strip() + "\n")
        )
    return tuple(found)
