"""Selections and their URLs: canonical, shareable, round trips, bad input ignored."""

from __future__ import annotations

from urllib.parse import parse_qsl

import pytest
from werkzeug.datastructures import MultiDict

from publisher.siteindex import Selection

CASES = [
    Selection(),
    Selection.of(component="spatial-data"),
    Selection.of(component=["spatial-data", "e-services"], open="yes"),
    Selection.of("paikkatieto", licence=["MIT-OR-EUPL-1.1", "GPL-2.0+"], pricing="price-list"),
    Selection.of(supplier="city-of-helsinki", status="Completed", type="product"),
]


def from_query_string(text: str) -> Selection:
    return Selection.from_args(MultiDict(parse_qsl(text)))


@pytest.mark.parametrize("selection", CASES, ids=lambda s: s.query_string() or "empty")
def test_url_round_trip(selection: Selection) -> None:
    text = selection.query_string()
    again = from_query_string(text)
    assert again == selection
    assert again.query_string() == text


def test_one_selection_has_one_url() -> None:
    a = from_query_string("open=yes&component=spatial-data&component=e-services")
    b = from_query_string("component=e-services&open=yes&component=spatial-data")
    assert a == b
    # facets in their display order, values sorted
    assert a.query_string() == "component=e-services&component=spatial-data&open=yes"
    assert a.query_string(sort="newest", page=2) == (
        "component=e-services&component=spatial-data&open=yes&sort=newest&page=2"
    )


def test_toggling_adds_and_removes_a_value() -> None:
    selection = Selection.of(component="spatial-data")
    more = selection.toggled("component", "e-services")
    assert more.values("component") == {"spatial-data", "e-services"}
    assert more.toggled("component", "e-services") == selection
    assert selection.toggled("component", "spatial-data").empty
    assert more.without("component") == Selection()


def test_unknown_parameters_and_malformed_values_are_ignored() -> None:
    selection = from_query_string(
        "colour=red&component=%3Cscript%3E&component=spatial-data&open=&lang=sv&page=x"
    )
    assert selection == Selection.of(component="spatial-data")


def test_too_many_values_are_capped() -> None:
    text = "&".join(f"supplier=s{i}" for i in range(200))
    assert len(from_query_string(text).values("supplier")) == 50


def test_query_text_is_normalised() -> None:
    assert from_query_string("q=%20%20oskari%20%20kartta%20").query == "oskari kartta"
    assert len(from_query_string("q=" + "a" * 500).query) == 200
