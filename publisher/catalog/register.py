"""``/catalog``: the DCAT-AP 3.0.1 description of the register itself.

Items (what is paged and counted), in this order: the offering register (a ``dcat:Dataset``
whose distributions are the publication's dumps) and the vocabularies (the ontology and
each concept scheme) as datasets. Each has a catalogue record with ``dct:modified``. The
SPARQL endpoint, a ``dcat:DataService``, is repeated on every page like the catalogue
itself, serving (``dcat:servesDataset``) the datasets of that page: each page stands alone
and the union of the pages says that it serves them all, without describing a dataset on
two pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import FOAF, RDF, SKOS, XSD

from publisher.catalog import authority
from publisher.catalog.changes import at_or_after, modified
from publisher.catalog.common import (
    PUBLISHER_KEY,
    Context,
    add_catalogue,
    add_contact_point,
    add_record,
    date_literal,
    document,
    first_published,
    spatial,
    texts,
)
from publisher.catalog.ledgerfile import summaries
from publisher.catalog.triples import TripleSet
from publisher.namespaces import ADMS, DCAT, DCATAP, DCT, OWL, SPDX
from publisher.uris import SCHEME_KINDS

DCAT_VERSION = URIRef(str(DCAT) + "version")  # DCAT 3 term, not in rdflib's DCAT

TITLE = {"fi": "Avoin kunta -rekisterin katalogi", "en": "Avoin kunta register catalogue"}
DESCRIPTION = {
    "fi": "Avoin kunta -rekisteri: suomalaisten toimittajien kunnille tarjoamat avoimet "
    "tuotteet ja palvelut linkitettynä avoimena datana. Katalogissa ovat rekisterin "
    "tietoaineisto ja sen latauspaketit, sanastot sekä SPARQL-rajapinta.",
    "en": "The Avoin kunta (Open Municipality) register: open products and services that "
    "Finnish suppliers offer to municipalities, published as Linked Open Data. The "
    "catalogue lists the register dataset and its dumps, the vocabularies and the "
    "SPARQL endpoint.",
}
KEYWORDS = {
    "fi": ["avoin lähdekoodi", "kunnat", "julkiset hankinnat", "avoin data"],
    "en": ["open source", "municipalities", "public procurement", "open data"],
}
SPARQL_PROTOCOL = URIRef("https://www.w3.org/TR/sparql11-protocol/")


@dataclass(frozen=True)
class Item:
    iri: URIRef
    key: str  # what the builder needs: "offerings", "ontology" or a scheme key
    modified: Any


def catalogue_iri(ctx: Context) -> URIRef:
    return ctx.uris.page("catalog")


def items(ctx: Context, since: datetime | None = None) -> list[Item]:
    """The catalogue's items, filtered to those modified at or after ``since``."""
    register_modified = _register_modified(ctx)
    found = [
        Item(_local(ctx, "offerings"), "offerings", register_modified),
        Item(ctx.uris.ontology, "ontology", _modified(ctx, ctx.uris.ontology)),
    ]
    for key in SCHEME_KINDS:
        iri = ctx.uris.thing("scheme", key)
        found.append(Item(iri, key, _modified(ctx, iri)))
    # The change feed (/feed, federation's): its stream is a dataset of its own.
    found.append(Item(URIRef(f"{ctx.uris.page('feed')}#stream"), "feed", register_modified))
    if since is not None:
        found = [item for item in found if at_or_after(item.modified, since)]
    return found


def add_items(ctx: Context, g: TripleSet, page_items: list[Item]) -> URIRef:
    catalogue = add_catalogue(
        ctx,
        g,
        catalogue_iri(ctx),
        title=TITLE,
        description=DESCRIPTION,
        homepage=ctx.uris.page(""),
    )
    for item in page_items:
        if item.key == "offerings":
            _add_register(ctx, g, catalogue, item)
        elif item.key == "feed":
            _add_feed(ctx, g, catalogue, item)
        else:
            _add_vocabulary(ctx, g, catalogue, item)
        _add_record(ctx, g, catalogue, item)
    service = Item(_local(ctx, "sparql-service"), "sparql-service", _register_modified(ctx))
    # The SPARQL endpoint serves the register and the vocabularies, not the change feed.
    _add_service(ctx, g, catalogue, service, [i for i in page_items if i.key != "feed"])
    _add_record(ctx, g, catalogue, service)
    return catalogue


def _local(ctx: Context, name: str) -> URIRef:
    return URIRef(f"{catalogue_iri(ctx)}#{name}")


def _modified(ctx: Context, iri: URIRef) -> Any:
    """When a vocabulary last changed: the ledger's date (changes of its description), else
    the ``dct:modified`` it states, else the build time."""
    stated = ctx.describe(str(iri)).value(iri, DCT.modified)
    when = stated.toPython() if isinstance(stated, Literal) else None
    return modified(ctx.ledger, str(iri)) or when or ctx.modified


