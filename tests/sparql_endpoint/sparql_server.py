"""A real ``avoinkunta serve`` (Granian + the SPARQL broker) over its own build, with
chosen SPARQL settings.

A server's base URI must be the one its publication was built with, so a server with
settings of its own (a short time limit, few workers) gets its own build of the bundled
catalogue, made for its port.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from publisher.build import build
from publisher.config import PROJECT_ROOT, Settings
from tests.conftest import free_port, quiet, start_server, stop_server


@dataclass(frozen=True)
class Served:
    url: str  # base URL, ending with '/'
    out_dir: Path
    log: Path

    @property
    def sparql(self) -> str:
        return self.url + "sparql"


@contextmanager
def serve(folder: Path, env: dict[str, str], workers: int = 1) -> Iterator[Served]:
    """Build into ``folder`` and serve it with ``env`` added to the environment; the
    server has answered a query (so its query workers are up) when this yields."""
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    out = folder / "out"
    build(Settings(base_uri=base, data_dir=PROJECT_ROOT / "data", out_dir=out), progress=quiet)
    log = folder / "server.log"
    process = start_server(out, port, log, workers, env, ready_path="sparql?query=ASK%7B%7D")
    try:
        yield Served(base, out, log)
    finally:
        stop_server(process)
