"""Things and their documents: ``/id/{kind}/{key}`` and ``/doc/{kind}/{key}[.ext]``.

A thing answers 303 to its document; the document negotiates HTML and four RDF formats.
A thing that was published and is gone answers 410 with a tombstone, a renamed key 301,
and an IRI never published 404 (see the ledger in publisher.ledger).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, request
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, RDF, RDFS, XSD, NamespaceManager

from publisher import reads
from publisher.catalog.ledgerfile import ledger_of
from publisher.catalog.triples import TripleSet
from publisher.formats import BY_EXT, DOCUMENT_FORMATS, HTML, Format
from publisher.http import HttpError, choose_format, redirect
from publisher.http.caching import LruCache, add_vary, finish, parse_timestamp, strong_etag
from publisher.namespaces import ADMS, ADMS_STATUS, PREFIXES
from publisher.publication import Publication
from publisher.render.html import (
    explicit_language,
    local_href,
    page_language,
    render_page,
    site_path,
    variant_key,
)
from publisher.render.lens import Lens, Link, is_web_url, terms_of
from publisher.render.rdf import serialise, write
from publisher.render.schemaorg import describe as schemaorg
from publisher.site import Site
from publisher.siteindex import Selection, SiteIndex, best_label
from publisher.store import ReadStore, new_graph
from publisher.uris import DOC_EXTENSIONS, UriScheme
from publisher.views.representations import not_acceptable

bp = Blueprint("resources", __name__)
# Templates and their imported macros (which do not see the render context) decide
# with this whether a value may become a link.
bp.add_app_template_global(is_web_url, "is_web_url")

# Rendered bodies per (build, path, format, language…); a publication never changes.
_RENDERED: LruCache[tuple[Any, ...], Rendered] = LruCache(2048)

# The class of each kind of thing, for tombstones (the thing itself is gone from the store).
KIND_CLASS = {
    "supplier": "Supplier",
    "offering": "Offering",
    "licence": "Licence",
    "layer": "ArchitectureLayer",
    "component": "ArchitectureComponent",
    "aspect": "OpennessAspect",
    "domain": "ServiceDomain",
    "phase": "DeliveryPhase",
    "route": "ProcurementRoute",
}


@dataclass(frozen=True)
class Rendered:
    body: bytes
    last_modified: datetime | None
    etag: str  # strong_etag(body, the format's content type): hashed once, not per request
    language: str | None = None


def site() -> Site:
    return current_app.extensions["avoinkunta"]


# --- routes --------------------------------------------------------------------------


@bp.get("/id/<kind>/<key>")
def thing(kind: str, key: str) -> Response:
    s = site()
    iri = _iri(s.uris, kind, key)
    if iri is not None and s.store().exists(iri):
        return _redirect(303, _doc_path(kind, key))
    return _not_current(s, kind, key, iri, ext=None)


@bp.get("/doc/<kind>/<key>")
def document(kind: str, key: str) -> Response:
    s = site()
    store = s.store()
    key, ext = _split_extension(s, store, kind, key)
    iri = _iri(s.uris, kind, key)
    if iri is None or not store.exists(iri):
        return _not_current(s, kind, key, iri, ext=ext)
    fmt = _format(ext)
    if fmt is None:
        raise _not_acceptable(kind, key)
    publication = s.publication()
    lang = page_language() if fmt is HTML else None
    # RDF depends only on the resource; HTML also on the request (see variant_key) and on
    # the page size of its lists (a setting: apps with other settings share this cache).
    variant = (s.settings.page_size, *variant_key()) if lang else ()
    cache_key = (publication.build_id, kind, key, fmt.ext, *variant)
    rendered = _RENDERED.get_or_create(
        cache_key, lambda: _render(s, publication, store, kind, key, iri, fmt, lang)
    )
    response = Response(rendered.body, content_type=fmt.content_type)
    _add_document_headers(response, kind, key, fmt)
    if rendered.language:
        response.headers["Content-Language"] = rendered.language
    return finish(
        response,
        request,
        body=rendered.body,
        last_modified=rendered.last_modified,
        max_age=s.settings.cache_max_age,
        cors=fmt.is_rdf,
        etag=rendered.etag,
    )


# --- rendering -----------------------------------------------------------------------


def _render(
    s: Site,
    publication: Publication,
    store: ReadStore,
    kind: str,
    key: str,
    iri: str,
    fmt: Format,
    lang: str | None,
) -> Rendered:
    vocab = str(s.uris.vocab)
    if fmt.is_rdf:  # from the store to bytes without rdflib
        triples = store.describe_triples(iri)
        document = ox.NamedNode(str(s.uris.doc(kind, key)))
        triples.append(ox.Triple(document, _PRIMARY_TOPIC, ox.NamedNode(iri)))
        body = write(triples, fmt, _namespaces(vocab))
        objects = {t.object.value for t in triples if isinstance(t.object, ox.NamedNode)}
        return Rendered(
            body, _last_modified(publication, objects, iri), strong_etag(body, fmt.content_type)
        )
    graph = _description(store, iri)
    subject = URIRef(iri)
    assert lang is not None
    related = _related(s, kind, key, lang)
    # (it reads objects(None, p) and adds: a TripleSet has both)
    reads.add_licence_facts(store, graph, vocab)  # type: ignore[arg-type]
    lens = Lens(graph, lang, local_href, _namespace_manager(vocab))
    html = render_page(
        f"kinds/{kind}.html",
        lang=lang,
        lens=lens,
        s=subject,
        kind=kind,
        key=key,
        ak=terms_of(vocab),
        related=related.links if related else [],
        related_types=related.types if related else {},
        related_via=related.via if related else {},
        listing=related,
        schemaorg=schemaorg(lens, subject, kind, vocab),
        formats=_format_links(kind, key),
        publication=publication,
    )
    # HTML shows other resources' data too (lists, labels): it changes with any change of
    # the published content.
    body = html.encode("utf-8")
    return Rendered(body, publication.modified, strong_etag(body, fmt.content_type), lang)


_PRIMARY_TOPIC = ox.NamedNode(str(FOAF.primaryTopic))


def _description(store: ReadStore, iri: str) -> TripleSet:
    """``store.describe(iri)`` as the page reads it: a TripleSet (the same triples, read
    in the same order as from rdflib's SimpleMemory store, without its bookkeeping)."""
    return TripleSet.of_description(*store.describe_parts(iri))


@functools.lru_cache(maxsize=8)
def _namespace_manager(vocab: str) -> NamespaceManager:
    """The prefixes of a description (`new_graph`), for the CURIEs of its data table."""
    return new_graph(vocab).namespace_manager


def _namespaces(vocab: str) -> dict[str, str]:
    return {**{p: str(ns) for p, ns in PREFIXES.items()}, "rdf": str(RDF), "ak": vocab}


# The facet of the site index that lists a page's offerings, by kind of page.
LISTED_BY = {
    "supplier": "supplier",
    "licence": "licence",
    "layer": "layer",
    "component": "component",
    "aspect": "aspect",
    "domain": "domain",
    "phase": "phase",
    "route": "route",
}


@dataclass(frozen=True)
class Listing:
    """One page of the offerings a supplier, licence or concept page lists (from the site
    index: bounded by the page size, whatever the size of the catalogue)."""

    links: list[Link]
    types: dict[str, str]  # offering IRI → "product" / "service"
    via: dict[str, list[Link]]  # offering IRI → the licence expressions it is listed through
    total: int
    number: int
    pages: list[dict[str, object]]  # links to the other pages (1…n), current marked
    all_href: str  # the same selection in /offerings


def _related(s: Site, kind: str, key: str, lang: str) -> Listing | None:
    facet = LISTED_BY.get(kind)
    if facet is None:
        return None
    number = _page_number()
    index = s.site_index()
    page = index.page(
        Selection.of(**{facet: key}),
        sort="name",
        lang=lang,
        number=number,
        size=s.settings.page_size,
    )
    if number > page.pages:
        raise HttpError(404, f"page {number} does not exist; the last page is {page.pages}")
    members = index.licences if kind == "licence" else {}
    links, types, via = [], {}, {}
    for card in page.cards:
        offering = str(s.uris.thing("offering", card["key"]))
        title = best_label(card["title"], lang, fallback=card["key"])
        links.append(
            Link(
                offering, local_href(offering) or offering, title.text, True, title.other_than(lang)
            )
        )
        types[offering] = card.get("type") or "product"
        used = [card.get("licence"), *(part.get("licence") for part in card.get("parts") or [])]
        through = sorted(
            {u for u in used if u and u != key and key in members.get(u, {}).get("members", [])}
        )
        if through:
            via[offering] = [_licence_link(s, index, u, lang) for u in through]
    return Listing(
        links=links,
        types=types,
        via=via,
        total=page.total,
        number=number,
        pages=[
            {"number": n, "href": site_path(request.path, page=str(n)), "current": n == number}
            for n in range(1, page.pages + 1)
        ]
        if page.pages > 1
        else [],
        all_href=site_path("/offerings", **{facet: key}),
    )


def _licence_link(s: Site, index: SiteIndex, key: str, lang: str) -> Link:
    iri = str(s.uris.thing("licence", key))
    label = index.label("licence", key, lang)
    return Link(iri, local_href(iri) or iri, label.text, True, label.other_than(lang))


def _page_number() -> int:
    raw = request.args.get("page")
    if raw is None or raw == "":
        return 1
    if not raw.isascii() or not raw.isdigit() or len(raw) > 9 or int(raw) < 1:
        raise HttpError(400, f"page must be a positive whole number, not {raw[:40]!r}")
    return int(raw)


def _last_modified(publication: Publication, objects: set[str], iri: str) -> datetime:
    """When the description last changed: the latest `modified` in the ledger of the
    thing and of every published thing it shows a label of (`objects`); when the published content
    last changed otherwise."""
    ledger = ledger_of(publication)
    found_in = (ledger.summary(node) for node in {iri, *objects})
    stamps = [parse_timestamp(entry.modified) for entry in found_in if entry is not None]
    found = [stamp for stamp in stamps if stamp is not None]
    return max(found) if found else publication.modified


# --- lifecycle: 410, 301, 404 --------------------------------------------------------


def _not_current(s: Site, kind: str, key: str, iri: str | None, ext: str | None) -> Response:
    entry = ledger_of(s.publication()).get(iri) if iri else None
    if entry and entry.get("renamed_to"):
        target = s.uris.parse(entry["renamed_to"])
        if target is not None:
            if request.path.startswith(f"{request.script_root}/id/"):
                return _redirect(301, _id_path(*target))
            return _redirect(301, _doc_path(*target, ext=ext))
    if entry and entry.get("removed"):
        return _tombstone(s, kind, key, iri or "", entry, ext)
    raise not_found(key)


def _tombstone(
    s: Site, kind: str, key: str, iri: str, entry: dict[str, Any], ext: str | None
) -> Response:
    fmt = _format(ext)
    if fmt is None:
        fmt = HTML
    graph = tombstone_graph(s.uris, iri, kind, entry)
    if fmt.is_rdf:
        body = serialise(graph, fmt)
    else:
        lang = page_language()
        lens = Lens(graph, lang, local_href)
        replaced = entry.get("replaced_by")
        body = render_page(
            "tombstone.html",
            lang=lang,
            lens=lens,
            s=URIRef(iri),
            kind=kind,
            key=key,
            entry=entry,
            label=_ledger_label(entry, lang) or key,
            reason=lens.text(URIRef(iri), RDFS.comment),
            replaced_by=lens.link(URIRef(replaced)) if replaced else None,
            formats=_format_links(kind, key),
        ).encode("utf-8")
    response = Response(body, status=410, content_type=fmt.content_type)
    _add_document_headers(response, kind, key, fmt)
    return finish(
        response,
        request,
        body=body,
        last_modified=None,
        max_age=s.settings.cache_max_age,
        cors=fmt.is_rdf,
    )


def tombstone_graph(uris: UriScheme, iri: str, kind: str, entry: dict[str, Any]) -> Graph:
    """What the thing was, when it was removed and what replaces it, as RDF."""
    graph = new_graph(str(uris.vocab))
    graph.bind("prov", PROV)
    s = URIRef(iri)
    if kind in KIND_CLASS:
        graph.add((s, RDF.type, uris.vocab[KIND_CLASS[kind]]))
    graph.add((s, DCTERMS.identifier, Literal(entry.get("key") or "")))
    for lang, text in sorted((entry.get("label") or {}).items()):
        graph.add((s, RDFS.label, Literal(text, lang=lang or None)))
    graph.add((s, ADMS.status, ADMS_STATUS.Withdrawn))
    removed = entry.get("removed")
    if removed:
        graph.add((s, PROV.invalidatedAtTime, _datetime_literal(removed)))
    if entry.get("first_published"):
        graph.add((s, DCTERMS.issued, _datetime_literal(entry["first_published"])))
    if entry.get("modified"):
        graph.add((s, DCTERMS.modified, _datetime_literal(entry["modified"])))
    for prop, field in (
        (DCTERMS.isReplacedBy, "replaced_by"),
        (DCTERMS.isReplacedBy, "renamed_to"),
    ):
        if entry.get(field):
            graph.add((s, prop, URIRef(entry[field])))
    reason = entry.get("reason")
    if isinstance(reason, dict):
        for lang, text in sorted(reason.items()):
            graph.add((s, RDFS.comment, Literal(str(text), lang=lang or None)))
    elif reason:
        graph.add((s, RDFS.comment, Literal(str(reason))))
    return graph


def not_found(key: str | None = None) -> HttpError:
    """404 for an address where nothing was ever published (the site's search page,
    pre-filled with the key, for a browser)."""
    return HttpError(
        404,
        f"Nothing has ever been published at this address; search: {request.script_root}/search?q=",
        query=key or "",
    )


# --- negotiation and headers ---------------------------------------------------------


def _format(ext: str | None) -> Format | None:
    if ext:
        return BY_EXT[ext]
    return choose_format(DOCUMENT_FORMATS)


def _not_acceptable(kind: str, key: str) -> HttpError:
    return not_acceptable(
        [(f.media_type, _doc_path(kind, key, ext=f.ext)) for f in DOCUMENT_FORMATS],
        headers={"Link": _alternates(kind, key, None)},
    )


def _add_document_headers(response: Response, kind: str, key: str, fmt: Format) -> None:
    add_vary(response, "Accept")
    if fmt is HTML and not explicit_language():
        add_vary(response, "Accept-Language")
    location, link = _document_headers(site().uris, request.script_root, kind, key, fmt)
    response.headers["Content-Location"] = location
    response.headers["Link"] = link


@functools.lru_cache(maxsize=2048)
def _document_headers(
    uris: UriScheme, root: str, kind: str, key: str, fmt: Format
) -> tuple[str, str]:
    """A document's Content-Location and Link headers, made once per document and format
    (a request of a kept document would make them anew: six paths quoted)."""
    return _doc_path(kind, key, ext=fmt.ext), _alternates(kind, key, fmt)


def _alternates(kind: str, key: str, fmt: Format | None) -> str:
    return ", ".join(
        f'<{_doc_path(kind, key, ext=other.ext)}>; rel="alternate"; type="{other.media_type}"'
        for other in DOCUMENT_FORMATS
        if other is not fmt
    )


def _format_links(kind: str, key: str) -> list[dict[str, str]]:
    return [
        {"label": f.label, "href": _doc_path(kind, key, ext=f.ext), "type": f.media_type}
        for f in DOCUMENT_FORMATS
    ]


# --- paths ---------------------------------------------------------------------------


def _iri(uris: UriScheme, kind: str, key: str) -> str | None:
    try:
        return str(uris.thing(kind, key))
    except ValueError:
        return None


def _split_extension(s: Site, store: ReadStore, kind: str, key: str) -> tuple[str, str | None]:
    """``EUPL-1.2.ttl`` → (``EUPL-1.2``, ``ttl``), unless the whole key is itself a thing."""
    stem, dot, ext = key.rpartition(".")
    if not dot or ext not in DOC_EXTENSIONS:
        return key, None
    whole = _iri(s.uris, kind, key)
    if whole is not None and (store.exists(whole) or whole in ledger_of(s.publication())):
        return key, None
    return stem, ext


def _doc_path(kind: str, key: str, ext: str | None = None) -> str:
    uris = site().uris
    doc = str(uris.doc(kind, key, ext))
    return request.script_root + "/" + doc[len(uris.base) :]


def _id_path(kind: str, key: str) -> str:
    uris = site().uris
    return request.script_root + "/" + str(uris.thing(kind, key))[len(uris.base) :]


def _redirect(status: int, path: str) -> Response:
    return redirect(status, path, max_age=site().settings.cache_max_age)


def _ledger_label(entry: dict[str, Any], lang: str) -> str | None:
    labels = entry.get("label") or {}
    for code in (lang, "fi", "en", ""):
        if labels.get(code):
            return str(labels[code])
    return next(iter(labels.values()), None)


def _datetime_literal(value: str) -> Literal:
    if "T" in value:
        return Literal(value, datatype=XSD.dateTime)
    return Literal(value, datatype=XSD.date)
