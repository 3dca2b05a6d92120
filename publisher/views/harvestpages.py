"""People's views of the machine interfaces: what a harvester receives from ``/catalog`` and
``/catalog/adms`` (one page of it, as HTML: datasets or assets, distributions, licence,
contact, last modified, page links) with a ready-to-paste ckanext-dcat harvest source, and
the list of ``/dumps/`` (files, formats, sizes, checksums). Browsers get these; machines
still get RDF and JSON (the views in catalog.py and dumps.py decide)."""

from __future__ import annotations

import json
from typing import Any

from flask import Response, current_app, request
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF

from publisher.caching import add_vary, finish
from publisher.namespaces import ADMS, DCAT, HYDRA, SPDX, VCARD
from publisher.negotiation import RDF_FORMATS, negotiate
from publisher.render.discovery_text import format_count, plural
from publisher.render.html import page_language, render_page
from publisher.render.lang import pick
from publisher.render.turtlegraph import TurtleGraph
from publisher.site import Site

HTML_AND_RDF = ["text/turtle", "text/html", *(f.media_type for f in RDF_FORMATS[1:])]

WORDS: dict[str, dict[str, str]] = {
    "catalogue_view": {
        "fi": "Mitä haravoija saa",
        "sv": "Vad en skördare får",
        "en": "What a harvester receives",
    },
    "catalogue_view_intro": {
        "fi": "Tämä sivu näyttää ihmiselle saman, minkä ohjelma saa tästä osoitteesta "
        "RDF-muodossa. Ohjelmat saavat RDF:n edelleen (Accept-otsake tai tiedostopääte).",
        "sv": "Sidan visar för människor samma sak som ett program får från adressen i "
        "RDF. Program får fortfarande RDF (Accept-huvud eller filändelse).",
        "en": "This page shows people what a program receives from this address as RDF. "
        "Programs still get RDF (Accept header or file extension).",
    },
    "distributions": {"fi": "Jakelut", "sv": "Distributioner", "en": "Distributions"},
    "licence": {"fi": "Lisenssi", "sv": "Licens", "en": "Licence"},
    "contact": {"fi": "Yhteystiedot", "sv": "Kontakt", "en": "Contact"},
    "modified": {"fi": "Muutettu", "sv": "Ändrad", "en": "Last modified"},
    "publisher": {"fi": "Julkaisija", "sv": "Utgivare", "en": "Publisher"},
    "format": {"fi": "Muoto", "sv": "Format", "en": "Format"},
    "size": {"fi": "Koko", "sv": "Storlek", "en": "Size"},
    "checksum": {
        "fi": "Tarkistussumma (SHA-256)",
        "sv": "Kontrollsumma (SHA-256)",
        "en": "Checksum (SHA-256)",
    },
    "pages": {"fi": "Sivut", "sv": "Sidor", "en": "Pages"},
    "next": {"fi": "Seuraava sivu", "sv": "Nästa sida", "en": "Next page"},
    "previous": {"fi": "Edellinen sivu", "sv": "Föregående sida", "en": "Previous page"},
    "first": {"fi": "Ensimmäinen", "sv": "Första", "en": "First"},
    "last": {"fi": "Viimeinen", "sv": "Sista", "en": "Last"},
    "as_rdf": {"fi": "Sama RDF-muodossa", "sv": "Samma i RDF", "en": "The same as RDF"},
    "ckan_title": {
        "fi": "Haravointilähde CKANiin (ckanext-dcat)",
        "sv": "Skördekälla för CKAN (ckanext-dcat)",
        "en": "Harvest source for CKAN (ckanext-dcat)",
    },
    "ckan_intro": {
        "fi": "Lisää lähde CKANin haravointiin (ckanext-harvest ja ckanext-dcat): lähteen "
        "tyyppi DCAT RDF Harvester, osoite ja asetukset alla. Haravoija seuraa sivuja "
        "(hydra:next) itse.",
        "sv": "Lägg till källan i CKAN:s skördning (ckanext-harvest och ckanext-dcat): "
        "källtyp DCAT RDF Harvester, adress och inställningar nedan. Skördaren följer "
        "sidorna (hydra:next) själv.",
        "en": "Add the source to CKAN's harvesting (ckanext-harvest with ckanext-dcat): "
        "source type DCAT RDF Harvester, with the URL and configuration below. The "
        "harvester follows the pages (hydra:next) itself.",
    },
    "dumps_title": {"fi": "Lataukset", "sv": "Nedladdningar", "en": "Downloads"},
    "dumps_intro": {
        "fi": "Koko julkaisu tiedostoina eri RDF-muodoissa. Tarkistussummalla voit "
        "varmistaa, että tiedosto latautui ehjänä.",
        "sv": "Hela publiceringen som filer i olika RDF-format. Med kontrollsumman kan du "
        "kontrollera att filen laddades ner hel.",
        "en": "The whole publication as files in several RDF formats. The checksum lets you "
        "check that a file arrived whole.",
    },
    "file": {"fi": "Tiedosto", "sv": "Fil", "en": "File"},
    "media_type": {"fi": "Mediatyyppi", "sv": "Medietyp", "en": "Media type"},
    "build": {"fi": "Julkaisu", "sv": "Publicering", "en": "Publication"},
    "as_json": {"fi": "Luettelo JSON-muodossa", "sv": "Listan i JSON", "en": "This list as JSON"},
    "entries": {"fi": "Kohteet", "sv": "Poster", "en": "Entries"},
}


