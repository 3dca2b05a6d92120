"""The home page: the architecture map and the lists by facet, read from the
publication's site index (``publisher.siteindex``), so that its cost does not grow with the
catalogue. (``/search`` is the `discovery` blueprint's.)"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, current_app, request

from publisher.http.caching import LruCache, PublicationCache, add_vary, finish
from publisher.i18n import LANGUAGES, N_
from publisher.render.archmap import ArchitectureMap, ComponentRow, LayerRow, build_map
from publisher.render.html import page_language, render_page, site_path, thing_href, variant_key
from publisher.site import Site
from publisher.siteindex import Selection, SiteIndex

bp = Blueprint("home", __name__)

# Rendered once per publication and variant, kept with the publication (every worker
# serves the same bytes).
_PAGES = PublicationCache(256)
_COUNTS: LruCache[str, dict[str, Any]] = LruCache(4)  # facet counts, parsed

# (facet of the site index, title) of the lists under the map.
FACETS: tuple[tuple[str, str], ...] = (
    ("supplier", N_("By supplier")),
    ("licence", N_("By licence")),
    ("aspect", N_("By openness aspect")),
    ("domain", N_("By service domain")),
    ("phase", N_("By delivery phase")),
)
# A list with more values than this shows the most frequent ones and links to all of them.
LIST_ALL_UP_TO = 30
TOP = 15


def site() -> Site:
    return current_app.extensions["avoinkunta"]


@bp.get("/")
def home() -> Response:
    s = site()
    publication = s.publication()
    lang = page_language()

    def render() -> bytes:
        index = s.site_index()
        counts = index.counts()
        return render_page(
            "home.html",
            lang=lang,
            archmap=architecture_map(s, index, lang),
            facets=facets(s, index, lang, _counts(publication.path, index)),
            counts={"offerings": counts.get("offering", 0), "suppliers": counts.get("supplier", 0)},
            modified=publication.modified.date().isoformat(),
            schemaorg=_website(s),
        ).encode("utf-8")

    body = _PAGES.get_or_create(publication.path, "home", variant_key(), render)
    return _html_page(body, lang)


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
        last_modified=s.publication().modified,
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


def _href(s: Site, kind: str, key: str) -> str:
    return thing_href(kind, key)  # (a thing of this site: its IRI is local)


def architecture_map(s: Site, index: SiteIndex, lang: str) -> ArchitectureMap:
    concepts = index.concepts
    layers = []
    for key in index.concept_keys("layer"):
        label = index.label("layer", key, lang)
        concept = concepts[("layer", key)]
        layers.append(
            LayerRow(
                key,
                label.text,
                _href(s, "layer", key),
                concept["position"] or 0,
                concept["cross_cutting"],
                lang=label.other_than(lang),
            )
        )
    components = []
    for key in index.concept_keys("component"):
        label = index.label("component", key, lang)
        concept = concepts[("component", key)]
        components.append(
            ComponentRow(
                key,
                label.text,
                _href(s, "component", key),
                concept["broader"] or "",
                concept["position"] or 0,
                lang=label.other_than(lang),
                confidence=concept["confidence"],
            )
        )
    members = {row.key: index.members("component", row.key) for row in components}
    return build_map(layers, components, members)


def _counts(publication_dir: Path, index: SiteIndex) -> dict[str, Any]:
    """The values of the facets under the map and their number of offerings (in the
    index's order), counted once per publication and kept with it (30,000 offerings: tens
    of ms). A list that cannot show all its values keeps only those that can be among the
    ``TOP`` shown (the ties at the last place too), and its number of values."""

    def count() -> bytes:
        counted: dict[str, Any] = {}
        for f in index.facets(Selection()):
            if f.name not in _FACET_NAMES:
                continue
            counted[f.name] = [[v.value, v.count] for v in f.values]
            if len(f.values) > LIST_ALL_UP_TO:
                least = sorted((v.count for v in f.values), reverse=True)[TOP - 1]
                counted[f.name] = [[v.value, v.count] for v in f.values if v.count >= least]
                counted[f"{f.name} values"] = len(f.values)
                # the TOP shown in each language, in their order (the ties at the last
                # place are ordered by their labels: hundreds of suppliers at 30,000)
                kind = "licence" if f.name == "licence" else f.name
                candidates = {key: count for key, count in counted[f.name]}
                for lang in LANGUAGES:
                    top = _ordered(index, kind, lang, candidates, cut=True)
                    counted[f"{f.name} shown {lang}"] = [[key, count] for _, key, count in top]
        return json.dumps(counted, ensure_ascii=False).encode("utf-8")

    return _COUNTS.get_or_create(
        str(publication_dir),
        lambda: json.loads(
            _PAGES.get_or_create(publication_dir, "home-facts", "facet-counts-ordered", count)
        ),
    )


_FACET_NAMES = frozenset(name for name, _ in FACETS)


def _ordered(
    index: SiteIndex, kind: str, lang: str, values: dict[str, int], *, cut: bool
) -> list[tuple[Any, str, int]]:
    """The values most offerings first, then by their label in ``lang``; the ``TOP`` of
    them when ``cut``. Labels first (the order needs them), links and badges only for
    what is shown."""
    labelled = [(index.label(kind, key, lang), key, count) for key, count in values.items()]
    labelled.sort(key=lambda i: (-i[2], i[0].text.casefold()))
    return labelled[:TOP] if cut else labelled


def facets(
    s: Site, index: SiteIndex, lang: str, counts: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    """The lists under the map: each facet's values with their number of offerings, most
    first; a long list shows its most frequent values and links to all of them. `counts`:
    `_counts` (counted here when not given)."""
    if counts is None:
        counts = {f.name: [[v.value, v.count] for v in f.values] for f in index.facets(Selection())}
    licences = index.licences
    out = []
    for name, title in FACETS:
        values = {value: count for value, count in counts[name]}
        # a list `_counts` cut to the values that can be shown says how many it has
        total: int | None = counts.get(f"{name} values")
        kind = "licence" if name == "licence" else name
        complete = total is None and len(values) <= LIST_ALL_UP_TO
        if complete and name == "supplier":  # suppliers with no offering yet, too
            values = {e.key: values.get(e.key, 0) for e in index.entities("supplier")}
        elif complete and name in ("aspect", "domain", "phase"):
            values = {key: values.get(key, 0) for key in index.concept_keys(kind)}
        more = None
        if total is not None or len(values) > LIST_ALL_UP_TO:
            count = len(values) if total is None else total
            more = {"href": site_path(f"/offerings/facet/{name}"), "count": count}
            # Only the values that can be among the TOP shown (the ties at the last place
            # included) are labelled and sorted: the list does not grow with the catalogue.
            least = sorted(values.values(), reverse=True)[TOP - 1]
            values = {key: count for key, count in values.items() if count >= least}
        shown = counts.get(f"{name} shown {lang}")  # a cut list, ordered once
        if shown is not None:
            labelled = [(index.label(kind, key, lang), key, count) for key, count in shown]
        else:
            labelled = _ordered(index, kind, lang, values, cut=more is not None)
        items: list[dict[str, Any]] = []
        for label, key, count in labelled:
            badge = None
            if name == "licence" and licences.get(key, {}).get("open") is not None:
                badge = "open" if licences[key]["open"] else "closed"
            items.append(
                {
                    "label": label.text,
                    "lang": label.other_than(lang),
                    "href": _href(s, kind, key),
                    "count": count,
                    "badge": badge,
                }
            )
        out.append({"title": title, "items": items, "more": more})
    return out
