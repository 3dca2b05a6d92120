"""What changed since a moment, from the publication's ledger (``Publication.ledger``).

The ledger records, for every IRI ever published, when it was first published, last
modified and removed (with a successor when there is one). A harvester asking for
``?modified_since=T`` gets what was modified or removed at or after ``T``; the ledger's
dates may be plain dates, which then count for the whole day.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from publisher.catalog.ledgerfile import summaries, summary


class BadTimestamp(ValueError):
    """A ``modified_since`` value that is not an ISO 8601 date or date-time."""


def parse_since(value: str | None) -> datetime | None:
    """``2026-11-26`` or ``2026-11-26T10:00:00Z`` → an aware UTC datetime; None for none."""
    if value is None or not value.strip():
        return None
    text = value.strip().replace(" ", "+")  # a '+' in a query string arrives as a space
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        if len(text) > 40:
            raise ValueError(text)
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise BadTimestamp(
            f"modified_since must be an ISO 8601 date or date-time, not {value[:40]!r}"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:  # 0001-01-01T00:00:00+01:00 is before the first representable UTC
        raise BadTimestamp(
            f"modified_since {value[:40]!r} is out of range: use a moment between the years "
            "0001 and 9999 in UTC"
        ) from None


def to_moment(value: Any) -> datetime | date | None:
    """A ledger value (ISO string, date or datetime) as a date or an aware datetime."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return value
    text = str(value)
    if len(text) == 10:
        return date.fromisoformat(text)
    return to_moment(datetime.fromisoformat(text.replace("Z", "+00:00")))


def at_or_after(value: Any, since: datetime) -> bool:
    """Is the ledger moment ``value`` at or after ``since`` (a date counts as its whole day)?"""
    moment = to_moment(value)
    if moment is None:
        return False
    if isinstance(moment, datetime):
        return moment >= since
    return moment >= since.date()


@dataclass(frozen=True)
class Removal:
    iri: str
    key: str
    label: dict[str, str]  # by language ("" for an untagged one)
    removed: datetime | date
    replaced_by: str | None


def removals(ledger: Mapping[str, dict[str, Any]], kind: str) -> list[Removal]:
    """The removed things of ``kind``, oldest removal first (then by key)."""
    found = []
    for iri, brief in summaries(ledger):
        if brief.kind != kind or not brief.removed:
            continue
        entry = ledger[iri]
        successor = entry.get("replaced_by") or entry.get("renamed_to")
        found.append(
            Removal(
                iri=iri,
                key=str(entry.get("key", "")),
                label=_labels(entry.get("label")) or {"": str(entry.get("key") or iri)},
                removed=to_moment(entry["removed"]),  # type: ignore[arg-type]
                replaced_by=str(successor) if successor else None,
            )
        )
    return sorted(found, key=lambda r: (str(r.removed), r.key))


def modified(ledger: Mapping[str, dict[str, Any]], iri: str) -> Any:
    """The ledger's last-modified value of ``iri`` (or its first publication), or None."""
    entry = summary(ledger, iri)
    return (entry.modified or entry.first_published) if entry is not None else None


def first_published(ledger: Mapping[str, dict[str, Any]], iri: str) -> Any:
    """The ledger's first publication of ``iri``, or None."""
    entry = summary(ledger, iri)
    return entry.first_published if entry is not None else None


def _labels(value: Any) -> dict[str, str]:
    if isinstance(value, dict):
        return {str(k): str(v) for k, v in value.items() if v}
    return {"": str(value)} if value else {}
