"""For crawlers and harvesters: ``/.well-known/void`` (VoID), ``/sitemap.xml``, ``/robots.txt``."""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape as xml_escape

from flask import Blueprint, Response, current_app, request
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, VOID, XSD

from publisher.caching import LruCache, finish
from publisher.namespaces import DCAT, EU_LICENCE, PREFIXES
from publisher.negotiation import HTML, JSONLD, NTRIPLES, RDFXML, TURTLE, Format
from publisher.publication import Publication
from publisher.render.html import page_language, render_page
from publisher.render.lens import Lens
from publisher.render.rdf import serialise
from publisher.site import Site
from publisher.store import ReadStore, new_graph
from publisher.uris import UriScheme
from publisher.views.representations import serve

bp = Blueprint("wellknown", __name__)

OFFERED: tuple[Format, ...] = (TURTLE, JSONLD, RDFXML, NTRIPLES, HTML)
_BODIES: LruCache[tuple[str, ...], bytes] = LruCache(32)


def site() -> Site:
    return current_app.extensions["avoinkunta"]


@bp.get("/.well-known/void")
@bp.get("/.well-known/void.<ext>")
def void(ext: str | None = None) -> Response:
    s = site()
    publication = s.publication()

    def render(fmt: Format) -> bytes:
        lang = page_language() if fmt is HTML else ""
        return _BODIES.get_or_create(
            (publication.build_id, "void", fmt.ext, lang, request.script_root),
            lambda: _render_void(s, publication, fmt),
        )

    # Machine clients asking for anything get Turtle; browsers get the HTML summary.
    return serve("/.well-known/void", OFFERED, ext, render, publication.built_at)


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
            Literal(publication.built_at.isoformat(timespec="seconds"), datatype=XSD.dateTime),
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
    stats = store_statistics(s.store(), f"{uris.base}id/")
    g.add((dataset, VOID.triples, Literal(stats.triples)))
    g.add((dataset, VOID.distinctSubjects, Literal(stats.distinct_subjects)))
    g.add((dataset, VOID.entities, Literal(len(stats.entities))))
    for cls, count in sorted(stats.classes.items()):
        partition = URIRef(f"{description}#class-{_fragment(cls, str(uris.vocab))}")
        g.add((dataset, VOID.classPartition, partition))
        g.add((partition, VOID["class"], URIRef(cls)))
        g.add((partition, VOID.entities, Literal(count)))
    live = {iri: e for iri, e in publication.ledger.items() if not e.get("removed")}
    examples = sorted(iri for iri, e in live.items() if e.get("kind") == "offering")[:3]
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


@dataclass(frozen=True)
class StoreStatistics:
    """What VoID states about the data, counted in the store the site serves."""

    triples: int
    distinct_subjects: int  # IRIs and blank nodes, as void:distinctSubjects counts them
    entities: tuple[str, ...]  # IRIs under void:uriSpace that are subjects (sorted)
    classes: dict[str, int]  # class IRI → entities of that class


def store_statistics(store: ReadStore, uri_space: str) -> StoreStatistics:
    def number(query: str) -> int:
        return int(next(iter(store.query(query)))["n"].value)

    # uri_space comes from the settings (a validated base URI), never from a request.
    in_space = f'FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{uri_space}"))'
    entities = tuple(
        sorted(
            r["s"].value for r in store.query(f"SELECT DISTINCT ?s WHERE {{ ?s ?p ?o {in_space} }}")
        )
    )
    classes = {
        r["c"].value: int(r["n"].value)
        for r in store.query(
            f"SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a ?c {in_space} }} GROUP BY ?c"
        )
    }
    return StoreStatistics(
        triples=number("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"),
        distinct_subjects=number("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }"),
        entities=entities,
        classes=classes,
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
    if fmt.rdflib_name is not None:
        return serialise(g, fmt)
    lang = page_language()
    dumps = publication.manifest.get("dumps", {})
    return render_page(
        "void.html",
        lang=lang,
        lens=Lens(g, lang, lambda iri: None),
        turtle=serialise(g, TURTLE).decode("utf-8"),
        stats=store_statistics(s.store(), f"{s.uris.base}id/"),
        uri_space=f"{s.uris.base}id/",
        dumps=dumps,
        manifest=publication.manifest,
        formats=[
            {
                "label": f.label,
                "href": f"{request.script_root}/.well-known/void.{f.ext}",
                "type": f.media_type,
            }
            for f in OFFERED
        ],
    ).encode("utf-8")


@bp.get("/sitemap.xml")
def sitemap() -> Response:
    s = site()
    publication = s.publication()
    # The canonical URLs, under the base URI the publication mints (not whatever host
    # name this request came in on, e.g. behind a proxy).
    root = s.uris.base.rstrip("/")
    built = publication.built_at.date().isoformat()
    urls = [(f"{root}/", built)]
    # Every thing the store describes (offerings, suppliers, licences and every concept),
    # not only what the ledger tracks; lastmod from the ledger where it knows one.
    space = f"{s.uris.base}id/"
    for iri in store_statistics(s.store(), space).entities:
        entry = publication.ledger.get(iri) or {}
        path = "doc/" + iri[len(space) :]
        urls.append((f"{root}/{path}", (entry.get("modified") or built)[:10]))
    urls.append((f"{root}/ontology", publication.built_at.date().isoformat()))
    items = "".join(
        f"<url><loc>{xml_escape(loc)}</loc>"
        + (f"<lastmod>{xml_escape(mod)}</lastmod>" if mod else "")
        + "</url>\n"
        for loc, mod in urls
    )
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + items + "</urlset>\n"
    ).encode("utf-8")
    response = Response(body, mimetype="application/xml")
    return finish(
        response,
        request,
        body=body,
        last_modified=publication.built_at,
        max_age=s.settings.cache_max_age,
        cors=True,
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
    response = Response(body, mimetype="text/plain")
    s = site()
    return finish(
        response,
        request,
        body=body,
        last_modified=None,
        max_age=s.settings.cache_max_age,
        cors=False,
    )
