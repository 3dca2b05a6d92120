"""A real ``avoinkunta serve`` (gunicorn) over its own build, with chosen SPARQL settings.

A server's base URI must be the one its publication was built with, so a server with
settings of its own (a short time limit, few workers) gets its own build of the bundled
catalogue, made for its port.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from publisher.build import build
from publisher.config import PROJECT_ROOT, Settings


@dataclass(frozen=True)
class Served:
    url: str  # base URL, ending with '/'
    out_dir: Path
    log: Path

    @property
    def sparql(self) -> str:
        return self.url + "sparql"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve(folder: Path, env: dict[str, str], workers: int = 1) -> Iterator[Served]:
    """Build into ``folder`` and serve it with ``env`` added to the environment; the
    server has answered a query (so its query workers are up) when this yields."""
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    out = folder / "out"
    build(Settings(base_uri=base, data_dir=PROJECT_ROOT / "data", out_dir=out), progress=_quiet)
    log = folder / "server.log"
    command = [sys.executable, "-m", "publisher.cli", "serve", "--out", str(out)]
    command += ["--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    process = subprocess.Popen(
        command,
        env={**os.environ, "AVOINKUNTA_BASE_URI": base, **env},
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        cwd=PROJECT_ROOT,
    )
    try:
        _wait(base + "sparql?query=ASK%7B%7D", process, log)
        yield Served(base, out, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited early:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(url, timeout=5) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server did not answer in time:\n{log.read_text(errors='replace')}")


def _quiet(_message: str) -> None:
    pass
