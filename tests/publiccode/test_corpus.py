"""The real corpus (39 publiccode.yml files from public repositories, shared/reference):
every file is accepted or rejected for a precise reason, and nothing crashes.

The expected keys below were checked by hand against each file and its notes in
SOURCES.tsv; the README's "invalid" column came from a simpler checker, so it differs on
three points, where we follow the standard: "0" and "0.7" are valid versions (the standard's
current examples write "0"; v0.7.0 is released), and an unquoted 0.4 is a number, which the
standard and the reference parser refuse as publiccodeYmlVersion.
"""

from __future__ import annotations

import pytest

from publisher.publiccode.validate import validate_text
from tests.publiccode.helpers import CORPUS_FILES, SHARED_CORPUS

pytestmark = pytest.mark.skipif(not CORPUS_FILES, reason="shared publiccode corpus not present")

CORPUS_ERRORS: dict[str, set[str]] = {
    "0n40i4__k0nsult-country-pl.yml": {
        "description.en.features",
        "description.en.longDescription",
        "description.en.shortDescription",
        "x-k0nsult",
    },
    "4Science__parer.yml": set(),
    "736-c41-2c1-e464fc974__opensource-guidelines.yml": set(),
    "ACN-IT__modulo_SBOM.yml": set(),
    "AI-Riksarkivet__htrflow.yml": set(),
    "ANORC__Allegato-6.yml": set(),
    "ARPA-SIMC__dballe.yml": set(),
    "ARPALit__SIAPI.yml": set(),
    "AgID__pat.yml": set(),
    "AgID__wai-portal.yml": set(),
    "Aitema-gmbh__hinweisgebersystem.yml": {"publiccodeYmlVersion"},
    "Amsterdam__design-system.yml": set(),
    "Amsterdam__signals-frontend.yml": set(),
    "Arpae-it__windrose.yml": set(),
    "BW-Projects__aTrain.yml": {"-"},
    "BureauArchitectuurDigitaleOverheid__bouwmeester.yml": set(),
    "CARD-AI__BLKT-VMS-Validavimas.yml": {
        "contacts",
        "legal.license",
        "maintenance.contacts",
        "url",
    },
    "CISOfy__lynis.yml": set(),
    "CS78-open__PsyMemo.yml": {
        "categories[0]",
        "categories[1]",
        "description.it",
        "localisation.availableLanguages",
        "localisation.localisationReady",
        "maintenance.type",
    },
    "Camilochiang__Agricultural_datasets.yml": set(),
    "CatalaLang__catala.yml": {
        "creationDate",
        "description.en.features",
        "description.en.longDescription",
        "description.fr.features",
        "description.fr.longDescription",
        "developmentStatus",
        "fundedBy[0].uri",
        "fundedBy[0].url",
        "localisation.availableLanguages",
        "localisation.localisationReady",
        "platforms",
    },
    "Catalogies__MyFirstComponent.yml": {
        "description",
        "developmentStatus",
        "legal.license",
        "localisation.availableLanguages",
        "localisation.localisationReady",
        "maintenance.type",
        "platforms",
        "softwareType",
    },
    "Cetriq__Classify.yml": {"publiccodeYmlVersion"},
    "ChiricoG__MyPay4-CSV-Generator.yml": {
        "categories[0]",
        "createdAt",
        "description.it.shortDescription",
    },
    "Chrisdo82__kolibri.yml": {
        "categories[1]",
        "categories[4]",
        "categories[5]",
        "categories[6]",
        "categories[7]",
        "dependsOn.legal",
        "description.de.features",
        "description.en.features",
        "features",
        "genericName",
        "intendedAudience.scope[0]",
        "intendedAudience.scope[1]",
        "maintenance.contacts[0].website",
        "maintenance.type",
    },
    "Cicatrice__journal-web-ui.yml": {"description.de.features"},
    "CodeForBaltimore__Bmore-Responsive.yml": {
        "categories[0]",
        "dependsOn.open[0].optional",
        "developmentStatus",
        "landingUrl",
        "localisation.localisationReady",
    },
    "CodeForBaltimore__lambda-restful-util.yml": {
        "categories[0]",
        "description.en.longDescription",
        "landingUrl",
        "localisation.localisationReady",
        "softwareType",
    },
    "CommonGateway__BRPBundle.yml": {"publiccodeYmlVersion"},
    "ConductionNL__OpenPdc.yml": {
        "description.en.apiDocumentation",
        "description.en.features",
        "description.en.longDescription",
        "description.en.shortDescription",
        "installations",
        "landingURL",
        "localisation.localisationReady",
        "logo",
        "maintenance.contractors",
        "releaseDate",
    },
    "decidim__decidim.yml": set(),
    "diggsweden__DCAT-AP-SE-Processor.yml": set(),
    "it-at-m__mucgpt.yml": set(),
    "maykinmedia__open-inwoner.yml": {"maintenance.contractors[0].until", "softwareType"},
    "metadata-swiss__I14Y.yml": set(),
    "nordic-institute__X-Road.yml": set(),
    "open-zaak__open-zaak.yml": {"maintenance.contractors[0].until"},
    "oskariorg__oskari-frontend.yml": {"organisation"},
    "swisstopo__swissgeol-boreholes-suite.yml": set(),
}


def test_the_table_covers_the_whole_corpus() -> None:
    assert {p.name for p in CORPUS_FILES} == set(CORPUS_ERRORS)
    assert len(CORPUS_FILES) == 39


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.name)
def test_each_file_is_accepted_or_rejected_on_precise_keys(path) -> None:
    checked = validate_text(path.read_bytes())
    assert {f.key or "-" for f in checked.errors} == CORPUS_ERRORS[path.name]
    assert checked.valid == (not CORPUS_ERRORS[path.name])
    for finding in checked.findings:
        assert finding.message and finding.rule
        # every error on a key names its line; only whole-file problems may lack one
        if finding.key and finding.severity == "error":
            assert finding.line, finding


def test_versions_read_as_the_standard_says() -> None:
    versions = {}
    for path in CORPUS_FILES:
        checked = validate_text(path.read_bytes())
        versions[path.name] = checked.version
    assert versions["AI-Riksarkivet__htrflow.yml"] == "0"
    assert versions["Amsterdam__design-system.yml"] == "0.7"
    assert versions["it-at-m__mucgpt.yml"] == "0.5.0"  # unquoted, but not a number
    assert versions["Aitema-gmbh__hinweisgebersystem.yml"] is None  # 0.4 unquoted: a number
    assert versions["CommonGateway__BRPBundle.yml"] is None  # 0.1 is not supported


def test_a_yaml_11_boolean_is_named_as_such() -> None:
    path = SHARED_CORPUS / "files" / "CodeForBaltimore__Bmore-Responsive.yml"
    [finding] = [
        f
        for f in validate_text(path.read_bytes()).errors
        if f.key == "localisation.localisationReady"
    ]
    assert "'yes' is a YAML 1.1 boolean" in finding.message
    assert finding.line == 58
