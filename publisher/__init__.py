"""Avoin kunta linked open data publisher: build, validate and serve the catalogue."""

__version__ = "0.1.0"
