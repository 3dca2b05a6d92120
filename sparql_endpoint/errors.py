"""The one exception the endpoint raises for a request it will not run."""

from __future__ import annotations


class SparqlError(Exception):
    """An HTTP status and a message for a person (sent as text/plain)."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}
