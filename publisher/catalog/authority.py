"""Controlled vocabularies the catalogues use: EU Publications Office authority tables,
the ADMS code lists (v1.00, the version DCAT-AP's mdr_imports.ttl imports) and the SPDX
checksum algorithm.

Harvesters and the DCAT-AP shapes cannot dereference these IRIs at validation time, so
every page carries, for each concept it uses, the triples the shapes check: the concept's
type(s), ``skos:prefLabel`` and ``skos:inScheme`` (mdr-vocabularies.shape.ttl), and the
scheme as a ``skos:ConceptScheme`` with its label. Labels are the tables' own (English for
all, Finnish where the table's Finnish label is known); the IRI is authoritative.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, SKOS
from rdflib.term import Node

from publisher.catalog.triples import TripleSet
from publisher.namespaces import DCT, SPDX

EU = "http://publications.europa.eu/resource/authority/"


@dataclass(frozen=True)
class Scheme:
    iri: URIRef
    labels: dict[str, str]


@dataclass(frozen=True)
class Concept:
    iri: URIRef
    scheme: Scheme
    labels: dict[str, str]
    # Classes the DCAT-AP range shapes expect the value to have (sh:class), besides
    # skos:Concept: e.g. a language is also a dct:LinguisticSystem.
    types: tuple[URIRef, ...] = field(default=())


def _scheme(iri: str, en: str) -> Scheme:
    return Scheme(URIRef(iri), {"en": en})


LANGUAGE_TABLE = _scheme(EU + "language", "Languages Named Authority List")
FILE_TYPE_TABLE = _scheme(EU + "file-type", "File types Named Authority List")
LICENCE_TABLE = _scheme(EU + "licence", "Licences Named Authority List")
ACCESS_RIGHT_TABLE = _scheme(EU + "access-right", "Access right Named Authority List")
FREQUENCY_TABLE = _scheme(EU + "frequency", "Frequency Named Authority List")
DATA_THEME_TABLE = _scheme(EU + "data-theme", "Data theme Named Authority List")
DISTRIBUTION_STATUS_TABLE = _scheme(
    EU + "distribution-status", "Distribution status Named Authority List"
)
COUNTRY_TABLE = _scheme(EU + "country", "Countries and territories Named Authority List")
PLANNED_AVAILABILITY_TABLE = _scheme(
    EU + "planned-availability", "Planned availability Named Authority List"
)
PUBLISHER_TYPE_SCHEME = _scheme("http://purl.org/adms/publishertype/1.0", "Publisher Type")
STATUS_SCHEME = _scheme("http://purl.org/adms/status/1.0", "Status")
LICENCE_TYPE_SCHEME = _scheme("http://purl.org/adms/licencetype/1.0", "Licence Type")


def _concepts(
    scheme: Scheme, base: str, types: tuple[URIRef, ...], **codes: dict[str, str]
) -> dict[str, Concept]:
    return {
        code: Concept(URIRef(base + code), scheme, labels, types) for code, labels in codes.items()
    }


LANGUAGES = _concepts(
    LANGUAGE_TABLE,
    EU + "language/",
    (DCT.LinguisticSystem,),
    FIN={"en": "Finnish", "fi": "suomi"},
    ENG={"en": "English", "fi": "englanti"},
    SWE={"en": "Swedish", "fi": "ruotsi"},
)
FILE_TYPES = _concepts(
    FILE_TYPE_TABLE,
    EU + "file-type/",
    (DCT.MediaTypeOrExtent,),
    RDF_TURTLE={"en": "RDF Turtle"},
    RDF_N_TRIPLES={"en": "RDF N-Triples"},
    RDF_N_QUADS={"en": "RDF N-Quads"},
    RDF_TRIG={"en": "RDF TriG"},
    JSON_LD={"en": "JSON-LD"},
    RDF_XML={"en": "RDF XML"},
    SPARQLQ={"en": "SPARQL"},
    HTML={"en": "HTML"},
)
LICENCES = _concepts(
    LICENCE_TABLE,
    EU + "licence/",
    (DCT.LicenseDocument,),
    CC_BY_4_0={"en": "Creative Commons Attribution 4.0 International"},
)
ACCESS_RIGHTS = _concepts(
    ACCESS_RIGHT_TABLE,
    EU + "access-right/",
    (DCT.RightsStatement,),
    PUBLIC={"en": "public"},
)
FREQUENCIES = _concepts(
    FREQUENCY_TABLE,
    EU + "frequency/",
    (DCT.Frequency,),
    IRREG={"en": "irregular"},
)
DATA_THEMES = _concepts(
    DATA_THEME_TABLE,
    EU + "data-theme/",
    (),
    GOVE={"en": "Government and public sector", "fi": "Valtioneuvosto ja julkinen sektori"},
    TECH={"en": "Science and technology"},
)
DISTRIBUTION_STATUSES = _concepts(
    DISTRIBUTION_STATUS_TABLE,
    EU + "distribution-status/",
    (),
    COMPLETED={"en": "Completed"},
)
COUNTRIES = _concepts(
    COUNTRY_TABLE,
    EU + "country/",
    (DCT.Location,),
    FIN={"en": "Finland", "fi": "Suomi"},
)
PLANNED_AVAILABILITIES = _concepts(
    PLANNED_AVAILABILITY_TABLE,
    EU + "planned-availability/",
    (),
    STABLE={"en": "stable"},
)
PUBLISHER_TYPES = _concepts(
    PUBLISHER_TYPE_SCHEME,
    "http://purl.org/adms/publishertype/",
    (),
    **{
        "Academia-ScientificOrganisation": {"en": "Academia/Scientific organisation"},
        "Company": {"en": "Company"},
        "LocalAuthority": {"en": "Local Authority"},
        "NationalAuthority": {"en": "National authority"},
        "NonProfitOrganisation": {"en": "Non-Profit Organisation"},
        "NonGovernmentalOrganisation": {"en": "Non-Governmental Organisation"},
        "RegionalAuthority": {"en": "Regional authority"},
        "IndustryConsortium": {"en": "Industry consortium"},
    },
)
STATUSES = _concepts(
    STATUS_SCHEME,
    "http://purl.org/adms/status/",
    (),
    Completed={"en": "Completed"},
    UnderDevelopment={"en": "Under development"},
    Deprecated={"en": "Deprecated"},
    Withdrawn={"en": "Withdrawn"},
)
LICENCE_TYPES = _concepts(
    LICENCE_TYPE_SCHEME,
    "http://purl.org/adms/licencetype/",
    (),
    Attribution={"en": "Attribution"},
    GrantBack={"en": "Grant back"},
    JurisdictionWithinTheEU={"en": "Jurisdiction within the EU"},
    KnownPatentEncumbrance={"en": "Known patent encumbrance"},
    NoDerivativeWork={"en": "No derivative work"},
    NominalCost={"en": "Nominal cost"},
    NonCommercialUseOnly={"en": "Non-commercial use only"},
    OtherRestrictiveClauses={"en": "Other restrictive clauses"},
    PublicDomain={"en": "Public domain"},
    RoyaltiesRequired={"en": "Royalties required"},
    UnknownIPR={"en": "Unknown IPR"},
    **{
        "ReservedNames-Endorsement-OfficialStatus": {
            "en": "Reserved names / endorsement / official status"
        },
        "ViralEffect-ShareAlike": {"en": "Viral effect (a.k.a. Share-alike)"},
    },
)

SHA256 = SPDX.checksumAlgorithm_sha256

_ALL: dict[URIRef, Concept] = {
    c.iri: c
    for table in (
        LANGUAGES,
        FILE_TYPES,
        LICENCES,
        ACCESS_RIGHTS,
        FREQUENCIES,
        DATA_THEMES,
        DISTRIBUTION_STATUSES,
        COUNTRIES,
        PLANNED_AVAILABILITIES,
        PUBLISHER_TYPES,
        STATUSES,
        LICENCE_TYPES,
    )
    for c in table.values()
}

# Our own offering media types → EU file type code (IANA media type is the key).
FILE_TYPE_BY_MEDIA_TYPE: dict[str, str] = {
    "text/turtle": "RDF_TURTLE",
    "application/n-triples": "RDF_N_TRIPLES",
    "application/n-quads": "RDF_N_QUADS",
    "application/trig": "RDF_TRIG",
    "application/ld+json": "JSON_LD",
    "application/rdf+xml": "RDF_XML",
    "application/sparql-query": "SPARQLQ",
    "text/html": "HTML",
}


def concept(iri: str | Node) -> Concept | None:
    """The known concept with this IRI, or None."""
    return _ALL.get(URIRef(str(iri)))


def describe(graph: TripleSet, iri: str | Node) -> URIRef:
    """Add the triples the shapes need about a controlled-vocabulary value; returns its IRI.

    Raises KeyError for an IRI not in our tables: a value the shapes cannot check must not
    slip out unlabelled.
    """
    node = URIRef(str(iri))
    if node == SHA256:
        graph.add((node, RDF.type, SPDX.ChecksumAlgorithm))
        return node
    c = _ALL[node]
    if (node, RDF.type, SKOS.Concept) in graph and (node, SKOS.inScheme, c.scheme.iri) in graph:
        return node  # described already (only this function makes a table IRI a Concept)
    graph.add((node, RDF.type, SKOS.Concept))
    for cls in c.types:
        graph.add((node, RDF.type, cls))
    for lang, text in c.labels.items():
        graph.add((node, SKOS.prefLabel, Literal(text, lang=lang)))
    graph.add((node, SKOS.inScheme, c.scheme.iri))
    graph.add((c.scheme.iri, RDF.type, SKOS.ConceptScheme))
    for lang, text in c.scheme.labels.items():
        graph.add((c.scheme.iri, SKOS.prefLabel, Literal(text, lang=lang)))
        graph.add((c.scheme.iri, DCT.title, Literal(text, lang=lang)))
    return node


def iana_media_type(media_type: str) -> URIRef:
    """The IANA registry IRI of a media type (what DCAT-AP wants for dcat:mediaType)."""
    return URIRef(f"https://www.iana.org/assignments/media-types/{media_type}")
