"""The errors this package raises on purpose (no web framework here: the build and the
command line import this module; `publisher.http.errors` turns them into HTTP answers)."""

from __future__ import annotations


class PublisherError(Exception):
    """Base class of the errors this package raises on purpose."""


class NotPublished(PublisherError):
    """No publication has been built into the output folder yet."""


class BuildError(PublisherError):
    """A build could not be completed; nothing published was changed."""


def init_app(app: object) -> None:
    """Kept for callers of its old place (the SPARQL tests' bare app): the one error
    handler is `publisher.http.errors.init_app`. Imported late: this module stays free of
    the web framework."""
    from publisher.http import errors as http_errors

    http_errors.init_app(app)  # type: ignore[arg-type]
