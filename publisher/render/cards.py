"""An offering card as a page shows it, in one language (no Flask: links come from the
caller's functions). The card data is the site index's (``publisher.siteindex``); labels
are looked up in the index in the page's language, each with the language it is really
in, so that a fallback text carries its own ``lang`` attribute."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from babel import Locale
from babel.numbers import format_currency, format_decimal

from publisher.render.discovery_text import plural, text
from publisher.siteindex import Label, SiteIndex, best_label

Href = Callable[[str, str], str]  # (kind, key) → the page of that thing
FilterHref = Callable[[str, str], str]  # (facet, value) → /offerings filtered by it


@dataclass(frozen=True)
class Link:
    label: str
    href: str | None
    lang: str | None = None  # set when the label is not in the page's language


@dataclass(frozen=True)
class Price:
    text: str
    lang: str | None  # of the unit text, when not the page's
    href: str | None = None  # a price list


@dataclass(frozen=True)
class CardView:
    key: str
    href: str
    title: Link
    type: str  # "product" / "service"
    type_label: str
    supplier: Link | None
    licence: Link | None
    open: bool | None  # the licence is open source
    parts_note: str | None  # "parts: 1 open, 1 closed"
    price: Price | None
    route: Link | None
    components: tuple[Link, ...]
    aspects: tuple[Link, ...]
    status: str | None  # the status when it is not "Completed"
    summary: str | None
    summary_lang: str | None
    issued: str | None


def label_link(
    index: SiteIndex, kind: str, key: str | None, lang: str, href: Callable[[str], str]
) -> Link | None:
    if not key:
        return None
    label = index.label(kind, key, lang)
    return Link(label.text, href(key), label.other_than(lang))


def card_view(
    index: SiteIndex, card: dict[str, Any], lang: str, href: Href, filter_href: FilterHref
) -> CardView:
    title = best_label(card["title"], lang, fallback=card["key"])
    summary = best_label(card.get("summary", {}), lang, fallback="")
    offering_type = card.get("type") or "product"
    parts = card.get("parts") or []
    parts_note = None
    if parts:
        opened = sum(1 for p in parts if p.get("open") is True)
        parts_note = text("parts_open_closed", lang, open=opened, closed=len(parts) - opened)
    status = card.get("status")
    return CardView(
        key=card["key"],
        href=href("offering", card["key"]),
        title=Link(title.text, href("offering", card["key"]), title.other_than(lang)),
        type=offering_type,
        type_label=text(f"type_{offering_type}", lang),
        supplier=label_link(
            index, "supplier", card.get("supplier"), lang, lambda k: href("supplier", k)
        ),
        licence=label_link(
            index, "licence", card.get("licence"), lang, lambda k: filter_href("licence", k)
        ),
        open=card.get("open"),
        parts_note=parts_note,
        price=price_summary(card, lang),
        route=label_link(index, "route", card.get("route"), lang, lambda k: href("route", k)),
        components=tuple(
            link
            for key in card.get("components", [])
            if (
                link := label_link(
                    index, "component", key, lang, lambda k: filter_href("component", k)
                )
            )
        ),
        aspects=tuple(
            link
            for key in card.get("aspects", [])
            if (link := label_link(index, "aspect", key, lang, lambda k: filter_href("aspect", k)))
        ),
        status=text(f"status_{status}", lang) if status and status != "Completed" else None,
        summary=summary.text or None,
        summary_lang=summary.other_than(lang),
        issued=card.get("issued"),
    )


def format_price(price: dict[str, Any], lang: str) -> Price | None:
    """One price as people write it in ``lang``: "0,28 € asukasta kohden vuodessa"."""
    amount = price.get("amount")
    unit = best_label(price.get("unit") or {}, lang, fallback="")
    if amount is None:
        if price.get("list"):
            return Price(text("pricing_price-list", lang), None, price["list"])
        return None
    value = Decimal(amount)
    currency = price.get("currency")
    if currency:
        shown = format_currency(value, currency, locale=lang)
        if value == value.to_integral_value():  # 1 200 €, not 1 200,00 €
            pattern = Locale.parse(lang).currency_formats["standard"].pattern
            shown = format_currency(
                value,
                currency,
                format=pattern.replace(".00", ""),
                locale=lang,
                currency_digits=False,
            )
    else:
        shown = format_decimal(value, locale=lang)
    words = f"{shown} {unit.text}".strip()
    return Price(words, unit.other_than(lang) if unit.text else None, price.get("list"))


def price_summary(card: dict[str, Any], lang: str) -> Price | None:
    """What a card says of the price: the offering's own price; else "no licence fee"
    when a part is free; else the lowest part price ("from …"); else a price list."""
    prices = card.get("prices") or []
    if prices:
        first = prices[0]
        if first.get("amount") is not None and Decimal(first["amount"]) == 0:
            unit = best_label(first.get("unit") or {}, lang, fallback="")
            if unit.text:
                return Price(text("no_licence_fee", lang), None, first.get("list"))
            return Price(text("free_of_charge", lang), None, first.get("list"))
        found = format_price(first, lang)
        if found:
            return found
    part_prices = [p for part in card.get("parts") or [] for p in part.get("prices") or []]
    priced = [p for p in part_prices if p.get("amount") is not None]
    paid = [p for p in priced if Decimal(p["amount"]) > 0]
    if paid:
        lowest = min(paid, key=lambda p: Decimal(p["amount"]))
        found = format_price(lowest, lang)
        if found:
            return Price(text("from_price", lang, price=found.text), found.lang, found.href)
    if priced:
        return Price(text("no_licence_fee", lang), None)
    lists = [p for p in [*prices, *part_prices] if p.get("list")]
    if lists:
        return Price(text("pricing_price-list", lang), None, lists[0]["list"])
    return None


__all__ = ["CardView", "Label", "Link", "Price", "card_view", "format_price", "plural"]
