"""The release fields (version, released, logo, documentation) in and out of publiccode.yml."""

from __future__ import annotations

import pytest

from publisher.publiccode.export import OfferingFacts, to_codemeta, to_publiccode
from publisher.publiccode.to_source import convert
from publisher.publiccode.validate import validate_text
from tests.publiccode.helpers import CORPUS_FILES, SHARED_CORPUS


def _facts(**extra: object) -> OfferingFacts:
    values: dict = dict(
        iri="http://localhost:8080/id/offering/kartta",
        key="kartta",
        is_product=True,
        title={"fi": "Kartta", "en": "Kartta"},
        description={
            "fi": "Karttapalvelu kunnille. " * 4,
            "en": "A map service for municipalities. " * 4,
        },
        keywords={"fi": ["kartta"], "en": ["map"]},
        repository="https://github.com/example/kartta",
        homepage="https://kartta.example.org/",
        api_documentation=None,
        standards=[],
        licence="EUPL-1.2",
        status="Completed",
        supplier_iri="http://localhost:8080/id/supplier/esimerkki",
        supplier_name={"fi": "Esimerkki Oy", "en": "Esimerkki Oy"},
        supplier_homepage=None,
        supplier_email=None,
        components=["spatial-data"],
        component_labels={"spatial-data": {"fi": "Paikkatieto", "en": "Spatial data (GIS)"}},
        domains=[],
        modified=None,
    )
    values.update(extra)
    return OfferingFacts(**values)


def test_release_fields_go_out_and_come_back() -> None:
    facts = _facts(
        version="3.1.0",
        released="2025-06-30",
        logo="https://kartta.example.org/logo.svg",
        documentation="https://docs.example.org/kartta",
    )
    text = to_publiccode(facts)
    checked = validate_text(text)
    assert checked.findings == [], [str(f) for f in checked.findings]
    offering = convert(checked.document, "https://example.org/publiccode.yml").offering
    assert offering["version"] == "3.1.0"
    assert offering["released"] == "2025-06-30"
    assert offering["logo"] == "https://kartta.example.org/logo.svg"
    assert offering["documentation"] == "https://docs.example.org/kartta"
    codemeta = to_codemeta(facts)
    assert codemeta["version"] == "3.1.0" and codemeta["datePublished"] == "2025-06-30"


@pytest.mark.skipif(not CORPUS_FILES, reason="shared publiccode corpus not present")
def test_a_real_file_gives_its_release() -> None:
    path = SHARED_CORPUS / "files" / "AI-Riksarkivet__htrflow.yml"
    offering = convert(
        validate_text(path.read_bytes()).document, "https://x/publiccode.yml"
    ).offering
    assert offering["version"] == "0.2.4"
    assert offering["released"] == "2025-02-14"
    assert offering["logo"].startswith("https://github.com/AI-Riksarkivet/htrflow/raw/")
    assert offering["documentation"] == "https://ai-riksarkivet.github.io/htrflow/latest/"
