"""The reader interface: a second source format plugs in by name, gets the common field
checks, and its records join the catalogue (issue 9, item 4)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from publisher.config import Settings
from publisher.fields import table
from publisher.mapping import map_parts
from publisher.mapping.vocabulary import known_ids, load_vocabulary
from publisher.problems import Problem, SourceErrors
from publisher.sources import (
    Catalogue,
    Checker,
    Offering,
    ReadContext,
    ReaderFailed,
    ReadResult,
    SourceFile,
    read_catalogue,
    read_record,
    readers,
    registry,
)
from publisher.uris import UriScheme

MINIMAL = Path(__file__).parent / "fixtures" / "minimal"
URIS = UriScheme("http://localhost:8080/")


class JsonOfferings:
    """A toy format: ``offerings/*.json``, one offering each, naming its supplier."""

    name = "json-offerings"
    patterns: tuple[str, ...] = ("offerings/*.json",)

    def read(self, source: SourceFile, context: ReadContext) -> ReadResult:
        problems: list[Problem] = []
        try:
            document = json.loads(source.data)
        except ValueError as exc:
            problem = Problem(source.display, "-", "-", "json-syntax", f"not JSON: {exc}")
            return ReadResult(problems=(problem,))
        supplier = document.pop("supplier", "")
        check = Checker(source.display, f"offering {document.get('id')}", problems)
        values = read_record(
            check, document, table("offering"), "", context, given={"supplier": supplier}
        )
        offerings = (Offering(values=values, file=source.display),) if values else ()
        return ReadResult(offerings=offerings, problems=tuple(problems))


class Broken:
    name = "broken"
    patterns: tuple[str, ...] = ("offerings/*.json",)

    def read(self, source: SourceFile, context: ReadContext) -> ReadResult:
        raise KeyError("a bug")


@pytest.fixture
def registered(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry, "_READERS", dict(registry._READERS))


def _known():  # type: ignore[no-untyped-def]
    return known_ids(load_vocabulary(Settings().ontology_dir, URIS), URIS)


OFFERING = {
    "id": "json-kartta",
    "supplier": "esimerkki",
    "type": "service",
    "title": {"fi": "JSON-kartta", "en": "JSON map"},
    "description": {"fi": "Kuvaus.", "en": "A description."},
    "components": ["spatial-data"],
    "licence": "MIT",
    "pricing": {"amount": 10, "currency": "EUR"},
    "sources": ["https://example.org/json"],
    "provenance": {"fi": "Testi.", "en": "Test."},
}


def _data(tmp_path: Path, *documents: dict[str, object]) -> Path:
    data = tmp_path / "data"
    shutil.copytree(MINIMAL, data)
    (data / "offerings").mkdir()
    for index, document in enumerate(documents):
        (data / "offerings" / f"{index}.json").write_text(json.dumps(document), encoding="utf-8")
    return data


def test_a_second_reader_adds_offerings_to_a_supplier_of_another_file(
    tmp_path: Path, registered: None
) -> None:
    registry.register_reader(JsonOfferings())
    assert [r.name for r in readers()] == ["yaml", "json-offerings"]
    catalogue: Catalogue = read_catalogue(_data(tmp_path, OFFERING), _known())
    (supplier,) = catalogue.suppliers
    assert [o.id for o in supplier.offerings][-1] == "json-kartta"
    added = supplier.offerings[-1]
    assert added.file.endswith("offerings/0.json") and added.pricing.amount == 10
    text = "".join(part.ntriples for part in map_parts(catalogue, URIS))
    assert f"<{URIS.thing('offering', 'json-kartta')}> <http://purl.org/dc/terms/publisher>" in text


def test_a_second_reader_gets_the_same_field_checks(tmp_path: Path, registered: None) -> None:
    registry.register_reader(JsonOfferings())
    bad = {**OFFERING, "components": ["spatial-dta"], "colour": "red", "homepage": "nope"}
    with pytest.raises(SourceErrors) as caught:
        read_catalogue(_data(tmp_path, bad), _known())
    found = {(p.record, p.field, p.rule) for p in caught.value.problems}
    assert found >= {
        ("offering json-kartta", "components", "unknown-reference"),
        ("offering json-kartta", "colour", "unknown-field"),
        ("offering json-kartta", "homepage", "url"),
    }


def test_checks_across_files_cover_every_reader(tmp_path: Path, registered: None) -> None:
    registry.register_reader(JsonOfferings())
    twice = {**OFFERING, "id": "esimerkki-kartta"}
    orphan = {**OFFERING, "id": "orpo", "supplier": "esimerkk"}
    with pytest.raises(SourceErrors) as caught:
        read_catalogue(_data(tmp_path, twice, orphan), _known())
    problems = {(p.record, p.field, p.rule): p for p in caught.value.problems}
    assert ("offering esimerkki-kartta", "id", "unique-id") in problems
    unknown = problems[("offering orpo", "supplier", "unknown-reference")]
    assert "did you mean 'esimerkki'" in unknown.message


def test_a_reader_that_raises_is_named_with_its_file(tmp_path: Path, registered: None) -> None:
    registry.register_reader(Broken())
    with pytest.raises(ReaderFailed, match=r"the broken reader failed on .*offerings/0\.json"):
        read_catalogue(_data(tmp_path, OFFERING), _known())
