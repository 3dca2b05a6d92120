"""The vocabulary at its namespace: ``/ontology`` (HTML by pyLODE, Turtle, JSON-LD,
RDF/XML, N-Triples), ``/ontology.{ext}``, and ``/ontology/{version}[.ext]``.

Terms are hash IRIs (``/ontology#Supplier``); the HTML gives every term an anchor equal
to its local name, so they resolve in a browser.
"""

from __future__ import annotations

import functools
import hashlib
import re
import threading
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, render_template
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from publisher import reads
from publisher.formats import DOCUMENT_FORMATS, Format
from publisher.http import HttpError
from publisher.http.caching import LruCache, PublicationCache
from publisher.render.html import explicit_language, local_href, page_language
from publisher.render.rdf import serialise
from publisher.site import Site
from publisher.store import new_graph
from publisher.views.representations import serve

bp = Blueprint("vocabulary", __name__)

OFFERED: tuple[Format, ...] = DOCUMENT_FORMATS
VERSION_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")  # 1.0, 2026-11-26, 1.0.ttl
# Kept with the publication: pyLODE takes half a second (its page is the same in every
# process: see _bilingual_labels).
_BODIES = PublicationCache(64)
# The pages for people also across publications (in OUT/.web/cache/vocabulary), keyed by
# everything they are made of: a rebuild that leaves the vocabulary alone does not pay
# pyLODE's half second again.
_ACROSS = PublicationCache(16)
ACROSS_DIR = ".web"
_INPUTS: LruCache[tuple[str, str | None], str] = LruCache(16)
# pyLODE builds its page with dominate, whose document context is global state.
_PYLODE_LOCK = threading.Lock()


def site() -> Site:
    return current_app.extensions["avoinkunta"]


@bp.get("/ontology")
@bp.get("/ontology.<ext>")
def ontology(ext: str | None = None) -> Response:
    return _serve("/ontology", ext)


@bp.get("/ontology/<version>")
def version(version: str) -> Response:
    if not VERSION_NAME.match(version):
        raise HttpError(404, f"No vocabulary version {version[:40]!r} is published here.")
    stem, dot, ext = version.rpartition(".")
    name, ext_or_none = (stem, ext) if dot and ext.isalpha() else (version, None)
    graph = ontology_graph(site())
    current = _version(graph, site())
    if name not in _version_names(graph, site()):
        if site().publication().vocabulary_version(name) is not None:
            return _serve(f"/ontology/{name}", ext_or_none, archived=name)
        raise HttpError(
            404,
            f"Vocabulary version {name[:40]!r} is not published here; the current version "
            f"is {current!r} at {site().uris.base}ontology/{current}",
        )
    return _serve(f"/ontology/{name}", ext_or_none)


def _serve(path: str, ext: str | None, archived: str | None = None) -> Response:
    s = site()
    publication = s.publication()

    # The page follows ?lang= (and Accept-Language): labels in that language first.
    lang = page_language()

    def render(fmt: Format) -> bytes:
        key_lang = None if fmt.is_rdf else lang
        key = (path, fmt.ext, key_lang)

        def create() -> bytes:
            if fmt.is_rdf:
                return _render(s, fmt, archived, lang)
            inputs = (*key, explicit_language(), _inputs_digest(s, archived))
            return _ACROSS.get_or_create(
                s.out_dir / ACROSS_DIR,
                "vocabulary",
                inputs,
                lambda: _render(s, fmt, archived, lang),
            )

        return _BODIES.get_or_create(publication.path, "ontology", key, create)

    return serve(path, OFFERED, ext, render, publication.modified)


def _render(s: Site, fmt: Format, archived: str | None = None, lang: str = "en") -> bytes:
    graph = ontology_graph(s, archived)
    if fmt.is_rdf:
        return serialise(graph, fmt)
    # The vocabulary is in Finnish and English only: a Swedish page shows English first
    # and says so with lang="en" (the HTML lang names the language the text is in).
    text_lang = "fi" if lang == "fi" else "en"
    html = ontology_html(graph, s, text_lang)
    return re.sub(r"<html(?![^>]*\blang=)", f'<html lang="{text_lang}"', html, count=1).encode(
        "utf-8"
    )


