"""Fixtures of the site-index tests: a small built catalogue with Swedish texts (the
index of the session's build, its store and the `voikko` skip are in tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from publisher.build import build
from publisher.config import Settings
from publisher.publication import Publication
from publisher.siteindex import SiteIndex

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
BASE = "http://localhost:8080/"


def _quiet(_message: str) -> None:
    pass


@pytest.fixture(scope="session")
def multilingual(tmp_path_factory: pytest.TempPathFactory) -> Publication:
    """tests/fixtures/multilingual (texts in fi, sv and en) built once."""
    out = tmp_path_factory.mktemp("multilingual-out")
    settings = Settings(base_uri=BASE, data_dir=FIXTURES / "multilingual", out_dir=out)
    return build(settings, progress=_quiet)


@pytest.fixture(scope="session")
def multilingual_index(multilingual: Publication) -> SiteIndex:
    return SiteIndex.of(multilingual.path)
