"""The only place where the publication's URIs are minted and parsed.

Things live at ``{base}id/{kind}/{key}``, their documents at ``{base}doc/{kind}/{key}``
(``.html``, ``.ttl``… for a fixed format: the extensions of ``publisher.formats``), the
vocabulary at ``{base}ontology#Term``. A published URI never changes meaning (see the
ledger in build.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, unquote

from rdflib import Namespace, URIRef

from publisher.formats import DOCUMENT_EXTENSIONS

KINDS: tuple[str, ...] = (
    "supplier",
    "offering",
    "licence",
    "scheme",
    "layer",
    "component",
    "aspect",
    "domain",
    "phase",
    "route",
)
# Which concept kind each scheme key holds (scheme keys are also the schemes' file names).
SCHEME_KINDS: dict[str, tuple[str, ...]] = {
    "architecture": ("layer", "component"),
    "openness-aspects": ("aspect",),
    "service-domains": ("domain",),
    "delivery-phases": ("phase",),
    "procurement-routes": ("route",),
}
DOC_EXTENSIONS: tuple[str, ...] = DOCUMENT_EXTENSIONS
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# SPDX ids and expressions made into keys: letters, digits, '.', '-', '+'.
LICENCE_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.+-]*$")


def licence_key(spdx_expression: str) -> str:
    """``MIT OR EUPL-1.1`` → ``MIT-OR-EUPL-1.1``; a plain id stays as it is."""
    return re.sub(r"\s+", "-", spdx_expression.strip())


@dataclass(frozen=True)
class UriScheme:
    base: str

    def __post_init__(self) -> None:
        if not self.base.endswith("/"):
            raise ValueError(f"base URI must end with '/': {self.base!r}")

    @property
    def vocab(self) -> Namespace:
        """The vocabulary namespace (prefix ``ak:``)."""
        return Namespace(self.base + "ontology#")

    @property
    def ontology(self) -> URIRef:
        return URIRef(self.base + "ontology")

    def thing(self, kind: str, key: str) -> URIRef:
        self._check(kind, key)
        return URIRef(f"{self.base}id/{kind}/{quote(key, safe='+')}")

    def thing_namespace(self, kind: str) -> str:
        """The common start of every thing IRI of ``kind`` (a SPARQL prefix, a VoID space)."""
        if kind not in KINDS:
            raise ValueError(f"unknown kind {kind!r}")
        return f"{self.base}id/{kind}/"

    def doc(self, kind: str, key: str, ext: str | None = None) -> URIRef:
        self._check(kind, key)
        suffix = f".{ext}" if ext else ""
        if ext and ext not in DOC_EXTENSIONS:
            raise ValueError(f"unknown document extension {ext!r}")
        return URIRef(f"{self.base}doc/{kind}/{quote(key, safe='+')}{suffix}")

    def graph(self, name: str) -> URIRef:
        return URIRef(f"{self.base}graph/{name}")

    def page(self, path: str) -> URIRef:
        """An absolute URL of one of the site's own paths (``catalog``, ``sparql``…)."""
        return URIRef(self.base + path.lstrip("/"))

    def parse(self, iri: str) -> tuple[str, str] | None:
        """``(kind, key)`` of one of our thing URIs, or None."""
        if not iri.startswith(self.base + "id/"):
            return None
        rest = iri[len(self.base) + 3 :]
        kind, sep, key = rest.partition("/")
        key = unquote(key)
        if not sep or kind not in KINDS or not _valid_key(kind, key):
            return None
        return kind, key

    def _check(self, kind: str, key: str) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown kind {kind!r}")
        if not _valid_key(kind, key):
            raise ValueError(f"invalid {kind} key {key!r}")


def _valid_key(kind: str, key: str) -> bool:
    pattern = LICENCE_KEY if kind == "licence" else SLUG
    return bool(pattern.match(key))
