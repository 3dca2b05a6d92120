"""An incremental harvest across two real builds: what changed and what was removed between
them is exactly what ``?modified_since=`` returns, with the removal as a withdrawn record
pointing at its successor (the ledger of publisher.build, not a hand-made one)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from rdflib import Graph, URIRef
from rdflib.namespace import FOAF, RDF

from publisher.app import create_app
from publisher.build import build
from publisher.config import Settings
from publisher.namespaces import ADMS, DCAT, DCT

# Builds publications or runs the command line in subprocesses.
pytestmark = pytest.mark.slow

BASE = "http://localhost:8080/"
OFFERING = BASE + "id/offering/"
FIRST = datetime(2026, 12, 1, tzinfo=UTC)  # after the vocabularies' own dct:modified
SECOND = datetime(2027, 1, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    import shutil

    from publisher.config import PROJECT_ROOT

    root = tmp_path_factory.mktemp("incremental")
    data = root / "data"
    shutil.copytree(PROJECT_ROOT / "data", data)
    settings = Settings(base_uri=BASE, data_dir=data, out_dir=root / "out")
    build(settings, progress=lambda _m: None, now=FIRST)

    # Between the builds: one offering is retired in favour of another, one is edited.
    path = data / "suppliers" / "city-of-helsinki.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["offerings"] = [o for o in doc["offerings"] if o["id"] != "smbackend"]
    edited = next(o for o in doc["offerings"] if o["id"] == "kerrokantasi")
    edited["description"]["en"] += " (Description revised.)"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    retired = {
        "retired": [
            {
                "id": "smbackend",
                "kind": "offering",
                "removed": SECOND.date(),
                "replaced_by": "servicemap",
            }
        ],
        "renamed": {},
    }
    (data / "retired.yaml").write_text(yaml.safe_dump(retired), encoding="utf-8")
    build(settings, progress=lambda _m: None, now=SECOND)
    return settings


def _get(settings: Settings, url: str) -> Graph:
    response = create_app(settings).test_client().get(url)
    assert response.status_code == 200, response.data[:300]
    return Graph().parse(data=response.data, format="turtle")


def test_modified_since_gives_the_changes_between_builds(two_builds: Settings) -> None:
    graph = _get(two_builds, "/catalog/adms?modified_since=2026-12-15&page_size=100")
    topics = {str(t) for t in graph.objects(None, FOAF.primaryTopic)}
    assert topics == {OFFERING + "smbackend", OFFERING + "kerrokantasi"}
    assert {str(s) for s in graph.subjects(RDF.type, DCAT.Dataset)} == {OFFERING + "kerrokantasi"}
    record = next(graph.subjects(FOAF.primaryTopic, URIRef(OFFERING + "smbackend")))
    assert graph.value(record, ADMS.status) == URIRef("http://purl.org/adms/status/Withdrawn")
    assert graph.value(URIRef(OFFERING + "smbackend"), DCT.isReplacedBy) == URIRef(
        OFFERING + "servicemap"
    )


def test_full_harvest_lists_live_offerings_and_the_removal(two_builds: Settings) -> None:
    graph = _get(two_builds, "/catalog/adms?page_size=100")
    live = {str(s) for s in graph.subjects(RDF.type, DCAT.Dataset)}
    assert OFFERING + "smbackend" not in live and OFFERING + "servicemap" in live
    withdrawn = {
        str(graph.value(r, FOAF.primaryTopic))
        for r in graph.subjects(ADMS.status, URIRef("http://purl.org/adms/status/Withdrawn"))
    }
    assert withdrawn == {OFFERING + "smbackend"}


def test_register_dataset_is_modified_vocabularies_are_not(two_builds: Settings) -> None:
    graph = _get(two_builds, "/catalog?modified_since=2026-12-15&page_size=100")
    datasets = {str(s) for s in graph.subjects(RDF.type, DCAT.Dataset)}
    # the register and its change feed (/feed), which changes whenever the register does
    assert datasets == {BASE + "catalog#offerings", BASE + "feed#stream"}


def test_nothing_changed_after_the_second_build(two_builds: Settings) -> None:
    graph = _get(two_builds, "/catalog/adms?modified_since=2027-01-02")
    assert not set(graph.objects(None, FOAF.primaryTopic))
    assert Path(two_builds.out_dir).exists()
