"""The frame of every page (templates/base.html's head links, top bar and footer), written
in Python: base.html calls these between its blocks. What base.html wrote is kept in
tests/render/reference/base.html, which tests/render/test_page_frame.py renders as the
reference; every value is escaped as Jinja2's autoescaping escapes it
(``markupsafe.escape``).

Most of the frame depends only on the language of the page's texts, the mount point and
the reader's explicit ``?lang=``: made once for each of those (a few variants per process)
and reused by every page; the rest (the page's formats, its schema.org data, the links to
it in other languages) is written per page.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any

from flask import current_app, request, url_for
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup, escape

from publisher.i18n import translate
from publisher.render import html


def frame_head(formats: Iterable[Any], schemaorg: Any) -> Markup:
    """After ``<title>``: style sheets and icon, the page's other formats, its schema.org
    data."""
    out = [_static_links(request.script_root, current_app.static_url_path or "")]
    getattr_ = current_app.jinja_env.getattr
    for f in formats:
        out.append(
            f'<link rel="alternate" type="{escape(getattr_(f, "type"))}"'
            f' href="{escape(getattr_(f, "href"))}">\n'
        )
    if schemaorg:
        policies = current_app.jinja_env.policies
        data = htmlsafe_json_dumps(
            schemaorg, dumps=policies["json.dumps_function"], **policies["json.dumps_kwargs"]
        )
        out.append(f'<script type="application/ld+json">{data}</script>\n')
    return Markup("".join(out))


def frame_alternates(alternates: Iterable[tuple[str, str]]) -> Markup:
    """The page in each language (``head_links``'s alternates)."""
    return Markup(
        "".join(
            f'<link rel="alternate" hreflang="{escape(code)}" href="{escape(href)}">\n'
            for code, href in alternates
        )
    )


def frame_top(lang: str, query: Any, language_links: Iterable[dict[str, Any]]) -> Markup:
    """From the skip link to the start of ``<main>``: brand, search form, language switch."""
    before, middle, after, end = _top(*_variant())
    hidden = (
        f'<input type="hidden" name="lang" value="{escape(lang)}">'
        if request.args.get("lang")
        else ""
    )
    getattr_ = current_app.jinja_env.getattr
    links = "".join(
        f'<a href="{escape(getattr_(link, "href"))}" hreflang="{escape(getattr_(link, "code"))}"'
        f' lang="{escape(getattr_(link, "code"))}"'
        + (' aria-current="true"' if getattr_(link, "current") else "")
        + f">{escape(getattr_(link, 'name'))}</a>"
        for link in language_links
    )
    return Markup("".join((before, escape(query), middle, hidden, after, links, end)))


def frame_bottom(formats: Any) -> Markup:
    """The footer: about, links to the site's other parts, the page's other formats."""
    text_lang, root, explicit = _variant()
    out = [_footer(text_lang, root, explicit)]
    if formats:
        getattr_ = current_app.jinja_env.getattr
        listed = ", ".join(
            f'<a href="{escape(getattr_(f, "href"))}" type="{escape(getattr_(f, "type"))}">'
            f"{escape(getattr_(f, 'label'))}</a>"
            for f in formats
        )
        _, _p = _texts(text_lang)
        out.append(f"· {_('Other formats')}: {listed}")
    out.append("\n  </p>\n</footer>")
    return Markup("".join(out))


def _variant() -> tuple[str, str, str | None]:
    """What the shared parts depend on: the language of the texts (base.html's ``_``),
    the mount point and the explicit ``?lang=`` (``site_path``'s)."""
    _uris, explicit, root = html._link_context()
    return html._lang(), root, explicit


@functools.lru_cache(maxsize=16)
def _static_links(root: str, static: str) -> str:
    site_css = url_for("static", filename="site.css")
    discovery_css = url_for("static", filename="discovery.css")
    icon = url_for("static", filename="favicon.svg")
    return (
        f'<link rel="stylesheet" href="{escape(site_css)}">\n'
        f'<link rel="stylesheet" href="{escape(discovery_css)}">\n'
        f'<link rel="icon" href="{escape(icon)}" type="image/svg+xml">\n'
    )


@functools.lru_cache(maxsize=64)
def _top(lang: str, root: str, explicit: str | None) -> tuple[str, str, str, str]:
    """The top bar around the search value, the hidden language field and the language
    links."""
    _, _p = _texts(lang)
    home, search = escape(html.site_path("/")), escape(html.site_path("/search"))
    before = (
        f'<a class="skip" href="#main">{_("Skip to content")}</a>\n'
        '<header class="top">\n'
        '  <div class="wrap top-row">\n'
        f'    <a class="brand" href="{home}"><span class="brand-mark" aria-hidden="true">◧</span>'
        f" {_('Avoin kunta')}</a>\n"
        f'    <form class="search" role="search" action="{search}" method="get">\n'
        f'      <label class="visually-hidden" for="q">{_("Search")}</label>\n'
        '      <input id="q" name="q" type="search" value="'
    )
    middle = f'" placeholder="{_("Search titles, descriptions and keywords")}">\n      '
    after = (
        "\n"
        f'      <button type="submit">{_p("button", "Search")}</button>\n'
        "    </form>\n"
        f'    <nav class="langs" aria-label="{_("Language")}">\n'
        "      "
    )
    end = '\n    </nav>\n  </div>\n</header>\n<main id="main" class="wrap">\n<!--language-notice-->'
    return before, middle, after, end


@functools.lru_cache(maxsize=64)
def _footer(lang: str, root: str, explicit: str | None) -> str:
    """The footer up to the page's other formats."""
    _, _p = _texts(lang)

    def link(path: str, label: str) -> str:
        return f'<a href="{escape(html.site_path(path))}">{label}</a>'

    about = _(
        "Avoin kunta is an initiative started by COSS ry in 2014. The facts come from the "
        "suppliers and the sources named on every page."
    )
    return (
        '<footer class="wrap foot">\n'
        f"  <p>{about}</p>\n"
        '  <p class="foot-links">\n'
        f"    {link('/ontology', _('Vocabulary'))} ·\n"
        f"    {link('/sparql', _('SPARQL'))} ·\n"
        f"    {link('/catalog.html', _('DCAT catalogue'))} ·\n"
        f"    {link('/dumps/', _('Downloads'))} ·\n"
        f"    {link('/.well-known/void', 'VoID')}\n"
        "    "
    )


def _texts(lang: str) -> tuple[Callable[[str], str], Callable[[str, str], str]]:
    """``_`` and ``_p`` of the frame's texts in ``lang``, escaped (as base.html's were;
    named so that the message extractor finds them)."""

    def _(message: str) -> str:
        return str(escape(translate(message, lang).text))

    def _p(context: str, message: str) -> str:
        return str(escape(translate(message, lang, context).text))

    return _, _p
