"""``/statistics``: the offering in figures — offerings per architecture layer, the open-source
share per layer, licences in use, procurement routes, pricing models, suppliers by number of
offerings — as SVG charts drawn on the server, each with its numbers as a table. Every bar
and every table row links to the filtered list. Counts come from the site index."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, request

from publisher.caching import LruCache, add_vary, finish
from publisher.render.charts import Bar, Chart, bar_chart
from publisher.render.discovery_text import format_count, plural, text
from publisher.render.html import explicit_language, page_language, render_page
from publisher.render.listing import value_label
from publisher.siteindex import Selection, SiteIndex
from publisher.views.discovery import index, list_url, site

bp = Blueprint("statistics", __name__)

TOP_SUPPLIERS = 15
TOP_LICENCES = 20
_PAGES: LruCache[tuple[Any, ...], bytes] = LruCache(16)


def charts(ix: SiteIndex, lang: str, href: Any) -> list[dict[str, Any]]:
    """The charts' numbers (also what the tests check against the store)."""
    out: list[tuple[str, str, list[Bar], str | None]] = []

    def facet_bars(facet: str, values: list[str], within: Any = None) -> list[Bar]:
        bars = []
        for value in values:
            members = ix.members(facet, value)
            count = len(members if within is None else members & within)
            label, label_lang = value_label(ix, facet, value, lang)
            bars.append(Bar(label, count, href(Selection.of(**{facet: value})), label_lang))
        return bars

    layers = ix.concept_keys("layer")
    out.append(("per-layer", "chart_per_layer", facet_bars("layer", layers), None))
    open_source = ix.members("open", "yes")
    shares = []
    for value in layers:
        members = ix.members("layer", value)
        opened = len(members & open_source)
        label, label_lang = value_label(ix, "layer", value, lang)
        percent = round(100 * opened / len(members)) if members else 0
        shares.append(
            Bar(
                label,
                len(members),
                href(Selection.of(layer=value, open="yes")),
                label_lang,
                part=opened,
                note=f"{format_count(opened, lang)} / {format_count(len(members), lang)} "
                f"({percent} %)",
            )
        )
    out.append(("open-share", "chart_open_share", shares, None))
    licences = sorted(
        ix.facet_values("licence"), key=lambda v: (-len(ix.members("licence", v)), v)
    )[:TOP_LICENCES]
    out.append(("licences", "chart_licences", facet_bars("licence", licences), None))
    routes = ix.concept_keys("route")
    out.append(("routes", "chart_routes", facet_bars("route", routes), None))
    pricing = ["no-licence-fee", "published-price", "price-list"]
    out.append(("pricing", "chart_pricing", facet_bars("pricing", pricing), "pricing_note"))
    suppliers = sorted(
        ix.facet_values("supplier"), key=lambda v: (-len(ix.members("supplier", v)), v)
    )[:TOP_SUPPLIERS]
    out.append(
        ("suppliers", "chart_suppliers", facet_bars("supplier", suppliers), "top_suppliers_note")
    )
    result = []
    for chart_id, title_key, bars, note in out:
        desc_items = "; ".join(f"{b.label} {b.note or b.value}" for b in bars)
        chart: Chart = bar_chart(
            chart_id, text(title_key, lang), bars, text("chart_desc_bars", lang, items=desc_items)
        )
        result.append(
            {
                "chart": chart,
                "note": text(note, lang, n=len(bars)) if note else None,
                "share": chart_id == "open-share",
            }
        )
    return result


@bp.get("/statistics")
def statistics() -> Response:
    s = site()
    publication = s.publication()
    lang = page_language()
    key = (publication.build_id, lang, explicit_language(), request.script_root)

    def render() -> bytes:
        ix = index()
        url = list_url()
        counts = ix.counts()
        return render_page(
            "discovery/statistics.html",
            lang=lang,
            charts=charts(ix, lang, lambda selection: url(selection, {})),
            offerings=plural("n_offerings", counts.get("offering", 0), lang),
            suppliers=plural("n_suppliers", counts.get("supplier", 0), lang),
            d=lambda k, **v: text(k, lang, **v),
            fmt=lambda n: format_count(n, lang),
        ).encode("utf-8")

    body = _PAGES.get_or_create(key, render)
    response = Response(body, mimetype="text/html")
    response.headers["Content-Language"] = lang
    add_vary(response, "Accept-Language")
    return finish(
        response,
        request,
        body=body,
        last_modified=publication.modified,
        max_age=s.settings.cache_max_age,
        cors=False,
    )
