"""/reconcile driven the way OpenRefine drives it (manifest, batched queries, suggest,
preview, property proposals, data extension), in version 0.2 and the 1.0 draft, with every
response validated against the Reconciliation API's own JSON Schemas."""

from __future__ import annotations

import json

import html5lib
import pytest
from flask.testing import FlaskClient

from tests.conftest import BASE
from tests.reconcile.schemas import validate

VOCAB = f"{BASE}ontology#"
OFFERING, SUPPLIER, LICENCE, COMPONENT = (
    f"{VOCAB}Offering",
    f"{VOCAB}Supplier",
    f"{VOCAB}Licence",
    f"{VOCAB}ArchitectureComponent",
)


def thing(kind: str, key: str) -> str:
    return f"{BASE}id/{kind}/{key}"


# query, type, properties, expected first candidate, match flag
CASES = [
    ("Oskari", None, [], thing("offering", "oskari"), True),
    ("Oskarin", None, [], thing("offering", "oskari"), False),  # inflected (genitive)
    ("oskri", None, [], thing("offering", "oskari"), False),  # a typo
    ("Moodel", OFFERING, [], thing("offering", "moodle"), False),
    ("kyecloak", OFFERING, [], thing("offering", "keycloak"), False),
    ("Helsingin kaupunki", SUPPLIER, [], thing("supplier", "city-of-helsinki"), True),
    ("Helsingin kaupungin", SUPPLIER, [], thing("supplier", "city-of-helsinki"), False),
    ("EUPL-1.2", LICENCE, [], thing("licence", "EUPL-1.2"), True),
    ("EUPL 1.2", LICENCE, [], thing("licence", "EUPL-1.2"), True),
    ("paikkatietoa", COMPONENT, [], thing("component", "spatial-data"), False),
    (
        "Lupapiste",
        OFFERING,
        [{"pid": "supplier", "v": "Cloudpermit"}],
        thing("offering", "lupapiste"),
        True,
    ),
    (thing("offering", "x-road"), None, [], thing("offering", "x-road"), True),  # an id
]


def _fetch(client: FlaskClient, response_path: str, **kwargs):  # noqa: ANN202
    response = client.get(response_path, **kwargs)
    assert response.headers["Access-Control-Allow-Origin"] == "*", response_path
    return response


