"""What both catalogues share: the catalogue node, its publisher (COSS ry) and contact
point, dates, and the helpers that type linked resources the way the DCAT-AP range shapes
expect (a landing page is a ``foaf:Document``, a media type a ``dct:MediaType`` …)."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import FOAF, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from publisher.catalog import authority
from publisher.catalog.ledgerfile import summaries
from publisher.catalog.triples import TripleSet
from publisher.namespaces import ADMS, DCAT, DCT, VCARD
from publisher.store import ReadStore, new_graph
from publisher.uris import UriScheme

PUBLISHER_KEY = "coss"  # COSS ry, the Finnish Centre for Open Systems and Solutions


@dataclass(frozen=True)
class Context:
    """Everything a catalogue builder reads: the URIs, the publication and its store.

    One context serves one page: `describe` remembers what it read, since every asset of
    a page names the same suppliers, licences and concepts."""

    uris: UriScheme
    store: ReadStore
    # When the published content last changed (manifest "modified"), not when it was
    # built: the same on every rebuild of the same sources.
    modified: datetime
    manifest: dict[str, Any]
    ledger: Mapping[str, dict[str, Any]]  # a dict or a LedgerFile
    # How a figure over the whole publication is kept beyond this page (the web layer
    # keeps it with the publication): keep(name, compute) -> value. None: per page.
    keep: Callable[[str, Callable[[], Any]], Any] | None = field(
        default=None, repr=False, compare=False
    )
    # The publication's ``adms`` artefact (publisher.catalog.admsparts), if it has one.
    adms_parts: Path | None = None
    _described: dict[str, TripleSet] = field(default_factory=dict, repr=False, compare=False)
    _memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def vocab(self) -> str:
        return str(self.uris.vocab)

    def describe(self, iri: str) -> TripleSet:
        """The store's description of `iri` (see `ReadStore.describe_triples`, without
        links), read once."""
        found = self._described.get(iri)
        if found is None:
            found = TripleSet.of(self.store.describe_triples(iri, links=False))
            self._described[iri] = found
        return found

    def once(self, name: str, compute: Callable[[], Any]) -> Any:
        """`compute()`, run once per context (figures over the whole ledger), or once per
        publication when the context has a `keep`."""
        if name not in self._memo:
            self._memo[name] = compute() if self.keep is None else self.keep(name, compute)
        return self._memo[name]

    def graph(self) -> TripleSet:
        g = TripleSet()
        for prefix, namespace in _namespaces(self.vocab):
            g.bind(prefix, namespace)
        g.bind("hydra", "http://www.w3.org/ns/hydra/core#")
        return g


@functools.lru_cache(maxsize=8)
def _namespaces(vocab: str) -> tuple[tuple[str, str], ...]:
    """The prefixes of every description (`publisher.store.new_graph`), as bound there."""
    return tuple((prefix, str(ns)) for prefix, ns in new_graph(vocab).namespaces())


def date_literal(value: Any) -> Literal:
    """An xsd:date or xsd:dateTime literal from a date, datetime or ISO string."""
    if isinstance(value, Literal):
        return value
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
        return Literal(
            moment.astimezone(UTC).replace(microsecond=0).isoformat(), datatype=XSD.dateTime
        )
    if isinstance(value, date):
        return Literal(value.isoformat(), datatype=XSD.date)
    text = str(value)
    if len(text) == 10:
        return Literal(text, datatype=XSD.date)
    return date_literal(datetime.fromisoformat(text.replace("Z", "+00:00")))


def texts(g: TripleSet, subject: URIRef | BNode, predicate: URIRef, values: dict[str, str]) -> None:
    for lang, text in values.items():
        g.add((subject, predicate, Literal(text, lang=lang)))


def iris(src: TripleSet, subject: Node, predicate: URIRef) -> list[URIRef]:
    """The IRI values of `predicate` of `subject` in `src` (the store gives IRIs for
    these; anything else is passed over)."""
    return [o for o in src.objects(subject, predicate) if isinstance(o, URIRef)]


def document(g: TripleSet, iri: URIRef) -> URIRef:
    g.add((iri, RDF.type, FOAF.Document))
    return iri


def add_publisher(ctx: Context, g: TripleSet, agent: URIRef) -> URIRef:
    """An organisation of the store as a DCAT-AP Agent: name(s), ADMS publisher type,
    homepage. Falls back to the IRI's key when the store does not know it."""
    g.add((agent, RDF.type, FOAF.Agent))
    g.add((agent, RDF.type, FOAF.Organization))
    src = ctx.describe(str(agent))
    names = [o for o in src.objects(agent, FOAF.name) if isinstance(o, Literal)]
    if not names:
        parsed = ctx.uris.parse(str(agent))
        names = [Literal(parsed[1] if parsed else str(agent))]
    for name in names:
        g.add((agent, FOAF.name, name))
    for kind in src.objects(agent, DCT.type):
        if authority.concept(kind) is not None:
            g.add((agent, DCT.type, authority.describe(g, kind)))
    for homepage in iris(src, agent, FOAF.homepage):
        g.add((agent, FOAF.homepage, document(g, homepage)))
    return agent