def words(lang: str) -> Any:
    def d(key: str, **values: Any) -> str:
        entry = WORDS[key]
        text = entry.get(lang) or entry["en"]
        return text.format(**values) if values else text

    return d


def prefers_html() -> bool:
    """Does the client (a browser) rank HTML above the RDF formats?"""
    if request.args.get("format"):
        return request.args.get("format") == "html"
    accept = request.headers.get("Accept")
    if not accept:
        return False
    chosen = negotiate(accept, HTML_AND_RDF, None, "text/turtle")
    return chosen == "text/html"


# rdflib's namespaces look an attribute up in Python on every read: the terms read
# per entry, once.
_ADMS_Asset = ADMS.Asset
_DCAT_Catalog = DCAT.Catalog
_DCAT_DataService = DCAT.DataService
_DCAT_Dataset = DCAT.Dataset
_DCAT_accessURL = DCAT.accessURL
_DCAT_byteSize = DCAT.byteSize
_DCAT_contactPoint = DCAT.contactPoint
_DCAT_distribution = DCAT.distribution
_DCAT_downloadURL = DCAT.downloadURL
_DCAT_landingPage = DCAT.landingPage
_DCAT_mediaType = DCAT.mediaType
_DCTERMS_description = DCTERMS.description
_DCTERMS_format = DCTERMS.format
_DCTERMS_license = DCTERMS.license
_DCTERMS_modified = DCTERMS.modified
_DCTERMS_publisher = DCTERMS.publisher
_DCTERMS_title = DCTERMS.title
_FOAF_name = FOAF.name
_HYDRA_PartialCollectionView = HYDRA.PartialCollectionView
_HYDRA_first = HYDRA.first
_HYDRA_last = HYDRA.last
_HYDRA_next = HYDRA.next
_HYDRA_previous = HYDRA.previous
_RDF_type = RDF.type
_SPDX_checksum = SPDX.checksum
_SPDX_checksumValue = SPDX.checksumValue
_VCARD_fn = VCARD.fn
_VCARD_hasEmail = VCARD.hasEmail
_VCARD_hasURL = VCARD.hasURL


PageGraph = Graph | TurtleGraph


def _texts(graph: PageGraph, node: Any, predicate: URIRef, lang: str) -> dict[str, Any] | None:
    lit = pick((o for o in graph.objects(node, predicate) if isinstance(o, Literal)), lang)
    if lit is None:
        return None
    tag = getattr(lit, "language", None)
    return {"text": str(lit), "lang": tag if tag and tag != lang else None}


def _entry(graph: PageGraph, node: Any, lang: str) -> dict[str, Any]:
    distributions = []
    for dist in sorted(graph.objects(node, _DCAT_distribution), key=str):
        checksum = next(iter(graph.objects(dist, _SPDX_checksum)), None)
        value = graph.value(checksum, _SPDX_checksumValue) if checksum is not None else None
        distributions.append(
            {
                "title": _texts(graph, dist, _DCTERMS_title, lang),
                "url": str(
                    graph.value(dist, _DCAT_downloadURL) or graph.value(dist, _DCAT_accessURL) or ""
                ),
                "media_type": str(graph.value(dist, _DCAT_mediaType) or "").rsplit("/", 2)[-2:],
                "format": str(graph.value(dist, _DCTERMS_format) or "").rsplit("/", 1)[-1],
                "bytes": graph.value(dist, _DCAT_byteSize),
                "checksum": str(value) if value is not None else None,
            }
        )
    contacts = []
    for contact in graph.objects(node, _DCAT_contactPoint):
        name = _texts(graph, contact, _VCARD_fn, lang)
        email = graph.value(contact, _VCARD_hasEmail)
        url = graph.value(contact, _VCARD_hasURL)
        contacts.append(
            {"name": name, "email": str(email) if email else None, "url": str(url) if url else None}
        )
    publisher = graph.value(node, _DCTERMS_publisher)
    return {
        "iri": str(node),
        "types": sorted(
            graph.namespace_manager.normalizeUri(str(t)) for t in graph.objects(node, _RDF_type)
        ),
        "title": _texts(graph, node, _DCTERMS_title, lang) or {"text": str(node), "lang": None},
        "description": _texts(graph, node, _DCTERMS_description, lang),
        "modified": graph.value(node, _DCTERMS_modified),
        "licence": [str(x) for x in graph.objects(node, _DCTERMS_license)],
        "publisher": (
            _texts(graph, publisher, _FOAF_name, lang) if publisher is not None else None
        ),
        "contacts": contacts,
        "distributions": distributions,
        "landing": str(graph.value(node, _DCAT_landingPage) or "") or None,
    }


