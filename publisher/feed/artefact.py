"""The build artefact ``feed``: the event stream's pages, carried from publication to
publication.

Unlike a cache, the feed is history: its closed pages are published, immutable facts (like
the ledger), so they are copied from the previous publication whatever code built it
(``context.previous``, not ``previous_folder``); only the open page and the root are
written anew, and only what changed since the previous feed becomes a new activity. The
result depends on the previous publication by design: a cold build starts a new history.

An entity's payload is its description in the store, whose hash is the ledger's: when the
previous publication was built by the same code (``context.previous_folder`` is given), its
feed shows every entity of its ledger as that ledger has it (live, or deleted), so only the
entities whose ledger entry changed (``context.changed``) can give an activity: only they
are looked at, in the state (``state.Entities``: a few lines of it parsed) and in the store.
The catalogue datasets are described again only when what their description reads changed
(``datasets``), the ledger-wide dates come from the previous feed's summary updated by the
changed entries (``summary``), and closed pages are linked, not copied. The result is the
one a computation of every payload gives (tests/feed/test_feed_incremental.py).

Files (under ``artefacts/feed/``): ``state.json`` (per entity its last activity; the pages;
what the next build reuses),
``root.{trig,nq,jsonld}``, ``pages/{n}.{trig,nq,jsonld}``, and ``pages/{n}.members.nq`` for
the open page (its members, to append to).
"""

from __future__ import annotations

import gc
import os
import shutil
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from datetime import UTC, datetime
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from publisher.feed import datasets as feed_datasets
from publisher.feed import pages as feed_pages
from publisher.feed import payload
from publisher.feed.activities import Activity, EntityState, activity_for, deletions
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
from publisher.feed.state import Entities, State, load
from publisher.feed.summary import DATES, Summary

NAME = "feed"
STATE = "state.json"
FEED_KINDS = ("offering", "supplier", "licence")
CC_BY_4 = "http://creativecommons.org/licenses/by/4.0/"
DOCUMENTS = ("trig", "nq", "jsonld")


def write_feed(context: Any) -> None:
    """The artefact function (``publisher.artefacts``)."""
    # What is made here is little and kept to the end, but the build's process holds
    # millions of objects: a collection of the oldest generation, which the feed's
    # allocations may trigger, walks them all (a quarter of a second at 30,000 offerings).
    collecting = gc.isenabled()
    gc.disable()
    try:
        _write_feed(context)
    finally:
        if collecting:
            gc.enable()


def _write_feed(context: Any) -> None:
    iris = FeedIris(context.uris)
    folder: Path = context.folder
    previous = context.previous.artefact(NAME) if context.previous is not None else None
    # The previous feed's state means the same only if the same code wrote it: then it
    # shows every entity of the previous ledger as that ledger has it, and only the
    # entities of ``context.changed`` (and the catalogue datasets) need a look.
    settled = previous is not None and context.previous_folder is not None
    state = load(previous / STATE, whole=not settled) if previous is not None else State()
    if settled and not state.extra:  # not written as this code writes it
        assert previous is not None
        settled, state = False, load(previous / STATE, whole=True)
    pages = [Page(**p) for p in state.pages]
    (folder / "pages").mkdir(parents=True, exist_ok=True)
    if previous is not None:
        for page in pages:
            if page.closed:
                for ext in DOCUMENTS:
                    _copy(previous / "pages" / f"{page.number}.{ext}", folder / "pages", True)
            else:  # its documents are copied at the end if no member was added to it
                _copy(previous / "pages" / f"{page.number}.members.nq", folder / "pages")
    summary = _summary(context, state.extra.get("ledger") if settled else None)
    published = _published(summary, state.last_published)
    kept = state.extra.get("datasets") if settled else None
    datasets = feed_datasets.describe(context, summary, kept)
    listed_before = list(kept.get("iris", [])) if kept is not None else []
    vocab = str(context.uris.vocab)
    known = state.entities
    with _Pages(iris, folder, pages, previous) as writer:
        for activity, entity in _activities(
            context, known, datasets, published, settled, listed_before
        ):
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
            state.last_published = published
    state.pages = [p.to_json() for p in pages]
    state.extra = {"datasets": datasets.to_json(), "ledger": summary.to_json()}
    publisher = str(context.uris.thing("supplier", "coss"))
    _write_all(folder / "root", serialize(root_quads(iris, pages, publisher, CC_BY_4)))
    (folder / STATE).write_text(state.text(), encoding="utf-8")


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