def add_contact_point(
    ctx: Context, g: TripleSet, subject: URIRef, agent: URIRef, fallback: URIRef | None = None
) -> None:
    """The agent's vCard contact point from the store (name, e-mail, web page). When the
    agent publishes no e-mail address (ADMS-AP requires one) and a ``fallback`` agent is
    given, the fallback's contact point is used: for an offering, the register's curators,
    who take corrections and questions about its record."""
    src = ctx.describe(str(agent))
    source = next(iter(src.objects(agent, DCAT.contactPoint)), None)
    has_email = source is not None and (source, VCARD.hasEmail, None) in src
    if not has_email and fallback is not None and fallback != agent:
        add_contact_point(ctx, g, subject, fallback)
        return
    contact = BNode(f"contact-{hashlib.sha1(str(agent).encode()).hexdigest()[:12]}")
    g.add((subject, DCAT.contactPoint, contact))
    g.add((contact, RDF.type, VCARD.Kind))
    g.add((contact, RDF.type, VCARD.Organization))
    if source is not None:
        for p in (VCARD.fn, VCARD.hasEmail, VCARD.hasURL):
            for o in src.objects(source, p):
                g.add((contact, p, o))
    if (contact, VCARD.fn, None) not in g:
        for name in src.objects(agent, FOAF.name):
            g.add((contact, VCARD.fn, name))
    if (contact, VCARD.fn, None) not in g:
        g.add((contact, VCARD.fn, Literal(str(agent))))
    if (contact, VCARD.hasURL, None) not in g:
        for homepage in src.objects(agent, FOAF.homepage):
            g.add((contact, VCARD.hasURL, homepage))


def add_licence(ctx: Context, g: TripleSet, licence: URIRef) -> URIRef:
    """A licence as DCAT-AP/ADMS-AP want it: the EU licence table IRI when the store maps
    ours to one (``skos:exactMatch``), a ``dct:LicenseDocument`` with a title and an ADMS
    licence type. Returns the IRI to use as the value of ``dct:license``."""
    if authority.concept(licence) is not None:  # already an EU table IRI
        authority.describe(g, licence)
        _licence_type(g, licence, authority.LICENCE_TYPES["Attribution"].iri)
        title = g.value(licence, SKOS.prefLabel)
        if title is not None:
            g.add((licence, DCT.title, title))
        return licence
    src = ctx.describe(str(licence))
    target = licence
    for match in src.objects(licence, SKOS.exactMatch):
        if str(match).startswith(authority.EU + "licence/"):
            target = match  # type: ignore[assignment]
            break
    g.add((target, RDF.type, DCT.LicenseDocument))
    if target != licence:
        g.add((target, SKOS.exactMatch, licence))  # our description of it
        g.add((target, SKOS.inScheme, authority.LICENCE_TABLE.iri))
        g.add((authority.LICENCE_TABLE.iri, RDF.type, SKOS.ConceptScheme))
    label = src.value(licence, RDFS.label) or src.value(licence, SKOS.prefLabel)
    identifier = src.value(licence, DCT.identifier)
    title = label or identifier or Literal(str(licence))
    g.add((target, DCT.title, Literal(str(title))))
    g.add((target, RDFS.label, Literal(str(title))))
    if identifier is not None:
        g.add((target, DCT.identifier, identifier))
    kind = _licence_type_of(ctx, licence, src)
    if kind is not None:
        _licence_type(g, target, kind)
    for see in src.objects(licence, RDFS.seeAlso):
        g.add((target, RDFS.seeAlso, see))
    return target


_RESTRICTIVENESS = ("PublicDomain", "Attribution", "ViralEffect-ShareAlike")


def _licence_type_of(ctx: Context, licence: URIRef, src: TripleSet) -> URIRef | None:
    """The ADMS licence type of one of our licences. For an SPDX expression without one of
    its own: an ``OR`` is as open as its most open member (the user may choose it), an
    ``AND`` as restrictive as its most restrictive one."""
    for stated in src.objects(licence, DCT.type):
        local = str(stated).rsplit("/", 1)[-1]
        if local in authority.LICENCE_TYPES:
            return authority.LICENCE_TYPES[local].iri
    expression = src.value(licence, ctx.uris.vocab.licenseExpression)
    members = iris(src, licence, ctx.uris.vocab.licenceMember)
    if expression is None or not members:
        return None
    codes = []
    for member in members:
        kind = _licence_type_of(ctx, member, ctx.describe(str(member)))
        ranked = str(kind).rsplit("/", 1)[-1] if kind is not None else None
        if ranked not in _RESTRICTIVENESS:
            return None  # a member we cannot rank: no type rather than a wrong one
        codes.append(_RESTRICTIVENESS.index(ranked))
    pick = min(codes) if " OR " in str(expression) else max(codes)
    return authority.LICENCE_TYPES[_RESTRICTIVENESS[pick]].iri


def _licence_type(g: TripleSet, licence: URIRef, kind: URIRef) -> None:
    g.add((licence, DCT.type, authority.describe(g, kind)))


