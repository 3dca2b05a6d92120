"""The feed's ledger summary gives the figures ``/catalog`` computes from the whole ledger,
and a summary updated from the changed entries is the summary of the new ledger (or says
that a scan must tell)."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from typing import Any

from publisher.catalog import register
from publisher.catalog.common import Context, first_published
from publisher.feed.summary import DATES, Summary
from publisher.uris import UriScheme

KINDS = ("offering", "supplier", "licence", "component", "scheme")
STAMPS = [f"2026-11-0{day}T09:00:00+00:00" for day in range(1, 8)] + ["2026-11-03"]


def _entry(chosen: random.Random) -> dict[str, Any]:
    stamp = chosen.choice
    return {
        "kind": chosen.choice(KINDS),
        "first_published": stamp([None, *STAMPS]),
        "modified": stamp(STAMPS),
        "removed": stamp([None, None, *STAMPS]),
    }


def _ledger(chosen: random.Random, size: int) -> dict[str, dict[str, Any]]:
    return {f"http://example.org/id/x/{n}": _entry(chosen) for n in range(size)}


def _catalog_figures(ledger: dict[str, dict[str, Any]]) -> tuple[Any, Any]:
    ctx = Context(
        uris=UriScheme("http://example.org/"),
        store=None,  # type: ignore[arg-type]  # not read by these two
        modified=datetime(2026, 12, 1, tzinfo=UTC),
        manifest={},
        ledger=ledger,
    )
    return register._register_modified(ctx), first_published(ctx)


def _scan(ledger: dict[str, dict[str, Any]], key: str) -> str | None:
    return max((str(e[key]) for e in ledger.values() if e.get(key)), default=None)


def test_summary_gives_the_catalogue_figures() -> None:
    chosen = random.Random(1)
    for size in (0, 1, 5, 40):
        ledger = _ledger(chosen, size)
        summary = Summary.of(ledger)
        modified = datetime(2026, 12, 1, tzinfo=UTC)
        registered, first = _catalog_figures(ledger)
        assert (summary.register.value or modified) == registered
        assert (summary.earliest.value or modified.date().isoformat())[:10] == first
        for key in DATES:
            assert summary.latest[key].value == _scan(ledger, key)


def test_updated_summary_is_the_summary_of_the_new_ledger() -> None:
    chosen = random.Random(2)
    scans = 0
    for _round in range(300):
        before = _ledger(chosen, chosen.choice((1, 3, 10, 30)))
        after = {iri: dict(entry) for iri, entry in before.items()}
        changed = set(chosen.sample(sorted(before), chosen.randint(1, len(before))))
        for iri in list(changed):
            what = chosen.random()
            if what < 0.2:
                del after[iri]
            elif what < 0.4:
                after[iri]["removed"] = None
            else:
                after[iri] = _entry(chosen)
        for n in range(chosen.randint(0, 3)):
            iri = f"http://example.org/id/new/{n}"
            after[iri] = _entry(chosen)
            changed.add(iri)
        updated = Summary.of(before).updated(changed, before, after)
        if updated is None:
            scans += 1
        else:
            assert updated.to_json() == Summary.of(after).to_json()
    assert 0 < scans < 300  # both ways were taken


def test_summary_round_trips_through_json() -> None:
    summary = Summary.of(_ledger(random.Random(3), 20))
    assert Summary.from_json(summary.to_json()) == summary
    assert Summary.from_json(Summary.empty().to_json()) == Summary.empty()
