"""The lean path: a plain query whose result goes to a program is answered without Flask.

A WSGI middleware around the app: a GET or POST to ``/sparql`` that carries a query and
does not ask for HTML is planned and run here (``answer.py``, the same code the Flask
view runs) and answered directly, which saves the framework's per-request work (about
0.2 ms of CPU, as much as the rest of the endpoint's own cost). Everything else — the
query page, the service description, OPTIONS, HEAD — goes on to Flask unchanged, and so
does every refusal: a ``SparqlError`` is rendered by the app's own error handler and
after-request hooks, inside a request context pushed for it.

A site that adds headers to every response in an app-wide ``after_request`` hook must
also list them in ``Host.response_headers`` for the answers sent here.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Iterable
from typing import Any

import flask

from sparql_endpoint import formats as F
from sparql_endpoint.answer import plan, run
from sparql_endpoint.endpoint import Endpoint
from sparql_endpoint.errors import SparqlError

PATHS = frozenset({"/sparql", "/sparql/"})
StartResponse = Callable[..., Any]


class FastPath:
    def __init__(self, app: flask.Flask, endpoint: Endpoint, inner: Callable[..., Any]):
        self.app = app
        self.endpoint = endpoint
        self.inner = inner
        self.extra_headers = list(endpoint.host.response_headers)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD")
        if environ.get("PATH_INFO") not in PATHS or method not in ("GET", "POST"):
            return self.inner(environ, start_response)
        arrived = time.monotonic()
        query_string = environ.get("QUERY_STRING", "").encode("latin-1")
        if method == "GET" and b"query=" not in query_string:
            return self.inner(environ, start_response)
        body: list[bytes] = []

        def read_body(limit: int) -> bytes:
            data = environ["wsgi.input"].read(limit)
            body.append(data)
            return data

        ep = self.endpoint
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = None
        try:
            planned = plan(
                ep,
                method,
                query_string,
                environ.get("CONTENT_TYPE"),
                environ.get("HTTP_ACCEPT"),
                read_body,
                length,
            )
            if planned is None or planned.chosen is F.HTML:
                return self._to_flask(environ, start_response, body)
            answer = run(ep, planned, environ.get("REMOTE_ADDR") or "unknown", arrived, False)
        except SparqlError as error:
            return self._error(environ, start_response, body, error)
        headers = answer.headers + self.extra_headers
        if isinstance(answer.body, bytes):
            headers.append(("Content-Length", str(len(answer.body))))
            start_response("200 OK", headers)
            return [answer.body]
        start_response("200 OK", headers)
        return answer.body

    def _to_flask(
        self, environ: dict[str, Any], start_response: StartResponse, body: list[bytes]
    ) -> Iterable[bytes]:
        if body:  # what was read of the body, for Flask to read again
            data = b"".join(body)
            environ["wsgi.input"] = io.BytesIO(data)
            environ["CONTENT_LENGTH"] = str(len(data))
        return self.inner(environ, start_response)

    def _error(
        self,
        environ: dict[str, Any],
        start_response: StartResponse,
        body: list[bytes],
        error: SparqlError,
    ) -> Iterable[bytes]:
        """The app's own rendering of the error (its handler and after-request hooks)."""
        if body:
            environ["wsgi.input"] = io.BytesIO(b"".join(body))
        app = self.app
        with app.request_context(environ):
            try:
                response = app.make_response(app.handle_user_exception(error))
            except Exception:  # no handler took it: the error renders itself
                response = app.make_response(error.get_response(environ))
            response = app.process_response(response)
            return response(environ, start_response)
