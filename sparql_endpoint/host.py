"""What the endpoint needs from the site that mounts it, handed to ``init_app``.

The endpoint imports nothing from the site (``publisher``): the URI scheme's prefixes and
graph names, the site's one content-negotiation function and RDF formats, its language
choice and shared words all come in here. Errors are raised as HTTP exceptions
(``sparql_endpoint.errors.SparqlError``) for the site's error handler to render.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

# negotiate(Accept header, offered media types in preference order, format= value or None,
# default media type) -> the media type to send, or None when none is acceptable (406).
Negotiate = Callable[[str | None, Sequence[str], str | None, str], str | None]


class RdfFormat(Protocol):
    """An entry of the site's format table (only these attributes are read)."""

    @property
    def ext(self) -> str: ...  # the format= short name and the download file extension

    @property
    def media_type(self) -> str: ...

    @property
    def label(self) -> str: ...

    @property
    def aliases(self) -> tuple[str, ...]: ...


def _english(_param: str | None, _accept_language: str | None) -> str:
    return "en"


def _key(key: str, _lang: str) -> str:
    return key


@dataclass(frozen=True)
class Host:
    base_uri: str  # relative IRIs in queries resolve against it
    negotiate: Negotiate
    rdf_formats: Sequence[RdfFormat]  # CONSTRUCT/DESCRIBE results, the default first
    prefixes: Mapping[str, str] = field(default_factory=dict)  # predeclared for every query
    graphs: Mapping[str, str] = field(default_factory=dict)  # named graphs: name -> IRI
    languages: Sequence[str] = ("en",)  # of the query page, the default first
    choose_language: Callable[[str | None, str | None], str] = _english  # (?lang=, A-L)
    language_preference: Callable[[str], Sequence[str]] = lambda lang: (lang, "en")
    translate: Callable[[str, str], str] = _key  # the site's shared words: site, home, ...
    home: str = "/"  # the site's home page, linked from the query page
    # Headers the site adds to every response (app-wide after_request hooks); the lean
    # path, which answers plain queries without Flask, adds them too.
    response_headers: Sequence[tuple[str, str]] = ()
