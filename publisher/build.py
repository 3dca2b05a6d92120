"""Build a publication: sources → graph → SHACL → store + dumps + ledger → switch ``current``.

All or nothing: everything is written into a new folder under ``OUT/publications/`` and
``OUT/current`` is switched to it only at the end, with an atomic ``rename()`` of a
symlink. A build that fails at any step removes its folder and leaves the publication being
served untouched, byte for byte. The previous publication is kept (``OUT/previous``) for
rollback.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import re
import shutil
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, XSD

from publisher import __version__
from publisher.artefacts import ARTEFACTS, write_artefacts
from publisher.config import Settings
from publisher.errors import BuildError
from publisher.fingerprint import code_version
from publisher.ledger import Ledger, update_ledger
from publisher.mapping import CATALOGUE_GRAPH, Mapped, map_catalogue
from publisher.mapping.vocabulary import known_ids, load_vocabulary, vocabulary_files
from publisher.namespaces import DCT
from publisher.problems import SourceErrors
from publisher.publication import (
    CURRENT,
    LEDGER,
    MANIFEST,
    PREVIOUS,
    PUBLICATIONS,
    VOCABULARY_ARCHIVE,
    Publication,
)
from publisher.sources import Catalogue, SourceLimits, read_catalogue
from publisher.uris import UriScheme
from publisher.validation import load_shapes, validate_mapped

Progress = Callable[[str], None]

DUMP_NAME = "avoinkunta"
# file extension → (rdflib format, media type)
DUMP_FORMATS: dict[str, tuple[str, str]] = {
    "ttl": ("turtle", "text/turtle"),
    "nt": ("nt", "application/n-triples"),
    "nq": ("nquads", "application/n-quads"),
    "jsonld": ("json-ld", "application/ld+json"),
    "rdf": ("xml", "application/rdf+xml"),  # pretty-xml drops triples on list nodes
}


def stderr_progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def check_sources(
    settings: Settings, progress: Progress = stderr_progress
) -> tuple[Catalogue, Mapped]:
    """Read, map and validate the sources; raise SourceErrors with every problem found."""
    uris = UriScheme(settings.base_uri)
    started = time.perf_counter()
    vocabulary = load_vocabulary(settings.ontology_dir, uris)
    progress(f"  vocabulary: {len(vocabulary)} triples ({_since(started)})")
    limits = SourceLimits.from_settings(settings)
    catalogue = read_catalogue(settings.data_dir, known_ids(vocabulary, uris), limits=limits)
    progress(
        f"  sources: {len(catalogue.suppliers)} suppliers, {len(catalogue.offerings)} offerings "
        f"({_since(started)})"
    )
    mapped = map_catalogue(catalogue, uris, vocabulary)
    progress(f"  mapping: {len(mapped.catalogue)} triples ({_since(started)})")
    outcome = validate_mapped(mapped, load_shapes(settings.shapes_dir, uris), uris)
    progress(
        f"  SHACL: {'conforms' if outcome.conforms else 'does not conform'} ({_since(started)})"
    )
    if not outcome.conforms:
        if not outcome.problems:
            raise BuildError(f"SHACL validation failed:\n{outcome.report_text}")
        raise SourceErrors(outcome.problems, stage="rules")
    return catalogue, mapped


def build(
    settings: Settings,
    *,
    progress: Progress = stderr_progress,
    now: datetime | None = None,
) -> Publication:
    """Validate the sources and publish them as a new publication; return it."""
    started = time.perf_counter()
    now = now or datetime.now(UTC)
    uris = UriScheme(settings.base_uri)
    out_dir = Path(settings.out_dir)
    progress(f"[1/4] checking sources in {settings.data_dir}")
    catalogue, mapped = check_sources(settings, progress)

    progress("[2/4] updating the ledger of published URIs")
    previous = Publication.current(out_dir)
    if previous is not None and previous.base_uri != settings.base_uri:
        raise BuildError(
            f"{out_dir} publishes under {previous.base_uri}, not {settings.base_uri}: published "
            "URIs never change meaning; build a new deployment into another --out folder"
        )
    # Every thing of ours, concepts and schemes included, so that none can become a 404.
    ledger = update_ledger(
        previous.ledger if previous else {}, mapped.union(), catalogue, uris, now
    )
    _add_modified(mapped.catalogue, ledger)

    build_id = _build_id(now, settings)
    publications = out_dir / PUBLICATIONS
    publications.mkdir(parents=True, exist_ok=True)
    final = publications / build_id
    staging = publications / f".staging-{build_id}-{os.getpid()}"
    try:
        progress(f"[3/4] writing publication {build_id}")
        dataset = mapped.dataset(uris)
        triples = _write_store(staging / "store", dataset)
        progress(f"  store: {triples} quads ({_since(started)})")
        dumps = _write_dumps(staging / "dumps", dataset, mapped)
        progress(f"  dumps: {', '.join(dumps)} ({_since(started)})")
        _write_json(staging / LEDGER, ledger)
        _archive_vocabulary(staging / VOCABULARY_ARCHIVE, mapped, uris, previous)
        artefacts = write_artefacts(
            ARTEFACTS,
            publication_dir=staging,
            records=catalogue,
            ledger=ledger,
            previous=previous,
            previous_reusable=_reusable(previous, settings),
            changed=_changed(previous.ledger if previous else {}, ledger),
            settings=settings,
            uris=uris,
            code_version=code_version(),
            progress=progress,
        )
        manifest = _manifest(build_id, now, settings, mapped, uris, dumps, previous, ledger)
        manifest["artefacts"] = artefacts
        _write_json(staging / MANIFEST, manifest)
        _fsync_tree(staging)
        staging.rename(final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    progress("[4/4] switching current publication")
    _switch(out_dir, final, previous)
    _prune(out_dir, settings.keep_publications)
    progress(f"built {build_id}: {manifest['triples']} triples in {_since(started)}")
    return Publication.load(final)


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

    def state(entry: dict[str, Any] | None) -> tuple[Any, ...] | None:
        if entry is None:
            return None
        return (
            entry.get("hash"),
            entry.get("removed"),
            entry.get("replaced_by"),
            entry.get("renamed_to"),
        )

    return frozenset(
        iri
        for iri in before.keys() | after.keys()
        if state(before.get(iri)) != state(after.get(iri))
    )


def _since(started: float) -> str:
    return f"{time.perf_counter() - started:.2f} s"


def _build_id(now: datetime, settings: Settings) -> str:
    digest = hashlib.sha256()
    for path in sorted(Path(settings.data_dir).rglob("*.y*ml")):
        digest.update(path.read_bytes())
    return f"{now.strftime('%Y%m%dT%H%M%S%fZ')}-{digest.hexdigest()[:8]}"


def _add_modified(graph: Graph, ledger: Ledger) -> None:
    """dct:modified of offerings and suppliers, from the ledger (when their description
    last changed)."""
    for iri, entry in ledger.items():
        if entry["removed"] or entry["kind"] not in {"offering", "supplier"}:
            continue
        subject = URIRef(iri)
        if (subject, RDF.type, None) in graph:
            graph.add((subject, DCT.modified, Literal(entry["modified"], datatype=XSD.dateTime)))


def _write_store(path: Path, dataset: Dataset) -> int:
    path.mkdir(parents=True)
    store = ox.Store(str(path))
    data = dataset.serialize(format="nquads", encoding="utf-8")
    store.bulk_load(data, format=ox.RdfFormat.N_QUADS)
    store.optimize()
    store.flush()
    count = len(store)
    # The store must be closed before anyone opens it read-only; pyoxigraph closes on drop.
    del store
    gc.collect()
    return count


def _write_dumps(folder: Path, dataset: Dataset, mapped: Mapped) -> dict[str, dict[str, Any]]:
    folder.mkdir(parents=True)
    union = mapped.union()
    dumps: dict[str, dict[str, Any]] = {}
    for ext, (fmt, media_type) in DUMP_FORMATS.items():
        name = f"{DUMP_NAME}.{ext}"
        source = dataset if ext == "nq" else union
        data = source.serialize(format=fmt, encoding="utf-8")
        (folder / name).write_bytes(data)
        dumps[name] = {
            "media_type": media_type,
            "format": ext,
            "bytes": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
        }
    return dumps


def _manifest(
    build_id: str,
    now: datetime,
    settings: Settings,
    mapped: Mapped,
    uris: UriScheme,
    dumps: dict[str, dict[str, Any]],
    previous: Publication | None,
    ledger: Ledger,
) -> dict[str, Any]:
    union = mapped.union()
    entities: dict[str, int] = {}
    for entry in ledger.values():
        if not entry["removed"]:
            entities[entry["kind"]] = entities.get(entry["kind"], 0) + 1
    return {
        "build_id": build_id,
        "built_at": now.isoformat(timespec="seconds"),
        "base_uri": settings.base_uri,
        "software": f"avoinkunta {__version__}",
        "code_version": code_version(),
        "triples": len(union),
        "graphs": {
            str(uris.graph(CATALOGUE_GRAPH)): len(mapped.catalogue),
            str(uris.graph("vocabulary")): len(mapped.vocabulary),
        },
        "entities": dict(sorted(entities.items())),
        "removed": sum(1 for entry in ledger.values() if entry["removed"]),
        "dumps": dumps,
        "sources_sha256": build_id.rsplit("-", 1)[1],
        "vocabulary_files": [str(p) for p in vocabulary_files(settings.ontology_dir)],
        "previous": previous.build_id if previous else None,
    }


def _archive_vocabulary(
    folder: Path, mapped: Mapped, uris: UriScheme, previous: Publication | None
) -> None:
    """Keep every published version of the vocabulary, so that ``/ontology/{version}`` goes
    on meaning that version after the next one is published. The version (owl:versionInfo)
    of the current vocabulary is (re)written; earlier ones are carried over unchanged."""
    folder.mkdir(parents=True)
    if previous is not None and (previous.path / VOCABULARY_ARCHIVE).is_dir():
        for old in (previous.path / VOCABULARY_ARCHIVE).glob("*.nt"):
            shutil.copy2(old, folder / old.name)
    version = mapped.vocabulary.value(uris.ontology, OWL.versionInfo)
    if version is not None and re.fullmatch(r"[0-9A-Za-z][0-9A-Za-z.-]*", str(version)):
        data = mapped.vocabulary.serialize(format="nt", encoding="utf-8")
        (folder / f"{version}.nt").write_bytes(data)


def _write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _fsync_tree(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())


def _switch(out_dir: Path, final: Path, previous: Publication | None) -> None:
    target = os.path.relpath(final, out_dir)
    _replace_symlink(out_dir / CURRENT, target)
    if previous is not None:
        _replace_symlink(out_dir / PREVIOUS, os.path.relpath(previous.path, out_dir))
    directory = os.open(out_dir, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def _replace_symlink(link: Path, target: str) -> None:
    temporary = link.with_name(f".{link.name}.{os.getpid()}")
    if temporary.is_symlink():
        temporary.unlink()
    os.symlink(target, temporary)
    os.replace(temporary, link)  # rename() is atomic: readers see the old or the new link


def _prune(out_dir: Path, keep: int) -> None:
    """Remove old publications beyond ``keep``, never the current or the previous one."""
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
    for folder in folders[max(keep, 2) :]:
        if folder.resolve() not in protected:
            shutil.rmtree(folder, ignore_errors=True)
