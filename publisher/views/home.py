"""The home page: the architecture map and the lists by facet. (``/search`` is the
`discovery` blueprint's.)"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, request

from publisher.http.caching import LruCache, add_vary, finish
from publisher.reads import HOME_FACETS, Index, home_index
from publisher.render.archmap import ArchitectureMap, ComponentRow, LayerRow, build_map
from publisher.render.html import local_href, page_language, render_page, variant_key
from publisher.render.lang import pick
from publisher.render.lens import other_language
from publisher.site import Site

bp = Blueprint("home", __name__)

_PAGES: LruCache[tuple[Any, ...], bytes] = LruCache(64)
_INDEXES: LruCache[str, Index] = LruCache(4)

FACETS = HOME_FACETS


def site() -> Site:
    return current_app.extensions["avoinkunta"]


@bp.get("/")
def home() -> Response:
    s = site()
    publication = s.publication()
    lang = page_language()
    key = (publication.build_id, *variant_key())

    def render() -> bytes:
        index = _index(s)
        return render_page(
            "home.html",
            lang=lang,
            archmap=architecture_map(index, lang),
            facets=_facets(index, lang),
            counts={"offerings": index.offerings, "suppliers": index.suppliers},
            build_id=publication.build_id,
            schemaorg=_website(s),
        ).encode("utf-8")

    return _html_page(_PAGES.get_or_create(key, render), lang)


def _html_page(body: bytes, lang: str) -> Response:
    """An HTML page in ``lang`` that changes only with the publication."""
    s = site()
    response = Response(body, mimetype="text/html")
    response.headers["Content-Language"] = lang
    add_vary(response, "Accept-Language")
    return finish(
        response,
        request,
        body=body,
        last_modified=s.publication().built_at,
        max_age=s.settings.cache_max_age,
        cors=False,
    )


def _website(s: Site) -> dict[str, Any]:
    """schema.org for the home page: the site, its search, and the data catalogue."""
    base = s.settings.base_uri
    return {
        "@context": {"@vocab": "http://schema.org/"},
        "@type": "WebSite",
        "@id": base,
        "name": "Avoin kunta",
        "url": base,
        "inLanguage": ["fi", "sv", "en"],
        "potentialAction": {
            "@type": "SearchAction",
            "target": f"{base}search?q={{search_term_string}}",
            "query-input": "required name=search_term_string",
        },
        "about": {"@type": "DataCatalog", "@id": f"{base}catalog", "url": f"{base}catalog"},
    }


# --- the map and the facets ------------------------------------------------------------


def architecture_map(index: Index, lang: str) -> ArchitectureMap:
    layers = [
        LayerRow(
            _key(iri),
            _label(index, iri, lang),
            _href(iri),
            order,
            cross,
            lang=_label_lang(index, iri, lang)[1],
        )
        for iri, order, cross in index.layers
    ]
    components = [
        ComponentRow(
            _key(iri),
            _label(index, iri, lang),
            _href(iri),
            _key(layer),
            order,
            lang=_label_lang(index, iri, lang)[1],
            confidence=confidence,
        )
        for iri, layer, order, confidence in index.components
    ]
    themes = {_key(iri): offerings for iri, offerings in index.themes.items()}
    return build_map(layers, components, themes)


def _facets(index: Index, lang: str) -> list[dict[str, Any]]:
    out = []
    for title, _, _ in FACETS:
        counts = index.facets.get(title, {})
        values = set(counts) | index.facet_values.get(title, set())
        items = [
            {
                "label": _label(index, iri, lang),
                "lang": _label_lang(index, iri, lang)[1],
                "href": _href(iri),
                "count": len(counts.get(iri, ())),
                "badge": (
                    None
                    if iri not in index.open_licences
                    else "open"
                    if index.open_licences[iri]
                    else "closed"
                ),
            }
            for iri in values
        ]
        items.sort(key=lambda i: (-i["count"], i["label"].casefold()))
        out.append({"title": title, "items": items})
    return out


# --- reading the store once per publication ----------------------------------------------


def _index(s: Site) -> Index:
    publication = s.publication()
    return _INDEXES.get_or_create(publication.build_id, lambda: home_index(s.store(), s.uris))


def _label(index: Index, iri: str, lang: str) -> str:
    return _label_lang(index, iri, lang)[0]


def _label_lang(index: Index, iri: str, lang: str) -> tuple[str, str | None]:
    """The label in the best language, and that language when it is not `lang`."""
    lit = pick(index.labels.get(iri, ()), lang)
    if lit is None:
        return _key(iri), None
    return str(lit), other_language(lit, lang)


def _key(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


def _href(iri: str) -> str:
    return local_href(iri) or iri
