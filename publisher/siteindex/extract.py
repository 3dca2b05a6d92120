"""Read what the site index needs out of a publication's store (pyoxigraph), once.

The store is the one source: the index shows exactly what was published, and facet
counts agree with SPARQL over the same store by construction. Only the predicates the
index uses are read (each with one scan of the predicate index), then grouped by
subject in plain Python structures; nothing here knows SQLite or HTML.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, NamedTuple

import pyoxigraph as ox

from publisher.namespaces import ADMS, ADMS_STATUS, DCAT, DCT, FOAF, RDFS, SCHEMA, SKOS
from publisher.uris import UriScheme

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL_PREDICATES = (str(SKOS.prefLabel), str(DCT.title), str(FOAF.name), str(RDFS.label))


class Text(NamedTuple):
    """A literal: its language tag ("" when untagged) and lexical form. (A named tuple:
    millions are made, compared and hashed, which tuples do in C.)"""

    lang: str
    value: str


Value = str | Text  # an IRI or blank node id (str), or a literal
_MISSING = object()
_NONE: dict[str, list[Any]] = {}
_EMPTY: list[Any] = []


@dataclass
class Extract:
    """Everything read from the store, keyed by IRI (or blank node id)."""

    uris: UriScheme
    props: dict[str, dict[str, list[Value]]] = field(default_factory=dict)
    types: dict[str, set[str]] = field(default_factory=dict)
    _keys: dict[str, str | None] = field(default_factory=dict, repr=False)
    _labels: dict[str, list[Text]] = field(default_factory=dict, repr=False)

    def values(self, subject: str, predicate: str) -> list[Value]:
        return self.props.get(subject, _NONE).get(predicate, _EMPTY)

    # Values are kept sorted (IRIs, then texts by language and text): no sorting here.
    # When every value is of the kind asked for (nearly always), the stored list itself
    # is given: never change what these return.
    def iris(self, subject: str, predicate: str) -> list[str]:
        values = self.props.get(subject, _NONE).get(predicate)
        if not values:
            return []
        if type(values[-1]) is str:
            return values
        return [v for v in values if type(v) is str]

    def texts(self, subject: str, predicate: str) -> list[Text]:
        values = self.props.get(subject, _NONE).get(predicate)
        if not values:
            return []
        if type(values[0]) is Text:
            return values
        return [v for v in values if type(v) is Text]

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
        found = self._labels.get(subject)
        if found is None:
            every: set[Text] = set()
            for predicate in LABEL_PREDICATES:
                every.update(self.texts(subject, predicate))
            found = self._labels[subject] = sorted(every)
        return list(found)

    def key_of(self, iri: str) -> str | None:
        found = self._keys.get(iri, _MISSING)
        if found is _MISSING:
            parsed = self.uris.parse(iri)
            found = self._keys[iri] = parsed[1] if parsed else None
        return found  # type: ignore[return-value]

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


def read_store(store_path: Path, uris: UriScheme, dump: Path | None = None) -> Extract:
    """Read the index's predicates from the publication: from its N-Quads dump when given
    (parsing the text is about three times faster than reading the store from disk; both
    hold the same quads), else from the store at ``store_path`` (opened read-only)."""
    if dump is not None and dump.is_file():
        # Lenient: the dump is the build's own (pyoxigraph's writing of checked terms),
        # read without checking every IRI again: the same quads, about half the parse.
        quads = ox.parse(path=str(dump), format=ox.RdfFormat.N_QUADS, lenient=True)
        return read_quads(quads, uris)
    store = ox.Store.read_only(str(store_path))
    try:
        return read_quads(store.quads_for_pattern(None, None, None, None), uris)
    finally:
        del store


def read_from(store: ox.Store, uris: UriScheme) -> Extract:
    return read_quads(store.quads_for_pattern(None, None, None, None), uris)


def read_quads(quads: Iterable[Any], uris: UriScheme) -> Extract:
    extract = Extract(uris)
    props = extract.props
    types = extract.types
    # One string object per distinct predicate and IRI value (each quad gives new ones):
    # a third less memory for a national catalogue.
    wanted = {p: p for p in predicates(uris)}
    shared: dict[str, str] = {}
    literal, blank = ox.Literal, ox.BlankNode
    make = tuple.__new__  # Text(lang, value) without its Python-level __new__
    last = None  # the subject of the quad before (a subject's quads mostly come together)
    by_predicate: dict[str, list[Value]] = {}
    for quad in quads:
        predicate = quad.predicate.value
        canonical = wanted.get(predicate)
        if canonical is None and predicate != RDF_TYPE:
            continue
        subject_term = quad.subject
        subject = f"_:{subject_term.value}" if type(subject_term) is blank else subject_term.value
        obj = quad.object
        if canonical is None:  # rdf:type
            iri = obj.value
            found = types.get(subject)
            if found is None:
                types[subject] = {shared.setdefault(iri, iri)}
            else:
                found.add(shared.setdefault(iri, iri))
            continue
        kind = type(obj)
        value: Value
        if kind is literal:
            value = make(Text, (obj.language or "", obj.value))
        elif kind is blank:
            value = f"_:{obj.value}"
        else:
            iri = obj.value
            value = shared.setdefault(iri, iri)
        if subject != last:
            found_props = props.get(subject)
            if found_props is None:
                found_props = props[subject] = {}
            by_predicate, last = found_props, subject
        bucket = by_predicate.get(canonical)
        if bucket is None:
            by_predicate[canonical] = [value]
        elif value not in bucket:  # the same triple in two graphs counts once
            bucket.append(value)
    for values_of in props.values():
        for values in values_of.values():
            if len(values) > 1:
                values.sort(key=_sort_key)
    return extract


def _node(term: Any) -> str:
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return str(term.value)


def _sort_key(value: Value) -> tuple[int, str, str]:
    if type(value) is Text:
        return (1, value[0], value[1])
    return (0, "", value)  # type: ignore[return-value]


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
