"""VoID statistics of a publication, counted once at build time (the build artefact
``void``): triples, distinct subjects, entities under the URI space and entities per class.
Counting them in the store costs seconds at national scale, so no request does it; the
VoID description and its page read ``artefacts/void/statistics.json``.

Every figure is a sum over subjects, so when the previous publication's statistics are
there (same code, same base URI) and its store was updated by difference, only the subjects
of the quads it removed or added can have changed: the new statistics are the previous
ones plus, for each of those subjects, its figures in the new store minus those in the
previous one (``update``), exactly what a count of the whole store gives, at the cost of
the edit instead of four scans of the store."""

from __future__ import annotations

import gc
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from publisher.store import ReadStore

FILE = "statistics.json"

TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
DISTINCT_SUBJECTS = "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }"
IN_SPACE = "FILTER(isIRI(?s) && STRSTARTS(STR(?s), ?space))"
ENTITIES = (
    f"SELECT ?space (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s ?p ?o {IN_SPACE} }} GROUP BY ?space"
)
CLASSES = (
    f"SELECT ?c ?space (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a ?c {IN_SPACE} }} GROUP BY ?c ?space"
)
# One subject's share of the figures (?s bound to it)
SUBJECT_TRIPLES = "SELECT ?s (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?s"
SUBJECT_CLASSES = "SELECT DISTINCT ?s ?c WHERE { ?s a ?c }"
# Beyond this many quads added or removed, counting the whole store is as cheap.
MAX_LINES = 50_000
# A run of N-Quads lines with the same subject (group 1): a chunk of the dump lists each
# subject's triples together, so this finds every subject in one pass of the C regex engine.
SUBJECT_RUN = re.compile(rb"([^ \n]+) [^\n]*\n(?:\1 [^\n]*\n)*")
TYPE_PREDICATE = b" <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
SLICE = 1 << 26  # bytes of the dump read at a time (cut at a line end)


@dataclass(frozen=True)
class StoreStatistics:
    """What VoID states about the data, counted in the store the site serves."""

    triples: int
    distinct_subjects: int  # IRIs and blank nodes, as void:distinctSubjects counts them
    entities: int  # IRIs under void:uriSpace that are subjects
    classes: dict[str, int]  # class IRI → entities of that class


def count(store: ReadStore, uri_space: str) -> StoreStatistics:
    space = {"space": ox.Literal(uri_space)}

    def number(query: str, **options: Any) -> int:
        rows = list(store.query(query, **options))
        return int(rows[0]["n"].value) if rows else 0

    return StoreStatistics(
        triples=number(TRIPLES),
        distinct_subjects=number(DISTINCT_SUBJECTS),
        entities=number(ENTITIES, bindings=space),
        classes={
            r["c"].value: int(r["n"].value)
            for r in sorted(store.query(CLASSES, bindings=space), key=lambda r: r["c"].value)
        },
    )


def count_dump(store_path: Path, nquads: Path, uri_space: str) -> StoreStatistics | None:
    """``count``, from the N-Quads dump the store was made of (the build loads the store from
    its lines, or updates the previous store by the difference of the lines: the same
    quads): subjects and classes read from its text in one pass, triples counted by the
    store itself (a triple stated in two graphs counts twice, as in ``count``). 1.5 s at
    1.8 M quads instead of 12. None when the text holds what this reading does not take
    (a quoted triple as subject, a class that is not an IRI): then ``count`` decides."""
    space = b"<" + uri_space.encode()
    subjects: set[bytes] = set()
    typed: set[tuple[bytes, bytes]] = set()
    for data in _slices(nquads):
        subjects.update(SUBJECT_RUN.findall(data))
        if not _types(data, space, typed):
            return None
    if any(s.startswith(b"<<") for s in subjects):
        return None
    classes: Counter[str] = Counter()
    for subject, cls in typed:
        if subject.startswith(space):
            if not cls.startswith(b"<"):
                return None
            classes[cls[1:-1].decode()] += 1
    return StoreStatistics(
        triples=len(ox.Store.read_only(str(store_path))),
        distinct_subjects=len(subjects),
        entities=sum(1 for s in subjects if s.startswith(space)),
        classes=dict(sorted(classes.items())),
    )


def _slices(path: Path) -> Iterable[bytes]:
    """The file in pieces of about ``SLICE`` bytes, each ending at a line end."""
    rest = b""
    with open(path, "rb") as handle:
        while block := handle.read(SLICE):
            block = rest + block
            cut = block.rfind(b"\n") + 1
            rest = block[cut:]
            yield block[:cut]
    if rest:
        yield rest + b"\n"


