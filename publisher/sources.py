"""Read the catalogue's source files into typed records, checking them on the way.

This module knows YAML and the source format (``data/README.md``); it knows no RDF. It
catches what can be caught before mapping: YAML syntax (with the line), unknown fields,
wrong types, missing required fields, malformed ids, URLs and dates, duplicate ids and
dangling references. The Avoin kunta rules proper are SHACL shapes (``shapes/``), checked
after mapping by ``publisher.validation``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from publisher.licences import LicenceRegister, UnknownLicence
from publisher.problems import Problem, SourceErrors

LANGUAGES = ("fi", "sv", "en")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
URL = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")
SUPPLIER_KINDS = {
    # source value → ADMS publisher type (http://purl.org/adms/publishertype/…)
    "company": "Company",
    "non-profit": "NonProfitOrganisation",
    "local-authority": "LocalAuthority",
    "national-authority": "NationalAuthority",
    "public-company": "Company",
    "community": "NonProfitOrganisation",
    "academia": "Academia-ScientificOrganisation",
}
OFFERING_TYPES = ("product", "service")
STATUSES = ("completed", "under-development", "deprecated", "withdrawn")
ASPECTS = ("open-source", "open-standards", "open-interface", "open-architecture", "open-data")

LangText = dict[str, str]


@dataclass(frozen=True)
class Pricing:
    amount: Decimal | None
    currency: str | None
    unit: LangText
    price_list: str | None
    note: LangText


@dataclass(frozen=True)
class Part:
    title: LangText
    description: LangText
    licence: str
    pricing: Pricing | None


@dataclass(frozen=True)
class AspectClaim:
    aspect: str
    evidence: tuple[str, ...]
    note: LangText


@dataclass(frozen=True)
class Offering:
    id: str
    supplier: str
    file: str
    line: int | None
    type: str
    title: LangText
    description: LangText
    keywords: dict[str, tuple[str, ...]]
    components: tuple[str, ...]
    domains: tuple[str, ...]
    phases: tuple[str, ...]
    licence: str
    repository: str | None
    homepage: str | None
    api_documentation: str | None
    standards: tuple[str, ...]
    aspects: tuple[AspectClaim, ...]
    pricing: Pricing | None
    procurement: str | None
    procurement_note: LangText
    parts: tuple[Part, ...]
    status: str
    issued: dt.date | None
    sources: tuple[str, ...]
    provenance: LangText
    same_as: tuple[str, ...]
    raw: dict[str, Any] = field(repr=False, compare=False)


@dataclass(frozen=True)
class Supplier:
    id: str
    file: str
    name: LangText
    former_names: tuple[LangText, ...]
    kind: str
    business_id: str | None
    homepage: str | None
    contact_email: str | None
    contact_url: str | None
    description: LangText
    role: LangText
    same_as: tuple[str, ...]
    sources: tuple[str, ...]
    offerings: tuple[Offering, ...]
    raw: dict[str, Any] = field(repr=False, compare=False)


@dataclass(frozen=True)
class Retirement:
    id: str
    kind: str
    removed: dt.date
    replaced_by: str | None
    reason: LangText


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

    def where(self, kind: str, key: str) -> tuple[str, str]:
        """(file, record label) of a supplier or offering, for error reports."""
        for supplier in self.suppliers:
            if kind == "supplier" and supplier.id == key:
                return supplier.file, f"supplier {key}"
            for offering in supplier.offerings:
                if kind == "offering" and offering.id == key:
                    return offering.file, f"offering {key}"
        return "-", f"{kind} {key}"


# ---------------------------------------------------------------- YAML with line numbers


class _LineDict(dict):  # type: ignore[type-arg]
    """A mapping that remembers the line of each key (1-based)."""

    lines: dict[str, int]
    line: int


class _Loader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> _LineDict:
    loader.flatten_mapping(node)
    result = _LineDict()
    result.lines = {}
    result.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.lines[str(key)] = key_node.start_mark.line + 1
    return result


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode) -> Any:
    # An impossible date such as 2014-13-45 stays text, so that the date check can report
    # it with its field instead of the YAML parser failing.
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def load_yaml(path: Path, display: str) -> tuple[Any, list[Problem]]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return None, [Problem(display, "-", "-", "yaml-syntax", f"not UTF-8 text: {exc}")]
    try:
        return yaml.load(text, Loader=_Loader), []  # noqa: S506 - SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        message = f"YAML syntax error: {exc.problem or exc.context}"
        return None, [Problem(display, "-", "-", "yaml-syntax", message, line)]
    except yaml.YAMLError as exc:
        return None, [Problem(display, "-", "-", "yaml-syntax", f"YAML error: {exc}")]


# ---------------------------------------------------------------- field checking


class _Checker:
    """Reads fields of one record, collecting problems instead of raising."""

    def __init__(self, file: str, record: str, problems: list[Problem]) -> None:
        self.file = file
        self.record = record
        self.problems = problems

    def problem(self, field_: str, rule: str, message: str, line: int | None = None) -> None:
        self.problems.append(Problem(self.file, self.record, field_, rule, message, line))

    def mapping(
        self, value: Any, where: str, allowed: Iterable[str], line: int | None = None
    ) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.problem(where, "type", f"must be a mapping of fields, not {_kind(value)}", line)
            return {}
        allowed = set(allowed)
        for key in value:
            if key not in allowed:
                hint = ", ".join(sorted(allowed))
                self.problem(
                    _join(where, str(key)),
                    "unknown-field",
                    f"unknown field {key!r}; the fields allowed here are: {hint}",
                    _line(value, key),
                )
        return value

    def required(self, data: dict[str, Any], key: str, where: str) -> Any:
        if data.get(key) in (None, "", [], {}):
            self.problem(_join(where, key), "required", "is required", getattr(data, "line", None))
            return None
        return data[key]

    def text(
        self, data: dict[str, Any], key: str, where: str, *, required: bool = False
    ) -> str | None:
        value = data.get(key)
        if value is None:
            if required:
                self.required(data, key, where)
            return None
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            self.problem(
                _join(where, key), "type", f"must be text, not {_kind(value)}", _line(data, key)
            )
            return None
        return str(value).strip()

    def slug(self, data: dict[str, Any], key: str, where: str) -> str | None:
        value = self.text(data, key, where, required=True)
        if value is not None and not SLUG.match(value):
            self.problem(
                _join(where, key),
                "id-format",
                f"{value!r} is not a valid id: use lowercase letters a-z, digits and single "
                "hyphens (e.g. 'city-of-helsinki')",
                _line(data, key),
            )
            return None
        return value

    def url(
        self, data: dict[str, Any], key: str, where: str, *, required: bool = False
    ) -> str | None:
        value = self.text(data, key, where, required=required)
        if value is not None and not URL.match(value):
            self.problem(
                _join(where, key),
                "url",
                f"{value!r} is not a web address (http:// or https://)",
                _line(data, key),
            )
            return None
        return value

    def urls(
        self, data: dict[str, Any], key: str, where: str, *, required: bool = False
    ) -> tuple[str, ...]:
        value = data.get(key)
        if value is None:
            if required:
                self.required(data, key, where)
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.problem(
                _join(where, key),
                "type",
                f"must be a list of web addresses, not {_kind(value)}",
                _line(data, key),
            )
            return ()
        result = []
        for index, item in enumerate(value):
            holder = {str(index): item}
            checked = self.url(holder, str(index), _join(where, key))
            if checked:
                result.append(checked)
        if required and not result:
            self.required({}, key, where)
        return tuple(result)

    def lang_text(
        self, data: dict[str, Any], key: str, where: str, *, required: tuple[str, ...] = ()
    ) -> LangText:
        value = data.get(key)
        path = _join(where, key)
        if value is None:
            if required:
                self.problem(
                    path,
                    "required",
                    f"is required, with texts in {_langs(required)}",
                    getattr(data, "line", None),
                )
            return {}
        if not isinstance(value, dict):
            self.problem(
                path,
                "type",
                f"must be texts by language, e.g. {{fi: …, en: …}}, not {_kind(value)}",
                _line(data, key),
            )
            return {}
        texts: LangText = {}
        for lang, text in value.items():
            if lang not in LANGUAGES:
                self.problem(
                    _join(path, str(lang)),
                    "language",
                    f"unknown language {lang!r}: use fi, sv or en",
                    _line(value, lang),
                )
            elif not isinstance(text, str) or not text.strip():
                self.problem(
                    _join(path, str(lang)), "type", "must be a non-empty text", _line(value, lang)
                )
            else:
                texts[lang] = " ".join(text.split())
        for lang in required:
            if lang not in texts and lang not in value:
                self.problem(
                    _join(path, lang),
                    "required-language",
                    f"the {_LANG_NAMES[lang]} text ({lang}) is required",
                    getattr(value, "line", None),
                )
        return texts

    def choice(
        self,
        data: dict[str, Any],
        key: str,
        where: str,
        allowed: Iterable[str],
        *,
        required: bool = False,
        default: str | None = None,
    ) -> str | None:
        value = self.text(data, key, where, required=required)
        if value is None:
            return default
        allowed = tuple(allowed)
        if value not in allowed:
            self.problem(
                _join(where, key),
                "choice",
                f"{value!r} is not one of: {', '.join(allowed)}",
                _line(data, key),
            )
            return default
        return value

    def refs(
        self,
        data: dict[str, Any],
        key: str,
        where: str,
        known: set[str],
        what: str,
        *,
        required: bool = False,
    ) -> tuple[str, ...]:
        value = data.get(key)
        if value is None:
            if required:
                self.problem(
                    _join(where, key),
                    "required",
                    f"is required: list at least one {what}",
                    getattr(data, "line", None),
                )
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(
                _join(where, key), "type", f"must be a list of {what} ids", _line(data, key)
            )
            return ()
        result = []
        for item in value:
            if item not in known:
                close = _close_matches(item, known)
                self.problem(
                    _join(where, key),
                    "unknown-reference",
                    f"unknown {what} {item!r}{close}",
                    _line(data, key),
                )
            else:
                result.append(item)
        if required and not value:
            self.problem(
                _join(where, key),
                "required",
                f"is required: list at least one {what}",
                _line(data, key),
            )
        return tuple(result)

    def date(
        self, data: dict[str, Any], key: str, where: str, *, required: bool = False
    ) -> dt.date | None:
        value = data.get(key)
        if value is None:
            if required:
                self.required(data, key, where)
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.problem(
                _join(where, key),
                "date",
                f"{value!r} is not a date like 2014-09-16",
                _line(data, key),
            )
            return None


_LANG_NAMES = {"fi": "Finnish", "sv": "Swedish", "en": "English"}


def _langs(langs: tuple[str, ...]) -> str:
    return " and ".join(f"{_LANG_NAMES[lang]} ({lang})" for lang in langs)


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _line(data: Any, key: Any) -> int | None:
    lines = getattr(data, "lines", None)
    return lines.get(str(key)) if lines else None


def _kind(value: Any) -> str:
    return {
        dict: "a mapping",
        list: "a list",
        str: "text",
        bool: "true/false",
        type(None): "empty",
    }.get(type(value), type(value).__name__)


def _close_matches(value: str, known: Iterable[str]) -> str:
    import difflib

    matches = difflib.get_close_matches(value, sorted(known), n=3)
    return f"; did you mean {', '.join(repr(m) for m in matches)}?" if matches else ""


# ---------------------------------------------------------------- records

SUPPLIER_FIELDS = (
    "id",
    "name",
    "former_names",
    "kind",
    "business_id",
    "homepage",
    "contact",
    "description",
    "role",
    "same_as",
    "sources",
)
OFFERING_FIELDS = (
    "id",
    "type",
    "title",
    "description",
    "keywords",
    "components",
    "domains",
    "phases",
    "licence",
    "repository",
    "homepage",
    "api_documentation",
    "standards",
    "aspects",
    "pricing",
    "procurement",
    "procurement_note",
    "parts",
    "status",
    "issued",
    "sources",
    "provenance",
    "same_as",
)
PRICING_FIELDS = ("amount", "currency", "unit", "price_list", "note")
PART_FIELDS = ("title", "description", "licence", "pricing")
ASPECT_FIELDS = ("evidence", "note")


@dataclass(frozen=True)
class KnownIds:
    """Ids the source may refer to, taken from the vocabulary's concept schemes."""

    components: set[str]
    domains: set[str]
    phases: set[str]
    routes: set[str]
    aspects: set[str]


