"""The per-file work of a build: read, map and validate supplier files, in worker processes.

A *unit* is what the build knows of one supplier file once it has read, mapped and
validated it: the records, the problems, the ledger facts of the things it describes, the
licences it uses and its triples. A unit depends only on its file and on the ``Inputs`` every
unit shares (vocabulary, shapes, licences, base URI, code), so it is cached under a key
that hashes all of them (``publisher.build.cache``) and reused while none changes.

Validation runs on small graphs: a batch of files, plus the vocabulary and the licences the
batch uses. That gives each file exactly the results that validating the whole catalogue
gives it, because no shape follows a path from one supplier file into another (an offering
reaches its own supplier, the vocabulary's concepts and the licences, nothing else). Results
about the vocabulary and the licences themselves are taken once, from ``context_problems``.
tests/test_build_incremental.py checks the equivalence against whole-graph validation.
"""

from __future__ import annotations

import io
import os
import pickle
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, fields
from functools import cached_property
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import OWL, RDF, SH
from rdflib.term import Node

from publisher.build import reading
from publisher.build.dumps import Framing
from publisher.build.mapfile import FileGraph, map_file, map_licences, map_vocabulary
from publisher.build.terms import Canonical, ntriples, parse_ntriples
from publisher.ledger import SubjectFacts, ntriples_facts
from publisher.mapping import CATALOGUE_GRAPH, VOCABULARY_GRAPH
from publisher.mapping.context import Origin, Terms
from publisher.mapping.vocabulary import known_ids, load_vocabulary
from publisher.namespaces import PREFIXES
from publisher.problems import Problem
from publisher.sources import KnownIds, Offering, ReadResult, SourceFile, SourceLimits, Supplier
from publisher.uris import UriScheme
from publisher.validation import load_shapes, problems_by_focus, run_shacl

# Files validated together in one graph: large enough that the vocabulary added to each
# batch costs little, small enough that a batch's graph stays small.
BATCH_FILES = 64
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@dataclass(frozen=True)
class Inputs:
    """What every unit depends on besides its own file (picklable, for worker processes)."""

    base_uri: str
    data_dir: Path
    ontology_dir: Path
    shapes_dir: Path
    engine: str
    limits: SourceLimits


@dataclass
class FileUnit:
    """What the build keeps of one source file while it builds: small, so that a build of
    30,000 offerings holds only ids, facts and problems; the records themselves wait in the
    cache (``records``, loaded when someone asks: ``publisher.build.cache``)."""

    name: str  # the file as problems name it (data/suppliers/x.yaml)
    key: str  # cache key: hash of the file and of everything it is checked against
    outline: ReadResult  # its records reduced to what the checks across files use
    problems: list[Problem]  # found while reading the file (no rule checks then)
    rule_problems: list[Problem]  # found by the SHACL rules
    licences_used: tuple[str, ...]
    facts: dict[str, SubjectFacts]  # IRI → ledger facts, for things this file describes
    triples: int = 0  # how many
    # Its chunk of each dump (publisher.build.dumps), when made in this build; None when the
    # unit comes from the cache (the previous publication's dumps hold its chunk).
    chunks: dict[str, bytes] | None = field(default=None, repr=False)
    # The file's records, when this process read them and has not handed them to the cache.
    records: ReadResult | None = field(default=None, repr=False, compare=False)


def outline(result: ReadResult) -> ReadResult:
    """The records reduced to what the checks across files read (``reading.
    cross_file_checks``: ids, the supplier an offering names, where each was read) and the
    problems; every other field of an outline record is absent."""

    def offering(o: Offering) -> Offering:
        return Offering(values={"id": o.id, "supplier": o.supplier}, file=o.file, line=o.line)

    return ReadResult(
        suppliers=tuple(
            Supplier(
                values={"id": s.id},
                file=s.file,
                line=s.line,
                offerings=tuple(offering(o) for o in s.offerings),
            )
            for s in result.suppliers
        ),
        offerings=tuple(offering(o) for o in result.offerings),
        problems=result.problems,
    )


@dataclass(frozen=True)
class Job:
    reader: str  # the name of the source reader (publisher.sources registry)
    source: SourceFile
    key: str

    @property
    def name(self) -> str:
        return self.source.display


