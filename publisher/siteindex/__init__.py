"""The per-publication site index: one SQLite file, the build artefact ``site-index``
(``<publication>/artefacts/site-index/siteindex.sqlite``), written at build time from the
store and the ledger, read by every page that lists, counts or searches things.

Write: ``write_site_index(folder, store_path=..., base_uri=..., ledger=..., previous=...)``.
Read: ``SiteIndex.of(publication.path)``; see ``reader`` for the calls and
``docs/architecture.md`` for the tables.
"""

from publisher.siteindex.facets import FACETS, RELEVANCE, SORTS, FacetSpec, Selection
from publisher.siteindex.reader import (
    Entity,
    Facet,
    FacetValue,
    IndexError_,
    Label,
    Page,
    SearchResult,
    SiteIndex,
    Snippet,
    Suggestion,
    best_label,
    index_path,
)
from publisher.siteindex.schema import ARTEFACT, INDEX_FILE, SCHEMA_VERSION
from publisher.siteindex.writer import write_site_index

__all__ = [
    "ARTEFACT",
    "FACETS",
    "RELEVANCE",
    "INDEX_FILE",
    "SCHEMA_VERSION",
    "SORTS",
    "Entity",
    "Facet",
    "FacetSpec",
    "FacetValue",
    "IndexError_",
    "Label",
    "Page",
    "SearchResult",
    "Selection",
    "SiteIndex",
    "Snippet",
    "Suggestion",
    "best_label",
    "index_path",
    "write_site_index",
]
