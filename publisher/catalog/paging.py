"""Paging of the catalogues with Hydra (``hydra:PartialCollectionView``), as ckanext-dcat
and data.europa.eu follow it: every page names the first, previous, next and last pages
with absolute IRIs and the total number of items, so any page can be fetched alone."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD

from publisher.catalog.triples import TripleSet
from publisher.namespaces import HYDRA


@dataclass(frozen=True)
class Page:
    number: int  # 1-based
    size: int
    total: int

    @property
    def last(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def start(self) -> int:
        return (self.number - 1) * self.size

    def slice(self, items: Sequence[Any]) -> list[Any]:
        return list(items[self.start : self.start + self.size])


def page_url(
    base_url: str, number: int, modified_since: datetime | None = None, page_size: int | None = None
) -> URIRef:
    """Absolute URL of one page; page 1 carries ``?page=1`` too so that every view IRI is
    distinct from the collection IRI. A page size the client chose is kept."""
    params: dict[str, str] = {}
    if modified_since is not None:
        params["modified_since"] = modified_since.isoformat()
    if page_size is not None:
        params["page_size"] = str(page_size)
    params["page"] = str(number)
    return URIRef(f"{base_url}?{urlencode(params)}")


def add_view(
    graph: TripleSet,
    collection: URIRef,
    base_url: str,
    page: Page,
    modified_since: datetime | None = None,
    page_size: int | None = None,
) -> URIRef:
    """Add the PartialCollectionView of ``page`` to ``graph``; returns the view IRI."""

    def link(number: int) -> URIRef:
        return page_url(base_url, number, modified_since, page_size)

    view = link(page.number)
    graph.add((collection, HYDRA.totalItems, Literal(page.total, datatype=XSD.integer)))
    graph.add((collection, HYDRA.view, view))
    graph.add((view, RDF.type, HYDRA.PartialCollectionView))
    graph.add((view, HYDRA.first, link(1)))
    graph.add((view, HYDRA.last, link(page.last)))
    if page.number > 1:
        graph.add((view, HYDRA.previous, link(page.number - 1)))
    if page.number < page.last:
        graph.add((view, HYDRA.next, link(page.number + 1)))
    return view
