"""Finding offerings: ``/offerings`` (faceted list; also CSV and a hydra collection of the
same selection), ``/search`` (ranked search with facets and "did you mean") and
``/suggest`` (JSON, as you type). Everything is read from the publication's site index
(publisher.siteindex); no SPARQL per request.

The selection is the query string (``?component=spatial-data&open=yes&sort=newest&page=2``):
shareable, crawlable, no JavaScript needed. AND across facets, OR within one.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Callable, Iterator
from html import escape as html_escape
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, current_app, jsonify, request, stream_with_context

from publisher.caching import LruCache, add_vary, finish
from publisher.negotiation import negotiate
from publisher.render.cards import card_view
from publisher.render.collection import collection_graph, csv_rows
from publisher.render.discovery_text import plural, text
from publisher.render.html import explicit_language, local_href, page_language, render_page
from publisher.render.listing import chips, facet_views, page_links
from publisher.site import Site
from publisher.siteindex import RELEVANCE, SORTS, Selection, SiteIndex
from publisher.siteindex.facets import BY_NAME

bp = Blueprint("discovery", __name__)

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
TOP_VALUES = 15  # values shown of a facet with many (suppliers, licences)
CSV_CHUNK = 500

LIST_FORMATS = {
    "html": "text/html",
    "csv": "text/csv",
    "ttl": "text/turtle",
    "jsonld": "application/ld+json",
    "rdf": "application/rdf+xml",
    "nt": "application/n-triples",
}
RDFLIB = {"ttl": "turtle", "jsonld": "json-ld", "rdf": "xml", "nt": "nt11"}
BY_MEDIA = {media: ext for ext, media in LIST_FORMATS.items()}

_BODIES: LruCache[tuple[Any, ...], bytes] = LruCache(256)

# Quick filters: one click adds a buyer's usual combination to the current selection.
PRESETS: tuple[tuple[str, dict[str, str | tuple[str, ...]]], ...] = (
    ("preset_open_free", {"open": "yes", "pricing": "no-licence-fee"}),
    ("preset_priced", {"pricing": "published-price"}),
    (
        "preset_no_tender",
        {"route": ("direct-purchase", "joint-procurement", "in-house", "no-charge")},
    ),
)


@bp.app_context_processor
def discovery_words() -> dict[str, Any]:
    """``dtext(key)`` and ``dplural(key, n)`` in every template: the discovery words in the
    page's language (the map's "no offering yet", counts with the language's plural rules,
    the card macro on other owners' pages)."""
    return {
        "dtext": lambda key, **values: text(key, page_language(), **values),
        "dplural": lambda key, n: plural(key, n, page_language()),
    }


NOTICE_MARK = b"<!--language-notice-->"
# A text of the page's content in Finnish or English: an element with its own lang inside
# <main> (the language switch in the header also has lang attributes; it is not in main).
_FOREIGN = re.compile(rb'<main\b.*?\slang="(?:fi|en)"', re.S)


@bp.after_app_request
def swedish_fallback_notice(response: Response) -> Response:
    """On a Swedish page that shows some content only in Finnish or English (the data has
    little Swedish yet), say so once, at the top of the main content."""
    if (
        response.status_code != 200
        or response.mimetype != "text/html"
        or response.direct_passthrough
        or response.headers.get("Content-Language") != "sv"
    ):
        return response
    body = response.get_data()
    if NOTICE_MARK not in body:
        return response
    notice = b""
    if _FOREIGN.search(body):
        words = html_escape(text("swedish_fallback_notice", "sv")).encode("utf-8")
        notice = b'<p class="lang-notice">' + words + b"</p>"
    response.set_data(body.replace(NOTICE_MARK, notice, 1))
    return response


def site() -> Site:
    return current_app.extensions["avoinkunta"]


def index() -> SiteIndex:
    return site().site_index()


# --- URLs ------------------------------------------------------------------------------


def thing_href(kind: str, key: str) -> str:
    return local_href(str(site().uris.thing(kind, key))) or ""


def list_url(path: str = "offerings") -> Callable[[Selection, dict[str, str | int | None]], str]:
    def make(selection: Selection, extra: dict[str, str | int | None]) -> str:
        query = selection.query_string(**extra, lang=explicit_language())
        return f"{request.script_root}/{path}" + (f"?{query}" if query else "")

    return make


