"""Offerings as publiccode.yml and CodeMeta: every bundled product exports a file valid
under the standard 0.7 (by our validator), and importing it gives back the same offering."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from flask.testing import FlaskClient
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from publisher.build import check_sources
from publisher.ledger import description_hash
from publisher.publiccode.importer import import_files
from publisher.publiccode.validate import validate_text
from tests.conftest import BASE, DATA_DIR, make_settings

CODEMETA_CONTEXT = Path(__file__).parents[1] / "fixtures" / "codemeta" / "codemeta-3.0.jsonld"


def _records() -> dict[str, dict]:
    found = {}
    for path in sorted((DATA_DIR / "suppliers").glob("*.yaml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")).get("offerings") or []:
            found[item["id"]] = item
    return found


RECORDS = _records()
PRODUCTS = sorted(k for k, v in RECORDS.items() if v["type"] == "product")
SERVICES = sorted(k for k, v in RECORDS.items() if v["type"] == "service")


def test_the_catalogue_has_products_and_services() -> None:
    assert len(PRODUCTS) >= 25 and SERVICES


@pytest.mark.parametrize("key", PRODUCTS)
def test_every_product_exports_a_valid_publiccode_yml(client: FlaskClient, key: str) -> None:
    response = client.get(f"/doc/offering/{key}/publiccode.yml")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/yaml")
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    checked = validate_text(response.data)
    assert checked.version == "0.7"
    assert checked.findings == [], [str(f) for f in checked.findings]  # no warning either


def test_yaml_by_negotiation_and_in_the_link_alternates(client: FlaskClient) -> None:
    fixed = client.get("/doc/offering/oskari/publiccode.yml")
    negotiated = client.get("/doc/offering/oskari", headers={"Accept": "application/yaml"})
    assert negotiated.status_code == 200 and negotiated.data == fixed.data
    assert negotiated.headers["Content-Location"] == "/doc/offering/oskari/publiccode.yml"
    assert "Accept" in negotiated.headers["Vary"]
    turtle = client.get(
        "/doc/offering/oskari", headers={"Accept": "text/turtle, application/yaml;q=0.5"}
    )
    assert turtle.headers["Content-Type"].startswith("text/turtle")
    links = turtle.headers["Link"]
    assert (
        '</doc/offering/oskari/publiccode.yml>; rel="alternate"; type="application/yaml"' in links
    )
    assert '</doc/offering/oskari/codemeta.json>; rel="describedby"' in links
    etag = fixed.headers["ETag"]
    assert (
        client.get(
            "/doc/offering/oskari/publiccode.yml", headers={"If-None-Match": etag}
        ).status_code
        == 304
    )


def test_services_have_none(client: FlaskClient) -> None:
    key = SERVICES[0]
    assert client.get(f"/doc/offering/{key}/publiccode.yml").status_code == 404
    assert "publiccode.yml" not in client.get(f"/doc/offering/{key}.ttl").headers["Link"]
    assert client.get("/doc/offering/no-such-thing/publiccode.yml").status_code == 404


@pytest.mark.parametrize("key", PRODUCTS[:8])
def test_codemeta_expands_with_the_codemeta_context(client: FlaskClient, key: str) -> None:
    response = client.get(f"/doc/offering/{key}/codemeta.json")
    assert response.status_code == 200
    document = json.loads(response.data)
    assert document["@context"] == "https://w3id.org/codemeta/3.0"
    document["@context"] = json.loads(CODEMETA_CONTEXT.read_text())["@context"]
    graph = Graph().parse(data=json.dumps(document), format="json-ld")
    schema = "http://schema.org/"
    subject = URIRef(f"{BASE}id/offering/{key}")
    assert (subject, RDF.type, URIRef(schema + "SoftwareSourceCode")) in graph
    record = RECORDS[key]
    assert (subject, URIRef(schema + "codeRepository"), URIRef(record["repository"])) in graph
    licences = {str(o) for o in graph.objects(subject, URIRef(schema + "license"))}
    assert licences and all(o.startswith("https://spdx.org/licenses/") for o in licences)
    assert str(graph.value(subject, URIRef(schema + "name"))) == record["title"]["en"]


# ------------------------------------------------------------------ round trip


def _exported(client: FlaskClient, folder: Path) -> list[Path]:
    paths = []
    for key in PRODUCTS:
        path = folder / key / "publiccode.yml"
        path.parent.mkdir(parents=True)
        path.write_bytes(client.get(f"/doc/offering/{key}/publiccode.yml").data)
        paths.append(path)
    return paths


def _closures(data: Path, out: Path) -> dict[str, str]:
    _catalogue, mapped = check_sources(make_settings(out, data), progress=lambda _m: None)
    return {
        key: description_hash(mapped.catalogue, URIRef(f"{BASE}id/offering/{key}"))
        for key in PRODUCTS
    }


@pytest.mark.slow
def test_reimporting_every_export_gives_back_the_same_offerings(
    client: FlaskClient, tmp_path: Path, data_copy: Path
) -> None:
    before = _closures(data_copy, tmp_path / "out1")
    files = _exported(client, tmp_path / "exports")
    results = [
        import_files(
            [path],
            data_copy,
            source=f"{BASE}doc/offering/{path.parent.name}/publiccode.yml",
            own_base=BASE,
            replace=True,
        )[0]
        for path in files
    ]
    assert all(r.imported and r.updated for r in results), [
        r.display for r in results if not r.imported
    ]
    assert {r.offering_id for r in results} == set(PRODUCTS)
    after = _closures(data_copy, tmp_path / "out2")
    assert after == before  # the same description, triple for triple


@pytest.mark.slow
def test_a_fresh_import_of_every_export_carries_what_publiccode_can(
    client: FlaskClient, tmp_path: Path
) -> None:
    empty = tmp_path / "data"
    (empty / "suppliers").mkdir(parents=True)
    shutil.copy(DATA_DIR / "licences.yaml", empty / "licences.yaml")
    files = _exported(client, tmp_path / "exports")
    results = [
        import_files(
            [path],
            empty,
            source=f"{BASE}doc/offering/{path.parent.name}/publiccode.yml",
            own_base=BASE,
        )[0]
        for path in files
    ]
    assert all(r.imported for r in results)
    imported = {}
    for path in (empty / "suppliers").glob("*.yaml"):
        for item in yaml.safe_load(path.read_text(encoding="utf-8"))["offerings"]:
            imported[item["id"]] = item
    for key in PRODUCTS:
        original, again = RECORDS[key], imported[key]
        for field in (
            "title",
            "description",
            "licence",
            "repository",
            "homepage",
            "api_documentation",
            "status",
        ):
            assert again.get(field) == original.get(field), (key, field)
        assert {k: set(v) for k, v in again.get("keywords", {}).items()} == {
            k: set(v) for k, v in original.get("keywords", {}).items()
        }
        assert set(again.get("standards", [])) == set(original.get("standards", []))
        assert set(again.get("components", [])) <= set(original["components"])
