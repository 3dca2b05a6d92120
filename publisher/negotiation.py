"""Content negotiation: pick the representation to send, as one pure function.

`negotiate()` follows RFC 9110 §12.5.1: every media range in `Accept` may carry a
q-value; for each offered type the most specific matching range decides its quality
(`text/turtle` beats `text/*` beats `*/*`); the offered type with the highest quality
wins. Ties go to the more specific match, then to the range the client listed first,
then to the server's default, then its order. `?format=` overrides `Accept` entirely.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Format:
    """One representation we can serve: URL extension, media type, rdflib serializer."""

    ext: str
    media_type: str
    rdflib_name: str | None  # None for HTML
    label: str
    aliases: tuple[str, ...] = ()


HTML = Format("html", "text/html", None, "HTML", ("application/xhtml+xml",))
TURTLE = Format("ttl", "text/turtle", "turtle", "Turtle", ("application/x-turtle", "text/n3"))
JSONLD = Format("jsonld", "application/ld+json", "json-ld", "JSON-LD", ("application/json",))
RDFXML = Format("rdf", "application/rdf+xml", "xml", "RDF/XML")
NTRIPLES = Format("nt", "application/n-triples", "nt11", "N-Triples")

FORMATS: tuple[Format, ...] = (HTML, TURTLE, JSONLD, RDFXML, NTRIPLES)
RDF_FORMATS: tuple[Format, ...] = (TURTLE, JSONLD, RDFXML, NTRIPLES)
BY_EXT: dict[str, Format] = {f.ext: f for f in FORMATS}
BY_MEDIA_TYPE: dict[str, Format] = {f.media_type: f for f in FORMATS}
ALL_MEDIA_TYPES: tuple[str, ...] = tuple(f.media_type for f in FORMATS)

# Sent when the client states no preference at all (no Accept, or only */*): a
# machine client that did not ask for HTML gets data.
DEFAULT_MEDIA_TYPE = TURTLE.media_type

# ?format= values besides the extensions themselves.
_FORMAT_ALIASES = {
    "turtle": "ttl",
    "json-ld": "jsonld",
    "json": "jsonld",
    "xml": "rdf",
    "rdfxml": "rdf",
    "ntriples": "nt",
    "n-triples": "nt",
    "htm": "html",
}


@dataclass(frozen=True)
class AcceptRange:
    type: str
    subtype: str
    q: float
    position: int


def negotiate(
    accept: str | None,
    offered: Sequence[str] = ALL_MEDIA_TYPES,
    format_param: str | None = None,
    default: str = DEFAULT_MEDIA_TYPE,
) -> str | None:
    """Return the media type (one of `offered`) to send, or None when nothing fits (406).

    `offered` is in server preference order; `default` is used when the client has no
    preference (missing or empty Accept, or only wildcards) and must be in `offered`
    (otherwise the first offered type is used).
    """
    if not offered:
        return None
    if format_param is not None:
        fmt = format_from_param(format_param)
        return fmt.media_type if fmt and fmt.media_type in offered else None
    fallback = default if default in offered else offered[0]
    ranges = parse_accept(accept or "")
    if not ranges:
        return fallback
    if all(r.type == "*" for r in ranges):
        # Only */* (curl, wget, most libraries): the server's default, unless refused.
        return fallback if ranges[0].q > 0 else None

    best: tuple[float, int, int, int] | None = None
    chosen: str | None = None
    # On a tie the default comes first: a client that accepts anything gets data.
    preference = [fallback, *(t for t in offered if t != fallback)]
    for server_rank, media_type in enumerate(preference):
        match = _best_match(media_type, ranges)
        if match is None:
            continue
        rng, specificity = match
        if rng.q <= 0:
            continue
        # Higher is better for each element.
        key = (rng.q, specificity, -rng.position, -server_rank)
        if best is None or key > best:
            best, chosen = key, media_type
    return chosen


def format_from_param(value: str) -> Format | None:
    """The format named by a `?format=` value or URL extension, or None."""
    v = value.strip().lower()
    v = _FORMAT_ALIASES.get(v, v)
    if v in BY_EXT:
        return BY_EXT[v]
    return _format_for_type(v)


def _format_for_type(media_type: str) -> Format | None:
    for fmt in FORMATS:
        if media_type == fmt.media_type or media_type in fmt.aliases:
            return fmt
    return None


def _best_match(media_type: str, ranges: list[AcceptRange]) -> tuple[AcceptRange, int] | None:
    """The most specific range matching `media_type`, or exactly naming one of its aliases.

    Aliases match only a range that names them exactly: `application/*` must not select
    Turtle through its alias `application/x-turtle`, nor `text/*` HTML through XHTML.
    """
    fmt = BY_MEDIA_TYPE.get(media_type)
    aliases = fmt.aliases if fmt else ()
    best: tuple[AcceptRange, int] | None = None
    for rng in ranges:
        spec = _specificity(media_type, rng)
        if spec < 2 and f"{rng.type}/{rng.subtype}" in aliases:
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


def parse_accept(header: str) -> list[AcceptRange]:
    """Parse an Accept header into ranges; malformed members are skipped."""
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
            if not 0.0 <= q <= 1.0:
                valid = False
            break  # parameters after q are accept-extensions
        if valid:
            ranges.append(AcceptRange(mtype, subtype, q, position))
    return ranges


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
