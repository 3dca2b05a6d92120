"""The real ckanext-dcat parser harvests /catalog and /catalog/adms from a running server.

Installed by ``bash .ci/install-ckan.sh .venv`` (CKAN is imported, never run). The fetch
loop does what ckanext-dcat's DCATRDFHarvester.gather_stage and _get_content_and_type do
(their module needs ckanext-harvest and a database, so it is mirrored here): HEAD, then
GET with no Accept header of ours (requests sends ``*/*``), the format taken from the
response's Content-Type, a fresh RDFParser with the DCAT-AP 3 profile per page, and
``parser.next_page()`` (hydra:next) until it returns None.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import requests
from rdflib import URIRef

from publisher.namespaces import ADMS, HYDRA

pytestmark = [pytest.mark.ckan, pytest.mark.e2e]


def _rdf_parser() -> Any:
    """ckanext-dcat's parser with the DCAT-AP 3 profile. CKAN is imported here, not at
    collection (3–4 s of imports every run would pay, `make test-fast` included)."""
    if os.environ.get("CI"):  # CI installs it (Makefile → .ci/install-ckan.sh): never skip there
        import ckanext.dcat.processors as ckan_dcat
    else:
        ckan_dcat = pytest.importorskip(
            "ckanext.dcat.processors", reason="run `bash .ci/install-ckan.sh .venv` first"
        )
    return ckan_dcat.RDFParser(profiles=["euro_dcat_ap_3"])


WITHDRAWN = URIRef("http://purl.org/adms/status/Withdrawn")


def harvest(url: str) -> tuple[int, list[dict], int]:
    """(pages, datasets, hydra:totalItems of the first page less the deletion records)."""
    pages, datasets, total = 0, [], -1
    next_url: str | None = url
    while next_url:
        session = requests.Session()
        head = session.head(next_url, timeout=30)
        assert head.ok, (next_url, head.status_code)
        response = session.get(next_url, stream=True, timeout=30)
        response.raise_for_status()
        content = response.content.decode("utf-8")
        content_type = response.headers["content-type"].split(";", 1)[0]
        parser = _rdf_parser()
        parser.parse(content, _format=content_type)
        datasets += list(parser.datasets())
        if total < 0:
            total = int(next(parser.g.objects(None, HYDRA.totalItems)))
        total -= len(set(parser.g.subjects(ADMS.status, WITHDRAWN)))
        pages += 1
        next_url = parser.next_page()
    return pages, datasets, total


def _check(datasets: list[dict]) -> None:
    for d in datasets:
        name = d.get("title")
        assert d.get("title"), d
        assert d.get("notes"), name
        extras = {e["key"]: e["value"] for e in d.get("extras", [])}
        assert extras.get("publisher_uri") and extras.get("publisher_name"), name
        assert d.get("tags"), name
        assert d.get("resources"), name
        for resource in d["resources"]:
            assert resource.get("url", "").startswith("http"), (name, resource)
            assert resource.get("format"), (name, resource)
            # The licence comes with every resource (a portal maps the IRI to its own list).
            assert resource.get("license"), (name, resource)


@pytest.mark.parametrize("path,minimum", [("catalog", 7), ("catalog/adms", 2)])
def test_ckanext_dcat_harvests_every_dataset(live_server, path, minimum) -> None:
    # Small pages so that the harvester has to follow hydra:next.
    pages, datasets, total = harvest(f"{live_server.url}{path}?page_size=3")
    print(f"{path}: {pages} pages, {len(datasets)} datasets")
    assert pages >= 2
    uris = [next(e["value"] for e in d["extras"] if e["key"] == "uri") for d in datasets]
    # Every item exactly once over all pages, as many as the catalogue says it has.
    assert len(uris) == len(set(uris)) == total >= minimum
    _check(datasets)


def test_turtle_is_what_a_harvester_gets_without_preference(live_server) -> None:
    response = requests.get(f"{live_server.url}catalog", headers={"Accept": "*/*"}, timeout=30)
    assert response.headers["content-type"].startswith("text/turtle")
    response = requests.head(f"{live_server.url}catalog/adms", timeout=30)
    assert response.ok and response.headers["content-type"].startswith("text/turtle")
