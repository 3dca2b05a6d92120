"""The build artefact ``feed``: the event stream's pages, carried from publication to
publication.

Unlike a cache, the feed is history: its closed pages are published, immutable facts (like
the ledger), so they are copied from the previous publication whatever code built it
(``context.previous``, not ``previous_folder``); only the open page and the root are
written anew, and only what changed since the previous feed becomes a new activity. The
result depends on the previous publication by design: a cold build starts a new history.

An entity's payload is its description in the store, whose hash is the ledger's: when the
previous publication was built by the same code (``context.previous_folder`` is given), an
entity whose ledger entry did not change (``context.changed``) and that the feed already
shows as it is now (live, or deleted) can give no activity, so its payload is not computed
again. Only the changed entities and the few catalogue datasets are read from the store;
closed pages are linked, not copied. The result is the one a computation of every payload
gives (tests/feed/test_feed_incremental.py).

Files (under ``artefacts/feed/``): ``state.json`` (per entity its last activity; the pages),
``root.{trig,nq,jsonld}``, ``pages/{n}.{trig,nq,jsonld}``, and ``pages/{n}.members.nq`` for
the open page (its members, to append to).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from datetime import UTC, datetime
from multiprocessing import get_context
from operator import methodcaller
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from publisher.feed import pages as feed_pages
from publisher.feed import payload
from publisher.feed.activities import Activity, EntityState, activity_for, changes
from publisher.feed.model import DELETE, FeedIris
from publisher.feed.pages import (
    Page,
    documents,
    member_quads,
    member_text,
    normal_time,
    page_metadata,
    root_quads,
    serialize,
)

NAME = "feed"
STATE = "state.json"
FEED_KINDS = ("offering", "supplier", "licence")
CC_BY_4 = "http://creativecommons.org/licenses/by/4.0/"
# Facts about one build's dump files, not about the dataset: left out of the payloads (a
# harvester gets them from /catalog), so that a rebuild does not read as an Update.
VOLATILE = {
    "http://spdx.org/rdf/terms#checksum",
    "http://www.w3.org/ns/dcat#byteSize",
}


def write_feed(context: Any) -> None:
    """The artefact function (``publisher.artefacts``)."""
    iris = FeedIris(context.uris)
    folder: Path = context.folder
    previous = context.previous.artefact(NAME) if context.previous is not None else None
    state = _load_state(previous)
    pages = [Page(**p) for p in state.get("pages", [])]
    (folder / "pages").mkdir(parents=True, exist_ok=True)
    if previous is not None:
        for page in pages:
            for ext in ("trig", "nq", "jsonld"):
                _copy(previous / "pages" / f"{page.number}.{ext}", folder / "pages", page.closed)
            if not page.closed:
                _copy(previous / "pages" / f"{page.number}.members.nq", folder / "pages")
    known: dict[str, dict[str, Any]] = state.get("entities", {})
    # The previous feed's hashes mean the same only if the same code computed them.
    settled = known if previous is not None and context.previous_folder is not None else None
    published = _published(context.ledger, state.get("last_published"))
    vocab = str(context.uris.vocab)
    with _Pages(iris, folder, pages) as writer:
        for activity, entity in _activities(context, settled, known, published):
            lines = entity.payload if entity is not None else []
            former = vocab + _KIND_CLASS[activity.kind] if activity.kind in _KIND_CLASS else None
            activity_iri = writer.add(activity, lines, former)
            known[activity.object] = {
                "type": activity.type,
                "hash": activity.payload_hash if activity.type != DELETE else None,
                "activity": activity_iri,
                "published": activity.published,
            }
        if writer.added:
            state["last_published"] = published
    state["entities"] = dict(sorted(known.items()))
    state["pages"] = [p.to_json() for p in pages]
    state["version"] = 1
    publisher = str(context.uris.thing("supplier", "coss"))
    _write_all(folder / "root", serialize(root_quads(iris, pages, publisher, CC_BY_4)))
    # Compact: the indented form goes through json's pure-Python encoder (1.6 s at 30,000
    # offerings, most of an incremental feed); this one through its C encoder.
    text = json.dumps(state, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    (folder / STATE).write_text(text + "\n", encoding="utf-8")


def _load_state(previous: Path | None) -> dict[str, Any]:
    if previous is None or not (previous / STATE).is_file():
        return {}
    data: dict[str, Any] = json.loads((previous / STATE).read_text(encoding="utf-8"))
    return data


def _copy(source: Path, folder: Path, immutable: bool = False) -> None:
    """Copy ``source`` into ``folder``; a closed page's file (never written again, here or
    in the previous publication) is hard-linked instead where the file system allows."""
    if not source.is_file():
        return
    if immutable:
        try:
            os.link(source, folder / source.name)
            return
        except OSError:
            pass
    shutil.copy2(source, folder / source.name)


def _latest(ledger: dict[str, dict[str, Any]], key: str) -> str | None:
    """The latest value of ``key`` in the ledger's entries (loops in C: 38,000 entries)."""
    return max(map(str, filter(None, map(methodcaller("get", key), ledger.values()))), default=None)


