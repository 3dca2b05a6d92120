"""Offering records → ak:Offering (ak:Product or ak:Service) with its openness claims,
licence, pricing, parts, procurement route and provenance."""

from __future__ import annotations

from decimal import Decimal

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from publisher.mapping.context import MappingContext, Origin
from publisher.mapping.licences import licence_iri
from publisher.namespaces import ADMS, ADMS_STATUS, DCAT, DCT, OWL, SCHEMA
from publisher.sources import Offering, Pricing

STATUS = {
    "completed": ADMS_STATUS.Completed,
    "under-development": ADMS_STATUS.UnderDevelopment,
    "deprecated": ADMS_STATUS.Deprecated,
    "withdrawn": ADMS_STATUS.Withdrawn,
}


def add_offering(ctx: MappingContext, offering: Offering) -> URIRef:
    g, ak, uris = ctx.graph, ctx.ak, ctx.uris
    s = uris.thing("offering", offering.id)
    origin = Origin(offering.file, f"offering {offering.id}")
    ctx.origins[s] = origin
    g.add((s, RDF.type, ak.Offering))
    g.add((s, RDF.type, ak.Product if offering.type == "product" else ak.Service))
    g.add((s, DCT.identifier, Literal(offering.id)))
    ctx.add_texts(s, DCT.title, offering.title)
    ctx.add_texts(s, DCT.description, offering.description)
    for lang, words in offering.keywords.items():
        for word in words:
            g.add((s, DCAT.keyword, Literal(word, lang=lang)))
    g.add((s, DCT.publisher, uris.thing("supplier", offering.supplier)))
    for component in offering.components:
        g.add((s, DCAT.theme, uris.thing("component", component)))
    for domain in offering.domains:
        g.add((s, ak.serviceDomain, uris.thing("domain", domain)))
    for phase in offering.phases:
        g.add((s, ak.deliveryPhase, uris.thing("phase", phase)))
    if offering.licence:
        g.add((s, DCT.license, licence_iri(ctx, ctx.register.resolve(offering.licence))))
    ctx.add_iri(s, ak.sourceRepository, offering.repository)
    ctx.add_iri(s, DCAT.landingPage, offering.homepage)
    ctx.add_iri(s, ak.apiDocumentation, offering.api_documentation)
    ctx.add_iris(s, DCT.conformsTo, offering.standards)
    for claim in offering.aspects:
        aspect = uris.thing("aspect", claim.aspect)
        g.add((s, ak.opennessAspect, aspect))
        node = ctx.node(origin, f"aspects.{claim.aspect}")
        g.add((s, ak.opennessClaim, node))
        g.add((node, RDF.type, ak.OpennessClaim))
        g.add((node, ak.aspect, aspect))
        ctx.add_iris(node, ak.evidence, claim.evidence)
        ctx.add_texts(node, DCT.description, claim.note)
    if offering.pricing:
        g.add((s, ak.pricing, _pricing(ctx, offering.pricing, origin, "pricing")))
    if offering.procurement:
        g.add((s, ak.procurementRoute, uris.thing("route", offering.procurement)))
    ctx.add_texts(s, ak.procurementNote, offering.procurement_note)
    for index, part in enumerate(offering.parts, start=1):
        node = ctx.node(origin, f"parts.{index}")
        g.add((s, DCT.hasPart, node))
        g.add((node, RDF.type, ak.OfferingPart))
        g.add((node, DCT.identifier, Literal(str(index))))
        ctx.add_texts(node, DCT.title, part.title)
        ctx.add_texts(node, DCT.description, part.description)
        if part.licence:
            g.add((node, DCT.license, licence_iri(ctx, ctx.register.resolve(part.licence))))
        if part.pricing:
            g.add((node, ak.pricing, _pricing(ctx, part.pricing, origin, f"parts.{index}.pricing")))
    g.add((s, ADMS.status, STATUS[offering.status]))
    if offering.issued:
        g.add((s, DCT.issued, Literal(offering.issued, datatype=XSD.date)))
    ctx.add_iris(s, DCT.source, offering.sources)
    ctx.add_iris(s, OWL.sameAs, offering.same_as)
    if offering.provenance:
        statement = ctx.node(origin, "provenance")
        g.add((s, DCT.provenance, statement))
        g.add((statement, RDF.type, DCT.ProvenanceStatement))
        ctx.add_texts(statement, RDFS.label, offering.provenance)
    return s


def _pricing(ctx: MappingContext, pricing: Pricing, origin: Origin, where: str) -> BNode:
    g, ak = ctx.graph, ctx.ak
    node = ctx.node(origin, where)
    g.add((node, RDF.type, ak.PriceSpecification))
    if pricing.amount is not None:
        g.add(
            (node, SCHEMA.price, Literal(_canonical_decimal(pricing.amount), datatype=XSD.decimal))
        )
    if pricing.currency:
        g.add((node, SCHEMA.priceCurrency, Literal(pricing.currency)))
    ctx.add_texts(node, SCHEMA.unitText, pricing.unit)
    ctx.add_iri(node, ak.priceList, pricing.price_list)
    ctx.add_texts(node, DCT.description, pricing.note)
    return node


def _canonical_decimal(amount: Decimal) -> str:
    """The canonical xsd:decimal form ("120.5", "0.0"): the same lexical form whatever the
    source wrote (120.50, 0), so that descriptions compare equal across builds and syntaxes."""
    text = format(amount.normalize(), "f")
    return text if "." in text else f"{text}.0"
