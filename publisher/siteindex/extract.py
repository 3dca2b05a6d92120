"""Read what the site index needs out of a publication's store (pyoxigraph), once.

The store is the one source: the index shows exactly what was published, and facet
counts agree with SPARQL over the same store by construction. Only the predicates the
index uses are read (each with one scan of the predicate index), then grouped by
subject in plain Python structures; nothing here knows SQLite or HTML.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from publisher.namespaces import ADMS, ADMS_STATUS, DCAT, DCT, FOAF, RDFS, SCHEMA, SKOS
from publisher.uris import UriScheme

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL_PREDICATES = (str(SKOS.prefLabel), str(DCT.title), str(FOAF.name), str(RDFS.label))


@dataclass(frozen=True, order=True)
class Text:
    """A literal: its lexical form and language tag ("" when untagged)."""

    lang: str
    value: str


Value = str | Text  # an IRI or blank node id (str), or a literal


@dataclass
class Extract:
    """Everything read from the store, keyed by IRI (or blank node id)."""

    uris: UriScheme
    props: dict[str, dict[str, list[Value]]] = field(default_factory=dict)
    types: dict[str, set[str]] = field(default_factory=dict)

    def values(self, subject: str, predicate: str) -> list[Value]:
        return self.props.get(subject, {}).get(predicate, [])

    def iris(self, subject: str, predicate: str) -> list[str]:
        return sorted(v for v in self.values(subject, predicate) if isinstance(v, str))

    def texts(self, subject: str, predicate: str) -> list[Text]:
        return sorted(v for v in self.values(subject, predicate) if isinstance(v, Text))

    def one_text(self, subject: str, predicate: str) -> str | None:
        texts = self.texts(subject, predicate)
        return texts[0].value if texts else None

    def lang_texts(self, subject: str, predicate: str) -> dict[str, str]:
        """{lang: text} (the first of each language; "" for untagged)."""
        out: dict[str, str] = {}
        for t in self.texts(subject, predicate):
            out.setdefault(t.lang, t.value)
        return out

    def lang_lists(self, subject: str, predicate: str) -> dict[str, list[str]]:
        out: dict[str, list[str]] = defaultdict(list)
        for t in self.texts(subject, predicate):
            out[t.lang].append(t.value)
        return dict(out)

    def labels(self, subject: str) -> list[Text]:
        found: set[Text] = set()
        for predicate in LABEL_PREDICATES:
            found.update(self.texts(subject, predicate))
        return sorted(found)

    def key_of(self, iri: str) -> str | None:
        parsed = self.uris.parse(iri)
        return parsed[1] if parsed else None

    def keys_of(self, iris: list[str]) -> list[str]:
        return sorted({k for k in (self.key_of(i) for i in iris) if k})

    def of_type(self, cls: str) -> list[str]:
        return sorted(s for s, ts in self.types.items() if cls in ts)


def predicates(uris: UriScheme) -> tuple[str, ...]:
    """Every predicate the index reads (the rest of the store is never touched)."""
    ak = uris.vocab
    names = (
        "opennessAspect opennessClaim aspect evidence pricing priceList procurementRoute "
        "procurementNote serviceDomain deliveryPhase sourceRepository apiDocumentation order "
        "confidence crossCutting openSource osiApproved licenceMember licenseExpression "
        "initiativeRole businessId"
    ).split()
    return (
        *LABEL_PREDICATES,
        str(SKOS.altLabel),
        str(SKOS.definition),
        str(SKOS.broader),
        str(SKOS.inScheme),
        str(SKOS.notation),
        str(DCT.identifier),
        str(DCT.description),
        str(DCT.publisher),
        str(DCT.license),
        str(DCT.conformsTo),
        str(DCT.hasPart),
        str(DCT.issued),
        str(DCT.modified),
        str(DCAT.keyword),
        str(DCAT.theme),
        str(DCAT.landingPage),
        str(FOAF.homepage),
        str(ADMS.status),
        str(SCHEMA.price),
        str(SCHEMA.priceCurrency),
        str(SCHEMA.unitText),
        *(str(ak[n]) for n in names),
    )


def read_store(store_path: Path, uris: UriScheme) -> Extract:
    """Read the index's predicates from the store at ``store_path`` (opened read-only)."""
    store = ox.Store.read_only(str(store_path))
    try:
        return read_from(store, uris)
    finally:
        del store


def read_from(store: ox.Store, uris: UriScheme) -> Extract:
    extract = Extract(uris)
    props = extract.props
    for quad in store.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), None, None):
        if isinstance(quad.object, ox.NamedNode):
            extract.types.setdefault(_node(quad.subject), set()).add(quad.object.value)
    for predicate in predicates(uris):
        for quad in store.quads_for_pattern(None, ox.NamedNode(predicate), None, None):
            subject = _node(quad.subject)
            obj = quad.object
            value: Value
            if isinstance(obj, ox.Literal):
                value = Text(obj.language or "", obj.value)
            else:
                value = _node(obj)
            bucket = props.setdefault(subject, {}).setdefault(predicate, [])
            if value not in bucket:  # the same triple in two graphs counts once
                bucket.append(value)
    for by_predicate in props.values():
        for values in by_predicate.values():
            values.sort(key=_sort_key)
    return extract


def _node(term: Any) -> str:
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return str(term.value)


def _sort_key(value: Value) -> tuple[int, str, str]:
    if isinstance(value, Text):
        return (1, value.lang, value.value)
    return (0, "", value)


def status_key(iri: str) -> str | None:
    """``http://purl.org/adms/status/Completed`` → ``Completed``."""
    return iri[len(str(ADMS_STATUS)) :] if iri.startswith(str(ADMS_STATUS)) else None


def decimal(text: str | None) -> Decimal | None:
    if text is None:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None
