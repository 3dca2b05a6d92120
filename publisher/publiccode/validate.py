"""Check a publiccode.yml file against the standard (versions 0.2 to 0.7).

The rules are those of the standard (publiccodeyml/publiccode.yml, docs/standard) as the
reference parser (italia/publiccode-parser-go) applies them: every supported 0.x version is
read by the latest 0.x rules; deprecated keys, lowercase country codes, the lowercase
``it:`` section and older versions are warnings; anything else wrong is an error. Checks
that need the network or the repository's own files (is the URL reachable, is the logo an
image) are not made: we read the file alone.

The schema below reads like the standard: one entry per key, with its type and presence.
``validate`` walks the document against it and returns ``Finding``s with the key path
(``maintenance.contacts[0].email``), the rule, a message a person can act on, and the line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from publisher.publiccode import standard
from publisher.publiccode.yaml12 import (
    BOOL,
    FLOAT,
    INT,
    MAP,
    NULL,
    SEQ,
    STR,
    YAML11_BOOLEANS,
    Node,
    YamlError,
    load,
)

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True, order=True)
class Finding:
    line: int | None
    key: str
    severity: str
    rule: str
    message: str
    column: int | None = field(default=None, compare=False)


@dataclass
class Checked:
    """The outcome of checking one file: the document (None if unreadable) and findings."""

    document: Node | None
    findings: list[Finding]
    version: str | None = None

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == WARNING]

    @property
    def valid(self) -> bool:
        return self.document is not None and not self.errors


# ------------------------------------------------------------------------ the schema

Check = Callable[[str], str | None]  # value → problem message or None


@dataclass(frozen=True)
class Text:
    """A scalar read as text (numbers and booleans keep their source text)."""

    check: Check | None = None
    rule: str = "format"
    max_len: int | None = None
    min_len: int | None = None


@dataclass(frozen=True)
class Boolean:
    pass


@dataclass(frozen=True)
class Seq:
    item: Schema
    non_empty: bool = False
    or_scalar: bool = False  # also a single value in place of the list (isBasedOn)


@dataclass(frozen=True)
class Key:
    schema: Schema
    required: bool = False
    deprecated: str | None = None  # the warning to give when present
    # (sibling key, value): the key may only be present when the sibling has that value
    only_if: tuple[str, str] | None = None


@dataclass(frozen=True)
class Mapping:
    keys: dict[str, Key]


@dataclass(frozen=True)
class Languages:
    """A mapping from BCP 47 language tags to ``item`` (``description``)."""

    item: Mapping


Schema = Text | Boolean | Seq | Mapping | Languages


def _check(predicate: Callable[[str], bool], message: str) -> Check:
    return lambda value: None if predicate(value) else message.format(value=value)


URL = Text(_check(standard.is_url, "{value!r} is not a URL"), "url")
HTTP_URL = Text(_check(standard.is_http_url, "{value!r} is not an http(s):// URL"), "http-url")
DATE = Text(_check(standard.is_date, "{value!r} is not a date written YYYY-MM-DD"), "date")
EMAIL = Text(_check(standard.is_email, "{value!r} is not an e-mail address"), "email")
MIME = Text(_check(standard.is_mime_type, "{value!r} is not a media type (RFC 6838)"), "mime-type")
LANGUAGE = Text(
    _check(standard.is_language_tag, "{value!r} is not a BCP 47 language tag (e.g. en, it, de-CH)"),
    "bcp47",
)
COUNTRY = Text(
    _check(
        standard.is_country,
        "{value!r} is not an ISO 3166-1 alpha-2 country code (two letters, e.g. FI, IT)",
    ),
    "country",
)
ORG_URI = Text(standard.organisation_uri_problem, "organisation-uri")


def _one_of(values: tuple[str, ...] | frozenset[str], what: str, link: str = "") -> Check:
    listed = ", ".join(sorted(values)) if len(values) <= 12 else ""
    hint = f": {listed}" if listed else f" (see {link})"

    def check(value: str) -> str | None:
        return None if value in values else f"{value!r} is not {what}{hint}"

    return check


_LISTS = "https://github.com/publiccodeyml/publiccode.yml/blob/main/docs/standard/"


def _path_or_url(value: str) -> str | None:
    if value.startswith("/"):
        return "is an absolute path; give a path relative to the repository root or an http(s) URL"
    if value.startswith("file:"):
        return "is a file:// URL; give a path relative to the repository root or an http(s) URL"
    return None


def _logo(value: str) -> str | None:
    problem = _path_or_url(value)
    if problem:
        return problem
    path = value.split("?", 1)[0].lower()
    if not path.endswith(standard.LOGO_EXTENSIONS):
        return f"{value!r}: a logo must be an SVG, SVGZ or PNG file"
    return None


def _video(value: str) -> str | None:
    if not standard.is_http_url(value):
        return f"{value!r} is not an http(s):// URL"
    if not standard.is_oembed_video(value):
        return f"{value!r} is not the address of a video on a site that supports oEmbed"
    return None


def _supports_id(value: str) -> str | None:
    if value.startswith("alias:"):
        if value[len("alias:") :] not in standard.ALIASES:
            known = ", ".join(f"alias:{a}" for a in standard.ALIASES)
            return f"{value!r} is not a known alias (known: {known})"
        return None
    if standard.is_url(value):
        return None
    return f"{value!r} is neither a known alias ('alias:<name>') nor a URI (URL or URN)"


def _ipa_code(value: str) -> str | None:
    if value.lower() in standard.italian_ipa_codes():
        return None
    return f"{value!r} is not an Italian Public Administration code (iPA)"


DEPRECATED_DROP = "is deprecated and will be removed; it is safe to drop it"

ORGANISATION = Mapping({"uri": Key(ORG_URI, required=True), "name": Key(Text())})
FUNDER = Mapping({"name": Key(Text()), "uri": Key(ORG_URI, required=True)})
DEPENDENCY = Mapping(
    {
        "name": Key(Text(), required=True),
        "versionMin": Key(Text()),
        "versionMax": Key(Text()),
        "version": Key(Text()),
        "optional": Key(Boolean()),
    }
)
DESCRIPTION = Mapping(
    {
        "localisedName": Key(Text()),
        "genericName": Key(Text(max_len=35), deprecated=DEPRECATED_DROP),
        "shortDescription": Key(Text(max_len=150), required=True),
        "longDescription": Key(Text(min_len=150, max_len=10000), required=True),
        "documentation": Key(HTTP_URL),
        "apiDocumentation": Key(HTTP_URL),
        "features": Key(Seq(Text(), non_empty=True), required=True),
        "screenshots": Key(Seq(Text(_path_or_url, "path"))),
        "videos": Key(Seq(Text(_video, "oembed"))),
        "awards": Key(Seq(Text())),
    }
)
IT_SECTION = Mapping(
    {
        "countryExtensionVersion": Key(
            Text(
                _one_of(standard.IT_COUNTRY_EXTENSION_VERSIONS, "an IT section version"),
                "enum",
            )
        ),
        "conforme": Key(
            Mapping(
                {
                    name: Key(Boolean())
                    for name in (
                        "lineeGuidaDesign",
                        "modelloInteroperabilita",
                        "misureMinimeSicurezza",
                        "gdpr",
                    )
                }
            ),
            deprecated=DEPRECATED_DROP,
        ),
        "riuso": Key(Mapping({"codiceIPA": Key(Text(_ipa_code, "ipa-code"))})),
        "piattaforme": Key(
            Mapping({name: Key(Boolean()) for name in ("spid", "pagopa", "cie", "anpr", "io")})
        ),
    }
)
PUBLICCODE = Mapping(
    {
        "publiccodeYmlVersion": Key(Text(), required=True),  # checked first, on its own
        "name": Key(Text(), required=True),
        "applicationSuite": Key(Text()),
        "url": Key(URL, required=True),
        "landingURL": Key(HTTP_URL),
        "isBasedOn": Key(Seq(URL, or_scalar=True)),
        "softwareVersion": Key(Text()),
        "releaseDate": Key(DATE),
        "logo": Key(Text(_logo, "logo")),
        "monochromeLogo": Key(
            Text(_logo, "logo"), deprecated="is deprecated and will be removed; use 'logo'"
        ),
        "organisation": Key(ORGANISATION),
        "inputTypes": Key(Seq(MIME), deprecated=DEPRECATED_DROP),
        "outputTypes": Key(Seq(MIME), deprecated=DEPRECATED_DROP),
        "platforms": Key(Seq(Text(), non_empty=True), required=True),
        "categories": Key(
            Seq(
                Text(
                    _one_of(standard.CATEGORIES, "a category", _LISTS + "categories-list.rst"),
                    "category",
                )
            )
        ),
        "usedBy": Key(Seq(Text())),
        "fundedBy": Key(Seq(FUNDER)),
        "roadmap": Key(HTTP_URL),
        "developmentStatus": Key(
            Text(_one_of(standard.DEVELOPMENT_STATUSES, "a development status"), "enum"),
            required=True,
        ),
        "softwareType": Key(
            Text(_one_of(standard.SOFTWARE_TYPES, "a software type"), "enum"), required=True
        ),
        "supports": Key(
            Seq(Mapping({"id": Key(Text(_supports_id, "supports-id"), required=True)}))
        ),
        "intendedAudience": Key(
            Mapping(
                {
                    "scope": Key(
                        Seq(
                            Text(
                                _one_of(standard.SCOPES, "a scope", _LISTS + "scope-list.rst"),
                                "scope",
                            )
                        )
                    ),
                    "countries": Key(Seq(COUNTRY)),
                    "unsupportedCountries": Key(Seq(COUNTRY)),
                }
            )
        ),
        "description": Key(Languages(DESCRIPTION), required=True),
        "legal": Key(
            Mapping(
                {
                    "license": Key(Text(), required=True),  # SPDX, checked in _legal
                    "mainCopyrightOwner": Key(Text()),
                    "repoOwner": Key(
                        Text(),
                        deprecated="is deprecated and will be removed; use 'organisation.name'",
                    ),
                    "authorsFile": Key(Text(_path_or_url, "path"), deprecated=DEPRECATED_DROP),
                }
            ),
            required=True,
        ),
        "maintenance": Key(
            Mapping(
                {
                    "type": Key(
                        Text(_one_of(standard.MAINTENANCE_TYPES, "a maintenance type"), "enum"),
                        required=True,
                    ),
                    "contractors": Key(
                        only_if=("type", "contract"),
                        schema=Seq(
                            Mapping(
                                {
                                    "name": Key(Text(), required=True),
                                    "until": Key(DATE, required=True),
                                    "email": Key(EMAIL),
                                    "website": Key(HTTP_URL),
                                }
                            )
                        ),
                    ),
                    "contacts": Key(
                        Seq(
                            Mapping(
                                {
                                    "name": Key(Text(), required=True),
                                    "email": Key(EMAIL),
                                    "phone": Key(Text()),
                                    "affiliation": Key(Text()),
                                }
                            )
                        )
                    ),
                }
            ),
            required=True,
        ),
        "localisation": Key(
            Mapping(
                {
                    "localisationReady": Key(Boolean(), required=True),
                    "availableLanguages": Key(Seq(LANGUAGE, non_empty=True), required=True),
                }
            ),
            required=True,
        ),
        "dependsOn": Key(
            Mapping(
                {
                    "open": Key(Seq(DEPENDENCY)),
                    "proprietary": Key(Seq(DEPENDENCY)),
                    "hardware": Key(Seq(DEPENDENCY)),
                }
            )
        ),
        "IT": Key(IT_SECTION),
        "it": Key(
            IT_SECTION,
            deprecated="lowercase country sections are deprecated and will be removed; write 'IT'",
        ),
    }
)

# ------------------------------------------------------------------------ the walker


class _Walker:
    def __init__(self) -> None:
        self.findings: list[Finding] = []

    def add(self, severity: str, key: str, rule: str, message: str, node: Node | None) -> None:
        line, column = (node.line, node.column) if node is not None else (None, None)
        self.findings.append(Finding(line, key, severity, rule, message, column))

    def error(self, key: str, rule: str, message: str, node: Node | None) -> None:
        self.add(ERROR, key, rule, message, node)

    def warning(self, key: str, rule: str, message: str, node: Node | None) -> None:
        self.add(WARNING, key, rule, message, node)

    # -- schema types

    def walk(self, schema: Schema, node: Node, key: str) -> None:
        if isinstance(schema, Text):
            self.text(schema, node, key)
        elif isinstance(schema, Boolean):
            self.boolean(node, key)
        elif isinstance(schema, Seq):
            self.seq(schema, node, key)
        elif isinstance(schema, Languages):
            self.languages(schema, node, key)
        else:
            self.mapping(schema, node, key)

    def text(self, schema: Text, node: Node, key: str) -> None:
        if not node.is_scalar:
            self.error(key, "type", f"must be text, not {_kind(node)}", node)
            return
        if node.kind == NULL:
            return  # presence is checked by the mapping
        value = node.text
        if schema.check is not None:
            problem = schema.check(value)
            if problem:
                self.error(key, schema.rule, problem, node)
                return
        length = standard.grapheme_count(value)
        if schema.max_len is not None and length > schema.max_len:
            self.error(
                key,
                "max-length",
                f"is {length} characters long; at most {schema.max_len} are allowed",
                node,
            )
        if schema.min_len is not None and length < schema.min_len:
            self.error(
                key,
                "min-length",
                f"is {length} characters long; at least {schema.min_len} are required",
                node,
            )

    def boolean(self, node: Node, key: str) -> None:
        if node.kind == BOOL or node.kind == NULL:
            return
        if node.kind == STR and node.text in YAML11_BOOLEANS and not node.quoted:
            message = (
                f"must be true or false; {node.text!r} is a YAML 1.1 boolean, which YAML 1.2 "
                "(the version publiccode.yml uses) reads as text"
            )
        else:
            message = f"must be true or false, not {_kind(node)}"
        self.error(key, "type", message, node)

    def seq(self, schema: Seq, node: Node, key: str) -> None:
        if node.kind == NULL:
            items: list[Node] = []
        elif node.kind == SEQ:
            items = node.value
        elif schema.or_scalar and node.is_scalar:
            items = [node]
        else:
            expected = "a list or a single value" if schema.or_scalar else "a list"
            self.error(key, "type", f"must be {expected}, not {_kind(node)}", node)
            return
        if schema.non_empty and not items:
            self.error(key, "required", "must list at least one item", node)
        for index, item in enumerate(items):
            self.walk(schema.item, item, f"{key}[{index}]")

    def languages(self, schema: Languages, node: Node, key: str) -> None:
        if node.kind != MAP:
            self.error(key, "type", f"must be texts by language (en: …), not {_kind(node)}", node)
            return
        if not node.value:
            self.error(key, "required", "must have at least one language", node)
        for lang, item in node.value.items():
            where = f"{key}.{lang}"
            if not standard.is_language_tag(lang):
                self.error(
                    where,
                    "bcp47",
                    f"{lang!r} is not a BCP 47 language tag (e.g. en, it, de-CH)",
                    _key_node(node, lang),
                )
            self.mapping(schema.item, item, where)

    def mapping(self, schema: Mapping, node: Node, key: str) -> None:
        if node.kind != MAP:
            self.error(key, "type", f"must be a section of keys, not {_kind(node)}", node)
            return
        for name, child in node.value.items():
            where = _join(key, name)
            spec = schema.keys.get(name)
            if spec is None:
                self.unknown(schema, node, key, name)
                continue
            if spec.deprecated:
                self.warning(where, "deprecated", spec.deprecated, _key_node(node, name))
            if spec.only_if and not self.allowed_here(spec.only_if, node, where):
                continue
            self.walk(spec.schema, child, where)
        for name, spec in schema.keys.items():
            child = node.value.get(name)
            if not spec.required or not (child is None or (child.kind != SEQ and _empty(child))):
                continue
            holder = _key_node(node, name) if child is not None else node
            if isinstance(spec.schema, Mapping) and (child is None or child.kind in (MAP, NULL)):
                # A missing section: say which of its keys are required.
                self.mapping(
                    spec.schema, Node(MAP, {}, holder.line, holder.column), _join(key, name)
                )
            else:
                self.error(_join(key, name), "required", "is required", holder)

    def allowed_here(self, only_if: tuple[str, str], node: Node, where: str) -> bool:
        sibling, value = only_if
        actual = node.get(sibling)
        actual_text = actual.text if actual is not None and actual.is_scalar else None
        if actual_text == value or actual_text is None:
            return True
        self.error(
            where,
            "excluded-unless",
            f"must not be present unless {sibling!r} is {value!r} (it is {actual_text!r})",
            _key_node(node, where.rsplit(".", 1)[-1]),
        )
        return False

    def unknown(self, schema: Mapping, node: Node, key: str, name: str) -> None:
        where = _join(key, name)
        at = _key_node(node, name)
        if schema is PUBLICCODE and len(name) == 2 and name.isalpha():
            message = (
                f"unknown key {name!r}: the standard defines no {name.upper()} country "
                "section (the only one is IT, itself deprecated in favour of 'supports')"
            )
            self.error(where, "unknown-key", message, at)
            return
        close = _close(name, schema.keys)
        hint = f"; did you mean {close!r}?" if close else ""
        self.error(where, "unknown-key", f"unknown key {name!r}{hint}", at)


def _join(key: str, name: str) -> str:
    return f"{key}.{name}" if key else name


def _empty(node: Node) -> bool:
    return (
        node.kind == NULL
        or (node.kind == STR and node.text == "")
        or (node.kind in (MAP, SEQ) and not node.value)
    )


def _key_node(node: Node, name: str) -> Node:
    line, column = node.key_lines.get(name, (node.line, node.column))
    return Node(STR, name, line, column, text=name)


def _kind(node: Node) -> str:
    return {
        MAP: "a section of keys",
        SEQ: "a list",
        NULL: "empty",
        BOOL: "true/false",
        INT: "a number",
        FLOAT: "a number",
        STR: "text",
    }[node.kind]


def _close(name: str, known: dict[str, Key]) -> str | None:
    import difflib

    lowered = {k.lower(): k for k in known}
    if name.lower() in lowered:
        return lowered[name.lower()]
    matches = difflib.get_close_matches(name, list(known), n=1, cutoff=0.8)
    return matches[0] if matches else None


# ------------------------------------------------------------------------ entry points


def validate_text(text: str | bytes) -> Checked:
    """Check the text of one publiccode.yml file."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            return Checked(
                None,
                [
                    Finding(
                        None, "", ERROR, "encoding", f"the file is not UTF-8 text ({exc.reason})"
                    )
                ],
            )
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        document = load(text)
    except YamlError as exc:
        return Checked(None, [Finding(exc.line, "", ERROR, "yaml-syntax", exc.message, exc.column)])
    if document is None or (document.kind == MAP and not document.value):
        return Checked(
            None, [Finding(None, "publiccodeYmlVersion", ERROR, "required", "the file is empty")]
        )
    if document.kind != MAP:
        return Checked(
            None,
            [
                Finding(
                    document.line,
                    "",
                    ERROR,
                    "type",
                    f"a publiccode.yml file is a section of keys, not {_kind(document)}",
                )
            ],
        )
    walker = _Walker()
    version = _version(walker, document)
    if version is None:
        return Checked(document, walker.findings)
    walker.mapping(PUBLICCODE, document, "")
    _cross_rules(walker, document, version)
    return Checked(document, sorted(walker.findings, key=_order), version)