def _inputs_digest(s: Site, archived: str | None) -> str:
    """A digest of what the vocabulary's page is made of besides the request: the
    vocabulary's triples (or the archived version's file), the concept schemes' labels,
    the base URI and the code that renders it (this module, its templates, pyLODE)."""
    publication = s.publication()

    def compute() -> str:
        digest = hashlib.sha256()
        for part in (s.settings.base_uri, _code_version(), archived or ""):
            digest.update(part.encode("utf-8") + b"\0")
        archive = publication.vocabulary_version(archived) if archived else None
        if archive is not None:
            digest.update(archive.read_bytes())
        else:
            graph = ox.NamedNode(str(s.uris.graph("vocabulary")))
            for line in sorted(str(q.triple) for q in s.store().quads(graph=graph)):
                digest.update(line.encode("utf-8") + b"\n")
        for row in reads.scheme_labels(s.store()):
            digest.update(repr(row).encode("utf-8") + b"\n")
        return digest.hexdigest()

    return _INPUTS.get_or_create((str(publication.path), archived), compute)


@functools.cache
def _code_version() -> str:
    from importlib.metadata import version

    digest = hashlib.sha256(version("pylode").encode("utf-8"))
    templates = Path(__file__).resolve().parent.parent / "templates" / "ontology"
    for path in (Path(__file__), *sorted(templates.glob("*.html"))):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def ontology_graph(s: Site, archived: str | None = None) -> Graph:
    """The ontology's own triples (not the concept schemes) from the vocabulary graph of the
    current publication, or from the archive of an earlier ``archived`` version."""
    prefix = str(s.uris.ontology)
    full = Graph()
    archive = s.publication().vocabulary_version(archived) if archived else None
    if archive is not None:
        full.parse(archive, format="nt")
    else:
        full = reads.graph_triples(s.store(), str(s.uris.graph("vocabulary")))
    graph = new_graph(str(s.uris.vocab))
    # Sorted, and popped from the end: the same order in every process (same bytes).
    todo: list[URIRef | BNode] = sorted(
        (x for x in set(full.subjects()) if isinstance(x, URIRef) and str(x).startswith(prefix)),
        reverse=True,
    )
    seen: set[object] = set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for p, o in full.predicate_objects(node):
            graph.add((node, p, o))
            if isinstance(o, BNode):
                todo.append(o)
    return graph


def _version_names(graph: Graph, s: Site) -> set[str]:
    """What /ontology/{version} accepts for the version served: owl:versionInfo, the last
    segment of owl:versionIRI, and the date of dct:modified (a dated version)."""
    names = {_version(graph, s)}
    version_iri = graph.value(s.uris.ontology, OWL.versionIRI)
    if version_iri is not None:
        names.add(str(version_iri).rstrip("/").rsplit("/", 1)[-1])
    modified = graph.value(s.uris.ontology, DCTERMS.modified)
    if modified is not None:
        names.add(str(modified)[:10])
    return names


def _version(graph: Graph, s: Site) -> str:
    info = graph.value(s.uris.ontology, OWL.versionInfo)
    return str(info) if info is not None else "current"


def ontology_html(graph: Graph, s: Site, lang: str = "en") -> str:
    """pyLODE's documentation page; our own plainer page if pyLODE fails (a broken
    release, or a read-only site-packages where it cannot write its cache)."""
    try:
        return pylode_html(graph, s, lang)
    except Exception:
        current_app.logger.exception("pyLODE failed; serving the plain vocabulary page")
        return plain_html(graph, s)


def plain_html(graph: Graph, s: Site) -> str:
    """Classes and properties with their fi/en labels, comments and alignments, each at
    an anchor equal to its local name."""
    namespace = str(s.uris.vocab)
    terms: dict[str, list[dict[str, object]]] = {"classes": [], "properties": []}
    for term in sorted({x for x in graph.subjects() if isinstance(x, URIRef)}):
        local = str(term)[len(namespace) :]
        if not str(term).startswith(namespace) or not local:
            continue
        group = "classes" if (term, RDF.type, OWL.Class) in graph else "properties"
        terms[group].append(
            {
                "iri": str(term),
                "local": local,
                "labels": _texts(graph, term, RDFS.label),
                "comments": _texts(graph, term, RDFS.comment),
                "related": sorted(
                    (graph.namespace_manager.normalizeUri(str(p)), str(o))
                    for p, o in graph.predicate_objects(term)
                    if isinstance(o, URIRef) and p not in (RDFS.isDefinedBy,)
                ),
            }
        )
    return render_template(
        "ontology/plain.html",
        title=str(graph.value(s.uris.ontology, DCTERMS.title) or "Avoin kunta"),
        iri=str(s.uris.ontology),
        terms=terms,
        bar=render_template(
            "ontology/_bar.html", formats=[(f.label, f"/ontology.{f.ext}") for f in OFFERED]
        ),
        schemes=render_template("ontology/_schemes.html", schemes=_schemes(s)),
    )


