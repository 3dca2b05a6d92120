"""The example queries: every one runs, and gives the right answer.

On the fixture store the answers are known exactly. On the real built catalogue
(``client`` from tests/conftest.py) they are checked against an independent reading of
the source YAML in data/suppliers/.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from pathlib import Path

import pytest
import rdflib
import yaml

from publisher.sparql_mount import sparql_prefixes
from sparql_endpoint.examples import examples

BASE = "http://localhost:8080/"
PREFIXES = sparql_prefixes(BASE)
EXAMPLES = {example.slug: example for example in examples()}
DATA = Path(__file__).resolve().parents[2] / "data" / "suppliers"
NO_TENDER = {"direct-purchase", "joint-procurement", "in-house", "no-charge"}


def run(client, slug: str) -> list[dict[str, str]] | bool | rdflib.Graph:
    response = client.get(
        "/sparql",
        query_string={"query": EXAMPLES[slug].text(PREFIXES)},
        headers={"Accept": "application/sparql-results+json, text/turtle;q=0.9"},
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    if response.mimetype == "text/turtle":
        return rdflib.Graph().parse(data=response.data, format="turtle")
    parsed = json.loads(response.data)
    if "boolean" in parsed:
        return parsed["boolean"]
    return [{k: v["value"] for k, v in b.items()} for b in parsed["results"]["bindings"]]


def test_there_are_a_dozen_examples_with_both_titles() -> None:
    assert len(EXAMPLES) >= 12
    for example in EXAMPLES.values():
        assert example.title["fi"] and example.title["en"]
        assert "PREFIX" not in example.body  # added for the base URI in use


@pytest.mark.parametrize("slug", list(EXAMPLES))
def test_every_example_answers_on_the_fixture(sparql_client, slug: str) -> None:
    result = run(sparql_client, slug)
    if isinstance(result, bool):
        assert result is False  # the rule check: no violations in the fixture
    else:
        assert len(result) > 0


def test_fixture_answers(sparql_client) -> None:
    by_layer = {
        r["layer_en"]: int(r["offerings"]) for r in run(sparql_client, "open-source-by-layer")
    }
    assert by_layer == {"Master data management": 2, "Service channels and e-desktops": 1}
    suppliers = {
        r["name"]: int(r["open_products"]) for r in run(sparql_client, "suppliers-by-open-products")
    }
    assert suppliers == {"Esimerkki Oy": 1, "Testikunta": 1}
    parts = run(sparql_client, "closed-parts-and-prices")
    assert [(p["part_title"], float(p["price"]), p["unit"]) for p in parts] == [
        ("Identification module", 50.0, "per month")
    ]
    licences = {r["identifier"]: int(r["uses"]) for r in run(sparql_client, "licences-in-use")}
    assert licences == {"proprietary": 3, "MIT": 1, "EUPL-1.2": 1}
    no_tender = {
        r["offering"].rsplit("/", 1)[1] for r in run(sparql_client, "procurable-without-tender")
    }
    assert no_tender == {"alpha-kartta", "gamma-asiointi", "delta-tuki"}
    free = {r["offering"].rsplit("/", 1)[1] for r in run(sparql_client, "free-of-charge")}
    assert free == {"alpha-kartta", "gamma-asiointi"}
    cards = run(sparql_client, "offering-cards")
    assert len(set(cards.subjects(rdflib.RDF.type, None))) == 4


# --- the real catalogue, against the source files ------------------------------------


def _source() -> tuple[list[dict], list[dict]]:
    suppliers, offerings = [], []
    for path in sorted(DATA.glob("*.yaml")):
        record = yaml.safe_load(path.read_text(encoding="utf-8"))
        suppliers.append(record["supplier"])
        offerings.extend(record.get("offerings") or [])
    return suppliers, offerings


@pytest.mark.parametrize("slug", list(EXAMPLES))
def test_every_example_runs_on_the_real_catalogue(client, slug: str) -> None:
    result = run(client, slug)
    if slug == "open-source-claims-consistent":
        assert result is False
    else:
        assert len(result) > 0


def _number(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


def test_real_catalogue_against_sources(client) -> None:
    suppliers, offerings = _source()
    assert len(run(client, "suppliers")) == len(suppliers)
    no_tender = {r["offering"].rsplit("/", 1)[1] for r in run(client, "procurable-without-tender")}
    assert no_tender == {o["id"] for o in offerings if o.get("procurement") in NO_TENDER}
    used = Counter()
    for offering in offerings:
        used[offering["licence"]] += 1
        for part in offering.get("parts") or []:
            used[part["licence"]] += 1
    in_use = run(client, "licences-in-use")
    assert {r["identifier"]: int(r["uses"]) for r in in_use} == dict(used)
    open_source = {r["identifier"]: r.get("open_source") == "true" for r in in_use}
    claiming = Counter(a for o in offerings for a in (o.get("aspects") or {}))
    aspects = {
        r["aspect"].rsplit("/", 1)[1]: int(r["offerings"]) for r in run(client, "openness-aspects")
    }
    assert {k: v for k, v in aspects.items() if v} == dict(claiming)
    free = {r["offering"].rsplit("/", 1)[1] for r in run(client, "free-of-charge")}
    assert free == {o["id"] for o in offerings if (o.get("pricing") or {}).get("amount") == 0}
    # Closed parts: exactly the sources' parts under a licence that is not open source,
    # each with its price or price list.
    closed_parts = sorted(
        (
            o["id"],
            p["title"]["en"],
            p["licence"],
            _number((p.get("pricing") or {}).get("amount")),
            (p.get("pricing") or {}).get("price_list", ""),
        )
        for o in offerings
        for p in (o.get("parts") or [])
        if not open_source[p["licence"]]
    )
    assert closed_parts, "the bundled catalogue should have offerings with closed parts"
    found = sorted(
        (
            r["offering"].rsplit("/", 1)[1],
            r["part_title"],
            r["licence"].rsplit("/", 1)[1],
            _number(r.get("price")),
            r.get("price_list", ""),
        )
        for r in run(client, "closed-parts-and-prices")
    )
    assert found == closed_parts


def test_real_catalogue_csv_download(client) -> None:
    response = client.get(
        "/sparql", query_string={"query": EXAMPLES["suppliers"].text(PREFIXES), "format": "csv"}
    )
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert {r["supplier"].rsplit("/", 1)[1] for r in rows} == {s["id"] for s in _source()[0]}
