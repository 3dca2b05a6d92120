"""The HTTP edge of the site: negotiation, the error shape, caching, CORS and security
headers, in one place for every path (documents, catalogues, pages, ``/sparql``).

``init_app(app, base_uri, render_time_limit)`` installs it: the one error handler
(`errors`), the render time limit (`publisher.budget`: 503 when a render takes too long,
an empty 499 when its client has gone), redirects the framework makes on its own
(Werkzeug's 308 for ``//doc//x`` or a missing trailing slash) rebuilt under the base URI
instead of the ``Host`` the client sent, and the headers every response carries
(Content-Security-Policy, nosniff). Views pick formats with
`choose_format` and finish their responses with `caching.finish`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import urlsplit

from flask import Flask, Response, g, request
from werkzeug.routing import RequestRedirect

from publisher import budget, formats
from publisher.formats import Format
from publisher.http import errors
from publisher.http.caching import add_cors, add_vary, cache_control
from publisher.http.errors import HttpError
from publisher.http.negotiation import negotiate
from publisher.render.lang import LANGUAGE_TAG

__all__ = ["HttpError", "choose_format", "init_app", "negotiate", "redirect"]

# Nothing a page loads or sends may go to another origin (issue: no third-party requests).
# Inline styles stay allowed (pyLODE's page and a few attributes use them); they cannot
# reach another origin because img-src and font-src are 'self' too.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
)
# A ?format= value: a short name or a media type. Anything else is malformed (400).
FORMAT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.+/-]{0,63}$")


def choose_format(
    offered: Sequence[Format], default: Format | None = formats.DEFAULT
) -> Format | None:
    """The format to send from `offered`: ``?format=`` if given (400 when malformed, None
    when it names no offered format), else the negotiated one; None means 406."""
    param = request.args.get("format")
    if param is not None:
        if param.strip() and not FORMAT_NAME.match(param.strip()):
            raise HttpError(400, f"format={param[:40]!r} is not a format name or media type.")
        fmt = formats.by_name(param)
        return fmt if fmt in offered else None
    return negotiate(request.headers.get("Accept"), offered, default)


def redirect(status: int, path: str, *, keep_query: bool = True, max_age: int = 0) -> Response:
    """A redirect to one of our paths (``/doc/…``), relative to the site (so it never
    names a host), keeping the query string; machine clients may follow it from any
    origin."""
    query = request.query_string.decode("latin-1") if keep_query else ""
    response = Response(status=status)
    response.headers["Location"] = f"{path}?{query}" if query else path
    add_vary(response, "Accept")
    add_cors(response)
    response.headers["Cache-Control"] = cache_control(max_age) if max_age else "no-cache"
    return response


def init_app(app: Flask, base_uri: str, render_time_limit: float | None = None) -> None:
    errors.init_app(app)
    base = urlsplit(base_uri)

    if render_time_limit is not None:
        limit = render_time_limit

        @app.before_request
        def _start_budget() -> None:
            # Every render of this request stops at the time limit or when the client has
            # gone (publisher.budget.checkpoint, called as the work proceeds).
            g.avoinkunta_budget = budget.start(
                budget.Budget(limit, gone=budget.probe_for(request.environ))
            )

        @app.teardown_request
        def _stop_budget(_exc: BaseException | None) -> None:
            token = g.pop("avoinkunta_budget", None)
            if token is not None:
                budget.stop(token)

    @app.before_request
    def _framework_redirect() -> Response | None:
        # Werkzeug answers //doc//x and /dumps with a 308 to an absolute URL built from
        # the Host header; send the same target under the base URI instead.
        exc = request.routing_exception
        if not isinstance(exc, RequestRedirect):
            return None
        target = urlsplit(exc.new_url)
        path = target.path
        root = request.script_root
        if root and path.startswith(root):
            path = path[len(root) :]
        location = f"{base.scheme}://{base.netloc}{base.path.rstrip('/')}{path}"
        if target.query:
            location += f"?{target.query}"
        response = Response(status=exc.code)
        response.headers["Location"] = location
        add_cors(response)
        return response

    @app.before_request
    def _language_parameter() -> None:
        value = request.args.get("lang")
        if value and not LANGUAGE_TAG.match(value):
            raise HttpError(400, f"lang={value[:40]!r} is not a language tag; use fi, sv or en.")

    @app.after_request
    def _security_headers(response: Response) -> Response:
        if response.status_code >= 400:  # an error page a view rendered itself (/sparql's)
            response.headers.setdefault("Cache-Control", "no-store")
            response.headers.setdefault("Access-Control-Allow-Origin", "*")
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        return response
