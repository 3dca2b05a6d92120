"""What the web layer knows of the publication being served.

Each web process keeps one ``Site``. ``publication()`` re-reads the ``OUT/current`` link on
every call (one readlink) so that a new build is served as soon as it is switched in,
without a restart; the store of a publication is opened once per process.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from flask import g, has_request_context

from publisher.config import Settings
from publisher.errors import NotPublished
from publisher.publication import CURRENT, Publication
from publisher.siteindex import SiteIndex
from publisher.store import ReadStore
from publisher.uris import UriScheme


class Site:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.uris = UriScheme(settings.base_uri)
        self._lock = threading.Lock()
        self._target: str | None = None
        self._publication: Publication | None = None
        self._store: ReadStore | None = None
        self._store_of: Publication | None = None
        self._link = str(Path(settings.out_dir) / CURRENT)

    @property
    def out_dir(self) -> Path:
        return Path(self.settings.out_dir)

    def publication(self) -> Publication:
        """The publication being served; raises NotPublished before the first build. Read
        once per request (one readlink: a new build is served from the next request on)."""
        if has_request_context() and "avoinkunta_publication" in g:
            return g.avoinkunta_publication
        try:
            target = os.readlink(self._link)
        except OSError:
            raise NotPublished(
                f"No publication in {self.out_dir}: run `avoinkunta build` first."
            ) from None
        with self._lock:
            if target != self._target or self._publication is None:
                self._publication = Publication.load((Path(self._link).parent / target).resolve())
                self._store = None
                self._target = target
            publication = self._publication
        if has_request_context():
            g.avoinkunta_publication = publication
        return publication

    def store(self) -> ReadStore:
        publication = self.publication()
        with self._lock:
            if self._store is None or self._store_of is not publication:
                self._store = ReadStore(publication.store_path)
                self._store_of = publication
            return self._store

    def site_index(self) -> SiteIndex:
        """The site index of the publication being served (publisher.siteindex)."""
        return SiteIndex.of(self.publication().path)