def read_catalogue(
    data_dir: Path, known: KnownIds, licences: LicenceRegister | None = None
) -> Catalogue:
    """Read and check everything under ``data_dir``; raise SourceErrors listing all problems."""
    data_dir = Path(data_dir)
    problems: list[Problem] = []
    if not data_dir.is_dir():
        raise SourceErrors([Problem(str(data_dir), "-", "-", "missing", "no such folder")])
    register = licences or _read_licences(data_dir, problems)
    suppliers: list[Supplier] = []
    supplier_dir = data_dir / "suppliers"
    files = sorted(supplier_dir.glob("*.yaml")) + sorted(supplier_dir.glob("*.yml"))
    if not files:
        problems.append(
            Problem(str(supplier_dir), "-", "-", "missing", "no supplier files (*.yaml) found")
        )
    for path in files:
        supplier = _read_supplier(path, _display(path, data_dir), known, register, problems)
        if supplier is not None:
            suppliers.append(supplier)
    _check_unique(suppliers, problems)
    retired, renamed = _read_retired(data_dir, suppliers, problems)
    if problems:
        raise SourceErrors(problems)
    return Catalogue(tuple(suppliers), register, retired, renamed)


def _display(path: Path, data_dir: Path) -> str:
    return str(data_dir / path.relative_to(data_dir))


