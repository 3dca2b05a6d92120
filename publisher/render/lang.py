"""Which language to show, and which of several language-tagged literals to pick.

Pages exist in Finnish, Swedish and English. Data texts fall back fi → en → any when the
chosen language has none (Swedish is only present where a source gives it).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from rdflib import Literal
from rdflib.term import Node
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

LANGUAGES: tuple[str, ...] = ("fi", "sv", "en")
# What ?lang= may be (a BCP 47 tag, loosely): anything else is refused with 400.
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$")
DEFAULT_LANGUAGE = "fi"
FALLBACK: tuple[str, ...] = ("fi", "en")


def choose_language(param: str | None, accept_language: str | None) -> str:
    """`?lang=` if it names one of ours, else the best of `Accept-Language`, else Finnish."""
    if param:
        wanted = param.strip().lower()[:2]
        if wanted in LANGUAGES:
            return wanted
    if accept_language:
        if len(accept_language) > KEPT_HEADER_LENGTH:
            return _accepted_language(accept_language)
        return _kept_accepted_language(accept_language)
    return DEFAULT_LANGUAGE


# Accept-Language headers longer than this are parsed every time rather than kept (a page
# asks for its language several times a request; browsers send a few short headers).
KEPT_HEADER_LENGTH = 512


def _accepted_language(accept_language: str) -> str:
    best = parse_accept_header(accept_language, LanguageAccept).best_match(LANGUAGES)
    return best or DEFAULT_LANGUAGE


_kept_accepted_language = functools.lru_cache(maxsize=256)(_accepted_language)


def preference(lang: str) -> tuple[str, ...]:
    """The order in which languages are tried for `lang`: it first, then fi, then en."""
    return tuple(dict.fromkeys((lang, *FALLBACK)))


def pick(literals: Iterable[Node], lang: str) -> Literal | None:
    """The literal best suited to `lang` (other terms are passed over); untagged literals
    (proper names) come after the preferred languages, then any other language.
    Deterministic for equal candidates."""
    candidates = sorted(
        (lit for lit in literals if isinstance(lit, Literal)), key=lambda lit: str(lit)
    )
    if not candidates:
        return None
    for wanted in preference(lang):
        for lit in candidates:
            if (lit.language or "").lower() == wanted:
                return lit
    for lit in candidates:
        if not lit.language:
            return lit
    return candidates[0]


def pick_all(literals: Iterable[Node], lang: str) -> list[Literal]:
    """All literals in the language `pick` would choose (e.g. every keyword in it)."""
    literals = list(literals)
    chosen = pick(literals, lang)
    if chosen is None:
        return []
    return sorted(
        (lit for lit in literals if isinstance(lit, Literal) and lit.language == chosen.language),
        key=str,
    )
