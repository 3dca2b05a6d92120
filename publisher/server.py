"""Serve the app with gunicorn, a production WSGI server with several worker processes."""

from __future__ import annotations

from typing import Any

from gunicorn.app.base import BaseApplication

from publisher.config import Settings
from publisher.errors import NotPublished
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


def gunicorn_options(settings: Settings) -> dict[str, Any]:
    return {
        "bind": f"{settings.host}:{settings.port}",
        "workers": settings.workers,
        "worker_class": "gthread",
        "threads": 4,
        "timeout": 60,
        "graceful_timeout": 10,
        "accesslog": "-",
        "errorlog": "-",
    }


def serve(settings: Settings) -> None:
    if Publication.current(settings.out_dir) is None:
        raise NotPublished(f"No publication in {settings.out_dir}: run `avoinkunta build` first.")
    _Server(settings, gunicorn_options(settings)).run()
