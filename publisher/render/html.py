"""What every HTML page needs from the request: its language, links to our own
resources on this site, and the Jinja2 context (UI strings, language switch)."""

from __future__ import annotations

import functools
import re
from typing import Any
from urllib.parse import urlencode

from flask import Flask, current_app, g, render_template, request
from markupsafe import Markup, escape

from publisher.i18n import Text, ngettext, translate
from publisher.i18n.names import KIND_NAMES, STATUS_NAMES
from publisher.namespaces import ADMS, DCAT, DCT, FOAF, OWL, RDFS, SCHEMA, SKOS, VCARD
from publisher.render import i18n as legacy
from publisher.render.lang import LANGUAGE_TAG, LANGUAGES, choose_language
from publisher.render.lens import format_amount, is_web_url

# Namespaces the templates use to name properties (`dct.title`, `schema.price`…).
TEMPLATE_NAMESPACES = {
    "adms": ADMS,
    "dcat": DCAT,
    "dct": DCT,
    "foaf": FOAF,
    "owl": OWL,
    "rdfs": RDFS,
    "schema": SCHEMA,
    "skos": SKOS,
    "vcard": VCARD,
}

LANGUAGE_NAMES = {"fi": "suomi", "sv": "svenska", "en": "English"}


def page_language() -> str:
    """The page's language: ?lang= (a malformed one is refused before any view runs, and
    ignored here so that even its error page renders), Accept-Language, or Finnish."""
    param = request.args.get("lang")
    if param and not LANGUAGE_TAG.match(param):
        param = None
    return choose_language(param, request.headers.get("Accept-Language"))


def explicit_language() -> str | None:
    """The `?lang=` the reader chose, carried on in our links so the choice sticks."""
    value = (request.args.get("lang") or "").strip().lower()[:2]
    return value if value in LANGUAGES else None


def variant_key() -> tuple[object, ...]:
    """Everything of the request that reaches an HTML page's bytes: the path (the language
    links repeat it), every query parameter (they carry them on), the language chosen
    (from ``?lang=`` or Accept-Language) and the mount point. Part of every HTML cache key,
    so that ``/doc/x`` and ``/doc/x.html`` never share an entry."""
    return (
        request.script_root,
        request.path,
        tuple(sorted(request.args.items(multi=True))),
        page_language(),
    )


def local_href(iri: str) -> str | None:
    """The path on this site of one of our IRIs (things go straight to their document),
    or None for anyone else's IRI."""
    uris, lang, root = _link_context()
    if not iri.startswith(uris.base):
        return None
    path, hash_, fragment = _site_path_of(uris, iri)
    # (lang is one of LANGUAGES: nothing to escape)
    query = f"?lang={lang}" if lang and not path.startswith("ontology") else ""
    return f"{root}/{path}{query}{hash_}{fragment}"


@functools.lru_cache(maxsize=8192)
def _site_path_of(uris: Any, iri: str) -> tuple[str, str, str]:
    """Where one of our IRIs is on the site (without the mount point and the language):
    path, ``#`` and fragment. Made once per IRI: the same concepts and licences are
    linked from every page."""
    thing = uris.parse(iri)
    # (uris.doc(*thing) without its base: parse has checked the kind and the key, whose
    # characters quote() leaves as they are)
    rest = f"doc/{thing[0]}/{thing[1]}" if thing else iri[len(uris.base) :]
    path, hash_, fragment = rest.partition("#")
    return path, hash_, fragment


def thing_href(kind: str, key: str) -> str:
    """``local_href(str(uris.thing(kind, key)))`` without making the IRI and parsing it
    back: a thing's document (its key has no character that quoting changes)."""
    uris, lang, root = _link_context()
    if not _checked(uris, kind, key):
        uris.thing(kind, key)  # raises ValueError, as making the IRI did
    query = f"?lang={lang}" if lang else ""
    return f"{root}/doc/{kind}/{key}{query}"


@functools.lru_cache(maxsize=4096)
def _checked(uris: Any, kind: str, key: str) -> bool:
    """Is (kind, key) a thing of ``uris`` (one IRI made once for each)?"""
    try:
        uris.thing(kind, key)
    except ValueError:
        return False
    return True


def _link_context() -> tuple[Any, str | None, str]:
    """The site's URIs, the explicit language and the mount point: the same for every
    link of a request, so looked up once per request (a page makes hundreds of links)."""
    found: tuple[Any, str | None, str] | None = g.get("_link_context")
    if found is None:
        found = (
            current_app.extensions["avoinkunta"].uris,
            explicit_language(),
            request.script_root,
        )
        g._link_context = found
    return found


def site_path(path: str, **params: str | None) -> str:
    """A path on this site with the explicit language (if any) and `params` added."""
    query = {k: v for k, v in params.items() if v}
    _uris, lang, root = _link_context()
    if lang:
        query.setdefault("lang", lang)
    suffix = f"?{_query(query)}" if query else ""
    return f"{root}/{path.lstrip('/')}{suffix}"