def catalogue_response(site: Site, body: bytes) -> Response:
    """The response of a catalogue page's HTML ``body`` (see `catalogue_body`)."""
    return _html(site, body, page_language())


def catalogue_body(site: Site, which: str, path: str, graph: PageGraph) -> bytes:
    """The HTML of one page of /catalog or /catalog/adms: a function of ``graph`` (the
    page's Turtle) and of the request's variant (publisher.render.html.variant_key)."""
    lang = page_language()
    catalog_types = (_DCAT_Catalog,)
    entry_types = (
        (_DCAT_Dataset, _DCAT_DataService, _ADMS_Asset)
        if which == "adms"
        else (
            _DCAT_Dataset,
            _DCAT_DataService,
        )
    )
    catalogues = [
        _entry(graph, c, lang)
        for t in catalog_types
        for c in sorted(graph.subjects(_RDF_type, t), key=str)
    ]
    seen: set[str] = set()
    entries = []
    for t in entry_types:
        for node in sorted(graph.subjects(_RDF_type, t), key=str):
            if str(node) not in seen and isinstance(node, URIRef):
                seen.add(str(node))
                entries.append(_entry(graph, node, lang))
    views = list(graph.subjects(_RDF_type, _HYDRA_PartialCollectionView))
    pages = {}
    if views:
        view = views[0]
        for name, predicate in (
            ("first", _HYDRA_first),
            ("previous", _HYDRA_previous),
            ("next", _HYDRA_next),
            ("last", _HYDRA_last),
        ):
            target = graph.value(view, predicate)
            if target is not None:
                pages[name] = str(target).replace(
                    site.settings.base_uri, f"{request.script_root}/", 1
                )
    url = str(site.uris.page(path))
    config = json.dumps({"rdf_format": "text/turtle"})
    body = render_page(
        "discovery/catalogue.html",
        lang=lang,
        which=which,
        url=url,
        catalogues=catalogues,
        entries=entries,
        pages=pages,
        rdf=[(f.label, f.media_type, f"{request.script_root}/{path}.{f.ext}") for f in RDF_FORMATS],
        ckan_config=config,
        ckan_command=(
            "ckanapi action harvest_source_create name=avoinkunta "
            f'title="Avoin kunta" url={url} source_type=dcat_rdf '
            f"frequency=DAILY config='{config}'"
        ),
        total=plural("n_datasets", len(entries), lang),
        d=words(lang),
        fmt=lambda n: format_count(int(n), lang),
    ).encode("utf-8")
    return body


def dumps_page(site: Site) -> Response:
    lang = page_language()
    publication = site.publication()
    files = [
        {"name": name, **entry} for name, entry in sorted(publication.manifest["dumps"].items())
    ]
    body = render_page(
        "discovery/dumps.html",
        lang=lang,
        files=files,
        build_id=publication.build_id,
        built_at=publication.built_at,
        total=plural("n_files", len(files), lang),
        d=words(lang),
        fmt=lambda n: format_count(int(n), lang),
    ).encode("utf-8")
    return _html(site, body, lang)


def _html(site: Site, body: bytes, lang: str) -> Response:
    response = Response(body, mimetype="text/html")
    response.headers["Content-Language"] = lang
    add_vary(response, "Accept", "Accept-Language")
    return finish(
        response,
        request,
        body=body,
        last_modified=site.publication().modified,
        max_age=site.settings.cache_max_age,
        cors=False,
    )


def current_site() -> Site:
    return current_app.extensions["avoinkunta"]
