"""RDF terms written as N-Triples text, in one canonical form.

The mapping writes N-Triples lines directly (no rdflib graph in between): it is the cheapest
form to produce, pyoxigraph bulk-loads it, and one source file's lines can be cached and
reused as they are.

Every typed literal is written in its canonical form, the one Oxigraph's store gives back
(XSD 1.1 canonical mapping), so the mapped graph, the store, the dumps and the documents
hold the same RDF terms: ``"0"^^xsd:decimal`` for an amount of 0, 0.0 or 0.00,
``"120.5"^^xsd:decimal`` for 120.50, ``"true"^^xsd:boolean``, ``"2014-09-16"^^xsd:date``.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_DECIMAL = f"<{XSD}decimal>"
XSD_BOOLEAN = f"<{XSD}boolean>"
XSD_DATE = f"<{XSD}date>"
XSD_DATETIME = f"<{XSD}dateTime>"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"

# Characters an N-Triples IRIREF cannot hold; source addresses are checked to be IRIs
# (publisher.sources.iri) long before this, so meeting one here is a bug.
_NOT_IN_IRIREF = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
_LABEL_CHARS = re.compile(r"[^A-Za-z0-9_.-]")


def iri(value: str) -> str:
    if _NOT_IN_IRIREF.search(value):
        raise ValueError(f"not an IRI: {value!r}")
    return f"<{value}>"


def _escaped(text: str) -> str:
    # Most texts need no escape; testing first is cheaper than translating every one.
    if '"' in text or "\\" in text or "\n" in text or "\r" in text:
        return text.translate(_ESCAPES)
    return text


def literal(text: str) -> str:
    """A plain (xsd:string) literal."""
    return f'"{_escaped(text)}"'


def lang_literal(text: str, lang: str) -> str:
    return f'"{_escaped(text)}"@{lang}'


def typed_literal(lexical: str, datatype: str) -> str:
    """``datatype`` is an IRI term (``XSD_DATE``)."""
    return f'"{_escaped(lexical)}"^^{datatype}'


def decimal_literal(amount: Decimal) -> str:
    return typed_literal(canonical_decimal(amount), XSD_DECIMAL)


def boolean_literal(value: bool) -> str:
    return typed_literal("true" if value else "false", XSD_BOOLEAN)


def date_literal(value: dt.date) -> str:
    return typed_literal(value.isoformat(), XSD_DATE)


def canonical_decimal(amount: Decimal) -> str:
    """The XSD 1.1 canonical form of a decimal, as Oxigraph writes it: no exponent, no
    trailing zeros, no decimal point for whole numbers ("0", "120", "120.5", "-0.25").

    Only for amounts the source checks bounded (publisher.sources: at most
    AVOINKUNTA_SOURCE_MAX_AMOUNT, a few decimal places); never on unbounded input.
    """
    if not amount.is_finite():
        raise ValueError(f"not a finite decimal: {amount}")
    sign, digits, exponent = amount.as_tuple()
    assert isinstance(exponent, int)
    text = "".join(map(str, digits))
    if exponent >= 0:
        whole, fraction = text + "0" * exponent, ""
    else:
        text = text.rjust(-exponent + 1, "0")
        whole, fraction = text[:exponent], text[exponent:]
    whole = whole.lstrip("0") or "0"
    fraction = fraction.rstrip("0")
    result = f"{whole}.{fraction}" if fraction else whole
    return f"-{result}" if sign and result != "0" else result


def blank_node(label: str) -> str:
    """A blank node whose label is derived from where it comes from (``offering.x-road.
    pricing``), so that the same sources give the same labels on every build. The label is
    also a valid XML name (RDF/XML's rdf:nodeID)."""
    clean = _LABEL_CHARS.sub(lambda m: f"_{ord(m.group()):x}_", label)
    if not clean[:1].isalpha():
        clean = f"b{clean}"
    return f"_:{clean.rstrip('.')}"


def triple(subject: str, predicate: str, obj: str) -> str:
    return f"{subject} {predicate} {obj} .\n"
