"""Reading the whole ``data/`` folder: every source file through its reader, then the checks
across files.

The steps are public so that a build can reuse a file's result when the file has not
changed: ``source_files`` → ``read_source`` (per file; depends only on the file, the
context and the code) → ``assemble`` (across files).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from pathlib import Path

from publisher.licences import LicenceRegister
from publisher.problems import Problem, SourceErrors
from publisher.sources.checks import close_matches
from publisher.sources.fields import FieldContext
from publisher.sources.files import SourceFile, open_source_file
from publisher.sources.limits import SourceLimits
from publisher.sources.records import Catalogue, KnownIds, Offering, Supplier
from publisher.sources.register_files import read_licences, read_retired
from publisher.sources.registry import Reader, ReadResult, readers

# At most this many problems are listed per file (a broken file can hold thousands).
MAX_PROBLEMS_PER_FILE = 100


def read_catalogue(
    data_dir: Path,
    known: KnownIds,
    licences: LicenceRegister | None = None,
    limits: SourceLimits | None = None,
) -> Catalogue:
    """Read and check everything under ``data_dir``; raise SourceErrors listing all problems."""
    data_dir = Path(data_dir)
    limits = limits or SourceLimits()
    problems: list[Problem] = []
    if not data_dir.is_dir():
        raise SourceErrors([Problem(str(data_dir), "-", "-", "missing", "no such folder")])
    register = licences or read_licences(data_dir, limits, problems)
    context = FieldContext(known, register, limits)
    results = []
    refused = len(problems)
    found = source_files(data_dir, limits, problems)
    if not found and len(problems) == refused:
        supplier_dir = data_dir / "suppliers"
        problems.append(
            Problem(str(supplier_dir), "-", "-", "missing", "no supplier files (*.yaml) found")
        )
    for reader, source in found:
        results.append(read_source(reader, source, context))
    suppliers = assemble(results, problems)
    retired, renamed = read_retired(data_dir, suppliers, limits, problems)
    if problems:
        raise SourceErrors(problems)
    return Catalogue(tuple(suppliers), register, retired, renamed)


def source_files(
    data_dir: Path, limits: SourceLimits, problems: list[Problem]
) -> list[tuple[Reader, SourceFile]]:
    """Every file a registered reader reads, opened safely; a file that cannot be read is
    a problem."""
    found = []
    resolved: dict[Path, Path] = {}
    for reader in readers():
        for path in _matches(data_dir, reader.patterns):
            source, refused = open_source_file(path, data_dir, limits, resolved)
            if source is not None:
                found.append((reader, source))
            elif refused is not None:
                problems.append(refused)
    return found


def _matches(data_dir: Path, patterns: Iterable[str]) -> list[Path]:
    paths: dict[Path, None] = {}  # in order, each once
    for pattern in patterns:
        paths.update(dict.fromkeys(sorted(data_dir.glob(pattern))))
    return list(paths)


class ReaderFailed(RuntimeError):
    """A reader raised instead of reporting problems: a bug, named with its file."""


def read_source(reader: Reader, source: SourceFile, context: FieldContext) -> ReadResult:
    """One file through its reader, its problems capped at MAX_PROBLEMS_PER_FILE."""
    try:
        result = reader.read(source, context)
    except Exception as exc:  # a reader reports bad input as problems; this is a bug
        raise ReaderFailed(
            f"the {reader.name} reader failed on {source.display}: {type(exc).__name__}: {exc}"
        ) from exc
    if len(result.problems) <= MAX_PROBLEMS_PER_FILE:
        return result
    kept = sorted(result.problems, key=lambda p: (p.line or 0, p.record, p.field))
    more = Problem(
        source.display,
        "-",
        "-",
        "limit-problems",
        f"{len(kept) - MAX_PROBLEMS_PER_FILE} more problems in this file are not listed; "
        "fix these first",
    )
    return dataclasses.replace(result, problems=(*kept[:MAX_PROBLEMS_PER_FILE], more))


def assemble(results: Iterable[ReadResult], problems: list[Problem]) -> list[Supplier]:
    """The suppliers of all files, each with its offerings; checks across files."""
    results = list(results)
    suppliers: list[Supplier] = []
    loose: list[Offering] = []
    for result in results:
        problems.extend(result.problems)
        suppliers.extend(result.suppliers)
        loose.extend(result.offerings)
    if loose:
        suppliers = _attach(suppliers, loose, problems)
    _check_unique(suppliers, problems)
    return suppliers


def _attach(
    suppliers: list[Supplier], offerings: list[Offering], problems: list[Problem]
) -> list[Supplier]:
    by_supplier: dict[str, list[Offering]] = {}
    known = {s.id for s in suppliers}
    for offering in offerings:
        if offering.supplier in known:
            by_supplier.setdefault(offering.supplier, []).append(offering)
        else:
            problems.append(
                Problem(
                    offering.file,
                    f"offering {offering.id}",
                    "supplier",
                    "unknown-reference",
                    f"unknown supplier {offering.supplier!r}"
                    + close_matches(str(offering.supplier or ""), known),
                    offering.line,
                )
            )
    return [
        dataclasses.replace(s, offerings=(*s.offerings, *by_supplier[s.id]))
        if s.id in by_supplier
        else s
        for s in suppliers
    ]


def _check_unique(suppliers: list[Supplier], problems: list[Problem]) -> None:
    seen: dict[str, str] = {}
    for supplier in suppliers:
        for offering in supplier.offerings:
            if offering.id in seen and not offering.id.startswith("#"):
                problems.append(
                    Problem(
                        offering.file,
                        f"offering {offering.id}",
                        "id",
                        "unique-id",
                        f"the id {offering.id!r} is already used in {seen[offering.id]}; "
                        "offering ids must be unique over all files",
                        offering.line,
                    )
                )
            seen.setdefault(offering.id, offering.file)
    suppliers_seen: dict[str, str] = {}
    for supplier in suppliers:
        if supplier.id in suppliers_seen:
            problems.append(
                Problem(
                    supplier.file,
                    f"supplier {supplier.id}",
                    "id",
                    "unique-id",
                    f"the id {supplier.id!r} is already used in {suppliers_seen[supplier.id]}; "
                    "supplier ids must be unique over all files",
                    supplier.line,
                )
            )
        suppliers_seen.setdefault(supplier.id, supplier.file)