def _order(finding: Finding) -> tuple[int, str]:
    return (finding.line or 0, finding.key)


def _version(walker: _Walker, document: Node) -> str | None:
    node = document.get("publiccodeYmlVersion")
    key = "publiccodeYmlVersion"
    if node is None or node.kind == NULL:
        walker.error(key, "required", 'is required (e.g. publiccodeYmlVersion: "0")', document)
        return None
    if node.kind in (INT, FLOAT, BOOL) or not node.is_scalar:
        if node.is_scalar:
            message = (
                f"must be text: unquoted, YAML reads {node.text} as a number; write "
                f'publiccodeYmlVersion: "{node.text}"'
            )
        else:
            message = f'must be text, not {_kind(node)}; write publiccodeYmlVersion: "0"'
        walker.error(key, "type", message, node)
        return None
    version = node.text
    if version not in standard.SUPPORTED_VERSIONS:
        walker.error(
            key,
            "version",
            f"unsupported version {version!r}; supported: {', '.join(standard.SUPPORTED_VERSIONS)}",
            node,
        )
        return None
    if version != "0" and not version.startswith("0.7"):
        walker.warning(
            key,
            "version",
            f"{version} is not the latest version ({standard.LATEST}); the file is read by "
            'the 0.7 rules. Write publiccodeYmlVersion: "0" (the latest 0.x)',
            node,
        )
    return version


