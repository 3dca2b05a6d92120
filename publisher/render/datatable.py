"""A page's "All data" table (every statement of the thing it is about), written in Python.

It was two Jinja2 macros (``data_table`` and ``value`` in templates/_macros.html): one macro
call per value cost more than the rest of the table, ~15 % of a document's render. The
bytes are the macros' (tests/render/test_datatable.py renders both on the same lens); every
value is escaped as Jinja2's autoescaping escapes it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from markupsafe import Markup, escape
from rdflib.term import Node

from publisher.render.escaping import esc
from publisher.render.lens import Lens, Link, is_web_url


def link_html(link: Link | None) -> Markup:
    """A link (``link`` of templates/_macros.html): an ``<a>``, or its label when it has
    no address."""
    if link and link.href:
        rel = "" if link.local else ' rel="external"'
        lang = f' lang="{esc(link.lang)}"' if link.lang else ""
        return Markup(f'<a href="{esc(link.href)}"{rel}{lang}>{esc(link.label)}</a>')
    if link:
        if link.lang:
            return Markup(f'<span lang="{esc(link.lang)}">{esc(link.label)}</span>')
        return escape(link.label)
    return Markup("")


def links_inline_html(links: Iterable[Link | None]) -> Markup:
    """``links_inline``: the links, separated by commas."""
    return Markup(", ".join(link_html(link) for link in links))


def link_list_html(links: Sequence[Link | None], empty: str) -> Markup:
    """``link_list``: the links as a list, or ``empty`` in a paragraph when there are none."""
    if links:
        return Markup(
            '<ul class="links">'
            + "".join(f"<li>{link_html(link)}</li>" for link in links)
            + "</ul>\n"
        )
    return Markup(f'<p class="muted">{esc(empty)}</p>')


def url_html(value: object) -> Markup:
    """``url``: a web address as a link, any other value as text."""
    if is_web_url(str(value)):
        return Markup(f'<a href="{esc(value)}" rel="external">{esc(value)}</a>')
    return escape(value)


# What templates/_macros.html gives the templates under these names.
MACROS = {
    "link_html": link_html,
    "links_inline_html": links_inline_html,
    "link_list_html": link_list_html,
    "url_html": url_html,
}


def data_table(lens: Lens, node: Node, title: str) -> Markup:
    """``<details>`` with a row per predicate of ``node`` and its values; ``title`` is the
    summary's text (translated by the caller)."""
    rows = []
    for predicate, values in lens.statements(node):
        curie = escape(lens.curie(predicate))
        head = f'<a href="{esc(predicate)}">{curie}</a>' if is_web_url(str(predicate)) else curie
        cells = "<br>".join(_value(lens, v) for v in values)
        rows.append(f'\n      <tr><th scope="row">{head}</th>\n      <td>{cells}</td></tr>\n    ')
    return Markup(
        f'<details class="data">\n  <summary>{esc(title)}</summary>\n'
        "  <table>\n    <tbody>\n    " + "".join(rows) + "\n    </tbody>\n  </table>\n</details>"
    )


def _value(lens: Lens, value: Node) -> str:
    kind = type(value).__name__  # as the macro told them apart
    if kind == "URIRef":
        return link_html(lens.link(value))
    if kind == "BNode":
        # (The macro meant "…" for a node without a label, but its test parsed as
        # ``(label != v)|string``, always a non-empty string: it always showed the label.)
        return f'<span class="muted">[{esc(lens.label(value))}]</span>'
    language = getattr(value, "language", None)
    if language:
        return (
            f'<span lang="{esc(language)}">{esc(value)}</span>'
            f' <span class="tag">@{esc(language)}</span>'
        )
    datatype = getattr(value, "datatype", None)
    text = str(escape(value))
    if datatype:
        text += f' <span class="tag">{esc(lens.curie(datatype))}</span>'
    return text
