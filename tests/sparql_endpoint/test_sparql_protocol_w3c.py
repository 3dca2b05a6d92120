"""The W3C SPARQL 1.1 Protocol test suite, as a table, for a read-only endpoint.

Source: w3c/rdf-tests, sparql/sparql11/protocol/manifest.ttl (mf:ProtocolTest entries).
Query tests must succeed with the expected result; update tests are expected to be
refused (4xx), since this endpoint is read-only and advertises no update. The store
fixture holds the kasei.us data1..data3 graphs the suite assumes.

Erratum: ``query_multiple_dataset`` in the manifest percent-encodes '&' and '=' inside
one named-graph-uri value, which makes a single (odd) IRI; we send the two parameters
the test's description and comment intend.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import quote

import pytest

D = "http://kasei.us/2009/09/sparql/data/"


def q(value: str) -> str:
    return quote(value, safe="")


@dataclass(frozen=True)
class Case:
    id: str
    method: str
    path: str
    content_type: str | None = None
    body: bytes = b""
    status: tuple[int, ...] = (200,)
    result: str | None = None  # "boolean" | "tabular" | "rdf"
    boolean: bool | None = None


ASK_12 = f"ASK {{ <{D}data1.rdf> a ?type . <{D}data2.rdf> a ?type . }}"
ASK_NAMED = (
    f"ASK {{ GRAPH ?g1 {{ <{D}data1.rdf> a ?type }} GRAPH ?g2 {{ <{D}data2.rdf> a ?type }} }}"
)
ASK_FULL = (
    f"ASK {{ <{D}data3.rdf> a ?type GRAPH ?g1 {{ <{D}data1.rdf> a ?type }} "
    f"GRAPH ?g2 {{ <{D}data2.rdf> a ?type }} }}"
)
ASK_FROM = (
    f"ASK FROM <{D}data3.rdf> {{ GRAPH ?g1 {{ <{D}data1.rdf> a ?type }} "
    f"GRAPH ?g2 {{ <{D}data2.rdf> a ?type }} }}"
)
DG0 = f"default-graph-uri={q(D + 'data0.rdf')}"
DG12 = f"default-graph-uri={q(D + 'data1.rdf')}&default-graph-uri={q(D + 'data2.rdf')}"
NG12 = f"named-graph-uri={q(D + 'data1.rdf')}&named-graph-uri={q(D + 'data2.rdf')}"
UPDATE = "CLEAR ALL"
FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"

CASES = [
    # --- positive query tests
    Case(
        "query_post_form",
        "POST",
        f"/sparql/?{DG0}",
        FORM,
        b"query=ASK%20%7B%7D",
        result="boolean",
        boolean=True,
    ),
    Case(
        "query_dataset_default_graphs_get",
        "GET",
        f"/sparql/?query={q(ASK_12)}&{DG12}",
        result="boolean",
        boolean=True,
    ),
    Case(
        "query_dataset_default_graphs_post",
        "POST",
        f"/sparql/?{DG12}",
        DIRECT,
        ASK_12.encode(),
        result="boolean",
        boolean=True,
    ),
    Case(
        "query_dataset_named_graphs_post",
        "POST",
        f"/sparql/?{NG12}",
        DIRECT,
        ASK_NAMED.encode(),
        result="boolean",
        boolean=True,
    ),
    Case(
        "query_dataset_named_graphs_get",
        "GET",
        f"/sparql/?query={q(ASK_NAMED)}&{NG12}",
        result="boolean",
        boolean=True,
    ),
    Case(
        "query_dataset_full",
        "POST",
        f"/sparql/?default-graph-uri={q(D + 'data3.rdf')}&{NG12}",
        DIRECT,
        ASK_FULL.encode(),
        result="boolean",
        boolean=True,
    ),
    Case(
        "query_multiple_dataset",
        "POST",
        f"/sparql/?{NG12}",
        DIRECT,
        ASK_FROM.encode(),
        result="boolean",
        boolean=True,
    ),
    Case("query_get", "GET", f"/sparql/?query=ASK%20%7B%7D&{DG0}", result="boolean", boolean=True),
    Case(
        "query_content_type_select",
        "POST",
        f"/sparql/?{DG0}",
        DIRECT,
        b"SELECT (1 AS ?value) {}",
        result="tabular",
    ),
    Case(
        "query_content_type_ask",
        "POST",
        f"/sparql/?{DG0}",
        DIRECT,
        b"ASK {}",
        result="boolean",
        boolean=True,
    ),
    Case(
        "query_content_type_describe",
        "POST",
        f"/sparql/?{DG0}",
        DIRECT,
        b"DESCRIBE <http://example.org/>",
        result="rdf",
    ),
    Case(
        "query_content_type_construct",
        "POST",
        f"/sparql/?{DG0}",
        DIRECT,
        b"CONSTRUCT { <s> <p> 1 } WHERE {}",
        result="rdf",
    ),
    Case(
        "query_post_direct",
        "POST",
        f"/sparql/?{DG0}",
        DIRECT,
        b"ASK {}",
        result="boolean",
        boolean=True,
    ),
    # --- update tests: a read-only endpoint refuses every one of them
    Case(
        "update_dataset_default_graph",
        "POST",
        f"/sparql/?using-graph-uri={q(D + 'data1.rdf')}",
        UPDATE_TYPE,
        f"INSERT DATA {{ GRAPH <{D}data1.rdf> {{ <{D}data1.rdf> a <x:y> }} }}".encode(),
        status=(403,),
    ),
    Case(
        "update_dataset_named_graphs",
        "POST",
        f"/sparql/?using-named-graph-uri={q(D + 'data1.rdf')}",
        UPDATE_TYPE,
        UPDATE.encode(),
        status=(403,),
    ),
    Case("update_post_form", "POST", "/sparql/", FORM, b"update=CLEAR%20ALL", status=(403,)),
    Case("update_post_direct", "POST", "/sparql/", UPDATE_TYPE, b"CLEAR ALL", status=(403,)),
    Case(
        "update_base_uri",
        "POST",
        "/sparql/",
        UPDATE_TYPE,
        b"INSERT DATA { GRAPH <http://example.org/protocol-base-test/> "
        b"{ <http://example.org/s> <http://example.org/p> <test> } }",
        status=(403,),
    ),
    # --- negative tests (4xx)
    Case("bad_query_method", "PUT", "/sparql/?query=ASK%20%7B%7D", status=(405,)),
    Case(
        "bad_multiple_queries",
        "GET",
        "/sparql/?query=ASK%20%7B%7D&query=SELECT%20%2A%20%7B%7D",
        status=(400,),
    ),
    Case("bad_query_wrong_media_type", "POST", "/sparql/", "text/plain", b"ASK {}", status=(415,)),
    Case(
        "bad_query_missing_form_type",
        "POST",
        "/sparql/",
        None,
        b"query=ASK%20%7B%7D",
        status=(400,),
    ),
    Case("bad_query_missing_direct_type", "POST", "/sparql/", None, b"ASK {}", status=(400,)),
    Case(
        "bad_query_non_utf8",
        "POST",
        "/sparql/",
        "application/sparql-query; charset=UTF-16",
        "ASK {}".encode("utf-16"),
        status=(400,),
    ),
    Case("bad_query_syntax", "GET", "/sparql/?query=ASK%20%7B", status=(400,)),
    Case("bad_update_get", "GET", "/sparql/?update=CLEAR%20ALL", status=(403,)),
    Case(
        "bad_multiple_updates",
        "POST",
        "/sparql/",
        FORM,
        b"update=CLEAR%20NAMED&update=CLEAR%20DEFAULT",
        status=(403,),
    ),
    Case(
        "bad_update_wrong_media_type",
        "POST",
        "/sparql/",
        "text/plain",
        b"CLEAR NAMED",
        status=(415,),
    ),
    Case(
        "bad_update_missing_form_type",
        "POST",
        "/sparql/",
        None,
        b"update=CLEAR%20NAMED",
        status=(400,),
    ),
    Case(
        "bad_update_non_utf8",
        "POST",
        "/sparql/",
        "application/sparql-update; charset=UTF-16",
        "CLEAR NAMED".encode("utf-16"),
        status=(403,),
    ),
    Case("bad_update_syntax", "POST", "/sparql/", FORM, b"update=CLEAR%20XYZ", status=(403,)),
    Case(
        "bad_update_dataset_conflict",
        "POST",
        "/sparql/",
        FORM,
        b"using-named-graph-uri=http%3A%2F%2Fexample%2Fpeople&update=WITH%20%3Chttp%3A%2F%2F"
        b"example%2Faddresses%3E%20DELETE%20%7B%20%3Fp%20%3Fq%20%3Fr%20%7D%20WHERE%20%7B%7D",
        status=(403,),
    ),
]

TABULAR = (
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
)
BOOLEAN = ("application/sparql-results+json", "application/sparql-results+xml")
RDF = ("text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml")


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_w3c_protocol(sparql_client, case: Case) -> None:
    headers = {"Content-Type": case.content_type} if case.content_type else {}
    path, _, query_string = case.path.partition("?")
    response = sparql_client.open(
        path,
        method=case.method,
        query_string=query_string,
        data=case.body,
        headers=headers,
    )
    assert response.status_code in case.status, response.get_data(as_text=True)
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    if response.status_code >= 400:
        # The site's one error shape for machines, with a readable message.
        assert response.mimetype == "application/json"
        error = json.loads(response.data)
        assert error["ok"] is False and error["status"] == response.status_code
        assert len(error["message"]) > 10
        return
    if case.result == "tabular":
        assert response.mimetype in TABULAR
    elif case.result == "boolean":
        assert response.mimetype in BOOLEAN
    elif case.result == "rdf":
        assert response.mimetype in RDF
    if case.boolean is not None:
        assert json.loads(response.data)["boolean"] is case.boolean


def test_default_graph_is_union_of_named_graphs(sparql_client) -> None:
    """Without any dataset, triples of every named graph are visible in the default graph."""
    response = sparql_client.get(
        "/sparql",
        query_string={"query": ASK_FULL.replace("GRAPH ?g1", "").replace("GRAPH ?g2", "")},
    )
    assert json.loads(response.data)["boolean"] is True


def test_from_selects_a_local_graph_only(sparql_client) -> None:
    query = f"SELECT ?s FROM <{D}data1.rdf> WHERE {{ ?s a ?t }}"
    response = sparql_client.get("/sparql", query_string={"query": query})
    values = [b["s"]["value"] for b in json.loads(response.data)["results"]["bindings"]]
    assert values == [f"{D}data1.rdf"]


def test_protocol_dataset_overrides_from(sparql_client) -> None:
    query = f"SELECT ?s FROM <{D}data1.rdf> WHERE {{ ?s a ?t }}"
    response = sparql_client.get(
        "/sparql", query_string={"query": query, "default-graph-uri": f"{D}data2.rdf"}
    )
    values = [b["s"]["value"] for b in json.loads(response.data)["results"]["bindings"]]
    assert values == [f"{D}data2.rdf"]


def test_form_post_with_dataset_in_body(sparql_client) -> None:
    response = sparql_client.post(
        "/sparql",
        data={"query": "SELECT ?s WHERE { ?s a ?t }", "default-graph-uri": f"{D}data3.rdf"},
    )
    values = [b["s"]["value"] for b in json.loads(response.data)["results"]["bindings"]]
    assert values == [f"{D}data3.rdf"]


@pytest.mark.parametrize("method", ["HEAD", "OPTIONS"])
def test_head_and_options(sparql_client, method: str) -> None:
    response = sparql_client.open("/sparql", method=method, query_string={"query": "ASK {}"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.data == b""
    if method == "HEAD":
        assert response.status_code == 200
        assert response.mimetype == "application/sparql-results+json"
    else:
        assert response.status_code == 204
        assert "POST" in response.headers["Access-Control-Allow-Methods"]
        assert "GET" in response.headers["Allow"]


@pytest.mark.parametrize(
    ("query_string", "status", "words"),
    [
        ("", 200, "sd:Service"),
        ("query=", 400, "empty"),
        ("default-graph-uri=http%3A%2F%2Fx", 400, "Missing 'query'"),
        ("query=%FF", 400, "UTF-8"),
    ],
)
def test_get_edge_cases(sparql_client, query_string: str, status: int, words: str) -> None:
    response = sparql_client.get(
        "/sparql", query_string=query_string, headers={"Accept": "text/turtle"}
    )
    assert response.status_code == status
    assert words in response.get_data(as_text=True)


def test_query_and_update_together_refused(sparql_client) -> None:
    for response in (
        sparql_client.post("/sparql", data={"query": "ASK {}", "update": "CLEAR ALL"}),
        sparql_client.get("/sparql", query_string={"query": "ASK {}", "update": "CLEAR ALL"}),
    ):
        assert response.status_code == 400
        assert "both 'query' and 'update'" in response.get_data(as_text=True)


def test_non_utf8_form_body(sparql_client) -> None:
    response = sparql_client.post(
        "/sparql", data=b"query=ASK \xff{}", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert "UTF-8" in response.get_data(as_text=True)


def test_non_utf8_direct_body(sparql_client) -> None:
    response = sparql_client.post(
        "/sparql", data=b"ASK { \xc3\x28 }", content_type="application/sparql-query"
    )
    assert response.status_code == 400
    assert "not valid UTF-8" in response.get_data(as_text=True)
