"""Checks of single fields, collecting problems instead of raising.

A :class:`Checker` reads the fields of one record (one file, one record label) and appends a
``Problem`` for each field that is missing, of the wrong type or malformed. The messages
are what a supplier reads: say what is wrong and what to write instead.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable, Mapping
from typing import Any

from publisher.problems import Problem
from publisher.sources.iri import is_web_iri
from publisher.sources.limits import shown

LANGUAGES = ("fi", "sv", "en")
_LANGUAGE_KEYS = {lang: lang for lang in LANGUAGES}  # one str object per code, not one a text
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
URL = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")

LangText = dict[str, str]


class Checker:
    """Reads fields of one record, collecting problems instead of raising."""

    def __init__(self, file: str, record: str, problems: list[Problem]) -> None:
        self.file = file
        self.record = record
        self.problems = problems

    def problem(self, field_: str, rule: str, message: str, line: int | None = None) -> None:
        self.problems.append(Problem(self.file, self.record, field_, rule, message, line))

    def mapping(
        self, value: Any, where: str, allowed: Iterable[str], line: int | None = None
    ) -> Mapping[str, Any]:
        if not isinstance(value, dict):
            self.problem(where, "type", f"must be a mapping of fields, not {kind_of(value)}", line)
            return {}
        allowed = set(allowed)
        for key in value:
            if key not in allowed:
                hint = ", ".join(sorted(allowed))
                self.problem(
                    join(where, str(key)),
                    "unknown-field",
                    f"unknown field {shown(key)}; the fields allowed here are: {hint}",
                    line_of(value, key),
                )
        return value

    def required(self, data: Mapping[str, Any], key: str, where: str) -> Any:
        if data.get(key) in (None, "", [], {}):
            self.problem(join(where, key), "required", "is required", getattr(data, "line", None))
            return None
        return data[key]

    def text(
        self, data: Mapping[str, Any], key: str, where: str, *, required: bool = False
    ) -> str | None:
        value = data.get(key)
        if value is None:
            if required:
                self.required(data, key, where)
            return None
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            self.problem(
                join(where, key), "type", f"must be text, not {kind_of(value)}", line_of(data, key)
            )
            return None
        return str(value).strip()

    def slug(self, data: Mapping[str, Any], key: str, where: str) -> str | None:
        value = self.text(data, key, where, required=True)
        if value is not None and not SLUG.match(value):
            self.problem(
                join(where, key),
                "id-format",
                f"{shown(value)} is not a valid id: use lowercase letters a-z, digits and single "
                "hyphens (e.g. 'city-of-helsinki')",
                line_of(data, key),
            )
            return None
        return value

    def url(
        self, data: Mapping[str, Any], key: str, where: str, *, required: bool = False
    ) -> str | None:
        value = self.text(data, key, where, required=required)
        if value is not None and not (URL.match(value) and is_web_iri(value)):
            self.problem(
                join(where, key),
                "url",
                f"{shown(value)} is not a web address (http:// or https://)",
                line_of(data, key),
            )
            return None
        return value

    def urls(
        self, data: Mapping[str, Any], key: str, where: str, *, required: bool = False
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
                join(where, key),
                "type",
                f"must be a list of web addresses, not {kind_of(value)}",
                line_of(data, key),
            )
            return ()
        result = []
        for index, item in enumerate(value):
            holder = holding(str(index), item, line_of(data, key))
            checked = self.url(holder, str(index), join(where, key))
            if checked:
                result.append(checked)
        if required and not result:
            self.required({}, key, where)
        return tuple(result)

    def lang_text(
        self, data: Mapping[str, Any], key: str, where: str, *, required: tuple[str, ...] = ()
    ) -> LangText:
        value = data.get(key)
        path = join(where, key)
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
                f"must be texts by language, e.g. {{fi: …, en: …}}, not {kind_of(value)}",
                line_of(data, key),
            )
            return {}
        texts: LangText = {}
        for lang, text in value.items():
            if lang not in LANGUAGES:
                self.problem(
                    join(path, str(lang)),
                    "language",
                    f"unknown language {shown(lang)}: use fi, sv or en",
                    line_of(value, lang),
                )
            elif not isinstance(text, str) or not text.strip():
                self.problem(
                    join(path, str(lang)), "type", "must be a non-empty text", line_of(value, lang)
                )
            else:
                texts[_LANGUAGE_KEYS[lang]] = " ".join(text.split())
        for lang in required:
            if lang not in texts and lang not in value:
                self.problem(
                    join(path, lang),
                    "required-language",
                    f"the {_LANG_NAMES[lang]} text ({lang}) is required",
                    getattr(value, "line", None),
                )
        return texts

    def choice(
        self,
        data: Mapping[str, Any],
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
                join(where, key),
                "choice",
                f"{shown(value)} is not one of: {', '.join(allowed)}",
                line_of(data, key),
            )
            return default
        return value

    def refs(
        self,
        data: Mapping[str, Any],
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
                    join(where, key),
                    "required",
                    f"is required: list at least one {what}",
                    getattr(data, "line", None),
                )
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(
                join(where, key), "type", f"must be a list of {what} ids", line_of(data, key)
            )
            return ()
        result = []
        for item in value:
            if item not in known:
                close = close_matches(item, known)
                self.problem(
                    join(where, key),
                    "unknown-reference",
                    f"unknown {what} {shown(item)}{close}",
                    line_of(data, key),
                )
            else:
                result.append(item)
        if required and not value:
            self.problem(
                join(where, key),
                "required",
                f"is required: list at least one {what}",
                line_of(data, key),
            )
        return tuple(result)

    def date(
        self, data: Mapping[str, Any], key: str, where: str, *, required: bool = False
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
                join(where, key),
                "date",
                f"{shown(value)} is not a date like 2014-09-16",
                line_of(data, key),
            )
            return None


_LANG_NAMES = {"fi": "Finnish", "sv": "Swedish", "en": "English"}


def _langs(langs: tuple[str, ...]) -> str:
    return " and ".join(f"{_LANG_NAMES[lang]} ({lang})" for lang in langs)


class _Holder(dict[str, Any]):
    lines: dict[str, int]


def holding(key: str, value: Any, line: int | None) -> dict[str, Any]:
    """``{key: value}`` that remembers ``line`` as the line of ``key`` (for list items)."""
    holder = _Holder({key: value})
    holder.lines = {key: line} if line else {}
    return holder


def join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def line_of(data: Any, key: Any) -> int | None:
    lines = getattr(data, "lines", None)
    return lines.get(str(key)) if lines else None


def kind_of(value: Any) -> str:
    for kind, name in _KIND_NAMES:
        if isinstance(value, kind):
            return name
    return type(value).__name__


_KIND_NAMES: tuple[tuple[type, str], ...] = (
    (dict, "a mapping"),
    (list, "a list"),
    (str, "text"),
    (bool, "true/false"),
    (type(None), "empty"),
)


def close_matches(value: str, known: Iterable[str]) -> str:
    if len(value) > 100:  # no id is that long, and comparing long texts is slow
        return ""
    matches = difflib.get_close_matches(value, sorted(known), n=3)
    return f"; did you mean {', '.join(repr(m) for m in matches)}?" if matches else ""
