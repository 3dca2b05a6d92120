"""The dumps: the whole publication in every RDF format of publisher.formats, written
chunk by chunk.

A dump is a header, then chunks, then a footer. The chunks come in a fixed order: one per
source file (in the order the catalogue reads them), then the vocabulary, the licences and
the ``dct:modified`` dates of the ledger; each is written as soon as it is made, so a build
never holds the dumps in memory. Each chunk is serialised on its own by pyoxigraph from triples in a
fixed order (``terms.sort_triples``), with content-derived blank-node labels, so the same
sources give the same bytes. And a chunk that did not change is not serialised again: its
bytes are copied from the previous publication's dump, found through the chunk index that
every build keeps (``cache/dumps.json``: chunk key → offset and length per format).

The ``dct:modified`` dates are a chunk of their own (they come from the ledger, which
depends on every file and on the previous publication) so that a file's chunk depends on
that file alone. Every format allows a subject's triples to be split like that.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import pyoxigraph as ox

from publisher import formats
from publisher.build.terms import ntriples, parse_ntriples

DUMP_NAME = "avoinkunta"
INDEX_VERSION = 1


@dataclass(frozen=True)
class DumpFormat:
    ext: str
    rdf_format: ox.RdfFormat
    media_type: str
    quads: bool = False  # with graph names (N-Quads, TriG); the others hold the union


# From the one format table (publisher.formats): a format added there is a dump too.
FORMATS: tuple[DumpFormat, ...] = tuple(
    DumpFormat(f.ext, f.rdf_format, f.media_type, quads=f.carries_graphs)
    for f in formats.DUMP_FORMATS
)
# Formats whose chunks start with the dump's @prefix lines (cut off, written once).
_PREFIXED = frozenset({ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG})
BY_EXT = {f.ext: f for f in FORMATS}
BY_FORMAT = {f.rdf_format: f for f in FORMATS}
# Between two chunks: JSON-LD chunks are members of one top-level array.
_SEPARATOR = {"jsonld": b",\n"}
_RDF_XML_FOOTER = b"</rdf:RDF>"
_DUMMY = ox.Triple(ox.NamedNode("urn:x:s"), ox.NamedNode("urn:x:p"), ox.NamedNode("urn:x:o"))


class Framing:
    """Header and footer of each format for one set of prefixes, and how a chunk's body is
    cut out of pyoxigraph's output."""

    def __init__(self, prefixes: dict[str, str]) -> None:
        self.prefixes = dict(sorted(prefixes.items()))
        turtle = ox.serialize([_DUMMY], format=ox.RdfFormat.TURTLE, prefixes=self.prefixes)
        assert turtle is not None
        self._turtle_header = b"".join(
            line for line in turtle.splitlines(keepends=True) if line.startswith(b"@prefix ")
        )
        empty_xml = ox.serialize([], format=ox.RdfFormat.RDF_XML, prefixes=self.prefixes)
        assert empty_xml is not None and empty_xml.endswith(_RDF_XML_FOOTER)
        self._xml_header = empty_xml[: -len(_RDF_XML_FOOTER)]
        self._trig_openings: dict[str, bytes] = {}

    def header(self, fmt: DumpFormat) -> bytes:
        if fmt.rdf_format in _PREFIXED:
            return self._turtle_header + b"\n"
        return {"jsonld": b"[\n", "rdf": self._xml_header}.get(fmt.ext, b"")

    def footer(self, fmt: DumpFormat) -> bytes:
        return {"jsonld": b"\n]\n", "rdf": _RDF_XML_FOOTER + b"\n"}.get(fmt.ext, b"")

    def bodies(self, triples: Sequence[ox.Triple], graph: str) -> dict[str, bytes]:
        """The chunk of these triples (of named graph ``graph``) in every format."""
        return self.chunk(ntriples(triples), graph, triples)

    def chunk(
        self, lines: bytes, graph: str, triples: Sequence[ox.Triple] | None = None
    ) -> dict[str, bytes]:
        """The chunk of the N-Triples ``lines`` (pyoxigraph's, in their order; of named
        graph ``graph``) in every format. N-Quads and TriG are written from the N-Triples
        and the Turtle text (a graph name added to each line; the Turtle lines indented in
        a graph block), as pyoxigraph would write them: none of these formats lets a
        line break stand inside a term. tests/test_build.py compares the two ways."""
        if not lines:
            return self._serialised([], graph)
        if triples is None:
            triples = parse_ntriples(lines)
        bodies: dict[str, bytes] = {}
        turtle = b""
        for fmt in FORMATS:
            if fmt.rdf_format == ox.RdfFormat.N_TRIPLES:
                data = lines
            elif fmt.rdf_format == ox.RdfFormat.N_QUADS:
                data = lines.replace(b" .\n", b" <" + graph.encode() + b"> .\n")
            elif fmt.rdf_format == ox.RdfFormat.TRIG:
                if not turtle:
                    turtle = self._serialise(BY_FORMAT[ox.RdfFormat.TURTLE], triples)
                data = self._turtle_header + self._trig_block(turtle, graph)
            else:
                data = self._serialise(fmt, triples)
                if fmt.rdf_format == ox.RdfFormat.TURTLE:
                    turtle = data
            bodies[fmt.ext] = self._cut(fmt, data)
        return bodies

    def _serialise(self, fmt: DumpFormat, triples: Sequence[ox.Triple]) -> bytes:
        prefixes = self.prefixes if fmt.rdf_format in _PREFIXED or fmt.ext == "rdf" else None
        return ox.serialize(triples, format=fmt.rdf_format, prefixes=prefixes) or b""

    def _trig_block(self, turtle: bytes, graph: str) -> bytes:
        """TriG of one graph from the Turtle of its triples (pyoxigraph's, with this
        framing's prefixes): the graph's opening line, each Turtle line indented, ``}``."""
        opening = self._trig_openings.get(graph)
        if opening is None:
            one = ox.serialize(
                [ox.Quad(_DUMMY.subject, _DUMMY.predicate, _DUMMY.object, ox.NamedNode(graph))],
                format=ox.RdfFormat.TRIG,
                prefixes=self.prefixes,
            )
            assert one is not None and one.startswith(self._turtle_header)
            opening = one[len(self._turtle_header) :].partition(b"{\n")[0] + b"{\n"
            self._trig_openings[graph] = opening
        body = turtle[len(self._turtle_header) :]
        return opening + b"\t" + body[:-1].replace(b"\n", b"\n\t") + b"\n}\n"

    def _serialised(self, triples: Sequence[ox.Triple], graph: str) -> dict[str, bytes]:
        """Every format from pyoxigraph's serialisers (the reference for ``chunk``)."""
        bodies: dict[str, bytes] = {}
        for fmt in FORMATS:
            if fmt.quads:
                name = ox.NamedNode(graph)
                data = ox.serialize(
                    [ox.Quad(t.subject, t.predicate, t.object, name) for t in triples],
                    format=fmt.rdf_format,
                    prefixes=self.prefixes if fmt.rdf_format in _PREFIXED else None,
                )
            else:
                data = self._serialise(fmt, triples)
            bodies[fmt.ext] = self._cut(fmt, data or b"")
        return bodies

    def _cut(self, fmt: DumpFormat, data: bytes) -> bytes:
        if fmt.rdf_format in _PREFIXED:
            if not data:
                return b""
            if not data.startswith(self._turtle_header):
                raise AssertionError(f"{fmt.ext} chunk without the expected prefixes")
            return data[len(self._turtle_header) :] + b"\n"
        if fmt.ext == "rdf":
            if not (data.startswith(self._xml_header) and data.endswith(_RDF_XML_FOOTER)):
                raise AssertionError("RDF/XML chunk without the expected framing")
            return data[len(self._xml_header) : -len(_RDF_XML_FOOTER)]
        if fmt.ext == "jsonld":
            text = data.strip()
            if not (text.startswith(b"[") and text.endswith(b"]")):
                raise AssertionError("JSON-LD chunk is not an array")
            return text[1:-1].strip()
        return data


