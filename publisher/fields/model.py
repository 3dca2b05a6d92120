"""What a field and a table of fields are."""

from __future__ import annotations

import builtins
from dataclasses import dataclass
from typing import Any

# type → (what the source holds, how the mapping stores it). The reader of each type is in
# publisher.sources.fields, its writer in publisher.mapping.records; a test checks that
# both know every type.
TYPES: dict[str, tuple[str, str]] = {
    "id": ("an id: lowercase letters a-z, digits and single hyphens", "string"),
    "text": ("text", "string"),
    "texts": ("texts by language, {fi: …, en: …, sv: …}", "lang"),
    "texts-list": ("a list of texts by language", "lang"),
    "words": ("lists of words by language, {fi: [..], en: [..]}", "lang, one literal a word"),
    "url": ("a web address (http:// or https://)", "IRI"),
    "urls": ("a list of web addresses", "IRI"),
    "email": ("an e-mail address", "`mailto:` IRI"),
    "choice": ("one of the values listed", "IRI of the value"),
    "ref": ("the id of a concept", "concept IRI"),
    "refs": ("a list of concept ids", "concept IRIs"),
    "licence": (
        "an SPDX licence id or expression, or a licence of data/licences.yaml",
        "licence IRI",
    ),
    "date": ("a date, 2014-09-16", "`xsd:date`"),
    "amount": ("a number ≥ 0, e.g. 120.50", "`xsd:decimal`, canonical form (`120.5`, `0`)"),
    "currency": ("an ISO 4217 currency code, EUR", "string"),
    "business-id": ("a Finnish Business ID, 1234567-8", "string"),
    "code": ("a code of letters, digits, '-' and '_'", "IRI in the code list"),
    "boolean": ("true or false", "`xsd:boolean`"),
    "record": ("a mapping of the fields below", "blank node"),
    "records": ("a list of mappings of the fields below", "blank nodes"),
    "claims": ("a mapping from concept id to the fields below", "blank nodes"),
    "supplier": ("(the supplier of the file)", "supplier IRI"),
    "position": ("(its position in the list: 1, 2, …)", "string"),
}
# The prefixes of the CURIEs in the tables; "ak" is the vocabulary, {BASE}ontology#.
PREFIXES: dict[str, str] = {
    "adms": "http://www.w3.org/ns/adms#",
    "adms-publishertype": "http://purl.org/adms/publishertype/",
    "adms-status": "http://purl.org/adms/status/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "schema": "http://schema.org/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
# Types whose values are language-tagged literals.
LANGUAGE_TAGGED = frozenset({"texts", "texts-list", "words"})
# Types that hold several values; their empty value is () (words and texts: {}).
MULTIPLE = frozenset({"urls", "refs", "records", "claims", "texts-list"})


@dataclass(frozen=True)
class Field:
    """One field of a kind of record.

    ``property`` is the CURIE of the RDF property the field becomes (None: the field is not
    written as a property of the record, or is written by a ``hook``). ``choices`` maps each
    allowed value to the CURIE it becomes (None: kept as text). ``concept`` is the kind of
    concept a ``ref``/``refs``/``claims`` field names (a key of ``CONCEPTS``). ``record`` is
    the table of a nested ``record``/``records``/``claims`` field. ``node`` (with
    ``node_property``) writes a plain field on a blank node of that class instead of on the
    record itself (``provenance``). ``also`` is a second property that links a ``claims``
    field's concepts directly. ``hook`` names a mapping that the table cannot express
    (``publisher.mapping.hooks``). ``in_source`` is False for values the reader supplies
    (the supplier of an offering, the position of a part). ``label`` names the field for
    people, by language (``labels(fi=…, en=…)``); ``page`` is the part of the record's page
    that lists it generically (``links``: the list of links), so that adding such a field
    needs no template change.
    """

    name: str
    type: str
    help: str
    property: str | None = None
    required: bool = False
    languages: tuple[str, ...] = ()
    choices: tuple[tuple[str, str | None], ...] = ()
    concept: str | None = None
    record: str | None = None
    default: str | None = None
    node: str | None = None
    node_property: str | None = None
    also: str | None = None
    hook: str | None = None
    in_source: bool = True
    label: tuple[tuple[str, str], ...] = ()
    page: str | None = None

    def __post_init__(self) -> None:
        if self.type not in TYPES:
            raise ValueError(f"field {self.name}: unknown type {self.type!r}")
        if self.type in {"record", "records", "claims"} and not self.record:
            raise ValueError(f"field {self.name}: a {self.type} field names its record table")
        if self.type in {"ref", "refs", "claims"} and not self.concept:
            raise ValueError(f"field {self.name}: a {self.type} field names its concept")

    def label_in(self, lang: str) -> str:
        """The field's label in ``lang`` (English, then the field's name, if none)."""
        names = dict(self.label)
        return names.get(lang) or names.get("en") or self.name

    def iri(self, vocabulary: str) -> str:
        """The full IRI of the field's property (``ak:`` is ``vocabulary``)."""
        return expand(self.property or "", vocabulary)

    @builtins.property  # (``property`` is a field here)
    def choice_values(self) -> tuple[str, ...]:
        return tuple(value for value, _target in self.choices)

    def empty(self) -> Any:
        """The value of the field when the source does not give it."""
        if self.type in {"texts", "words"}:
            return {}
        if self.type in MULTIPLE:
            return ()
        return self.default


def labels(**by_language: str) -> tuple[tuple[str, str], ...]:
    """A field's ``label``: ``labels(fi="Kotisivu", sv="Webbplats", en="Homepage")``."""
    return tuple(by_language.items())


def expand(curie: str, vocabulary: str) -> str:
    """``dct:title`` → ``http://purl.org/dc/terms/title``; ``ak:`` is ``vocabulary``."""
    prefix, _, local = curie.partition(":")
    namespace = str(vocabulary) if prefix == "ak" else PREFIXES[prefix]
    return namespace + local


@dataclass(frozen=True)
class Table:
    """The fields of one kind of record, in source order.

    ``subject`` is the kind of thing IRI the record gets (``{BASE}id/{subject}/{id}``);
    records without one are blank nodes of the record that holds them. ``classes`` are
    CURIEs of its ``rdf:type``.
    """

    name: str
    title: str
    where: str
    fields: tuple[Field, ...]
    classes: tuple[str, ...] = ()
    subject: str | None = None

    def __post_init__(self) -> None:
        names = [f.name for f in self.fields]
        if len(names) != len(set(names)):
            raise ValueError(f"table {self.name}: a field is declared twice")

    def field(self, name: str) -> Field:
        for candidate in self.fields:
            if candidate.name == name:
                return candidate
        raise KeyError(f"table {self.name} has no field {name!r}")

    @property
    def source_names(self) -> tuple[str, ...]:
        """The names a source file may use, in table order."""
        return tuple(f.name for f in self.fields if f.in_source)

    def on_page(self, section: str) -> tuple[Field, ...]:
        """The fields a page shows generically in ``section`` (``links``), in table order."""
        return tuple(f for f in self.fields if f.page == section)
