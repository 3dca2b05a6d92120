"""An offering's page body and every thing's provenance box in Python
(publisher.render.offering) write what the templates they replaced wrote: those templates
are kept in tests/render/reference and rendered here as the reference, in an app whose
template loader looks there first, on the same lenses. Synthetic descriptions cover every
branch (no prices or several, a procurement note or none — which decides whether the
prices of parts are brief —, parts with and without licence, openness and prices, claims,
links that are not web addresses, keywords, texts to escape, fallback languages); the
bundled publication's offering and supplier pages are compared through the test client."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from flask import Flask
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, XSD

from publisher.app import create_app
from publisher.catalog.triples import TripleSet
from publisher.config import Settings
from publisher.namespaces import ADMS, ADMS_STATUS, DCAT, SCHEMA
from publisher.render.html import local_href, render_page
from publisher.render.lens import Lens, Terms
from publisher.siteindex import SiteIndex
from publisher.store import new_graph
from tests.render.references import BASE, reference_app

VOCAB = BASE + "ontology#"
AK = Terms(VOCAB)
THING = URIRef(BASE + "id/offering/x")


def _description(
    prices: int, note: bool, parts: bool, claims: bool, licence: bool | None, extras: bool
) -> TripleSet:
    g = TripleSet()
    add = g.add
    add((THING, RDF.type, AK.Product if extras else AK.Service))
    add((THING, DCTERMS.title, Literal('Tuote <"&">', lang="fi")))
    add((THING, DCTERMS.title, Literal("Product", lang="en")))
    if extras:
        add((THING, DCTERMS.description, Literal("Kuvaus & <b>", lang="fi")))
    else:
        add((THING, DCTERMS.description, Literal("Only in English", lang="en")))
    supplier = URIRef(BASE + "id/supplier/s")
    add((THING, DCTERMS.publisher, supplier))
    add((supplier, DCTERMS.title, Literal("S & co", lang="sv" if extras else "fi")))
    if licence is not None or extras:
        lic = URIRef(BASE + "id/licence/EUPL-1.2")
        add((THING, DCTERMS.license, lic))
        add((lic, RDFS.label, Literal("EUPL 1.2")))
        if licence is not None:
            add((lic, AK.openSource, Literal(licence)))
    for n in range(prices):
        p = BNode(f"x.price.{n}")
        add((THING, AK.pricing, p))
        add((p, DCTERMS.identifier, Literal(str(2 - n))))
        add((p, SCHEMA.price, Literal("1200" if n else "12.5", datatype=XSD.decimal)))
        if n == 0:
            add((p, SCHEMA.priceCurrency, Literal("EUR")))
            add((p, SCHEMA.unitText, Literal("per user <month>", lang="en")))
            add((p, DCTERMS.description, Literal("Hinta & ehdot", lang="fi")))
            add((p, AK.priceList, URIRef("https://example.org/prices?a=1&b=2")))
            add((p, AK.priceList, URIRef("urn:x:not-a-web-address")))
        else:
            add((p, SCHEMA.unitText, Literal("kuukausi", lang="fi")))
    for route in ("in-house", "competitive-tender") if extras else ():
        add((THING, AK.procurementRoute, URIRef(BASE + "id/route/" + route)))
    if note:
        add((THING, AK.procurementNote, Literal("Note <in English>", lang="en")))
    if parts:
        for n, (title, part_licence) in enumerate([("Osa <1>", True), (None, False), ("P", None)]):
            part = BNode(f"x.part.{n}")
            add((THING, DCTERMS.hasPart, part))
            add((part, DCTERMS.identifier, Literal(str(n + 1))))
            if title:
                add((part, DCTERMS.title, Literal(title, lang="en" if n else "fi")))
            add((part, DCTERMS.description, Literal("Osan kuvaus", lang="fi")))
            if part_licence is not None:
                lic = URIRef(BASE + f"id/licence/L{n}")
                add((part, DCTERMS.license, lic))
                add((lic, AK.openSource, Literal(part_licence)))
            elif extras:
                add((part, DCTERMS.license, URIRef("https://other.example/licence")))
            if n != 1:
                price = BNode(f"x.part.{n}.price")
                add((part, AK.pricing, price))
                add((price, SCHEMA.price, Literal("0", datatype=XSD.decimal)))
                add((price, DCTERMS.description, Literal("Osan hinta", lang="fi")))
    if claims:
        for n in range(2):
            claim = BNode(f"x.claim.{n}")
            add((THING, AK.opennessClaim, claim))
            add((claim, AK.aspect, URIRef(BASE + f"id/aspect/a{n}")))
            add((claim, DCTERMS.description, Literal("Väite", lang="fi")))
            if n == 0:
                add((claim, AK.evidence, URIRef("https://example.org/evidence")))
                add((claim, AK.evidence, Literal("javascript:alert(1)")))
                add((claim, DCTERMS.conformsTo, URIRef(BASE + "id/standard/s1")))
    if extras:
        add((THING, DCAT.theme, URIRef(BASE + "id/component/c1")))
        add((THING, DCAT.theme, URIRef(BASE + "id/component/c0")))
        add((THING, AK.serviceDomain, URIRef(BASE + "id/domain/d")))
        add((THING, DCAT.landingPage, URIRef("https://example.org/home")))
        add((THING, AK.sourceRepository, URIRef("javascript:alert(1)")))
        add((THING, AK.apiDocumentation, URIRef("https://example.org/api")))
        add((THING, DCTERMS.conformsTo, URIRef("https://example.org/standard")))
        for word, lang in (("kartta & <paikka>", "fi"), ("map", "en"), ("alue", "fi")):
            add((THING, DCAT.keyword, Literal(word, lang=lang)))
        add((THING, ADMS.status, ADMS_STATUS.Completed))
        add((THING, DCTERMS.issued, Literal("2024-01-02T03:04:05Z", datatype=XSD.dateTime)))
        add((THING, DCTERMS.modified, Literal("2025-02-03", datatype=XSD.date)))
        add((THING, DCTERMS.source, URIRef("https://example.org/source.yaml")))
        add((THING, DCTERMS.source, URIRef("urn:x:source")))
        provenance = BNode("x.provenance")
        add((THING, DCTERMS.provenance, provenance))
        add((provenance, RDFS.label, Literal("Toimittajan ilmoittama", lang="fi")))
        add((THING, OWL.sameAs, URIRef("https://elsewhere.example/x")))
    else:
        add((THING, DCAT.keyword, Literal("only english", lang="en")))
        add((THING, ADMS.status, URIRef("https://other.example/status/Odd")))
    return g


VARIANTS = [
    dict(prices=p, note=n, parts=pa, claims=c, licence=li, extras=e)
    for p, n, pa, c, li, e in itertools.product(
        (0, 1, 2), (False, True), (False, True), (False, True), (True, False, None), (False, True)
    )
    # every branch of each feature, not every combination of all of them
    if (p + n + pa + c + e) % 2 == 0 or (li is None and p == 1)
]


def _page(app: Flask, template: str, lens: Lens) -> str:
    with app.test_request_context(
        "/doc/offering/x", headers={"Accept-Language": lens.lang}, base_url=BASE
    ):
        return render_page(
            template,
            lang=lens.lang,
            lens=Lens(lens.graph, lens.lang, local_href, new_graph(VOCAB).namespace_manager),
            s=THING,
            kind="offering",
            key="x",
            ak=AK,
            related=[],
            related_types={},
            related_via={},
            listing=None,
            schemaorg=None,
            formats=[],
        )


def test_offering_pages_of_every_branch_are_the_templates(tmp_path: Path) -> None:
    settings = Settings(base_uri=BASE, out_dir=tmp_path)
    new, old = create_app(settings), reference_app(settings)
    for variant, lang in itertools.product(VARIANTS, ("fi", "sv", "en")):
        graph = _description(**variant)  # type: ignore[arg-type]
        lens = Lens(graph, lang, lambda iri: None)
        for template in ("kinds/offering.html", "kinds/supplier.html"):
            assert _page(new, template, lens) == _page(old, template, lens), (variant, lang)
    assert len(VARIANTS) > 30


@pytest.mark.parametrize("kind", ["offering", "supplier"])
def test_the_bundled_pages_are_the_templates(settings: Settings, client, kind: str) -> None:  # type: ignore[no-untyped-def]
    old = reference_app(settings).test_client()
    keys = [e.key for e in SiteIndex.of(Path(settings.out_dir) / "current").entities(kind)]
    assert keys
    for key in keys:
        for query, language in (("", "fi"), ("?lang=sv", "fi"), ("", "en"), ("?lang=fi", "sv")):
            path = f"/doc/{kind}/{key}{query}"
            headers = {"Accept": "text/html", "Accept-Language": language}
            got, want = client.get(path, headers=headers), old.get(path, headers=headers)
            assert got.status_code == want.status_code == 200
            assert got.get_data() == want.get_data(), path
            assert got.headers["ETag"] == want.headers["ETag"]