def _published(ledger: dict[str, dict[str, Any]], last: str | None) -> str:
    """When this build's activities are published: the build's time, as the ledger stamps
    what it changed now (its latest stamp), never at or before the previous activities."""
    stamps = [
        stamp
        for key in ("first_published", "modified", "removed")
        if (stamp := _latest(ledger, key)) is not None
    ]
    moment = normal_time(max(stamps)) if stamps else normal_time(datetime.now(UTC).isoformat())
    if last is not None and moment <= last:
        moment = feed_pages.upper_bound(last)
    return moment


# ---------------------------------------------------------------------------- entities


def _activities(
    context: Any,
    settled: dict[str, dict[str, Any]] | None,
    known: dict[str, dict[str, Any]],
    published: str,
) -> Iterator[tuple[Activity, EntityState | None]]:
    """The activities of this build, in the feed's order (``activities.changes``:
    deletions, then by entity), with the entity each one shows. Payloads are computed one
    entity at a time as the activities are written, never all held at once. Given
    ``settled`` (the previous feed's state, computed by the same code), an entity it
    already shows as it is and whose ledger entry did not change is not looked at."""
    removed: list[EntityState] = []
    live: list[tuple[str, str]] = []
    present: set[str] = set()
    for iri, entry in context.ledger.items():
        kind = entry.get("kind")
        if kind not in FEED_KINDS:
            continue
        present.add(iri)
        if settled is not None and _unchanged(iri, entry, settled, context.changed):
            continue
        if entry.get("removed"):
            successor = entry.get("renamed_to") or entry.get("replaced_by")
            removed.append(
                EntityState(
                    iri,
                    kind,
                    live=False,
                    removed=normal_time(str(entry["removed"])),
                    replaced_by=successor,
                )
            )
        else:
            live.append((iri, kind))
    removed.sort(key=lambda e: e.iri)
    datasets = {e.iri: e for e in _datasets(context)}
    present.update(datasets)
    for deletion in changes(removed, known, published, present=present):
        yield deletion, None
    descriptions = _Descriptions(context, len(live))
    for iri, kind in sorted(live + [(iri, "dataset") for iri in datasets]):
        entity = datasets.get(iri) or _live(iri, kind, descriptions.of(iri))
        activity = activity_for(entity, known.get(iri), published)
        if activity is not None:
            yield activity, entity


# From this many entities on, descriptions are read from the N-Quads dump's text: one
# pass over it costs less than looking up so many in the store.
DUMP_READ_MIN = 2_000


