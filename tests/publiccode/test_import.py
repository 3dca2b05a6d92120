"""``avoinkunta import publiccode``: the corpus into a copy of data/, through the real
command, our real reader and our real rules."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from publisher.build import check_sources
from publisher.config import Settings
from publisher.problems import SourceErrors
from publisher.publiccode.importer import import_files
from publisher.publiccode.report import import_command
from tests.conftest import DATA_DIR
from tests.publiccode.helpers import CORPUS_FILES, SHARED_CORPUS
from tests.publiccode.test_corpus import CORPUS_ERRORS

pytestmark = pytest.mark.skipif(not CORPUS_FILES, reason="shared publiccode corpus not present")
FILES = SHARED_CORPUS / "files"
# What a file that passes the standard may still lack by our rules: the record is written
# with these left for a person to add.
TO_ADD_FIELDS = {"kind", "components", "description.fi", "description.en", "description", "pricing"}


def _settings(data: Path) -> Settings:
    return Settings(base_uri="http://localhost:8080/", data_dir=data, out_dir=data.parent / "out")


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_every_corpus_file_imports_or_is_rejected(data_copy: Path) -> None:
    before = _snapshot(data_copy)
    results = import_files([FILES], data_copy)
    assert len(results) == 39
    for result in results:
        assert result.imported == (not CORPUS_ERRORS[result.path.name]), result.display
        if not result.imported:
            assert result.written is None and result.checked.errors
    after = _snapshot(data_copy)
    written = {str(r.written.relative_to(data_copy)) for r in results if r.written}
    # Nothing else in data/ changed, and the catalogue's own files only grew.
    assert {k for k in after if after[k] != before.get(k)} == written
    for name in written & set(before):
        old = before[name].decode().splitlines()
        new = after[name].decode().splitlines()
        assert len(new) > len(old)
    assert sum(r.imported for r in results) == 21
    assert {r.offering_id for r in results if r.updated} == {"x-road", "decidim"}


def test_imported_records_read_back_with_only_what_is_left_to_add(data_copy: Path) -> None:
    results = import_files([FILES], data_copy)
    new_files = {str(r.written) for r in results if r.written and r.created_supplier}
    with pytest.raises(SourceErrors) as caught:
        check_sources(_settings(data_copy), progress=lambda _m: None)
    problems = caught.value.problems
    assert problems and {p.file for p in problems} <= new_files
    assert {p.field for p in problems} <= TO_ADD_FIELDS, {(p.field, p.rule) for p in problems}
    # each problem by our rules was announced by the importer as something to add
    announced = {
        (r.written and str(r.written), p.field.split(".")[0]) for r in results for p in r.to_add
    }
    for problem in problems:
        assert (problem.file, problem.field.split(".")[0]) in announced, problem


def test_written_files_keep_what_has_no_field_as_comments(data_copy: Path) -> None:
    [result] = import_files([FILES / "AI-Riksarkivet__htrflow.yml"], data_copy)
    text = result.written.read_text(encoding="utf-8")
    assert "#   usedBy: [Swedish National Archives]" in text
    assert "#   pricing: add visible pricing" in text
    document = yaml.safe_load(text)
    [offering] = document["offerings"]
    assert offering["repository"] == "https://github.com/AI-Riksarkivet/htrflow"
    assert offering["licence"] == "EUPL-1.2"
    assert offering["status"] == "under-development"
    assert offering["version"] == "0.2.4" and str(offering["released"]) == "2025-02-14"
    assert offering["sources"] == [
        "https://github.com/AI-Riksarkivet/htrflow/blob/0ad97ad2b5bf118710ad41e58b915f971a49fe21/publiccode.yml"
    ]
    assert offering["provenance"]["en"].startswith("Imported from the publiccode.yml file")
    assert "kind" not in document["supplier"]  # never guessed


def test_other_languages_are_kept_for_translation(data_copy: Path) -> None:
    [result] = import_files([FILES / "ARPALit__SIAPI.yml"], data_copy)
    text = result.written.read_text(encoding="utf-8")
    assert "# description in it (to translate into fi and en):" in text
    assert any(p.field == "description.en" and "it" in p.message for p in result.to_add)


def test_an_existing_offering_keeps_its_curated_values(data_copy: Path) -> None:
    niis = data_copy / "suppliers" / "niis.yaml"
    before = yaml.safe_load(niis.read_text(encoding="utf-8"))["offerings"][0]
    [result] = import_files([FILES / "nordic-institute__X-Road.yml"], data_copy)
    assert result.updated and result.supplier_id == "niis" and result.offering_id == "x-road"
    after = yaml.safe_load(niis.read_text(encoding="utf-8"))["offerings"][0]
    assert after["title"] == before["title"] == {"fi": "X-Road", "en": "X-Road"}
    assert after["description"] == before["description"]
    assert after["sources"][: len(before["sources"])] == before["sources"]
    assert after["sources"][-1].endswith("/publiccode.yml")
    assert {key for key, _ in result.kept} >= {"title", "description"}
    # importing the same file again changes nothing
    text = niis.read_bytes()
    [again] = import_files([FILES / "nordic-institute__X-Road.yml"], data_copy)
    assert not again.changed and niis.read_bytes() == text


def test_reimporting_the_corpus_is_idempotent(data_copy: Path) -> None:
    import_files([FILES], data_copy)
    once = _snapshot(data_copy)
    import_files([FILES], data_copy)
    assert _snapshot(data_copy) == once


def test_the_command_reports_and_exits_1_when_a_file_is_rejected(data_copy: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    code = import_command(
        [FILES / "oskariorg__oskari-frontend.yml", FILES / "CISOfy__lynis.yml"],
        _settings(data_copy),
        out=out,
        err=err,
        dry_run=True,
    )
    assert code == 1
    assert "rejected" in out.getvalue() and "1 of 2 file(s) imported" in out.getvalue()
    assert (
        "oskariorg__oskari-frontend.yml:19: -: organisation: must be a section of keys"
        in err.getvalue()
    )
    assert not (data_copy / "suppliers" / "cisofy.yaml").exists()  # dry run


def test_the_real_command_line(data_copy: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AVOINKUNTA_")}
    report = tmp_path / "report.md"
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "publisher.cli",
            "import",
            "publiccode",
            str(FILES / "CISOfy__lynis.yml"),
            "--data",
            str(data_copy),
            "--report",
            str(report),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert completed.returncode == 0, completed.stderr
    assert "imported" in completed.stdout and "cisofy" in completed.stdout
    assert "Traceback" not in completed.stderr
    assert "supplier cisofy: kind: is required" in completed.stderr  # our own rules, after
    assert "| CISOfy__lynis.yml | 0.4 | imported |" in report.read_text()


def test_nothing_crashes_on_broken_bytes(data_copy: Path, tmp_path: Path) -> None:
    cases = {
        "latin1.yml": "name: Caf\xe9\n".encode("latin-1"),
        "empty.yml": b"",
        "list.yml": b"- a\n- b\n",
        "two.yml": b"a: 1\n---\nb: 2\n",
        "tabs.yml": b"a:\n\tb: 1\n",
        "dup.yml": b'publiccodeYmlVersion: "0"\nname: a\nname: b\n',
        "deep.yml": b"a: " + b"[" * 200 + b"]" * 200 + b"\n",
    }
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
    results = import_files([tmp_path / name for name in cases], data_copy)
    for result in results:
        assert not result.imported
        assert result.checked.errors, result.display
    assert DATA_DIR.is_dir()
