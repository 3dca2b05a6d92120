"""The repeated items of the home page, written in Python: the components on the
architecture map (templates/_archmap.html) and the values of the lists under it
(templates/home.html).

Each item was a few lines of Jinja2 calling ``site_path``, ``_`` and ``dtext`` through the
template's context; ~60 components and ~75 values made them most of the page's render.
The bytes are the templates' (tests/render/test_home_page.py renders the old templates,
kept in tests/render/reference, as the reference); every value is escaped as Jinja2's
autoescaping escapes it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from markupsafe import Markup, escape

from publisher.i18n import N_, translate
from publisher.render.archmap import MapComponent
from publisher.render.discovery_text import text as discovery_text
from publisher.render.escaping import esc
from publisher.render.html import page_language, site_path


def map_components(
    components: Iterable[MapComponent], lang: str, before: str, after: str
) -> Markup:
    """The ``<li>`` of each component of a layer, each between ``before`` and ``after``
    (the template's text around its loop body: a newline and the indentation)."""
    inferred = escape(translate("Layer inferred from the deck; confidence: low", lang).text)
    # (dtext's language: the request's, as the template's context processor chose it)
    nothing = escape(discovery_text("no_offering_yet", page_language()))
    out = []
    for c in components:
        empty = " empty" if c.count == 0 else ""
        href = escape(site_path("/offerings", component=c.key))
        label_lang = f' lang="{esc(c.lang)}"' if c.lang else ""
        mark = (
            f'<span class="inferred" title="{inferred}">†'
            f'<span class="visually-hidden"> ({inferred})</span></span>'
            if c.uncertain
            else ""
        )
        if c.count:
            count = f'<span class="count"><span class="visually-hidden">: </span>{c.count}</span>'
        else:
            count = (
                f'<span class="count" title="{nothing}">0'
                f'<span class="visually-hidden"> ({nothing})</span></span>'
            )
        out.append(
            f'{before}<li class="component{empty}"><a href="{href}">'
            f"<span{label_lang}>{esc(c.label)}</span>{mark}{count}</a></li>{after}"
        )
    return Markup("".join(out))


def facet_items(items: Iterable[Mapping[str, Any]], lang: str) -> Markup:
    """The ``<li>`` of each value of a list under the map (``home.facets``' items)."""
    out = []
    for item in items:
        item_lang = f' lang="{esc(item["lang"])}"' if item["lang"] else ""
        badge = ""
        if item["badge"]:
            name = N_("Open source") if item["badge"] == "open" else N_("Not open source")
            badge = (
                f' <span class="pill {esc(item["badge"])}">{esc(translate(name, lang).text)}</span>'
            )
        out.append(
            f'\n      <li><a href="{esc(item["href"])}"{item_lang}>{esc(item["label"])}</a>'
            f' <span class="count">{esc(item["count"])}</span>{badge}</li>\n    '
        )
    return Markup("".join(out))
