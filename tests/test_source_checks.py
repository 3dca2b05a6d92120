"""Bad input is caught before RDF, and each problem names the file, record, field and rule.

One case per kind of bad input; each edits a private copy of the minimal fixture.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from publisher.build import check_sources
from publisher.config import Settings
from publisher.problems import SourceErrors

MINIMAL = Path(__file__).parent / "fixtures" / "minimal"
SUPPLIER = "suppliers/esimerkki.yaml"
KARTTA = "offering esimerkki-kartta"
PALVELU = "offering esimerkki-palvelu"
SUPPLIER_RECORD = "supplier esimerkki"

# (case, file, text to replace, replacement, expected record, field, rule)
CASES = [
    (
        "yaml syntax",
        SUPPLIER,
        "components: [spatial-data]",
        "components: [spatial-data",
        "-",
        "-",
        "yaml-syntax",
    ),
    (
        "unknown field",
        SUPPLIER,
        "    procurement: no-charge\n",
        "    procurement: no-charge\n    colour: red\n",
        KARTTA,
        "colour",
        "unknown-field",
    ),
    (
        "wrong type",
        SUPPLIER,
        "      amount: 0\n",
        "      amount: free\n",
        KARTTA,
        "pricing.amount",
        "type",
    ),
    (
        "dangling component",
        SUPPLIER,
        "components: [spatial-data]",
        "components: [spatial-dta]",
        KARTTA,
        "components",
        "unknown-reference",
    ),
    (
        "dangling domain",
        SUPPLIER,
        "domains: [land-use]",
        "domains: [landuse]",
        KARTTA,
        "domains",
        "unknown-reference",
    ),
    (
        "missing English title",
        SUPPLIER,
        "title: {fi: Esimerkkikartta, en: Example Map}",
        "title: {fi: Esimerkkikartta}",
        KARTTA,
        "title.en",
        "required-language",
    ),
    (
        "unknown language",
        SUPPLIER,
        "title: {fi: Esimerkkikartta, en: Example Map}",
        "title: {fi: Esimerkkikartta, en: Example Map, de: Beispielkarte}",
        KARTTA,
        "title.de",
        "language",
    ),
    (
        "bad url",
        SUPPLIER,
        "repository: https://example.org/git/kartta",
        "repository: git@x:y",
        KARTTA,
        "repository",
        "url",
    ),
    (
        "bad date",
        SUPPLIER,
        "    procurement: no-charge\n",
        "    procurement: no-charge\n    issued: 2014-13-45\n",
        KARTTA,
        "issued",
        "date",
    ),
    (
        "duplicate id",
        SUPPLIER,
        "- id: esimerkki-palvelu",
        "- id: esimerkki-kartta",
        KARTTA,
        "id",
        "unique-id",
    ),
    (
        "bad id",
        SUPPLIER,
        "- id: esimerkki-palvelu",
        "- id: Esimerkki_Palvelu",
        "offering Esimerkki_Palvelu",
        "id",
        "id-format",
    ),
    (
        "file name",
        SUPPLIER,
        "  id: esimerkki\n",
        "  id: esimerkki-oy\n",
        "supplier esimerkki-oy",
        "id",
        "file-name",
    ),
    (
        "unknown licence",
        SUPPLIER,
        "licence: EUPL-1.2",
        "licence: EUPL-9.9",
        KARTTA,
        "licence",
        "unknown-licence",
    ),
    ("bad choice", SUPPLIER, "type: product", "type: software", KARTTA, "type", "choice"),
    (
        "missing sources",
        SUPPLIER,
        "    sources: [https://example.org/kartta]\n",
        "",
        KARTTA,
        "sources",
        "required",
    ),
    (
        "business id format",
        SUPPLIER,
        "business_id: 2077474-0",
        "business_id: 20774740",
        SUPPLIER_RECORD,
        "business_id",
        "business-id-format",
    ),
    (
        "bad currency",
        SUPPLIER,
        "      currency: EUR\n",
        "      currency: euro\n",
        KARTTA,
        "pricing.currency",
        "currency",
    ),
    (
        "supplier without kind",
        SUPPLIER,
        "  kind: company\n",
        "",
        SUPPLIER_RECORD,
        "kind",
        "required",
    ),
    (
        "retired but present",
        "retired.yaml",
        "retired: []",
        "retired: [{id: esimerkki-kartta, kind: offering, removed: 2026-01-01}]",
        "retired esimerkki-kartta",
        "id",
        "retired-still-present",
    ),
    (
        "rename to nothing",
        "retired.yaml",
        "renamed: {}",
        "renamed: {old-map: no-such-thing}",
        "renamed",
        "renamed.old-map",
        "unknown-reference",
    ),
    (
        "licence register type",
        "licences.yaml",
        "open_source: false",
        "open_source: maybe",
        "licence proprietary-test",
        "open_source",
        "type",
    ),
]


def broken_copy(tmp_path: Path, file: str, old: str, new: str) -> Path:
    data = tmp_path / "data"
    shutil.copytree(MINIMAL, data)
    path = data / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"the fixture no longer contains {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return data


@pytest.mark.parametrize(
    ("file", "old", "new", "record", "field", "rule"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_bad_input_is_reported_precisely(
    tmp_path: Path, file: str, old: str, new: str, record: str, field: str, rule: str
) -> None:
    data = broken_copy(tmp_path, file, old, new)
    with pytest.raises(SourceErrors) as caught:
        check_sources(Settings(data_dir=data), progress=lambda _m: None)
    found = [(p.file, p.record, p.field, p.rule) for p in caught.value.problems]
    assert (str(data / file), record, field, rule) in found, found


def test_yaml_syntax_error_gives_the_line(tmp_path: Path) -> None:
    data = broken_copy(
        tmp_path, SUPPLIER, "components: [spatial-data]", "components: [spatial-data"
    )
    with pytest.raises(SourceErrors) as caught:
        check_sources(Settings(data_dir=data), progress=lambda _m: None)
    (problem,) = caught.value.problems
    assert problem.line is not None and problem.line > 10
    assert str(problem).startswith(f"{data / SUPPLIER}:{problem.line}: ")


def test_unknown_component_suggests_the_close_one(tmp_path: Path) -> None:
    data = broken_copy(tmp_path, SUPPLIER, "[spatial-data]", "[spatial-dta]")
    with pytest.raises(SourceErrors) as caught:
        check_sources(Settings(data_dir=data), progress=lambda _m: None)
    assert "did you mean 'spatial-data'" in caught.value.problems[0].message


def test_all_problems_are_reported_at_once(tmp_path: Path) -> None:
    data = broken_copy(tmp_path, SUPPLIER, "type: product", "type: software")
    text = (data / SUPPLIER).read_text().replace("licence: EUPL-1.2", "licence: Nope-1")
    (data / SUPPLIER).write_text(text)
    with pytest.raises(SourceErrors) as caught:
        check_sources(Settings(data_dir=data), progress=lambda _m: None)
    assert {p.rule for p in caught.value.problems} >= {"choice", "unknown-licence"}


def test_minimal_fixture_is_valid() -> None:
    catalogue, mapped = check_sources(Settings(data_dir=MINIMAL), progress=lambda _m: None)
    assert [o.id for o in catalogue.offerings] == ["esimerkki-kartta", "esimerkki-palvelu"]
    assert len(mapped.catalogue) > 100