@dataclass(frozen=True)
class Chunk:
    """One chunk of the dumps: its key (a hash of everything its triples depend on), how
    many triples it holds, and its bodies when they were made in this build (None when
    they are to be copied from the previous publication's dumps)."""

    key: str
    triples: int
    bodies: dict[str, bytes] | None = None


@dataclass
class ChunkIndex:
    """Where each chunk is in each dump: ``ranges[ext][key] = (offset, length)``."""

    ranges: dict[str, dict[str, tuple[int, int]]]
    triples: dict[str, int]
    order: list[str]

    @classmethod
    def load(cls, path: Path) -> ChunkIndex | None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if data.get("version") != INDEX_VERSION:
            return None
        ranges = {
            ext: {key: (int(r[0]), int(r[1])) for key, r in table.items()}
            for ext, table in data["ranges"].items()
        }
        return cls(ranges, dict(data["triples"]), list(data["order"]))

    def save(self, path: Path) -> None:
        # This layout is read by others too (publisher.void_stats reads "order" and
        # "ranges"["nq"] itself): change it with them.
        data = {
            "version": INDEX_VERSION,
            "order": self.order,
            "triples": self.triples,
            "ranges": {ext: {k: list(r) for k, r in t.items()} for ext, t in self.ranges.items()},
        }
        path.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")

    def body(self, dumps_dir: Path, ext: str, key: str) -> bytes:
        offset, length = self.ranges[ext][key]
        with open(dumps_dir / f"{DUMP_NAME}.{ext}", "rb") as handle:
            handle.seek(offset)
            return handle.read(length)