def filter_href(facet: str, value: str) -> str:
    return list_url()(Selection.of(**{facet: value}), {})


# --- /offerings ------------------------------------------------------------------------


@bp.get("/offerings", defaults={"ext": None})
@bp.get("/offerings.<ext>")
def offerings(ext: str | None) -> Response:
    fmt = _list_format(ext)
    selection = Selection.from_args(request.args)
    return _listing("offerings", fmt, selection)


@bp.get("/search")
def search() -> Response:
    selection = Selection.from_args(request.args)
    fmt = _list_format(None, default="html")
    return _listing("search", fmt, selection)


def _list_format(ext: str | None, default: str = "html") -> str:
    if ext is not None:
        if ext not in LIST_FORMATS:
            abort(404, f"No list format {ext!r}; use one of {', '.join(LIST_FORMATS)}.")
        return ext
    param = request.args.get("format")
    if param:
        if param not in LIST_FORMATS:
            abort(400, f"format must be one of {', '.join(LIST_FORMATS)}, not {param!r}")
        return param
    offered = list(LIST_FORMATS.values())
    chosen = negotiate(request.headers.get("Accept"), offered, None, LIST_FORMATS[default])
    if chosen is None:
        abort(406, f"This list is offered as {', '.join(offered)}.")
    return BY_MEDIA[chosen]


def _int_arg(name: str, default: int, maximum: int | None = None) -> int:
    raw = request.args.get(name, "")
    if raw == "":
        return default
    if not raw.isdigit() or int(raw) < 1:
        abort(400, f"{name} must be a positive whole number, not {raw[:40]!r}")
    value = int(raw)
    return min(value, maximum) if maximum else value


def _listing(path: str, fmt: str, selection: Selection) -> Response:
    s = site()
    ix = index()
    publication = s.publication()
    lang = page_language()
    searching = bool(selection.query)
    default_sort = RELEVANCE if searching else "name"
    sort = request.args.get("sort") or default_sort
    if sort not in (*SORTS, RELEVANCE) or (sort == RELEVANCE and not searching):
        sort = default_sort
    number = _int_arg("page", 1)
    size = _int_arg("page_size", PAGE_SIZE, MAX_PAGE_SIZE)
    if fmt == "csv":
        return _csv(ix, selection, sort, lang)
    key = (
        publication.build_id,
        path,
        fmt,
        lang,
        explicit_language(),
        request.script_root,
        selection.cache_key(),
        sort,
        number,
        size,
    )
    body = _BODIES.get_or_create(
        key, lambda: _render(path, fmt, ix, selection, sort, number, size, lang)
    )
    media = LIST_FORMATS[fmt]
    response = Response(body, mimetype=media)
    if media.startswith("text/"):
        response.headers["Content-Type"] = f"{media}; charset=utf-8"
    if fmt == "html":
        response.headers["Content-Language"] = lang
        add_vary(response, "Accept-Language")
    add_vary(response, "Accept")
    return finish(
        response,
        request,
        body=body,
        last_modified=publication.modified,
        max_age=s.settings.cache_max_age,
        cors=fmt != "html",
    )


