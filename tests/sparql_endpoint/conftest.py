"""Fixtures for the SPARQL endpoint tests (helpers in sparql_fixtures.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import flask
import pytest
from sparql_fixtures import build_store, make_app


@pytest.fixture(scope="session")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("sparql-store") / "store")


@pytest.fixture(scope="session")
def sparql_app(store_dir: Path) -> Iterator[flask.Flask]:
    app = make_app(store_dir)
    yield app
    app.extensions["sparql_endpoint"].close()


@pytest.fixture()
def sparql_client(sparql_app: flask.Flask) -> flask.testing.FlaskClient:
    return sparql_app.test_client()
