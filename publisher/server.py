"""How `avoinkunta serve` runs: the SPARQL broker, then Granian with the web processes.

* **Granian** (a Rust HTTP server) reads and parses every request before a Python thread
  sees it and writes every response out from its own event loop, so slow clients (a
  header a byte at a time, a body never read) hold no Python thread: 500 of them cost
  the site nothing but sockets. ``workers`` web processes (forked after the app's modules
  are imported, so that they share those pages) run the Flask app in ``threads`` threads
  each. A GET query up to ``max_query_length`` characters fits in its request line.
  SIGHUP replaces the web processes one by one (each new one before its old one stops,
  which finishes the requests it has); SIGTERM stops after the requests in flight.
* **The SPARQL broker** (``sparql_endpoint.broker``) is one process for the whole
  server: every web process sends its queries there (``Settings.sparql.broker_socket``),
  so admission, per-client budgets and the worker pool are global, and it outlives web
  process restarts. It starts before the web processes and stops after them.
* **Memory.** Objects made before the web processes fork, and each one's app, are frozen
  out of the garbage collector (``settle_heap``). The web processes' C library keeps at
  most ``WEB_MALLOC_ARENAS`` malloc arenas (glibc would make up to 8 per core, one per
  thread that allocates at once: Granian's threads leave free memory scattered over
  them). Both are set in the server process before Granian forks the web processes, so
  the broker and the SPARQL workers keep their own.
* **No orphans.** A web process whose server process has gone (Granian can finish
  spawning one after it was told to stop, when a stop comes during start-up on a busy
  machine) exits by itself: each one watches its parent (``_exit_with_server``).
"""

from __future__ import annotations

import gc
import hashlib
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from publisher.config import Settings
from publisher.errors import NotPublished, PublisherError
from publisher.publication import Publication
from sparql_endpoint import allocator

HEADER_READ_TIMEOUT_MS = 10_000  # a client has 10 s to send its request's headers
SERVER_PID = "AVOINKUNTA_SERVER_PID"  # set for the web processes: their server's pid
# 30,000 offerings, 8 clients, 3 web processes (bench_serving --load): whole server PSS
# at its highest ~30-40 MB lower with 2 arenas than with glibc's default, same CPU.
WEB_MALLOC_ARENAS = 2


def settle_heap() -> None:
    """Put every object made so far (modules, the app) out of the garbage collector's
    way (``gc.freeze``): a full collection then walks only what requests made since —
    at 30,000 offerings a full collection in a web process took ~65-150 ms of one
    request's time (bench_serving: the last ADMS page 117-184 ms cold instead of ~25), and
    a forked web process leaves the pages it shares with the server process as they are."""
    gc.collect()
    gc.freeze()


def limit_malloc_arenas(arenas: int = WEB_MALLOC_ARENAS) -> bool:
    """Have glibc's malloc make at most ``arenas`` arenas from now on in this process and
    the processes it forks (False: another C library)."""
    return allocator.limit_malloc_arenas(arenas)


def serve_command(out_dir: Path, port: int, workers: int, host: str = "127.0.0.1") -> list[str]:
    """The command line of `avoinkunta serve` in this interpreter (tests and benchmarks
    start real servers with it)."""
    return [
        sys.executable, "-m", "publisher.cli", "serve", "--out", str(out_dir),
        "--host", host, "--port", str(port), "--workers", str(workers),
    ]  # fmt: skip


def serving_settings(settings: Settings, environ: Mapping[str, str]) -> Settings:
    """The settings to serve ``settings.out_dir`` with: its URIs are those it was built
    with, so the base URI comes from the publication unless it was set explicitly, in which
    case the two must agree."""
    publication = Publication.current(settings.out_dir)
    if publication is None:
        raise NotPublished(f"No publication in {settings.out_dir}: run `avoinkunta build` first.")
    if publication.base_uri == settings.base_uri:
        return settings
    if "AVOINKUNTA_BASE_URI" in environ:
        raise PublisherError(
            f"{settings.out_dir} was built for {publication.base_uri}, but AVOINKUNTA_BASE_URI "
            f"is {settings.base_uri}: build with the base URI you serve under"
        )
    return settings.replace(base_uri=publication.base_uri)


