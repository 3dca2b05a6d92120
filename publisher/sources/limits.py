"""Limits on source files, which are untrusted input.

Every limit is a setting (``publisher.config.Settings``, ``AVOINKUNTA_SOURCE_*``); a file
over a limit is reported with the file, the line, the limit and the setting that sets it,
in bounded time and memory. YAML anchors and aliases are refused outright (``yaml-alias``):
hand-written catalogue files do not need them, and refusing them is simpler to trust than
bounding what they expand to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

# Characters XML 1.0 does not allow (so no RDF/XML or SPARQL XML result could carry them):
# C0 controls other than tab, newline and carriage return, lone surrogates, U+FFFE, U+FFFF.
NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# A value longer than this is shortened when shown in a message.
SHOWN_LENGTH = 200


@dataclass(frozen=True)
class SourceLimits:
    """The limits, with the defaults of ``publisher.config.Settings``."""

    max_file_bytes: int = 2_000_000
    max_depth: int = 20
    max_text_length: int = 10_000
    max_amount: int = 1_000_000_000_000
    amount_decimals: int = 4

    @classmethod
    def from_settings(cls, settings: Any) -> SourceLimits:
        return cls(
            max_file_bytes=settings.source_max_file_bytes,
            max_depth=settings.source_max_depth,
            max_text_length=settings.source_max_text_length,
            max_amount=settings.source_max_amount,
            amount_decimals=settings.source_amount_decimals,
        )

    @property
    def max_amount_decimal(self) -> Decimal:
        return Decimal(self.max_amount)


# The environment variable of each limit, named in messages.
SETTING = {
    "max_file_bytes": "AVOINKUNTA_SOURCE_MAX_FILE_BYTES",
    "max_depth": "AVOINKUNTA_SOURCE_MAX_DEPTH",
    "max_text_length": "AVOINKUNTA_SOURCE_MAX_TEXT_LENGTH",
    "max_amount": "AVOINKUNTA_SOURCE_MAX_AMOUNT",
    "amount_decimals": "AVOINKUNTA_SOURCE_AMOUNT_DECIMALS",
}


def bad_character(text: str) -> str | None:
    """A description of the first character XML 1.0 does not allow in ``text``, or None."""
    found = NOT_IN_XML.search(text)
    if found is None:
        return None
    char = found.group()
    what = "a lone surrogate" if "\ud800" <= char <= "\udfff" else "a control character"
    if char in "\ufffe\uffff":
        what = "a non-character"
    return f"U+{ord(char):04X} ({what}) at character {found.start() + 1}"


def character_message(description: str) -> str:
    return f"contains {description}, which XML 1.0 does not allow; remove it"


def shown(value: Any) -> str:
    """``repr(value)``, shortened when long (a message must stay readable)."""
    text = repr(value)
    if len(text) <= SHOWN_LENGTH:
        return text
    return f"{text[:SHOWN_LENGTH]}… ({len(text)} characters)"
