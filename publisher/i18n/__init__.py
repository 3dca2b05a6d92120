"""The site's own words in Finnish, Swedish and English: gettext catalogues.

Messages are English (the source language) in the code and templates, marked for
extraction (``_("Search")``, ``_n("%(num)d supplier", "%(num)d suppliers", n)``,
``_p("button", "Search")``, ``N_("By supplier")`` for a message named in a table);
``make messages`` extracts them into ``messages.pot`` and updates
``locale/{fi,sv,en}/LC_MESSAGES/messages.po``, where translators work. Plural forms follow
each catalogue's ``Plural-Forms`` header (Finnish "1 toimittaja", "31 toimittajaa").

A message without a translation in the page language is shown in English and says so:
`Text.lang` is the language the text is actually in, so a page can mark it with its own
``lang`` attribute (``_h`` in the templates). Nothing here imports Flask: the SPARQL
endpoint gets `translate` through its ``init_app``.
"""

from __future__ import annotations

import gettext as _gettext
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"
SOURCE_LANGUAGE = "en"
LANGUAGES: tuple[str, ...] = ("fi", "sv", "en")


def N_(message: str) -> str:
    """Mark a message for extraction where it is named (a table), not yet translated."""
    return message


@dataclass(frozen=True)
class Text:
    text: str
    lang: str  # the language `text` is in (English where no translation was found)

    def __str__(self) -> str:
        return self.text


class Catalogues:
    """The compiled catalogues of one locale folder, read once per process."""

    def __init__(self, locale_dir: Path = LOCALE_DIR, languages: Sequence[str] = LANGUAGES):
        self.locale_dir = locale_dir
        self.languages = tuple(languages)
        self._lock = threading.Lock()
        self._catalogues: dict[str, tuple[Catalog, Callable[[int], int]]] = {}

    def catalogue(self, lang: str) -> tuple[Catalog, Callable[[int], int]]:
        with self._lock:
            if lang not in self._catalogues:
                path = self.locale_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
                with path.open("rb") as handle:
                    catalogue = read_po(handle, locale=lang, domain=DOMAIN)
                self._catalogues[lang] = (catalogue, _gettext.c2py(catalogue.plural_expr))
            return self._catalogues[lang]

    def _lookup(
        self, lang: str, msgid: str | tuple[str, str], context: str | None
    ) -> tuple[tuple[str, ...], Callable[[int], int]] | None:
        if lang not in self.languages:
            return None
        catalogue, plural = self.catalogue(lang)
        message = catalogue.get(msgid, context=context)
        if message is None or message.fuzzy:
            return None
        raw = message.string
        found = tuple(raw) if isinstance(raw, tuple | list) else (raw,)
        strings = tuple(s for s in found if isinstance(s, str) and s)
        return (strings, plural) if len(strings) == len(found) else None

    def text(self, lang: str, msgid: str, context: str | None = None) -> Text:
        """`msgid` in `lang`, or in English (the msgid itself) when not translated."""
        found = self._lookup(lang, msgid, context) if lang != SOURCE_LANGUAGE else None
        if found is None:
            return Text(msgid, SOURCE_LANGUAGE)
        return Text(found[0][0], lang)

    def plural(
        self, lang: str, singular: str, plural: str, n: int, context: str | None = None
    ) -> Text:
        """The form for `n` by `lang`'s plural rule, with ``%(num)d`` filled in."""
        found = self._lookup(lang, (singular, plural), context) if lang != SOURCE_LANGUAGE else None
        if found is None:
            text, used = (singular if n == 1 else plural), SOURCE_LANGUAGE
        else:
            strings, rule = found
            text, used = strings[min(rule(n), len(strings) - 1)], lang
        return Text(text % {"num": n} if "%(num)" in text else text, used)

    def missing(self, lang: str) -> list[str]:
        """Messages of the template without a translation in `lang` (for the tests)."""
        catalogue, _ = self.catalogue(lang)

        def strings(m: Any) -> tuple[str, ...]:
            return m.string if isinstance(m.string, tuple) else (m.string,)

        return sorted(str(m.id) for m in catalogue if m.id and (m.fuzzy or not all(strings(m))))


CATALOGUES = Catalogues()


def translate(msgid: str, lang: str, context: str | None = None) -> Text:
    """`msgid` in `lang` (see `Catalogues.text`)."""
    return CATALOGUES.text(lang, msgid, context)


def gettext(msgid: str, lang: str) -> str:
    return CATALOGUES.text(lang, msgid).text


def ngettext(singular: str, plural: str, n: int, lang: str) -> Text:
    return CATALOGUES.plural(lang, singular, plural, n)


__all__ = [
    "CATALOGUES",
    "LANGUAGES",
    "N_",
    "Catalogues",
    "Text",
    "gettext",
    "ngettext",
    "translate",
]
