"""Supplier records → ak:Supplier (foaf:Organization) with identifiers and contact point."""

from __future__ import annotations

from publisher.fields import table
from publisher.mapping.context import Origin, Writer
from publisher.mapping.records import write_classes, write_fields
from publisher.sources import Supplier


def add_supplier(writer: Writer, supplier: Supplier) -> str:
    """Write the supplier's triples; return its IRI term."""
    subject = writer.terms.thing("supplier", supplier.id)
    origin = Origin(supplier.file, f"supplier {supplier.id}")
    writer.origins[subject] = origin
    fields = table("supplier")
    write_classes(writer, subject, fields)
    write_fields(writer, subject, fields, supplier, origin)
    return subject
