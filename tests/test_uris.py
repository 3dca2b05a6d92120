from __future__ import annotations

import pytest

from publisher.uris import UriScheme, licence_key

URIS = UriScheme("http://localhost:8080/")


@pytest.mark.parametrize(
    ("kind", "key"),
    [
        ("offering", "linked-events"),
        ("licence", "MIT-OR-EUPL-1.1"),
        ("licence", "GPL-2.0+"),
        ("component", "spatial-data"),
        ("supplier", "coss"),
    ],
)
def test_thing_round_trips(kind: str, key: str) -> None:
    iri = URIS.thing(kind, key)
    assert URIS.parse(str(iri)) == (kind, key)
    assert str(URIS.doc(kind, key, "ttl")).endswith(f"/doc/{kind}/{key}.ttl")


@pytest.mark.parametrize(
    "iri",
    [
        "http://localhost:8080/id/offering/",
        "http://localhost:8080/id/unknown/x",
        "http://localhost:8080/id/offering/Bad_Key",
        "http://example.org/id/offering/x",
        "http://localhost:8080/doc/offering/x",
        "http://localhost:8080/id/offering/a/b",
    ],
)
def test_foreign_or_malformed_iris_do_not_parse(iri: str) -> None:
    assert URIS.parse(iri) is None


def test_minting_refuses_bad_keys_and_kinds() -> None:
    with pytest.raises(ValueError):
        URIS.thing("offering", "Not A Slug")
    with pytest.raises(ValueError):
        URIS.thing("nonsense", "x")
    with pytest.raises(ValueError):
        UriScheme("http://localhost:8080")  # no trailing slash


def test_licence_expression_key() -> None:
    assert licence_key("MIT OR EUPL-1.1") == "MIT-OR-EUPL-1.1"
    assert str(URIS.vocab["Offering"]) == URIS.base + "ontology#Offering"
