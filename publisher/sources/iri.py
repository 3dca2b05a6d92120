"""Is a web address a valid IRI (RFC 3987)?

Source addresses become IRIs in the published RDF, and RDF tools refuse an invalid one (a
second ``#``, a port that is not a number, a broken ``%`` escape), so the source checks
hold every ``http(s)://`` address to the IRI grammar before anything is built.
"""

from __future__ import annotations

import ipaddress
import re

_UCS = (
    "\u00a0-\ud7ff\uf900-\ufdcf\ufdf0-\uffef"
    + "".join(f"\\U{plane:04X}0000-\\U{plane:04X}FFFD" for plane in range(0x1, 0xE))
    + "\U000e1000-\U000efffd"
)
_PRIVATE = "\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd"
_UNRESERVED = f"A-Za-z0-9\\-._~{_UCS}"
_SUB_DELIMS = "!$&'()*+,;="
_PCT = "%[0-9A-Fa-f]{2}"
_PCHAR = f"(?:[{_UNRESERVED}{_SUB_DELIMS}:@]|{_PCT})"

_IRI = re.compile(
    r"(?P<scheme>https?)://"
    rf"(?:(?:[{_UNRESERVED}{_SUB_DELIMS}:]|{_PCT})*@)?"
    rf"(?P<host>\[[^\]/?#@]*\]|(?:[{_UNRESERVED}{_SUB_DELIMS}]|{_PCT})*)"
    r"(?::[0-9]*)?"
    rf"(?:/{_PCHAR}*)*"
    rf"(?:\?(?:{_PCHAR}|[/?{_PRIVATE}])*)?"
    rf"(?:#(?:{_PCHAR}|[/?])*)?",
)
_IPV_FUTURE = re.compile(rf"v[0-9A-Fa-f]+\.[{_UNRESERVED}{_SUB_DELIMS}:]+")


def is_web_iri(value: str) -> bool:
    """True if ``value`` is an absolute http(s) IRI with a host."""
    match = _IRI.fullmatch(value)
    if match is None:
        return False
    host = match.group("host")
    if not host:
        return False
    if host.startswith("["):
        inner = host[1:-1]
        if _IPV_FUTURE.fullmatch(inner):
            return True
        try:
            ipaddress.IPv6Address(inner)
        except ValueError:
            return False
    return True


_MAILTO_PATH = re.compile(f"(?:{_PCHAR}|/)+")


def is_mailto_address(address: str) -> bool:
    """True if ``mailto:{address}`` is a valid IRI (the mapping writes e-mail so)."""
    return _MAILTO_PATH.fullmatch(address) is not None
