"""What every mapper shares: the URI scheme as N-Triples terms, the licence register, and
the writer that collects one source file's triples with where each subject came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from publisher.fields import PREFIXES
from publisher.mapping import ntriples as nt

if TYPE_CHECKING:
    from publisher.licences import LicenceRegister
    from publisher.uris import UriScheme

CURIE_PREFIXES = PREFIXES  # (the name validation imports)


@dataclass(frozen=True)
class Origin:
    """Where a node of the graph came from: a file, a record and a field within it, and
    the field table of that field (``pricing``, ``part``…; empty for the record itself)."""

    file: str
    record: str
    field_prefix: str = ""
    table: str = ""


class Terms:
    """N-Triples terms of one base URI, made once and remembered."""

    def __init__(self, uris: UriScheme) -> None:
        self.uris = uris
        self.prefixes = {**CURIE_PREFIXES, "ak": str(uris.vocab)}
        nt.iri(uris.base)  # the base goes into every IRI: refuse a broken one at once
        self._curies: dict[str, str] = {}
        self._things: dict[tuple[str, str], str] = {}

    def curie(self, curie: str) -> str:
        """``dct:title`` → ``<http://purl.org/dc/terms/title>``."""
        term = self._curies.get(curie)
        if term is None:
            prefix, _, local = curie.partition(":")
            term = self._curies[curie] = nt.iri(self.prefixes[prefix] + local)
        return term

    def thing(self, kind: str, key: str) -> str:
        term = self._things.get((kind, key))
        if term is None:
            term = self._things[(kind, key)] = f"<{self.uris.thing(kind, key)}>"
        return term


@dataclass
class Writer:
    """The triples of one part of the mapping (one source file), in the order written."""

    terms: Terms
    register: LicenceRegister
    lines: list[str] = field(default_factory=list)
    origins: dict[str, Origin] = field(default_factory=dict)
    licences_used: set[str] = field(default_factory=set)

    def add(self, subject: str, predicate: str, obj: str) -> None:
        self.lines.append(f"{subject} {predicate} {obj} .\n")

    def texts(self, subject: str, predicate: str, texts: dict[str, str]) -> None:
        for lang, text in texts.items():
            self.lines.append(f"{subject} {predicate} {nt.lang_literal(text, lang)} .\n")

    def iris(self, subject: str, predicate: str, values: Any) -> None:
        for value in values:
            self.lines.append(f"{subject} {predicate} {nt.iri(value)} .\n")

    def node(self, origin: Origin, field_prefix: str, table: str = "") -> str:
        """The blank node of ``field_prefix`` in ``origin``'s record: its label comes from
        the record and the field (``offering.x-road.pricing``), so it is the same on every
        build of the same sources."""
        kind, _, key = origin.record.partition(" ")
        node = nt.blank_node(f"{kind}.{key}.{field_prefix}")
        self.origins[node] = Origin(origin.file, origin.record, field_prefix, table)
        return node

    def licence(self, text: str) -> str:
        """The IRI term of a licence (id or expression), remembered as used."""
        licence = self.register.resolve(text)
        self.licences_used.add(licence.id)
        return self.terms.thing("licence", licence.key)