def broker_socket_path(out_dir: Path) -> str:
    """The broker's socket: in the deployment's own state folder (OUT/.sparql), or, when
    that path is too long for a Unix socket, in a private temporary folder named after it."""
    state = Path(out_dir).resolve() / ".sparql"
    state.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = state / "broker.sock"
    if len(str(path)) < 100:
        return str(path)
    folder = Path(tempfile.gettempdir()) / f"avoinkunta-sparql-{os.getuid()}"
    folder.mkdir(mode=0o700, exist_ok=True)
    digest = hashlib.sha256(str(state).encode()).hexdigest()[:16]
    return str(folder / f"{digest}.sock")


def _environment(settings: Settings, broker_socket: str) -> dict[str, str]:
    """What the web processes need to build the same settings (they read the
    environment: they may be started afresh, not forked, by the server)."""
    return {
        "AVOINKUNTA_BASE_URI": settings.base_uri,
        "AVOINKUNTA_OUT_DIR": str(Path(settings.out_dir).resolve()),
        "AVOINKUNTA_SPARQL_BROKER_SOCKET": broker_socket,
    }


def _exit_with_server(server_pid: int, interval: float = 1.0) -> None:
    """End this web process once its server process (its parent) is gone."""

    def watch() -> None:
        while os.getppid() == server_pid:
            threading.Event().wait(interval)
        print(f"web process {os.getpid()}: its server has gone; exiting", file=sys.stderr)
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-server", daemon=True).start()


def wsgi_app() -> Any:
    """The app of one web process (Granian's factory), behind the trusted proxies."""
    from publisher.app import create_app
    from publisher.forwarded import ForwardedFor

    server_pid = os.environ.get(SERVER_PID, "")
    if server_pid.isdigit():
        _exit_with_server(int(server_pid))

    settings = Settings.from_env()
    app = create_app(settings)
    if settings.trusted_proxies:
        app.wsgi_app = ForwardedFor(app.wsgi_app, settings.trusted_proxies)  # type: ignore[method-assign]
    settle_heap()
    return app


def start_broker(settings: Settings) -> tuple[subprocess.Popen[bytes], str]:
    from sparql_endpoint.broker import boot_command_broker
    from sparql_endpoint.client import wait_for_socket

    path = broker_socket_path(settings.out_dir)
    process = subprocess.Popen(
        boot_command_broker(path, settings.sparql), stdin=subprocess.DEVNULL, close_fds=True
    )
    try:
        wait_for_socket(path, process)
    except BaseException:
        process.kill()
        process.wait()
        raise
    return process, path


def _preload(settings: Settings, socket_path: str) -> None:
    """Have the broker load the current publication now, not with the first query."""
    from sparql_endpoint.client import BrokerClient

    publication = Publication.current(settings.out_dir)
    if publication is not None:
        BrokerClient(socket_path).status(str(publication.store_path))


def granian_options(settings: Settings) -> dict[str, Any]:
    from granian.constants import Interfaces
    from granian.http import HTTP1Settings

    return {
        "address": settings.host,
        "port": settings.port,
        "interface": Interfaces.WSGI,
        "workers": settings.workers,
        "blocking_threads": settings.threads,
        "factory": True,
        "http1_settings": HTTP1Settings(header_read_timeout=HEADER_READ_TIMEOUT_MS),
        "log_access": settings.access_log,
        "respawn_failed_workers": True,
        "respawn_interval": 0.5,
        "workers_kill_timeout": int(settings.sparql.queue_wait + settings.sparql.timeout) + 20,
    }


def serve(settings: Settings, environ: Mapping[str, str] = os.environ) -> None:
    from granian import Granian

    settings = serving_settings(settings, environ)
    broker, socket_path = start_broker(settings)
    try:
        _preload(settings, socket_path)
        os.environ.update(_environment(settings, socket_path))
        os.environ[SERVER_PID] = str(os.getpid())
        import publisher.app  # noqa: F401  (imported before the fork: its pages are shared)

        limit_malloc_arenas()
        settle_heap()  # before the fork: the web processes share these pages

        Granian("publisher.server:wsgi_app", **granian_options(settings)).serve()
    finally:
        broker.terminate()
        try:
            broker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            broker.kill()
            broker.wait()
