"""The body of an offering's page (``block main`` of templates/kinds/offering.html, its
prices and the provenance box every thing's page shows), written in Python.

It was Jinja2 (offering.html, kinds/_price.html, kinds/_provenance.html, the ``header`` and
``text`` macros): a template calls a Python function through Jinja2's context (~2 µs a
call) hundreds of times a page, the larger part of a cold document's render. The bytes are
the templates' (tests/render/test_offering_page.py renders the old templates, kept there as
the reference, on the same lenses); every value is escaped as Jinja2's autoescaping escapes
it (``markupsafe.escape``; ``str`` of what is not text).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from markupsafe import Markup, escape
from rdflib import URIRef
from rdflib.term import Node

from publisher import namespaces
from publisher.i18n import N_, translate
from publisher.i18n.names import STATUS_NAMES
from publisher.render.datatable import data_table, link_html, link_list_html, links_inline_html
from publisher.render.datatable import url_html as url
from publisher.render.escaping import esc
from publisher.render.lens import Kept, Lens, Terms, format_amount, is_web_url

# (the terms a page reads, made once)
ADMS, DCAT, DCT = Kept(namespaces.ADMS), Kept(namespaces.DCAT), Kept(namespaces.DCT)
OWL, RDFS, SCHEMA = Kept(namespaces.OWL), Kept(namespaces.RDFS), Kept(namespaces.SCHEMA)

DASH = "—"


# Every UI text this module writes, marked for `make messages` (its extractor does not read
# f-strings): `_texts(lang)` looks one up (a text not listed here is a KeyError).
MESSAGES = (
    N_("API documentation"),
    N_("All data"),
    N_("Architecture components"),
    N_("Delivery phases"),
    N_("Evidence"),
    N_("Homepage"),
    N_("Issued"),
    N_("Keywords"),
    N_("Licence"),
    N_("Links"),
    N_("Modified"),
    N_("No price published."),
    N_("None."),
    N_("Not open source"),
    N_("Open source"),
    N_("Openness"),
    N_("Openness not known"),
    N_("Parts"),
    N_("Price list"),
    N_("Pricing"),
    N_("Procurement route"),
    N_("Product"),
    N_("Products and services"),
    N_("Provenance"),
    N_("Same elsewhere"),
    N_("Service"),
    N_("Service domains"),
    N_("Source code"),
    N_("Sources"),
    N_("Standards"),
    N_("Status"),
    N_("Supplier"),
    N_("closed"),
    N_("open"),
)


@functools.lru_cache(maxsize=8)
def _words(lang: str) -> dict[str, Markup]:
    return {message: escape(translate(message, lang).text) for message in MESSAGES}


def _texts(lang: str) -> Callable[[str], Markup]:
    """``_``: a UI text in ``lang``, escaped (what ``{{ _(message) }}`` wrote)."""
    return _words(lang).__getitem__


def text(lens: Lens, node: Node, predicate: URIRef, tag: str = "p", cls: str = "") -> str:
    """The ``text`` macro: the text in the best language in ``<tag>``, with ``lang`` when
    it is not the page's; nothing when there is none."""
    found = lens.text_lang(node, predicate)
    if not found:
        return ""
    value, language = found
    attrs = f' class="{esc(cls)}"' if cls else ""
    if language and language != lens.lang:
        attrs += f' lang="{esc(language)}"'
    return f"<{esc(tag)}{attrs}>{esc(value)}</{esc(tag)}>"


def header(lens: Lens, s: Node, kicker: str, kicker_lang: str | None = None) -> str:
    """The ``header`` macro: kicker, title and IRI."""
    kicker_attr = f' lang="{esc(kicker_lang)}"' if kicker_lang else ""
    title, title_lang = lens.label_lang(s)
    title_attr = f' lang="{esc(title_lang)}"' if title_lang else ""
    return (
        f'<p class="kicker"{kicker_attr}>{esc(kicker)}</p>\n'
        f"<h1{title_attr}>{esc(title)}</h1>\n"
        f'<p class="iri"><code>{esc(s)}</code></p>'
    )


def price(lens: Lens, p: Node, ak: Terms, brief: bool) -> str:
    """kinds/_price.html: amount and currency, unit, description unless ``brief``, and
    links to price lists."""
    out = ['<div class="price">']
    amount = format_amount(lens.one(p, SCHEMA.price), lens.lang)
    if amount:
        currency = lens.one(p, SCHEMA.priceCurrency) or ""
        out.append(f"<strong>{esc(amount)} {esc(currency)}</strong>")
    unit = lens.text_fallback(p, SCHEMA.unitText)
    if unit:
        unit_attr = f' lang="{esc(unit[1])}"' if unit[1] else ""
        out.append(f" / <span{unit_attr}>{esc(unit[0])}</span>")
    if not brief:
        out.append(text(lens, p, DCT.description, "span", "note"))
    for u in lens.objects(p, ak.priceList):
        if is_web_url(str(u)):
            price_list = _texts(lens.lang)("Price list")
            out.append(f' <a href="{esc(u)}" rel="external">{price_list}</a>')
    out.append("</div>")
    return "".join(out)