class DumpWriter:
    """Writes the dumps chunk by chunk, each in its own thread (copying from the previous
    dumps, hashing and fsync release the GIL), keeping the chunk index and the checksums.

    ``written()`` returns as soon as every dump is complete on disk (the store and the
    artefacts may read them then); each thread goes on to hash its dump (sha256, for the
    manifest and the catalogue's spdx:checksum) and fsync it while the build does the rest,
    and ``entries()`` waits for that. ``close()`` is both."""

    def __init__(
        self,
        folder: Path,
        framing: Framing,
        previous: ChunkIndex | None = None,
        previous_dir: Path | None = None,
    ) -> None:
        self.folder = folder
        self.framing = framing
        self.previous = previous
        self.previous_dir = previous_dir
        folder.mkdir(parents=True, exist_ok=True)
        self._writers = [
            _FormatWriter(fmt, folder / f"{DUMP_NAME}.{fmt.ext}", framing, previous, previous_dir)
            for fmt in FORMATS
        ]
        self._order: list[str] = []
        self._triples: dict[str, int] = {}
        self._batch: list[Chunk] = []

    def reusable(self, key: str) -> bool:
        return self.previous is not None and all(
            key in self.previous.ranges.get(fmt.ext, {}) for fmt in FORMATS
        )

    def add(self, chunk: Chunk) -> None:
        if chunk.key in self._triples:
            raise ValueError(f"chunk {chunk.key} added twice")
        if chunk.bodies is None and not self.reusable(chunk.key):
            raise ValueError(f"chunk {chunk.key} has no bodies and is not in the previous dumps")
        self._order.append(chunk.key)
        self._triples[chunk.key] = chunk.triples
        # Handed over in batches: waking six threads for each of 6,000 reused chunks (a
        # few bytes of bookkeeping each) cost more than the bookkeeping. Bodies go at once.
        self._batch.append(chunk)
        if chunk.bodies is not None or len(self._batch) >= _BATCH:
            self._hand_over()

    def _hand_over(self) -> None:
        batch, self._batch = self._batch, []
        if batch:
            for writer in self._writers:
                writer.put_all(batch)

    def written(self) -> ChunkIndex:
        """Wait until every dump is written whole (not yet hashed nor synced); the index."""
        self._hand_over()
        ranges = {writer.fmt.ext: writer.written()[1] for writer in self._writers}
        return ChunkIndex(ranges, self._triples, self._order)

    def entries(self) -> dict[str, dict[str, Any]]:
        """Wait until every dump is hashed and on disk; the manifest entries by file name."""
        entries: dict[str, dict[str, Any]] = {}
        for writer in self._writers:
            size, digest = writer.written()[0], writer.digest()
            entries[f"{DUMP_NAME}.{writer.fmt.ext}"] = {
                "media_type": writer.fmt.media_type,
                "format": writer.fmt.ext,
                "bytes": size,
                "sha256": digest,
            }
        return entries

    def close(self) -> tuple[dict[str, dict[str, Any]], ChunkIndex]:
        """Finish every dump; (manifest entries by file name, the chunk index)."""
        index = self.written()
        return self.entries(), index

    def abort(self) -> None:
        for writer in self._writers:
            writer.abort()


_STOP = object()
_BATCH = 512  # reused chunks handed to the writers' threads at a time
# Bodies are gathered up to this size before they are written (one system call).
_BUFFER = 1 << 20


