"""Negotiation by media type over the one format table, for callers that offer media
types as strings (the SPARQL endpoint's ``Host.negotiate``).

The one negotiation function is `publisher.http.negotiation.negotiate`, which takes
offers with ``media_type``/``aliases`` (the entries of `publisher.formats`, or any
table of one's own) and is what this wraps; the one format table is `publisher.formats`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from publisher import formats
from publisher.formats import RDF_FORMATS
from publisher.http.negotiation import AcceptRange, parse_accept
from publisher.http.negotiation import negotiate as negotiate_offers

__all__ = ["RDF_FORMATS", "AcceptRange", "negotiate", "parse_accept"]

ALL_MEDIA_TYPES: tuple[str, ...] = tuple(f.media_type for f in formats.DOCUMENT_FORMATS)
DEFAULT_MEDIA_TYPE = formats.DEFAULT.media_type


@dataclass(frozen=True)
class _MediaType:
    media_type: str
    aliases: tuple[str, ...] = ()


def negotiate(
    accept: str | None,
    offered: Sequence[str] = ALL_MEDIA_TYPES,
    format_param: str | None = None,
    default: str = DEFAULT_MEDIA_TYPE,
) -> str | None:
    """The media type (one of `offered`) to send, or None when nothing fits (406).

    A media type of the format table brings its aliases; ``format_param`` (a name or a
    media type) overrides ``Accept``."""
    if format_param is not None:
        fmt = formats.by_name(format_param)
        if fmt is not None and fmt.media_type in offered:
            return fmt.media_type
        wanted = format_param.strip().lower()
        return wanted if wanted in offered else None
    taken = set(offered)
    offers = [_MediaType(m, tuple(a for a in _aliases(m) if a not in taken)) for m in offered]
    default_offer = next((o for o in offers if o.media_type == default), None)
    chosen = negotiate_offers(accept, offers, default_offer)
    return chosen.media_type if chosen else None


def _aliases(media_type: str) -> tuple[str, ...]:
    fmt = formats.BY_MEDIA_TYPE.get(media_type)
    return fmt.aliases if fmt else ()
