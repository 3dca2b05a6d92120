"""The ``yaml`` reader: ``data/suppliers/<supplier-id>.yaml``, one supplier and its offerings
(format: ``data/README.md``)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import PurePath
from typing import Any

from publisher.fields import table
from publisher.problems import Problem
from publisher.sources.checks import Checker, line_of
from publisher.sources.fields import read_fields, read_record
from publisher.sources.files import SourceFile
from publisher.sources.records import Offering, Supplier
from publisher.sources.registry import ReadContext, ReadResult
from publisher.sources.yamlload import YamlIssue, load_yaml_text


class SupplierYamlReader:
    name: str = "yaml"
    patterns: tuple[str, ...] = ("suppliers/*.yaml", "suppliers/*.yml")

    def read(self, source: SourceFile, context: ReadContext) -> ReadResult:
        problems: list[Problem] = []
        stem = PurePath(source.path).stem
        document = load_yaml_text(source.data, context.limits)
        problems.extend(
            yaml_problems(source.display, document.issues, _locator(document.value, stem))
        )
        if not document.loaded:
            return ReadResult(problems=tuple(problems))
        supplier = _read_file(source, stem, document.value, context, problems)
        return ReadResult(suppliers=(supplier,) if supplier else (), problems=tuple(problems))


def _read_file(
    source: SourceFile, stem: str, document: Any, context: ReadContext, problems: list[Problem]
) -> Supplier | None:
    top = Checker(source.display, "-", problems)
    document = top.mapping(document, "", ("supplier", "offerings"))
    raw = document.get("supplier")
    if raw is None:
        top.problem("supplier", "required", "the file must start with a 'supplier:' section")
        return None
    check = Checker(source.display, _supplier_label(raw, stem), problems)
    fields = table("supplier")
    data = check.mapping(raw, "", fields.source_names, line_of(document, "supplier"))
    if not data:
        return None
    values = read_fields(check, data, fields, "", context)
    supplier_id = values["id"]
    if supplier_id and supplier_id != stem:
        check.problem(
            "id",
            "file-name",
            f"the supplier id {supplier_id!r} must equal the file name ({stem!r})",
            line_of(data, "id"),
        )
    values["id"] = supplier_id or stem
    offerings = _read_offerings(source, document, values["id"], context, problems)
    return Supplier(
        values=values,
        file=source.display,
        line=getattr(data, "line", None),
        offerings=offerings,
    )


def _read_offerings(
    source: SourceFile,
    document: Mapping[str, Any],
    supplier_id: str,
    context: ReadContext,
    problems: list[Problem],
) -> tuple[Offering, ...]:
    items = document.get("offerings") or []
    if not isinstance(items, list):
        Checker(source.display, "-", problems).problem(
            "offerings", "type", "must be a list of offerings", line_of(document, "offerings")
        )
        return ()
    offerings = []
    fields = table("offering")
    for index, item in enumerate(items):
        check = Checker(source.display, _offering_label(item, index, supplier_id), problems)
        values = read_record(check, item, fields, "", context, given={"supplier": supplier_id})
        if values is None:
            continue
        values["id"] = values["id"] or f"#{index + 1}"
        offerings.append(
            Offering(values=values, file=source.display, line=getattr(item, "line", None))
        )
    return tuple(offerings)


def _supplier_label(raw: Any, stem: str) -> str:
    sid = raw.get("id") if isinstance(raw, dict) else None
    return f"supplier {sid or stem}"


def _offering_label(item: Any, index: int, supplier_id: str) -> str:
    oid = item.get("id") if isinstance(item, dict) else None
    return f"offering {oid or f'#{index + 1} of supplier ' + supplier_id}"


def yaml_problems(display: str, issues: list[YamlIssue], locate: Any = None) -> list[Problem]:
    """Problems of the YAML loader, named by record and field where ``locate`` knows them
    (``locate(path) -> (record, field)``)."""
    found = []
    for issue in issues:
        record, field = locate(issue.path) if locate else ("-", _dotted(issue.path))
        found.append(Problem(display, record, field, issue.rule, issue.message, issue.line))
    return found


def _locator(document: Any, stem: str) -> Any:
    """``path → (record, field)`` for a supplier file: the record label the checks use,
    and the field path they would give (parts counted from 1)."""

    def locate(path: tuple[str | int, ...]) -> tuple[str, str]:
        if not path:
            return "-", "-"
        if path[0] == "supplier" and isinstance(document, dict):
            return _supplier_label(document.get("supplier"), stem), _dotted(path[1:])
        if path[0] == "offerings" and len(path) > 1 and isinstance(path[1], int):
            items = document.get("offerings") if isinstance(document, dict) else None
            item = items[path[1]] if isinstance(items, list) and path[1] < len(items) else None
            supplier = document.get("supplier") if isinstance(document, dict) else None
            sid = supplier.get("id") if isinstance(supplier, dict) else None
            label = _offering_label(item, path[1], str(sid or stem))
            return label, _dotted(path[2:])
        return "-", _dotted(path)

    return locate


def _dotted(path: tuple[str | int, ...]) -> str:
    parts: list[str] = []
    for index, step in enumerate(path):
        if isinstance(step, int) and index > 0 and path[index - 1] == "parts":
            parts.append(str(step + 1))  # parts are counted from 1, as the checks do
        else:
            parts.append(str(step))
    return ".".join(parts) or "-"
