"""Build artefacts: the extra things a publication carries, written by their owners' code.

The build writes the store, the dumps, the ledger and the manifest itself. Everything else a
publication carries (the site index, the search index, feed pages, precomputed catalogue
pages, ...) is an *artefact*: a function of its owner's module that the build calls, once
per build, through the one registry below. Adding one is one line in ``ARTEFACTS``::

    Artefact("site-index", "publisher.search.index:write_site_index", "entities, cards, facets")

The function is imported only when the build runs it (``"module:function"``), and must not
import Flask (nothing the build imports may). It is called as ``write(context)`` with an
``ArtefactContext`` and writes into ``context.folder`` (``<publication>/artefacts/<name>/``,
created empty for it) and nowhere else; the web layer finds it again with
``Publication.artefact(name)``.

Rules every artefact follows:

* **Deterministic**: the same records, ledger and store give the same bytes (no clock, no
  random ids, no dict-order or set-order accidents, SQLite written in one order). The
  build's determinism test builds twice and compares every file of the publication,
  artefacts included.
* **All or nothing**: raise to fail the build; the staging publication is then removed and
  what is served stays untouched. Never write outside ``context.folder``.
* **Reuse** is allowed, never required: ``context.previous_folder`` is the same artefact of
  the previous publication, given only when that publication was built by the same code
  (``code_version``) under the same base URI, so its bytes meant the same. ``context.changed``
  names the IRIs whose description changed since then (added, modified or removed, by the
  ledger's hashes); an artefact may copy its previous output and redo only those. A reused
  result must be byte-identical to a recomputed one (the incremental-build test compares a
  cold and an incremental build file by file).
"""

from __future__ import annotations

import hashlib
import importlib
import os
import resource
import shutil
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from publisher.config import Settings
from publisher.publication import ARTEFACTS_DIR, Publication
from publisher.uris import UriScheme
from sparql_endpoint.allocator import trim_heap

Progress = Callable[[str], None]


@dataclass(frozen=True)
class ArtefactContext:
    """What an artefact gets. Read everything; write only into ``folder``."""

    name: str
    folder: Path  # <staging publication>/artefacts/<name>/, empty, to write into
    publication_dir: Path  # the staging publication (store/ and dumps/ written already)
    load_records: Callable[[], Any] = field(repr=False)  # see ``records``
    ledger: dict[str, dict[str, Any]]  # the new ledger (publisher.ledger), IRI → entry
    store_path: Path  # the new publication's store, closed: open it with ReadStore
    previous: Publication | None  # the publication being replaced (None on a first build)
    previous_folder: Path | None  # this artefact in ``previous``, when it may be reused
    changed: frozenset[str]  # IRIs whose ledger entry changed since ``previous``
    settings: Settings
    uris: UriScheme
    code_version: str  # hash of the publisher's code and key library versions
    # What one artefact made that another needs too, made once per build (one dict for all
    # of a build's artefacts; see publisher.feed.payload.dump_index_of).
    shared: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @cached_property
    def records(self) -> Any:
        """publisher.sources.Catalogue: every supplier and offering record. Loaded on first
        use (from the build's cache; a few seconds for 30,000 offerings): an artefact that
        reuses its previous output and only redoes ``changed`` may never need them."""
        return self.load_records()


@dataclass(frozen=True)
class Artefact:
    name: str  # folder name under artefacts/, and the key in the manifest
    target: str  # "package.module:function", called with an ArtefactContext
    description: str = ""

    def load(self) -> Callable[[ArtefactContext], None]:
        module_name, _, function = self.target.partition(":")
        write = getattr(importlib.import_module(module_name), function)
        if not callable(write):
            raise TypeError(f"artefact {self.name}: {self.target} is not callable")
        return write


# The registry, in the order the build runs them. Owners add their line here (and say so in
# /work/coord/LOG.md); the build itself registers none.
ARTEFACTS: tuple[Artefact, ...] = (
    Artefact(
        "site-index",
        "publisher.siteindex.writer:write_artefact",
        "entities, labels, offering cards, facets, full-text search, suggestions (discovery)",
    ),
    Artefact("void", "publisher.void_stats:write_artefact", "VoID statistics of the store (web)"),
    Artefact("feed", "publisher.feed.artefact:write_feed", "/feed: the DCAT-AP Feed (LDES) pages"),
    Artefact("adms", "publisher.catalog.admsparts:write_artefact", "/catalog/adms records (web)"),
)


