"""What every HTML page needs from the request: its language, links to our own
resources on this site, and the Jinja2 context (UI strings, language switch)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import current_app, render_template, request
from markupsafe import Markup, escape

from publisher.namespaces import ADMS, DCAT, DCT, FOAF, OWL, RDFS, SCHEMA, SKOS, VCARD
from publisher.render.i18n import translate, translate_lang
from publisher.render.lang import LANGUAGES, choose_language
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
    return choose_language(request.args.get("lang"), request.headers.get("Accept-Language"))


def explicit_language() -> str | None:
    """The `?lang=` the reader chose, carried on in our links so the choice sticks."""
    value = (request.args.get("lang") or "").strip().lower()[:2]
    return value if value in LANGUAGES else None


def local_href(iri: str) -> str | None:
    """The path on this site of one of our IRIs (things go straight to their document),
    or None for anyone else's IRI."""
    uris = current_app.extensions["avoinkunta"].uris
    if not iri.startswith(uris.base):
        return None
    thing = uris.parse(iri)
    rest = uris.doc(*thing)[len(uris.base) :] if thing else iri[len(uris.base) :]
    path, hash_, fragment = rest.partition("#")
    lang = explicit_language()
    query = f"?{urlencode({'lang': lang})}" if lang and not path.startswith("ontology") else ""
    return f"{request.script_root}/{path}{query}{hash_}{fragment}"


def site_path(path: str, **params: str | None) -> str:
    """A path on this site with the explicit language (if any) and `params` added."""
    query = {k: v for k, v in params.items() if v}
    lang = explicit_language()
    if lang:
        query.setdefault("lang", lang)
    suffix = f"?{urlencode(query)}" if query else ""
    return f"{request.script_root}/{path.lstrip('/')}{suffix}"


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


def translated_markup(key: str, lang: str) -> Markup:
    """A UI string as HTML; a fallback in another language carries its own ``lang``."""
    text, text_lang = translate_lang(key, lang)
    if text_lang == lang:
        return escape(text)
    return Markup('<span lang="{}">{}</span>').format(text_lang, text)


def render_page(template: str, **context: Any) -> str:
    lang = context.pop("lang", None) or page_language()
    return render_template(
        template,
        lang=lang,
        t=lambda key: translate(key, lang),
        tl=lambda key: translated_markup(key, lang),
        language_links=language_links(),
        head_links=head_links(),
        site_path=site_path,
        format_amount=format_amount,
        is_web_url=is_web_url,
        **TEMPLATE_NAMESPACES,
        **context,
    )
