"""The harvest interfaces: a DCAT-AP 3.0.1 catalogue of the register (``register``) and
an ADMS-AP view of the offerings (``assets``), paged with Hydra and filterable by
``modified_since``. See README.md in this folder for the design and conformance notes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from publisher.catalog import assets, register
from publisher.catalog.changes import BadTimestamp, parse_since
from publisher.catalog.common import Context
from publisher.catalog.paging import Page, add_view
from publisher.catalog.triples import TripleSet

CATALOGUES = {"dcat": register, "adms": assets}


class PageOutOfRange(LookupError):
    """A ``?page=`` beyond the last page."""


@dataclass(frozen=True)
class CataloguePage:
    graph: TripleSet
    page: Page
    # More of the page's triples as "s p o" text (the assets made from the adms artefact)
    lines: list[str] = field(default_factory=list)


def build_page(
    ctx: Context,
    which: str,
    *,
    number: int = 1,
    size: int = 50,
    since: datetime | None = None,
    base_url: str | None = None,
    size_in_links: bool = False,
    items: Sequence[Any] | None = None,
) -> CataloguePage:
    """One page of catalogue ``which`` ("dcat" or "adms") as a graph that stands alone:
    the catalogue, its publisher and the page's items with everything the shapes need,
    and the Hydra view with absolute first/previous/next/last links. ``items`` are the
    catalogue's items if the caller has them already (``CATALOGUES[which].items``)."""
    module = CATALOGUES[which]
    every = module.items(ctx, since) if items is None else items
    page = Page(number=number, size=max(1, size), total=len(every))
    if number < 1 or number > page.last:
        raise PageOutOfRange(f"page {number} does not exist; the last page is {page.last}")
    graph = ctx.graph()
    lines: list[str] = []
    if module is assets:
        catalogue = assets.add_items(ctx, graph, page.slice(every), lines)
    else:
        catalogue = module.add_items(ctx, graph, page.slice(every))
    add_view(
        graph,
        catalogue,
        base_url or str(catalogue),
        page,
        since,
        page.size if size_in_links else None,
    )
    return CataloguePage(graph, page, lines)


__all__ = [
    "CATALOGUES",
    "BadTimestamp",
    "CataloguePage",
    "Context",
    "Page",
    "PageOutOfRange",
    "build_page",
    "parse_since",
]
