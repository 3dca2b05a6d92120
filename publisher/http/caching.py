"""Caching and CORS headers, set by one helper for every representation and error.

Every representation gets a strong ETag (a hash of its bytes), a Last-Modified and
Cache-Control; Werkzeug's `make_conditional` then answers `If-None-Match` (weak comparison,
as RFC 9110 §13.1.2 requires for GET) and, when no `If-None-Match` is sent,
`If-Modified-Since` with 304. Machine formats and errors may be read by scripts on any
origin (CORS ``*``): everything here is public and read-only.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import UTC, datetime
from pathlib import Path
from typing import Generic, TypeVar

from flask import Request, Response

# Headers a script on another origin may read (Link and Content-Location matter for
# linked-data clients running in a browser).
EXPOSED_HEADERS = "ETag, Last-Modified, Link, Content-Location, Content-Language, Vary"


def strong_etag(body: bytes, content_type: str = "") -> str:
    """A strong entity tag for `body` served as `content_type` (without quotes; Werkzeug
    adds them). The media type is part of it: Turtle and TriG of one default graph are the
    same bytes, but a strong validator must differ between representations (RFC 9110
    §8.8.1)."""
    digest = hashlib.sha256(content_type.encode("utf-8") + b"\n" + body)
    return digest.hexdigest()[:32]


def cache_control(max_age: int) -> str:
    # Data changes only when a build is switched in; a short max-age bounds staleness and
    # the validators make revalidation cheap.
    return f"public, max-age={max_age}, stale-while-revalidate={max_age}"


def finish(
    response: Response,
    request: Request,
    *,
    body: bytes,
    last_modified: datetime | None,
    max_age: int,
    cors: bool,
    etag: str | None = None,
) -> Response:
    """Add validators, Cache-Control and (for machine formats) CORS; turn a 200 into 304
    when the client's copy is current. ``etag``: ``strong_etag(body, the response's
    content type)`` when the caller kept it."""
    response.set_etag(etag or strong_etag(body, response.content_type or ""))
    if last_modified is not None:
        # HTTP dates have whole seconds; drop the rest so If-Modified-Since compares equal.
        response.last_modified = last_modified.astimezone(UTC).replace(microsecond=0)
    response.headers["Cache-Control"] = cache_control(max_age)
    if cors:
        add_cors(response)
    if response.status_code != 200:
        return response  # 304 stands only for a 200 (RFC 9110 §15.4.5)
    response.make_conditional(request)  # in place
    return response


def parse_timestamp(value: str | None) -> datetime | None:
    """An ISO date or date-time from the ledger or manifest, as an aware UTC datetime (for
    Last-Modified); None when absent or malformed."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def add_cors(response: Response, exposed: str = EXPOSED_HEADERS) -> Response:
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = exposed
    return response


def add_vary(response: Response, *headers: str) -> None:
    present = [h.strip() for h in response.headers.get("Vary", "").split(",") if h.strip()]
    for header in headers:
        if header.lower() not in {p.lower() for p in present}:
            present.append(header)
    response.headers["Vary"] = ", ".join(present)


K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class LruCache(Generic[K, V]):
    """A small thread-safe LRU map for rendered bodies. Keys include the build id, so a
    new publication never sees an old entry."""

    def __init__(self, maxsize: int = 512) -> None:
        self.maxsize = maxsize
        self._data: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_create(self, key: K, create: Callable[[], V]) -> V:
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                return self._data[key]
        value = create()  # outside the lock: rendering may be slow
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.maxsize:
                self._data.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._data)


class PublicationCache:
    """Bytes computed on first use and kept with the publication, shared by every server
    process: ``<publication>/cache/<namespace>/<hash of the key>``.

    The first process to finish writes the file (hard link of a temporary file: it never
    replaces one already there), every other process then reads that one, so a page whose
    rendering is not byte-stable (pyLODE's) still has one ETag per URL, and an expensive
    one (a catalogue page) is computed once per publication, not once per process. An
    in-process LRU sits in front. Where the publication folder is not writable, the bytes
    are only kept in memory.
    """

    FOLDER = "cache"

    def __init__(self, maxsize: int = 1024) -> None:
        self._memory: LruCache[tuple[str, str, str], bytes] = LruCache(maxsize)

    def get_or_create(
        self,
        publication_dir: Path,
        namespace: str,
        key: Hashable,
        create: Callable[[], bytes],
        *,
        persist: bool = True,
    ) -> bytes:
        """The bytes for `key`; ``persist=False`` keeps them in memory only (variants a
        client can multiply at will, such as any ``modified_since``, must not fill the
        disk)."""
        digest = hashlib.sha256(repr(key).encode("utf-8")).hexdigest()[:40]
        memory_key = (str(publication_dir), namespace, digest)
        folder = publication_dir / self.FOLDER / namespace
        return self._memory.get_or_create(
            memory_key, lambda: self._on_disk(folder, digest, create) if persist else create()
        )

    @staticmethod
    def _on_disk(folder: Path, digest: str, create: Callable[[], bytes]) -> bytes:
        path = folder / digest
        try:
            return path.read_bytes()
        except OSError:
            pass
        body = create()
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as out:
                    out.write(body)
                os.link(tmp, path)  # fails if another process was first
            except FileExistsError:
                return path.read_bytes()
            finally:
                os.unlink(tmp)
        except OSError:
            return body  # a read-only publication: memory only
        return body
