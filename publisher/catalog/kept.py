"""What a catalogue computes once per publication (its items, ledger-wide dates), as JSON
that gives back exactly the values it was made of: kept with the publication
(``publisher.http.caching.PublicationCache``) so that every server process reads it
instead of listing 30,000 assets again.

Values are JSON with tagged objects for the types the catalogues use: IRIs, dates,
date-times and the item dataclasses. Anything else raises `TypeError` (the caller then
computes the value and does not keep it).
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date, datetime
from typing import Any

from rdflib import URIRef

from publisher.catalog import assets, register
from publisher.catalog.changes import Removal

_CLASSES: dict[str, type] = {
    "adms-item": assets.Item,
    "dcat-item": register.Item,
    "removal": Removal,
}
_NAMES = {cls: name for name, cls in _CLASSES.items()}


def dumps(value: Any) -> bytes:
    """`value` as tagged JSON; `TypeError` for a type it cannot give back as it was."""
    return json.dumps(_encode(value), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def loads(data: bytes) -> Any:
    return _decode(json.loads(data))


def _encode(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, URIRef):
        return {"$iri": str(value)}
    if type(value) is str:
        return value
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, dict) and all(type(k) is str for k in value):
        return {"$dict": {k: _encode(v) for k, v in value.items()}}
    name = _NAMES.get(type(value))
    if name is not None:
        fields = {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"$" + name: fields}
    raise TypeError(f"cannot keep a {type(value).__name__}")


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    ((tag, inner),) = value.items()
    if tag == "$iri":
        return URIRef(inner)
    if tag == "$datetime":
        return datetime.fromisoformat(inner)
    if tag == "$date":
        return date.fromisoformat(inner)
    if tag == "$dict":
        return {k: _decode(v) for k, v in inner.items()}
    cls = _CLASSES[tag[1:]]
    return cls(**{k: _decode(v) for k, v in inner.items()})