def _numeric(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split(".")) if version != "0" else (0, 999)


def _cross_rules(walker: _Walker, document: Node, version: str) -> None:
    """Rules that tie keys together (the reference's required_if / excluded_unless and its
    additional checks)."""
    for name, since in standard.ADDED_IN.items():
        if name in document.value and _numeric(version) < _numeric(since):
            walker.warning(
                name,
                "version",
                f"was added in version {since}; the file declares {version}",
                _key_node(document, name),
            )
    _legal(walker, document)
    _maintenance(walker, document)
    _countries(walker, document)
    _italian(walker, document)


def _legal(walker: _Walker, document: Node) -> None:
    legal = document.get("legal")
    licence = legal.get("license") if legal is not None else None
    if licence is None or not licence.is_scalar or licence.kind == NULL:
        return
    _normalised, problem, deprecated = standard.spdx_expression(licence.text)
    if problem:
        walker.error(
            "legal.license",
            "spdx",
            f"{problem}; write an SPDX licence id or expression (see https://spdx.org/licenses/)",
            licence,
        )
    for old in deprecated:
        walker.warning(
            "legal.license", "spdx-deprecated", f"{old} is a deprecated SPDX licence id", licence
        )


def _maintenance(walker: _Walker, document: Node) -> None:
    maintenance = document.get("maintenance")
    if maintenance is None or maintenance.kind != MAP:
        return
    kind = maintenance.get("type")
    kind_text = kind.text if kind is not None and kind.is_scalar else None
    contractors = maintenance.get("contractors")
    contacts = maintenance.get("contacts")
    key = "maintenance"
    if kind_text == "contract" and (contractors is None or _empty(contractors)):
        walker.error(
            f"{key}.contractors",
            "required-if",
            'is required when "type" is "contract": list who is contracted to maintain it',
            maintenance,
        )
    if kind_text in ("internal", "community") and (contacts is None or _empty(contacts)):
        walker.error(
            f"{key}.contacts",
            "required-if",
            f'is required when "type" is "{kind_text}": name at least one person who maintains it',
            maintenance,
        )


