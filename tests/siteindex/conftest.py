"""Fixtures of the site-index tests: the index of the session's built catalogue, its
store, and a small built catalogue with Swedish texts."""

from __future__ import annotations

from pathlib import Path

import pytest

from publisher.build import build
from publisher.config import Settings
from publisher.publication import Publication
from publisher.search.voikko import open_voikko
from publisher.siteindex import SiteIndex
from publisher.store import ReadStore

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
BASE = "http://localhost:8080/"


def _quiet(_message: str) -> None:
    pass


@pytest.fixture(scope="session")
def site_index(publication: Publication) -> SiteIndex:
    return SiteIndex.of(publication.path)


@pytest.fixture(scope="session")
def store(publication: Publication) -> ReadStore:
    return ReadStore(publication.store_path)


@pytest.fixture(scope="session")
def multilingual(tmp_path_factory: pytest.TempPathFactory) -> Publication:
    """tests/fixtures/multilingual (texts in fi, sv and en) built once."""
    out = tmp_path_factory.mktemp("multilingual-out")
    settings = Settings(base_uri=BASE, data_dir=FIXTURES / "multilingual", out_dir=out)
    return build(settings, progress=_quiet)


@pytest.fixture(scope="session")
def multilingual_index(multilingual: Publication) -> SiteIndex:
    return SiteIndex.of(multilingual.path)


def need_voikko() -> None:
    if open_voikko() is None:
        pytest.skip(
            "Voikko is not installed (Debian packages libvoikko1 and voikko-fi; .ci/run "
            "installs them): Finnish morphology falls back to the Snowball stemmer"
        )
