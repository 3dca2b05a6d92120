"""The licences the offerings use → ak:Licence (dct:LicenseDocument), linked to SPDX,
the EU licence authority table and the ADMS licence types."""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from publisher.licences import Licence, LicenceRegister
from publisher.mapping.context import MappingContext
from publisher.namespaces import ADMS_LICENCE_TYPE, DCT, EU_LICENCE, SPDX_LICENSES


def licence_iri(ctx: MappingContext, licence: Licence) -> URIRef:
    ctx.licences_used.add(licence.id)
    return ctx.uris.thing("licence", licence.key)


def add_licences(ctx: MappingContext, register: LicenceRegister) -> None:
    done: set[str] = set()
    for licence_id in sorted(ctx.licences_used):
        licence = register.resolve(licence_id)
        _add(ctx, licence, done)
        for member in licence.members:
            _add(ctx, register.member(member), done)


def _add(ctx: MappingContext, licence: Licence, done: set[str]) -> None:
    if licence.key in done:
        return
    done.add(licence.key)
    g, ak = ctx.graph, ctx.ak
    s = ctx.uris.thing("licence", licence.key)
    g.add((s, RDF.type, ak.Licence))
    g.add((s, RDF.type, DCT.LicenseDocument))
    g.add((s, DCT.identifier, Literal(licence.id)))
    if licence.spdx_id or licence.expression:
        # SPDX names are proper names: the same in every language.
        g.add((s, RDFS.label, Literal(licence.name["en"])))
        g.add((s, SKOS.prefLabel, Literal(licence.name["en"], lang="en")))
        g.add((s, SKOS.prefLabel, Literal(licence.name["en"], lang="fi")))
    else:
        ctx.add_texts(s, SKOS.prefLabel, licence.name)
        ctx.add_texts(s, RDFS.label, licence.name)
    g.add((s, ak.openSource, Literal(licence.open_source, datatype=XSD.boolean)))
    if licence.osi_approved is not None:
        g.add((s, ak.osiApproved, Literal(licence.osi_approved, datatype=XSD.boolean)))
    if licence.spdx_id:
        g.add((s, ak.spdxLicense, SPDX_LICENSES[licence.spdx_id]))
    if licence.expression:
        g.add((s, ak.licenseExpression, Literal(licence.expression)))
        for member in licence.members:
            g.add((s, ak.licenceMember, ctx.uris.thing("licence", member)))
    if licence.adms_type:
        g.add((s, DCT.type, ADMS_LICENCE_TYPE[licence.adms_type]))
    if licence.eu_code:
        g.add((s, SKOS.exactMatch, EU_LICENCE[licence.eu_code]))
    if licence.url:
        g.add((s, RDFS.seeAlso, URIRef(licence.url)))
