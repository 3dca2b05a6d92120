"""publisher.render.escaping.esc writes what ``str(markupsafe.escape(value))`` wrote, for
text, markup, rdflib terms and other values; its fallback (another MarkupSafe) too."""

from __future__ import annotations

import pytest
from markupsafe import Markup, escape
from rdflib import Literal, URIRef

from publisher.render import escaping

VALUES = [
    "",
    "plain",
    "<b>\"it's\" & 'that'</b>",
    "&amp; &#39; &#x27; &quot; &#34;",
    "ääkköset ◧ — \u00a0",
    Markup("<i>kept</i>"),
    URIRef("http://example.org/a?b=1&c=<2>"),
    Literal("Kartta & <kuva>", lang="fi"),
    Literal("12.50"),
    12,
    None,
]


@pytest.mark.parametrize("value", VALUES)
def test_esc_is_markupsafe_escape_as_text(value: object) -> None:
    assert escaping.esc(value) == str(escape(value))
    assert type(escaping.esc(value)) is str


@pytest.mark.parametrize("value", [v for v in VALUES if type(v) is str])
def test_the_fallback_escapes_the_same(value: str) -> None:
    assert escaping._fallback(value) == str(escape(value))