class _FormatWriter:
    """One dump, in its own thread: written (``written``), then hashed and fsync'd
    (``digest``)."""

    def __init__(
        self,
        fmt: DumpFormat,
        path: Path,
        framing: Framing,
        previous: ChunkIndex | None,
        previous_dir: Path | None,
    ) -> None:
        self.fmt = fmt
        self._path = path
        self._framing = framing
        self._previous = previous
        self._previous_dir = previous_dir
        self._queue: list[Any] = []
        self._ready = threading.Condition()
        self._error: BaseException | None = None
        self._written: tuple[int, dict[str, tuple[int, int]]] | None = None
        self._written_event = threading.Event()
        self._digest: str | None = None
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name=f"dump-{fmt.ext}", daemon=True)
        self._thread.start()

    def put(self, chunk: Any) -> None:
        self.put_all([chunk])

    def put_all(self, chunks: list[Any]) -> None:
        with self._ready:
            if self._error is not None:
                raise self._error
            self._queue.extend(chunks)
            self._ready.notify()

    def written(self) -> tuple[int, dict[str, tuple[int, int]]]:
        """(size, ranges) once the dump is written whole."""
        if not self._stopped:
            self._stopped = True
            self.put(_STOP)
        self._written_event.wait()
        if self._error is not None:
            raise self._error
        assert self._written is not None
        return self._written

    def digest(self) -> str:
        """The dump's sha256, once it is hashed and on disk."""
        self.written()
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._digest is not None
        return self._digest

    def abort(self) -> None:
        if not self._stopped:
            self._stopped = True
            with self._ready:
                self._queue.append(_STOP)
                self._ready.notify()
        self._thread.join()

    def _items(self) -> Iterator[Any]:
        while True:
            with self._ready:
                while not self._queue:
                    self._ready.wait()
                items, self._queue = self._queue, []
            for item in items:
                if item is _STOP:
                    return
                yield item

    def _run(self) -> None:
        try:
            self._written, synced = self._write(self._items())
        except BaseException as exc:  # handed to the caller by put() / written()
            self._error = exc
            self._written_event.set()
            for _ in self._items():  # drain until told to stop
                pass
            return
        self._written_event.set()
        try:
            self._digest = _sha256(self._path)
            if not synced:
                with open(self._path, "rb") as handle:
                    os.fsync(handle.fileno())  # here, not later in the build's own thread
        except BaseException as exc:  # handed to the caller by digest()
            self._error = exc

    def _write(
        self, chunks: Iterable[Chunk]
    ) -> tuple[tuple[int, dict[str, tuple[int, int]]], bool]:
        """Write the dump; ((size, ranges), whether it needs no fsync: a hard link to the
        previous dump, which is on disk already)."""
        ranges: dict[str, tuple[int, int]] = {}
        ext = self.fmt.ext
        separator = _SEPARATOR.get(ext, b"")
        source: BinaryIO | None = None
        if self._previous is not None and self._previous_dir is not None:
            previous_file = self._previous_dir / f"{DUMP_NAME}.{ext}"
            if previous_file.is_file():
                source = open(previous_file, "rb")  # noqa: SIM115 - closed below
        header, footer = self._framing.header(self.fmt), self._framing.footer(self.fmt)
        try:
            with open(self._path, "wb", buffering=0) as handle:
                out = _Output(handle, source)
                if _starts_with(source, header):  # copied with what follows it
                    out.reuse(0, len(header), b"")
                else:
                    out.emit(header)
                first = True
                for chunk in chunks:
                    body = chunk.bodies[ext] if chunk.bodies is not None else None
                    if body is None:
                        assert self._previous is not None
                        start, length = self._previous.ranges[ext][chunk.key]
                        gap = separator if length and not first else b""
                        ranges[chunk.key] = out.reuse(start, length, gap)
                    else:
                        if body and not first:
                            out.emit(separator)
                        ranges[chunk.key] = (out.offset, len(body))
                        out.emit(body)
                    if ranges[chunk.key][1]:
                        first = False
                # Every byte as in the previous dump: link it, copy nothing.
                same = not out.written and _whole(source, out.run_start, out.run_end, footer)
                if not same:
                    out.emit(footer)
                    out.flush()
            if same:
                assert source is not None
                out.offset += len(footer)
                self._path.unlink()
                os.link(source.name, self._path)
        finally:
            if source is not None:
                source.close()
        return (out.offset, ranges), same


