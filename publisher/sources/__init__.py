"""Read the catalogue's source files into typed records, checking them on the way.

This package knows the source formats; it knows no RDF. It catches what can be caught
before mapping: YAML syntax (with the line), unknown fields, wrong types, missing required
fields, malformed ids, URLs and dates, duplicate ids, dangling references, and input over
the limits (``limits``). The Avoin kunta rules proper are SHACL shapes (``shapes/``),
checked after mapping by ``publisher.validation``.

Modules: ``records`` (the dataclasses), ``yamlload`` (YAML with line numbers, bounded),
``files`` (opening source files safely), ``checks`` and ``fields`` (field checks, driven by
the field tables of ``publisher.fields``), ``registry`` (the reader interface),
``supplier_yaml`` (the ``yaml`` reader), ``register_files`` (licences.yaml, retired.yaml),
``catalogue`` (``read_catalogue``).
"""

from __future__ import annotations

from publisher.fields import SUPPLIER
from publisher.sources.catalogue import (
    ReaderFailed,
    assemble,
    read_catalogue,
    read_source,
    source_files,
)
from publisher.sources.checks import LANGUAGES, SLUG, URL, Checker
from publisher.sources.fields import FieldContext, read_fields, read_record
from publisher.sources.files import SourceFile, open_source_file
from publisher.sources.limits import SourceLimits
from publisher.sources.records import (
    AspectClaim,
    Catalogue,
    Contact,
    KnownIds,
    LangText,
    Offering,
    Part,
    Pricing,
    Record,
    Retirement,
    Supplier,
)
from publisher.sources.register_files import read_licences, read_retired
from publisher.sources.registry import (
    ReadContext,
    Reader,
    ReadResult,
    reader,
    readers,
    register_reader,
)
from publisher.sources.supplier_yaml import SupplierYamlReader, yaml_problems
from publisher.sources.yamlload import LineDict, YamlDocument, YamlIssue, load_yaml_text

register_reader(SupplierYamlReader())

ASPECTS = ("open-source", "open-standards", "open-interface", "open-architecture", "open-data")
# Kept for existing importers: source value → ADMS publisher type (local name).
SUPPLIER_KINDS: dict[str, str] = {
    value: (target or "").rsplit(":", 1)[-1] for value, target in SUPPLIER.field("kind").choices
}

__all__ = [
    "ASPECTS",
    "LANGUAGES",
    "SLUG",
    "SUPPLIER_KINDS",
    "URL",
    "AspectClaim",
    "Catalogue",
    "Checker",
    "Contact",
    "FieldContext",
    "KnownIds",
    "LangText",
    "LineDict",
    "Offering",
    "Part",
    "Pricing",
    "ReadContext",
    "ReadResult",
    "ReaderFailed",
    "Reader",
    "Record",
    "Retirement",
    "SourceFile",
    "SourceLimits",
    "Supplier",
    "SupplierYamlReader",
    "YamlDocument",
    "YamlIssue",
    "assemble",
    "load_yaml_text",
    "open_source_file",
    "read_catalogue",
    "read_licences",
    "read_retired",
    "read_fields",
    "read_record",
    "read_source",
    "reader",
    "readers",
    "register_reader",
    "source_files",
    "yaml_problems",
]