class Workbench:
    """What a process needs to work on units: the vocabulary, the licences, the shapes."""

    def __init__(
        self,
        inputs: Inputs,
        records_dir: Path | None = None,
        keep_records: bool = True,
        make_chunks: bool = True,
    ) -> None:
        self.inputs = inputs
        # Where the records of each file are pickled (<key>.pickle) as soon as they are
        # read; None: they stay in the unit (``FileUnit.records``) if ``keep_records``.
        self.records_dir = records_dir
        self.keep_records = keep_records
        # Whether units carry their dump chunks (a build's); validate needs none: 1.2 GB
        # of bodies at 30,000 offerings, and their serialising.
        self.make_chunks = make_chunks
        self.uris = UriScheme(inputs.base_uri)
        self.canonical = Canonical()
        self.terms = Terms(self.uris)
        self.register, self.licence_problems = reading.read_licences(inputs.data_dir, inputs.limits)
        self.framing = Framing(dump_prefixes(self.uris))
        self.catalogue_graph = str(self.uris.graph(CATALOGUE_GRAPH))
        self.vocabulary_graph = str(self.uris.graph(VOCABULARY_GRAPH))
        self._licences: dict[frozenset[str], FileGraph] = {}

    @cached_property
    def vocabulary(self) -> Graph:
        return load_vocabulary(self.inputs.ontology_dir, self.uris)

    @cached_property
    def vocabulary_triples(self) -> list[ox.Triple]:
        return map_vocabulary(self.vocabulary, self.canonical)

    @cached_property
    def vocabulary_ntriples(self) -> bytes:
        return ntriples(self.vocabulary_triples)

    @cached_property
    def known(self) -> KnownIds:
        return known_ids(self.vocabulary, self.uris)

    @cached_property
    def vocabulary_version(self) -> str | None:
        """The vocabulary's owl:versionInfo, if it has one."""
        version = self.vocabulary.value(self.uris.ontology, OWL.versionInfo)
        return None if version is None else str(version)

    def vocabulary_summary(self) -> tuple[Any, ...]:
        """What a build takes from the vocabulary (its N-Triples, the known ids, its
        version) as builtin values, the same bytes when pickled: a cache's form, so that
        an edit build need not parse the vocabulary (``keep_vocabulary``)."""
        known = tuple(tuple(sorted(getattr(self.known, f.name))) for f in fields(KnownIds))
        return (self.vocabulary_ntriples, known, self.vocabulary_version)

    def keep_vocabulary(self, summary: tuple[Any, ...]) -> None:
        """Take the vocabulary's N-Triples, known ids and version from a ``vocabulary_
        summary()`` (of the same vocabulary files, base URI and code)."""
        ntriples_, known, version = summary
        if "vocabulary_ntriples" in self.__dict__:
            return  # worked out here already: the same values
        # The cached properties' values, as they would have computed them.
        self.__dict__["vocabulary_ntriples"] = ntriples_
        self.__dict__["vocabulary_triples"] = parse_ntriples(ntriples_)
        self.__dict__["known"] = KnownIds(*(set(ids) for ids in known))
        self.__dict__["vocabulary_version"] = version

    @cached_property
    def shapes(self) -> Graph:
        return load_shapes(self.inputs.shapes_dir, self.uris)

    def licences(self, used: Iterable[str]) -> FileGraph:
        """The mapped licences of ``used`` (remembered: a build asks for the same set
        several times, and mapping every licence expression costs ~1 s at 30,000)."""
        key = frozenset(used)
        graph = self._licences.get(key)
        if graph is None:
            graph = self._licences[key] = map_licences(self.register, key, self.uris, self.terms)
        return graph

    def keep_licences(self, used: Iterable[str], packed: tuple[Any, ...]) -> FileGraph:
        """The mapped licences of ``used``, from their ``FileGraph.packed()`` form (the
        cache's), remembered as ``licences`` remembers them."""
        graph = self._licences[frozenset(used)] = FileGraph.unpack(packed)
        return graph

    # ------------------------------------------------------------------ units

    def process(self, jobs: Sequence[Job]) -> list[FileUnit]:
        """Read, map and validate these files (one batch)."""
        units: list[FileUnit] = []
        graphs: list[FileGraph | None] = []
        for job in jobs:
            result = reading.read_file(
                job.reader,
                job.source,
                self.known,
                self.register,
                self.inputs.limits,
            )
            graph = None
            if not result.problems and not self.licence_problems:
                graph = map_file(result, self.uris, self.register, self.terms)
            if self.records_dir is not None:
                save_records(self.records_dir, job.key, result)
            units.append(
                FileUnit(
                    name=job.name,
                    key=job.key,
                    outline=outline(result),
                    records=result if self.records_dir is None and self.keep_records else None,
                    problems=list(result.problems),
                    rule_problems=[],
                    licences_used=tuple(sorted(graph.licences_used)) if graph else (),
                    facts=ntriples_facts(graph.ntriples, self.uris) if graph else {},
                    triples=graph.count if graph else 0,
                    chunks=self.framing.chunk(graph.ntriples, self.catalogue_graph)
                    if graph and self.make_chunks
                    else None,
                )
            )
            graphs.append(graph)
        self._validate(units, graphs)
        return units

    def _validate(self, units: list[FileUnit], graphs: list[FileGraph | None]) -> None:
        """SHACL over the batch's graphs (with the vocabulary and the licences they use);
        each violation goes to the unit that holds its focus node."""
        mapped = [(u, g) for u, g in zip(units, graphs, strict=True) if g is not None]
        if not mapped:
            return
        used = {name for _, graph in mapped for name in graph.licences_used}
        data = [graph.ntriples for _, graph in mapped]
        data.append(self._context(used))
        # An offering may be held by another file than its supplier's: the rules need to
        # know that what it names is a supplier (sh:class), nothing more of it.
        described = {iri for unit, _ in mapped for iri in unit.facts}
        supplier_type = f" <{RDF_TYPE}> <{self.uris.vocab.Supplier}> .\n"
        for unit in units:
            for offering in unit.outline.offerings:
                named = str(self.uris.thing("supplier", offering.supplier))
                if named not in described:
                    data.append(f"<{named}>{supplier_type}".encode())
        _conforms, report, _text = run_shacl(b"".join(data), self.shapes, self.inputs.engine)
        if not any(report.subjects(RDF.type, SH.ValidationResult)):
            return
        owners: dict[Node, FileUnit] = {}
        origins: dict[Node, Origin] = {}
        for unit, graph in mapped:
            for line in graph.ntriples.splitlines():
                owners[_node(line[: line.index(b" ")].decode())] = unit
            origins.update((_node(key), origin) for key, origin in graph.origins.items())
        for focus, problems in problems_by_focus(report, origins, self.uris).items():
            owner = owners.get(focus)
            if owner is not None:
                owner.rule_problems.extend(problems)
        for unit in units:
            unit.rule_problems.sort()

    def _context(self, licences_used: Iterable[str]) -> bytes:
        """The N-Triples of the vocabulary and of these licences."""
        return self.vocabulary_ntriples + self.licences(licences_used).ntriples

    def context_problems(self, licences_used: Iterable[str]) -> list[Problem]:
        """Rule problems of the vocabulary and the licences themselves (checked once)."""
        licences = self.licences(licences_used)
        own = {str(t.subject) for t in self.vocabulary_triples + licences.triples}
        origins = {_node(key): origin for key, origin in licences.origins.items()}
        _conforms, report, _text = run_shacl(
            self._context(licences_used), self.shapes, self.inputs.engine
        )
        found: set[Problem] = set()
        for focus, problems in problems_by_focus(report, origins, self.uris).items():
            if focus.n3() in own:
                found.update(problems)
        return sorted(found)