def _render(
    path: str,
    fmt: str,
    ix: SiteIndex,
    selection: Selection,
    sort: str,
    number: int,
    size: int,
    lang: str,
) -> bytes:
    if selection.query:
        result = ix.search(
            selection.query, selection=selection, lang=lang, sort=sort, number=number, size=size
        )
        page, facets = result.page, result.facets
    else:
        result = None
        page = ix.page(selection, sort=sort, lang=lang, number=number, size=size)
        facets = ix.facets(selection, top=TOP_VALUES)
    if number > page.pages:
        abort(404, f"page {number} is past the last page ({page.pages})")
    keep: dict[str, str | int | None] = {"sort": None if sort in ("name", RELEVANCE) else sort}
    url = list_url(path)
    if fmt != "html":
        base = str(site().uris.page(path))

        def page_url(n: int) -> str:
            query = selection.query_string(**keep, page=n if n > 1 else None)
            return f"{base}.{fmt}" + (f"?{query}" if query else "")

        graph = collection_graph(
            ix,
            site().uris,
            page,
            collection=base + (f"?{selection.query_string()}" if not selection.empty else ""),
            page_url=page_url,
            template=base,
        )
        return graph.serialize(format=RDFLIB[fmt], encoding="utf-8")
    cards = [card_view(ix, c, lang, thing_href, filter_href) for c in page.cards]
    snippets = {}
    if result is not None:
        for card in page.cards:
            summary = card.get("summary") or {}
            chosen = next((k for k in (lang, "fi", "en", "", "sv") if summary.get(k)), None)
            if chosen is not None:
                snippets[card["key"]] = ix.snippet(summary[chosen], chosen, result.outcome.terms)
    others = []
    if result is not None:
        for entity in result.others[:12]:
            label = ix.label(entity.kind, entity.key, lang)
            others.append(
                {
                    "kind": text(f"kind_{entity.kind}", lang),
                    "label": label.text,
                    "lang": label.other_than(lang),
                    "href": thing_href(entity.kind, entity.key),
                }
            )
    presets = []
    for name, values in PRESETS:
        target = selection
        for facet, wanted in values.items():
            for choice in (wanted,) if isinstance(wanted, str) else wanted:
                if not target.has(facet, choice):
                    target = target.toggled(facet, choice)
        presets.append(
            {"label": text(name, lang), "href": url(target, keep), "on": target == selection}
        )
    sorts = [
        {
            "label": text(f"sort_{name}", lang),
            "href": url(
                selection,
                {"sort": None if name == ("relevance" if selection.query else "name") else name},
            ),
            "current": name == sort,
        }
        for name in ((RELEVANCE,) if selection.query else ()) + SORTS
    ]
    downloads = [
        {
            "label": label,
            "type": LIST_FORMATS[ext],
            "href": f"{request.script_root}/{path if path == 'offerings' else 'offerings'}.{ext}"
            + (f"?{q}" if (q := selection.query_string(**keep)) else ""),
        }
        for ext, label in (
            ("csv", text("csv_note", lang)),
            ("ttl", "Turtle"),
            ("jsonld", "JSON-LD"),
            ("rdf", "RDF/XML"),
            ("nt", "N-Triples"),
        )
    ]
    return render_page(
        "discovery/offerings.html",
        lang=lang,
        mode=path,
        query=selection.query,
        outcome=result.outcome if result else None,
        corrected_href=(
            url(Selection(selection.chosen, result.outcome.corrected), keep)
            if result and result.outcome.corrected
            else None
        ),
        page=page,
        total_text=plural("n_results" if selection.query else "n_offerings", page.total, lang),
        cards=cards,
        snippets=snippets,
        others=others,
        facets=facet_views(
            ix,
            facets,
            selection,
            lang,
            url,
            keep=keep,
            all_values_href=lambda f: (
                f"{request.script_root}/offerings/facet/{f}?"
                + selection.query_string(lang=explicit_language())
            ),
        ),
        chips=chips(ix, selection, lang, url, keep),
        hidden_filters=[p for p in selection.pairs() if p[0] != "q"],
        clear_href=url(Selection(query=selection.query), keep) if selection.chosen else None,
        presets=presets,
        sorts=sorts,
        pages=page_links(
            page.number,
            page.pages,
            lambda n: url(selection, {**keep, "page": n if n > 1 else None}),
            lang,
        ),
        downloads=downloads,
        canonical=request.host_url.rstrip("/")
        + f"{request.script_root}/{path}?"
        + selection.query_string(**keep, page=number if number > 1 else None, lang=lang),
        d=lambda key, **v: text(key, lang, **v),
    ).encode("utf-8")