def _summary(context: Any, kept: dict[str, Any] | None) -> Summary:
    """The ledger's summary: the previous one updated by the changed entries when the
    previous feed kept it (``settled``), else from the whole ledger."""
    if kept is not None and context.previous is not None:
        # The build has read the previous ledger already (context.changed).
        updated = Summary.from_json(kept).updated(
            context.changed, context.previous.ledger, context.ledger
        )
        if updated is not None:
            return updated
    return Summary.of(context.ledger)


def _published(summary: Summary, last: str | None) -> str:
    """When this build's activities are published: the build's time, as the ledger stamps
    what it changed now (its latest stamp), never at or before the previous activities."""
    stamps = [value for key in DATES if (value := summary.latest[key].value) is not None]
    moment = normal_time(max(stamps)) if stamps else normal_time(datetime.now(UTC).isoformat())
    if last is not None and moment <= last:
        moment = feed_pages.upper_bound(last)
    return moment


# ---------------------------------------------------------------------------- entities


def _activities(
    context: Any,
    known: Entities,
    datasets: feed_datasets.Datasets,
    published: str,
    settled: bool,
    listed_before: list[str],
) -> Iterator[tuple[Activity, EntityState | None]]:
    """The activities of this build, in the feed's order (deletions, then by entity),
    with the entity each one shows. Payloads are computed one entity at a time as the
    activities are written, never all held at once. When the previous feed is
    ``settled`` (it shows every entity of the previous ledger as it was), only the
    entities whose ledger entry changed can give one, besides the datasets."""
    ledger = context.ledger
    removed: list[EntityState] = []
    live: list[tuple[str, str]] = []
    gone: set[str] = set()  # may be shown by the feed and no longer published
    for iri in sorted(context.changed) if settled else ledger:
        entry = ledger.get(iri)
        kind = entry.get("kind") if entry is not None else None
        if kind not in FEED_KINDS:
            gone.add(iri)
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
    # Anything else the feed shows and the publication no longer has (a catalogue
    # dataset no longer listed) is deleted; settled, only those can be such.
    gone.update(known.iris() if not settled else listed_before)
    listed = set(datasets.iris)
    present = [
        iri for iri in gone if iri in listed or (ledger.get(iri) or {}).get("kind") in FEED_KINDS
    ]
    gone.difference_update(present)
    for deletion in deletions(removed, sorted(gone), known, published):
        yield deletion, None
    descriptions = _Descriptions(context, len(live))
    own = {e.iri: e for e in datasets.entities or []}
    for iri, kind in sorted(live + [(iri, "dataset") for iri in own]):
        entity = own.get(iri) or payload.live_entity(iri, kind, descriptions.of(iri))
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
        self.graph = str(context.uris.graph("catalogue"))
        self.index = payload.dump_index_of(context) if wanted >= DUMP_READ_MIN else None
        self.store: ox.Store | None = None
        if self.index is None and wanted:
            self.store = ox.Store.read_only(str(context.store_path))

    def of(self, iri: str) -> list[str]:
        if self.index is not None:
            return self.index.closure(iri)
        assert self.store is not None
        return payload.text_closure(self.store, iri, self.graph)


# ---------------------------------------------------------------------------- pages


_KIND_CLASS = {"offering": "Offering", "supplier": "Supplier", "licence": "Licence"}


class _Pages:
    """Appends members to the open page, opening pages as they fill; writes the documents
    of every page it filled or closed (a closed page as soon as it closes: its documents
    are final then) and, at the end, of the open page. The TriG and JSON-LD documents of
    many pages are written by worker processes (parsing and serialising them is most of
    a first feed's work), while this process goes on with the next members."""

    def __init__(
        self, iris: FeedIris, folder: Path, pages: list[Page], previous: Path | None
    ) -> None:
        self.iris, self.dir, self.pages = iris, folder / "pages", pages
        self.previous = previous / "pages" if previous is not None else None
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
        elif self.open is not None and self.previous is not None:
            for ext in DOCUMENTS:  # the previous open page, as it was
                _copy(self.previous / f"{self.open.number}.{ext}", self.dir)
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
