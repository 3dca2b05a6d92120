"""Reading fields by their type (``publisher.fields``): one reader function per type.

``read_fields`` reads every field of a table from one mapping of the source and returns
their checked values by name; problems go to the ``Checker``. A reader for another source
format (publiccode.yml, …) that brings its input into this shape gets the same checks.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from publisher.fields import CONCEPTS, Field, Table, table
from publisher.licences import LicenceRegister, UnknownLicence
from publisher.sources.checks import LANGUAGES, Checker, holding, join, line_of
from publisher.sources.iri import is_mailto_address
from publisher.sources.limits import SETTING, SourceLimits, shown
from publisher.sources.records import NESTED, KnownIds

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$")
CURRENCY = re.compile(r"^[A-Z]{3}$")
BUSINESS_ID = re.compile(r"^[0-9]{7}-[0-9]$")
CODE = re.compile(r"^[A-Za-z0-9_-]+$")


@dataclass(frozen=True)
class FieldContext:
    """What reading a field may need beyond the field itself."""

    known: KnownIds
    licences: LicenceRegister | None  # None while reading licences.yaml itself
    limits: SourceLimits


FieldReader = Callable[[Checker, Mapping[str, Any], Field, str, FieldContext], Any]


def read_fields(
    check: Checker,
    data: Mapping[str, Any],
    fields: Table,
    where: str,
    context: FieldContext,
    given: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The value of every field of ``fields`` in ``data`` (the mapping of one record, whose
    unknown fields the caller has reported); ``given`` holds the fields not in the source."""
    values: dict[str, Any] = {}
    for f in fields.fields:
        if f.in_source:
            values[f.name] = READERS[f.type](check, data, f, where, context)
        else:
            values[f.name] = (given or {}).get(f.name, f.empty())
    return values


def read_record(
    check: Checker,
    value: Any,
    fields: Table,
    where: str,
    context: FieldContext,
    *,
    line: int | None = None,
    given: Mapping[str, Any] | None = None,
) -> dict[str, Any] | None:
    """Check that ``value`` is a mapping of the table's fields and read them (None: not a
    mapping, or empty)."""
    data = check.mapping(value, where, fields.source_names, line)
    if not data:
        return None
    return read_fields(check, data, fields, where, context, given)


def _id(check: Checker, data: Mapping[str, Any], f: Field, where: str, _c: FieldContext) -> Any:
    return check.slug(data, f.name, where)


def _text(check: Checker, data: Mapping[str, Any], f: Field, where: str, _c: FieldContext) -> Any:
    return check.text(data, f.name, where, required=f.required)


def _texts(check: Checker, data: Mapping[str, Any], f: Field, where: str, _c: FieldContext) -> Any:
    return check.lang_text(data, f.name, where, required=f.languages)


def _texts_list(
    check: Checker, data: Mapping[str, Any], f: Field, where: str, _c: FieldContext
) -> Any:
    value = data.get(f.name) or []
    line = line_of(data, f.name)
    if not isinstance(value, list):
        check.problem(join(where, f.name), "type", "must be a list of names by language", line)
        return ()
    path = join(where, f.name)
    return tuple(
        check.lang_text(holding(str(index), item, line), str(index), path)
        for index, item in enumerate(value)
    )


def _words(check: Checker, data: Mapping[str, Any], f: Field, where: str, _c: FieldContext) -> Any:
    value = data.get(f.name)
    if value is None:
        return {}
    path = join(where, f.name)
    mapping = check.mapping(value, path, LANGUAGES, line_of(data, f.name))
    result: dict[str, tuple[str, ...]] = {}
    for lang, words in mapping.items():
        if lang not in LANGUAGES:
            continue
        if isinstance(words, str):
            words = [words]
        if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
            check.problem(
                f"{path}.{lang}", "type", "must be a list of words", line_of(mapping, lang)
            )
            continue
        result[lang] = tuple(w.strip() for w in words)
    return result