def _csv(ix: SiteIndex, selection: Selection, sort: str, lang: str) -> Response:
    """The whole selection as CSV, UTF-8 with a byte-order mark (so Excel reads ä and ö),
    streamed in chunks."""
    s = site()
    if selection.query:
        result = ix.search(selection.query, selection=selection, lang=lang, size=1)
        matched = result.offerings
        if sort == RELEVANCE:
            ordinals = [e for e in result.ranked if e in matched]
        else:
            ordinals = ix.ordered(matched, sort, lang, 0, len(matched))
    else:
        ordinals = ix.ordered(
            ix.select(selection), sort if sort in SORTS else "name", lang, 0, 10**9
        )

    def cards() -> Iterator[dict[str, Any]]:
        for start in range(0, len(ordinals), CSV_CHUNK):
            yield from ix.cards(ordinals[start : start + CSV_CHUNK])

    def generate() -> Iterator[bytes]:
        yield codecs.BOM_UTF8
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        for number, row in enumerate(csv_rows(ix, s.uris, cards(), lang)):
            writer.writerow(row)
            if number % 200 == 0:
                yield buffer.getvalue().encode("utf-8")
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue().encode("utf-8")

    name = "avoinkunta-offerings" + ("-selection" if not selection.empty else "")
    response = Response(stream_with_context(generate()), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8; header=present"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    response.headers["Content-Language"] = lang
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = f"public, max-age={s.settings.cache_max_age}"
    add_vary(response, "Accept", "Accept-Language")
    return response


# --- all values of a facet -------------------------------------------------------------


@bp.get("/offerings/facet/<name>")
def facet_values(name: str) -> Response:
    """Every value of a facet with many values (suppliers, licences), with its count
    under the selection, for when the list shows only the first ones."""
    if name not in BY_NAME:
        abort(404, f"No facet {name!r}.")
    s = site()
    ix = index()
    lang = page_language()
    selection = Selection.from_args(request.args)
    within = ix.search(selection.query).offerings if selection.query else None
    facets = [f for f in ix.facets(selection, within=within) if f.name == name]
    views = facet_views(ix, facets, selection, lang, list_url(), keep={})
    body = render_page(
        "discovery/facet.html",
        lang=lang,
        facet=views[0] if views else None,
        title=text(f"facet_{name}", lang),
        back=list_url()(selection, {}),
        d=lambda key, **v: text(key, lang, **v),
    ).encode("utf-8")
    response = Response(body, mimetype="text/html")
    response.headers["Content-Language"] = lang
    add_vary(response, "Accept-Language")
    return finish(
        response,
        request,
        body=body,
        last_modified=s.publication().modified,
        max_age=s.settings.cache_max_age,
        cors=False,
    )


# --- how a supplier adds an offering ---------------------------------------------------


@bp.get("/offerings/add")
def how_to_add() -> Response:
    s = site()
    lang = page_language()
    body = render_page(
        "discovery/add.html", lang=lang, d=lambda key, **v: text(key, lang, **v)
    ).encode("utf-8")
    response = Response(body, mimetype="text/html")
    response.headers["Content-Language"] = lang
    add_vary(response, "Accept-Language")
    return finish(
        response,
        request,
        body=body,
        last_modified=s.publication().modified,
        max_age=s.settings.cache_max_age,
        cors=False,
    )


# --- /suggest --------------------------------------------------------------------------


@bp.get("/suggest")
def suggest() -> Response:
    """As-you-type suggestions: ``?q=osk&lang=fi[&limit=8]`` → JSON
    ``{"query", "suggestions": [{"label", "lang", "kind", "key", "href"}]}``;
    ``&format=opensearch`` gives the OpenSearch suggestions array instead."""
    s = site()
    prefix = (request.args.get("q") or "")[:100]
    lang = page_language()
    limit = _int_arg("limit", 8, 20)
    found = index().suggest(prefix, lang=lang, limit=limit)
    items = [
        {
            "label": item.label.text,
            "lang": item.label.lang or None,
            "kind": item.entity.kind,
            "key": item.entity.key,
            "href": thing_href(item.entity.kind, item.entity.key),
        }
        for item in found
    ]
    if request.args.get("format") == "opensearch":
        base = s.settings.base_uri.rstrip("/")
        body: Any = [
            prefix,
            [i["label"] for i in items],
            [text(f"kind_{i['kind']}", lang) for i in items],
            [base + str(i["href"]) for i in items],
        ]
        response = jsonify(body)
        response.mimetype = "application/x-suggestions+json"
    else:
        response = jsonify({"query": prefix, "suggestions": items})
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = f"public, max-age={s.settings.cache_max_age}"
    add_vary(response, "Accept-Language")
    return response


def query_string(**params: str | None) -> str:
    return urlencode({k: v for k, v in params.items() if v})
