"""The per-publication site index: one SQLite file (``siteindex.sqlite``) written at
build time beside the store, read by every page that lists, counts or searches things.

Write: ``write_site_index(folder, store_path=..., base_uri=..., ledger=..., previous=...)``.
Read: ``SiteIndex.of(publication.path)``; see ``reader`` for the calls and
``docs/architecture.md`` for the tables.
"""

from publisher.siteindex.facets import FACETS, SORTS, FacetSpec, Selection
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
)
from publisher.siteindex.schema import INDEX_FILE, SCHEMA_VERSION
from publisher.siteindex.writer import write_site_index

__all__ = [
    "FACETS",
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
    "write_site_index",
]