def _countries(walker: _Walker, document: Node) -> None:
    audience = document.get("intendedAudience")
    if audience is None or audience.kind != MAP:
        return
    for name in ("countries", "unsupportedCountries"):
        listed = audience.get(name)
        if listed is None or listed.kind != SEQ:
            continue
        for index, item in enumerate(listed.value):
            if item.is_scalar and standard.is_country(item.text) and item.text.islower():
                walker.warning(
                    f"intendedAudience.{name}[{index}]",
                    "lowercase-country",
                    f"lowercase country codes are deprecated; write {item.text.upper()!r}",
                    item,
                )


def _italian(walker: _Walker, document: Node) -> None:
    if "IT" in document.value and "it" in document.value:
        walker.error(
            "it",
            "duplicate-section",
            "the 'IT' section is already present; remove 'it'",
            _key_node(document, "it"),
        )
    section = document.get("IT") or document.get("it")
    if section is None or section.kind != MAP:
        return
    prefix = "IT" if "IT" in document.value else "it"
    riuso = section.get("riuso")
    code = riuso.get("codiceIPA") if riuso is not None else None
    if code is not None and code.is_scalar and code.kind != NULL and not _ipa_code(code.text):
        walker.warning(
            f"{prefix}.riuso.codiceIPA",
            "deprecated",
            "is deprecated and will be removed; write organisation.uri: "
            f"'urn:x-italian-pa:{code.text}'",
            code,
        )