def add_catalogue(
    ctx: Context,
    g: TripleSet,
    catalogue: URIRef,
    *,
    title: dict[str, str],
    description: dict[str, str],
    homepage: URIRef,
) -> URIRef:
    """The catalogue node every page repeats: titles, publisher, licence, languages,
    dates, theme taxonomy, contact point."""
    publisher = ctx.uris.thing("supplier", PUBLISHER_KEY)
    g.add((catalogue, RDF.type, DCAT.Catalog))
    texts(g, catalogue, DCT.title, title)
    texts(g, catalogue, DCT.description, description)
    g.add((catalogue, DCT.publisher, add_publisher(ctx, g, publisher)))
    add_contact_point(ctx, g, catalogue, publisher)
    g.add((catalogue, FOAF.homepage, document(g, homepage)))
    g.add((catalogue, DCT.license, authority.describe(g, authority.LICENCES["CC_BY_4_0"].iri)))
    add_licence(ctx, g, authority.LICENCES["CC_BY_4_0"].iri)
    for code in ("FIN", "ENG", "SWE"):
        g.add((catalogue, DCT.language, authority.describe(g, authority.LANGUAGES[code].iri)))
    g.add((catalogue, DCT.issued, date_literal(first_published(ctx))))
    g.add((catalogue, DCT.modified, date_literal(ctx.modified)))
    architecture = ctx.uris.thing("scheme", "architecture")
    g.add((catalogue, DCAT.themeTaxonomy, architecture))
    add_scheme_stub(ctx, g, architecture)
    g.add((catalogue, DCAT.themeTaxonomy, authority.DATA_THEME_TABLE.iri))
    spatial(g, catalogue)
    authority.describe(g, authority.DATA_THEMES["GOVE"].iri)
    return catalogue


def add_scheme_stub(ctx: Context, g: TripleSet, scheme: URIRef) -> None:
    """Type and titles of one of our concept schemes (what a harvester shows)."""
    src = ctx.describe(str(scheme))
    g.add((scheme, RDF.type, SKOS.ConceptScheme))
    for p in (SKOS.prefLabel, DCT.title):
        for o in src.objects(scheme, p):
            g.add((scheme, p, o))
            g.add((scheme, DCT.title, o))


def add_concept(
    ctx: Context, g: TripleSet, concept: URIRef, src: TripleSet | None = None
) -> URIRef:
    """One of our SKOS concepts (architecture component …) with labels and scheme."""
    src = src if src is not None else ctx.describe(str(concept))
    g.add((concept, RDF.type, SKOS.Concept))
    for p in (SKOS.prefLabel, SKOS.inScheme):
        for o in src.objects(concept, p):
            g.add((concept, p, o))
    for scheme in src.objects(concept, SKOS.inScheme):
        g.add((scheme, RDF.type, SKOS.ConceptScheme))
    return concept


def first_published(ctx: Context) -> Any:
    """The earliest first publication in the ledger (the register's issue date)."""

    def compute() -> str:
        dates = [str(d) for _, e in summaries(ctx.ledger) if (d := e.first_published)]
        return min(dates, default=ctx.modified.date().isoformat())[:10]

    return ctx.once("first_published", compute)


DCATAP_301 = URIRef("https://semiceu.github.io/DCAT-AP/releases/3.0.1")
ADMSAP_20 = URIRef("https://joinup.ec.europa.eu/release/adms-ap-joinup-version/20")
STANDARD_TITLES = {DCATAP_301: "DCAT-AP 3.0.1", ADMSAP_20: "ADMS-AP for Joinup 2.0"}


def add_record(
    ctx: Context,
    g: TripleSet,
    catalogue: URIRef,
    record: URIRef,
    topic: URIRef,
    *,
    modified: Any,
    issued: Any,
    removed: bool,
    profiles: tuple[URIRef, ...] = (DCATAP_301,),
) -> URIRef:
    """A catalogue record: its topic, dates, change status and the profiles it follows."""
    g.add((catalogue, DCAT.record, record))
    g.add((record, RDF.type, DCAT.CatalogRecord))
    g.add((record, FOAF.primaryTopic, topic))
    g.add((topic, RDF.type, DCAT.Resource))
    g.add((record, DCT.modified, date_literal(modified)))
    if issued:
        g.add((record, DCT.issued, date_literal(issued)))
    g.add((record, ADMS.status, authority.describe(g, change_status(removed))))
    for profile in profiles:
        g.add((record, DCT.conformsTo, profile))
        g.add((profile, RDF.type, DCT.Standard))
        g.add((profile, DCT.title, Literal(STANDARD_TITLES[profile], lang="en")))
    return record


def spatial(g: TripleSet, subject: URIRef) -> None:
    """The register covers Finland (Finnish suppliers, Finnish municipalities)."""
    g.add((subject, DCT.spatial, authority.describe(g, authority.COUNTRIES["FIN"].iri)))


def change_status(removed: bool) -> URIRef:
    """adms:status of a catalogue record: Completed, or Withdrawn for a deletion."""
    return authority.STATUSES["Withdrawn" if removed else "Completed"].iri


__all__ = ["ADMS", "Context"]
