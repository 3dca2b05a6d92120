"""``/catalog/adms``: every offering as an ADMS-AP asset, for software registries.

An asset is a ``dcat:Dataset`` (ADMS-AP 2.0 models assets so) with its type (product or
service), status, identifier, landing page, publisher (its supplier, an agent with an ADMS
publisher type), contact point, themes (its architecture components, plus the EU data
theme TECH) and distributions: its source repository, its homepage and its API
documentation, each under the offering's licence. Offerings removed from the register
follow as catalogue records with the ADMS status ``Withdrawn`` and a link to their
tombstone, so that an incremental harvest sees the deletion.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rdflib import URIRef
from rdflib.namespace import FOAF, RDF, SKOS

from publisher.budget import checkpoint
from publisher.catalog import admsparts, authority
from publisher.catalog.changes import Removal, at_or_after, first_published, modified, removals
from publisher.catalog.common import (
    ADMSAP_20,
    DCATAP_301,
    PUBLISHER_KEY,
    Context,
    add_catalogue,
    add_concept,
    add_contact_point,
    add_licence,
    add_publisher,
    add_record,
    date_literal,
    document,
    iris,
    spatial,
    texts,
)
from publisher.catalog.triples import TripleSet
from publisher.namespaces import ADMS, DCAT, DCT

TITLE = {"fi": "Avoin kunta -tarjooma (ADMS-AP)", "en": "Avoin kunta offering (ADMS-AP)"}
DESCRIPTION = {
    "fi": "Avoin kunta -rekisterin tuotteet ja palvelut ADMS-AP-muodossa "
    "ohjelmistorekisterien haravoitaviksi.",
    "en": "The products and services of the Avoin kunta register as ADMS-AP assets, for "
    "software registries to harvest.",
}
# ADMS asset types (http://purl.org/adms/assettype/) have no concept for software or for
# services, and the EIRA vocabulary ADMS-AP for Joinup names is not available here, so
# the two types are defined in this catalogue (hash IRIs of /catalog/adms itself).
ASSET_TYPE_LABELS = {
    "product": {"fi": "Tuote", "en": "Product"},
    "service": {"fi": "Palvelu", "en": "Service"},
}
DISTRIBUTIONS = {  # property of the offering → (key, fi title, en title)
    "sourceRepository": ("repository", "Lähdekoodivarasto", "Source code repository"),
    "landingPage": ("homepage", "Kotisivu", "Homepage"),
    "apiDocumentation": ("api-documentation", "Rajapinnan dokumentaatio", "API documentation"),
}
# The distribution of an offering with no web address of its own (fi, en titles).
REGISTER_PAGE = ("Avoin kunta -sivu", "Avoin kunta page")


@dataclass(frozen=True)
class Item:
    iri: URIRef
    key: str
    modified: Any
    removal: Removal | None = None
    # Where the records of a live offering's asset are in the publication's ``adms``
    # artefact (publisher.catalog.admsparts): (bucket, place in it) each.
    parts: list[list[int]] | None = None


def catalogue_iri(ctx: Context) -> URIRef:
    return ctx.uris.page("catalog/adms")


def items(ctx: Context, since: datetime | None = None) -> list[Item]:
    """Live offerings by key, then removed ones by removal date; filtered by ``since``.
    The live ones come from the publication's ``adms`` artefact when it has one (with
    where their records are), else from the store."""
    listed = admsparts.LiveItems.open(ctx.adms_parts) if ctx.adms_parts else None
    live = []
    if listed is not None:
        live = [live_item(ctx, row) for row in listed]
    else:
        rows = ctx.store.query(
            f"SELECT ?o ?key WHERE {{ ?o a <{ctx.vocab}Offering> ; "
            "<http://purl.org/dc/terms/identifier> ?key } ORDER BY ?key"
        )
        for row in rows:
            iri = URIRef(row["o"].value)
            live.append(Item(iri, row["key"].value, modified(ctx.ledger, str(iri)) or ctx.modified))
    live_iris = {i.iri for i in live}
    found = live + [item for item in removed_items(ctx) if item.iri not in live_iris]
    if since is not None:
        found = [item for item in found if at_or_after(item.modified, since)]
    return found


def live_item(ctx: Context, row: tuple[str, str, list[list[int]]]) -> Item:
    """An item of ``admsparts.LiveItems``."""
    key, iri, parts = row
    return Item(URIRef(iri), key, modified(ctx.ledger, iri) or ctx.modified, None, parts)


def removed_items(ctx: Context) -> list[Item]:
    """The removed offerings (deletion records), oldest removal first."""
    return [Item(URIRef(r.iri), r.key, r.removed, r) for r in removals(ctx.ledger, "offering")]


def add_items(
    ctx: Context, g: TripleSet, page_items: list[Item], lines: list[str] | None = None
) -> URIRef:
    """The catalogue node and the page's assets and deletion records in ``g``; given
    ``lines``, the assets whose records the ``adms`` artefact holds are added to it as
    "s p o" text instead (the same triples, without reading the store)."""
    catalogue = add_catalogue(
        ctx,
        g,
        catalogue_iri(ctx),
        title=TITLE,
        description=DESCRIPTION,
        homepage=ctx.uris.page(""),
    )
    records = _records(ctx, page_items) if lines is not None else {}
    for item in page_items:
        checkpoint()  # a page of assets is the largest thing a request builds
        if item.removal is None and str(item.iri) in records:
            assert lines is not None
            first = first_published(ctx.ledger, str(item.iri))
            lines += admsparts.asset_lines(
                ctx.uris, item.key, str(item.iri), item.modified, first, records
            )
        elif item.removal is None:
            _add_asset(ctx, g, catalogue, item)
        else:
            _add_deletion(ctx, g, catalogue, item)
    return catalogue


def _records(ctx: Context, page_items: list[Item]) -> dict[str, Any]:
    """The artefact's records of the page's live assets (none without the artefact)."""
    if ctx.adms_parts is None:
        return {}
    locations = [loc for item in page_items if item.parts for loc in item.parts]
    return admsparts.read_records(ctx.adms_parts, locations)


def _asset_type(ctx: Context, g: TripleSet, kind: str) -> URIRef:
    scheme = URIRef(f"{catalogue_iri(ctx)}#asset-types")
    concept = URIRef(f"{catalogue_iri(ctx)}#{kind}")
    g.add((scheme, RDF.type, SKOS.ConceptScheme))
    texts(g, scheme, SKOS.prefLabel, {"fi": "Tarjooman tyypit", "en": "Offering types"})
    texts(g, scheme, DCT.title, {"fi": "Tarjooman tyypit", "en": "Offering types"})
    g.add((concept, RDF.type, SKOS.Concept))
    texts(g, concept, SKOS.prefLabel, ASSET_TYPE_LABELS[kind])
    g.add((concept, SKOS.inScheme, scheme))
    return concept


def _add_asset(ctx: Context, g: TripleSet, catalogue: URIRef, item: Item) -> None:
    ak = ctx.uris.vocab
    asset = item.iri
    src = ctx.describe(str(asset))
    g.add((catalogue, DCAT.dataset, asset))
    g.add((asset, RDF.type, DCAT.Dataset))
    g.add((asset, RDF.type, ADMS.Asset))
    kind = "service" if (asset, RDF.type, ak.Service) in src else "product"
    g.add((asset, DCT.type, _asset_type(ctx, g, kind)))
    _add_texts_and_dates(ctx, g, src, item)
    status = src.value(asset, ADMS.status)
    if status is not None and authority.concept(status) is not None:
        g.add((asset, ADMS.status, authority.describe(g, status)))
    for supplier in iris(src, asset, DCT.publisher):
        g.add((asset, DCT.publisher, add_publisher(ctx, g, supplier)))
        add_contact_point(
            ctx,
            g,
            asset,
            supplier,
            fallback=ctx.uris.thing("supplier", PUBLISHER_KEY),
        )
    for component in iris(src, asset, DCAT.theme):
        g.add((asset, DCAT.theme, add_concept(ctx, g, component)))
    g.add((asset, DCAT.theme, authority.describe(g, authority.DATA_THEMES["TECH"].iri)))
    spatial(g, asset)
    for page in iris(src, asset, DCAT.landingPage):
        g.add((asset, DCAT.landingPage, document(g, page)))
    for page in iris(src, asset, ak.apiDocumentation):
        g.add((asset, FOAF.page, document(g, page)))
    g.add((asset, FOAF.page, document(g, ctx.uris.doc("offering", item.key))))
    _add_distributions(ctx, g, src, item)
    _add_record(ctx, g, catalogue, item, removed=False)


def _add_texts_and_dates(ctx: Context, g: TripleSet, src: TripleSet, item: Item) -> None:
    """Titles, descriptions, keywords (the component labels when it has none: tags for
    harvesters), identifiers, standards, issued and modified."""
    asset = item.iri
    for p in admsparts.COPIED_PREDICATES:
        for o in src.objects(asset, p):
            g.add((asset, p, o))
    for standard in src.objects(asset, DCT.conformsTo):  # the open standards it implements
        g.add((asset, DCT.conformsTo, standard))
        g.add((standard, RDF.type, DCT.Standard))
    if (asset, DCAT.keyword, None) not in g:
        for component in src.objects(asset, DCAT.theme):
            for label in ctx.describe(str(component)).objects(component, SKOS.prefLabel):
                g.add((asset, DCAT.keyword, label))
    for p in (DCT.issued, DCT.modified):
        for o in src.objects(asset, p):
            g.add((asset, p, o))
    if (asset, DCT.modified, None) not in g:
        g.add((asset, DCT.modified, date_literal(item.modified)))


def _add_distributions(ctx: Context, g: TripleSet, src: TripleSet, item: Item) -> None:
    """One distribution per web address of the offering (repository, homepage, API
    documentation), or its page in this register when it has none."""
    asset = item.iri
    licence = src.value(asset, DCT.license)
    licence_iri = add_licence(ctx, g, licence) if isinstance(licence, URIRef) else None
    for prop, (key, fi, en) in DISTRIBUTIONS.items():
        predicate = DCAT.landingPage if prop == "landingPage" else ctx.uris.vocab[prop]
        for url in iris(src, asset, predicate):
            _add_distribution(ctx, g, asset, item.key, key, url, (fi, en), licence_iri)
    if (asset, DCAT.distribution, None) not in g:
        # No web address of its own: its page in this register is how one reaches it.
        _add_distribution(
            ctx,
            g,
            asset,
            item.key,
            "register-page",
            ctx.uris.doc("offering", item.key, "html"),
            REGISTER_PAGE,
            licence_iri,
        )


def _add_distribution(
    ctx: Context,
    g: TripleSet,
    asset: URIRef,
    key: str,
    name: str,
    url: URIRef,
    titles: tuple[str, str],
    licence: URIRef | None,
) -> None:
    dist = URIRef(f"{catalogue_iri(ctx)}#{key}-{name}")
    g.add((asset, DCAT.distribution, dist))
    g.add((dist, RDF.type, DCAT.Distribution))
    g.add((dist, RDF.type, ADMS.AssetDistribution))
    g.add((dist, DCAT.accessURL, url))
    texts(g, dist, DCT.title, {"fi": titles[0], "en": titles[1]})
    texts(
        g,
        dist,
        DCT.description,
        {"fi": f"{titles[0]} (verkkosivu).", "en": f"{titles[1]} (web page)."},
    )
    g.add((dist, DCT.format, authority.describe(g, authority.FILE_TYPES["HTML"].iri)))
    media_type = authority.iana_media_type("text/html")
    g.add((dist, DCAT.mediaType, media_type))
    g.add((media_type, RDF.type, DCT.MediaType))
    if licence is not None:
        g.add((dist, DCT.license, licence))


def _add_deletion(ctx: Context, g: TripleSet, catalogue: URIRef, item: Item) -> None:
    removal = item.removal
    assert removal is not None
    if removal.replaced_by:
        successor = _successor(ctx, removal.replaced_by)
        g.add((item.iri, DCT.isReplacedBy, successor))
    _add_record(ctx, g, catalogue, item, removed=True)


def _successor(ctx: Context, value: str) -> URIRef:
    return URIRef(value) if ":" in value else ctx.uris.thing("offering", value)


def _add_record(
    ctx: Context, g: TripleSet, catalogue: URIRef, item: Item, *, removed: bool
) -> None:
    record = URIRef(f"{catalogue_iri(ctx)}#record-{item.key}")
    first = first_published(ctx.ledger, str(item.iri))
    add_record(
        ctx,
        g,
        catalogue,
        record,
        item.iri,
        modified=item.modified,
        issued=first,
        removed=removed,
        profiles=(DCATAP_301, ADMSAP_20),
    )
    if removed:
        removal = item.removal
        assert removal is not None
        name_fi = removal.label.get("fi") or next(iter(removal.label.values()))
        name_en = removal.label.get("en") or next(iter(removal.label.values()))
        texts(g, record, DCT.title, {"fi": f"Poistettu: {name_fi}", "en": f"Removed: {name_en}"})
        # The removed offering's URI answers 410 Gone with a tombstone.
        tombstone = ctx.uris.doc("offering", item.key) if item.key else item.iri
        g.add((record, DCT.relation, tombstone))
        g.add((record, FOAF.page, document(g, tombstone)))
