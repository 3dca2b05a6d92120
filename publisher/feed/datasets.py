"""The catalogue-level datasets of ``/catalog`` (the register, the ontology, each concept
scheme, the feed's stream) as entities of the feed, described as ``/catalog`` describes
them (``publisher.catalog.register``).

Describing them costs a tenth of a second (rdflib terms, the ledger-wide dates) and they
seldom change. What a description reads is noted while it is made: the store's
descriptions (``describe_triples``), the ledger's entries, the ledger-wide dates (given
from the feed's ``Summary``, as ``/catalog`` computes them), the dumps' names and the URI
base. A digest of those inputs is kept in the feed's state; the next build reads the same
things again (a few store lookups) and, when the digest is the same, the datasets are
described as before, which the feed shows already: nothing to compute, no activity. A
description that reads the ledger or the store otherwise (a scan) is not kept: it is made
every time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

import pyoxigraph as ox

from publisher.feed import payload
from publisher.feed.activities import EntityState
from publisher.feed.state import encode
from publisher.feed.summary import Summary

DUMP_TYPES = {
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "nq": "application/n-quads",
    "jsonld": "application/ld+json",
    "rdf": "application/rdf+xml",
    "trig": "application/trig",
}


@dataclass(frozen=True)
class Datasets:
    iris: list[str]  # every dataset's IRI
    # Their descriptions; None when they are those of the previous feed (the same inputs).
    entities: list[EntityState] | None
    # The inputs to keep for the next build (``kept``); None when they cannot be kept.
    reads: dict[str, Any] | None

    def to_json(self) -> dict[str, Any]:
        return {"iris": self.iris, "reads": self.reads}


def describe(context: Any, summary: Summary, kept: Mapping[str, Any] | None) -> Datasets:
    """The datasets of this publication, or only their IRIs when ``kept`` (what the previous
    feed's state says of them, ``Datasets.to_json``; None if nothing may be reused) shows
    that their inputs are the same."""
    from publisher.store import ReadStore

    store = ReadStore(context.store_path)
    inputs = _Inputs(context, summary)
    reads = kept.get("reads") if kept is not None else None
    if isinstance(reads, dict) and reads.get("digest") == inputs.digest(store, reads):
        return Datasets(list(kept["iris"]), None, dict(reads))  # type: ignore[index]
    recorder = _Recorder(context.ledger, store)
    entities = _describe(context, inputs, recorder)
    reads = None if recorder.scanned else recorder.reads()
    if reads is not None:
        reads["digest"] = inputs.digest(store, reads)
    return Datasets([e.iri for e in entities], entities, reads)


class _Inputs:
    """What every description reads besides the ledger's entries and the store."""

    def __init__(self, context: Any, summary: Summary) -> None:
        latest = summary.latest["modified"].value
        self.built = datetime.fromisoformat(latest) if latest else datetime.now(UTC)
        # What publisher.catalog computes from the whole ledger (register._register_modified,
        # common.first_published), from the summary instead: ``Context.once``'s values.
        self.memo = {
            "register_modified": summary.register.value or self.built,
            "first_published": (summary.earliest.value or self.built.date().isoformat())[:10],
        }
        self.dumps = {
            path.name: {"media_type": DUMP_TYPES.get(path.suffix.lstrip("."), "")}
            for path in sorted((Path(context.publication_dir) / "dumps").glob("*"))
        }
        self.uris = context.uris
        self.ledger = context.ledger

    def digest(self, store: Any, reads: Mapping[str, Any]) -> str:
        """A hash of these inputs and of what ``reads`` names in the ledger and the store."""
        digest = hashlib.sha256()
        fixed = [str(self.uris.base), self.built.isoformat(), self.dumps]
        fixed.append({name: str(value) for name, value in self.memo.items()})
        digest.update(encode(fixed).encode())
        for iri in reads["ledger"]:
            digest.update(f"\n{iri}\n{encode(self.ledger.get(iri))}".encode())
        for iri, links in reads["store"]:
            digest.update(f"\n{iri} {links}\n".encode())
            for triple in store.describe_triples(iri, links=links):
                digest.update(f"{triple}\n".encode())
        return digest.hexdigest()


class _Ledger(Mapping[str, dict[str, Any]]):
    """The ledger, noting the entries read (and whether it was scanned)."""

    def __init__(self, ledger: Mapping[str, dict[str, Any]], recorder: _Recorder) -> None:
        self._ledger, self._recorder = ledger, recorder

    def __getitem__(self, iri: str) -> dict[str, Any]:
        self._recorder.ledger.setdefault(iri, None)
        return self._ledger[iri]

    def __iter__(self) -> Iterator[str]:
        self._recorder.scanned = True
        return iter(self._ledger)

    def __len__(self) -> int:
        self._recorder.scanned = True
        return len(self._ledger)


class _Store:
    """The store, noting the descriptions read (any other read counts as a scan)."""

    def __init__(self, store: Any, recorder: _Recorder) -> None:
        self._store, self._recorder = store, recorder

    def describe_triples(self, iri: str, *, links: bool = True) -> list[ox.Triple]:
        self._recorder.store.setdefault((iri, links), None)
        found: list[ox.Triple] = self._store.describe_triples(iri, links=links)
        return found

    def __getattr__(self, name: str) -> Any:
        self._recorder.scanned = True
        return getattr(self._store, name)


class _Recorder:
    def __init__(self, ledger: Mapping[str, dict[str, Any]], store: Any) -> None:
        self.ledger: dict[str, None] = {}  # in the order first read
        self.store: dict[tuple[str, bool], None] = {}
        self.scanned = False
        self.wrapped_ledger = _Ledger(ledger, self)
        self.wrapped_store = _Store(store, self)

    def reads(self) -> dict[str, Any]:
        return {"ledger": list(self.ledger), "store": [list(key) for key in self.store]}


def _describe(context: Any, inputs: _Inputs, recorder: _Recorder) -> list[EntityState]:
    from publisher.catalog import register
    from publisher.catalog.common import Context
    from publisher.store import ReadStore

    ctx = Context(
        uris=context.uris,
        store=cast(ReadStore, recorder.wrapped_store),
        modified=inputs.built,
        manifest={"dumps": inputs.dumps},
        ledger=cast(dict[str, dict[str, Any]], recorder.wrapped_ledger),
        _memo=dict(inputs.memo),
    )
    local = f"{context.uris.page('catalog')}#"
    found = []
    for item in register.items(ctx):
        graph = ctx.graph()
        register.add_items(ctx, graph, [item])
        triples = _to_ox(graph)
        selected = payload.graph_closure(triples, str(item.iri), follow=(local,))
        # Distribution dates say when this build wrote the files: volatile too.
        selected = [
            t
            for t in selected
            if not (
                str(t[0]) != f"<{item.iri}>" and t[1].value == "http://purl.org/dc/terms/modified"
            )
        ]
        found.append(payload.live_entity(str(item.iri), "dataset", payload.to_lines(selected)))
    return found


def _to_ox(graph: Any) -> list[payload.Triple]:
    data = graph.serialize(format="nt", encoding="utf-8")
    found: list[payload.Triple] = []
    for triple in ox.parse(data, format=ox.RdfFormat.N_TRIPLES):
        found.append((triple.subject, triple.predicate, triple.object))
    return found
