"""The moment a build stamps on what it publishes: now, or ``SOURCE_DATE_EPOCH``.

A build's time is the first-published date of every new thing in the ledger (and so its
``dct:issued``), the ``dct:modified`` of what changed and the manifest's ``built_at``.
Two cold builds of the same sources therefore differ in those dates unless they agree
on the time. ``SOURCE_DATE_EPOCH`` (https://reproducible-builds.org/specs/source-date-epoch/,
read by Sphinx, pip's wheel builds, Debian's tooling) is that agreement: when it is set,
the build uses it instead of the clock, and two builds of the same sources and code into
fresh output folders are byte-identical except the manifest's build id.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import UTC, datetime

from publisher.errors import BuildError

VARIABLE = "SOURCE_DATE_EPOCH"


def build_time(environ: Mapping[str, str] = os.environ) -> datetime:
    """``SOURCE_DATE_EPOCH`` as an aware UTC time when it is set (and not empty), else now."""
    value = environ.get(VARIABLE, "").strip()
    if not value:
        return datetime.now(UTC)
    # The spec: an ASCII decimal integer of seconds since the epoch; anything else is an error.
    if not value.isascii() or not value.isdigit():
        raise BuildError(
            f"{VARIABLE}={value!r} is not a number of seconds since 1970-01-01: "
            "set it to an integer such as $(git log -1 --format=%ct), or unset it"
        )
    try:
        return datetime.fromtimestamp(int(value), UTC)
    except (OverflowError, OSError, ValueError) as exc:
        raise BuildError(f"{VARIABLE}={value} is out of range: {exc}") from None