def pylode_html(graph: Graph, s: Site, lang: str = "en") -> str:
    """pyLODE's documentation page, with anchors at the terms' local names, a link bar and
    the concept schemes (which pyLODE's OWL profile does not show)."""
    from pylode import OntPub  # imported late: it loads its background ontologies

    namespace = str(s.uris.vocab)
    with _PYLODE_LOCK:
        doc = OntPub(_bilingual_labels(graph, lang))
        for term in {x for x in graph.subjects() if isinstance(x, URIRef)}:
            local = str(term)[len(namespace) :]
            if str(term).startswith(namespace) and re.fullmatch(r"[A-Za-z_][\w-]*", local):
                doc.fids[str(term)] = local  # pyLODE would use the (Finnish) label
        html = doc.make_html()
    extra = render_template("ontology/_schemes.html", schemes=_schemes(s))
    bar = render_template(
        "ontology/_bar.html", formats=[(f.label, f"/ontology.{f.ext}") for f in OFFERED]
    )
    # The link bar first, the concept schemes after the terms (before the namespaces).
    html = re.sub(r'(<div id="content">)', lambda m: m.group(1) + bar, html, count=1)
    return re.sub(r'(<div id="namespaces">)', lambda m: extra + m.group(1), html, count=1)


def _bilingual_labels(graph: Graph, first: str = "en") -> Graph:
    """pyLODE joins every label of a term without a separator ("SupplierToimittaja");
    give it one label per term, "English / suomi" (or "suomi / English" when ``first`` is
    fi), instead."""
    copy = Graph()
    for prefix, ns in graph.namespaces():
        copy.bind(prefix, ns)
    label_properties = {RDFS.label, DCTERMS.title, SKOS.prefLabel}
    # Added in sorted order: pyLODE walks the graph in the order its triples were added,
    # and rdflib's in-memory graph gives them back in an order that changes with Python's
    # hash seed, so unsorted the page came out different in every process.
    for triple in sorted(graph):
        if triple[1] not in label_properties:
            copy.add(triple)
    for subject, predicate in sorted({(s_, p) for s_, p, _ in graph if p in label_properties}):
        texts = {
            lit.language or "": str(lit)
            for lit in graph.objects(subject, predicate)
            if isinstance(lit, Literal)
        }
        order = ("fi", "en", "sv", "") if first == "fi" else ("en", "fi", "sv", "")
        ordered = [texts[k] for k in order if k in texts]
        ordered += [v for k, v in sorted(texts.items()) if k not in ("en", "fi", "sv", "")]
        joined = " / ".join(dict.fromkeys(ordered))
        copy.add((subject, predicate, Literal(joined, lang=first)))
    return copy


def _texts(graph: Graph, term: URIRef, predicate: URIRef) -> dict[str | None, str]:
    """The texts of `predicate` by language."""
    return {o.language: str(o) for o in graph.objects(term, predicate) if isinstance(o, Literal)}


def _schemes(s: Site) -> list[dict[str, Any]]:
    """Concept schemes with their top concepts, labels in fi and en."""
    schemes: dict[str, dict[str, Any]] = {}
    for row in reads.scheme_labels(s.store()):
        scheme, concept = row.scheme, row.concept
        entry = schemes.setdefault(
            scheme,
            {
                "iri": scheme,
                "href": local_href(scheme),
                "labels": {},
                "concepts": {},
            },
        )
        target = (
            entry
            if concept == scheme
            else entry["concepts"].setdefault(
                concept,
                {
                    "iri": concept,
                    "href": local_href(concept),
                    "labels": {},
                },
            )
        )
        target["labels"][row.lang] = row.label
    out = sorted(schemes.values(), key=lambda e: str(e["iri"]))
    for entry in out:
        entry["concepts"] = sorted(
            entry["concepts"].values(),
            key=lambda c: c["labels"].get("en", c["iri"]),
        )
    return out
