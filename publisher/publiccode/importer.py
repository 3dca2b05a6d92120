"""``avoinkunta import publiccode PATH…``: publiccode.yml files → offering records in data/.

For each file: check it against the standard (a file that breaks it is rejected, with the
key, rule and line of each error); convert it (``to_source``); find the offering and the
supplier if the catalogue already has them (same repository, same id or same name); write
the record into the supplier's file (a new file for a new supplier; an existing file keeps
every other byte); list what the Avoin kunta rules need and the file does not give (the
price, Finnish and English texts, …) as problems and as comments in the written file, so
that a person can finish it. Values with no field in our format are reported and kept as
comments, never dropped silently.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from publisher.problems import Problem
from publisher.publiccode.to_source import (
    Converted,
    Unmapped,
    convert,
    repository_page,
    slug,
)
from publisher.publiccode.validate import Checked, Finding, validate_text

PUBLICCODE_NAMES = ("publiccode.yml", "publiccode.yaml")
_FAST = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_FORGE_FILE = {
    "github.com": "{repo}/blob/HEAD/{name}",
    "gitlab.com": "{repo}/-/blob/HEAD/{name}",
    "codeberg.org": "{repo}/src/branch/HEAD/{name}",
}


@dataclass
class FileResult:
    path: Path
    display: str
    checked: Checked
    offering_id: str | None = None
    supplier_id: str | None = None
    written: Path | None = None
    created_supplier: bool = False
    updated: bool = False  # the offering was already in the catalogue
    unmapped: list[Unmapped] = field(default_factory=list)
    to_add: list[Problem] = field(default_factory=list)
    # carried fields where the catalogue's record differs from the file and was kept
    kept: list[tuple[str, Any]] = field(default_factory=list)
    changed: bool = True  # False: the catalogue already said all this

    @property
    def imported(self) -> bool:
        return self.written is not None

    def standard_problems(self) -> list[Problem]:
        return [_problem(self.display, self.record, f) for f in self.checked.findings]

    @property
    def record(self) -> str:
        return f"offering {self.offering_id}" if self.offering_id else "-"


def _problem(display: str, record: str, finding: Finding) -> Problem:
    severity = "" if finding.severity == "error" else "warning: "
    return Problem(
        display,
        record,
        finding.key or "-",
        f"publiccode-{finding.rule}",
        f"{severity}{finding.message}",
        finding.line,
    )


def find_files(paths: list[Path]) -> list[Path]:
    """The publiccode.yml files named, or found in the folders named (recursively; every
    *.yml/*.yaml file of a folder that holds no file called publiccode.yml)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            named = sorted(p for n in PUBLICCODE_NAMES for p in path.rglob(n))
            found.extend(named or sorted(p for p in path.rglob("*.y*ml") if p.is_file()))
        else:
            found.append(path)
    return list(dict.fromkeys(found))


def source_url(path: Path, checked: Checked, explicit: str | None) -> str | None:
    """Where the file can be read on the web: given, listed in a SOURCES.tsv beside its
    folder (file, repo, path, commit: the layout of a harvested corpus), or derived from
    its ``url`` on a well-known forge."""
    if explicit:
        return explicit
    for manifest in (path.parent / "SOURCES.tsv", path.parent.parent / "SOURCES.tsv"):
        if manifest.is_file():
            with manifest.open(encoding="utf-8", newline="") as handle:
                for row in csv.DictReader(handle, delimiter="\t"):
                    if row.get("file") == path.name and row.get("repo") and row.get("commit"):
                        return (
                            f"https://github.com/{row['repo']}/blob/{row['commit']}/"
                            f"{row.get('path') or 'publiccode.yml'}"
                        )
    document = checked.document
    url = document.get("url") if document is not None else None
    if url is None or not url.is_scalar:
        return None
    repo = repository_page(url.text)
    host = re.sub(r"^https?://([^/]+)/.*$", r"\1", repo)
    name = path.name if path.name in PUBLICCODE_NAMES else "publiccode.yml"
    template = _FORGE_FILE.get(host)
    return template.format(repo=repo, name=name) if template else None


# ------------------------------------------------------------------------ the catalogue


@dataclass
class _Existing:
    """What data/ holds already, read as plain YAML (no checks: the files may be half
    finished imports)."""

    suppliers: dict[str, dict[str, Any]]  # id → supplier section
    files: dict[str, Path]  # supplier id → its file
    offerings: dict[str, tuple[str, dict[str, Any]]]  # offering id → (supplier id, record)

    @classmethod
    def read(cls, data_dir: Path) -> _Existing:
        suppliers, files, offerings = {}, {}, {}
        for path in sorted((data_dir / "suppliers").glob("*.y*ml")):
            try:
                document = yaml.load(path.read_text(encoding="utf-8"), Loader=_FAST) or {}
            except yaml.YAMLError:
                continue
            supplier = document.get("supplier") or {}
            sid = str(supplier.get("id") or path.stem)
            suppliers[sid], files[sid] = supplier, path
            for item in document.get("offerings") or []:
                if isinstance(item, dict) and item.get("id"):
                    offerings[str(item["id"])] = (sid, item)
        return cls(suppliers, files, offerings)

    def supplier_for(self, candidate: dict[str, Any]) -> str | None:
        names = {n.casefold() for n in candidate["name"].values()}
        pages = {
            _norm_url(u) for u in [candidate.get("homepage"), *candidate.get("same_as", [])] if u
        }
        for sid, supplier in self.suppliers.items():
            theirs = supplier.get("name") or {}
            their_names = (
                {str(n).casefold() for n in theirs.values()} if isinstance(theirs, dict) else set()
            )
            their_pages = {
                _norm_url(u)
                for u in [supplier.get("homepage"), *(supplier.get("same_as") or [])]
                if u
            }
            if sid == candidate["id"] or names & their_names or pages & their_pages:
                return sid
        return None

    def offering_for(self, offering: dict[str, Any]) -> tuple[str, str] | None:
        """(supplier id, offering id) of the offering with the same repository."""
        repository = _norm_url(offering.get("repository"))
        for oid, (sid, record) in self.offerings.items():
            if repository and _norm_url(record.get("repository")) == repository:
                return sid, oid
        return None


def _norm_url(url: Any) -> str:
    if not url:
        return ""
    text = str(url).strip().lower().rstrip("/")
    text = re.sub(r"^https?://(www\.)?", "", text)
    return text[: -len(".git")] if text.endswith(".git") else text


# ------------------------------------------------------------------------ importing


# The fields publiccode.yml carries: an import updates them and keeps the rest.
CARRIED = (
    "title",
    "description",
    "keywords",
    "licence",
    "repository",
    "homepage",
    "api_documentation",
    "standards",
    "status",
    "documentation",
    "version",
    "released",
    "logo",
)


def import_files(
    paths: list[Path],
    data_dir: Path,
    *,
    source: str | None = None,
    own_base: str | None = None,
    dry_run: bool = False,
    replace: bool = False,
    display_base: Path | None = None,
) -> list[FileResult]:
    """Import every file; return one result per file, in order.

    An offering the catalogue already has keeps its own values, and only gains the fields it
    lacks (the differences are reported); with ``replace`` the file's values win for every
    field publiccode.yml carries (``CARRIED``)."""
    results = []
    existing = _Existing.read(data_dir)  # kept current as records are written
    for path in find_files(paths):
        results.append(
            import_one(path, data_dir, existing, source, own_base, dry_run, replace, display_base)
        )
    return results


def import_one(
    path: Path,
    data_dir: Path,
    existing: _Existing,
    source: str | None = None,
    own_base: str | None = None,
    dry_run: bool = False,
    replace: bool = False,
    display_base: Path | None = None,
) -> FileResult:
    display = _display(path, display_base)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        finding = Finding(None, "", "error", "read", f"cannot read the file: {exc.strerror}")
        return FileResult(path, display, Checked(None, [finding]))
    checked = validate_text(raw)
    result = FileResult(path, display, checked)
    if not checked.valid:
        return result
    assert checked.document is not None
    url = source_url(path, checked, source)
    if url is None:
        result.checked.findings.append(
            Finding(
                None,
                "url",
                "error",
                "source",
                "cannot tell where this file is published; give its address with --source-url",
            )
        )
        return result
    converted = convert(checked.document, url)
    if own_base and url.startswith(own_base):
        _own_export(converted, url, own_base)
    _place(converted, existing, result)
    result.unmapped = converted.unmapped
    result.to_add = _to_add(converted, result, display)
    offering = _merged(converted, existing, result, replace)
    if not dry_run:
        result.written = _write(converted, offering, existing, result, data_dir)
    else:
        sid = result.supplier_id or converted.supplier["id"]
        result.written = existing.files.setdefault(sid, data_dir / "suppliers" / f"{sid}.yaml")
        existing.suppliers.setdefault(sid, converted.supplier)
        existing.offerings[offering["id"]] = (sid, offering)
    return result


def _own_export(converted: Converted, url: str, own_base: str) -> None:
    """A file exported by this publication (``{base}doc/offering/{key}/publiccode.yml``):
    it names its offering by its address and its supplier by our IRI, and it is not a new
    source of facts."""
    converted.offering["sources"] = []
    match = re.match(re.escape(own_base) + r"doc/offering/([a-z0-9-]+)/publiccode\.yml$", url)
    if match:
        converted.offering["id"] = match.group(1)
    for same in converted.supplier.get("same_as", []):
        if same.startswith(f"{own_base}id/supplier/"):
            converted.supplier["id"] = same.rsplit("/", 1)[1]
            converted.supplier["same_as"].remove(same)
            if not converted.supplier["same_as"]:
                del converted.supplier["same_as"]


def _display(path: Path, base: Path | None) -> str:
    if base is not None:
        try:
            return str(path.resolve().relative_to(base.resolve()))
        except ValueError:
            pass
    return str(path)


def _place(converted: Converted, existing: _Existing, result: FileResult) -> None:
    """Decide the supplier and the offering id: the catalogue's own where they exist."""
    offering = converted.offering
    same = existing.offering_for(offering)
    if same is not None:
        result.supplier_id, offering["id"] = same
        result.updated = True
    else:
        sid = existing.supplier_for(converted.supplier) or converted.supplier["id"]
        result.supplier_id = sid
        taken = existing.offerings.get(offering["id"])
        if taken is not None and taken[0] != sid:
            offering["id"] = f"{offering['id']}-{sid}"[:80]
            if offering["id"] in existing.offerings:
                offering["id"] = f"{offering['id']}-{slug(offering['repository'])}"[:90]
        result.updated = offering["id"] in existing.offerings
    result.offering_id = offering["id"]
    result.created_supplier = result.supplier_id not in existing.suppliers
    converted.supplier["id"] = result.supplier_id


def _merged(
    converted: Converted, existing: _Existing, result: FileResult, replace: bool
) -> dict[str, Any]:
    new = converted.offering
    if not result.updated:
        return new
    _sid, old = existing.offerings[new["id"]]
    merged = dict(old)
    for key in CARRIED:
        theirs, ours = new.get(key), old.get(key)
        if theirs is None or theirs == ours:
            continue
        if isinstance(ours, dict) and isinstance(theirs, dict):
            combined = dict(ours)
            for lang, value in theirs.items():
                if replace or lang not in ours:
                    combined[lang] = value
            merged[key] = combined
            differing = {k: v for k, v in theirs.items() if k in ours and ours[k] != v}
            if differing and not replace:
                result.kept.append((key, differing))
        elif ours in (None, "", []) or replace:
            merged[key] = theirs
        else:
            result.kept.append((key, theirs))
    for key in ("components", "domains"):
        if not old.get(key) and new.get(key):
            merged[key] = new[key]
    sources = list(old.get("sources") or [])
    sources.extend(s for s in new["sources"] if s not in sources)
    merged["sources"] = sources
    merged.setdefault("provenance", new["provenance"])
    result.changed = merged != old
    return merged


_TO_ADD_OFFERING = {
    "components": "at least one architecture component (the file's categories gave none that "
    "have the same meaning)",
    "pricing": "visible pricing: an amount with its currency, or a price list (publiccode.yml "
    "has no price)",
}


def _to_add(converted: Converted, result: FileResult, display: str) -> list[Problem]:
    """What the Avoin kunta rules need and the file does not give."""
    if result.updated:
        return []
    record = f"offering {result.offering_id}"
    problems = []
    offering = converted.offering
    for key, what in _TO_ADD_OFFERING.items():
        if not offering.get(key):
            problems.append(Problem(display, record, key, "to-add", f"add {what}"))
    for lang, name in (("fi", "Finnish"), ("en", "English")):
        if lang not in offering["description"]:
            given = ", ".join(sorted(converted.other_languages)) or "none"
            problems.append(
                Problem(
                    display,
                    record,
                    f"description.{lang}",
                    "to-add",
                    f"add the {name} description (the file describes the software in: {given})",
                )
            )
    if result.created_supplier:
        problems.append(
            Problem(
                display,
                f"supplier {result.supplier_id}",
                "kind",
                "to-add",
                "say what kind of organisation the supplier is (company, non-profit, "
                "local-authority, …): publiccode.yml does not say",
            )
        )
    return problems


# ------------------------------------------------------------------------ writing YAML


class _Flow(dict[str, Any]):
    """A mapping written on one line: {fi: …, en: …}."""


class _FlowList(list[Any]):
    """A list written on one line: [a, b]."""


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(
    _Flow, lambda d, data: d.represent_mapping("tag:yaml.org,2002:map", data, flow_style=True)
)
_Dumper.add_representer(
    _FlowList, lambda d, data: d.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)
)


def _styled(value: Any, depth: int = 0) -> Any:
    """The layout of our hand-written files: short texts by language and short lists of
    words on one line, everything else in blocks."""
    if isinstance(value, dict):
        inner = {k: _styled(v, depth + 1) for k, v in value.items()}
        short = all(isinstance(v, str | _FlowList) and len(str(v)) < 40 for v in inner.values())
        return _Flow(inner) if depth and short and len(str(value)) < 70 else inner
    if isinstance(value, list):
        items = [_styled(v, depth + 1) for v in value]
        words = all(isinstance(v, str) and len(v) < 30 and ": " not in v for v in items)
        return _FlowList(items) if depth > 1 and words and len(str(items)) < 70 else items
    return value


def dump_yaml(value: Any) -> str:
    return yaml.dump(
        _styled(value), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=96, indent=2
    )


def offering_block(offering: dict[str, Any], comments: list[str]) -> str:
    """One offering as an item of the ``offerings:`` list, comments after its id."""
    text = dump_yaml([offering])
    lines = text.splitlines()
    commented = [lines[0], *(f"  # {c}" if c else "  #" for c in comments), *lines[1:]]
    return "\n".join(commented) + "\n"


def _comments(converted: Converted, result: FileResult) -> list[str]:
    origin = converted.offering["sources"][0] if converted.offering["sources"] else result.display
    lines = [f"Imported from publiccode.yml: {origin}"]
    if result.to_add:
        lines.append("TO ADD (the Avoin kunta rules need it; publiccode.yml does not give it):")
        lines.extend(f"  {p.field}: {p.message}" for p in result.to_add)
    for key, value in result.kept:
        lines.append(f"Kept the catalogue's {key}; the file says: {_short(value)}")
    if converted.unmapped:
        lines.append("Not mapped (no field in our source format), from the file:")
        for item in converted.unmapped:
            lines.append(f"  {item.key}: {_short(item.value)} ({item.reason})")
    for tag, text in converted.other_languages.items():
        lines.append(f"description in {tag} (to translate into fi and en):")
        lines.extend(f"  {line}" for line in _wrap(text, 90))
    return lines


def _short(value: Any) -> str:
    text = (
        value
        if isinstance(value, str)
        else yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10**6).strip()
    )
    text = " ".join(str(text).split())
    return text if len(text) <= 160 else text[:157] + "…"


def _wrap(text: str, width: int) -> list[str]:
    import textwrap

    return textwrap.wrap(text, width) or [""]


_HEADER = (
    "# Avoin kunta catalogue source: one supplier and its offerings.\n"
    "# Format: data/README.md. Check with `avoinkunta validate` after every edit.\n"
)


def _write(
    converted: Converted,
    offering: dict[str, Any],
    existing: _Existing,
    result: FileResult,
    data_dir: Path,
) -> Path:
    sid = result.supplier_id or converted.supplier["id"]
    if not result.changed and sid in existing.files:
        return existing.files[sid]  # nothing new: the file keeps every byte
    block = offering_block(offering, _comments(converted, result))
    path = existing.files.get(sid)
    if path is None:
        path = data_dir / "suppliers" / f"{sid}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        supplier = dump_yaml({"supplier": converted.supplier})
        text = f"{_HEADER}{supplier}offerings:\n\n{block}"
        _atomic_write(path, text)
        existing.files[sid] = path
        existing.suppliers[sid] = converted.supplier
    else:
        text = path.read_text(encoding="utf-8")
        _atomic_write(path, _with_offering(text, offering["id"], block))
    existing.offerings[offering["id"]] = (sid, offering)
    return path


def _with_offering(text: str, offering_id: str, block: str) -> str:
    """The file's text with the offering's block replaced, or appended to ``offerings:``."""
    lines = text.splitlines(keepends=True)
    starts = [
        i for i, line in enumerate(lines) if re.match(r"^- id:\s*['\"]?[a-z0-9-]+['\"]?\s*$", line)
    ]
    for number, start in enumerate(starts):
        if re.match(rf"^- id:\s*['\"]?{re.escape(offering_id)}['\"]?\s*$", lines[start]):
            end = starts[number + 1] if number + 1 < len(starts) else len(lines)
            while end > start + 1 and not lines[end - 1].strip():
                end -= 1
            return "".join(lines[:start]) + block + "".join(lines[end:])
    if not re.search(r"^offerings:", text, re.M):
        text = text.rstrip("\n") + "\nofferings:\n"
    text = re.sub(r"^offerings:\s*\[\]\s*$", "offerings:", text, flags=re.M)
    return text.rstrip("\n") + "\n\n" + block


def _atomic_write(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)