def _url(check: Checker, data: Mapping[str, Any], f: Field, where: str, _c: FieldContext) -> Any:
    return check.url(data, f.name, where, required=f.required)


def _urls(check: Checker, data: Mapping[str, Any], f: Field, where: str, _c: FieldContext) -> Any:
    return check.urls(data, f.name, where, required=f.required)


def _email(check: Checker, data: Mapping[str, Any], f: Field, where: str, _c: FieldContext) -> Any:
    email = check.text(data, f.name, where, required=f.required)
    if email and not (EMAIL.match(email) and is_mailto_address(email)):
        check.problem(
            join(where, f.name),
            "email",
            f"{shown(email)} is not an e-mail address",
            line_of(data, f.name),
        )
        return None
    return email


def _choice(check: Checker, data: Mapping[str, Any], f: Field, where: str, _c: FieldContext) -> Any:
    return check.choice(
        data, f.name, where, f.choice_values, required=f.required, default=f.default
    )


def _ref(check: Checker, data: Mapping[str, Any], f: Field, where: str, c: FieldContext) -> Any:
    known = sorted(c.known.of(f.concept or ""))
    return check.choice(data, f.name, where, known, required=f.required, default=f.default)


def _refs(check: Checker, data: Mapping[str, Any], f: Field, where: str, c: FieldContext) -> Any:
    concept = f.concept or ""
    what = CONCEPTS[concept][0]
    return check.refs(data, f.name, where, c.known.of(concept), what, required=f.required)


def _licence(check: Checker, data: Mapping[str, Any], f: Field, where: str, c: FieldContext) -> Any:
    value = check.text(data, f.name, where)
    if value is None:
        # Absence is an Avoin kunta rule ("licence statement"), reported by the shapes.
        return ""
    assert c.licences is not None, "a licence field outside the licence register"
    try:
        return c.licences.resolve(value).id
    except UnknownLicence as exc:
        check.problem(join(where, f.name), "unknown-licence", str(exc), line_of(data, f.name))
        return ""


def _date(check: Checker, data: Mapping[str, Any], f: Field, where: str, _c: FieldContext) -> Any:
    return check.date(data, f.name, where, required=f.required)


def _amount(check: Checker, data: Mapping[str, Any], f: Field, where: str, c: FieldContext) -> Any:
    raw = data.get(f.name)
    if raw is None:
        return None
    path, line, limits = join(where, f.name), line_of(data, f.name), c.limits
    amount = _decimal(raw)
    if amount is None:
        check.problem(
            path, "type", f"{shown(raw)} is not a price (a number ≥ 0, e.g. 120.50)", line
        )
        return None
    # Compared before any arithmetic: '1E+100000000' is a valid decimal of a million digits.
    if amount > limits.max_amount_decimal:
        check.problem(
            path,
            "limit-amount",
            f"{shown(raw)} is more than the largest amount allowed, {limits.max_amount:,} "
            f"(setting {SETTING['max_amount']})",
            line,
        )
        return None
    if _decimal_places(amount) > limits.amount_decimals:
        check.problem(
            path,
            "limit-amount",
            f"{shown(raw)} has more than {limits.amount_decimals} decimal places "
            f"(setting {SETTING['amount_decimals']})",
            line,
        )
        return None
    return amount


def _decimal(raw: Any) -> Decimal | None:
    if isinstance(raw, bool):
        return None
    try:
        amount = Decimal(str(raw))
    except InvalidOperation:
        return None
    if not amount.is_finite() or amount < 0:
        return None
    return amount


def _decimal_places(amount: Decimal) -> int:
    """Decimal places that matter (120.50 has 1), computed without a decimal context."""
    _sign, digits, exponent = amount.as_tuple()
    assert isinstance(exponent, int)  # finite
    trailing = 0
    while trailing < len(digits) - 1 and digits[len(digits) - 1 - trailing] == 0:
        trailing += 1
    return max(0, -(exponent + trailing))


