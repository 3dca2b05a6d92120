"""The templates as they were before parts of them were written in Python, kept in
tests/render/reference as the reference those parts are compared with."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from jinja2 import ChoiceLoader, FileSystemLoader

from publisher.app import create_app
from publisher.config import Settings

REFERENCE = Path(__file__).parent / "reference"
BASE = "http://localhost:8080/"


def reference_app(settings: Settings) -> Flask:
    """The app with the templates as they were (tests/render/reference) looked up first."""
    app = create_app(settings)
    app.jinja_env.loader = ChoiceLoader(
        [FileSystemLoader(str(REFERENCE)), app.jinja_env.loader]  # type: ignore[list-item]
    )
    return app
