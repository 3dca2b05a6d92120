"""The tables of the site index (one SQLite file per publication). Bump SCHEMA_VERSION
whenever a table or the meaning of a column changes: a reader refuses another version,
and a build never reuses anything from an index of another version."""

from __future__ import annotations

SCHEMA_VERSION = 3
ARTEFACT = "site-index"  # its folder under the publication's artefacts/ (publisher.artefacts)
INDEX_FILE = "siteindex.sqlite"
# The tables the writer fills (the others are FTS5's, of the table search).
ROW_TABLES = (
    "meta",
    "entity",
    "label",
    "concept",
    "licence",
    "offering",
    "offering_detail",
    "facet_value",
    "sort_order",
    "search_text",
    "search_kind",
    "term",
    "word",
    "suggest",
    "suggest_top",
)

TABLES = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;

-- Every thing of ours: offerings first (an offering's id is its ordinal in the bitmaps).
CREATE TABLE entity (
  id INTEGER PRIMARY KEY, kind TEXT NOT NULL, key TEXT NOT NULL, iri TEXT NOT NULL,
  UNIQUE (kind, key)
);
CREATE UNIQUE INDEX entity_iri ON entity (iri);
-- Labels by language ('' = untagged: a proper name).
CREATE TABLE label (
  entity INTEGER NOT NULL, lang TEXT NOT NULL, text TEXT NOT NULL,
  PRIMARY KEY (entity, lang, text)
) WITHOUT ROWID;
CREATE TABLE concept (
  entity INTEGER PRIMARY KEY, scheme TEXT, broader TEXT, position INTEGER,
  confidence TEXT, cross_cutting INTEGER NOT NULL
);
CREATE TABLE licence (
  entity INTEGER PRIMARY KEY, open_source INTEGER, osi INTEGER, members TEXT NOT NULL,
  expression TEXT
);
-- An offering's card (what a list shows) and its details (what /compare adds): JSON,
-- zlib-compressed (a card is read per page shown; compression divides the file by three).
CREATE TABLE offering (
  ordinal INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, supplier TEXT, card BLOB NOT NULL
);
CREATE TABLE offering_detail (ordinal INTEGER PRIMARY KEY, detail BLOB NOT NULL);
-- Facet memberships: the ordinals of a value's offerings as a Roaring bitmap (portable
-- serialisation, pyroaring), with their count.
CREATE TABLE facet_value (
  facet TEXT NOT NULL, value TEXT NOT NULL, count INTEGER NOT NULL, members BLOB NOT NULL,
  PRIMARY KEY (facet, value)
) WITHOUT ROWID;
-- Sort orders: ordinals as little-endian uint32 (name:fi, supplier:en, newest, ...).
CREATE TABLE sort_order (name TEXT PRIMARY KEY, ordinals BLOB NOT NULL) WITHOUT ROWID;

-- Full-text search: analysed terms (publisher.search.analysis), one row per entity
-- (entity id = rowid). The index's content is `search_text` (the analysed terms, kept so
-- that the next build reuses them for the entities that did not change; the display
-- texts are in the tables above). detail=column: no word positions (snippets are marked
-- from the texts, no phrase queries), so BM25 counts a term once per field; a third of
-- the size, faster ranking.
CREATE TABLE search_text (
  entity INTEGER PRIMARY KEY, title TEXT NOT NULL, keywords TEXT NOT NULL,
  names TEXT NOT NULL, body TEXT NOT NULL
);
CREATE VIRTUAL TABLE search USING fts5(
  title, keywords, names, body,
  content='search_text', content_rowid='entity', detail=column,
  tokenize="unicode61 remove_diacritics 0"
);
CREATE TABLE search_kind (entity INTEGER PRIMARY KEY, kind TEXT NOT NULL);
-- The words people might misspell (folded surface forms) with how many entities have
-- them and in how many they occur in a title, a keyword or a name: for "did you mean".
CREATE TABLE term (
  term TEXT PRIMARY KEY, docs INTEGER NOT NULL, named INTEGER NOT NULL
) WITHOUT ROWID;
-- Analysis of each (language, word) seen at build time: the terms it indexes under, and
-- how many entities have it. Reused by the next build (when the analysers are the same)
-- and by query highlighting.
CREATE TABLE word (
  lang TEXT NOT NULL, word TEXT NOT NULL, terms TEXT NOT NULL, docs INTEGER NOT NULL,
  PRIMARY KEY (lang, word)
) WITHOUT ROWID;
-- As-you-type suggestions: every word start of every label (norm = folded text from that
-- word on), best first by weight.
CREATE TABLE suggest (
  norm TEXT NOT NULL, entity INTEGER NOT NULL, lang TEXT NOT NULL, label TEXT NOT NULL,
  weight INTEGER NOT NULL, PRIMARY KEY (norm, entity, lang, label)
) WITHOUT ROWID;
-- The best suggestions of the shortest prefixes, which match too many rows to rank live.
CREATE TABLE suggest_top (prefix TEXT PRIMARY KEY, entities TEXT NOT NULL) WITHOUT ROWID;
"""