def _register_modified(ctx: Context) -> Any:
    """The latest change to anything in the catalogue graph (offerings, suppliers,
    licences), including removals; when the content last changed when the ledger is empty."""

    def compute() -> Any:
        moments = []
        for _, entry in summaries(ctx.ledger):
            if entry.kind in ("offering", "supplier", "licence"):
                moments += [
                    str(v) for v in (entry.modified, entry.removed, entry.first_published) if v
                ]
        return max(moments, default=None) or ctx.modified

    return ctx.once("register_modified", compute)


def _dataset_common(
    ctx: Context, g: TripleSet, catalogue: URIRef, dataset: URIRef, item: Item
) -> None:
    publisher = ctx.uris.thing("supplier", PUBLISHER_KEY)
    g.add((catalogue, DCAT.dataset, dataset))
    g.add((dataset, RDF.type, DCAT.Dataset))
    g.add((dataset, DCT.publisher, publisher))
    add_contact_point(ctx, g, dataset, publisher)
    g.add((dataset, DCT.issued, date_literal(first_published(ctx))))
    g.add((dataset, DCT.modified, date_literal(item.modified)))
    g.add((dataset, DCT.accessRights, authority.describe(g, authority.ACCESS_RIGHTS["PUBLIC"].iri)))
    g.add(
        (dataset, DCT.accrualPeriodicity, authority.describe(g, authority.FREQUENCIES["IRREG"].iri))
    )
    for code in ("GOVE", "TECH"):
        g.add((dataset, DCAT.theme, authority.describe(g, authority.DATA_THEMES[code].iri)))
    for code in ("FIN", "ENG"):
        g.add((dataset, DCT.language, authority.describe(g, authority.LANGUAGES[code].iri)))
    spatial(g, dataset)
    for lang, words in KEYWORDS.items():
        for word in words:
            g.add((dataset, DCAT.keyword, Literal(word, lang=lang)))


def _add_register(ctx: Context, g: TripleSet, catalogue: URIRef, item: Item) -> None:
    dataset = item.iri
    _dataset_common(ctx, g, catalogue, dataset, item)
    texts(
        g,
        dataset,
        DCT.title,
        {"fi": "Avoin kunta -tarjooma", "en": "Avoin kunta offering register"},
    )
    texts(
        g,
        dataset,
        DCT.description,
        {
            "fi": "Kaikki rekisterin tuotteet ja palvelut, niiden toimittajat ja lisenssit "
            "yhtenä RDF-aineistona: arkkitehtuurin osat, avoimuuden näytöt, hinnoittelu "
            "ja hankintatapa.",
            "en": "Every product and service of the register with its supplier and licence, as "
            "one RDF dataset: architecture components, evidence of openness, pricing and "
            "procurement route.",
        },
    )
    g.add((dataset, DCAT.landingPage, document(g, ctx.uris.page(""))))
    g.add((dataset, DCT.identifier, Literal(str(dataset))))
    for name, entry in sorted(ctx.manifest.get("dumps", {}).items()):
        _add_dump(ctx, g, dataset, name, entry)


FEED_FORMATS = (
    ("trig", "application/trig"),
    ("nq", "application/n-quads"),
    ("jsonld", "application/ld+json"),
)
DCAT_AP_FEEDS = URIRef("https://semiceu.github.io/LDES-DCAT-AP-feeds/index.html")
LDES_SPEC = URIRef("https://w3id.org/ldes/specification")


def _add_feed(ctx: Context, g: TripleSet, catalogue: URIRef, item: Item) -> None:
    """``/feed``: the register's changes as a DCAT-AP Feed (an LDES event stream)."""
    dataset = item.iri
    _dataset_common(ctx, g, catalogue, dataset, item)
    texts(
        g,
        dataset,
        DCT.title,
        {"fi": "Avoin kunta -rekisterin muutokset", "en": "Changes to the Avoin kunta register"},
    )
    texts(
        g,
        dataset,
        DCT.description,
        {
            "fi": "Rekisterin tarjoomien, toimittajien, lisenssien ja aineistojen luonnit, "
            "muutokset ja poistot DCAT-AP Feeds -syötteenä (Linked Data Event Stream).",
            "en": "Every creation, change and removal of the register's offerings, suppliers, "
            "licences and datasets, as a DCAT-AP Feed (a Linked Data Event Stream).",
        },
    )
    g.add((dataset, DCAT.landingPage, document(g, ctx.uris.page("feed"))))
    g.add((dataset, DCT.identifier, Literal(str(dataset))))
    for standard, title in (
        (DCAT_AP_FEEDS, "DCAT-AP Feeds"),
        (LDES_SPEC, "Linked Data Event Streams 1.0"),
    ):
        g.add((dataset, DCT.conformsTo, standard))
        g.add((standard, RDF.type, DCT.Standard))
        g.add((standard, DCT.title, Literal(title, lang="en")))
    for ext, media_type in FEED_FORMATS:
        code = authority.FILE_TYPE_BY_MEDIA_TYPE[media_type]
        dist = _local(ctx, f"feed-{ext}")
        url = ctx.uris.page(f"feed.{ext}")
        g.add((dataset, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCAT.accessURL, url))
        label = authority.FILE_TYPES[code].labels["en"]
        texts(g, dist, DCT.title, {"fi": f"Muutossyöte: {label}", "en": f"Change feed: {label}"})
        texts(
            g,
            dist,
            DCT.description,
            {
                "fi": f"Syötteen juurisivu ({label}); sivut linkittyvät toisiinsa tree:-suhteilla.",
                "en": f"The feed's root node ({label}); its pages are linked with tree: relations.",
            },
        )
        _describe_file(g, dist, code, media_type)
        _availability(g, dist)


