"""Offering records → ak:Offering (ak:Product or ak:Service) with its openness claims,
licence, pricing, parts, procurement route and provenance (all from the field table)."""

from __future__ import annotations

from publisher.fields import table
from publisher.mapping.context import Origin, Writer
from publisher.mapping.records import write_classes, write_fields
from publisher.sources import Offering


def add_offering(writer: Writer, offering: Offering) -> str:
    """Write the offering's triples; return its IRI term."""
    subject = writer.terms.thing("offering", offering.id)
    origin = Origin(offering.file, f"offering {offering.id}")
    writer.origins[subject] = origin
    fields = table("offering")
    write_classes(writer, subject, fields)
    write_fields(writer, subject, fields, offering, origin)
    return subject
