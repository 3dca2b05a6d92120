"""Serving one resource in several formats at a negotiated URL and at fixed-format URLs
(``/ontology`` and ``/ontology.ttl``, ``/.well-known/void`` and ``…/void.ttl``): the
headers every such response carries, shared by the vocabulary and well-known views."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime

from flask import Response, current_app, request

from publisher import formats
from publisher.formats import BY_EXT, Format
from publisher.http import HttpError, choose_format
from publisher.http.caching import add_vary, finish
from publisher.i18n import gettext
from publisher.render.html import explicit_language, page_language


def serve(
    path: str,
    offered: Sequence[Format],
    ext: str | None,
    render: Callable[[Format], bytes],
    last_modified: datetime | None,
    *,
    default: Format | None = None,
) -> Response:
    """`path` is the negotiated URL (``/ontology``); `ext` the fixed format asked for, if
    any. Raises 404 for an extension not offered and 406 when negotiation fails."""
    root = request.script_root
    if ext is not None:
        fmt = BY_EXT.get(ext)
        if fmt is None or fmt not in offered:
            raise HttpError(
                404,
                f"{path} has no format {ext!r}; offered: "
                + ", ".join(f"{root}{path}.{f.ext}" for f in offered),
            )
    else:
        chosen = choose_format(offered, default or formats.DEFAULT)
        if chosen is None:
            raise not_acceptable(
                [(f.media_type, f"{root}{path}.{f.ext}") for f in offered],
                headers={"Link": _alternates(path, offered, None)},
            )
        fmt = chosen
    body = render(fmt)
    response = Response(body, content_type=fmt.content_type)
    _headers(response, path, offered, fmt)
    settings = current_app.extensions["avoinkunta"].settings
    return finish(
        response,
        request,
        body=body,
        last_modified=last_modified,
        max_age=settings.cache_max_age,
        cors=fmt.is_rdf,
    )


def not_acceptable(
    offered: Sequence[tuple[str, str]], headers: Mapping[str, str] | None = None
) -> HttpError:
    """406 with the offered (media type, URL) pairs, in the page language throughout."""
    lang = page_language()
    return HttpError(
        406,
        gettext("Format not available", lang)
        + ". "
        + gettext("Offered", lang)
        + ": "
        + ", ".join(f"{media_type} {url}" for media_type, url in offered),
        headers={**(headers or {}), "Content-Language": lang, "Vary": "Accept-Language"},
        message_lang=lang,
        offered=[{"type": media_type, "href": url} for media_type, url in offered],
    )


def _headers(response: Response, path: str, offered: Sequence[Format], fmt: Format) -> None:
    root = request.script_root
    add_vary(response, "Accept")
    if not fmt.is_rdf and not explicit_language():
        add_vary(response, "Accept-Language")  # the HTML follows the reader's language
    response.headers["Content-Location"] = f"{root}{path}.{fmt.ext}"
    response.headers["Link"] = _alternates(path, offered, fmt)


def _alternates(path: str, offered: Sequence[Format], fmt: Format | None) -> str:
    root = request.script_root
    return ", ".join(
        f'<{root}{path}.{f.ext}>; rel="alternate"; type="{f.media_type}"'
        for f in offered
        if f is not fmt
    )
