"""The one exception the endpoint raises for a request it will not (or could not) run.

An HTTP exception (werkzeug's), so that the site's single error handler renders it like
every other error: a sentence for a person as its description, and the headers the client
needs (``Retry-After`` on 429/503, ``Allow`` on 405). Without such a handler (the endpoint
mounted on a bare Flask app) it renders itself as that sentence in text/plain.
"""

from __future__ import annotations

from typing import Any

from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES


class SparqlError(HTTPException):
    def __init__(
        self,
        status: int,
        message: str,
        headers: dict[str, str] | None = None,
        position: tuple[int, int] | None = None,
    ):
        super().__init__(description=message)
        self.code = status
        self.headers = dict(headers or {})
        self.position = position  # (line, column) of a syntax error in the query

    @property
    def status(self) -> int:
        return int(self.code or 500)

    @property
    def message(self) -> str:
        return self.description or ""

    @property
    def name(self) -> str:
        return HTTP_STATUS_CODES.get(self.status, "Error")

    def get_body(self, environ: Any = None, scope: Any = None) -> str:
        return self.message + "\n"

    def get_headers(self, environ: Any = None, scope: Any = None) -> list[tuple[str, str]]:
        return [("Content-Type", "text/plain; charset=utf-8"), *self.headers.items()]
