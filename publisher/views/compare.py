"""``/compare?o=a&o=b``: two to four offerings side by side — supplier, licence and what is
open, parts with their licences and prices, pricing, procurement route, openness aspects
with their evidence, components, standards, links. Read from the site index."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, request

from publisher.caching import add_vary, finish
from publisher.render.cards import card_view, format_price
from publisher.render.discovery_text import text
from publisher.render.html import page_language, render_page
from publisher.siteindex import SiteIndex, best_label
from publisher.views.discovery import filter_href, index, site, thing_href

bp = Blueprint("compare", __name__)

MAX_COMPARED = 4


@bp.get("/compare")
def compare() -> Response:
    s = site()
    ix = index()
    lang = page_language()
    asked = list(dict.fromkeys(k.strip() for k in request.args.getlist("o") if k.strip()))
    known = [k for k in asked if ix.entity("offering", k[:200])]
    unknown = [k[:200] for k in asked if k not in known]
    columns = [_column(ix, key, lang) for key in known[:MAX_COMPARED]]
    body = render_page(
        "discovery/compare.html",
        lang=lang,
        columns=columns,
        too_many=len(known) > MAX_COMPARED,
        unknown=unknown,
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


def _texts(values: dict[str, str], lang: str) -> dict[str, str | None] | None:
    label = best_label(values or {}, lang, fallback="")
    return {"text": label.text, "lang": label.other_than(lang)} if label.text else None


def _column(ix: SiteIndex, key: str, lang: str) -> dict[str, Any]:
    card = ix.card(key) or {}
    detail = ix.detail(key) or {}
    view = card_view(ix, card, lang, thing_href, filter_href)
    parts = []
    for part, extra in zip(card.get("parts") or [], detail.get("parts") or [], strict=False):
        licence = part.get("licence")
        label = ix.label("licence", licence, lang) if licence else None
        parts.append(
            {
                "title": _texts(part.get("title") or {}, lang),
                "description": _texts(extra.get("description") or {}, lang),
                "licence": {
                    "text": label.text,
                    "lang": label.other_than(lang),
                    "href": filter_href("licence", licence),
                }
                if label
                else None,
                "open": part.get("open"),
                "prices": [
                    p for p in (format_price(x, lang) for x in part.get("prices") or []) if p
                ],
            }
        )
    prices = [p for p in (format_price(x, lang) for x in card.get("prices") or []) if p]
    notes = [n for n in (_texts(x, lang) for x in detail.get("price_notes") or []) if n]
    claims = []
    for claim in detail.get("claims") or []:
        aspect = claim.get("aspect")
        label = ix.label("aspect", aspect, lang) if aspect else None
        claims.append(
            {
                "label": label.text if label else "",
                "lang": label.other_than(lang) if label else None,
                "href": filter_href("aspect", aspect) if aspect else None,
                "evidence": claim.get("evidence") or [],
                "standards": claim.get("standards") or [],
                "note": _texts(claim.get("note") or {}, lang),
            }
        )
    standards = sorted(
        {
            *detail.get("standards", []),
            *(s for c in detail.get("claims") or [] for s in c.get("standards") or []),
        }
    )
    layers = []
    for layer in card.get("layers") or []:
        label = ix.label("layer", layer, lang)
        layers.append(
            {
                "text": label.text,
                "lang": label.other_than(lang),
                "href": filter_href("layer", layer),
            }
        )
    links = [
        (text(name, lang), detail.get(field))
        for name, field in (
            ("homepage", "homepage"),
            ("repository", "repository"),
            ("api_docs", "api"),
        )
        if detail.get(field)
    ]
    return {
        "key": key,
        "card": view,
        "parts": parts,
        "prices": prices,
        "price_notes": notes,
        "procurement_note": _texts(detail.get("procurement_note") or {}, lang),
        "claims": claims,
        "standards": standards,
        "layers": layers,
        "links": links,
        "description": _texts(detail.get("description") or {}, lang),
    }
