"""The lexical policy check: updates and SERVICE found wherever they are, and only there."""

from __future__ import annotations

import pytest

from sparql_endpoint.errors import SparqlError
from sparql_endpoint.execute import check_policy
from sparql_endpoint.scan import scan
from sparql_endpoint.settings import SparqlSettings

SCANS = [
    # (query, form, is_update, services, has_from)
    ("SELECT * { ?s ?p ?o }", "SELECT", False, [], False),
    ("PREFIX select: <http://x/> ASK { select:a ?p ?o }", "ASK", False, [], False),
    (
        "select * { ?service ?p 'SERVICE <http://x/>' } # SERVICE <http://y/>",
        "SELECT",
        False,
        [],
        False,
    ),
    (
        'SELECT * { ?s ?p """multi\nline SERVICE <http://x/> "quoted" """ }',
        "SELECT",
        False,
        [],
        False,
    ),
    ("SELECT * { ?s <http://x/SERVICE> ?o . ?s ex:SERVICE ?o }", "SELECT", False, [], False),
    (
        "SELECT * { SERVICE <http://a.example/sparql> { ?s ?p ?o } }",
        "SELECT",
        False,
        ["http://a.example/sparql"],
        False,
    ),
    (
        "SELECT * { service silent <http://a.example/sparql> { ?s ?p ?o } }",
        "SELECT",
        False,
        ["http://a.example/sparql"],
        False,
    ),
    (
        "PREFIX e: <http://a.example/> SELECT * { SERVICE e:sparql { ?s ?p ?o } }",
        "SELECT",
        False,
        ["http://a.example/sparql"],
        False,
    ),
    ("SELECT * { SERVICE ?endpoint { ?s ?p ?o } }", "SELECT", False, [None], False),
    ("SELECT * { SERVICE <relative> { ?s ?p ?o } }", "SELECT", False, [None], False),
    ("SELECT * { SERVICE undeclared:x { ?s ?p ?o } }", "SELECT", False, [None], False),
    (
        "SELECT * { SERVICE <http://\\u0061.example/> { ?s ?p ?o } }",
        "SELECT",
        False,
        ["http://a.example/"],
        False,
    ),
    ("SELECT * FROM <http://x/g> { ?s ?p ?o }", "SELECT", False, [], True),
    ("SELECT * FROM NAMED <http://x/g> { GRAPH ?g { ?s ?p ?o } }", "SELECT", False, [], True),
    ("SELECT * { ?s ?p 'from' }", "SELECT", False, [], False),
    ("INSERT DATA { <a:b> <a:c> <a:d> }", "INSERT", True, [], False),
    ("PREFIX x: <http://x/> DELETE WHERE { ?s ?p ?o }", "DELETE", True, [], False),
    ("ASK {} ; CLEAR ALL", "ASK", True, [], False),
    ("LOAD <http://x/>", "LOAD", True, [], False),
    ("WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "WITH", True, [], False),
    ("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT", False, [], False),
    ("BASE <http://x/> DESCRIBE <a>", "DESCRIBE", False, [], False),
]


@pytest.mark.parametrize(("query", "form", "is_update", "services", "has_from"), SCANS)
def test_scan_table(query, form, is_update, services, has_from) -> None:
    found = scan(query)
    assert (found.form, found.is_update, found.services, found.has_from) == (
        form,
        is_update,
        services,
        has_from,
    )


def test_allow_list_admits_listed_endpoint_only() -> None:
    settings = SparqlSettings(service_allowlist=("http://a.example/sparql",))
    check_policy("SELECT * { SERVICE <http://a.example/sparql> { ?s ?p ?o } }", settings)
    for query in (
        "SELECT * { SERVICE <http://b.example/sparql> { ?s ?p ?o } }",
        "SELECT * { SERVICE ?e { ?s ?p ?o } }",
    ):
        with pytest.raises(SparqlError) as info:
            check_policy(query, settings)
        assert info.value.status == 403


def test_default_refuses_every_service() -> None:
    with pytest.raises(SparqlError) as info:
        check_policy(
            "SELECT * { SERVICE <http://a.example/sparql> { ?s ?p ?o } }", SparqlSettings()
        )
    assert "not allowed" in info.value.message
