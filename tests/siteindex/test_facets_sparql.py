"""Facet counts of the site index against SPARQL over the same publication's store: every
value of every facet, and combined selections (AND across facets, OR within one)."""

from __future__ import annotations

import pytest

from publisher.siteindex import FACETS, Selection, SiteIndex
from publisher.store import ReadStore

BASE = "http://localhost:8080/"
PREFIXES = f"""PREFIX ak: <{BASE}ontology#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <http://schema.org/>
PREFIX adms: <http://www.w3.org/ns/adms#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""

# facet → SPARQL pattern binding ?value (a key) for offering ?o: the facet's meaning,
# written independently of the index's code.
PATTERNS = {
    "layer": "?o dcat:theme/skos:broader ?v . ?v a ak:ArchitectureLayer .",
    "component": "?o dcat:theme ?v . ?v a ak:ArchitectureComponent .",
    "aspect": "?o ak:opennessAspect ?v .",
    "open": "?o dct:license/ak:openSource ?b . BIND(IF(?b, 'yes', 'no') AS ?value)",
    "licence": "?o (dct:license|dct:hasPart/dct:license)/ak:licenceMember? ?v .",
    "pricing": """
        { ?o (ak:pricing|dct:hasPart/ak:pricing)/schema:price ?p FILTER(?p = 0)
          BIND('no-licence-fee' AS ?value) }
        UNION { ?o (ak:pricing|dct:hasPart/ak:pricing)/schema:price ?p FILTER(?p > 0)
          BIND('published-price' AS ?value) }
        UNION { ?o (ak:pricing|dct:hasPart/ak:pricing)/ak:priceList ?l
          BIND('price-list' AS ?value) }""",
    "route": "?o ak:procurementRoute ?v .",
    "domain": "?o ak:serviceDomain ?v .",
    "phase": "?o ak:deliveryPhase ?v .",
    "type": """{ ?o a ak:Product BIND('product' AS ?value) }
        UNION { ?o a ak:Service BIND('service' AS ?value) }""",
    "status": "?o adms:status ?s . BIND(STRAFTER(STR(?s), 'http://purl.org/adms/status/') "
    "AS ?value)",
    "supplier": "?o dct:publisher ?v .",
}


def key_expr() -> str:
    # ?v is one of our IRIs: its key is the last path segment (licence keys keep '+')
    return "COALESCE(?value, REPLACE(STR(?v), '^.*/', ''))"


def sparql_counts(store: ReadStore, facet: str) -> dict[str, int]:
    query = f"""{PREFIXES}
    SELECT ?key (COUNT(DISTINCT ?o) AS ?n) WHERE {{
      ?o a ak:Offering .
      {PATTERNS[facet]}
      BIND({key_expr()} AS ?key)
    }} GROUP BY ?key"""
    return {row["key"].value: int(row["n"].value) for row in store.query(query)}


def sparql_selection(store: ReadStore, selection: Selection) -> set[str]:
    """The offerings (keys) of a selection by SPARQL: each facet a FILTER EXISTS with the
    chosen values as a VALUES list (OR), the facets one after another (AND)."""
    blocks = []
    for facet, values in selection.chosen.items():
        listed = " ".join(f"'{v}'" for v in sorted(values))
        blocks.append(
            f"FILTER EXISTS {{ {PATTERNS[facet]} BIND({key_expr()} AS ?key) "
            f"VALUES ?key {{ {listed} }} }}"
        )
    query = f"""{PREFIXES}
    SELECT ?id WHERE {{ ?o a ak:Offering ; dct:identifier ?id . {" ".join(blocks)} }}"""
    return {row["id"].value for row in store.query(query)}


def index_keys(index: SiteIndex, selection: Selection) -> set[str]:
    return {index.entity_by_id(o).key for o in index.select(selection)}


@pytest.mark.parametrize("facet", [f.name for f in FACETS])
def test_every_facet_value_counts_as_sparql_does(
    site_index: SiteIndex, store: ReadStore, facet: str
) -> None:
    expected = sparql_counts(store, facet)
    assert expected, f"the bundled catalogue has no value of {facet}: the test would prove nothing"
    (found,) = [f for f in site_index.facets(Selection()) if f.name == facet]
    counted = {v.value: v.count for v in found.values if v.count}
    assert counted == expected
    # each value's members are those offerings, not just as many of them
    for value in expected:
        assert index_keys(site_index, Selection.of(**{facet: value})) == sparql_selection(
            store, Selection.of(**{facet: value})
        )


COMBINATIONS = [
    Selection.of(component="spatial-data", open="yes", pricing="no-licence-fee"),
    Selection.of(layer="master-data-management", aspect="open-standards"),
    Selection.of(component=["spatial-data", "e-services"], type="product"),
    Selection.of(licence=["MIT", "EUPL-1.2"], route="no-charge", pricing="no-licence-fee"),
    Selection.of(supplier=["city-of-helsinki", "koha-suomi"], pricing="published-price"),
    Selection.of(licence="service-agreement", status="Completed"),
    Selection.of(domain="land-use", phase="production-support", aspect="open-interface"),
    Selection.of(component="spatial-data", supplier="nobody-at-all"),
]


@pytest.mark.parametrize("selection", COMBINATIONS, ids=lambda s: s.query_string())
def test_combined_selections_match_sparql(
    site_index: SiteIndex, store: ReadStore, selection: Selection
) -> None:
    expected = sparql_selection(store, selection)
    assert index_keys(site_index, selection) == expected
    page = site_index.page(selection, size=100)
    assert page.total == len(expected)
    assert {c["key"] for c in page.cards} == expected


def test_counts_under_a_selection_are_what_choosing_the_value_would_give(
    site_index: SiteIndex, store: ReadStore
) -> None:
    """Disjunctive faceting: a value's count under a selection is the size of the list
    if that value were chosen as well (OR within its own facet, AND with the others)."""
    selection = Selection.of(component="spatial-data", open="yes")
    checked = 0
    for facet in site_index.facets(selection):
        for value in facet.values:
            if value.selected:
                continue
            widened = selection.toggled(facet.name, value.value)
            if facet.name in selection.chosen:
                # OR within the facet: what the value adds to the facet's other values
                alone = selection.without(facet.name).toggled(facet.name, value.value)
                expected = len(sparql_selection(store, alone))
            else:
                expected = len(sparql_selection(store, widened))
            assert value.count == expected, (facet.name, value.value)
            checked += 1
    assert checked > 20


def test_the_combinations_are_not_all_empty(store: ReadStore) -> None:
    """Most combinations above select something (else they would prove little)."""
    sizes = [len(sparql_selection(store, selection)) for selection in COMBINATIONS]
    assert sum(1 for size in sizes if size > 0) >= 6, sizes


def test_chart_numbers_match_the_store(site_index: SiteIndex, store: ReadStore) -> None:
    """Every bar of /statistics against SPARQL over the store (the open-source share per
    layer: both its part and its whole)."""
    from publisher.views.statistics import charts

    found = {item["chart"].id: item["chart"] for item in charts(site_index, "en", lambda s: "")}
    facet_of = {
        "per-layer": "layer",
        "licences": "licence",
        "routes": "route",
        "pricing": "pricing",
        "suppliers": "supplier",
    }
    for chart_id, facet in facet_of.items():
        expected = sparql_counts(store, facet)
        bars = found[chart_id].bars
        assert bars, chart_id
        for bar, value in zip(bars, _values_of(site_index, chart_id), strict=True):
            assert bar.value == expected.get(value, 0), (chart_id, value)
    open_per_layer = {
        row["key"].value: int(row["n"].value)
        for row in store.query(
            f"""{PREFIXES}
            SELECT ?key (COUNT(DISTINCT ?o) AS ?n) WHERE {{
              ?o a ak:Offering ; dct:license/ak:openSource true .
              {PATTERNS["layer"]} BIND({key_expr()} AS ?key)
            }} GROUP BY ?key"""
        )
    }
    all_per_layer = sparql_counts(store, "layer")
    for bar, layer in zip(found["open-share"].bars, site_index.concept_keys("layer"), strict=True):
        assert (bar.part, bar.value) == (open_per_layer.get(layer, 0), all_per_layer.get(layer, 0))


def _values_of(index: SiteIndex, chart_id: str) -> list[str]:
    """The facet values a chart's bars stand for, in the chart's order."""
    if chart_id == "per-layer":
        return index.concept_keys("layer")
    if chart_id == "routes":
        return index.concept_keys("route")
    if chart_id == "pricing":
        return ["no-licence-fee", "published-price", "price-list"]
    facet = {"licences": "licence", "suppliers": "supplier"}[chart_id]
    values = sorted(index.facet_values(facet), key=lambda v: (-len(index.members(facet, v)), v))
    return values[: 20 if facet == "licence" else 15]
