"""Build a publication: sources → triples → SHACL → dumps + store + ledger → switch ``current``.

All or nothing: everything is written into a new folder under ``OUT/publications/`` and
``OUT/current`` is switched to it only at the end, with an atomic ``rename()`` of a
symlink. A build that fails at any step removes its folder and leaves the publication being
served untouched, byte for byte. The previous publication is kept (``OUT/previous``) for
rollback. One build runs at a time per ``OUT`` (``lock``); what a killed build left behind
is removed by the next.

The work is done per supplier file (``units``), in one process per core, and whatever
depends only on unchanged inputs is reused from the previous publication (``cache``): a
file's records, validation result, ledger facts and dump chunks; the store is the previous
one's checkpoint with the difference applied (``storage``). Modules:

* ``reading``  — calls into the source reader, file by file, and the checks across files
* ``mapfile``  — one file's records → its triples (stable blank-node labels)
* ``terms``    — pyoxigraph terms in the one form the store keeps them in
* ``units``    — read, map, validate files in worker processes
* ``cache``    — keys and the reuse of units from the previous publication
* ``dumps``    — the five dumps, chunk by chunk, chunks reused
* ``storage``  — the store: bulk load, or checkpoint + difference
* ``lock``     — the build lock and the removal of leftovers
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import re
import resource
import shutil
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from publisher import __version__
from publisher.artefacts import ARTEFACTS, write_artefacts
from publisher.build import reading
from publisher.build.cache import (
    UnitCache,
    inputs_key,
    load_store_count,
    save_chunk_index,
    save_store_count,
    unit_key,
)
from publisher.build.clock import build_time
from publisher.build.dumps import DUMP_NAME, FORMATS, Chunk, ChunkIndex, DumpWriter, Framing
from publisher.build.lock import STAGING_PREFIX, BuildLock, remove_leftovers
from publisher.build.mapfile import FileGraph
from publisher.build.storage import StoreLoader, load_store, update_store
from publisher.build.terms import Canonical, ntriples
from publisher.build.units import FileUnit, Inputs, Job, Workbench, dump_prefixes, process_files
from publisher.config import Settings
from publisher.errors import BuildError
from publisher.fingerprint import code_version
from publisher.ledger import Ledger, SubjectFacts, ntriples_facts, update_ledger, write_ledger
from publisher.mapping import CATALOGUE_GRAPH, Mapped, map_catalogue
from publisher.mapping.vocabulary import vocabulary_files
from publisher.problems import Problem, SourceErrors
from publisher.publication import (
    CURRENT,
    LEDGER,
    MANIFEST,
    PREVIOUS,
    PUBLICATIONS,
    VOCABULARY_ARCHIVE,
    Publication,
)
from publisher.sources import Catalogue, Retirement, SourceLimits, Supplier
from publisher.sources.catalogue import assemble
from publisher.uris import UriScheme
from publisher.validation import DEFAULT_ENGINE, SHAPES_FILE

Progress = Callable[[str], None]

# file extension → (format name, media type); publisher.build.dumps.FORMATS has the rest.
DUMP_FORMATS: dict[str, tuple[str, str]] = {
    fmt.ext: (fmt.rdf_format.name, fmt.media_type) for fmt in FORMATS
}
# Formats that keep named graphs get the dataset, the others the union of its graphs.
DATASET_DUMPS = frozenset(fmt.ext for fmt in FORMATS if fmt.quads)
DCT_MODIFIED = ox.NamedNode("http://purl.org/dc/terms/modified")
XSD_DATETIME = ox.NamedNode("http://www.w3.org/2001/XMLSchema#dateTime")


def stderr_progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass
class Checked:
    """The sources, read, mapped and validated: everything a publication is made of."""

    inputs: Inputs
    bench: Workbench
    units: list[FileUnit]
    suppliers: list[Supplier]  # every supplier's outline (units.outline), offerings attached
    retired: tuple[Retirement, ...]
    renamed: dict[str, str]
    sources_sha256: str
    licences: FileGraph = field(repr=False)
    cache: UnitCache = field(repr=False)

    @cached_property
    def catalogue(self) -> Catalogue:
        """Every record, loaded from the cache when the units do not hold them."""
        problems: list[Problem] = []
        suppliers = assemble([self.cache.records(u) for u in self.units], problems)
        return Catalogue(tuple(suppliers), self.bench.register, self.retired, self.renamed)

    @property
    def offering_ids(self) -> set[str]:
        return {o.id for s in self.suppliers for o in s.offerings}

    def facts(self) -> dict[str, SubjectFacts]:
        # From the N-Triples text (subject_facts of the triples would write it first).
        facts = ntriples_facts(self.bench.vocabulary_ntriples, self.bench.uris)
        facts.update(ntriples_facts(self.licences.ntriples, self.bench.uris))
        for unit in self.units:
            facts.update(unit.facts)
        return facts

    @property
    def triples(self) -> int:
        return sum(u.triples for u in self.units) + len(self.licences.triples)


def check(
    settings: Settings,
    progress: Progress = stderr_progress,
    *,
    reuse_from: Publication | None = None,
    staging: Path | None = None,
    on_unit: Callable[[FileUnit], None] | None = None,
    workers: int | None = None,
    engine: str = DEFAULT_ENGINE,
    keep_records: bool = True,
) -> Checked:
    """Read, map and validate the sources, reusing what ``reuse_from`` already checked;
    raise SourceErrors with every problem found. ``on_unit`` sees each file's unit in file
    order, as soon as it is done (the build writes its dump chunks then). The records go to
    the ``staging`` publication's cache; without one they stay in memory (``Checked.
    catalogue``) unless ``keep_records`` is false. Units carry their dump chunks only for
    ``on_unit`` (validate makes none)."""
    started = time.perf_counter()
    data_dir = Path(settings.data_dir)
    limits = SourceLimits.from_settings(settings)
    found, refused = reading.find_sources(data_dir, limits)
    if not data_dir.is_dir():
        raise SourceErrors(refused)
    inputs = Inputs(
        settings.base_uri,
        data_dir,
        Path(settings.ontology_dir),
        Path(settings.shapes_dir),
        engine,
        limits,
    )
    cache = UnitCache(reuse_from.path if reuse_from else None, staging)
    bench = Workbench(inputs, cache.records_dir, keep_records, make_chunks=on_unit is not None)
    if bench.licence_problems:
        raise SourceErrors(bench.licence_problems + refused)
    dependencies = [
        Path(settings.shapes_dir) / SHAPES_FILE,
        data_dir / reading.LICENCES_FILE,
        *vocabulary_files(settings.ontology_dir),
    ]
    shared = inputs_key(inputs, code_version(), dependencies)
    # The vocabulary parsed once for the same files and code, then kept in the cache.
    bench.keep_vocabulary(cache.remember("vocabulary", shared[:40], bench.vocabulary_summary))
    progress(f"  vocabulary: {len(bench.vocabulary_triples)} triples ({_since(started)})")
    sources = hashlib.sha256()
    jobs: list[Job] = []
    cached: dict[str, FileUnit] = {}
    order: list[str] = []
    for reader_name, source in found:
        sources.update(source.data)
        key = unit_key(shared, f"{reader_name}:{source.display}", source.data)
        order.append(key)
        unit = cache.get(key)
        if unit is not None:
            cached[key] = unit
        else:
            jobs.append(Job(reader_name, source, key))
    for extra in (reading.LICENCES_FILE, reading.RETIRED_FILE):
        if (data_dir / extra).is_file():
            sources.update((data_dir / extra).read_bytes())
    progress(
        f"  sources: {len(order)} files, {len(cached)} unchanged, {len(jobs)} to check "
        f"({_since(started)})"
    )
    computed = process_files(bench, jobs, workers)
    units: list[FileUnit] = []
    for key in order:
        unit = cached.get(key) or next(computed)
        assert unit.key == key
        if on_unit is not None:
            on_unit(unit)
        units.append(unit)
    for _ in computed:  # let the workers finish
        pass
    cache.save(units)
    progress(
        f"  read, mapped, validated: {sum(u.triples for u in units)} triples ({_since(started)})"
    )
    suppliers, retired, renamed, problems = reading.cross_file_checks(
        data_dir, [u.outline for u in units], limits
    )
    problems = refused + problems
    if problems:
        raise SourceErrors(problems)
    used = sorted({name for u in units for name in u.licences_used})
    context_key = hashlib.sha256(f"{shared}\0{' '.join(used)}".encode()).hexdigest()[:40]
    licences = bench.keep_licences(
        used, cache.remember("licences", context_key, lambda: bench.licences(used).packed())
    )
    rule_problems = [p for u in units for p in u.rule_problems]
    rule_problems += cache.remember("context", context_key, lambda: bench.context_problems(used))
    progress(
        f"  SHACL ({engine}): {'conforms' if not rule_problems else 'does not conform'}, "
        f"{sum(len(s.offerings) for s in suppliers)} offerings ({_since(started)})"
    )
    if rule_problems:
        raise SourceErrors(sorted(set(rule_problems)), stage="rules")
    return Checked(
        inputs=inputs,
        bench=bench,
        units=units,
        suppliers=suppliers,
        retired=retired,
        renamed=renamed,
        sources_sha256=sources.hexdigest(),
        licences=licences,
        cache=cache,
    )


def check_sources(
    settings: Settings, progress: Progress = stderr_progress
) -> tuple[Catalogue, Mapped]:
    """Read, map and validate the sources; raise SourceErrors with every problem found.
    Returns the records and their mapping as rdflib graphs (for small catalogues: tests,
    tools); the build itself never holds the catalogue in rdflib."""
    checked = check(settings, progress, workers=1)
    catalogue = checked.catalogue
    return catalogue, map_catalogue(catalogue, checked.bench.uris, checked.bench.vocabulary)


def validate_sources(settings: Settings, progress: Progress = stderr_progress) -> Checked:
    """What ``avoinkunta validate`` runs: ``check``, reusing what the current publication
    of ``settings.out_dir`` (if any) already checked with the same inputs."""
    current = Publication.current(Path(settings.out_dir))
    return check(settings, progress, reuse_from=current, keep_records=False)


def build(
    settings: Settings,
    *,
    progress: Progress = stderr_progress,
    now: datetime | None = None,
    workers: int | None = None,
) -> Publication:
    """Validate the sources and publish them as a new publication; return it."""
    out_dir = Path(settings.out_dir)
    moment = now or build_time()
    with BuildLock(out_dir):
        for leftover in remove_leftovers(out_dir):
            progress(f"  removed {leftover.name}, left by a build that did not finish")
        try:
            return _build(settings, progress, moment, workers)
        finally:
            gc.unfreeze()  # see gc.freeze() in _build


def _build(
    settings: Settings, progress: Progress, now: datetime, workers: int | None
) -> Publication:
    started = time.perf_counter()
    out_dir = Path(settings.out_dir)
    previous = Publication.current(out_dir)
    if previous is not None and previous.base_uri != settings.base_uri:
        raise BuildError(
            f"{out_dir} publishes under {previous.base_uri}, not {settings.base_uri}: published "
            "URIs never change meaning; build a new deployment into another --out folder"
        )
    reusable = _reusable(previous, settings)
    uris = UriScheme(settings.base_uri)
    publications = out_dir / PUBLICATIONS
    publications.mkdir(parents=True, exist_ok=True)
    stamp = now.strftime(_STAMP_FORMAT)
    staging = publications / f"{STAGING_PREFIX}{stamp}-{os.getpid()}"
    staging.mkdir()
    writer: DumpWriter | None = None
    loader: StoreLoader | None = None
    try:
        progress(f"[1/4] checking sources in {settings.data_dir}")
        previous_chunks = (
            ChunkIndex.load(previous.path / "cache" / "dumps.json")
            if reusable and previous
            else None
        )
        writer = DumpWriter(
            staging / "dumps",
            _framing(uris),
            previous_chunks,
            previous.dumps_dir if previous else None,
        )
        # Nothing to reuse: the store is loaded while the files are checked.
        loader = StoreLoader(staging / "store") if previous_chunks is None else None
        pending = _ChunkPlan(writer, previous_chunks, loader)
        checked = check(
            settings,
            progress,
            reuse_from=previous if reusable else None,
            staging=staging,
            on_unit=pending.add_unit,
            workers=workers,
        )

        # What was read so far (units, records' outlines, facts) lives until the end: out of
        # the garbage collector's sight, so that the full collections that allocating the
        # ledger and manifest triggers do not walk it again and again.
        gc.freeze()
        progress("[2/4] updating the ledger of published URIs")
        ledger = update_ledger(
            previous.ledger if previous else {},
            checked.facts(),
            checked.retired,
            checked.renamed,
            checked.offering_ids,
            uris,
            now,
        )
        build_id = _new_build_id(publications, now, checked.sources_sha256)
        final = publications / build_id
        progress(f"  ledger: {len(ledger)} URIs ({_since(started)})")

        progress(f"[3/4] writing publication {build_id}")
        index = _write_dumps(writer, pending, checked, ledger)
        save_chunk_index(staging, index)
        names = ", ".join(f"{DUMP_NAME}.{fmt.ext}" for fmt in FORMATS)
        progress(f"  dumps: {names} ({_since(started)})")
        if loader is not None:
            quads, how = loader.finish(), "loaded while the files were checked"
            loader = None
        else:
            quads, how = _write_store(
                staging, previous if reusable else None, previous_chunks, index, pending
            )
        save_store_count(staging, quads)
        progress(f"  store: {quads} quads, {how} ({_since(started)})")
        if reusable and previous is not None:  # lines of unchanged entries copied
            write_ledger(staging / LEDGER, ledger, previous.ledger, previous.path / LEDGER)
        else:
            write_ledger(staging / LEDGER, ledger)
        _archive_vocabulary(staging / VOCABULARY_ARCHIVE, checked.bench, uris, previous)
        progress(f"  saved: ledger, vocabulary archive ({_since(started)})")
        artefacts = write_artefacts(
            ARTEFACTS,
            publication_dir=staging,
            records=lambda: checked.catalogue,
            ledger=ledger,
            previous=previous,
            previous_reusable=reusable,
            changed=_changed(previous.ledger if previous else {}, ledger),
            settings=settings,
            uris=uris,
            code_version=code_version(),
            progress=progress,
        )
        progress(f"  artefacts: {', '.join(artefacts) or 'none'} ({_since(started)})")
        dumps = writer.entries()  # the dumps' threads hashed and synced them meanwhile
        writer = None
        progress(f"  checksums: {len(dumps)} dumps hashed and on disk ({_since(started)})")
        manifest = _manifest(build_id, now, settings, checked, uris, dumps, index, previous, ledger)
        manifest["artefacts"] = artefacts
        _write_json(staging / MANIFEST, manifest)
        synced = _fsync_tree(staging, previous.path if previous else None)
        staging.rename(final)
        progress(f"  manifest: {synced} files on disk ({_since(started)})")
    except BaseException:
        if writer is not None:
            writer.abort()
        if loader is not None:
            loader.abort()
        shutil.rmtree(staging, ignore_errors=True)
        raise
    progress("[4/4] switching current publication")
    _switch(out_dir, final, previous)
    progress(f"  switched ({_since(started)})")
    pruned = _prune(out_dir, settings.keep_publications)
    progress(f"  pruned: {pruned} old publication(s) removed ({_since(started)})")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    progress(
        f"built {build_id}: {manifest['triples']} triples in {_since(started)} "
        f"(peak RSS of this process {peak:.0f} MB)"
    )
    return Publication.load(final)


class _ChunkPlan:
    """The dumps' chunks, handed to the dump writer as they come, in their order: one per
    source file (in file order), then the vocabulary, the licences and the ``dct:modified``
    dates. Keeps the N-Quads of the chunks the previous publication lacks (to update its
    store), nothing else: the writer has the bodies."""

    def __init__(
        self, writer: DumpWriter, previous: ChunkIndex | None, loader: StoreLoader | None
    ) -> None:
        self.writer = writer
        self.previous = previous
        self.loader = loader
        self.new: dict[str, bytes] = {}  # key → N-Quads, for chunks the previous store lacks

    def add(self, chunk: Chunk) -> None:
        self.writer.add(chunk)
        if self.loader is not None:
            assert chunk.bodies is not None
            self.loader.add(chunk.bodies["nq"])
        if self.previous is not None and chunk.key not in self.previous.triples:
            assert chunk.bodies is not None
            self.new[chunk.key] = chunk.bodies["nq"]

    def add_unit(self, unit: FileUnit) -> None:
        if unit.problems or unit.rule_problems:
            return  # nothing of it is published: the build stops once every file is checked
        self.add(Chunk(unit.key, unit.triples, unit.chunks))
        unit.chunks = None  # the dump writer has them now

    def add_closing(self, checked: Checked, ledger: Ledger) -> None:
        bench = checked.bench
        described = {iri for u in checked.units for iri in u.facts}
        for kind, lines, graph in (
            ("vocabulary", bench.vocabulary_ntriples, bench.vocabulary_graph),
            ("licences", checked.licences.ntriples, bench.catalogue_graph),
            ("modified", modified_lines(ledger, described), bench.catalogue_graph),
        ):
            # The key hashes the N-Quads body (Framing.chunk writes it so); the other
            # bodies are made only when the previous dumps lack the chunk.
            nquads = lines.replace(b" .\n", f" <{graph}> .\n".encode()) if lines else b""
            key = f"{kind}-" + hashlib.sha256(nquads).hexdigest()[:32]
            # Copied from the previous dumps when they have it (a rebuild of the same
            # sources then links every dump whole: publisher.build.dumps).
            reused = self.writer.reusable(key)
            bodies = None if reused else bench.framing.chunk(lines, graph)
            self.add(Chunk(key, lines.count(b"\n"), bodies))


def modified_lines(ledger: Ledger, described: set[str]) -> bytes:
    """The ``dct:modified`` date (from the ledger) of every offering and supplier in
    ``described``, as sorted N-Triples: ``ntriples(sort_triples(...))`` of those triples,
    written line by line (each date's text is pyoxigraph's, made once per date; an IRI is
    written as it is), sorted as ``sorted_ntriples`` sorts."""
    canonical = Canonical()
    tails: dict[str, bytes] = {}
    lines: list[bytes] = []
    for iri, entry in ledger.items():
        if entry["removed"] or entry["kind"] not in {"offering", "supplier"}:
            continue
        if iri not in described:
            continue
        tail = tails.get(entry["modified"])
        if tail is None:
            date = canonical.literal(ox.Literal(entry["modified"], datatype=XSD_DATETIME))
            line = ntriples([ox.Triple(DCT_MODIFIED, DCT_MODIFIED, date)])
            tail = tails[entry["modified"]] = line[line.index(b" ") :]
        lines.append(f"<{iri}>".encode() + tail)
    lines.sort()  # every line ends with "\n", which sorts before any other byte in them
    return b"".join(lines)


def _write_dumps(
    writer: DumpWriter, plan: _ChunkPlan, checked: Checked, ledger: Ledger
) -> ChunkIndex:
    """Add the closing chunks (vocabulary, licences, dates); wait until the dumps are
    written (their threads then hash and fsync them: ``DumpWriter.entries``)."""
    plan.add_closing(checked, ledger)
    return writer.written()


def _write_store(
    staging: Path,
    previous: Publication | None,
    previous_chunks: ChunkIndex | None,
    index: ChunkIndex,
    plan: _ChunkPlan,
) -> tuple[int, str]:
    """The store: the previous store with the difference applied when there is one to reuse,
    else bulk-loaded from the N-Quads dump. (quads, how it was made)"""
    path = staging / "store"
    nquads = staging / "dumps" / f"{DUMP_NAME}.nq"
    if previous is None or previous_chunks is None or not previous.store_path.is_dir():
        return load_store(path, nquads), "loaded from the N-Quads dump"
    gone = [key for key in previous_chunks.order if key not in index.triples]
    old_lines = {
        line
        for key in gone
        for line in previous_chunks.body(previous.dumps_dir, "nq", key).splitlines()
    }
    new_lines = {line for body in plan.new.values() for line in body.splitlines()}
    removed = sorted(old_lines - new_lines)
    added = sorted(new_lines - old_lines)
    quads = update_store(
        path,
        previous.store_path,
        b"\n".join(removed) + b"\n",
        b"\n".join(added) + b"\n",
        load_store_count(previous.path),
    )
    return quads, f"reused the previous store: -{len(removed)} +{len(added)} quads"


def _framing(uris: UriScheme) -> Framing:
    return Framing(dump_prefixes(uris))


def _since(started: float) -> str:
    return f"{time.perf_counter() - started:.2f} s"


def _reusable(previous: Publication | None, settings: Settings) -> bool:
    """May results of ``previous`` be reused? Only if the same code made them, under the
    same base URI."""
    return (
        previous is not None
        and previous.manifest.get("code_version") == code_version()
        and previous.base_uri == settings.base_uri
    )


def _changed(before: Ledger, after: Ledger) -> frozenset[str]:
    """IRIs whose ledger entry (description hash, removal, successor) differs."""
    fields = ("hash", "removed", "replaced_by", "renamed_to")
    changed = set(before.keys() ^ after.keys())
    for iri, entry in after.items():
        old = before.get(iri)
        if old is not None and old is not entry:
            for name in fields:
                if old.get(name) != entry.get(name):
                    changed.add(iri)
                    break
    return frozenset(changed)


def _manifest(
    build_id: str,
    now: datetime,
    settings: Settings,
    checked: Checked,
    uris: UriScheme,
    dumps: dict[str, dict[str, Any]],
    index: ChunkIndex,
    previous: Publication | None,
    ledger: Ledger,
) -> dict[str, Any]:
    entities: dict[str, int] = {}
    for entry in ledger.values():
        if not entry["removed"]:
            entities[entry["kind"]] = entities.get(entry["kind"], 0) + 1
    vocabulary = len(checked.bench.vocabulary_triples)
    total = sum(index.triples.values())
    return {
        "build_id": build_id,
        "built_at": now.isoformat(timespec="seconds"),
        "base_uri": settings.base_uri,
        "software": f"avoinkunta {__version__}",
        "code_version": code_version(),
        "triples": total,
        "graphs": {
            str(uris.graph(CATALOGUE_GRAPH)): total - vocabulary,
            str(uris.graph("vocabulary")): vocabulary,
        },
        "entities": dict(sorted(entities.items())),
        # When the published content last changed (the ledger's latest modification or
        # removal): the same on every rebuild of the same sources, unlike built_at.
        "modified": max(
            (s for e in ledger.values() for s in (e.get("modified"), e.get("removed")) if s),
            default=now.isoformat(timespec="seconds"),
        ),
        "removed": sum(1 for entry in ledger.values() if entry["removed"]),
        "dumps": dumps,
        "sources_sha256": checked.sources_sha256[:8],
        "vocabulary_files": [str(p) for p in vocabulary_files(settings.ontology_dir)],
        "previous": previous.build_id if previous else None,
    }


def _archive_vocabulary(
    folder: Path, bench: Workbench, uris: UriScheme, previous: Publication | None
) -> None:
    """Keep every published version of the vocabulary, so that ``/ontology/{version}`` goes
    on meaning that version after the next one is published. The version (owl:versionInfo)
    of the current vocabulary is (re)written; earlier ones are carried over unchanged."""
    folder.mkdir(parents=True)
    if previous is not None and (previous.path / VOCABULARY_ARCHIVE).is_dir():
        for old in (previous.path / VOCABULARY_ARCHIVE).glob("*.nt"):
            shutil.copy2(old, folder / old.name)
    version = bench.vocabulary_version
    if version is not None and re.fullmatch(r"[0-9A-Za-z][0-9A-Za-z.-]*", version):
        (folder / f"{version}.nt").write_bytes(ntriples(bench.vocabulary_triples))


def _write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _fsync_tree(folder: Path, previous: Path | None) -> int:
    """Every file and folder of ``folder`` on disk before the publication is switched to;
    returns how many files were fsync'd. A file that is a hard link to the file at the same
    place in the ``previous`` publication (reused cache entries, dumps, store files) is on
    disk already: that publication was made durable before it was switched to, and the
    folders' inode numbers (``scandir``: no stat) tell which they are. Only their new names
    are not on disk, and fsyncing every folder makes every name durable. In threads: fsync
    releases the GIL, and the disk serves several flushes at once."""
    if previous is not None and os.stat(previous).st_dev != os.stat(folder).st_dev:
        previous = None  # no hard links across file systems
    files: list[str] = []
    folders: list[str] = []

    def walk(path: str, before: str | None) -> None:
        folders.append(path)
        known: dict[str, int] = {}
        if before is not None:
            try:
                with os.scandir(before) as entries:
                    known = {entry.name: entry.inode() for entry in entries}
            except OSError:
                pass
        with os.scandir(path) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    walk(entry.path, os.path.join(before, entry.name) if before else None)
                elif entry.is_file(follow_symlinks=False) and known.get(entry.name) != (
                    entry.inode()
                ):
                    files.append(entry.path)

    walk(str(folder), str(previous) if previous is not None else None)
    with ThreadPoolExecutor(max_workers=8) as pool:
        for _ in pool.map(_fsync, files, chunksize=64):
            pass
        for _ in pool.map(_fsync, reversed(folders)):
            pass
    return len(files)


def _fsync(path: Path | str) -> None:
    """fsync a file or a folder (a folder's entries: new names, renames)."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _switch(out_dir: Path, final: Path, previous: Publication | None) -> None:
    _fsync(final.parent)  # the staging folder's rename to ``final``
    target = os.path.relpath(final, out_dir)
    _replace_symlink(out_dir / CURRENT, target)
    if previous is not None:
        _replace_symlink(out_dir / PREVIOUS, os.path.relpath(previous.path, out_dir))
    _fsync(out_dir)


def _replace_symlink(link: Path, target: str) -> None:
    temporary = link.with_name(f".{link.name}.{os.getpid()}")
    if temporary.is_symlink():
        temporary.unlink()
    os.symlink(target, temporary)
    os.replace(temporary, link)  # rename() is atomic: readers see the old or the new link


def _new_build_id(publications: Path, now: datetime, sources_sha256: str) -> str:
    """The build's time to the microsecond and its sources' digest. Later than every
    publication already there, so that names sort in build order (`_prune` relies on it)
    also when ``SOURCE_DATE_EPOCH`` gives every build the same time: such a build takes
    one microsecond past the newest."""
    stamps = (_STAMP.match(p.name) for p in publications.iterdir())
    newest = max((m.group() for m in stamps if m), default="")
    stamp = now.strftime(_STAMP_FORMAT)
    if stamp <= newest:
        later = datetime.strptime(newest, _STAMP_FORMAT) + timedelta(microseconds=1)
        stamp = later.strftime(_STAMP_FORMAT)
    return f"{stamp}-{sources_sha256[:8]}"


_STAMP_FORMAT = "%Y%m%dT%H%M%S%fZ"
_STAMP = re.compile(r"\d{8}T\d{12}Z")  # a publication's name begins with its stamp


def _prune(out_dir: Path, keep: int) -> int:
    """Remove old publications beyond ``keep``, never the current or the previous one;
    returns how many were removed."""
    protected = {
        (out_dir / name).resolve() for name in (CURRENT, PREVIOUS) if (out_dir / name).exists()
    }
    folders = sorted(
        (
            p
            for p in (out_dir / PUBLICATIONS).iterdir()
            if p.is_dir() and not p.name.startswith(".")
        ),
        key=lambda p: p.name,
        reverse=True,
    )
    removed = 0
    for folder in folders[max(keep, 2) :]:
        if folder.resolve() not in protected:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed


__all__ = [
    "DATASET_DUMPS",
    "DUMP_FORMATS",
    "DUMP_NAME",
    "Checked",
    "Problem",
    "build",
    "check",
    "check_sources",
    "stderr_progress",
    "validate_sources",
]
