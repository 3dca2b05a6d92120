"""``/catalog`` (DCAT-AP 3.0.1) and ``/catalog/adms`` (ADMS-AP): the harvest interfaces.

``?page=N`` (size: setting ``page_size``, or ``?page_size=`` up to 500) and
``?modified_since=ISO-8601`` select what to send; the format comes from the extension
(``/catalog.ttl``, ``.rdf``, ``.jsonld``, ``.nt``), ``?format=``, or ``Accept``. With no
preference (ckanext-dcat sends ``*/*``) a harvester gets Turtle. ``/catalog.html`` is a
page for people about both interfaces (the site footer links it).
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, request

from publisher.caching import finish
from publisher.catalog import BadTimestamp, Context, PageOutOfRange, build_page, parse_since
from publisher.negotiation import BY_EXT, RDF_FORMATS, Format, format_from_param, negotiate
from publisher.render.html import explicit_language, page_language, render_page
from publisher.site import Site
from publisher.views.harvestpages import catalogue_page, prefers_html
from publisher.views.representations import not_acceptable

bp = Blueprint("catalog", __name__)

MAX_PAGE_SIZE = 500
RDF_EXTENSIONS = tuple(f.ext for f in RDF_FORMATS)


@bp.get("/catalog", defaults={"ext": None})
@bp.get("/catalog.<ext>")
def dcat(ext: str | None) -> Response:
    return _serve("dcat", "catalog", ext)


@bp.get("/catalog/adms", defaults={"ext": None})
@bp.get("/catalog/adms.<ext>")
def adms(ext: str | None) -> Response:
    return _serve("adms", "catalog/adms", ext)


def _serve(which: str, path: str, ext: str | None) -> Response:
    site = current_app.extensions["avoinkunta"]
    if ext == "html":
        return _harvest_page(site)
    # A browser asking for the catalogue gets the page a harvester receives, as HTML.
    as_page = ext is None and prefers_html()
    fmt = BY_EXT["ttl"] if as_page else _format(ext)
    if fmt is None:
        offered = [(f.media_type, f"{site.uris.page(path)}.{f.ext}") for f in RDF_FORMATS]
        response = not_acceptable(offered)
        # People who asked for a page are pointed at the one about these interfaces.
        response.headers["Link"] = (
            f'<{request.script_root}/catalog.html>; rel="alternate"; type="text/html"'
        )
        return response
    try:
        since = parse_since(request.args.get("modified_since"))
    except BadTimestamp as exc:
        abort(400, str(exc))
    number = _int_arg("page", 1)
    size = min(_int_arg("page_size", site.settings.page_size), MAX_PAGE_SIZE)
    publication = site.publication()
    ctx = Context(
        uris=site.uris,
        store=site.store(),
        built_at=publication.built_at,
        manifest=publication.manifest,
        ledger=publication.ledger,
    )
    # Page links keep the extension the client used, so a harvester stays in one format.
    suffix = f".{ext}" if ext else ""
    base_url = f"{site.uris.page(path)}{suffix}"
    try:
        result = build_page(
            ctx,
            which,
            number=number,
            size=size,
            since=since,
            base_url=base_url,
            size_in_links="page_size" in request.args,
        )
    except PageOutOfRange as exc:
        abort(404, str(exc))
    if as_page:
        return catalogue_page(site, which, path, result.graph)
    body = result.graph.serialize(format=fmt.rdflib_name, encoding="utf-8")
    response = Response(body, mimetype=fmt.media_type)
    if fmt.media_type.startswith("text/"):
        response.headers["Content-Type"] = f"{fmt.media_type}; charset=utf-8"
    if ext is None:
        response.headers["Vary"] = "Accept"
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = f"public, max-age={site.settings.cache_max_age}"
    response.headers["Last-Modified"] = publication.built_at.strftime("%a, %d %b %Y %H:%M:%S GMT")
    # The same page in every format (the query, hence the page, is kept).
    plain = site.uris.page(path)
    query = f"?{request.query_string.decode()}" if request.query_string else ""
    links = [
        f'<{plain}.{e}{query}>; rel="alternate"; type="{BY_EXT[e].media_type}"'
        for e in RDF_EXTENSIONS
    ]
    response.headers["Link"] = ", ".join(links)
    response.set_etag(f"{publication.build_id}-{which}-{fmt.ext}-{request.query_string.decode()}")
    return response.make_conditional(request)


def _format(ext: str | None) -> Format | None:
    """The format asked for, or None when negotiation finds none (406)."""
    if ext is not None:
        if ext not in RDF_EXTENSIONS:
            abort(404, f"No catalogue format {ext!r}; use one of {', '.join(RDF_EXTENSIONS)}.")
        return BY_EXT[ext]
    offered = [f.media_type for f in RDF_FORMATS]
    chosen = negotiate(request.headers.get("Accept"), offered, request.args.get("format"))
    if chosen is None:
        return None
    fmt = format_from_param(chosen)
    assert fmt is not None
    return fmt


def _harvest_page(site: Site) -> Response:
    """For people: what the two catalogues are and where each format is (the footer links
    here; the catalogues themselves are RDF only)."""
    catalogues = [
        {
            "title": title,
            "text": text,
            "formats": [
                {
                    "label": f.label,
                    "type": f.media_type,
                    "href": f"{request.script_root}/{path}.{f.ext}",
                }
                for f in RDF_FORMATS
            ],
            "iri": str(site.uris.page(path)),
        }
        for path, title, text in (
            ("catalog", "DCAT-AP 3.0.1", "dcat_text"),
            ("catalog/adms", "ADMS-AP 2.0", "adms_text"),
        )
    ]
    lang = page_language()
    body = render_page("harvest.html", lang=lang, catalogues=catalogues).encode("utf-8")
    response = Response(body, mimetype="text/html")
    response.charset = "utf-8"
    response.headers["Content-Language"] = lang
    if not explicit_language():
        response.headers["Vary"] = "Accept-Language"
    return finish(
        response,
        request,
        body=body,
        last_modified=site.publication().built_at,
        max_age=site.settings.cache_max_age,
        cors=False,
    )


def _int_arg(name: str, default: int) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        abort(400, f"{name} must be a positive integer, not {raw!r}")
    if value < 1:
        abort(400, f"{name} must be a positive integer, not {raw!r}")
    return value