def test_openrefine_session_version_02(client: FlaskClient) -> None:
    # 1. The manifest, as OpenRefine reads it when the service is added.
    manifest = _fetch(client, "/reconcile")
    assert manifest.status_code == 200 and manifest.mimetype == "application/json"
    service = manifest.get_json()
    validate("0.2", "manifest", service)
    assert service["identifierSpace"] == f"{BASE}id/" and service["schemaSpace"] == VOCAB
    assert {t["id"] for t in service["defaultTypes"]} == {OFFERING, SUPPLIER, LICENCE, COMPONENT}
    for t in service["defaultTypes"]:
        validate("0.2", "type", t)

    # 2. Batched queries, form-encoded as OpenRefine posts them.
    batch = {}
    for number, (query, type_id, properties, _first, _match) in enumerate(CASES):
        item: dict = {"query": query, "limit": 3, "type_strict": "should"}
        if type_id:
            item["type"] = type_id
        if properties:
            item["properties"] = properties
        batch[f"q{number}"] = item
    validate("0.2", "reconciliation-query-batch", batch)
    response = client.post("/reconcile", data={"queries": json.dumps(batch)})
    assert response.status_code == 200 and response.headers["Access-Control-Allow-Origin"] == "*"
    results = response.get_json()
    validate("0.2", "reconciliation-result-batch", results)
    assert set(results) == set(batch)
    for number, (query, type_id, _props, first, match) in enumerate(CASES):
        candidates = results[f"q{number}"]["result"]
        assert candidates, query
        assert candidates[0]["id"] == first, (query, candidates[:2])
        assert candidates[0]["match"] is match, (query, candidates[0])
        assert sum(c["match"] for c in candidates) <= 1
        assert all(0 <= c["score"] <= 100 for c in candidates)
        if type_id:
            assert all(type_id in {t["id"] for t in c["type"]} for c in candidates), query
    # a property constraint that does not hold: no match, and a lower score
    wrong = {"q": {"query": "Lupapiste", "properties": [{"pid": "supplier", "v": "Koha-Suomi Oy"}]}}
    lower = client.post("/reconcile", data={"queries": json.dumps(wrong)}).get_json()["q"]["result"]
    validate("0.2", "reconciliation-result-batch", {"q": {"result": lower}})
    assert lower[0]["id"] == thing("offering", "lupapiste") and lower[0]["match"] is False
    assert lower[0]["score"] < 100

    # 3. Suggest, as the type, property and entity pickers call it.
    for path, schema in (
        ("/reconcile/suggest/entity?prefix=osk", "suggest-entities-response"),
        ("/reconcile/suggest/type?prefix=sup", "suggest-types-response"),
        ("/reconcile/suggest/property?prefix=lic", "suggest-properties-response"),
    ):
        body = _fetch(client, path).get_json()
        validate("0.2", schema, body)
        assert body["result"], path
    entities = _fetch(client, "/reconcile/suggest/entity?prefix=osk").get_json()["result"]
    assert entities[0]["id"] == thing("offering", "oskari")
    typed = _fetch(
        client, "/reconcile/suggest/entity", query_string={"prefix": "hel", "type": SUPPLIER}
    ).get_json()
    assert [e["id"] for e in typed["result"]][:1] == [thing("supplier", "city-of-helsinki")]

    # 4. Data extension: the properties it proposes for the column's type, then their values.
    proposal = _fetch(
        client, "/reconcile/propose_properties", query_string={"type": OFFERING}
    ).get_json()
    assert proposal["type"] == OFFERING
    validate("0.2", "data-extension-property-proposal", proposal)
    proposed = {p["id"] for p in proposal["properties"]}
    assert {"licence", "supplier", "homepage", "repository", "components", "price"} <= proposed
    ids = [thing("offering", "oskari"), thing("offering", "koha-suomi-service")]
    query = {
        "ids": ids,
        "properties": [
            {"id": p}
            for p in ("licence", "supplier", "homepage", "repository", "components", "price")
        ],
    }
    validate("0.2", "data-extension-query", query)
    extended = client.post("/reconcile", data={"extend": json.dumps(query)})
    assert extended.headers["Access-Control-Allow-Origin"] == "*"
    body = extended.get_json()
    validate("0.2", "data-extension-response", body)
    oskari = body["rows"][ids[0]]
    assert oskari["licence"] == [
        {"id": thing("licence", "MIT-OR-EUPL-1.1"), "name": "MIT OR EUPL-1.1"}
    ]
    assert oskari["supplier"][0]["id"] == thing("supplier", "national-land-survey")
    assert oskari["repository"] == [{"str": "https://github.com/oskariorg/oskari-server"}]
    assert oskari["components"] == [
        {"id": thing("component", "spatial-data"), "name": "Spatial data (GIS)"}
    ]
    assert oskari["price"] == [{"float": 0.0}]
    assert {"float": 0.28} in body["rows"][ids[1]]["price"]


