"""The old private entry points of publisher/sources.py, which the build branch calls.

Kept only until the build's next merge (LOG.md, 2026-12-01); use ``read_licences``,
``read_source``, ``assemble`` and ``read_retired`` instead. Remove then.
"""

from __future__ import annotations

from pathlib import Path

from publisher.licences import LicenceRegister
from publisher.problems import Problem
from publisher.sources.catalogue import _check_unique as _unique
from publisher.sources.catalogue import read_source
from publisher.sources.fields import FieldContext
from publisher.sources.files import open_source_file
from publisher.sources.limits import SourceLimits
from publisher.sources.records import KnownIds, Retirement, Supplier
from publisher.sources.register_files import read_licences, read_retired
from publisher.sources.registry import reader


def _read_licences(data_dir: Path, problems: list[Problem]) -> LicenceRegister:
    return read_licences(Path(data_dir), SourceLimits(), problems)


def _read_supplier(
    path: Path, display: str, known: KnownIds, register: LicenceRegister, problems: list[Problem]
) -> Supplier | None:
    data_dir = Path(display).parent.parent
    source, refused = open_source_file(Path(path), data_dir, SourceLimits())
    if source is None:
        problems.extend([refused] if refused else [])
        return None
    result = read_source(reader("yaml"), source, FieldContext(known, register, SourceLimits()))
    problems.extend(result.problems)
    return result.suppliers[0] if result.suppliers else None


def _check_unique(suppliers: list[Supplier], problems: list[Problem]) -> None:
    _unique(suppliers, problems)


def _read_retired(
    data_dir: Path, suppliers: list[Supplier], problems: list[Problem]
) -> tuple[tuple[Retirement, ...], dict[str, str]]:
    return read_retired(Path(data_dir), suppliers, SourceLimits(), problems)
