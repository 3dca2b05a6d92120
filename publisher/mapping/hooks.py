"""Mappings the field tables cannot express, named by a field's ``hook``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from publisher.fields import Field, table
from publisher.mapping import ntriples as nt
from publisher.mapping.context import Origin, Writer
from publisher.mapping.records import write_classes, write_fields

Hook = Callable[[Writer, str, Field, Any, Origin], None]

# The Finnish Patent and Registration Office keeps the business register that issues Business IDs.
PRH = "<https://www.prh.fi/>"
PRH_NAME = nt.lang_literal("Patentti- ja rekisterihallitus (PRH)", "fi")


def business_identifier(
    writer: Writer, subject: str, f: Field, record: Any, origin: Origin
) -> None:
    """``ak:businessId "…"``, and the same id as an ``adms:Identifier`` issued by PRH."""
    value = record[f.name]
    if not value:
        return
    curie = writer.terms.curie
    writer.add(subject, curie(f.property or ""), nt.literal(value))
    node = writer.node(origin, f.name)
    writer.add(subject, curie("adms:identifier"), node)
    writer.add(node, nt.RDF_TYPE, curie("adms:Identifier"))
    writer.add(node, curie("skos:notation"), nt.literal(value))
    writer.add(node, curie("dct:creator"), PRH)
    writer.add(node, curie("adms:schemaAgency"), PRH_NAME)


def contact_point(writer: Writer, subject: str, f: Field, record: Any, origin: Origin) -> None:
    """A ``vcard:Organization`` named as the supplier, with its e-mail and its contact page
    (the homepage when none is given); none when there is nothing to reach it by."""
    contact, homepage = record[f.name], record["homepage"]
    email = contact.email if contact else None
    url = contact.url if contact else None
    if not (email or url or homepage):
        return
    contact_fields = table(f.record or "")
    node = writer.node(origin, f.name, contact_fields.name)
    writer.add(subject, writer.terms.curie(f.property or ""), node)
    write_classes(writer, node, contact_fields)
    writer.texts(node, writer.terms.curie("vcard:fn"), record["name"])
    values = {"email": email, "url": url or homepage}
    write_fields(writer, node, contact_fields, _Values(values), writer.origins[node])


class _Values:
    """Field values without a record around them."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.values = values

    def __getitem__(self, name: str) -> Any:
        return self.values[name]


HOOKS: dict[str, Hook] = {
    "business-identifier": business_identifier,
    "contact-point": contact_point,
}
