"""RDF namespaces, declared once (ckanext-dcat's profiles/base.py habit)."""

from rdflib import Namespace
from rdflib.namespace import (
    DCAT,
    DCTERMS,
    FOAF,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SKOS,
    VANN,
    VOID,
    XSD,
    DefinedNamespace,
)

DCT = DCTERMS
ADMS = Namespace("http://www.w3.org/ns/adms#")
SCHEMA = Namespace("http://schema.org/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
SPDX_LICENSES = Namespace("http://spdx.org/licenses/")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
ADMS_STATUS = Namespace("http://purl.org/adms/status/")
ADMS_PUBLISHER_TYPE = Namespace("http://purl.org/adms/publishertype/")
ADMS_LICENCE_TYPE = Namespace("http://purl.org/adms/licencetype/")
EU_LICENCE = Namespace("http://publications.europa.eu/resource/authority/licence/")
EU_LANGUAGE = Namespace("http://publications.europa.eu/resource/authority/language/")
EU_FILE_TYPE = Namespace("http://publications.europa.eu/resource/authority/file-type/")

# rdflib declares its well-known vocabularies as DefinedNamespace classes, ours are Namespaces;
# both give the IRI with str() and work with Graph.bind.
PREFIXES: dict[str, Namespace | type[DefinedNamespace]] = {
    "dcat": DCAT,
    "dct": DCT,
    "adms": ADMS,
    "foaf": FOAF,
    "org": ORG,
    "skos": SKOS,
    "schema": SCHEMA,
    "vcard": VCARD,
    "spdx": SPDX,
    "owl": OWL,
    "rdfs": RDFS,
    "xsd": XSD,
    "vann": VANN,
    "void": VOID,
    "prov": PROV,
    "hydra": HYDRA,
    "dcatap": DCATAP,
}

__all__ = [
    "ADMS",
    "ADMS_LICENCE_TYPE",
    "ADMS_PUBLISHER_TYPE",
    "ADMS_STATUS",
    "DCAT",
    "DCATAP",
    "DCT",
    "EU_FILE_TYPE",
    "EU_LANGUAGE",
    "EU_LICENCE",
    "FOAF",
    "HYDRA",
    "ORG",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SD",
    "SKOS",
    "SPDX",
    "SPDX_LICENSES",
    "VANN",
    "VCARD",
    "VOID",
    "XSD",
]
