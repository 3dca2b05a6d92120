"""Search as people type it: inflected forms, compounds and typos in Finnish, Swedish and
English find the offering they mean, first or in the top 3, with "did you mean" for a
corrected typo. The bundled catalogue has no Swedish texts, so Swedish forms are also
tried on tests/fixtures/multilingual."""

from __future__ import annotations

import pytest

from publisher.search.voikko import open_voikko
from publisher.siteindex import SiteIndex

# (query, page language, offering expected in the top 3, "did you mean" or None)
BUNDLED = [
    # Finnish inflected forms and compounds → their base words (Voikko)
    ("kartat", "fi", "oskari", None),  # kartta, plural
    ("paikkatietoa", "fi", "oskari", None),  # paikkatieto, partitive
    ("paikkatiedot", "sv", "oskari", None),
    ("rakennusluvat", "fi", "lupapiste", None),  # rakennuslupa, plural
    ("kirjastot", "fi", "koha-suomi-service", None),  # kirjasto, plural
    ("kirjastojärjestelmät", "en", "koha-suomi-service", None),
    ("karttapalveluja", "fi", "oskari", None),  # compound: kartta + palvelu
    ("Maanmittauslaitoksen", "fi", "oskari", None),  # supplier name, genitive
    # typos: one or two letters
    ("oskri", "fi", "oskari", "oskari"),
    ("Moodel", "en", "moodle", "moodle"),
    ("kyecloak", "sv", "keycloak", "keycloak"),
    ("drupl", "fi", "drupal", "drupal"),
    ("nexcloud", "en", "nextcloud", "nextcloud"),
    # English stemming
    ("maps", "en", "oskari", None),
    ("libraries", "en", "koha-suomi-service", None),
    ("building permits", "en", "lupapiste", None),
]

MULTILINGUAL = [
    ("kartorna", "sv", "exempel-kartor", None),  # Swedish definite plural
    ("kartan", "sv", "exempel-kartor", None),
    ("biblioteken", "sv", "exempel-bibliotek", None),
    ("bygglovet", "sv", "exempel-bygglov", None),
    ("biblotek", "sv", "exempel-bibliotek", "bibliotek"),  # typo
    ("kartat", "fi", "exempel-kartor", None),
    ("kirjastot", "fi", "exempel-bibliotek", None),
    ("rakennusluvat", "fi", "exempel-bygglov", None),
    ("libraries", "en", "exempel-bibliotek", None),
    ("permits", "en", "exempel-bygglov", None),
]

# the cases that need Voikko (without it they are skipped, not failed)
FINNISH_MORPHOLOGY = {
    "kartat",
    "paikkatietoa",
    "paikkatiedot",
    "rakennusluvat",
    "kirjastot",
    "kirjastojärjestelmät",
    "karttapalveluja",
    "Maanmittauslaitoksen",
}


def check(index: SiteIndex, query: str, lang: str, expected: str, corrected: str | None) -> None:
    if query in FINNISH_MORPHOLOGY and open_voikko() is None:
        pytest.skip("Voikko is not installed (libvoikko1, voikko-fi; .ci/run installs them)")
    result = index.search(query, lang=lang, size=10)
    keys = [card["key"] for card in result.page.cards]
    assert expected in keys[:3], (query, keys)
    assert result.outcome.corrected == corrected, (query, result.outcome.corrected)


@pytest.mark.parametrize(("query", "lang", "expected", "corrected"), BUNDLED)
def test_bundled_catalogue(
    site_index: SiteIndex, query: str, lang: str, expected: str, corrected: str | None
) -> None:
    check(site_index, query, lang, expected, corrected)


@pytest.mark.parametrize(("query", "lang", "expected", "corrected"), MULTILINGUAL)
def test_multilingual_fixture(
    multilingual_index: SiteIndex, query: str, lang: str, expected: str, corrected: str | None
) -> None:
    check(multilingual_index, query, lang, expected, corrected)


def test_nothing_is_found_for_nonsense(site_index: SiteIndex) -> None:
    result = site_index.search("qqqxxzz")
    assert result.page.total == 0 and result.outcome.corrected is None


def test_an_exact_word_is_not_corrected(site_index: SiteIndex) -> None:
    result = site_index.search("Oskari")
    assert result.outcome.corrected is None
    assert result.page.cards[0]["key"] == "oskari"


def test_every_word_must_match_before_any_word_may(site_index: SiteIndex) -> None:
    both = site_index.search("oskari kartta")
    assert [c["key"] for c in both.page.cards] == ["oskari"] and not both.outcome.any_word
    either = site_index.search("oskari moodle")
    assert either.outcome.any_word
    assert {"oskari", "moodle"} <= {c["key"] for c in either.page.cards}


def test_other_kinds_are_found_beside_offerings(site_index: SiteIndex, voikko: None) -> None:
    result = site_index.search("paikkatietoa")
    assert ("component", "spatial-data") in {(e.kind, e.key) for e in result.others}


def test_snippets_mark_the_inflected_form_in_the_text(
    multilingual_index: SiteIndex, voikko: None
) -> None:
    result = multilingual_index.search("paikkatietoa", lang="fi")
    card = result.page.cards[0]
    snippet = multilingual_index.snippet(card["summary"]["fi"], "fi", result.outcome.terms)
    assert ("paikkatiedoille", True) in snippet.segments
    assert "".join(text for text, _ in snippet.segments) == card["summary"]["fi"]


def test_facets_are_counted_over_the_matches(site_index: SiteIndex) -> None:
    result = site_index.search("kartta")
    assert 0 < len(result.offerings) < site_index.counts()["offering"]
    for facet in result.facets:
        for value in facet.values:
            expected = len(result.offerings & site_index.members(facet.name, value.value))
            assert value.count == expected, (facet.name, value.value)


def test_suggest_completes_a_prefix(site_index: SiteIndex) -> None:
    assert [s.entity.key for s in site_index.suggest("osk")][:1] == ["oskari"]
    assert "keycloak" in [s.entity.key for s in site_index.suggest("Keyc")]
    found = site_index.suggest("paikka", lang="en")
    assert ("component", "spatial-data") in {(s.entity.kind, s.entity.key) for s in found}
    assert site_index.suggest("   ") == []
