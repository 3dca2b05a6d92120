"""The build's calls into the source reader (``publisher.sources``), file by file.

The build reads, maps and validates each supplier file on its own (and caches the result),
then runs the checks that span files once: unique offering ids, ``retired.yaml``. This
module is the one place that knows how the source reader is called; the reader itself
(its records, fields, checks and messages) belongs to ``publisher.sources``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from publisher import sources
from publisher.licences import LicenceRegister
from publisher.problems import Problem
from publisher.sources import KnownIds, Retirement, Supplier

SUPPLIERS_DIR = "suppliers"
LICENCES_FILE = "licences.yaml"
RETIRED_FILE = "retired.yaml"


def supplier_files(data_dir: Path) -> list[Path]:
    """The supplier files, in the order the catalogue reads them."""
    folder = Path(data_dir) / SUPPLIERS_DIR
    return sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml"))


def display_name(path: Path, data_dir: Path) -> str:
    """The file's name as problems show it (relative to how the data folder was given)."""
    return str(Path(data_dir) / path.relative_to(data_dir))


def missing_folder_problems(data_dir: Path) -> list[Problem]:
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        return [Problem(str(data_dir), "-", "-", "missing", "no such folder")]
    if not supplier_files(data_dir):
        folder = data_dir / SUPPLIERS_DIR
        return [Problem(str(folder), "-", "-", "missing", "no supplier files (*.yaml) found")]
    return []


def read_licences(data_dir: Path) -> tuple[LicenceRegister, list[Problem]]:
    problems: list[Problem] = []
    register = sources._read_licences(Path(data_dir), problems)
    return register, problems


def read_supplier_file(
    path: Path, display: str, known: KnownIds, register: LicenceRegister
) -> tuple[Supplier | None, list[Problem]]:
    problems: list[Problem] = []
    supplier = sources._read_supplier(path, display, known, register, problems)
    return supplier, problems


def cross_file_checks(
    data_dir: Path, suppliers: Sequence[Supplier]
) -> tuple[tuple[Retirement, ...], dict[str, str], list[Problem]]:
    """Checks over all files: offering ids unique, ``retired.yaml`` consistent."""
    problems: list[Problem] = []
    sources._check_unique(list(suppliers), problems)
    retired, renamed = sources._read_retired(Path(data_dir), list(suppliers), problems)
    return retired, renamed, problems
