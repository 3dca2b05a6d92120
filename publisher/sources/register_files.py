"""The catalogue-wide source files: ``licences.yaml`` (the local licences) and
``retired.yaml`` (records removed or renamed on purpose)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from publisher.fields import table
from publisher.licences import LicenceRegister
from publisher.problems import Problem
from publisher.sources.checks import SLUG, Checker, line_of
from publisher.sources.fields import FieldContext, read_record
from publisher.sources.files import display_name, open_source_file
from publisher.sources.limits import SourceLimits
from publisher.sources.records import KnownIds, Retirement, Supplier
from publisher.sources.supplier_yaml import yaml_problems
from publisher.sources.yamlload import load_yaml_text

LICENCES_FILE = "licences.yaml"
RETIRED_FILE = "retired.yaml"


def _load(
    data_dir: Path, name: str, limits: SourceLimits, problems: list[Problem]
) -> tuple[str, Any] | None:
    """(display name, loaded document) of an optional catalogue file, or None."""
    path = data_dir / name
    if not (path.exists() or path.is_symlink()):
        return None
    source, refused = open_source_file(path, data_dir, limits)
    if source is None:
        if refused is not None:
            problems.append(refused)
        return None
    document = load_yaml_text(source.data, limits)
    problems.extend(yaml_problems(source.display, document.issues))
    return (source.display, document.value) if document.loaded else None


def _bare_context(limits: SourceLimits) -> FieldContext:
    return FieldContext(KnownIds(set(), set(), set(), set(), set()), None, limits)


def _items(top: Checker, document: Mapping[str, Any], key: str) -> list[Any]:
    items = document.get(key) or []
    if not isinstance(items, list):
        top.problem(key, "type", f"must be a list of {key} entries", line_of(document, key))
        return []
    return items


def read_licences(data_dir: Path, limits: SourceLimits, problems: list[Problem]) -> LicenceRegister:
    loaded = _load(data_dir, LICENCES_FILE, limits, problems)
    if loaded is None:
        return LicenceRegister([])
    display, value = loaded
    top = Checker(display, "-", problems)
    document = top.mapping(value or {}, "", ("licences",))
    context = _bare_context(limits)
    entries = []
    for index, item in enumerate(_items(top, document, "licences")):
        lid = item.get("id") if isinstance(item, dict) else None
        check = Checker(display, f"licence {lid or index + 1}", problems)
        values = read_record(check, item, table("licence"), "", context)
        if values is not None and values["id"]:
            entries.append(values)
    return LicenceRegister(entries)


def read_retired(
    data_dir: Path, suppliers: list[Supplier], limits: SourceLimits, problems: list[Problem]
) -> tuple[tuple[Retirement, ...], dict[str, str]]:
    loaded = _load(data_dir, RETIRED_FILE, limits, problems)
    if loaded is None:
        return (), {}
    display, value = loaded
    top = Checker(display, "-", problems)
    document = top.mapping(value or {}, "", ("retired", "renamed"))
    current = {("supplier", s.id) for s in suppliers} | {
        ("offering", o.id) for s in suppliers for o in s.offerings
    }
    context = _bare_context(limits)
    retired = []
    for index, item in enumerate(_items(top, document, "retired")):
        rid = item.get("id") if isinstance(item, dict) else None
        check = Checker(display, f"retired {rid or index + 1}", problems)
        values = read_record(check, item, table("retired"), "", context)
        if values is None:
            continue
        retirement = _retirement(check, item, values, current)
        if retirement is not None:
            retired.append(retirement)
    renamed = _renamed(display, document, {key for _, key in current}, problems)
    return tuple(retired), renamed


def _retirement(
    check: Checker,
    data: Mapping[str, Any],
    values: dict[str, Any],
    current: set[tuple[str, str]],
) -> Retirement | None:
    key, kind, removed, successor = (
        values["id"],
        values["kind"],
        values["removed"],
        values["replaced_by"],
    )
    if key and kind and (kind, key) in current:
        check.problem(
            "id",
            "retired-still-present",
            f"{kind} {key!r} is retired but still present in the data; remove it "
            "from its supplier file or from retired.yaml",
            line_of(data, "id"),
        )
    if successor and kind and (kind, successor) not in current:
        check.problem(
            "replaced_by",
            "unknown-reference",
            f"the successor {kind} {successor!r} does not exist",
            line_of(data, "replaced_by"),
        )
    if key and kind and removed:
        return Retirement(key, kind, removed, successor, values["reason"])
    return None


def _renamed(
    display: str, document: Mapping[str, Any], ids: set[str], problems: list[Problem]
) -> dict[str, str]:
    raw = document.get("renamed") or {}
    check = Checker(display, "renamed", problems)
    if not isinstance(raw, dict):
        check.problem(
            "renamed", "type", "must be a mapping old-id: new-id", line_of(document, "renamed")
        )
        return {}
    renamed = {}
    for old, new in raw.items():
        where, line = f"renamed.{old}", line_of(raw, old)
        if not (isinstance(old, str) and isinstance(new, str) and SLUG.match(old)):
            check.problem(where, "id-format", "old and new ids must be valid ids", line)
        elif not SLUG.match(new):
            check.problem(where, "id-format", "old and new ids must be valid ids", line)
        elif new not in ids:
            check.problem(where, "unknown-reference", f"the new id {new!r} does not exist", line)
        elif old in ids:
            check.problem(
                where, "renamed-still-present", f"the old id {old!r} is still in use", line
            )
        else:
            renamed[old] = new
    return renamed


__all__ = ["LICENCES_FILE", "RETIRED_FILE", "display_name", "read_licences", "read_retired"]