def _describe_file(g: TripleSet, dist: URIRef, code: str, media_type: str) -> None:
    """What a distribution of ours says about its file: EU file type, IANA media type,
    licence (CC BY 4.0) and status."""
    g.add((dist, DCT.format, authority.describe(g, authority.FILE_TYPES[code].iri)))
    mt = authority.iana_media_type(media_type)
    g.add((dist, DCAT.mediaType, mt))
    g.add((mt, RDF.type, DCT.MediaType))
    g.add((dist, DCT.license, authority.LICENCES["CC_BY_4_0"].iri))
    status = authority.DISTRIBUTION_STATUSES["COMPLETED"].iri
    g.add((dist, ADMS.status, authority.describe(g, status)))


def _add_dump(ctx: Context, g: TripleSet, dataset: URIRef, name: str, entry: dict) -> None:
    media_type = str(entry.get("media_type", "")).split(";")[0].strip()
    code = authority.FILE_TYPE_BY_MEDIA_TYPE.get(media_type)
    if code is None:
        return  # no EU file type for it: leave it out rather than fail the shapes
    url = ctx.uris.page(f"dumps/{name}")
    dist = _local(ctx, f"dump-{name}")
    g.add((dataset, DCAT.distribution, dist))
    g.add((dist, RDF.type, DCAT.Distribution))
    g.add((dist, DCAT.accessURL, url))
    g.add((dist, DCAT.downloadURL, url))
    label = authority.FILE_TYPES[code].labels["en"]
    texts(
        g, dist, DCT.title, {"fi": f"Koko rekisteri: {label}", "en": f"The whole register: {label}"}
    )
    texts(
        g,
        dist,
        DCT.description,
        {
            "fi": f"Rekisterin julkaisu {name} ({label}).",
            "en": f"Dump of the register as {label} ({name}).",
        },
    )
    _describe_file(g, dist, code, media_type)
    g.add((dist, DCT.modified, date_literal(ctx.modified)))
    _availability(g, dist)
    if "bytes" in entry:
        g.add((dist, DCAT.byteSize, Literal(int(entry["bytes"]), datatype=XSD.nonNegativeInteger)))
    if entry.get("sha256"):
        checksum = URIRef(f"{dist}-sha256")
        g.add((dist, SPDX.checksum, checksum))
        g.add((checksum, RDF.type, SPDX.Checksum))
        g.add((checksum, SPDX.algorithm, authority.describe(g, authority.SHA256)))
        g.add((checksum, SPDX.checksumValue, Literal(entry["sha256"], datatype=XSD.hexBinary)))


