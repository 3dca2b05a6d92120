"""``/feed``: the publication's changes as a DCAT-AP Feed (an LDES 1.0 event stream).

* ``model`` — the terms (Activity Streams, LDES, TREE), IRIs of the stream and its pages;
* ``payload`` — an entity's own description as canonical quads (content-labelled blank
  nodes, so the same description always gives the same bytes);
* ``activities`` — what changed since the previous feed: Create / Update / Delete;
* ``pages`` — members appended to time-ordered pages, closed (immutable) when full;
* ``state`` — ``state.json``: per entity its last activity, read a few lines at a time;
* ``summary`` — the ledger-wide dates, kept from build to build;
* ``datasets`` — the catalogue datasets as entities, described again only when their
  inputs changed;
* ``artefact`` — the build artefact ``feed`` that carries the pages from publication to
  publication (``write_feed``), and the files the web layer serves.

Design notes are in ``docs/feed.md``.
"""