class _Descriptions:
    """Entities' descriptions in the catalogue graph, as text (payload.TextTriple): from
    the store, or from the N-Quads dump the store was made of (the same quads) when many
    are wanted."""

    def __init__(self, context: Any, wanted: int) -> None:
        from publisher.build.dumps import DUMP_NAME

        self.graph = str(context.uris.graph("catalogue"))
        nquads = Path(context.publication_dir) / "dumps" / f"{DUMP_NAME}.nq"
        self.index: payload.DumpIndex | None = None
        self.store: ox.Store | None = None
        if wanted >= DUMP_READ_MIN and nquads.is_file():
            store = ox.Store.read_only(str(context.store_path))
            empty = next(iter(store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None)
            del store
            self.index = payload.DumpIndex(nquads, self.graph, default_graph_empty=empty is None)
        elif wanted:
            self.store = ox.Store.read_only(str(context.store_path))

    def of(self, iri: str) -> list[str]:
        if self.index is not None:
            return self.index.closure(iri)
        assert self.store is not None
        return payload.text_closure(self.store, iri, self.graph)


def _unchanged(
    iri: str, entry: dict[str, Any], settled: dict[str, dict[str, Any]], changed: frozenset[str]
) -> bool:
    """Does the feed show the entity as it is? Its ledger entry (the hash of its
    description, its removal) is the one of the previous publication, whose feed has it
    live when it is live and deleted when it is removed."""
    if iri in changed:
        return False
    before = settled.get(iri)
    if before is None:
        return False
    return (before.get("type") == DELETE) == bool(entry.get("removed"))


def _live(iri: str, kind: str, lines: list[str]) -> EntityState:
    text = "\n".join(lines)
    if "spdx.org/rdf/terms#checksum" in text or "dcat#byteSize" in text:
        lines = [line for line in lines if not _volatile(line)]
    described = payload.canonical(lines, payload.PLACEHOLDER + "b")
    digest = payload.text_hash(described)
    return EntityState(iri, kind, live=True, payload=described, payload_hash=digest)


def _volatile(line: str) -> bool:
    predicate = line.index(" ") + 1
    return any(line.startswith(f"<{iri}> ", predicate) for iri in VOLATILE)


def _datasets(context: Any) -> list[EntityState]:
    """The catalogue-level datasets of ``/catalog`` (the register, the ontology, each
    concept scheme), described as ``/catalog`` describes them."""
    from publisher.catalog import register
    from publisher.catalog.common import Context
    from publisher.store import ReadStore

    store = ReadStore(context.store_path)
    dumps = {
        path.name: {"media_type": _DUMP_TYPES.get(path.suffix.lstrip("."), "")}
        for path in sorted((context.publication_dir / "dumps").glob("*"))
    }
    ledger = context.ledger
    latest = _latest(ledger, "modified")
    built = datetime.fromisoformat(latest) if latest else datetime.now(UTC)
    ctx = Context(
        uris=context.uris, store=store, modified=built, manifest={"dumps": dumps}, ledger=ledger
    )
    local = f"{context.uris.page('catalog')}#"
    found = []
    for item in register.items(ctx):
        graph = ctx.graph()
        register.add_items(ctx, graph, [item])
        triples = _rdflib_to_ox(graph)
        # Distribution dates say when this build wrote the files: volatile too.
        selected = payload.graph_closure(triples, str(item.iri), follow=(local,))
        selected = [
            t
            for t in selected
            if not (
                str(t[0]) != f"<{item.iri}>" and t[1].value == "http://purl.org/dc/terms/modified"
            )
        ]
        found.append(_live(str(item.iri), "dataset", payload.to_lines(selected)))
    return found


_DUMP_TYPES = {
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "nq": "application/n-quads",
    "jsonld": "application/ld+json",
    "rdf": "application/rdf+xml",
    "trig": "application/trig",
}


def _rdflib_to_ox(graph: Any) -> list[payload.Triple]:
    data = graph.serialize(format="nt", encoding="utf-8")
    found: list[payload.Triple] = []
    for triple in ox.parse(data, format=ox.RdfFormat.N_TRIPLES):
        found.append((triple.subject, triple.predicate, triple.object))
    return found


# ---------------------------------------------------------------------------- pages


_KIND_CLASS = {"offering": "Offering", "supplier": "Supplier", "licence": "Licence"}


class _Pages:
    """Appends members to the open page, opening pages as they fill; writes the documents
    of every page it filled or closed (a closed page as soon as it closes: its documents
    are final then) and, at the end, of the open page. The TriG and JSON-LD documents of
    many pages are written by worker processes (parsing and serialising them is most of
    a first feed's work), while this process goes on with the next members."""

    def __init__(self, iris: FeedIris, folder: Path, pages: list[Page]) -> None:
        self.iris, self.dir, self.pages = iris, folder / "pages", pages
        self.open = pages[-1] if pages and not pages[-1].closed else None
        self.members: list[str] = []
        if self.open is not None:
            path = self.members_path(self.open)
            self.members = [path.read_text(encoding="utf-8")] if path.is_file() else []
        self.added = 0
        self.dirty = False  # the open page has new members
        self.pool: ProcessPoolExecutor | None = None
        self.jobs: list[Future[float]] = []

    def __enter__(self) -> _Pages:
        return self

    def __exit__(self, kind: object, *_rest: object) -> None:
        try:
            if kind is None:
                self.finish()
        finally:
            if self.pool is not None:
                self.pool.shutdown(wait=True, cancel_futures=kind is not None)

    def members_path(self, page: Page) -> Path:
        return self.dir / f"{page.number}.members.nq"

    def add(self, activity: Activity, lines: list[str], former: str | None) -> str:
        """Append the activity's member; return the activity's IRI."""
        if self.open is None or self.open.count >= feed_pages.PAGE_SIZE:
            full = self.open
            number = self.pages[-1].number + 1 if self.pages else 1
            self.open = Page(number, activity.published, activity.published, 0)
            self.pages.append(self.open)
            if full is not None:
                full.closed = True
                self._write(full, self.members)
                self.members_path(full).unlink(missing_ok=True)
            self.members = []
        page = self.open
        activity_iri = self.iris.activity(page.number, activity.digest)
        prefix = f"m{activity.digest}"
        if activity.type == DELETE:
            quads = member_quads(
                self.iris,
                activity_iri,
                activity.type,
                activity.object,
                activity.published,
                [],
                replaced_by=activity.replaced_by,
                removed=activity.removed,
                former_type=former,
                bnode_prefix=prefix,
            )
            text = (ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b"").decode()
        else:
            text = member_text(
                self.iris,
                activity_iri,
                activity.type,
                activity.object,
                activity.published,
                lines,
                prefix,
            )
        self.members.append(text)
        page.count += 1
        page.last = activity.published
        self.added += 1
        self.dirty = True
        return activity_iri

    def finish(self) -> None:
        if self.open is not None and self.dirty:
            self.members_path(self.open).write_text("".join(self.members), encoding="utf-8")
            self._write(self.open, self.members)
        global worker_cpu
        worker_cpu = sum(job.result() for job in self.jobs)

    def _write(self, page: Page, members: list[str]) -> None:
        index = self.pages.index(page)
        following = self.pages[index + 1] if index + 1 < len(self.pages) else None
        metadata = page_metadata(self.iris, page, following)
        data = "".join(members).encode()
        stem = self.dir / str(page.number)
        if self.added < POOL_MIN_MEMBERS:
            _write_all(stem, documents(metadata, data))
            return
        nquads = stem.with_name(f"{stem.name}.nq")
        nquads.write_bytes((ox.serialize(metadata, format=ox.RdfFormat.N_QUADS) or b"") + data)
        if self.pool is None:
            self.pool = ProcessPoolExecutor(
                max_workers=POOL_WORKERS, mp_context=get_context("forkserver")
            )
        self.jobs.append(self.pool.submit(feed_pages.write_documents, str(nquads)))


# CPU seconds the worker processes took in the last feed written (bench_artefacts).
worker_cpu = 0.0
# Pages are handed to worker processes once this many members were added in this build.
POOL_MIN_MEMBERS = 2 * 250
POOL_WORKERS = 2


def _write_all(stem: Path, documents: dict[str, bytes]) -> None:
    for ext, data in documents.items():
        stem.with_name(f"{stem.name}.{ext}").write_bytes(data)
