"""Writing a record's fields as triples, by field type (``publisher.fields``).

``write_fields`` writes every field of a record's table on its subject: each field's value
as its property, in the form its type says; nested records (pricing, parts, claims) become
blank nodes whose labels come from the record and the field. A field whose mapping the
table cannot express names a hook (``publisher.mapping.hooks``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from publisher.fields import Field, Table, table
from publisher.mapping import ntriples as nt
from publisher.mapping.context import Origin, Writer

FieldWriter = Callable[[Writer, str, Field, Any, Origin], None]


def write_fields(writer: Writer, subject: str, fields: Table, record: Any, origin: Origin) -> None:
    """Write ``record``'s fields (a publisher.sources Record) on ``subject``."""
    from publisher.mapping.hooks import HOOKS  # the hooks write nested records with this module

    for f in fields.fields:
        value = record.values[f.name]
        if f.hook:
            HOOKS[f.hook](writer, subject, f, record, origin)
        elif f.property and value not in (None, "", (), {}):
            WRITERS[f.type](writer, subject, f, value, origin)


def write_classes(writer: Writer, subject: str, fields: Table) -> None:
    for curie in fields.classes:
        writer.add(subject, nt.RDF_TYPE, writer.terms.curie(curie))


def _on(writer: Writer, subject: str, f: Field, origin: Origin) -> tuple[str, str]:
    """(subject, predicate) a plain field is written with: on the record, or on a blank
    node of ``f.node`` (``dct:provenance [ a dct:ProvenanceStatement; rdfs:label … ]``)."""
    prop = writer.terms.curie(f.property or "")
    if not f.node:
        return subject, prop
    node = writer.node(origin, _path(origin, f.name))
    writer.add(subject, prop, node)
    writer.add(node, nt.RDF_TYPE, writer.terms.curie(f.node))
    return node, writer.terms.curie(f.node_property or "")


def _path(origin: Origin, name: str) -> str:
    return f"{origin.field_prefix}.{name}" if origin.field_prefix else name


def _plain(writer: Writer, subject: str, f: Field, value: Any, origin: Origin) -> None:
    on, prop = _on(writer, subject, f, origin)
    writer.add(on, prop, nt.literal(str(value)))


def _texts(writer: Writer, subject: str, f: Field, value: Any, origin: Origin) -> None:
    on, prop = _on(writer, subject, f, origin)
    writer.texts(on, prop, value)


def _texts_list(writer: Writer, subject: str, f: Field, value: Any, origin: Origin) -> None:
    on, prop = _on(writer, subject, f, origin)
    for texts in value:
        writer.texts(on, prop, texts)


def _words(writer: Writer, subject: str, f: Field, value: Any, origin: Origin) -> None:
    on, prop = _on(writer, subject, f, origin)
    for lang, words in value.items():
        for word in words:
            writer.add(on, prop, nt.lang_literal(word, lang))


def _url(writer: Writer, subject: str, f: Field, value: Any, origin: Origin) -> None:
    on, prop = _on(writer, subject, f, origin)
    writer.add(on, prop, nt.iri(value))


def _urls(writer: Writer, subject: str, f: Field, value: Any, origin: Origin) -> None:
    on, prop = _on(writer, subject, f, origin)
    writer.iris(on, prop, value)


def _email(writer: Writer, subject: str, f: Field, value: Any, origin: Origin) -> None:
    on, prop = _on(writer, subject, f, origin)
    writer.add(on, prop, nt.iri(f"mailto:{value}"))


def _choice(writer: Writer, subject: str, f: Field, value: Any, origin: Origin) -> None:
    target = dict(f.choices).get(value)
    on, prop = _on(writer, subject, f, origin)
    writer.add(on, prop, writer.terms.curie(target) if target else nt.literal(value))


def _ref(writer: Writer, subject: str, f: Field, value: Any, origin: Origin) -> None:
    on, prop = _on(writer, subject, f, origin)
    writer.add(on, prop, writer.terms.thing(f.concept or "", value))


def _refs(writer: Writer, subject: str, f: Field, value: Any, origin: Origin) -> None:
    on, prop = _on(writer, subject, f, origin)
    for key in value:
        writer.add(on, prop, writer.terms.thing(f.concept or "", key))


def _supplier(writer: Writer, subject: str, f: Field, value: Any, origin: Origin) -> None:
    on, prop = _on(writer, subject, f, origin)
    writer.add(on, prop, writer.terms.thing("supplier", value))


def _licence(writer: Writer, subject: str, f: Field, value: Any, origin: Origin) -> None:
    on, prop = _on(writer, subject, f, origin)
    writer.add(on, prop, writer.licence(value))


def _date(writer: Writer, subject: str, f: Field, value: Any, origin: Origin) -> None:
    on, prop = _on(writer, subject, f, origin)
    writer.add(on, prop, nt.date_literal(value))


def _amount(writer: Writer, subject: str, f: Field, value: Any, origin: Origin) -> None:
    on, prop = _on(writer, subject, f, origin)
    writer.add(on, prop, nt.decimal_literal(value))


def _boolean(writer: Writer, subject: str, f: Field, value: Any, origin: Origin) -> None:
    on, prop = _on(writer, subject, f, origin)
    writer.add(on, prop, nt.boolean_literal(bool(value)))


def write_node(
    writer: Writer, subject: str, f: Field, record: Any, origin: Origin, path: str
) -> str:
    """A nested record as a blank node linked from ``subject`` with ``f``'s property."""
    nested = table(f.record or "")
    node = writer.node(origin, path, nested.name)
    writer.add(subject, writer.terms.curie(f.property or ""), node)
    write_classes(writer, node, nested)
    write_fields(writer, node, nested, record, writer.origins[node])
    return node


def _record(writer: Writer, subject: str, f: Field, value: Any, origin: Origin) -> None:
    write_node(writer, subject, f, value, origin, _path(origin, f.name))


def _records(writer: Writer, subject: str, f: Field, value: Any, origin: Origin) -> None:
    for record in value:
        write_node(
            writer, subject, f, record, origin, f"{_path(origin, f.name)}.{record['position']}"
        )


def _claims(writer: Writer, subject: str, f: Field, value: Any, origin: Origin) -> None:
    # The key of each claim (the aspect) is the nested table's field the source does not
    # write: it is the claim's key in the source mapping.
    key_field = next(k.name for k in table(f.record or "").fields if not k.in_source)
    for claim in value:
        key = claim[key_field]
        if f.also:
            writer.add(
                subject, writer.terms.curie(f.also), writer.terms.thing(f.concept or "", key)
            )
        write_node(writer, subject, f, claim, origin, f"{_path(origin, f.name)}.{key}")


WRITERS: dict[str, FieldWriter] = {
    "id": _plain,
    "text": _plain,
    "texts": _texts,
    "texts-list": _texts_list,
    "words": _words,
    "url": _url,
    "urls": _urls,
    "email": _email,
    "choice": _choice,
    "ref": _ref,
    "refs": _refs,
    "licence": _licence,
    "date": _date,
    "amount": _amount,
    "currency": _plain,
    "business-id": _plain,
    "code": _plain,
    "boolean": _boolean,
    "record": _record,
    "records": _records,
    "claims": _claims,
    "supplier": _supplier,
    "position": _plain,
}
