"""What the offering list and the search results show besides the cards: the facets with
their values' labels, counts and links that add or remove a value, the chosen values as
removable chips, sort links and page links. No Flask: the caller gives the URL maker."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from publisher.render.discovery_text import format_count, text
from publisher.siteindex import Facet, Selection, SiteIndex
from publisher.siteindex.facets import BY_NAME

Url = Callable[[Selection, dict[str, str | int | None]], str]  # selection, extra → URL


@dataclass(frozen=True)
class ValueView:
    value: str
    label: str
    lang: str | None  # the label's language when not the page's
    count: int
    count_text: str
    selected: bool
    href: str  # toggles the value
    nofollow: bool  # a link to a combination (crawlers follow single choices only)


@dataclass(frozen=True)
class FacetView:
    name: str
    title: str
    values: tuple[ValueView, ...]
    hidden: int  # values not shown (facets with many values)
    all_href: str | None  # the page of all values, when some are hidden


@dataclass(frozen=True)
class Chip:
    facet_title: str
    label: str
    lang: str | None
    href: str  # removes it


def value_label(index: SiteIndex, facet: str, value: str, lang: str) -> tuple[str, str | None]:
    spec = BY_NAME[facet]
    if spec.kind is None:
        prefix = {"open": "open", "pricing": "pricing", "type": "type", "status": "status"}[facet]
        return text(f"{prefix}_{value}", lang), None
    label = index.label(spec.kind, value, lang)
    return label.text, label.other_than(lang)


def facet_views(
    index: SiteIndex,
    facets: list[Facet],
    selection: Selection,
    lang: str,
    url: Url,
    *,
    keep: dict[str, str | int | None],
    all_values_href: Callable[[str], str] | None = None,
) -> list[FacetView]:
    """The facets as the page lists them: values with a count under the selection (or
    chosen), each linking to the selection with that value toggled (page back to 1)."""
    out = []
    for facet in facets:
        shown = [v for v in facet.values if v.count > 0 or v.selected]
        if not shown:
            continue
        spec = BY_NAME[facet.name]
        values = []
        for v in shown:
            label, label_lang = value_label(index, facet.name, v.value, lang)
            toggled = selection.toggled(facet.name, v.value)
            values.append(
                ValueView(
                    value=v.value,
                    label=label,
                    lang=label_lang,
                    count=v.count,
                    count_text=format_count(v.count, lang),
                    selected=v.selected,
                    href=url(toggled, keep),
                    nofollow=sum(len(vs) for vs in toggled.chosen.values()) > 1,
                )
            )
        total_values = len(index.facet_values(facet.name))
        hidden = max(0, total_values - len(values)) if spec.many else 0
        out.append(
            FacetView(
                name=facet.name,
                title=text(f"facet_{facet.name}", lang),
                values=tuple(values),
                hidden=hidden,
                all_href=all_values_href(facet.name) if hidden and all_values_href else None,
            )
        )
    return out


def chips(
    index: SiteIndex, selection: Selection, lang: str, url: Url, keep: dict[str, str | int | None]
) -> list[Chip]:
    out = []
    for facet, values in selection.chosen.items():
        for value in sorted(values):
            label, label_lang = value_label(index, facet, value, lang)
            out.append(
                Chip(
                    text(f"facet_{facet}", lang),
                    label,
                    label_lang,
                    url(selection.toggled(facet, value), keep),
                )
            )
    return out


@dataclass(frozen=True)
class PageLink:
    label: str
    href: str | None  # None: the current page (or no such page)
    current: bool = False
    rel: str | None = None


def page_links(number: int, pages: int, make: Callable[[int], str], lang: str) -> list[PageLink]:
    """Previous, a window of page numbers with the first and last, next."""
    if pages <= 1:
        return []
    links = [
        PageLink(text("previous_page", lang), make(number - 1) if number > 1 else None, rel="prev")
    ]
    window = sorted({1, pages, *range(max(1, number - 2), min(pages, number + 2) + 1)})
    previous = 0
    for n in window:
        if n - previous > 1:
            links.append(PageLink("…", None))
        links.append(PageLink(str(n), None if n == number else make(n), current=n == number))
        previous = n
    links.append(
        PageLink(text("next_page", lang), make(number + 1) if number < pages else None, rel="next")
    )
    return links