def write_artefacts(
    artefacts: Iterable[Artefact],
    *,
    publication_dir: Path,
    records: Callable[[], Any],
    ledger: dict[str, dict[str, Any]],
    previous: Publication | None,
    previous_reusable: bool,
    changed: frozenset[str],
    settings: Settings,
    uris: UriScheme,
    code_version: str,
    progress: Progress,
) -> dict[str, dict[str, Any]]:
    """Run every artefact into ``publication_dir/artefacts/``; return their manifest
    entries (the files each wrote, with sizes and sha256). A file that is a hard link to the
    same file of the previous publication's artefact keeps its entry there; the others are
    hashed in a thread while the next artefact is written."""
    entries: dict[str, dict[str, Any]] = {}
    names: set[str] = set()
    shared: dict[str, Any] = {}
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="artefact-hash") as hashing:
        pending: list[tuple[str, Future[dict[str, dict[str, Any]]]]] = []
        for artefact in artefacts:
            # What the files left, and each artefact's own working memory once it is done
            # (the site index's ~700 MB at 30,000 offerings), is free but kept by glibc in
            # its heap, fragmented: the next artefact would add to it, not reuse it. At
            # 30,000 offerings the tree's peak was then the feed's, 1.45 GB; with this it is
            # the files phase's, 1.3 GB (the main process's 1.07).
            trim_heap()
            if artefact.name in names or "/" in artefact.name or artefact.name.startswith("."):
                raise ValueError(f"artefact name {artefact.name!r} is not a unique folder name")
            names.add(artefact.name)
            folder = publication_dir / ARTEFACTS_DIR / artefact.name
            if folder.exists():
                shutil.rmtree(folder)
            folder.mkdir(parents=True)
            previous_folder = (
                previous.artefact(artefact.name) if previous and previous_reusable else None
            )
            context = ArtefactContext(
                name=artefact.name,
                folder=folder,
                publication_dir=publication_dir,
                load_records=records,
                ledger=ledger,
                store_path=publication_dir / "store",
                previous=previous,
                previous_folder=previous_folder,
                changed=changed,
                settings=settings,
                uris=uris,
                code_version=code_version,
                shared=shared,
            )
            started = time.perf_counter()
            artefact.load()(context)
            files = _listing(folder)
            known = _linked_from(previous, artefact.name)
            pending.append((artefact.name, hashing.submit(_files, folder, known, files)))
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            progress(
                f"  artefact {artefact.name}: {len(files)} file(s) "
                f"in {time.perf_counter() - started:.2f} s (peak RSS so far {peak:.0f} MB)"
            )
        for name, future in pending:
            entries[name] = {"files": future.result()}
    return entries


def _listing(folder: Path) -> dict[str, int]:
    """Relative path → inode of every file in ``folder``, sorted by path."""
    found: dict[str, int] = {}

    def walk(path: str, prefix: str) -> None:
        with os.scandir(path) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    walk(entry.path, f"{prefix}{entry.name}/")
                elif entry.is_file():
                    found[f"{prefix}{entry.name}"] = entry.inode()

    walk(str(folder), "")
    return dict(sorted(found.items(), key=lambda item: item[0].split("/")))  # as Paths sort


def _linked_from(previous: Publication | None, name: str) -> dict[str, tuple[int, Any]]:
    """Relative path → (inode, manifest entry) of the files of the previous publication's
    artefact ``name`` (whatever code made it: the same inode is the same bytes, as
    publications are never written in place)."""
    folder = previous.artefact(name) if previous else None
    if previous is None or folder is None:
        return {}
    listed = previous.manifest.get("artefacts", {}).get(name, {}).get("files", {})
    inodes = _listing(folder)
    return {path: (inodes[path], entry) for path, entry in listed.items() if path in inodes}


def _files(
    folder: Path,
    known: dict[str, tuple[int, Any]] | None = None,
    files: dict[str, int] | None = None,
) -> dict[str, dict[str, Any]]:
    """The manifest entries (bytes, sha256) of ``files`` (default: every file of
    ``folder``): a hard link to a file of the previous artefact (same place, same inode:
    ``known``, from ``_linked_from``) keeps that file's entry (the feed's closed pages)."""
    known = known or {}
    if files is None:
        files = _listing(folder)
    entries: dict[str, dict[str, Any]] = {}
    for relative, inode in files.items():
        before = known.get(relative)
        if before is not None and before[0] == inode:
            entries[relative] = dict(before[1])
            continue
        digest = hashlib.sha256()
        path = folder / relative
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(16 << 20), b""):  # large: fewer GIL waits
                digest.update(block)
        entries[relative] = {"bytes": path.stat().st_size, "sha256": digest.hexdigest()}
    return entries
