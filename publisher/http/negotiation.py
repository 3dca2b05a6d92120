"""Content negotiation: the one function that picks what to send.

`negotiate()` follows RFC 9110 §12.5.1: every media range in `Accept` may carry a q-value;
for each offered type the most specific matching range decides its quality (`text/turtle`
beats `text/*` beats `*/*`); the offered type with the highest quality wins. Ties go to
the more specific match, then to the range the client listed first, then to the server's
default, then its order. An offer's aliases (``application/x-turtle``) match only a range
that names them exactly, never through a wildcard. An offer marked ``explicit_only`` (the
SPARQL endpoint's HTML page) is chosen only when a range names it exactly.

It is pure and generic: the documents and catalogues offer entries of
``publisher.formats``, the error handler offers JSON and HTML, the SPARQL endpoint its own
result formats (it gets this function through its ``init_app``). ``?format=`` is resolved
by the caller's own table of names, before negotiation.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar


class Offer(Protocol):
    """Anything with a media type and its aliases (`publisher.formats.Format` and the
    endpoint's result formats)."""

    @property
    def media_type(self) -> str: ...

    @property
    def aliases(self) -> tuple[str, ...]: ...


OfferT = TypeVar("OfferT", bound=Offer)


@dataclass(frozen=True)
class AcceptRange:
    type: str
    subtype: str
    q: float
    position: int


def negotiate(
    accept: str | None, offered: Sequence[OfferT], default: OfferT | None = None
) -> OfferT | None:
    """The offer (one of `offered`, in server preference order) to send, or None when
    nothing fits (406).

    `default` is sent when the client states no preference (no or empty Accept, or only
    wildcards); when it is not offered, the first offer (not ``explicit_only``) is.
    """
    candidates = [o for o in offered if not _explicit_only(o)]
    fallback = default if default in candidates else (candidates[0] if candidates else None)
    ranges = parse_accept(accept or "")
    if not ranges:
        return fallback
    if all(r.type == "*" for r in ranges):
        # Only */* (curl, wget, most libraries): the server's default, unless refused.
        return fallback if ranges[0].q > 0 else None

    best: tuple[float, int, int, int] | None = None
    chosen: OfferT | None = None
    # On a tie the default comes first: a client that accepts anything gets data.
    first = [fallback] if fallback is not None else []
    preference = [*first, *(o for o in offered if o != fallback)]
    for server_rank, offer in enumerate(preference):
        match = _best_match(offer, ranges)
        if match is None:
            continue
        rng, specificity = match
        if rng.q <= 0 or (_explicit_only(offer) and specificity < 2):
            continue
        # Higher is better for each element.
        key = (rng.q, specificity, -rng.position, -server_rank)
        if best is None or key > best:
            best, chosen = key, offer
    return chosen


def _explicit_only(offer: Offer) -> bool:
    return bool(getattr(offer, "explicit_only", False))


def _best_match(offer: Offer, ranges: Sequence[AcceptRange]) -> tuple[AcceptRange, int] | None:
    """The most specific range matching the offer's media type, or exactly naming one of
    its aliases: `application/*` must not select Turtle through `application/x-turtle`,
    nor `text/*` HTML through XHTML."""
    best: tuple[AcceptRange, int] | None = None
    for rng in ranges:
        spec = _specificity(offer.media_type, rng)
        if spec < 2 and f"{rng.type}/{rng.subtype}" in offer.aliases:
            spec = 2
        if spec < 0:
            continue
        # Among equally specific ranges for the same type the first one listed counts.
        if best is None or spec > best[1]:
            best = (rng, spec)
    return best


def _specificity(media_type: str, rng: AcceptRange) -> int:
    """-1 when `rng` does not match; 0 for */*, 1 for type/*, 2 for an exact match."""
    mtype, _, subtype = media_type.partition("/")
    if rng.type == "*":
        return 0
    if rng.type != mtype:
        return -1
    if rng.subtype == "*":
        return 1
    return 2 if rng.subtype == subtype else -1


# Accept headers longer than this are parsed every time rather than kept (browsers and
# libraries send a few short ones: kept, they are parsed once per process).
KEPT_HEADER_LENGTH = 512


def parse_accept(header: str) -> tuple[AcceptRange, ...]:
    """Parse an Accept header into ranges; malformed members are skipped."""
    if len(header) > KEPT_HEADER_LENGTH:
        return _parse_accept(header)
    return _kept_parse_accept(header)


def _parse_accept(header: str) -> tuple[AcceptRange, ...]:
    ranges: list[AcceptRange] = []
    for position, member in enumerate(_split_outside_quotes(header, ",")):
        parts = _split_outside_quotes(member, ";")
        if not parts:
            continue
        full = parts[0].strip().lower()
        if full == "*":  # a bare '*' (old Java clients send "*; q=.2") means */*
            full = "*/*"
        mtype, slash, subtype = full.partition("/")
        if not slash or not mtype or not subtype or (mtype == "*" and subtype != "*"):
            continue
        q = 1.0
        valid = True
        for param in parts[1:]:
            name, _, value = param.strip().partition("=")
            if name.strip().lower() != "q":
                continue  # media-type parameters (charset, profile) do not restrict us
            try:
                q = float(value.strip())
            except ValueError:
                valid = False
            if not 0.0 <= q <= 1.0:  # also refuses nan
                valid = False
            break  # parameters after q are accept-extensions
        if valid:
            ranges.append(AcceptRange(mtype, subtype, q, position))
    return tuple(ranges)


# (a pure function of the header: the same few headers come with every request)
_kept_parse_accept = functools.lru_cache(maxsize=256)(_parse_accept)


def _split_outside_quotes(text: str, sep: str) -> list[str]:
    """Split on `sep`, ignoring separators inside quoted strings (profile="a,b")."""
    out: list[str] = []
    buf: list[str] = []
    quoted = escaped = False
    for ch in text:
        if escaped:
            buf.append(ch)
            escaped = False
        elif ch == "\\" and quoted:
            buf.append(ch)
            escaped = True
        elif ch == '"':
            buf.append(ch)
            quoted = not quoted
        elif ch == sep and not quoted:
            out.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
    out.append("".join(buf))
    return [s for s in (p.strip() for p in out) if s]
