"""What ``avoinkunta import publiccode`` prints: one line per file, its problems, a summary
table, and the check of the resulting data/ folder by our own rules."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from publisher.config import Settings
from publisher.problems import SourceErrors
from publisher.publiccode.importer import FileResult, import_files

EXIT_OK, EXIT_REJECTED = 0, 1


def import_command(
    paths: Sequence[Path],
    settings: Settings,
    *,
    source_url: str | None = None,
    replace: bool = False,
    dry_run: bool = False,
    report: Path | None = None,
    out: TextIO = sys.stdout,
    err: TextIO = sys.stderr,
) -> int:
    files = [Path(p) for p in paths]
    missing = [p for p in files if not p.exists()]
    if missing:
        raise ValueError(f"no such file or folder: {', '.join(map(str, missing))}")
    results = import_files(
        files,
        Path(settings.data_dir),
        source=source_url,
        own_base=settings.base_uri,
        dry_run=dry_run,
        replace=replace,
        display_base=Path.cwd(),
    )
    for result in results:
        print(summary_line(result), file=out)
        for problem in result.standard_problems():
            print(f"  {problem}", file=err)
        for problem in result.to_add:
            print(f"  {problem}", file=err)
        if result.unmapped:
            keys = ", ".join(dict.fromkeys(u.key for u in result.unmapped))
            print(f"  not mapped (kept as comments in the written file): {keys}", file=err)
    imported = sum(r.imported for r in results)
    print(
        f"{imported} of {len(results)} file(s) imported, {len(results) - imported} rejected"
        + (" (dry run: nothing written)" if dry_run else ""),
        file=out,
    )
    if report is not None:
        report.write_text(markdown_table(results), encoding="utf-8")
    if imported and not dry_run:
        _check_data(settings, results, out, err)
    return EXIT_OK if imported == len(results) else EXIT_REJECTED


def summary_line(result: FileResult) -> str:
    version = result.checked.version or "?"
    if not result.imported:
        return (
            f"rejected {result.display} (publiccodeYmlVersion {version}): "
            f"{len(result.checked.errors)} error(s) against the standard"
        )
    action = "updated" if result.updated else "imported"
    if result.updated and not result.changed:
        action = "unchanged"
    target = f"offering {result.offering_id} of supplier {result.supplier_id}"
    extra = f"; {len(result.to_add)} thing(s) to add" if result.to_add else ""
    version_text = f"publiccodeYmlVersion {version}"
    return f"{action} {result.display} ({version_text}) → {target} in {result.written}{extra}"


def why(result: FileResult) -> str:
    """The reasons of a rejection in a few words: each rule and key once."""
    reasons = []
    for finding in result.checked.errors:
        key = finding.key or "file"
        if finding.rule == "yaml-syntax":
            reasons.append(f"YAML syntax error at line {finding.line}")
        elif finding.rule == "unknown-key":
            reasons.append(f"unknown key `{key}`")
        elif finding.rule in ("required", "required-if"):
            reasons.append(f"missing `{key}`")
        else:
            message = finding.message.split(" (see ")[0].split("; write")[0]
            message = message if len(message) <= 90 else message[:87] + "…"
            reasons.append(f"`{key}`: {message}")
    return "; ".join(dict.fromkeys(reasons))


def markdown_table(results: Sequence[FileResult]) -> str:
    lines = [
        "| file | publiccodeYmlVersion | outcome | why / what is left to do |",
        "|---|---|---|---|",
    ]
    for result in results:
        version = result.checked.version or _raw_version(result) or "—"
        if result.imported:
            outcome = "updated" if result.updated else "imported"
            todo = "; ".join(f"{p.field}" for p in result.to_add) or "—"
            note = f"→ `{result.supplier_id}/{result.offering_id}`; to add: {todo}"
        else:
            outcome = "rejected"
            note = why(result)
        note = note.replace("|", "\\|")
        lines.append(f"| {result.path.name} | {version} | {outcome} | {note} |")
    return "\n".join(lines) + "\n"


def _raw_version(result: FileResult) -> str | None:
    document = result.checked.document
    node = document.get("publiccodeYmlVersion") if document is not None else None
    return node.text if node is not None and node.is_scalar else None


def _check_data(
    settings: Settings, results: Sequence[FileResult], out: TextIO, err: TextIO
) -> None:
    """Our own rules over data/ as it now is: what is left to finish, per file."""
    from publisher.build import check_sources

    try:
        check_sources(settings, progress=lambda _m: None)
    except SourceErrors as exc:
        written = {str(r.written) for r in results if r.written}
        mine = [p for p in exc.problems if p.file in written or Path(p.file).as_posix() in written]
        print(
            f"{settings.data_dir}: {len(exc.problems)} problem(s) by our own rules, "
            f"{len(mine)} in the files written now; finish them, then run `avoinkunta validate`:",
            file=err,
        )
        for problem in mine:
            print(f"  {problem}", file=err)
        if exc.stage == "sources":
            print(
                "  The Avoin kunta rule checks (SHACL) run once these are fixed, and may find "
                "more.",
                file=err,
            )
        return
    print(f"{settings.data_dir}: valid by our own rules", file=out)
