"""The field tables: ONE declaration of every field of every kind of source record.

Each :class:`Table` lists the fields of one kind of record (supplier, offering, pricing,
…): the name used in the source files, its type, whether it is required, the RDF property
it becomes and a help text. Everything that deals with fields reads these tables instead
of listing the fields again:

* ``publisher.sources`` checks and reads each field by its type (``publisher.sources.fields``);
* ``publisher.mapping`` writes each field as its property (``publisher.mapping.records``);
* ``publisher.validation`` names the source field of a SHACL result from its property;
* ``ontology/README.md``'s mapping table is generated from them (``make docs``).

This package knows neither YAML nor RDF: properties and classes are CURIEs (``dct:title``;
``ak:`` is the vocabulary under the configured base URI), expanded by the mapping.
"""

from __future__ import annotations

from publisher.fields.model import (
    LANGUAGE_TAGGED,
    MULTIPLE,
    PREFIXES,
    TYPES,
    Field,
    Table,
    expand,
    labels,
)
from publisher.fields.tables import (
    CLAIM,
    CONCEPTS,
    CONTACT,
    LICENCE,
    OFFERING,
    PART,
    PRICING,
    RETIREMENT,
    SUPPLIER,
    TABLES,
    table,
)

__all__ = [
    "CLAIM",
    "CONCEPTS",
    "CONTACT",
    "LANGUAGE_TAGGED",
    "LICENCE",
    "MULTIPLE",
    "OFFERING",
    "PART",
    "PREFIXES",
    "PRICING",
    "RETIREMENT",
    "SUPPLIER",
    "TABLES",
    "TYPES",
    "Field",
    "Table",
    "expand",
    "labels",
    "table",
]
