"""/ontology/{version} keeps meaning that version after a newer vocabulary is published."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDFS

from publisher.app import create_app
from publisher.build import build
from publisher.config import PROJECT_ROOT
from tests.conftest import BASE, make_settings, quiet

# Builds publications or runs the command line in subprocesses.
pytestmark = pytest.mark.slow

ONTOLOGY = URIRef(BASE + "ontology")


def test_earlier_vocabulary_versions_stay_published(tmp_path: Path) -> None:
    ontology = tmp_path / "ontology"
    shutil.copytree(PROJECT_ROOT / "ontology", ontology)
    settings = make_settings(tmp_path / "out").replace(ontology_dir=ontology)
    build(settings, progress=quiet)

    main = ontology / "avoinkunta.ttl"
    text = main.read_text(encoding="utf-8")
    assert 'owl:versionInfo "0.1.0"' in text
    text = text.replace('owl:versionInfo "0.1.0"', 'owl:versionInfo "0.2.0"')
    text = text.replace("owl:versionIRI <ontology/0.1.0>", "owl:versionIRI <ontology/0.2.0>")
    text = text.replace(
        'rdfs:label "Avoin kunta -sanasto"@fi', 'rdfs:label "Avoin kunta -sanasto 2"@fi'
    )
    main.write_text(text, encoding="utf-8")
    publication = build(settings, progress=quiet)
    assert publication.vocabulary_version("0.1.0") is not None
    assert publication.vocabulary_version("0.2.0") is not None

    client = create_app(settings).test_client()
    old = client.get("/ontology/0.1.0.ttl")
    new = client.get("/ontology/0.2.0.ttl")
    assert old.status_code == new.status_code == 200
    old_graph = Graph().parse(data=old.data, format="turtle")
    new_graph = Graph().parse(data=new.data, format="turtle")
    assert (ONTOLOGY, OWL.versionInfo, Literal("0.1.0")) in old_graph
    assert (ONTOLOGY, RDFS.label, Literal("Avoin kunta -sanasto", lang="fi")) in old_graph
    assert (ONTOLOGY, OWL.versionInfo, Literal("0.2.0")) in new_graph
    assert client.get("/ontology/0.1.0", headers={"Accept": "text/html"}).status_code == 200
    assert client.get("/ontology/9.9.9.ttl").status_code == 404
    assert client.get("/ontology/..%2Fledger.ttl").status_code == 404
