"""Every page, in every format, of /catalog and /catalog/adms conforms to the official
DCAT-AP 3.0.1 shapes (loaded as documented in tests/catalog/shapes.py) with 0 violations,
and /catalog/adms to our ADMS-AP shapes (shapes/adms-ap.ttl). Warnings are allowed and
explained in publisher/catalog/README.md."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from publisher.namespaces import DCAT, SPDX

from .pages import EXTENSIONS, walk
from .shapes import SH, check

ENDPOINTS = ["catalog", "catalog/adms"]


def _pages(client, path: str, ext: str | None, base: str):
    suffix = f".{ext}" if ext else ""

    def get(url: str) -> tuple[bytes, str]:
        response = client.get(url.removeprefix(base.rstrip("/")))
        assert response.status_code == 200, (url, response.data[:300])
        return response.data, response.mimetype

    return list(walk(get, f"{base}{path}{suffix}?page_size=10"))


def test_loader_prunes_only_dangling_links_and_rewrites_only_inference_constraints(
    dcatap_shapes,
) -> None:
    assert len(dcatap_shapes.pruned) == 5
    for _node, ref in dcatap_shapes.pruned:
        assert (ref, None, None) not in dcatap_shapes.graph  # really undefined
    # rdfs:Resource on dcat:endpointURL and dcat:endpointDescription, and the SPDX pattern.
    assert dcatap_shapes.rewritten == 3
    assert (
        None,
        SH["class"],
        URIRef("http://www.w3.org/2000/01/rdf-schema#Resource"),
    ) not in dcatap_shapes.graph


def test_shapes_do_find_violations(dcatap_shapes, adms_shapes) -> None:
    """The loaded shapes are not toothless: a dataset without a title and a distribution
    with a made-up format fail."""
    g = Graph()
    ds, dist = URIRef("http://example.org/ds"), URIRef("http://example.org/dist")
    g.add((ds, RDF.type, DCAT.Dataset))
    g.add((ds, DCAT.distribution, dist))
    g.add((dist, RDF.type, DCAT.Distribution))
    g.add((dist, URIRef("http://purl.org/dc/terms/format"), URIRef("http://example.org/csv")))
    g.add((dist, SPDX.checksum, URIRef("http://example.org/sum")))
    report = check(g, dcatap_shapes.graph)
    assert not report.conforms
    assert any("description" in v or "title" in v for v in report.violations)
    assert any("example.org/csv" in v for v in report.violations)
    assert not check(g, adms_shapes).conforms


@pytest.mark.parametrize("ext", [None, *EXTENSIONS])
@pytest.mark.parametrize("path", ENDPOINTS)
def test_bundled_catalogue_conforms(client, path, ext, dcatap_shapes, adms_shapes) -> None:
    pages = _pages(client, path, ext, "http://localhost:8080/")
    assert pages
    for url, graph in pages:
        report = check(graph, dcatap_shapes.graph)
        assert report.conforms, f"{url}:\n" + "\n".join(report.violations)
        if path == "catalog/adms":
            report = check(graph, adms_shapes)
            assert report.conforms, f"{url}:\n" + "\n".join(report.violations)


@pytest.mark.parametrize("query", ["", "?modified_since=2026-11-21"])
@pytest.mark.parametrize("path", ENDPOINTS)
def test_sample_pages_with_deletions_conform(
    sample_client, path, query, dcatap_shapes, adms_shapes
) -> None:
    """The sample publication has removed offerings and pages of two items."""
    base = "http://localhost:8080/"

    def get(url: str) -> tuple[bytes, str]:
        response = sample_client.get(url.removeprefix(base.rstrip("/")))
        assert response.status_code == 200, (url, response.data[:300])
        return response.data, response.mimetype

    pages = list(walk(get, f"{base}{path}{query}"))
    assert len(pages) >= (1 if query else 2)
    for url, graph in pages:
        assert check(graph, dcatap_shapes.graph).conforms, url
        if path == "catalog/adms":
            assert check(graph, adms_shapes).conforms, url
