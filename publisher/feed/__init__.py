"""``/feed``: the publication's changes as a DCAT-AP Feed (an LDES 1.0 event stream).

* ``model`` — the terms (Activity Streams, LDES, TREE), IRIs of the stream and its pages;
* ``payload`` — an entity's own description as canonical quads (content-labelled blank
  nodes, so the same description always gives the same bytes);
* ``activities`` — what changed since the previous feed: Create / Update / Delete;
* ``pages`` — members appended to time-ordered pages, closed (immutable) when full;
* ``artefact`` — the build artefact ``feed`` that carries the pages from publication to
  publication (``write_feed``), and the files the web layer serves.

Design notes are in ``docs/feed.md``.
"""