def _types(data: bytes, space: bytes, typed: set[tuple[bytes, bytes]]) -> bool:
    """Add (subject, class) of every rdf:type line of ``data`` whose subject is under
    ``space`` (the only ones the figures count) to ``typed``."""
    find, rfind, size = data.find, data.rfind, len(TYPE_PREDICATE)
    at = find(TYPE_PREDICATE)
    while at >= 0:
        start = rfind(b"\n", 0, at) + 1
        # The predicate, not the same text inside a literal: right after the subject.
        if data.startswith(space, start) and find(b" ", start) == at:
            end = find(b" ", at + size)
            if end < 0:
                return False
            typed.add((data[start:at], data[at + size : end]))
        at = find(TYPE_PREDICATE, at + size)
    return True


Subject = ox.NamedNode | ox.BlankNode


@dataclass(frozen=True)
class _Share:
    """What one subject adds to the figures of a store."""

    triples: int
    entity: bool
    classes: frozenset[str]


def _share(store: ReadStore, subject: Subject, uri_space: str) -> _Share | None:
    """``subject``'s share; None if a class is not an IRI (the whole count then decides)."""
    binding = {"s": subject}
    rows = list(store.query(SUBJECT_TRIPLES, bindings=binding))  # type: ignore[arg-type]
    triples = int(rows[0]["n"].value) if rows else 0
    entity = triples > 0 and isinstance(subject, ox.NamedNode)
    entity = entity and subject.value.startswith(uri_space)
    classes: set[str] = set()
    if entity:
        for row in store.query(SUBJECT_CLASSES, bindings=binding):  # type: ignore[arg-type]
            if not isinstance(row["c"], ox.NamedNode):
                return None
            classes.add(row["c"].value)
    return _Share(triples, entity, frozenset(classes))


def update(
    before: StoreStatistics,
    subjects: Iterable[Subject],
    old: ReadStore,
    new: ReadStore,
    uri_space: str,
) -> StoreStatistics | None:
    """The statistics of ``new``, from those of ``old`` (``before``) when the two stores
    differ only in triples of ``subjects``; None when it cannot tell."""
    triples, distinct, entities = before.triples, before.distinct_subjects, before.entities
    classes = Counter(before.classes)
    for subject in subjects:
        was, now = _share(old, subject, uri_space), _share(new, subject, uri_space)
        if was is None or now is None:
            return None
        triples += now.triples - was.triples
        distinct += (now.triples > 0) - (was.triples > 0)
        entities += now.entity - was.entity
        classes.update(now.classes - was.classes)
        classes.subtract(was.classes - now.classes)
    if any(n < 0 for n in classes.values()) or min(triples, distinct, entities) < 0:
        return None  # ``before`` was not the count of ``old``
    return StoreStatistics(
        triples=triples,
        distinct_subjects=distinct,
        entities=entities,
        classes={c: n for c, n in sorted(classes.items()) if n > 0},
    )