def test_the_10_draft(client: FlaskClient) -> None:
    manifest = _fetch(client, "/reconcile/1.0-draft").get_json()
    validate("1.0-draft", "manifest", manifest)
    queries = []
    for query, type_id, properties, _first, _match in CASES:
        conditions = [{"matchType": "name", "propertyValue": query}]
        conditions += [
            {"matchType": "property", "propertyId": p["pid"], "propertyValue": p["v"]}
            for p in properties
        ]
        item: dict = {"conditions": conditions, "limit": 3}
        if type_id:
            item["type"] = type_id
        queries.append(item)
    batch = {"queries": queries}
    validate("1.0-draft", "reconciliation-query-batch", batch)
    response = client.post("/reconcile/1.0-draft/match", json=batch)
    assert response.status_code == 200 and response.headers["Access-Control-Allow-Origin"] == "*"
    body = response.get_json()
    validate("1.0-draft", "reconciliation-result-batch", body)
    for (query, _t, _p, first, match), result in zip(CASES, body["results"], strict=True):
        assert result["candidates"][0]["id"] == first, query
        assert result["candidates"][0]["match"] is match, query
    for path, schema in (
        ("/reconcile/1.0-draft/suggest/entity?prefix=kirj", "suggest-entities-response"),
        ("/reconcile/1.0-draft/suggest/type?prefix=lis", "suggest-types-response"),
        ("/reconcile/1.0-draft/suggest/property?prefix=home", "suggest-properties-response"),
        (
            "/reconcile/1.0-draft/extend/propose?type=" + SUPPLIER.replace("#", "%23"),
            "data-extension-property-proposal",
        ),
    ):
        validate("1.0-draft", schema, _fetch(client, path).get_json())
    query = {
        "ids": [thing("offering", "lupapiste"), thing("supplier", "cloudpermit")],
        "properties": [{"id": "supplier"}, {"id": "homepage"}, {"id": "price"}],
    }
    validate("1.0-draft", "data-extension-query", query)
    extended = client.post("/reconcile/1.0-draft/extend", json=query).get_json()
    validate("1.0-draft", "data-extension-response", extended)
    lupapiste = {p["id"]: p["values"] for p in extended["rows"][0]["properties"]}
    assert lupapiste["supplier"][0]["id"] == thing("supplier", "cloudpermit")


def test_preview_is_a_small_escaped_html_card(client: FlaskClient) -> None:
    response = _fetch(
        client, "/reconcile/preview", query_string={"id": thing("offering", "oskari")}
    )
    assert response.status_code == 200 and response.mimetype == "text/html"
    document = html5lib.HTMLParser(strict=True).parse(response.data)
    assert document is not None
    text = response.get_data(as_text=True)
    assert "Oskari" in text and "National Land Survey of Finland" in text
    missing = _fetch(
        client,
        "/reconcile/preview",
        query_string={"id": "<script>alert(1)</script>"},
        headers={"Accept": "text/html"},
    )
    assert missing.status_code == 404 and missing.mimetype == "text/html"
    assert "<script>alert(1)" not in missing.get_data(as_text=True)


@pytest.mark.parametrize(
    "method,path,kwargs",
    [
        ("post", "/reconcile", {"data": {"queries": "{not json"}}),
        (
            "post",
            "/reconcile",
            {"data": {"extend": json.dumps({"ids": [], "properties": [{"id": "colour"}]})}},
        ),
        (
            "post",
            "/reconcile/1.0-draft/match",
            {"json": {"queries": [{"conditions": [{"matchType": "guess"}]}]}},
        ),
        ("post", "/reconcile/1.0-draft/match", {"data": "nope", "content_type": "text/plain"}),
        ("get", "/reconcile/nope", {}),
    ],
)
def test_errors_are_json_and_readable_from_any_origin(
    client: FlaskClient, method: str, path: str, kwargs: dict
) -> None:
    response = getattr(client, method)(path, headers={"Accept": "application/json"}, **kwargs)
    assert response.status_code in (400, 404)
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    body = response.get_json()
    assert body["ok"] is False and body["status"] == response.status_code and body["message"]


def test_preflight_allows_json_posts(client: FlaskClient) -> None:
    response = client.options(
        "/reconcile/1.0-draft/match",
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert response.headers["Access-Control-Allow-Headers"] == "content-type"


def test_jsonp_for_old_clients(client: FlaskClient) -> None:
    response = client.get("/reconcile?callback=jsonp123")
    assert response.mimetype == "application/javascript"
    text = response.get_data(as_text=True)
    assert text.startswith("/**/jsonp123(") and text.endswith(");")
    validate("0.2", "manifest", json.loads(text[len("/**/jsonp123(") : -2]))