def _currency(
    check: Checker, data: Mapping[str, Any], f: Field, where: str, _c: FieldContext
) -> Any:
    currency = check.text(data, f.name, where, required=f.required)
    if currency is not None and not CURRENCY.match(currency):
        check.problem(
            join(where, f.name),
            "currency",
            f"{shown(currency)} is not an ISO 4217 currency code such as EUR",
            line_of(data, f.name),
        )
        return None
    return currency


def _business_id(
    check: Checker, data: Mapping[str, Any], f: Field, where: str, _c: FieldContext
) -> Any:
    value = check.text(data, f.name, where, required=f.required)
    if value is not None and not BUSINESS_ID.match(value):
        check.problem(
            join(where, f.name),
            "business-id-format",
            f"{shown(value)} is not a Finnish Business ID: 7 digits, a hyphen and a check "
            "digit (e.g. 2077474-0)",
            line_of(data, f.name),
        )
        return None
    return value


def _code(check: Checker, data: Mapping[str, Any], f: Field, where: str, _c: FieldContext) -> Any:
    value = check.text(data, f.name, where, required=f.required)
    if value is not None and not CODE.match(value):
        check.problem(
            join(where, f.name),
            "code",
            f"{shown(value)} is not a code: use letters, digits, '-' and '_' only",
            line_of(data, f.name),
        )
        return None
    return value


def _boolean(
    check: Checker, data: Mapping[str, Any], f: Field, where: str, _c: FieldContext
) -> Any:
    value = data.get(f.name)
    if not isinstance(value, bool):
        if value is not None or f.required:
            check.problem(
                join(where, f.name), "type", "must be true or false", line_of(data, f.name)
            )
        return False
    return value


def _record(check: Checker, data: Mapping[str, Any], f: Field, where: str, c: FieldContext) -> Any:
    value = data.get(f.name)
    if value is None:
        return None
    nested = table(f.record or "")
    path = join(where, f.name)
    mapping = check.mapping(value, path, nested.source_names, line_of(data, f.name))
    return NESTED[nested.name](values=read_fields(check, mapping, nested, path, c))


def _records(check: Checker, data: Mapping[str, Any], f: Field, where: str, c: FieldContext) -> Any:
    value = data.get(f.name)
    if value is None:
        return ()
    nested = table(f.record or "")
    path = join(where, f.name)
    if not isinstance(value, list):
        check.problem(path, "type", f"must be a list of {f.name}", line_of(data, f.name))
        return ()
    records = []
    for index, item in enumerate(value):
        position = str(index + 1)
        values = read_record(
            check, item, nested, f"{path}.{position}", c, given={"position": position}
        )
        if values is not None:
            records.append(NESTED[nested.name](values=values))
    return tuple(records)


def _claims(check: Checker, data: Mapping[str, Any], f: Field, where: str, c: FieldContext) -> Any:
    value = data.get(f.name)
    if value is None:
        return ()
    nested = table(f.record or "")
    path = join(where, f.name)
    known = c.known.of(f.concept or "")
    claims = check.mapping(value, path, sorted(known), line_of(data, f.name))
    result = []
    for key, body in claims.items():
        if key not in known:
            continue
        where_claim = f"{path}.{key}"
        mapping = check.mapping(
            body if body is not None else {}, where_claim, nested.source_names, line_of(claims, key)
        )
        values = read_fields(check, mapping, nested, where_claim, c, given={"aspect": key})
        result.append(NESTED[nested.name](values=values))
    return tuple(result)


def _given(_check: Checker, _data: Mapping[str, Any], f: Field, _w: str, _c: FieldContext) -> Any:
    return f.empty()  # supplied by the reader (read_fields' ``given``), never read


READERS: dict[str, FieldReader] = {
    "id": _id,
    "text": _text,
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
    "currency": _currency,
    "business-id": _business_id,
    "code": _code,
    "boolean": _boolean,
    "record": _record,
    "records": _records,
    "claims": _claims,
    "supplier": _given,
    "position": _given,
}
