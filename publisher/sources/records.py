"""The records read from the source files (no RDF, no YAML).

A record keeps the checked value of every field of its table (``publisher.fields``) in
``values``, by field name; the typed attributes (``offering.title``) read from there. A
field added to a table is in ``values`` without any change here: ``offering["name"]``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar, overload

from publisher.fields import CONCEPTS, Table, table

if TYPE_CHECKING:  # licences loads license_expression; the records need not
    from publisher.licences import LicenceRegister

LangText = dict[str, str]
T = TypeVar("T")


class Value(Generic[T]):
    """A typed attribute that reads the field of the same name from ``values``."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, obj: None, owner: type) -> Value[T]: ...
    @overload
    def __get__(self, obj: Record, owner: type) -> T: ...
    def __get__(self, obj: Record | None, owner: type) -> Value[T] | T:
        if obj is None:
            return self
        value: T = obj.values[self.name]
        return value


@dataclass(frozen=True, slots=True)
class Record:
    """The values of one record's fields, by field name (every field of its table)."""

    values: Mapping[str, Any]

    TABLE_NAME: ClassVar[str]  # the name of the record's field table (publisher.fields)

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    def get(self, name: str, default: Any = None) -> Any:
        return self.values.get(name, default)

    @classmethod
    def table(cls) -> Table:
        return table(cls.TABLE_NAME)


@dataclass(frozen=True, slots=True)
class Pricing(Record):
    TABLE_NAME = "pricing"
    amount = Value[Decimal | None]()
    currency = Value[str | None]()
    unit = Value[LangText]()
    price_list = Value[str | None]()
    note = Value[LangText]()


@dataclass(frozen=True, slots=True)
class Part(Record):
    TABLE_NAME = "part"
    position = Value[str]()
    title = Value[LangText]()
    description = Value[LangText]()
    licence = Value[str]()
    pricing = Value[Pricing | None]()


@dataclass(frozen=True, slots=True)
class AspectClaim(Record):
    TABLE_NAME = "claim"
    aspect = Value[str]()
    evidence = Value[tuple[str, ...]]()
    note = Value[LangText]()


@dataclass(frozen=True, slots=True)
class Contact(Record):
    TABLE_NAME = "contact"
    email = Value[str | None]()
    url = Value[str | None]()


@dataclass(frozen=True, slots=True)
class Offering(Record):
    """An offering. ``file``/``line``: where it was read (``line`` of its first field)."""

    TABLE_NAME = "offering"
    file: str = "-"
    line: int | None = None

    id = Value[str]()
    supplier = Value[str]()
    type = Value[str]()
    title = Value[LangText]()
    description = Value[LangText]()
    keywords = Value[dict[str, tuple[str, ...]]]()
    components = Value[tuple[str, ...]]()
    domains = Value[tuple[str, ...]]()
    phases = Value[tuple[str, ...]]()
    licence = Value[str]()
    repository = Value[str | None]()
    homepage = Value[str | None]()
    api_documentation = Value[str | None]()
    standards = Value[tuple[str, ...]]()
    aspects = Value[tuple[AspectClaim, ...]]()
    pricing = Value[Pricing | None]()
    procurement = Value[str | None]()
    procurement_note = Value[LangText]()
    parts = Value[tuple[Part, ...]]()
    status = Value[str]()
    issued = Value[dt.date | None]()
    sources = Value[tuple[str, ...]]()
    provenance = Value[LangText]()
    same_as = Value[tuple[str, ...]]()


@dataclass(frozen=True, slots=True)
class Supplier(Record):
    """A supplier and the offerings read with it."""

    TABLE_NAME = "supplier"
    file: str = "-"
    line: int | None = None
    offerings: tuple[Offering, ...] = ()

    id = Value[str]()
    name = Value[LangText]()
    former_names = Value[tuple[LangText, ...]]()
    kind = Value[str]()
    business_id = Value[str | None]()
    homepage = Value[str | None]()
    contact = Value[Contact | None]()
    description = Value[LangText]()
    role = Value[LangText]()
    same_as = Value[tuple[str, ...]]()
    sources = Value[tuple[str, ...]]()


# The record class of each nested table (the reader builds these from their values).
NESTED: dict[str, type[Record]] = {
    "pricing": Pricing,
    "part": Part,
    "claim": AspectClaim,
    "contact": Contact,
}


@dataclass(frozen=True)
class Retirement:
    id: str
    kind: str
    removed: dt.date
    replaced_by: str | None
    reason: LangText


@dataclass(frozen=True)
class KnownIds:
    """Ids the source may refer to, taken from the vocabulary's concept schemes."""

    components: set[str]
    domains: set[str]
    phases: set[str]
    routes: set[str]
    aspects: set[str]

    def of(self, concept: str) -> set[str]:
        """The ids of one kind of concept (``component``, ``route``…; see fields.CONCEPTS)."""
        ids: set[str] = getattr(self, CONCEPTS[concept][1])
        return ids


@dataclass(frozen=True)
class Catalogue:
    """Everything read from ``data/``."""

    suppliers: tuple[Supplier, ...]
    licences: LicenceRegister
    retired: tuple[Retirement, ...]
    renamed: dict[str, str]

    @property
    def offerings(self) -> tuple[Offering, ...]:
        return tuple(o for s in self.suppliers for o in s.offerings)

    def files(self) -> dict[str, tuple[list[Supplier], list[Offering]]]:
        """The suppliers and offerings read from each source file, by file (for per-file
        mapping and caching)."""
        found: dict[str, tuple[list[Supplier], list[Offering]]] = {}
        for supplier in self.suppliers:
            found.setdefault(supplier.file, ([], []))[0].append(supplier)
            for offering in supplier.offerings:
                found.setdefault(offering.file, ([], []))[1].append(offering)
        return found

    def where(self, kind: str, key: str) -> tuple[str, str]:
        """(file, record label) of a supplier or offering, for error reports."""
        for supplier in self.suppliers:
            if kind == "supplier" and supplier.id == key:
                return supplier.file, f"supplier {key}"
            for offering in supplier.offerings:
                if kind == "offering" and offering.id == key:
                    return offering.file, f"offering {key}"
        return "-", f"{kind} {key}"