@dataclass(frozen=True)
class _NQuadsChunks:
    """The N-Quads dump's chunks of a publication, as its chunk index
    (``publisher.build.dumps.ChunkIndex``, ``cache/dumps.json``) places them: only the
    order and the N-Quads ranges read (``ChunkIndex.load`` turns the ranges of all six
    dumps into tuples: 75 ms at 6,000 chunks, for two chunks wanted)."""

    dump: Path
    order: list[str]
    ranges: dict[str, list[int]]

    @classmethod
    def load(cls, publication: Path) -> _NQuadsChunks | None:
        # Imported here: the web layer reads statistics without loading the build.
        from publisher.build.cache import CHUNK_INDEX
        from publisher.build.dumps import DUMP_NAME, INDEX_VERSION

        try:
            data = json.loads((publication / "cache" / CHUNK_INDEX).read_text(encoding="utf-8"))
            if data.get("version") != INDEX_VERSION:
                return None
            dump = publication / "dumps" / f"{DUMP_NAME}.nq"
            return cls(dump, list(data["order"]), dict(data["ranges"]["nq"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def body(self, key: str) -> bytes:
        offset, length = self.ranges[key]
        with open(self.dump, "rb") as handle:
            handle.seek(int(offset))
            return handle.read(int(length))


def _changed_subjects(context: Any) -> set[Subject] | None:
    """The subjects of the triples in which the new store may differ from the previous one:
    the N-Quads lines of the dump chunks that went, or came, and are not in the others (the
    build updates the previous store with exactly that difference, publisher.build). None
    when it cannot tell."""
    previous = context.previous
    before = _NQuadsChunks.load(previous.path)
    after = _NQuadsChunks.load(Path(context.publication_dir))
    if before is None or after is None or not previous.store_path.is_dir():
        return None
    gone, came = set(before.order) - set(after.order), set(after.order) - set(before.order)
    went = [before.body(key) for key in before.order if key in gone]
    added = [after.body(key) for key in after.order if key in came]
    # A chunk that went and the one that came in its place mostly hold the same lines (the
    # ledger's dates of every offering, 7 MB at national scale, for one date changed):
    # only the lines between their common beginning and end can be of the difference.
    for at in range(min(len(went), len(added))):
        went[at], added[at] = _differing_lines(went[at], added[at])
    old = {line for body in went for line in body.splitlines()}
    new = {line for body in added for line in body.splitlines()}
    lines = sorted(old ^ new)
    if len(lines) > MAX_LINES:
        return None
    subjects: set[Subject] = set()
    data = b"\n".join(lines) + b"\n"
    for quad in ox.parse(data, format=ox.RdfFormat.N_QUADS, rename_blank_nodes=False):
        if isinstance(quad.subject, ox.Triple):
            return None
        subjects.add(quad.subject)
    return subjects


def _differing_lines(a: bytes, b: bytes) -> tuple[bytes, bytes]:
    """``a`` and ``b`` (N-Quads, each line ending with a line end) without the whole lines
    they begin and end with alike. The lines left out are in both, so the difference of
    two sets of lines, each a union of such bodies, is among the lines left (or they hold
    more: a subject whose figures did not change is then counted again for nothing,
    ``update``)."""
    start = _common_prefix(a, b)
    start = a.rfind(b"\n", 0, start) + 1  # a line's start, in both
    alike = min(_common_suffix(a, b), min(len(a), len(b)) - start)
    cut = a.find(b"\n", len(a) - alike)  # a line end within the bytes alike at the end
    end = len(a) - cut - 1 if alike and cut >= 0 else 0
    return a[start : len(a) - end], b[start : len(b) - end]


PREFIX_BLOCK = 1 << 16


def _common_suffix(a: bytes, b: bytes) -> int:
    """How many bytes ``a`` and ``b`` end with alike (compared a block at a time)."""
    size = min(len(a), len(b))
    low = 0
    while (
        low + PREFIX_BLOCK <= size  # (else a slice start would count from the beginning)
        and a[len(a) - low - PREFIX_BLOCK : len(a) - low]
        == b[len(b) - low - PREFIX_BLOCK : len(b) - low]
    ):
        low += PREFIX_BLOCK
    high = min(low + PREFIX_BLOCK, size)
    while low < high:  # the first byte from the end that differs is in [low, high]
        middle = (low + high) // 2
        if a[len(a) - middle - 1 : len(a) - low] == b[len(b) - middle - 1 : len(b) - low]:
            low = middle + 1
        else:
            high = middle
    return low


def _common_prefix(a: bytes, b: bytes) -> int:
    """How many bytes ``a`` and ``b`` begin with alike (compared a block at a time)."""
    size = min(len(a), len(b))
    low = 0
    while low < size and a[low : low + PREFIX_BLOCK] == b[low : low + PREFIX_BLOCK]:
        low += PREFIX_BLOCK
    high = min(low + PREFIX_BLOCK, size)
    low = min(low, size)
    while low < high:  # the first byte that differs is in [low, high]
        middle = (low + high) // 2
        if a[low : middle + 1] == b[low : middle + 1]:
            low = middle + 1
        else:
            high = middle
    return low


def _incremental(context: Any, uri_space: str) -> StoreStatistics | None:
    folder = context.previous_folder
    if context.previous is None or folder is None or not (Path(folder) / FILE).is_file():
        return None
    subjects = _changed_subjects(context)
    if subjects is None:
        return None
    old = ReadStore(context.previous.store_path)
    new = ReadStore(context.store_path)
    ordered = sorted(subjects, key=str)
    return update(read(Path(folder)), ordered, old, new, uri_space)


def write_artefact(context: Any) -> None:
    """The build artefact ``void`` (publisher.artefacts): ``statistics.json``, counted in
    the store, or derived from the previous one when only a few subjects changed."""
    space = f"{context.uris.base}id/"
    # Nothing made here is cyclic garbage, but the build's process holds millions of
    # objects: a collection of the oldest generation would walk them all.
    collecting = gc.isenabled()
    gc.disable()
    try:
        stats = _incremental(context, space) or _cold(context, space)
    finally:
        if collecting:
            gc.enable()
    text = json.dumps(asdict(stats), indent=1, sort_keys=True) + "\n"
    (Path(context.folder) / FILE).write_text(text, encoding="utf-8")


def _cold(context: Any, uri_space: str) -> StoreStatistics:
    from publisher.build.dumps import DUMP_NAME

    nquads = Path(context.publication_dir) / "dumps" / f"{DUMP_NAME}.nq"
    found = count_dump(context.store_path, nquads, uri_space) if nquads.is_file() else None
    return found or count(ReadStore(context.store_path), uri_space)


def read(folder: Path) -> StoreStatistics:
    data = json.loads((folder / FILE).read_text(encoding="utf-8"))
    return StoreStatistics(**data)
