"""Supplier records → ak:Supplier (foaf:Organization) with identifiers and contact point."""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import FOAF, RDF, SKOS

from publisher.mapping.context import MappingContext, Origin
from publisher.namespaces import ADMS, ADMS_PUBLISHER_TYPE, DCAT, DCT, OWL, VCARD
from publisher.sources import SUPPLIER_KINDS, Supplier

# The Finnish Patent and Registration Office keeps the business register that issues Business IDs.
PRH = URIRef("https://www.prh.fi/")


def add_supplier(ctx: MappingContext, supplier: Supplier) -> URIRef:
    g, ak = ctx.graph, ctx.ak
    s = ctx.uris.thing("supplier", supplier.id)
    origin = Origin(supplier.file, f"supplier {supplier.id}")
    ctx.origins[s] = origin
    g.add((s, RDF.type, ak.Supplier))
    g.add((s, RDF.type, FOAF.Organization))
    g.add((s, DCT.identifier, Literal(supplier.id)))
    ctx.add_texts(s, FOAF.name, supplier.name)
    for former in supplier.former_names:
        ctx.add_texts(s, SKOS.altLabel, former)
    ctx.add_texts(s, DCT.description, supplier.description)
    ctx.add_texts(s, ak.initiativeRole, supplier.role)
    g.add((s, DCT.type, ADMS_PUBLISHER_TYPE[SUPPLIER_KINDS[supplier.kind]]))
    ctx.add_iri(s, FOAF.homepage, supplier.homepage)
    ctx.add_iris(s, DCT.source, supplier.sources)
    ctx.add_iris(s, OWL.sameAs, supplier.same_as)
    if supplier.business_id:
        g.add((s, ak.businessId, Literal(supplier.business_id)))
        identifier = ctx.node(origin, "business_id")
        g.add((s, ADMS.identifier, identifier))
        g.add((identifier, RDF.type, ADMS.Identifier))
        g.add((identifier, SKOS.notation, Literal(supplier.business_id)))
        g.add((identifier, DCT.creator, PRH))
        g.add(
            (
                identifier,
                ADMS.schemaAgency,
                Literal("Patentti- ja rekisterihallitus (PRH)", lang="fi"),
            )
        )
    if supplier.contact_email or supplier.contact_url or supplier.homepage:
        contact = ctx.node(origin, "contact")
        g.add((s, DCAT.contactPoint, contact))
        g.add((contact, RDF.type, VCARD.Organization))
        for lang, name in supplier.name.items():
            g.add((contact, VCARD.fn, Literal(name, lang=lang)))
        if supplier.contact_email:
            g.add((contact, VCARD.hasEmail, URIRef(f"mailto:{supplier.contact_email}")))
        ctx.add_iri(contact, VCARD.hasURL, supplier.contact_url or supplier.homepage)
    return s
