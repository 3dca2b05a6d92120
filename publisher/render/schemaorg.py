"""schema.org JSON-LD for the page of a resource (for search engines).

The context is inline (`@vocab`), so a consumer needs no network access to read it.
"""

from __future__ import annotations

from typing import Any

from rdflib import URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDFS, SKOS

from publisher.namespaces import SCHEMA, SPDX_LICENSES
from publisher.render.lens import Lens, Terms

CONTEXT = {"@vocab": str(SCHEMA)}


def describe(lens: Lens, subject: URIRef, kind: str, vocab: str) -> dict[str, Any] | None:
    """A schema.org node for `subject`, or None for kinds schema.org has no good type for."""
    ak = Terms(vocab)
    lang = lens.lang
    if kind == "offering":
        node = _offering(lens, subject, ak)
    elif kind == "supplier":
        node = _organization(lens, subject, ak)
    elif kind == "licence":
        node = {"@type": "CreativeWork", "name": lens.label(subject)}
        spdx = lens.one(subject, ak.spdxLicense) or lens.one(subject, RDFS.seeAlso)
        if spdx is not None:
            node["url"] = str(spdx)
    elif kind in {"layer", "component", "aspect", "domain", "phase", "route"}:
        node = {"@type": "DefinedTerm", "name": lens.label(subject)}
        scheme = lens.one(subject, SKOS.inScheme)
        if scheme is not None:
            node["inDefinedTermSet"] = {"@id": str(scheme)}
        notation = lens.one(subject, SKOS.notation)
        if notation is not None:
            node["termCode"] = str(notation)
    elif kind == "scheme":
        node = {"@type": "DefinedTermSet", "name": lens.label(subject)}
    else:
        return None
    node = {"@context": CONTEXT, "@id": str(subject), **node, "inLanguage": lang}
    description = lens.text(subject, DCTERMS.description)
    if description and "description" not in node:
        node["description"] = description
    return node


def _offering(lens: Lens, s: URIRef, ak: Terms) -> dict[str, Any]:
    is_product = lens.has_type(s, ak.Product)
    node: dict[str, Any] = {
        "@type": "SoftwareApplication" if is_product else "Service",
        "name": lens.label(s),
    }
    publisher = lens.one(s, DCTERMS.publisher)
    if isinstance(publisher, URIRef):
        org = {"@type": "Organization", "@id": str(publisher), "name": lens.label(publisher)}
        node["publisher" if is_product else "provider"] = org
    licence = lens.one(s, DCTERMS.license)
    if isinstance(licence, URIRef):
        spdx = lens.one(licence, ak.spdxLicense)
        node["license"] = (
            str(spdx)
            if isinstance(spdx, URIRef) and str(spdx).startswith(str(SPDX_LICENSES))
            else str(licence)
        )
    landing = lens.one(s, DCAT.landingPage)
    if landing is not None:
        node["url"] = str(landing)
    keywords = lens.texts(s, DCAT.keyword)
    if keywords:
        node["keywords"] = ", ".join(keywords)
    if is_product:
        node["applicationCategory"] = "BusinessApplication"
        repo = lens.one(s, ak.sourceRepository)
        if repo is not None:
            node["sameAs"] = str(repo)
    pricing = lens.nodes(s, ak.pricing)
    if pricing:
        price = lens.one(pricing[0], SCHEMA.price)
        currency = lens.one(pricing[0], SCHEMA.priceCurrency)
        if price is not None and currency is not None:
            node["offers"] = {"@type": "Offer", "price": str(price), "priceCurrency": str(currency)}
    return node


def _organization(lens: Lens, s: URIRef, ak: Terms) -> dict[str, Any]:
    node: dict[str, Any] = {"@type": "Organization", "name": lens.label(s)}
    homepage = lens.one(s, FOAF.homepage)
    if homepage is not None:
        node["url"] = str(homepage)
    business_id = lens.one(s, ak.businessId)
    if business_id is not None:
        node["identifier"] = str(business_id)
    same = [str(o) for o in lens.objects(s, URIRef("http://www.w3.org/2002/07/owl#sameAs"))]
    if same:
        node["sameAs"] = same
    return node