class _Output:
    """A dump being written: what is written, and the range of the previous dump still to
    be copied. Reused chunks that follow each other in both dumps are copied as one range
    of the previous file (the separators between them included), by the kernel
    (``copy_file_range``): an edit build copies a few large ranges, not 6,000 small ones
    per format, and never through Python."""

    def __init__(self, handle: BinaryIO, source: BinaryIO | None) -> None:
        self.handle = handle
        self.source = source
        self.offset = 0  # of the new file, counting what is still to be copied or written
        self.run_start = self.run_end = 0  # [start, end) of the previous file, to copy
        self.written = False
        self._pending: list[bytes] = []
        self._pending_size = 0

    def write(self, data: bytes) -> None:
        self._pending.append(data)
        self._pending_size += len(data)
        self.written = True
        if self._pending_size >= _BUFFER:
            self._write_pending()

    def _write_pending(self) -> None:
        if self._pending:
            self.handle.write(b"".join(self._pending))
            self._pending, self._pending_size = [], 0

    def flush(self) -> None:
        """Write what is gathered and copy the run of the previous file."""
        self._write_pending()
        if self.run_end > self.run_start:
            assert self.source is not None
            _copy_range(self.source, self.handle, self.run_start, self.run_end - self.run_start)
            self.written = True
        self.run_start = self.run_end = 0

    def emit(self, data: bytes) -> None:
        if self.run_end > self.run_start:
            self.flush()
        self.write(data)
        self.offset += len(data)

    def reuse(self, start: int, length: int, gap: bytes) -> tuple[int, int]:
        """The previous file's [start, start + length), after ``gap``; its new range."""
        if length and self.run_end > self.run_start and self.run_end + len(gap) == start:
            self.run_end = start + length  # the gap is the separator there too
            self.offset += len(gap)
        elif length:
            if gap:
                self.emit(gap)  # after the run so far
            else:
                self.flush()
            self.run_start, self.run_end = start, start + length
        where = (self.offset, length)
        self.offset += length
        return where


def _starts_with(source: BinaryIO | None, header: bytes) -> bool:
    if source is None:
        return False
    source.seek(0)
    return source.read(len(header)) == header


def _whole(source: BinaryIO | None, start: int, end: int, footer: bytes) -> bool:
    """Is [start, end) of ``source`` all of it but ``footer``, which it ends with?"""
    if source is None or start != 0:
        return False
    if os.fstat(source.fileno()).st_size != end + len(footer):
        return False
    source.seek(end)
    return source.read(len(footer)) == footer


def _copy_range(source: BinaryIO, target: BinaryIO, start: int, length: int) -> None:
    """Append ``source``'s [start, start + length) to ``target`` (unbuffered): in the
    kernel when it can, else through a buffer."""
    done = 0
    try:
        while done < length:
            copied = os.copy_file_range(
                source.fileno(), target.fileno(), length - done, start + done
            )
            if copied == 0:
                raise OSError("the previous dump is shorter than its chunk index says")
            done += copied
    except OSError as exc:
        if done or exc.errno not in _NO_COPY_FILE_RANGE:
            raise
        source.seek(start)
        while done < length:
            block = source.read(min(length - done, 8 << 20))
            if not block:
                raise OSError("the previous dump is shorter than its chunk index says") from exc
            target.write(block)
            done += len(block)


# copy_file_range refused (another file system, an old kernel): copy through a buffer.
_NO_COPY_FILE_RANGE = frozenset({errno.EXDEV, errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP})


def _sha256(path: Path) -> str:
    """The file's sha256, read in large blocks (each hashed with the GIL released). One
    dump at a time: they share the one core the build's own thread leaves, and one
    buffer at a time is less memory."""
    digest = hashlib.sha256()
    with _HASHING, open(path, "rb", buffering=0) as handle:
        buffer = bytearray(_HASH_BLOCK)
        view = memoryview(buffer)
        while size := handle.readinto(buffer):
            digest.update(view[:size])
    return digest.hexdigest()


# Large: a thread that gives up the GIL for each read and each hash may wait for it
# (sys.getswitchinterval(), 5 ms) each time while the build's own thread computes.
_HASH_BLOCK = 16 << 20
_HASHING = threading.Lock()
