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
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from publisher.feed import pages as feed_pages
from publisher.feed import payload
from publisher.feed.activities import Activity, EntityState, changes
from publisher.feed.model import DELETE, FeedIris
from publisher.feed.pages import (
    Page,
    member_quads,
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
    entities, present = current_entities(context, settled)
    published = _published(context.ledger, state.get("last_published"))
    activities = changes(entities, known, published, present=present)
    by_iri = {e.iri: e for e in entities}
    touched = _append(iris, folder, pages, activities, by_iri, known, context)
    if activities:
        state["last_published"] = published
    state["entities"] = dict(sorted(known.items()))
    state["pages"] = [p.to_json() for p in pages]
    state["version"] = 1
    for number in sorted(touched):
        _render_page(iris, folder, pages, number)
    # A closed page keeps only its documents; its members file is not needed any more.
    for page in pages:
        if page.closed:
            (folder / "pages" / f"{page.number}.members.nq").unlink(missing_ok=True)
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


def _published(ledger: dict[str, dict[str, Any]], last: str | None) -> str:
    """When this build's activities are published: the build's time, as the ledger stamps
    what it changed now (its latest stamp), never at or before the previous activities."""
    stamps = [
        str(value)
        for entry in ledger.values()
        for value in (entry.get("first_published"), entry.get("modified"), entry.get("removed"))
        if value
    ]
    moment = normal_time(max(stamps)) if stamps else normal_time(datetime.now(UTC).isoformat())
    if last is not None and moment <= last:
        moment = feed_pages.upper_bound(last)
    return moment


# ---------------------------------------------------------------------------- entities


def current_entities(
    context: Any, settled: dict[str, dict[str, Any]] | None = None
) -> tuple[list[EntityState], set[str]]:
    """The entities the feed is about, live or removed, with their payloads, and the IRIs of
    all of them. Given ``settled`` (the previous feed's state, computed by the same code),
    an entity it already shows as it is and whose ledger entry did not change is left out
    of the list (it can give no activity), not out of the IRIs."""
    catalogue_graph = str(context.uris.graph("catalogue"))
    store = ox.Store.read_only(str(context.store_path))
    entities: list[EntityState] = []
    present: set[str] = set()
    for iri, entry in sorted(context.ledger.items()):
        kind = entry.get("kind")
        if kind not in FEED_KINDS:
            continue
        present.add(iri)
        if settled is not None and _unchanged(iri, entry, settled, context.changed):
            continue
        if entry.get("removed"):
            successor = entry.get("renamed_to") or entry.get("replaced_by")
            entities.append(
                EntityState(
                    iri,
                    kind,
                    live=False,
                    removed=normal_time(str(entry["removed"])),
                    replaced_by=successor,
                )
            )
            continue
        triples = payload.closure(store, iri, catalogue_graph)
        entities.append(_live(iri, kind, triples))
    datasets = _datasets(context)
    entities.extend(datasets)
    present.update(e.iri for e in datasets)
    del store
    return entities, present


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


def _live(iri: str, kind: str, triples: list[payload.Triple]) -> EntityState:
    triples = [t for t in triples if str(t[1].value) not in VOLATILE]
    lines = payload.canonical_lines(triples, "urn:x-payload", "b")
    digest = payload.description_hash(triples)
    return EntityState(iri, kind, live=True, payload=lines, payload_hash=digest)


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
    moments = [str(e.get("modified")) for e in ledger.values() if e.get("modified")]
    built = datetime.fromisoformat(max(moments)) if moments else datetime.now(UTC)
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
        found.append(_live(str(item.iri), "dataset", selected))
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


def _append(
    iris: FeedIris,
    folder: Path,
    pages: list[Page],
    activities: list[Activity],
    entities: dict[str, EntityState],
    known: dict[str, dict[str, Any]],
    context: Any,
) -> set[int]:
    """Add the activities to the open page (opening pages as they fill); update ``known``;
    return the numbers of the pages whose documents must be written."""
    touched: set[int] = set()
    if not activities:
        return touched
    open_page = pages[-1] if pages and not pages[-1].closed else None
    members_text = ""
    if open_page is not None:
        path = folder / "pages" / f"{open_page.number}.members.nq"
        members_text = path.read_text(encoding="utf-8") if path.is_file() else ""
    vocab = str(context.uris.vocab)
    for activity in activities:
        if open_page is None or open_page.count >= feed_pages.PAGE_SIZE:
            if open_page is not None:
                _save_members(folder, open_page, members_text)
                open_page.closed = True
                touched.add(open_page.number)
            number = pages[-1].number + 1 if pages else 1
            open_page = Page(number, activity.published, activity.published, 0)
            pages.append(open_page)
            members_text = ""
        activity_iri = iris.activity(open_page.number, activity.digest)
        entity = entities.get(activity.object)
        lines = entity.payload if entity is not None else []
        former = vocab + _KIND_CLASS[activity.kind] if activity.kind in _KIND_CLASS else None
        quads = member_quads(
            iris,
            activity_iri,
            activity.type,
            activity.object,
            activity.published,
            lines,
            replaced_by=activity.replaced_by,
            removed=activity.removed,
            former_type=former,
            bnode_prefix=f"m{activity.digest}",
        )
        members_text += (ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b"").decode()
        open_page.count += 1
        open_page.last = activity.published
        known[activity.object] = {
            "type": activity.type,
            "hash": activity.payload_hash if activity.type != DELETE else None,
            "activity": activity_iri,
            "published": activity.published,
        }
        touched.add(open_page.number)
    if open_page is not None:
        _save_members(folder, open_page, members_text)
    return touched


def _save_members(folder: Path, page: Page, text: str) -> None:
    (folder / "pages" / f"{page.number}.members.nq").write_text(text, encoding="utf-8")


def _render_page(iris: FeedIris, folder: Path, pages: list[Page], number: int) -> None:
    index = next(i for i, p in enumerate(pages) if p.number == number)
    page = pages[index]
    following = pages[index + 1] if index + 1 < len(pages) else None
    members_path = folder / "pages" / f"{number}.members.nq"
    members = list(ox.parse(members_path.read_bytes(), format=ox.RdfFormat.N_QUADS))
    quads = page_metadata(iris, page, following) + members
    _write_all(folder / "pages" / str(number), serialize(quads))


def _write_all(stem: Path, documents: dict[str, bytes]) -> None:
    for ext, data in documents.items():
        stem.with_name(f"{stem.name}.{ext}").write_bytes(data)