def save_records(folder: Path, key: str, result: ReadResult) -> None:
    """The file's records, for the cache (written once: the key says what they are)."""
    target = folder / f"{key}.pickle"
    if not target.exists():
        temporary = folder / f".{key}.{os.getpid()}"
        temporary.write_bytes(stable_pickle(result))
        os.replace(temporary, target)


def stable_pickle(value: object) -> bytes:
    """Pickled without the memo (``Pickler.fast``), so that the bytes depend on the value
    only, not on which equal strings happen to be one object in this process."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True
    pickler.dump(value)
    return buffer.getvalue()


def load_records(folder: Path, key: str) -> ReadResult:
    data = (folder / f"{key}.pickle").read_bytes()
    result = pickle.loads(data)  # noqa: S301 - our own cache, written by this code version
    if not isinstance(result, ReadResult):
        raise TypeError(f"not a ReadResult: {folder / key}")
    return result


def dump_prefixes(uris: UriScheme) -> dict[str, str]:
    prefixes = {name: str(namespace) for name, namespace in PREFIXES.items()}
    prefixes["rdf"] = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    prefixes["ak"] = str(uris.vocab)
    return prefixes


def _node(key: str) -> Node:
    return BNode(key[2:]) if key.startswith("_:") else URIRef(key[1:-1])


# ---------------------------------------------------------------------- worker processes

_BENCH: Workbench | None = None


def _init_worker(
    inputs: Inputs, records_dir: Path | None, keep_records: bool, make_chunks: bool
) -> None:
    global _BENCH
    _BENCH = Workbench(inputs, records_dir, keep_records, make_chunks)


def _work(jobs: Sequence[Job]) -> list[FileUnit]:
    assert _BENCH is not None
    return _BENCH.process(jobs)


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)))


def process_files(
    bench: Workbench, jobs: Sequence[Job], workers: int | None = None
) -> Iterator[FileUnit]:
    """Units for ``jobs``, in their order, as they are done: in this process when there is
    little to do, else in ``workers`` processes (default: one per core)."""
    batches = [list(jobs[i : i + BATCH_FILES]) for i in range(0, len(jobs), BATCH_FILES)]
    workers = min(workers or default_workers(), len(batches))
    if workers <= 1:
        for batch in batches:
            yield from bench.process(batch)
        return
    context = get_context("forkserver")
    context.set_forkserver_preload(["publisher.build.units"])
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=_init_worker,
        initargs=(bench.inputs, bench.records_dir, bench.keep_records, bench.make_chunks),
    ) as pool:
        for units in pool.map(_work, batches):
            yield from units
