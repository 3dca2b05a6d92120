"""What changed since the previous feed: one activity per entity whose state differs.

The feed keeps, per entity, the last activity it published (type and payload hash). A build
compares every entity it publishes now (live or removed) with that state:

* live, unknown to the feed (or deleted before) → ``Create``;
* live, payload changed → ``Update``;
* removed, not deleted yet → ``Delete`` (with its successor: ``dct:isReplacedBy``);
* anything else → nothing: a rebuild with no change adds no activity.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from publisher.feed.model import CREATE, DELETE, UPDATE


@dataclass(frozen=True)
class EntityState:
    """One entity as the publication has it now."""

    iri: str
    kind: str
    live: bool
    # a live one's description: payload.canonical's lines ("s p o", blank nodes "_:b…")
    payload: list[str] = field(default_factory=list)
    payload_hash: str | None = None
    removed: str | None = None
    replaced_by: str | None = None


@dataclass(frozen=True)
class Activity:
    type: str
    object: str
    published: str
    digest: str
    payload_hash: str | None
    replaced_by: str | None = None
    removed: str | None = None
    kind: str = ""


class Known(Protocol):
    """The feed's state of each entity (``state.Entities``)."""

    def get(self, iri: str) -> dict[str, Any] | None: ...


def activity_for(
    entity: EntityState, before: dict[str, Any] | None, published: str
) -> Activity | None:
    """The activity that brings a consumer who knows ``before`` (the feed's state of the
    entity, None if it knows nothing) to ``entity``; None if there is nothing to say."""
    if entity.live:
        if before is None or before.get("type") == DELETE:
            kind = CREATE
        elif before.get("hash") != entity.payload_hash:
            kind = UPDATE
        else:
            return None
    elif before is not None and before.get("type") != DELETE:
        kind = DELETE
    elif before is None:
        # Removed before the feed knew it (a first feed over an old ledger): still say
        # so, so that a consumer ends with the same tombstones.
        kind = DELETE
    else:
        return None
    return Activity(
        type=kind,
        object=entity.iri,
        published=published,
        digest=_digest(kind, entity.iri, published, entity.payload_hash),
        payload_hash=entity.payload_hash if entity.live else None,
        replaced_by=entity.replaced_by,
        removed=entity.removed,
        kind=entity.kind,
    )


def deletions(
    removed: list[EntityState],
    gone: Iterable[str],
    known: Known,
    published: str,
) -> list[Activity]:
    """The Deletes that bring a consumer from ``known`` (the feed's state) to now, all
    published at ``published``, sorted by entity: of the ``removed`` entities (the ledger
    says they are), and of those of ``gone`` that the feed shows and the publication no
    longer has at all (a catalogue dataset no longer listed)."""
    found: list[Activity] = []
    for entity in removed:
        activity = activity_for(entity, known.get(entity.iri), published)
        if activity is not None:
            found.append(activity)
    for iri in gone:
        before = known.get(iri)
        if before is not None and before.get("type") != DELETE:
            found.append(
                Activity(DELETE, iri, published, _digest(DELETE, iri, published, None), None)
            )
    # Deletions first (the caller), so that a rename reads as: the old is gone, the new is here.
    return sorted(found, key=lambda a: a.object)


def _digest(kind: str, iri: str, published: str, payload_hash: str | None) -> str:
    text = f"{kind}\n{iri}\n{published}\n{payload_hash or ''}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]