def _read_supplier(
    path: Path, display: str, known: KnownIds, register: LicenceRegister, problems: list[Problem]
) -> Supplier | None:
    document, syntax = load_yaml(path, display)
    problems.extend(syntax)
    if syntax:
        return None
    top = _Checker(display, "-", problems)
    document = top.mapping(document, "", ("supplier", "offerings"))
    raw = document.get("supplier")
    if raw is None:
        top.problem("supplier", "required", "the file must start with a 'supplier:' section")
        return None
    sid = raw.get("id") if isinstance(raw, dict) else None
    check = _Checker(display, f"supplier {sid or path.stem}", problems)
    data = check.mapping(raw, "", SUPPLIER_FIELDS, _line(document, "supplier"))
    if not data:
        return None
    supplier_id = check.slug(data, "id", "")
    if supplier_id and supplier_id != path.stem:
        check.problem(
            "id",
            "file-name",
            f"the supplier id {supplier_id!r} must equal the file name ({path.stem!r})",
            _line(data, "id"),
        )
    contact = check.mapping(
        data.get("contact") or {}, "contact", ("email", "url"), _line(data, "contact")
    )
    email = check.text(contact, "email", "contact")
    if email and not re.match(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", email):
        check.problem(
            "contact.email", "email", f"{email!r} is not an e-mail address", _line(contact, "email")
        )
        email = None
    former = data.get("former_names") or []
    former_names: list[LangText] = []
    if not isinstance(former, list):
        check.problem(
            "former_names",
            "type",
            "must be a list of names by language",
            _line(data, "former_names"),
        )
    else:
        for index, item in enumerate(former):
            former_names.append(check.lang_text({"x": item}, "x", f"former_names.{index}"))
    business_id = check.text(data, "business_id", "")
    if business_id is not None and not re.match(r"^\d{7}-\d$", business_id):
        check.problem(
            "business_id",
            "business-id-format",
            f"{business_id!r} is not a Finnish Business ID: 7 digits, a hyphen and a check "
            "digit (e.g. 2077474-0)",
            _line(data, "business_id"),
        )
    offerings_raw = document.get("offerings") or []
    offerings: list[Offering] = []
    if not isinstance(offerings_raw, list):
        top.problem(
            "offerings", "type", "must be a list of offerings", _line(document, "offerings")
        )
        offerings_raw = []
    for index, item in enumerate(offerings_raw):
        offering = _read_offering(
            item, index, supplier_id or path.stem, display, known, register, problems
        )
        if offering is not None:
            offerings.append(offering)
    supplier = Supplier(
        id=supplier_id or path.stem,
        file=display,
        name=check.lang_text(data, "name", "", required=("fi", "en")),
        former_names=tuple(former_names),
        kind=check.choice(data, "kind", "", SUPPLIER_KINDS, required=True) or "company",
        business_id=business_id,
        homepage=check.url(data, "homepage", ""),
        contact_email=email,
        contact_url=check.url(contact, "url", "contact"),
        description=check.lang_text(data, "description", ""),
        role=check.lang_text(data, "role", ""),
        same_as=check.urls(data, "same_as", ""),
        sources=check.urls(data, "sources", "", required=True),
        offerings=tuple(offerings),
        raw=data,
    )
    return supplier


def _read_offering(
    item: Any,
    index: int,
    supplier_id: str,
    display: str,
    known: KnownIds,
    register: LicenceRegister,
    problems: list[Problem],
) -> Offering | None:
    oid = item.get("id") if isinstance(item, dict) else None
    check = _Checker(
        display, f"offering {oid or f'#{index + 1} of supplier ' + supplier_id}", problems
    )
    data = check.mapping(item, "", OFFERING_FIELDS)
    if not data:
        return None
    offering_id = check.slug(data, "id", "")
    licence = _licence(check, data, "licence", "", register)
    aspects = _aspects(check, data, known)
    parts = _parts(check, data, register)
    keywords = _keywords(check, data)
    return Offering(
        id=offering_id or f"#{index + 1}",
        supplier=supplier_id,
        file=display,
        line=getattr(data, "line", None),
        type=check.choice(data, "type", "", OFFERING_TYPES, required=True) or "product",
        title=check.lang_text(data, "title", "", required=("fi", "en")),
        description=check.lang_text(data, "description", "", required=("fi", "en")),
        keywords=keywords,
        components=check.refs(
            data, "components", "", known.components, "architecture component", required=True
        ),
        domains=check.refs(data, "domains", "", known.domains, "service domain"),
        phases=check.refs(data, "phases", "", known.phases, "delivery phase"),
        licence=licence or "",
        repository=check.url(data, "repository", ""),
        homepage=check.url(data, "homepage", ""),
        api_documentation=check.url(data, "api_documentation", ""),
        standards=check.urls(data, "standards", ""),
        aspects=aspects,
        pricing=_pricing(check, data.get("pricing"), "pricing", _line(data, "pricing")),
        procurement=check.choice(data, "procurement", "", sorted(known.routes)),
        procurement_note=check.lang_text(data, "procurement_note", ""),
        parts=parts,
        status=check.choice(data, "status", "", STATUSES, default="completed") or "completed",
        issued=check.date(data, "issued", ""),
        sources=check.urls(data, "sources", "", required=True),
        provenance=check.lang_text(data, "provenance", "", required=("fi", "en")),
        same_as=check.urls(data, "same_as", ""),
        raw=data,
    )


def _licence(
    check: _Checker, data: dict[str, Any], key: str, where: str, register: LicenceRegister
) -> str | None:
    value = check.text(data, key, where)
    if value is None:
        # Absence is an Avoin kunta rule ("licence statement"), reported by the shapes.
        return None
    try:
        return register.resolve(value).id
    except UnknownLicence as exc:
        check.problem(_join(where, key), "unknown-licence", str(exc), _line(data, key))
        return None


def _aspects(check: _Checker, data: dict[str, Any], known: KnownIds) -> tuple[AspectClaim, ...]:
    value = data.get("aspects")
    if value is None:
        return ()
    claims = check.mapping(value, "aspects", sorted(known.aspects), _line(data, "aspects"))
    result = []
    for aspect, body in claims.items():
        if aspect not in known.aspects:
            continue
        where = f"aspects.{aspect}"
        body = check.mapping(
            body if body is not None else {}, where, ASPECT_FIELDS, _line(claims, aspect)
        )
        result.append(
            AspectClaim(
                aspect=aspect,
                evidence=check.urls(body, "evidence", where),
                note=check.lang_text(body, "note", where),
            )
        )
    return tuple(result)


def _pricing(check: _Checker, value: Any, where: str, line: int | None) -> Pricing | None:
    if value is None:
        return None
    data = check.mapping(value, where, PRICING_FIELDS, line)
    amount: Decimal | None = None
    if data.get("amount") is not None:
        raw = data["amount"]
        try:
            if isinstance(raw, bool):
                raise InvalidOperation
            amount = Decimal(str(raw))
            if amount < 0 or not amount.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            check.problem(
                f"{where}.amount",
                "type",
                f"{raw!r} is not a price (a number ≥ 0, e.g. 120.50)",
                _line(data, "amount"),
            )
    currency = check.text(data, "currency", where)
    if currency is not None and not re.match(r"^[A-Z]{3}$", currency):
        check.problem(
            f"{where}.currency",
            "currency",
            f"{currency!r} is not an ISO 4217 currency code such as EUR",
            _line(data, "currency"),
        )
        currency = None
    return Pricing(
        amount=amount,
        currency=currency,
        unit=check.lang_text(data, "unit", where),
        price_list=check.url(data, "price_list", where),
        note=check.lang_text(data, "note", where),
    )


def _parts(check: _Checker, data: dict[str, Any], register: LicenceRegister) -> tuple[Part, ...]:
    value = data.get("parts")
    if value is None:
        return ()
    if not isinstance(value, list):
        check.problem("parts", "type", "must be a list of parts", _line(data, "parts"))
        return ()
    parts = []
    for index, item in enumerate(value):
        where = f"parts.{index + 1}"
        part = check.mapping(item, where, PART_FIELDS)
        if not part:
            continue
        parts.append(
            Part(
                title=check.lang_text(part, "title", where, required=("fi", "en")),
                description=check.lang_text(part, "description", where),
                licence=_licence(check, part, "licence", where, register) or "",
                pricing=_pricing(
                    check, part.get("pricing"), f"{where}.pricing", _line(part, "pricing")
                ),
            )
        )
    return tuple(parts)


def _keywords(check: _Checker, data: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    value = data.get("keywords")
    if value is None:
        return {}
    mapping = check.mapping(value, "keywords", LANGUAGES, _line(data, "keywords"))
    result: dict[str, tuple[str, ...]] = {}
    for lang, words in mapping.items():
        if lang not in LANGUAGES:
            continue
        if isinstance(words, str):
            words = [words]
        if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
            check.problem(
                f"keywords.{lang}", "type", "must be a list of words", _line(mapping, lang)
            )
            continue
        result[lang] = tuple(w.strip() for w in words)
    return result


def _check_unique(suppliers: list[Supplier], problems: list[Problem]) -> None:
    seen: dict[str, str] = {}
    for supplier in suppliers:
        for offering in supplier.offerings:
            if offering.id in seen and not offering.id.startswith("#"):
                problems.append(
                    Problem(
                        offering.file,
                        f"offering {offering.id}",
                        "id",
                        "unique-id",
                        f"the id {offering.id!r} is already used in {seen[offering.id]}; "
                        "offering ids must be unique over all files",
                        offering.line,
                    )
                )
            seen.setdefault(offering.id, offering.file)


def _read_licences(data_dir: Path, problems: list[Problem]) -> LicenceRegister:
    path = data_dir / "licences.yaml"
    display = _display(path, data_dir)
    if not path.exists():
        return LicenceRegister([])
    document, syntax = load_yaml(path, display)
    problems.extend(syntax)
    if syntax:
        return LicenceRegister([])
    top = _Checker(display, "-", problems)
    document = top.mapping(document or {}, "", ("licences",))
    entries = []
    for index, item in enumerate(document.get("licences") or []):
        lid = item.get("id") if isinstance(item, dict) else None
        check = _Checker(display, f"licence {lid or index + 1}", problems)
        data = check.mapping(item, "", ("id", "name", "open_source", "type", "url", "eu_licence"))
        if not data:
            continue
        licence_id = check.slug(data, "id", "")
        open_source = data.get("open_source")
        if not isinstance(open_source, bool):
            check.problem(
                "open_source", "type", "must be true or false", _line(data, "open_source")
            )
        if licence_id:
            entries.append(
                {
                    "id": licence_id,
                    "name": check.lang_text(data, "name", "", required=("fi", "en")),
                    "open_source": bool(open_source),
                    "type": check.text(data, "type", ""),
                    "url": check.url(data, "url", ""),
                    "eu_licence": check.text(data, "eu_licence", ""),
                }
            )
    return LicenceRegister(entries)


def _read_retired(
    data_dir: Path, suppliers: list[Supplier], problems: list[Problem]
) -> tuple[tuple[Retirement, ...], dict[str, str]]:
    path = data_dir / "retired.yaml"
    if not path.exists():
        return (), {}
    display = _display(path, data_dir)
    document, syntax = load_yaml(path, display)
    problems.extend(syntax)
    if syntax:
        return (), {}
    top = _Checker(display, "-", problems)
    document = top.mapping(document or {}, "", ("retired", "renamed"))
    current = {("supplier", s.id) for s in suppliers} | {
        ("offering", o.id) for s in suppliers for o in s.offerings
    }
    retired = []
    for index, item in enumerate(document.get("retired") or []):
        rid = item.get("id") if isinstance(item, dict) else None
        check = _Checker(display, f"retired {rid or index + 1}", problems)
        data = check.mapping(item, "", ("id", "kind", "removed", "replaced_by", "reason"))
        if not data:
            continue
        key = check.slug(data, "id", "")
        kind = check.choice(data, "kind", "", ("offering", "supplier"), required=True)
        removed = check.date(data, "removed", "", required=True)
        successor = check.text(data, "replaced_by", "")
        if key and kind and (kind, key) in current:
            check.problem(
                "id",
                "retired-still-present",
                f"{kind} {key!r} is retired but still present in the data; remove it "
                "from its supplier file or from retired.yaml",
                _line(data, "id"),
            )
        if successor and kind and (kind, successor) not in current:
            check.problem(
                "replaced_by",
                "unknown-reference",
                f"the successor {kind} {successor!r} does not exist",
                _line(data, "replaced_by"),
            )
        if key and kind and removed:
            retired.append(
                Retirement(key, kind, removed, successor, check.lang_text(data, "reason", ""))
            )
    renamed_raw = document.get("renamed") or {}
    check = _Checker(display, "renamed", problems)
    renamed = {}
    if not isinstance(renamed_raw, dict):
        check.problem(
            "renamed", "type", "must be a mapping old-id: new-id", _line(document, "renamed")
        )
    else:
        ids = {key for _, key in current}
        for old, new in renamed_raw.items():
            if (
                not isinstance(old, str)
                or not isinstance(new, str)
                or not SLUG.match(old)
                or not SLUG.match(new)
            ):
                check.problem(
                    f"renamed.{old}",
                    "id-format",
                    "old and new ids must be valid ids",
                    _line(renamed_raw, old),
                )
            elif new not in ids:
                check.problem(
                    f"renamed.{old}",
                    "unknown-reference",
                    f"the new id {new!r} does not exist",
                    _line(renamed_raw, old),
                )
            elif old in ids:
                check.problem(
                    f"renamed.{old}",
                    "renamed-still-present",
                    f"the old id {old!r} is still in use",
                    _line(renamed_raw, old),
                )
            else:
                renamed[old] = new
    return tuple(retired), renamed


__all__ = [
    "ASPECTS",
    "AspectClaim",
    "Catalogue",
    "KnownIds",
    "LANGUAGES",
    "Offering",
    "Part",
    "Pricing",
    "Retirement",
    "SUPPLIER_KINDS",
    "Supplier",
    "read_catalogue",
]
