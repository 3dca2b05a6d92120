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
from publisher.render.escaping import esc


def frame_head(formats: Iterable[Any], schemaorg: Any) -> Markup:
    """After ``<title>``: style sheets and icon, the page's other formats, its schema.org
    data."""
    out = [_static_links(request.script_root, current_app.static_url_path or "")]
    getattr_ = current_app.jinja_env.getattr
    for f in formats:
        out.append(
            f'<link rel="alternate" type="{esc(getattr_(f, "type"))}"'
            f' href="{esc(getattr_(f, "href"))}">\n'
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
            f'<link rel="alternate" hreflang="{esc(code)}" href="{esc(href)}">\n'
            for code, href in alternates
        )
    )


def frame_top(lang: str, query: Any, language_links: Iterable[dict[str, Any]]) -> Markup:
    """From the skip link to the start of ``<main>``: brand, search form, language switch."""
    before, middle, after, end = _top(*_variant())
    hidden = (
        f'<input type="hidden" name="lang" value="{esc(lang)}">' if request.args.get("lang") else ""
    )
    getattr_ = current_app.jinja_env.getattr
    links = "".join(
        f'<a href="{esc(getattr_(link, "href"))}" hreflang="{esc(getattr_(link, "code"))}"'
        f' lang="{esc(getattr_(link, "code"))}"'
        + (' aria-current="true"' if getattr_(link, "current") else "")
        + f">{esc(getattr_(link, 'name'))}</a>"
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
            f'<a href="{esc(getattr_(f, "href"))}" type="{esc(getattr_(f, "type"))}">'
            f"{esc(getattr_(f, 'label'))}</a>"
            for f in formats
        )
        _, _p = _texts(text_lang)
        other = _("Other formats")
        out.append(f"· {other}: {listed}")
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
        f'<link rel="stylesheet" href="{esc(site_css)}">\n'
        f'<link rel="stylesheet" href="{esc(discovery_css)}">\n'
        f'<link rel="icon" href="{esc(icon)}" type="image/svg+xml">\n'
    )


@functools.lru_cache(maxsize=64)
def _top(lang: str, root: str, explicit: str | None) -> tuple[str, str, str, str]:
    """The top bar around the search value, the hidden language field and the language
    links. (The texts are named outside the f-strings: the message extractor does not
    read f-strings.)"""
    _, _p = _texts(lang)
    skip, brand, search_label = _("Skip to content"), _("Avoin kunta"), _("Search")
    placeholder = _("Search titles, descriptions and keywords")
    button, language = _p("button", "Search"), _("Language")
    home, search = esc(html.site_path("/")), esc(html.site_path("/search"))
    before = (
        f'<a class="skip" href="#main">{skip}</a>\n'
        '<header class="top">\n'
        '  <div class="wrap top-row">\n'
        f'    <a class="brand" href="{home}"><span class="brand-mark" aria-hidden="true">◧</span>'
        f" {brand}</a>\n"
        f'    <form class="search" role="search" action="{search}" method="get">\n'
        f'      <label class="visually-hidden" for="q">{search_label}</label>\n'
        '      <input id="q" name="q" type="search" value="'
    )
    middle = f'" placeholder="{placeholder}">\n      '
    after = (
        "\n"
        f'      <button type="submit">{button}</button>\n'
        "    </form>\n"
        f'    <nav class="langs" aria-label="{language}">\n'
        "      "
    )
    end = '\n    </nav>\n  </div>\n</header>\n<main id="main" class="wrap">\n<!--language-notice-->'
    return before, middle, after, end


@functools.lru_cache(maxsize=64)
def _footer(lang: str, root: str, explicit: str | None) -> str:
    """The footer up to the page's other formats."""
    _, _p = _texts(lang)
    about = _(
        "Avoin kunta is an initiative started by COSS ry in 2014. The facts come from the "
        "suppliers and the sources named on every page."
    )
    links = (
        ("/ontology", _("Vocabulary")),
        ("/sparql", _("SPARQL")),
        ("/catalog.html", _("DCAT catalogue")),
        ("/dumps/", _("Downloads")),
        ("/.well-known/void", "VoID"),
    )
    listed = " ·\n    ".join(
        f'<a href="{esc(html.site_path(path))}">{label}</a>' for path, label in links
    )
    return (
        '<footer class="wrap foot">\n'
        f"  <p>{about}</p>\n"
        '  <p class="foot-links">\n'
        f"    {listed}\n"
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