def provenance(lens: Lens, s: Node) -> Markup:
    """kinds/_provenance.html: status, dates, sources, provenance and same-as links."""
    lang = lens.lang
    _ = _texts(lang)
    out = ['<section class="meta">\n<dl>\n  ']
    status = lens.one(s, ADMS.status)
    st = lens.link(status) if status is not None else None
    if st:
        message = STATUS_NAMES.get(st.iri.rsplit("/", 1)[-1])
        name = (translate(message, lang).text if message else None) or st.label
        out.append(
            f"<div><dt>{_('Status')}</dt><dd>"
            f'<a href="{esc(st.href)}" rel="external">{esc(name)}</a></dd></div>'
        )
    out.append("\n  ")
    for predicate, title in ((DCT.issued, N_("Issued")), (DCT.modified, N_("Modified"))):
        when = lens.one(s, predicate)
        if when:
            out.append(
                f"<div><dt>{_(title)}</dt><dd>"
                f'<time datetime="{esc(when)}">{esc(str(when)[:10])}</time></dd></div>'
            )
        out.append("\n  ")
    sources = lens.objects(s, DCT.source)
    if sources:
        out.append(_address_row(_("Sources"), sources))
    out.append("\n  ")
    for pv in lens.nodes(s, DCT.provenance):
        out.append(
            f"<div><dt>{_('Provenance')}</dt><dd>{text(lens, pv, RDFS.label, 'span')}</dd></div>"
        )
    out.append("\n  ")
    same = lens.objects(s, OWL.sameAs)
    if same:
        out.append(_address_row(_("Same elsewhere"), same))
    out.append("\n</dl>\n</section>")
    return Markup("".join(out))


def _address_row(title: str, addresses: list[Node]) -> str:
    """A row of the provenance box: its (translated, escaped) title and web addresses."""
    return f"<div><dt>{title}</dt><dd>" + "<br>".join(url(u) for u in addresses) + "</dd></div>"


def offering_main(lens: Lens, s: Node, ak: Terms, site_path: Callable[..., str]) -> Markup:
    """``block main`` of kinds/offering.html: its sections in turn (each ends where the
    template's next ``{% set %}`` or ``{% if %}`` began, so that the text between them,
    blank lines included, is the template's)."""
    lang = lens.lang
    _ = _texts(lang)
    kicker = N_("Product") if lens.has_type(s, ak.Product) else N_("Service")
    prices = lens.nodes(s, ak.pricing)
    routes = links_inline_html(lens.links(s, ak.procurementRoute))
    note = lens.text_lang(s, ak.procurementNote)
    # (the template set `brief` false in the pricing section only: a part's prices are
    # brief when that section is not shown)
    brief_parts = not (prices or note)
    out = [
        "\n\n",
        header(lens, s, _(kicker)),
        "\n",
        text(lens, s, DCT.description, "p", "lead"),
        "\n\n\n\n",
        _glance(lens, s, ak, prices, routes),
        "\n\n\n",
        _pricing(lens, ak, prices, routes, note) if prices or note else "",
        "\n\n\n",
        _parts(lens, s, ak, brief_parts),
        "\n\n",
        _claims(lens, s, ak),
        _links(lens, s, ak, site_path),
        "\n</section>\n\n",
        provenance(lens, s),
        "\n",
        data_table(lens, s, _("All data")),
        "\n",
    ]
    return Markup("".join(out))


def _glance(lens: Lens, s: Node, ak: Terms, prices: list[Any], routes: str) -> str:
    lang = lens.lang
    _ = _texts(lang)
    licence = lens.one(s, DCT.license)
    open_ = lens.boolean(licence, ak.openSource) if licence else None
    if open_ is True:
        pill = f'<span class="pill open">{_("Open source")}</span>\n      '
    elif open_ is False:
        pill = f'<span class="pill closed">{_("Not open source")}</span>\n      '
    else:
        pill = f'<span class="pill unknown">{_("Openness not known")}</span>'
    if prices:
        priced = "".join(price(lens, p, ak, brief=True) for p in prices)
    else:
        priced = f'<span class="muted">{_("No price published.")}</span>'
    return (
        f'<section class="glance" aria-label="{_("Products and services")}">\n  <dl>\n'
        f"    <div><dt>{_('Supplier')}</dt><dd>"
        f"{links_inline_html(lens.links(s, DCT.publisher))}</dd></div>\n"
        f"    <div><dt>{_('Licence')}</dt><dd>"
        f"{link_html(lens.link(licence)) if licence else DASH}\n      {pill}</dd></div>\n    \n"
        f"    <div><dt>{_('Pricing')}</dt><dd>\n      \n      {priced}\n    </dd></div>\n"
        f"    <div><dt>{_('Procurement route')}</dt><dd>{routes or DASH}</dd></div>\n"
        "  </dl>\n</section>"
    )


