"""The few figures over the whole ledger that the feed needs, kept from build to build.

When the feed's activities are published (the ledger's latest stamp) and how the catalogue
datasets are described (the register's last change, its first publication, the content's
last change) are extremes of the ledger's dates: a scan of 38,000 entries at national scale.
An entry's dates change only when the entry does (``publisher.ledger``: ``context.changed``
names them), so the next build takes the previous extremes, removes what the changed
entries contributed before and adds what they contribute now. Each extreme is kept with
the number of dates equal to it: when those all went, and none of the new dates reaches it,
the extreme is not known without a scan, and the summary is computed again from the whole
ledger (``of``). Either way the figures are a scan's (tests/feed/test_feed_summary.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from operator import methodcaller
from typing import Any

Entry = Mapping[str, Any]
DATES = ("first_published", "modified", "removed")
# The kinds whose dates say when the register changed (register.py's _register_modified).
REGISTER_KINDS = frozenset({"offering", "supplier", "licence"})


@dataclass
class Extreme:
    """The greatest (or least) of some dates and how many of them equal it."""

    value: str | None = None
    count: int = 0
    least: bool = False

    def add(self, date: str) -> None:
        if self.value is None or (date < self.value if self.least else date > self.value):
            self.value, self.count = date, 1
        elif date == self.value:
            self.count += 1

    def remove(self, date: str) -> bool:
        """Take one date away; False if it cannot have been counted (beyond the extreme)."""
        if self.value is None or (date < self.value if self.least else date > self.value):
            return False
        if date == self.value:
            self.count -= 1
        return True

    def known(self) -> bool:
        """Is ``value`` the extreme of the dates (not: every date equal to it removed)?"""
        return self.value is None and self.count == 0 or self.count > 0

    def to_json(self) -> list[Any]:
        return [self.value, self.count]


def _dates(entry: Entry, keys: Iterable[str]) -> list[str]:
    """The entry's dates under ``keys`` (those it has), as text."""
    return [str(value) for key in keys if (value := entry.get(key))]


def _all_dates(entries: list[Entry], keys: Iterable[str]) -> list[str]:
    """``_dates`` of every entry, in one list."""
    found: list[str] = []
    for key in keys:
        found += map(str, filter(None, map(methodcaller("get", key), entries)))
    return found


def _extreme(dates: list[str], least: bool = False) -> Extreme:
    if not dates:
        return Extreme(least=least)
    value = min(dates) if least else max(dates)
    return Extreme(value, dates.count(value), least)


@dataclass
class Summary:
    """Extremes of the ledger's dates: the latest of each date over every entry, the latest
    of any date over the register's kinds, the earliest first publication."""

    latest: dict[str, Extreme]
    register: Extreme
    earliest: Extreme

    @classmethod
    def empty(cls) -> Summary:
        return cls({key: Extreme() for key in DATES}, Extreme(), Extreme(least=True))

    @classmethod
    def of(cls, ledger: Mapping[str, Entry]) -> Summary:
        """The summary of the whole ledger (its loops in C: 38,000 entries)."""
        entries = list(ledger.values())
        register = [e for e in entries if e.get("kind") in REGISTER_KINDS]
        return cls(
            {key: _extreme(_all_dates(entries, (key,))) for key in DATES},
            _extreme(_all_dates(register, DATES)),
            _extreme(_all_dates(entries, ("first_published",)), least=True),
        )

    def _extremes(self, entry: Entry) -> Iterable[tuple[Extreme, list[str]]]:
        for key in DATES:
            yield self.latest[key], _dates(entry, (key,))
        if entry.get("kind") in REGISTER_KINDS:
            yield self.register, _dates(entry, DATES)
        yield self.earliest, _dates(entry, ("first_published",))

    def _add(self, entry: Entry) -> None:
        for extreme, dates in self._extremes(entry):
            for date in dates:
                extreme.add(date)

    def updated(
        self, changed: Iterable[str], before: Mapping[str, Entry], after: Mapping[str, Entry]
    ) -> Summary | None:
        """The summary of ``after``, this one being that of ``before`` and the two ledgers
        differing only in the entries of ``changed``; None when a scan must tell."""
        summary = Summary.from_json(self.to_json())
        changed = sorted(changed)
        for iri in changed:  # every removal first: then the additions may restore
            for extreme, dates in summary._extremes(before.get(iri) or {}):
                for date in dates:
                    if not extreme.remove(date):
                        return None
        for iri in changed:
            summary._add(after.get(iri) or {})
        extremes = [*summary.latest.values(), summary.register, summary.earliest]
        return summary if all(extreme.known() for extreme in extremes) else None

    def to_json(self) -> dict[str, Any]:
        return {
            "earliest": self.earliest.to_json(),
            "latest": {key: self.latest[key].to_json() for key in DATES},
            "register": self.register.to_json(),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Summary:
        def extreme(pair: list[Any], least: bool = False) -> Extreme:
            value, count = pair
            return Extreme(None if value is None else str(value), int(count), least)

        return cls(
            {key: extreme(data["latest"][key]) for key in DATES},
            extreme(data["register"]),
            extreme(data["earliest"], least=True),
        )
