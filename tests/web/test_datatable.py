# ruff: noqa: E501  (the reference macros are kept as they were written)
"""The "All data" table in Python (publisher.render.datatable) writes what the Jinja2
macros it replaced wrote (their text is kept here as the reference), for every kind of
value: IRIs of ours and of others, blank nodes with and without a label, texts with a
language, typed and plain literals, and characters that must be escaped."""

from __future__ import annotations

import jinja2
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, RDFS, XSD

from publisher.catalog.triples import TripleSet
from publisher.render.datatable import (
    data_table,
    link_html,
    link_list_html,
    links_inline_html,
    url_html,
)
from publisher.render.lens import Lens, is_web_url
from publisher.store import new_graph

REFERENCE = """{% macro link(l) -%}
{% if l and l.href %}<a href="{{ l.href }}"{% if not l.local %} rel="external"{% endif %}{% if l.lang %} lang="{{ l.lang }}"{% endif %}>{{ l.label }}</a>{% elif l %}{% if l.lang %}<span lang="{{ l.lang }}">{{ l.label }}</span>{% else %}{{ l.label }}{% endif %}{% endif %}
{%- endmacro %}

{% macro links_inline(items) -%}
{% for l in items %}{{ link(l) }}{% if not loop.last %}, {% endif %}{% endfor %}
{%- endmacro %}

{% macro link_list(items, empty) -%}
{% if items %}<ul class="links">{% for l in items %}<li>{{ link(l) }}</li>{% endfor %}</ul>
{% else %}<p class="muted">{{ empty }}</p>{% endif %}
{%- endmacro %}

{% macro url(u) -%}
{% if is_web_url(u|string) %}<a href="{{ u }}" rel="external">{{ u }}</a>{% else %}{{ u }}{% endif %}
{%- endmacro %}

{% macro value(lens, v) -%}
{%- if v.__class__.__name__ == 'URIRef' -%}{{ link(lens.link(v)) }}
{%- elif v.__class__.__name__ == 'BNode' -%}<span class="muted">[{{ lens.label(v) if lens.label(v) != v|string else '…' }}]</span>
{%- elif v.language -%}<span lang="{{ v.language }}">{{ v }}</span> <span class="tag">@{{ v.language }}</span>
{%- else -%}{{ v }}{% if v.language %} <span class="tag">@{{ v.language }}</span>{% elif v.datatype %} <span class="tag">{{ lens.curie(v.datatype) }}</span>{% endif %}
{%- endif -%}
{%- endmacro %}

{% macro data_table(lens, node) -%}
<details class="data">
  <summary>{{ _("All data") }}</summary>
  <table>
    <tbody>
    {% for p, values in lens.statements(node) %}
      <tr><th scope="row">{% if is_web_url(p|string) %}<a href="{{ p }}">{{ lens.curie(p) }}</a>{% else %}{{ lens.curie(p) }}{% endif %}</th>
      <td>{% for v in values %}{{ value(lens, v) }}{% if not loop.last %}<br>{% endif %}{% endfor %}</td></tr>
    {% endfor %}
    </tbody>
  </table>
</details>
{%- endmacro %}

"""
BASE = "http://localhost:8080/"
VOCAB = BASE + "ontology#"
THING = URIRef(BASE + "id/offering/x")


def _lens(lang: str) -> Lens:
    g = TripleSet()
    part, bare = BNode("x.parts.1"), BNode("x.bare")
    for triple in [
        (THING, DCTERMS.title, Literal('Tuote <"&">', lang="fi")),
        (THING, DCTERMS.title, Literal("Product", lang="en")),
        (THING, DCTERMS.publisher, URIRef(BASE + "id/supplier/s")),
        (URIRef(BASE + "id/supplier/s"), RDFS.label, Literal("S & co", lang="sv")),
        (THING, DCTERMS.source, URIRef("https://example.org/a?b=1&c=<2>")),
        (THING, DCTERMS.relation, URIRef("urn:x:y")),
        (THING, DCTERMS.hasPart, part),
        (part, DCTERMS.title, Literal("Osa", lang="fi")),
        (THING, DCTERMS.hasPart, bare),
        (THING, DCTERMS.modified, Literal("2026-01-01", datatype=XSD.date)),
        (THING, DCTERMS.identifier, Literal("x <1>")),
        (THING, URIRef(VOCAB + "price"), Literal("12.50", datatype=XSD.decimal)),
        (THING, URIRef("urn:other:p"), Literal("odd predicate")),
    ]:
        g.add(triple)

    def href(iri: str) -> str | None:
        return "/" + iri[len(BASE) :].replace("id/", "doc/", 1) if iri.startswith(BASE) else None

    return Lens(g, lang, href, new_graph(VOCAB).namespace_manager)


def test_the_table_is_the_macros() -> None:
    env = jinja2.Environment(autoescape=True)
    env.globals.update({"_": lambda text: text + " <&>", "is_web_url": is_web_url})
    macros = env.from_string(REFERENCE).module
    for lang in ("fi", "sv", "en"):
        lens = _lens(lang)
        expected = str(macros.data_table(lens, THING))  # type: ignore[attr-defined]
        assert str(data_table(lens, THING, "All data <&>")) == expected
        for node in (
            THING,
            URIRef(BASE + "id/supplier/s"),
            URIRef("https://example.org/a?b=1&c=<2>"),
        ):
            assert str(link_html(lens.link(node))) == str(macros.link(lens.link(node)))  # type: ignore[attr-defined]
        links = lens.links(THING, DCTERMS.publisher) + [lens.link(THING), None]
        for some in (links, links[:1], []):
            assert str(links_inline_html(some)) == str(macros.links_inline(some))  # type: ignore[attr-defined]
            assert str(link_list_html(some, "None <.>")) == str(macros.link_list(some, "None <.>"))  # type: ignore[attr-defined]
    for value in (
        URIRef("https://example.org/a?b=1&c=<2>"),
        URIRef("urn:x:<y>"),
        Literal("mailto:a@example.org"),
        Literal("javascript:alert(1)"),
        'http://example.org/"q"',
    ):
        assert str(url_html(value)) == str(macros.url(value))  # type: ignore[attr-defined]
    assert link_html(None) == ""
