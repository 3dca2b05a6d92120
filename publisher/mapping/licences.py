"""The licences the offerings use → ak:Licence (dct:LicenseDocument), linked to SPDX,
the EU licence authority table and the ADMS licence types."""

from __future__ import annotations

from collections.abc import Iterable

from publisher.licences import Licence, LicenceRegister
from publisher.mapping import ntriples as nt
from publisher.mapping.context import Writer
from publisher.namespaces import ADMS_LICENCE_TYPE, EU_LICENCE, SPDX_LICENSES


def add_licences(writer: Writer, used: Iterable[str], register: LicenceRegister) -> None:
    """Describe each licence in ``used`` (ids or expressions) and the members of each
    expression, once each, in sorted order."""
    done: set[str] = set()
    for licence_id in sorted(set(used)):
        licence = register.resolve(licence_id)
        _add(writer, licence, done)
        for member in licence.members:
            _add(writer, register.member(member), done)


def _add(writer: Writer, licence: Licence, done: set[str]) -> None:
    if licence.key in done:
        return
    done.add(licence.key)
    c, add = writer.terms.curie, writer.add
    s = writer.terms.thing("licence", licence.key)
    add(s, nt.RDF_TYPE, c("ak:Licence"))
    add(s, nt.RDF_TYPE, c("dct:LicenseDocument"))
    add(s, c("dct:identifier"), nt.literal(licence.id))
    if licence.spdx_id or licence.expression:
        # SPDX names are proper names: the same in every language.
        name = licence.name["en"]
        add(s, c("rdfs:label"), nt.literal(name))
        add(s, c("skos:prefLabel"), nt.lang_literal(name, "en"))
        add(s, c("skos:prefLabel"), nt.lang_literal(name, "fi"))
    else:
        writer.texts(s, c("skos:prefLabel"), licence.name)
        writer.texts(s, c("rdfs:label"), licence.name)
    add(s, c("ak:openSource"), nt.boolean_literal(licence.open_source))
    if licence.osi_approved is not None:
        add(s, c("ak:osiApproved"), nt.boolean_literal(licence.osi_approved))
    if licence.spdx_id:
        add(s, c("ak:spdxLicense"), nt.iri(f"{SPDX_LICENSES}{licence.spdx_id}"))
    if licence.expression:
        add(s, c("ak:licenseExpression"), nt.literal(licence.expression))
        for member in licence.members:
            add(s, c("ak:licenceMember"), writer.terms.thing("licence", member))
    if licence.adms_type:
        add(s, c("dct:type"), nt.iri(f"{ADMS_LICENCE_TYPE}{licence.adms_type}"))
    if licence.eu_code:
        add(s, c("skos:exactMatch"), nt.iri(f"{EU_LICENCE}{licence.eu_code}"))
    if licence.url:
        add(s, c("rdfs:seeAlso"), nt.iri(licence.url))
