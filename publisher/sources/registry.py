"""Source readers: one per source format, registered by name.

A reader turns ONE source file into records plus problems. It says which files it reads
(glob patterns under the data folder); ``read_catalogue`` finds them, opens them safely
(``publisher.sources.files``: regular files inside the folder, within the size limit) and
hands each reader a :class:`SourceFile` with its bytes. A reader never opens files, never
raises for bad input (every problem is a ``Problem``), and never looks at other files:
checks across files (unique ids, the supplier an offering names, retired ids) are made
once, afterwards, on all records.

    class PubliccodeReader:
        name = "publiccode"
        patterns = ("publiccode/*.yml",)

        def read(self, source: SourceFile, context: ReadContext) -> ReadResult: ...

    register_reader(PubliccodeReader())

Readers run in the order they were registered; files are read in sorted order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from publisher.problems import Problem
from publisher.sources.fields import FieldContext
from publisher.sources.files import SourceFile
from publisher.sources.records import Offering, Supplier

ReadContext = FieldContext  # the known concept ids, the licence register and the limits


@dataclass(frozen=True)
class ReadResult:
    """What one source file holds.

    ``suppliers`` carry the offerings read with them (``Supplier.offerings``); an offering
    whose supplier is defined in another file goes in ``offerings`` and is attached to its
    supplier (by ``Offering.supplier``) when the catalogue is put together.
    """

    suppliers: tuple[Supplier, ...] = ()
    offerings: tuple[Offering, ...] = ()
    problems: tuple[Problem, ...] = field(default_factory=tuple)


class Reader(Protocol):
    """One source format."""

    name: str  # the registry key, e.g. "yaml"
    patterns: tuple[str, ...]  # glob patterns relative to the data folder

    def read(self, source: SourceFile, context: ReadContext) -> ReadResult: ...


_READERS: dict[str, Reader] = {}


def register_reader(reader: Reader) -> Reader:
    """Add (or replace) the reader of its name."""
    _READERS[reader.name] = reader
    return reader


def readers() -> tuple[Reader, ...]:
    return tuple(_READERS.values())


def reader(name: str) -> Reader:
    return _READERS[name]
