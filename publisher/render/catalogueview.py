"""The entries of the people's view of a catalogue page (templates/discovery/catalogue.html:
one card per dataset or asset, with its licences, publisher, contacts and distributions),
written in Python.

An ADMS page shows 50 assets: as a Jinja2 loop calling ``d``, ``tx``, ``fmt`` and filters
through the template's context they were most of the page's render. The bytes are the
template's (tests/render/test_catalogue_view.py renders the old template, kept in
tests/render/reference, as the reference); every value is escaped as Jinja2's autoescaping
escapes it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from jinja2 import Environment
from jinja2.filters import do_truncate
from markupsafe import Markup, escape

from publisher.render.escaping import esc


def _tx(value: Mapping[str, Any] | None, tag: str = "span") -> str:
    """The ``tx`` macro: a text in ``<tag>``, with its ``lang`` when it has one."""
    if not value:
        return ""
    lang = f' lang="{esc(value["lang"])}"' if value["lang"] else ""
    return f"<{tag}{lang}>{esc(value['text'])}</{tag}>"


def catalogue_entries(
    entries: Iterable[Mapping[str, Any]],
    d: Callable[[str], str],
    fmt: Callable[[Any], str],
    env: Environment,
) -> Markup:
    """Every entry's ``<article>`` (harvestpages' entries; ``d`` its words, ``fmt`` its
    number format, ``env`` the app's Jinja2 environment, whose policies ``truncate``
    follows)."""
    licence, publisher, modified = (
        escape(d("licence")),
        escape(d("publisher")),
        escape(d("modified")),
    )
    contact, distributions = escape(d("contact")), escape(d("distributions"))
    head = (
        f'<thead><tr><th scope="col">{esc(d("format"))}</th><th scope="col">URL</th>'
        f'<th scope="col" class="num">{esc(d("size"))}</th>'
        f'<th scope="col">{esc(d("checksum"))}</th></tr></thead>'
    )
    out = []
    for n, e in enumerate(entries, 1):
        badges = "".join(f'<span class="badge">{esc(t)}</span> ' for t in e["types"])
        description = e["description"]
        if description:
            lang = f' lang="{esc(description["lang"])}"' if description["lang"] else ""
            summary = do_truncate(env, description["text"], 300, True, "…")
            description = f'<p class="osummary"{lang}>{esc(summary)}</p>'
        else:
            description = ""
        licences = ""
        if e["licence"]:
            licences = (
                f"<div><dt>{licence}</dt><dd>"
                + ", ".join(
                    f'<a href="{esc(u)}">{esc(u.rsplit("/", 1)[-1])}</a>' for u in e["licence"]
                )
                + "</dd></div>"
            )
        by = (
            f"<div><dt>{publisher}</dt><dd>{_tx(e['publisher'])}</dd></div>"
            if e["publisher"]
            else ""
        )
        when = (
            f"<div><dt>{modified}</dt><dd>{esc(e['modified'])}</dd></div>" if e["modified"] else ""
        )
        contacts = []
        for c in e["contacts"]:
            email = (
                f' <a href="{esc(c["email"])}">{esc(c["email"].replace("mailto:", ""))}</a>'
                if c["email"]
                else ""
            )
            url = (
                f' <a href="{esc(c["url"])}" rel="external">{esc(c["url"])}</a>' if c["url"] else ""
            )
            contacts.append(f"<div><dt>{contact}</dt><dd>{_tx(c['name'])}{email}{url}</dd></div>")
        table = ""
        if e["distributions"]:
            rows = []
            for x in e["distributions"]:
                kind = x["format"] or "/".join(x["media_type"])
                size = escape(fmt(x["bytes"])) if x["bytes"] else ""
                checksum = (
                    f'<code class="hash">{esc(x["checksum"])}</code>' if x["checksum"] else ""
                )
                link = f'<a href="{esc(x["url"])}">{esc(x["url"])}</a>'
                rows.append(
                    f'<tr><td>{esc(kind)}</td><td>{link}</td><td class="num">{size}</td>'
                    f"<td>{checksum}</td></tr>"
                )
            table = (
                f'<div class="table-wrap"><table>\n    <caption>{distributions}</caption>\n'
                f"    {head}\n    <tbody>{''.join(rows)}</tbody>\n  </table></div>"
            )
        out.append(
            f'\n<article class="ocard" aria-labelledby="e-{n}">\n'
            f'  <h3 id="e-{n}" class="otitle"><a href="{esc(e["iri"])}">'
            f"{_tx(e['title'])}</a></h3>\n"
            f'  <p class="ometa">{badges}</p>\n'
            f"  {description}\n"
            '  <dl class="ofacts">\n'
            f"    {licences}\n    {by}\n    {when}\n    {''.join(contacts)}\n"
            "  </dl>\n"
            f"  {table}\n"
            "</article>\n"
        )
    return Markup("".join(out))
