"""Serving one resource in several formats at a negotiated URL and at fixed-format URLs
(``/ontology`` and ``/ontology.ttl``, ``/.well-known/void`` and ``…/void.ttl``): the
headers every such response carries, shared by the vocabulary and well-known views."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from flask import Response, current_app, request

from publisher.caching import add_cors, add_vary, finish
from publisher.negotiation import BY_EXT, BY_MEDIA_TYPE, Format, negotiate
from publisher.render.html import explicit_language, page_language
from publisher.render.i18n import translate


def serve(
    path: str,
    offered: Sequence[Format],
    ext: str | None,
    render: Callable[[Format], bytes],
    last_modified: datetime | None,
    *,
    default: str | None = None,
) -> Response:
    """`path` is the negotiated URL (``/ontology``); `ext` the fixed format asked for, if
    any. Answers 404 for an extension not offered and 406 when negotiation fails."""
    root = request.script_root
    if ext is not None:
        fmt = BY_EXT.get(ext)
        if fmt is None or fmt not in offered:
            return Response("404 Not Found\n", status=404, mimetype="text/plain")
    else:
        media = negotiate(
            request.headers.get("Accept"),
            [f.media_type for f in offered],
            request.args.get("format"),
            **({"default": default} if default else {}),
        )
        if media is None:
            response = not_acceptable([(f.media_type, f"{root}{path}.{f.ext}") for f in offered])
            _headers(response, path, offered, None)
            return response
        fmt = BY_MEDIA_TYPE[media]
    body = render(fmt)
    response = Response(body, mimetype=fmt.media_type)
    _headers(response, path, offered, fmt)
    settings = current_app.extensions["avoinkunta"].settings
    return finish(
        response,
        request,
        body=body,
        last_modified=last_modified,
        max_age=settings.cache_max_age,
        cors=fmt.rdflib_name is not None,
    )


def not_acceptable(offered: Sequence[tuple[str, str]]) -> Response:
    """406 with the offered (media type, URL) pairs, in the page language throughout."""
    lang = page_language()
    lines = "".join(f"{media_type}\t{url}\n" for media_type, url in offered)
    body = (
        f"406 Not Acceptable: {translate('not_acceptable', lang)}.\n"
        f"{translate('offered', lang)}:\n{lines}"
    )
    response = Response(body, status=406, mimetype="text/plain")
    response.headers["Content-Language"] = lang
    add_vary(response, "Accept", "Accept-Language")
    return add_cors(response)


def _headers(response: Response, path: str, offered: Sequence[Format], fmt: Format | None) -> None:
    root = request.script_root
    add_vary(response, "Accept")
    if fmt is not None and fmt.rdflib_name is None and not explicit_language():
        add_vary(response, "Accept-Language")  # the HTML follows the reader's language
    if fmt is not None:
        response.headers["Content-Location"] = f"{root}{path}.{fmt.ext}"
    response.headers["Link"] = ", ".join(
        f'<{root}{path}.{f.ext}>; rel="alternate"; type="{f.media_type}"'
        for f in offered
        if f is not fmt
    )
