"""A selection of offerings as RDF (a hydra:Collection, one page of it a
hydra:PartialCollectionView) and as CSV rows. No Flask: URLs come from the caller."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from publisher.namespaces import DCAT, DCT, HYDRA
from publisher.render.cards import format_price, price_summary
from publisher.render.discovery_text import text
from publisher.siteindex import Page, SiteIndex, best_label
from publisher.siteindex.facets import FACETS
from publisher.store import new_graph
from publisher.uris import UriScheme


def collection_graph(
    index: SiteIndex,
    uris: UriScheme,
    page: Page,
    *,
    collection: str,
    page_url: Callable[[int], str],
    template: str,
) -> Graph:
    """The selection as a hydra:Collection (``collection`` is its URL, without paging),
    with this page's members described briefly and links to the other pages."""
    ak = uris.vocab
    graph = new_graph(str(ak))
    graph.bind("hydra", HYDRA)
    this = URIRef(collection)
    graph.add((this, RDF.type, HYDRA.Collection))
    graph.add((this, HYDRA.totalItems, Literal(page.total, datatype=XSD.integer)))
    view = URIRef(page_url(page.number))
    graph.add((this, HYDRA.view, view))
    graph.add((view, RDF.type, HYDRA.PartialCollectionView))
    graph.add((view, HYDRA.first, URIRef(page_url(1))))
    graph.add((view, HYDRA.last, URIRef(page_url(page.pages))))
    if page.number > 1:
        graph.add((view, HYDRA.previous, URIRef(page_url(page.number - 1))))
    if page.number < page.pages:
        graph.add((view, HYDRA.next, URIRef(page_url(page.number + 1))))
    _search_template(graph, this, template)
    for card in page.cards:
        member = URIRef(uris.thing("offering", card["key"]))
        graph.add((this, HYDRA.member, member))
        graph.add((member, RDF.type, ak.Offering))
        graph.add((member, RDF.type, ak.Product if card["type"] == "product" else ak.Service))
        graph.add((member, DCT.identifier, Literal(card["key"])))
        for lang, title in sorted(card["title"].items()):
            graph.add((member, DCT.title, Literal(title, lang=lang or None)))
        for kind, key, predicate in (
            ("supplier", card.get("supplier"), DCT.publisher),
            ("licence", card.get("licence"), DCT.license),
            ("route", card.get("route"), ak.procurementRoute),
        ):
            if key:
                graph.add((member, predicate, URIRef(uris.thing(kind, key))))
        for key in card.get("components", []):
            graph.add((member, DCAT.theme, URIRef(uris.thing("component", key))))
        for key in card.get("aspects", []):
            graph.add((member, ak.opennessAspect, URIRef(uris.thing("aspect", key))))
    return graph


def _search_template(graph: Graph, collection: URIRef, template: str) -> None:
    """hydra:search: the URL template of a selection (q and every facet)."""
    search = BNode("search")
    graph.add((collection, HYDRA.search, search))
    graph.add((search, RDF.type, HYDRA.IriTemplate))
    names = ["q", *(f.name for f in FACETS), "sort", "page"]
    graph.add((search, HYDRA.template, Literal(f"{template}{{?{','.join(names)}}}")))
    graph.add((search, HYDRA.variableRepresentation, HYDRA.BasicRepresentation))
    for name in names:
        mapping = BNode(f"search-{name}")
        graph.add((search, HYDRA.mapping, mapping))
        graph.add((mapping, RDF.type, HYDRA.IriTemplateMapping))
        graph.add((mapping, HYDRA.variable, Literal(name)))
        graph.add((mapping, HYDRA.required, Literal(False)))


CSV_COLUMNS = (
    "id",
    "uri",
    "title",
    "type",
    "supplier",
    "supplier_id",
    "licence",
    "licence_id",
    "open_source",
    "parts",
    "price",
    "price_list",
    "pricing",
    "procurement_route",
    "components",
    "layers",
    "openness_aspects",
    "service_domains",
    "delivery_phases",
    "status",
    "issued",
    "modified",
)


def csv_rows(
    index: SiteIndex, uris: UriScheme, cards: Iterable[dict[str, Any]], lang: str
) -> Iterator[list[str]]:
    """The header and one row per card: labels in ``lang`` (with fallback), ids beside the
    labels that name a thing, lists joined with "; "."""
    yield list(CSV_COLUMNS)

    def labels(kind: str, keys: list[str]) -> str:
        return "; ".join(index.label(kind, k, lang).text for k in keys)

    for card in cards:
        price = price_summary(card, lang)
        parts = []
        for part in card.get("parts") or []:
            title = best_label(part.get("title") or {}, lang, fallback="").text
            prices = [p.text for p in (format_price(x, lang) for x in part["prices"]) if p]
            parts.append(
                f"{title} ({index.label('licence', part['licence'], lang).text}"
                + (f", {', '.join(prices)}" if prices else "")
                + ")"
            )
        price_lists = sorted({p["list"] for p in card.get("prices") or [] if p.get("list")})
        yield [
            card["key"],
            str(uris.thing("offering", card["key"])),
            best_label(card["title"], lang, fallback=card["key"]).text,
            text(f"type_{card['type']}", lang) if card.get("type") else "",
            index.label("supplier", card["supplier"], lang).text if card.get("supplier") else "",
            card.get("supplier") or "",
            index.label("licence", card["licence"], lang).text if card.get("licence") else "",
            card.get("licence") or "",
            {True: "yes", False: "no"}.get(card.get("open"), ""),  # type: ignore[arg-type]
            "; ".join(parts),
            price.text if price else "",
            "; ".join(price_lists),
            "; ".join(text(f"pricing_{p}", lang) for p in card.get("pricing", [])),
            index.label("route", card["route"], lang).text if card.get("route") else "",
            labels("component", card.get("components", [])),
            labels("layer", card.get("layers", [])),
            labels("aspect", card.get("aspects", [])),
            labels("domain", card.get("domains", [])),
            labels("phase", card.get("phases", [])),
            text(f"status_{card['status']}", lang) if card.get("status") else "",
            card.get("issued") or "",
            card.get("modified") or "",
        ]