def _add_vocabulary(ctx: Context, g: TripleSet, catalogue: URIRef, item: Item) -> None:
    dataset = item.iri
    _dataset_common(ctx, g, catalogue, dataset, item)
    src = ctx.describe(str(dataset))
    titles = [o for p in (DCT.title, SKOS.prefLabel) for o in src.objects(dataset, p)]
    if item.key == "ontology":
        titles = titles or [
            Literal("Avoin kunta -sanasto", lang="fi"),
            Literal("Avoin kunta vocabulary", lang="en"),
        ]
    for title in titles or [Literal(item.key, lang="en")]:
        g.add((dataset, DCT.title, title))
    descriptions = [
        o for p in (DCT.description, SKOS.definition, FOAF.name) for o in src.objects(dataset, p)
    ]
    if not descriptions:
        descriptions = [
            Literal(f"Avoin kunta -rekisterin sanasto: {t}", lang="fi")
            for t in titles
            if getattr(t, "language", None) == "fi"
        ]
        descriptions += [
            Literal(f"A vocabulary of the Avoin kunta register: {t}", lang="en")
            for t in titles
            if getattr(t, "language", None) == "en"
        ]
    for description in descriptions or [Literal(item.key, lang="en")]:
        g.add((dataset, DCT.description, description))
    for version in src.objects(dataset, OWL.versionInfo):
        g.add((dataset, DCAT_VERSION, Literal(str(version))))
    if item.key == "ontology":
        url, landing = ctx.uris.ontology, ctx.uris.ontology
    else:
        url = ctx.uris.doc("scheme", item.key, "ttl")
        landing = ctx.uris.doc("scheme", item.key)
    g.add((dataset, DCAT.landingPage, document(g, landing)))
    dist = URIRef(f"{_local(ctx, 'vocabulary')}-{item.key}-ttl")
    g.add((dataset, DCAT.distribution, dist))
    g.add((dist, RDF.type, DCAT.Distribution))
    g.add((dist, DCAT.accessURL, url))
    texts(g, dist, DCT.title, {"fi": "Sanasto Turtle-muodossa", "en": "Vocabulary as Turtle"})
    texts(
        g,
        dist,
        DCT.description,
        {
            "fi": "Koko sanasto yhtenä Turtle-tiedostona.",
            "en": "The whole vocabulary as one Turtle document.",
        },
    )
    _availability(g, dist)
    g.add((dist, DCT.format, authority.describe(g, authority.FILE_TYPES["RDF_TURTLE"].iri)))
    mt = authority.iana_media_type("text/turtle")
    g.add((dist, DCAT.mediaType, mt))
    g.add((mt, RDF.type, DCT.MediaType))
    g.add((dist, DCT.license, authority.LICENCES["CC_BY_4_0"].iri))
    g.add(
        (dist, ADMS.status, authority.describe(g, authority.DISTRIBUTION_STATUSES["COMPLETED"].iri))
    )


def _availability(g: TripleSet, dist: URIRef) -> None:
    # The dump and vocabulary URLs stay the same from one publication to the next.
    g.add(
        (
            dist,
            DCATAP.availability,
            authority.describe(g, authority.PLANNED_AVAILABILITIES["STABLE"].iri),
        )
    )


def _add_service(
    ctx: Context, g: TripleSet, catalogue: URIRef, item: Item, served: list[Item]
) -> None:
    service = item.iri
    endpoint = ctx.uris.page("sparql")
    publisher = ctx.uris.thing("supplier", PUBLISHER_KEY)
    g.add((catalogue, DCAT.service, service))
    g.add((service, RDF.type, DCAT.DataService))
    texts(
        g,
        service,
        DCT.title,
        {"fi": "Avoin kunta SPARQL -rajapinta", "en": "Avoin kunta SPARQL endpoint"},
    )
    texts(
        g,
        service,
        DCT.description,
        {
            "fi": "SPARQL 1.1 -kyselyrajapinta koko rekisteriin ja sanastoihin (vain luku).",
            "en": "A read-only SPARQL 1.1 query endpoint over the whole register and its "
            "vocabularies.",
        },
    )
    g.add((service, DCAT.endpointURL, endpoint))
    # GET /sparql without a query answers with the SPARQL service description.
    g.add((service, DCAT.endpointDescription, endpoint))
    g.add((service, DCT.conformsTo, SPARQL_PROTOCOL))
    g.add((SPARQL_PROTOCOL, RDF.type, DCT.Standard))
    g.add((SPARQL_PROTOCOL, DCT.title, Literal("SPARQL 1.1 Protocol", lang="en")))
    g.add((service, DCT.publisher, publisher))
    add_contact_point(ctx, g, service, publisher)
    g.add((service, DCT.license, authority.LICENCES["CC_BY_4_0"].iri))
    g.add((service, DCT.accessRights, authority.describe(g, authority.ACCESS_RIGHTS["PUBLIC"].iri)))
    g.add((service, DCT.format, authority.describe(g, authority.FILE_TYPES["SPARQLQ"].iri)))
    g.add((service, DCAT.theme, authority.describe(g, authority.DATA_THEMES["GOVE"].iri)))
    for lang, words in {
        "fi": ["SPARQL", "linkitetty data"],
        "en": ["SPARQL", "linked data"],
    }.items():
        for word in words:
            g.add((service, DCAT.keyword, Literal(word, lang=lang)))
    for dataset in served:
        g.add((service, DCAT.servesDataset, dataset.iri))


def _add_record(ctx: Context, g: TripleSet, catalogue: URIRef, item: Item) -> None:
    record = _local(ctx, f"record-{item.key}")
    add_record(
        ctx,
        g,
        catalogue,
        record,
        item.iri,
        modified=item.modified,
        issued=first_published(ctx),
        removed=False,
    )
