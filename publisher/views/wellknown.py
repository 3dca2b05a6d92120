"""For crawlers and harvesters: ``/.well-known/void`` (VoID), ``/sitemap.xml``, ``/robots.txt``."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from xml.sax.saxutils import escape as xml_escape

from flask import Blueprint, Response, current_app, request
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, VOID, XSD

from publisher import void_stats
from publisher.catalog.ledgerfile import ledger_of, summaries
from publisher.formats import HTML, RDF_FORMATS, TURTLE, Format
from publisher.http import HttpError
from publisher.http.caching import LruCache, PublicationCache, finish
from publisher.namespaces import DCAT, EU_LICENCE, PREFIXES
from publisher.publication import Publication
from publisher.render.html import page_language, render_page, variant_key
from publisher.render.lens import Lens
from publisher.render.rdf import serialise
from publisher.site import Site
from publisher.store import new_graph
from publisher.uris import KINDS, UriScheme
from publisher.views.representations import serve

bp = Blueprint("wellknown", __name__)

# Machine formats first: a client asking for anything gets Turtle, a browser the summary.
OFFERED: tuple[Format, ...] = (*RDF_FORMATS, HTML)
_BODIES: LruCache[tuple[object, ...], bytes] = LruCache(256)
_COUNTED: LruCache[str, void_stats.StoreStatistics] = LruCache(4)
_SITEMAPS = PublicationCache(64)


def site() -> Site:
    return current_app.extensions["avoinkunta"]


@bp.get("/.well-known/void")
@bp.get("/.well-known/void.<ext>")
def void(ext: str | None = None) -> Response:
    s = site()
    publication = s.publication()

    def render(fmt: Format) -> bytes:
        variant = variant_key() if fmt is HTML else ()
        return _BODIES.get_or_create(
            (publication.build_id, "void", fmt.ext, *variant),
            lambda: _render_void(s, publication, fmt),
        )

    # Machine clients asking for anything get Turtle; browsers get the HTML summary.
    return serve("/.well-known/void", OFFERED, ext, render, publication.modified)


def void_graph(s: Site, publication: Publication) -> Graph:
    uris = s.uris
    g = new_graph(str(uris.vocab))
    g.bind("void", VOID)
    description = uris.page(".well-known/void")
    dataset = URIRef(f"{uris.page('catalog')}#offerings")  # the same IRI as in /catalog
    g.add((description, RDF.type, VOID.DatasetDescription))
    g.add((description, DCTERMS.title, Literal("VoID description of Avoin kunta", lang="en")))
    g.add((description, FOAF.primaryTopic, dataset))
    g.add((dataset, RDF.type, VOID.Dataset))
    g.add((dataset, RDF.type, DCAT.Dataset))
    g.add((dataset, DCTERMS.title, Literal("Avoin kunta -tarjooma", lang="fi")))
    g.add((dataset, DCTERMS.title, Literal("Avoin kunta offering", lang="en")))
    g.add(
        (
            dataset,
            DCTERMS.description,
            Literal(
                "Suomalaisten toimittajien kunnille tarjoamat avoimet tuotteet ja palvelut.",
                lang="fi",
            ),
        )
    )
    g.add(
        (
            dataset,
            DCTERMS.description,
            Literal(
                "Open products and services Finnish suppliers offer to municipalities.", lang="en"
            ),
        )
    )
    g.add((dataset, FOAF.homepage, uris.page("")))
    g.add((dataset, DCTERMS.license, EU_LICENCE.CC_BY_4_0))  # as the DCAT catalogue states
    g.add(
        (
            dataset,
            DCTERMS.modified,
            Literal(publication.modified.isoformat(timespec="seconds"), datatype=XSD.dateTime),
        )
    )
    g.add((dataset, VOID.uriSpace, Literal(f"{uris.base}id/")))
    g.add((dataset, VOID.sparqlEndpoint, uris.page("sparql")))
    g.add((dataset, VOID.rootResource, uris.page("catalog")))
    g.add((dataset, VOID.vocabulary, URIRef(str(uris.vocab))))
    for ns in (
        "http://www.w3.org/ns/dcat#",
        "http://purl.org/dc/terms/",
        "http://www.w3.org/ns/adms#",
        "http://www.w3.org/2004/02/skos/core#",
        "http://xmlns.com/foaf/0.1/",
        "http://schema.org/",
    ):
        g.add((dataset, VOID.vocabulary, URIRef(ns)))
    stats = statistics(s, publication)
    g.add((dataset, VOID.triples, Literal(stats.triples)))
    g.add((dataset, VOID.distinctSubjects, Literal(stats.distinct_subjects)))
    g.add((dataset, VOID.entities, Literal(stats.entities)))
    for cls, count in sorted(stats.classes.items()):
        partition = URIRef(f"{description}#class-{_fragment(cls, str(uris.vocab))}")
        g.add((dataset, VOID.classPartition, partition))
        g.add((partition, VOID["class"], URIRef(cls)))
        g.add((partition, VOID.entities, Literal(count)))
    examples = sorted(
        iri
        for iri, e in summaries(ledger_of(publication))
        if not e.removed and e.kind == "offering"
    )[:3]
    for iri in examples:
        g.add((dataset, VOID.exampleResource, URIRef(iri)))
    for name, dump in sorted(publication.manifest.get("dumps", {}).items()):
        url = uris.page(f"dumps/{name}")
        g.add((dataset, VOID.dataDump, url))
        g.add((url, DCAT.mediaType, Literal(dump["media_type"])))
        g.add((url, DCAT.byteSize, Literal(int(dump["bytes"]), datatype=XSD.nonNegativeInteger)))
    _add_feed(g, uris, dataset, publication)
    return g


def _add_feed(g: Graph, uris: UriScheme, dataset: URIRef, publication: Publication) -> None:
    """The change feed (/feed, federation's): the descriptions of the dataset's entities,
    one activity at a time (a DCAT-AP Feed, LDES 1.0)."""
    if publication.artefact("feed") is None:
        return
    feed = URIRef(f"{uris.page('feed')}#stream")
    g.add((dataset, VOID.subset, feed))
    g.add((feed, RDF.type, VOID.Dataset))
    g.add((feed, DCTERMS.title, Literal("Avoin kunta -rekisterin muutokset", lang="fi")))
    g.add((feed, DCTERMS.title, Literal("Changes to the Avoin kunta register", lang="en")))
    g.add((feed, VOID.rootResource, uris.page("feed")))
    g.add((feed, DCTERMS.conformsTo, URIRef("https://w3id.org/ldes/specification")))
    g.add(
        (
            feed,
            DCTERMS.conformsTo,
            URIRef("https://semiceu.github.io/LDES-DCAT-AP-feeds/index.html"),
        )
    )
    for fmt in ("TriG", "N-Quads", "JSON-LD"):
        g.add((feed, VOID.feature, URIRef(f"http://www.w3.org/ns/formats/{fmt}")))


def statistics(s: Site, publication: Publication) -> void_stats.StoreStatistics:
    """The publication's VoID figures: counted by the build (artefact ``void``); for a
    publication built before that artefact existed, counted once on first use."""
    folder = publication.artefact("void")
    if folder is not None:
        return void_stats.read(folder)
    return _COUNTED.get_or_create(
        str(publication.path), lambda: void_stats.count(s.store(), f"{s.uris.base}id/")
    )


def _fragment(iri: str, vocab: str) -> str:
    """A readable, unique fragment for a class partition: ``ak-Offering``, ``skos-Concept``."""
    namespaces = {"ak": vocab, **{p: str(ns) for p, ns in PREFIXES.items()}}
    for prefix, ns in namespaces.items():
        if iri.startswith(ns) and iri[len(ns) :].isalnum():
            return f"{prefix}-{iri[len(ns) :]}"
    return "".join(ch if ch.isalnum() else "-" for ch in iri)


def _render_void(s: Site, publication: Publication, fmt: Format) -> bytes:
    g = void_graph(s, publication)
    if fmt.is_rdf:
        return serialise(g, fmt)
    lang = page_language()
    dumps = publication.manifest.get("dumps", {})
    return render_page(
        "void.html",
        lang=lang,
        lens=Lens(g, lang, lambda iri: None),
        turtle=serialise(g, TURTLE).decode("utf-8"),
        stats=statistics(s, publication),
        uri_space=f"{s.uris.base}id/",
        dumps=dumps,
        modified=publication.modified.date().isoformat(),
        formats=[
            {
                "label": f.label,
                "href": f"{request.script_root}/.well-known/void.{f.ext}",
                "type": f.media_type,
            }
            for f in OFFERED
        ],
    ).encode("utf-8")


# URLs per sitemap file (the protocol allows 50,000): a larger publication's /sitemap.xml is
# a sitemap index of /sitemap.xml?page=1… each listing this many.
SITEMAP_PAGE = 10_000
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


@bp.get("/sitemap.xml")
def sitemap() -> Response:
    s = site()
    publication = s.publication()
    raw = request.args.get("page")
    number = None
    if raw is not None:
        if not raw.isascii() or not raw.isdigit() or len(raw) > 9 or int(raw) < 1:
            raise HttpError(400, f"page must be a positive whole number, not {raw[:40]!r}")
        number = int(raw)
    body = _SITEMAPS.get_or_create(
        publication.path,
        "sitemap",
        (SITEMAP_PAGE, number),
        lambda: _sitemap(s, publication, number),
    )
    response = Response(body, content_type="application/xml; charset=utf-8")
    return finish(
        response,
        request,
        body=body,
        last_modified=publication.modified,
        max_age=s.settings.cache_max_age,
        cors=True,
    )


def _sitemap(s: Site, publication: Publication, number: int | None) -> bytes:
    """The URL set (of page `number` when the publication needs several), or the index of
    the pages. The canonical URLs are under the base URI the publication mints (not
    whatever host name this request came in on, e.g. behind a proxy)."""
    root = s.uris.base.rstrip("/")
    modified = publication.modified.date().isoformat()
    index = s.site_index()
    total = sum(index.counts().get(kind, 0) for kind in KINDS) + 2
    pages = max(1, -(-total // SITEMAP_PAGE))
    if number is not None and number > pages:
        raise HttpError(404, f"sitemap page {number} does not exist; the last is {pages}")
    if number is None and pages > 1:
        entries = "".join(
            f"<sitemap><loc>{xml_escape(f'{root}/sitemap.xml?page={n}')}</loc>"
            f"<lastmod>{modified}</lastmod></sitemap>\n"
            for n in range(1, pages + 1)
        )
        return (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{SITEMAP_NS}">\n'
            + entries
            + "</sitemapindex>\n"
        ).encode("utf-8")
    start = ((number or 1) - 1) * SITEMAP_PAGE
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{SITEMAP_NS}">\n'
        + "".join(_url(loc, mod) for loc, mod in _urls(s, publication, start, SITEMAP_PAGE))
        + "</urlset>\n"
    ).encode("utf-8")


def _urls(s: Site, publication: Publication, start: int, size: int) -> Iterator[tuple[str, str]]:
    """The home page, every thing's document (offerings, suppliers, licences and every
    concept: what the site index lists, which is what the store describes) with its last
    modification from the ledger, and the vocabulary; from `start`, at most `size`."""
    root = s.uris.base.rstrip("/")
    modified = publication.modified.date().isoformat()
    space = f"{s.uris.base}id/"

    def every() -> Iterator[str | None]:  # an entity's IRI; None for the home page's
        yield None
        for entity in s.site_index().entities():
            yield entity.iri
        yield ""

    ledger = ledger_of(publication)
    # Sliced before the URLs are made, so a late page costs no more than the first.
    for iri in islice(every(), start, start + size):
        if iri is None:
            yield f"{root}/", modified
        elif iri == "":
            yield f"{root}/ontology", modified
        else:
            entry = ledger.summary(iri)
            changed = entry.modified if entry is not None else None
            yield f"{root}/doc/{iri[len(space) :]}", (changed or modified)[:10]


def _url(loc: str, modified: str) -> str:
    return (
        f"<url><loc>{xml_escape(loc)}</loc>"
        + (f"<lastmod>{xml_escape(modified)}</lastmod>" if modified else "")
        + "</url>\n"
    )


@bp.get("/robots.txt")
def robots() -> Response:
    root = site().uris.base.rstrip("/")
    body = (
        "User-agent: *\n"
        "Disallow: /sparql\n"  # queries are for people and programs, not crawlers
        "Disallow: /search\n"
        f"Sitemap: {root}/sitemap.xml\n"
    ).encode()
    response = Response(body, content_type="text/plain; charset=utf-8")
    s = site()
    return finish(
        response,
        request,
        body=body,
        last_modified=None,
        max_age=s.settings.cache_max_age,
        cors=False,
    )
