"""Serve the app with gunicorn, a production WSGI server with several worker processes."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from gunicorn.app.base import BaseApplication

from publisher.config import Settings
from publisher.errors import NotPublished, PublisherError
from publisher.publication import Publication


class _Server(BaseApplication):  # type: ignore[misc]
    def __init__(self, settings: Settings, options: dict[str, Any]) -> None:
        self.settings = settings
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from publisher.app import create_app

        return create_app(self.settings)


def serve_command(out_dir: Path, port: int, workers: int, host: str = "127.0.0.1") -> list[str]:
    """The command line of `avoinkunta serve` in this interpreter (tests and benchmarks
    start real servers with it)."""
    return [
        sys.executable, "-m", "publisher.cli", "serve", "--out", str(out_dir),
        "--host", host, "--port", str(port), "--workers", str(workers),
    ]  # fmt: skip


def gunicorn_options(settings: Settings) -> dict[str, Any]:
    return {
        "bind": f"{settings.host}:{settings.port}",
        "workers": settings.workers,
        "worker_class": "gthread",
        "threads": settings.threads,
        "timeout": 60,
        "graceful_timeout": 10,
        "accesslog": "-",
        "errorlog": "-",
    }


def serve(settings: Settings, environ: Mapping[str, str] = os.environ) -> None:
    _Server(serving_settings(settings, environ), gunicorn_options(settings)).run()


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
