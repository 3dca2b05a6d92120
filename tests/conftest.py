"""Shared fixtures: one built catalogue per session, the app over it, and a real server.

Layered like Flask's tutorial: ``built_out`` → ``settings`` → ``app`` → ``client``;
``live_server`` is the app served by `avoinkunta serve` on 127.0.0.1 over its own build, whose base
URI is the server's own address (so absolute links such as hydra:next dereference).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from publisher.app import create_app
from publisher.build import build
from publisher.config import PROJECT_ROOT, Settings
from publisher.publication import Publication
from publisher.search.voikko import open_voikko
from publisher.server import serve_command
from publisher.siteindex import SiteIndex
from publisher.store import ReadStore

DATA_DIR = PROJECT_ROOT / "data"
FIXTURES = Path(__file__).parent / "fixtures"
BASE = "http://localhost:8080/"


# Fixtures that build a publication, start a server or spawn query workers: a test that uses
# one (directly or through another fixture) is marked `slow` and left out of `make test-fast`.
SLOW_FIXTURES = frozenset(
    {"built_out", "live_server", "sparql_app", "store_dir", "data_copy", "sample_out"}
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if SLOW_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


def quiet(_message: str) -> None:
    pass


def make_settings(out_dir: Path, data_dir: Path = DATA_DIR, base: str = BASE) -> Settings:
    return Settings(base_uri=base, data_dir=data_dir, out_dir=out_dir)


@pytest.fixture(scope="session")
def built_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An OUT folder with the bundled catalogue built once for the session."""
    out = tmp_path_factory.mktemp("out")
    build(make_settings(out), progress=quiet)
    return out


@pytest.fixture(scope="session")
def settings(built_out: Path) -> Settings:
    return make_settings(built_out)


@pytest.fixture(scope="session")
def publication(built_out: Path) -> Publication:
    current = Publication.current(built_out)
    assert current is not None
    return current


@pytest.fixture(scope="session")
def app(settings: Settings) -> Flask:
    application = create_app(settings)
    application.config["TESTING"] = True
    return application


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture()
def data_copy(tmp_path: Path) -> Path:
    """A private copy of the bundled source data that a test may break."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class LiveServer:
    url: str  # base URL, ends with '/', equal to the publication's base URI
    out_dir: Path
    settings: Settings
    process: subprocess.Popen[bytes]


def start_server(
    out_dir: Path,
    port: int,
    log: Path,
    workers: int = 2,
    env: dict[str, str] | None = None,
    ready_path: str = "healthz",
) -> subprocess.Popen[bytes]:
    """`avoinkunta serve` on 127.0.0.1:``port`` over ``out_dir``, once
    ``ready_path`` answers 200; ``env`` is added to the environment."""
    base = f"http://127.0.0.1:{port}/"
    process = subprocess.Popen(
        serve_command(out_dir, port, workers),
        env={**os.environ, "AVOINKUNTA_BASE_URI": base, **(env or {})},
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        cwd=PROJECT_ROOT,
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited early:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(base + ready_path, timeout=5) as reply:
                if reply.status == 200:
                    return process
        except OSError:
            time.sleep(0.2)
    stop_server(process)
    raise RuntimeError(f"server did not answer in time:\n{log.read_text(errors='replace')}")


def stop_server(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The bundled catalogue built with base http://127.0.0.1:PORT/ and served there by
    `avoinkunta serve` (2 web processes)."""
    port = free_port()
    out = tmp_path_factory.mktemp("live-out")
    settings = make_settings(out, base=f"http://127.0.0.1:{port}/")
    build(settings, progress=quiet)
    log = out / "server.log"
    process = start_server(out, port, log)
    try:
        yield LiveServer(f"http://127.0.0.1:{port}/", out, settings, process)
    finally:
        stop_server(process)


# --- the site index (publisher.siteindex) of the session's build ------------------------


@pytest.fixture(scope="session")
def site_index(publication: Publication) -> SiteIndex:
    return SiteIndex.of(publication.path)


@pytest.fixture(scope="session")
def store(publication: Publication) -> ReadStore:
    return ReadStore(publication.store_path)


@pytest.fixture()
def voikko() -> None:
    """Skips a test of Finnish morphology when Voikko is missing (the search then falls
    back to the Snowball stemmer)."""
    if open_voikko() is None:
        pytest.skip(
            "Voikko is not installed (Debian packages libvoikko1 and voikko-fi; .ci/run "
            "installs them)"
        )
