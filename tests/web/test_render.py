"""The pure parts of rendering: language choice, label fallback, the architecture map
model, UI strings, amounts, entity tags."""

from __future__ import annotations

import pytest
from rdflib import Literal

from publisher.http.caching import LruCache, strong_etag
from publisher.i18n import CATALOGUES
from publisher.render.archmap import ComponentRow, LayerRow, build_map
from publisher.render.lang import LANGUAGES, choose_language, pick, pick_all
from publisher.render.lens import format_amount


@pytest.mark.parametrize(
    ("param", "accept_language", "expected"),
    [
        ("en", "fi", "en"),
        ("sv", None, "sv"),
        ("EN", None, "en"),
        ("de", "sv-FI,sv;q=0.9", "sv"),  # unknown ?lang= falls back to the header
        (None, "en-US,en;q=0.9", "en"),
        (None, "de-DE,de;q=0.9,en;q=0.5", "en"),
        (None, "fi-FI", "fi"),
        (None, "de", "fi"),
        (None, None, "fi"),
        (None, "sv;q=0.2, en;q=0.8", "en"),
    ],
)
def test_choose_language(param: str | None, accept_language: str | None, expected: str) -> None:
    assert choose_language(param, accept_language) == expected


FI, EN, SV = Literal("Kartta", lang="fi"), Literal("Map", lang="en"), Literal("Karta", lang="sv")
PLAIN, DE = Literal("Oskari"), Literal("Karte", lang="de")


@pytest.mark.parametrize(
    ("literals", "lang", "expected"),
    [
        ([FI, EN, SV], "sv", SV),
        ([FI, EN], "sv", FI),  # no Swedish: fi before en
        ([EN, DE], "sv", EN),
        ([EN, FI], "en", EN),
        ([DE, PLAIN], "fi", PLAIN),  # untagged (a proper name) before another language
        ([DE], "fi", DE),  # anything rather than nothing
        ([], "fi", None),
    ],
)
def test_pick_falls_back_fi_en_any(literals: list[Literal], lang: str, expected: Literal) -> None:
    assert pick(literals, lang) == expected


def test_pick_all_keeps_one_language() -> None:
    words = [Literal("kartta", lang="fi"), Literal("map", lang="en"), Literal("gis", lang="fi")]
    assert pick_all(words, "sv") == [Literal("gis", lang="fi"), Literal("kartta", lang="fi")]


def test_every_ui_string_has_finnish_and_english() -> None:
    # English is the catalogues' source language; Finnish translates every message.
    assert CATALOGUES.missing("fi") == []
    # Swedish is left out only for a few technical terms, never for whole sentences.
    assert CATALOGUES.missing("sv") == ["Distinct subjects", "Triples", "URI space"]
    assert set(LANGUAGES) == {"fi", "sv", "en"}


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        ("1200", "fi", "1\u00a0200"),
        ("12.5", "fi", "12,50"),
        ("12.5", "en", "12.50"),
        ("0", "en", "0"),
    ],
)
def test_format_amount(value: str, lang: str, expected: str) -> None:
    from rdflib.namespace import XSD

    assert format_amount(Literal(value, datatype=XSD.decimal), lang) == expected


def test_architecture_map_groups_and_counts() -> None:
    layers = [
        LayerRow("ict", "ICT", "/doc/layer/ict", 1, False),
        LayerRow("channels", "Channels", "/doc/layer/channels", 6, False),
        LayerRow("km", "Knowledge", "/doc/layer/km", 7, True),
    ]
    components = [
        ComponentRow("net", "Network", "/c/net", "ict", 2),
        ComponentRow("cap", "Capacity", "/c/cap", "ict", 1),
        ComponentRow("web", "Website", "/c/web", "channels", 1),
        ComponentRow("bi", "Analytics", "/c/bi", "km", 1),
    ]
    themes = {"net": {"o1", "o2"}, "cap": {"o2"}, "bi": {"o3"}}
    amap = build_map(layers, components, themes)
    # Drawn top to bottom: the highest order first; the cross-cutting layer apart.
    assert [layer.key for layer in amap.stacked] == ["channels", "ict"]
    assert [layer.key for layer in amap.cross_cutting] == ["km"]
    ict = amap.stacked[1]
    assert [c.key for c in ict.components] == ["cap", "net"]
    assert [c.count for c in ict.components] == [1, 2]
    assert ict.count == 2  # distinct offerings, not the sum 3
    assert amap.stacked[0].components[0].count == 0


def test_strong_etag_changes_with_content() -> None:
    assert strong_etag(b"a") == strong_etag(b"a") != strong_etag(b"b")


def test_lru_cache_evicts_oldest() -> None:
    cache: LruCache[str, int] = LruCache(2)
    calls: list[str] = []
    for key in ("a", "b", "a", "c", "b"):
        cache.get_or_create(key, lambda key=key: calls.append(key) or len(calls))
    assert calls == ["a", "b", "c", "b"]  # "a" was reused, "b" evicted by "c"
    assert len(cache) == 2


def test_an_accept_language_header_is_read_once() -> None:
    """A page asks for its language several times a request: a header's answer is kept;
    a very long header is read every time, with the same answer as a short one."""
    from publisher.render import lang

    header = "sv-FI, sv;q=0.9, en;q=0.5"
    before = lang._kept_accepted_language.cache_info().hits
    assert choose_language(None, header) == choose_language(None, header) == "sv"
    assert lang._kept_accepted_language.cache_info().hits > before
    long = ", ".join(["de;q=0.9"] * (lang.KEPT_HEADER_LENGTH // 8) + ["en;q=0.5"])
    size = lang._kept_accepted_language.cache_info().currsize
    assert choose_language(None, long) == "en"
    assert lang._kept_accepted_language.cache_info().currsize == size
