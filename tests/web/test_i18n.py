"""The site's words come from gettext catalogues (fi, sv, en) with plural forms; the
catalogues are up to date with the code (``make messages``); a missing translation falls
back to English and the page says so."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po
from flask.testing import FlaskClient

from publisher.i18n import CATALOGUES, LOCALE_DIR, ngettext, translate
from publisher.render.i18n import translate as translate_key

ROOT = Path(__file__).resolve().parents[2]
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.mark.parametrize(
    ("lang", "n", "expected"),
    [
        ("fi", 1, "1 toimittaja"),
        ("fi", 31, "31 toimittajaa"),
        ("fi", 0, "0 toimittajaa"),
        ("sv", 1, "1 leverantör"),
        ("sv", 31, "31 leverantörer"),
        ("en", 1, "1 supplier"),
        ("en", 31, "31 suppliers"),
    ],
)
def test_plural_forms(lang: str, n: int, expected: str) -> None:
    found = ngettext("%(num)d supplier", "%(num)d suppliers", n, lang)
    assert found.text == expected and found.lang == lang


def test_a_missing_translation_falls_back_to_english_and_says_so() -> None:
    assert translate("Triples", "sv").text == "Triples"
    assert translate("Triples", "sv").lang == "en"
    assert translate("Triples", "fi").text == "Kolmikot"
    assert translate("Search", "fi").text == "Haku"
    assert translate("Search", "fi", context="button").text == "Hae"
    assert translate("Not a message of ours", "fi").lang == "en"
    assert translate_key("home", "sv") == "Startsida"  # the SPARQL page's keys


def test_home_page_counts_with_plural_forms(client: FlaskClient) -> None:
    fi = client.get("/?lang=fi", headers={"Accept": BROWSER}).text
    suppliers = int(re.search(r"(\d+) toimittaja", fi).group(1))
    assert f"{suppliers} toimittaja{'' if suppliers == 1 else 'a'} " in fi
    assert "toimittajat" not in fi
    sv = client.get("/?lang=sv", headers={"Accept": BROWSER}).text
    assert re.search(rf"{suppliers} leverantör(er)? ", sv)


def test_the_page_marks_a_fallback_with_its_language(client: FlaskClient) -> None:
    page = client.get("/.well-known/void.html?lang=sv").text
    assert '<span lang="en">Triples</span>' in page
    assert "<dt>Klasser</dt>" in page or ">Klasser<" in page


def test_the_catalogues_are_up_to_date_with_the_code(tmp_path: Path) -> None:
    """What `make messages` would extract is exactly what every catalogue holds."""
    pot = tmp_path / "messages.pot"
    CommandLineInterface().run(
        [
            "pybabel",
            "-q",
            "extract",
            "-F",
            str(ROOT / "publisher" / "i18n" / "babel.cfg"),
            *("-k", "_h", "-k", "_p:1c,2", "-k", "_hp:1c,2", "-k", "_n:1,2", "-k", "N_"),
            *("-k", "translate"),
            "-o",
            str(pot),
            str(ROOT),
        ]
    )
    with pot.open("rb") as handle:
        extracted = {
            (m.id if isinstance(m.id, str) else m.id[0], m.context) for m in read_po(handle) if m.id
        }
    for lang in ("fi", "sv", "en"):
        with (LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po").open("rb") as handle:
            held = {
                (m.id if isinstance(m.id, str) else m.id[0], m.context)
                for m in read_po(handle)
                if m.id
            }
        assert held == extracted, (lang, "run `make messages`", extracted ^ held)
    assert CATALOGUES.missing("fi") == []
