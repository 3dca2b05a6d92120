"""``/catalog`` (DCAT-AP 3.0.1) and ``/catalog/adms`` (ADMS-AP): the harvest interfaces.

``?page=N`` (size: setting ``page_size``, or ``?page_size=`` up to 500) and
``?modified_since=ISO-8601`` select what to send; the format comes from the extension
(``/catalog.ttl``, ``.rdf``, ``.jsonld``, ``.nt``), ``?format=``, or ``Accept``. With no
preference (ckanext-dcat sends ``*/*``) a harvester gets Turtle. ``/catalog.html`` is a
page for people about both interfaces (the site footer links it).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, overload

from flask import Blueprint, Response, abort, current_app, request

from publisher import budget
from publisher.catalog import (
    CATALOGUES,
    BadTimestamp,
    Context,
    PageOutOfRange,
    admsparts,
    assets,
    build_page,
    kept,
    parse_since,
)
from publisher.catalog.changes import at_or_after
from publisher.catalog.ledgerfile import ledger_of
from publisher.catalog.triples import TripleSet
from publisher.formats import BY_EXT, RDF_FORMATS, Format
from publisher.http import HttpError, choose_format
from publisher.http.caching import LruCache, PublicationCache, add_vary, finish
from publisher.i18n import N_
from publisher.publication import Publication
from publisher.render.html import explicit_language, page_language, render_page, variant_key
from publisher.render.rdf import Written, serialise_lines, serialise_triples
from publisher.render.turtlegraph import TurtleGraph
from publisher.site import Site
from publisher.views.harvestpages import catalogue_body, catalogue_response, prefers_html
from publisher.views.representations import not_acceptable

bp = Blueprint("catalog", __name__)

MAX_PAGE_SIZE = 500
_PAGES = PublicationCache(512)
_ITEMS: LruCache[tuple[str, str, datetime | None], Sequence[Any]] = LruCache(16)
# Figures over the whole publication (every asset, ledger-wide dates), computed once per
# publication and kept with it (tagged JSON, publisher.catalog.kept).
_FACTS = PublicationCache(64)
# The people's HTML of catalogue pages, per request variant (~80 KB an ADMS page).
_PEOPLE: LruCache[tuple[Any, ...], bytes] = LruCache(64)
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
        # People who asked for a page are pointed at the one about these interfaces.
        raise not_acceptable(
            offered,
            headers={
                "Link": f'<{request.script_root}/catalog.html>; rel="alternate"; type="text/html"'
            },
        )
    try:
        since = parse_since(request.args.get("modified_since"))
    except BadTimestamp as exc:
        abort(400, str(exc))
    number = _int_arg("page", 1)
    size = min(_int_arg("page_size", site.settings.page_size), MAX_PAGE_SIZE)
    publication = site.publication()
    # Page links keep the extension the client used, so a harvester stays in one format.
    suffix = f".{ext}" if ext else ""
    base_url = f"{site.uris.page(path)}{suffix}"
    size_in_links = "page_size" in request.args

    def render() -> bytes:
        ctx = Context(
            uris=site.uris,
            store=site.store(),
            modified=publication.modified,
            manifest=publication.manifest,
            ledger=ledger_of(publication),
            keep=lambda name, compute: _kept(publication, name, compute),
            adms_parts=publication.artefact(admsparts.NAME),
        )
        try:
            result = build_page(
                ctx,
                which,
                number=number,
                size=size,
                since=since,
                base_url=base_url,
                size_in_links=size_in_links,
                items=_items(publication, which, since, ctx),
            )
        except PageOutOfRange as exc:
            abort(404, str(exc))
        return serialise_page(result.graph, fmt, result.lines, written)

    # (for the people's view: the page's triples when it is written by this request)
    written: Written = []

    key = (which, fmt.ext, number, size, since, base_url, size_in_links)
    # The pages harvesters walk are kept with the publication; other variants (any
    # modified_since, any page size) only in memory.
    persist = since is None and size == site.settings.page_size
    body = _PAGES.get_or_create(publication.path, "catalog", key, render, persist=persist)
    if as_page:
        # The same page, read back from its Turtle (cached as the harvesters' is), kept
        # per request variant (read by pyoxigraph, not rdflib: 135 ms less an ADMS page).
        def people() -> bytes:
            # (the triples it was written from, when it was: the same as reading it back)
            graph = TurtleGraph(body, written[0] if written else None)
            return catalogue_body(site, which, path, graph)

        variant = (site.settings.base_uri, publication.build_id, key, *variant_key())
        return catalogue_response(site, _PEOPLE.get_or_create(variant, people))
    response = Response(body, content_type=fmt.content_type)
    if ext is None:
        add_vary(response, "Accept")
    # The same page in every format (the query, hence the page, is kept).
    plain = site.uris.page(path)
    query = f"?{request.query_string.decode()}" if request.query_string else ""
    links = [
        f'<{plain}.{e}{query}>; rel="alternate"; type="{BY_EXT[e].media_type}"'
        for e in RDF_EXTENSIONS
    ]
    response.headers["Link"] = ", ".join(links)
    return finish(
        response,
        request,
        body=body,
        last_modified=publication.modified,
        max_age=site.settings.cache_max_age,
        cors=True,
    )


def _items(
    publication: Publication, which: str, since: datetime | None, ctx: Context
) -> Sequence[Any]:
    """The catalogue's items (every dataset or asset, in order): listed once per
    publication and kept with it in chunks (`KeptItems`), filtered once per process and
    ``since``."""

    def compute() -> Sequence[Any]:
        live = admsparts.LiveItems.open(ctx.adms_parts) if ctx.adms_parts else None
        if which == "adms" and since is None and live is not None:
            gone = _kept(publication, "items-adms-removed", lambda: assets.removed_items(ctx))
            return AssetItems(ctx, live, gone)
        every = KeptItems(publication, which, lambda: CATALOGUES[which].items(ctx))
        if since is None:
            return every
        return [item for item in every if at_or_after(item.modified, since)]

    return _ITEMS.get_or_create((str(publication.path), which, since), compute)


class _ItemsByPosition(Sequence[Any]):
    """A catalogue's items read by position: a subclass gives ``__len__``, ``_at(position)``
    (0 <= position < len) and, when it can read a run faster than item by item,
    ``_run(start, stop)``."""

    def _at(self, position: int) -> Any:
        raise NotImplementedError

    def _run(self, start: int, stop: int) -> list[Any]:
        return [self._at(i) for i in range(start, stop)]

    @overload
    def __getitem__(self, index: int) -> Any: ...

    @overload
    def __getitem__(self, index: slice) -> list[Any]: ...

    def __getitem__(self, index: int | slice) -> Any:
        length = len(self)
        if isinstance(index, slice):
            start, stop, step = index.indices(length)
            if step != 1 or stop <= start:
                return [self._at(i) for i in range(start, stop, step)]
            return self._run(start, stop)
        position = index + length if index < 0 else index
        if not 0 <= position < length:
            raise IndexError(index)
        return self._at(position)


class AssetItems(_ItemsByPosition):
    """The ADMS catalogue's items from the publication's ``adms`` artefact (the live
    offerings, by key, in chunks a page reads one or two of) and its deletion records."""

    def __init__(self, ctx: Context, live: admsparts.LiveItems, gone: list[Any]) -> None:
        self._ctx = ctx
        self._live = live
        self._gone = gone

    def __len__(self) -> int:
        return len(self._live) + len(self._gone)

    def _at(self, position: int) -> Any:
        if position < len(self._live):
            return assets.live_item(self._ctx, self._live[position])
        return self._gone[position - len(self._live)]


class KeptItems(_ItemsByPosition):
    """A catalogue's items kept with the publication in chunks of ``CHUNK``: a page reads
    the one or two chunks it shows, not the 30,000 items (a few ms instead of hundreds)."""

    CHUNK = 500

    def __init__(self, publication: Publication, which: str, compute: Callable[[], list]):
        self._publication = publication
        self._which = which
        self._compute = compute
        self._every: list | None = None
        self._chunks: dict[int, list] = {}
        self._length: int = _kept(publication, f"items-{which}-count", self._count)

    def _all(self) -> list:
        if self._every is None:
            self._every = self._compute()
        return self._every

    def _count(self) -> int:
        every = self._all()
        for n in range(-(-len(every) // self.CHUNK)):  # the chunks before their count
            self._chunk(n)
        return len(every)

    def _chunk(self, n: int) -> list:
        found = self._chunks.get(n)
        if found is None:
            size = self.CHUNK
            found = self._chunks[n] = _kept(
                self._publication,
                f"items-{self._which}-{n}",
                lambda: self._all()[n * size : (n + 1) * size],
            )
        return found

    def __len__(self) -> int:
        return self._length

    def _at(self, position: int) -> Any:
        return self._chunk(position // self.CHUNK)[position % self.CHUNK]

    def _run(self, start: int, stop: int) -> list[Any]:
        out: list[Any] = []
        for n in range(start // self.CHUNK, (stop - 1) // self.CHUNK + 1):
            base = n * self.CHUNK
            out += self._chunk(n)[max(start - base, 0) : stop - base]
        return out


def _kept(publication: Publication, name: str, compute: Callable[[], Any]) -> Any:
    """`compute()` once per publication: kept with it as tagged JSON (every process reads
    the same value); a value JSON cannot give back as it was is computed, not kept."""
    computed: list[Any] = []

    def create() -> bytes:
        # Not under the request's time limit: made once for every request to come, it
        # must be finished even on a busy machine (a render stopped half-way would be
        # started again by the next request, and the next).
        with budget.limited(None):
            computed.append(compute())
        return kept.dumps(computed[0])

    try:
        data = _FACTS.get_or_create(publication.path, "catalog-facts", name, create)
    except TypeError:
        return computed[0] if computed else compute()
    return computed[0] if computed else kept.loads(data)


def serialise_page(
    graph: TripleSet, fmt: Format, lines: Sequence[str] = (), written: Written | None = None
) -> bytes:
    """A catalogue page in `fmt`, written by pyoxigraph (a page is thousands of triples:
    rdflib's writers cost a hundred times more), with the triples of ``lines`` ("s p o"
    N-Triples text) too. JSON-LD is expanded, without a context, as harvesters have
    always read it. ``written``: see publisher.render.rdf."""
    if not lines:
        return serialise_triples(
            graph.oxigraph(), fmt.rdf_format, dict(graph.namespaces()), written
        )
    return serialise_lines(
        {str(t) for t in graph.oxigraph()}.union(lines),
        fmt.rdf_format,
        dict(graph.namespaces()),
        written,
    )


def _format(ext: str | None) -> Format | None:
    """The format asked for, or None when negotiation finds none (406)."""
    if ext is not None:
        if ext not in RDF_EXTENSIONS:
            raise HttpError(
                404, f"No catalogue format {ext!r}; use one of {', '.join(RDF_EXTENSIONS)}."
            )
        return BY_EXT[ext]
    return choose_format(RDF_FORMATS)


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
            (
                "catalog",
                "DCAT-AP 3.0.1",
                N_(
                    "The register itself as a DCAT-AP 3.0.1 catalogue: datasets, distributions, "
                    "vocabularies and the SPARQL service."
                ),
            ),
            (
                "catalog/adms",
                "ADMS-AP 2.0",
                N_(
                    "Every product and service as an ADMS-AP asset with its supplier and "
                    "distributions."
                ),
            ),
        )
    ]
    lang = page_language()
    body = render_page("harvest.html", lang=lang, catalogues=catalogues).encode("utf-8")
    response = Response(body, mimetype="text/html")
    response.headers["Content-Language"] = lang
    if not explicit_language():
        response.headers["Vary"] = "Accept-Language"
    return finish(
        response,
        request,
        body=body,
        last_modified=site.publication().modified,
        max_age=site.settings.cache_max_age,
        cors=False,
    )


def _int_arg(name: str, default: int) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isascii() or not raw.isdigit() or len(raw) > 9 or int(raw) < 1:
        abort(400, f"{name} must be a positive whole number below 10^9, not {raw[:40]!r}")
    return int(raw)