def _pricing(
    lens: Lens, ak: Terms, prices: list[Any], routes: str, note: tuple[str, str | None] | None
) -> str:
    lang = lens.lang
    _ = _texts(lang)
    out = [
        f'<section class="pricing">\n<h2>{_("Pricing")} · {_("Procurement route")}</h2>\n\n',
        *(price(lens, p, ak, brief=False) for p in prices),
        "\n",
    ]
    if note:
        note_attr = f' lang="{esc(note[1])}"' if note[1] and note[1] != lang else ""
        out.append(f'<p class="note">{routes}: <span{note_attr}>{esc(note[0])}</span></p>')
    out.append("\n</section>")
    return "\n" + "".join(out) + "\n"


def _parts(lens: Lens, s: Node, ak: Terms, brief: bool) -> str:
    parts = lens.nodes(s, DCT.hasPart)
    if not parts:
        return ""
    lang = lens.lang
    _ = _texts(lang)
    out = [
        f'\n<section>\n<h2>{_("Parts")}</h2>\n<table class="parts">\n'
        f'  <thead><tr><th scope="col">{_("Parts")}</th>'
        f'<th scope="col">{_("Licence")}</th>'
        f'<th scope="col">{_("Pricing")}</th></tr></thead>\n  <tbody>\n  '
    ]
    for part in parts:
        licence = lens.one(part, DCT.license)
        open_ = lens.boolean(licence, ak.openSource) if licence else None
        title = lens.text_fallback(part, DCT.title)
        if title:
            title_attr = f' lang="{esc(title[1])}"' if title[1] else ""
            named = f"<span{title_attr}>{esc(title[0])}</span>"
        else:
            named = DASH
        if open_ is True:
            pill = f'<span class="pill open">{_("open")}</span>'
        elif open_ is False:
            pill = f'<span class="pill closed">{_("closed")}</span>'
        else:
            pill = ""
        priced = "".join(price(lens, p, ak, brief) for p in lens.nodes(part, ak.pricing))
        out.append(
            f'\n    \n    \n    <tr>\n      <th scope="row">{named}'
            f"{text(lens, part, DCT.description, 'span', 'note')}</th>\n"
            f"      <td>{link_html(lens.link(licence)) if licence else DASH}\n        {pill}</td>\n"
            f"      <td>{priced or DASH}</td>\n    </tr>\n  "
        )
    out.append("\n  </tbody>\n</table>\n</section>\n")
    return "".join(out)


def _claims(lens: Lens, s: Node, ak: Terms) -> str:
    lang = lens.lang
    _ = _texts(lang)
    claims = lens.nodes(s, ak.opennessClaim)
    out = [f"\n<section>\n<h2>{_('Openness')}</h2>\n"]
    if claims:
        out.append('\n<ul class="claims">\n')
        for c in claims:
            evidence = lens.objects(c, ak.evidence)
            standards = lens.links(c, DCT.conformsTo)
            out.append(
                f"\n  <li>\n    <strong>{links_inline_html(lens.links(c, ak.aspect))}</strong>"
                f"\n    {text(lens, c, DCT.description, 'span', 'note')}\n    \n    "
            )
            if evidence:
                urls = ", ".join(url(e) for e in evidence)
                out.append(f'<div class="sub">{_("Evidence")}: {urls}</div>')
            out.append("\n    ")
            if standards:
                named = links_inline_html(standards)
                out.append(f'<div class="sub">{_("Standards")}: {named}</div>')
            out.append("\n  </li>\n")
        out.append("\n</ul>\n")
    else:
        out.append(f'<p class="muted">{_("None.")}</p>')
    none = _("None.")
    out.append(
        '\n</section>\n\n<section class="cols">\n'
        f"  <div><h2>{_('Architecture components')}</h2>"
        f"{link_list_html(lens.links(s, DCAT.theme), none)}</div>\n"
        f"  <div><h2>{_('Service domains')}</h2>"
        f"{link_list_html(lens.links(s, ak.serviceDomain), none)}</div>\n"
        f"  <div><h2>{_('Delivery phases')}</h2>"
        f"{link_list_html(lens.links(s, ak.deliveryPhase), none)}</div>\n"
        "</section>\n\n"
    )
    return "".join(out)


def _links(lens: Lens, s: Node, ak: Terms, site_path: Callable[..., str]) -> str:
    lang = lens.lang
    _ = _texts(lang)
    out = [f'<section>\n<h2>{_("Links")}</h2>\n<ul class="links">\n  ']
    for predicate, title in (
        (DCAT.landingPage, N_("Homepage")),
        (ak.sourceRepository, N_("Source code")),
        (ak.apiDocumentation, N_("API documentation")),
    ):
        out.extend(f"<li>{_(title)}: {url(u)}</li>" for u in lens.objects(s, predicate))
        out.append("\n  ")
    standards = _("Standards")
    out.extend(f"<li>{standards}: {link_html(li)}</li>" for li in lens.links(s, DCT.conformsTo))
    out.append("\n</ul>\n\n")
    keywords = lens.texts_fallback(s, DCAT.keyword)
    if keywords:
        links = ", ".join(
            f'<a class="kw" href="{esc(site_path("/search", q=k))}"'
            + (f' lang="{esc(k_lang)}"' if k_lang else "")
            + f">{esc(k)}</a>"
            for k, k_lang in keywords
        )
        out.append(f"<p>{_('Keywords')}: {links}</p>")
    return "".join(out)