# What urlencode leaves as it is (quote_plus's always-safe characters).
_PLAIN = re.compile(r"[A-Za-z0-9_.~-]*")


def _query(params: dict[str, str]) -> str:
    """``urlencode(params)``, without its work for keys and values it leaves alone."""
    if all(
        type(v) is str and _PLAIN.fullmatch(k) and _PLAIN.fullmatch(v) for k, v in params.items()
    ):
        return "&".join(f"{k}={v}" for k, v in params.items())
    return urlencode(params)


def language_links() -> list[dict[str, Any]]:
    """The language switch: this page in each language (every parameter kept, repeated
    ones too: ``?component=a&component=b``)."""
    current = page_language()
    kept = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    links = []
    for code in LANGUAGES:
        links.append(
            {
                "code": code,
                "name": LANGUAGE_NAMES[code],
                "href": f"{request.script_root}{request.path}?{urlencode([*kept, ('lang', code)])}",
                "current": code == current,
            }
        )
    return links


def marked(found: Text, lang: str) -> Markup:
    """A message as HTML; a fallback in another language carries its own ``lang``."""
    if found.lang == lang:
        return escape(found.text)
    return Markup('<span lang="{}">{}</span>').format(found.lang, found.text)


def _lang() -> str:
    return str(getattr(g, "page_lang", None) or page_language())


def _text(message: str) -> str:
    return translate(message, _lang()).text


def _text_in(context: str, message: str) -> str:
    return translate(message, _lang(), context).text


def _html(message: str) -> Markup:
    lang = _lang()
    return marked(translate(message, lang), lang)


def _html_in(context: str, message: str) -> Markup:
    lang = _lang()
    return marked(translate(message, lang, context), lang)


def _plural(singular: str, plural: str, n: int) -> Markup:
    lang = _lang()
    return marked(ngettext(singular, plural, n, lang), lang)


def _name(table: dict[str, str], code: str) -> str | None:
    message = table.get(code)
    return translate(message, _lang()).text if message else None


# The gettext functions of every template (imported macros included), in the language of
# the page being rendered: ``_`` text, ``_h`` HTML with a marked fallback, ``_p``/``_hp``
# with a context, ``_n`` plural forms; names of kinds and statuses by their code.
TEMPLATE_FUNCTIONS: dict[str, Any] = {
    "_": _text,
    "_p": _text_in,
    "_h": _html,
    "_hp": _html_in,
    "_n": _plural,
    "kind_name": lambda code: _name(KIND_NAMES, code) or code,
    "status_name": lambda code: _name(STATUS_NAMES, code),
}


def init_app(app: Flask) -> None:
    from publisher.render.catalogueview import catalogue_entries
    from publisher.render.datatable import MACROS, data_table
    from publisher.render.frame import frame_alternates, frame_bottom, frame_head, frame_top
    from publisher.render.homepage import facet_items, map_components
    from publisher.render.offering import offering_main, provenance

    app.jinja_env.globals.update(TEMPLATE_FUNCTIONS)
    # (templates/_macros.html: building blocks called many times a page, in Python; the
    # body of an offering's page, every thing's provenance box, the home page's items,
    # the entries of a catalogue page's people's view)
    app.jinja_env.globals.update(
        MACROS,
        data_table_html=data_table,
        offering_main_html=offering_main,
        provenance_html=provenance,
        map_components=map_components,
        facet_items=facet_items,
        frame_head=frame_head,
        frame_alternates=frame_alternates,
        frame_top=frame_top,
        frame_bottom=frame_bottom,
        catalogue_entries=lambda entries, d, fmt: catalogue_entries(entries, d, fmt, app.jinja_env),
    )


def head_links() -> dict[str, Any]:
    """Absolute URLs for the page head: ``canonical`` (this page in its language) and
    ``alternates`` ((hreflang, URL) for each language, and x-default without ``lang``)."""
    host = request.host_url.rstrip("/")
    links = language_links()
    kept = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    default = f"{host}{request.script_root}{request.path}" + (f"?{urlencode(kept)}" if kept else "")
    return {
        "canonical": next(host + link["href"] for link in links if link["current"]),
        "alternates": [(link["code"], host + link["href"]) for link in links]
        + [("x-default", default)],
    }


def render_page(template: str, **context: Any) -> str:
    lang = context.pop("lang", None) or page_language()
    g.page_lang = lang
    return render_template(
        template,
        lang=lang,
        # Message keys of the first dictionary, for templates not yet converted.
        t=lambda key: legacy.translate(key, lang),
        tl=lambda key: marked(Text(*legacy.translate_lang(key, lang)), lang),
        language_links=language_links(),
        head_links=head_links(),
        site_path=site_path,
        format_amount=format_amount,
        is_web_url=is_web_url,
        **TEMPLATE_NAMESPACES,
        **context,
    )
