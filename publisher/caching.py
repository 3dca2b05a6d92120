"""Kept for the views that still import it (discovery's): caching and CORS live in
`publisher.http.caching`."""

from publisher.http.caching import (
    EXPOSED_HEADERS,
    LruCache,
    PublicationCache,
    add_cors,
    add_vary,
    cache_control,
    finish,
    parse_timestamp,
    strong_etag,
)

__all__ = [
    "EXPOSED_HEADERS",
    "LruCache",
    "PublicationCache",
    "add_cors",
    "add_vary",
    "cache_control",
    "finish",
    "parse_timestamp",
    "strong_etag",
]
