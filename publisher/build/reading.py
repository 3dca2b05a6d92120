"""The build's calls into the source readers (``publisher.sources``), file by file.

The build reads, maps and validates each source file on its own (and caches the result),
then runs the checks that span files once: unique ids, offerings attached to suppliers of
other files, ``retired.yaml``. This module is the one place that knows how the readers are
called; the readers themselves (records, fields, checks, messages, limits) belong to
``publisher.sources``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from publisher.licences import LicenceRegister
from publisher.problems import Problem
from publisher.sources import (
    FieldContext,
    KnownIds,
    ReadResult,
    Retirement,
    SourceFile,
    SourceLimits,
    Supplier,
    read_source,
    reader,
    source_files,
)
from publisher.sources.catalogue import assemble
from publisher.sources.register_files import read_licences as _read_licences
from publisher.sources.register_files import read_retired

SUPPLIERS_DIR = "suppliers"
LICENCES_FILE = "licences.yaml"
RETIRED_FILE = "retired.yaml"


def find_sources(
    data_dir: Path, limits: SourceLimits
) -> tuple[list[tuple[str, SourceFile]], list[Problem]]:
    """Every source file, as (reader name, opened file), in the order the catalogue reads
    them; and the problems of the folder and of files that cannot be read."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        return [], [Problem(str(data_dir), "-", "-", "missing", "no such folder")]
    problems: list[Problem] = []
    found = [(r.name, source) for r, source in source_files(data_dir, limits, problems)]
    if not found and not problems:
        folder = data_dir / SUPPLIERS_DIR
        problems.append(
            Problem(str(folder), "-", "-", "missing", "no supplier files (*.yaml) found")
        )
    return found, problems


def read_licences(data_dir: Path, limits: SourceLimits) -> tuple[LicenceRegister, list[Problem]]:
    problems: list[Problem] = []
    register = _read_licences(Path(data_dir), limits, problems)
    return register, problems


def read_file(
    reader_name: str,
    source: SourceFile,
    known: KnownIds,
    register: LicenceRegister,
    limits: SourceLimits,
) -> ReadResult:
    return read_source(reader(reader_name), source, FieldContext(known, register, limits))


def cross_file_checks(
    data_dir: Path, results: Sequence[ReadResult], limits: SourceLimits
) -> tuple[list[Supplier], tuple[Retirement, ...], dict[str, str], list[Problem]]:
    """The catalogue's suppliers (offerings of other files attached), and the checks over
    all files: unique ids, ``retired.yaml``. Every file's own problems are included."""
    problems: list[Problem] = []
    suppliers = assemble(results, problems)
    retired, renamed = read_retired(Path(data_dir), suppliers, limits, problems)
    return suppliers, retired, renamed, problems
