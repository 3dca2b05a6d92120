"""Text analysis shared by the index (build time) and the queries (request time).

A text becomes *terms*: for each word, its folded surface form (lower case, accents
removed: ``Päätös`` → ``paatos``) and what the language's analyser makes of it —
Finnish base forms and compound parts from Voikko (``paikkatietoa`` → ``paikkatieto``,
``paikka``, ``tieto``), Swedish and English Snowball stems (``kartor`` → ``kart``,
``libraries`` → ``librari``). The same function analyses the words of a query, so a
query matches whatever form the text had. Language-neutral texts (names) get every
analyser.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata

import Stemmer  # PyStemmer: the Snowball stemmers

from publisher.search.voikko import open_voikko

LANGUAGES = ("fi", "sv", "en")
# A word: letters and digits; an apostrophe or a colon inside a word stays (Koha-Suomi
# Oy:n → "oy:n" is split by Voikko's own rules, not ours).
WORD = re.compile(r"\w+(?:[':]\w+)*", re.UNICODE)
MAX_WORD = 40  # longer "words" (hashes, URLs without spaces) are not analysed


def fold(text: str) -> str:
    """Case- and accent-insensitive form: ``Päätös`` and ``paatos`` fold alike."""
    if text.isascii():
        return text.lower()
    return _fold_words(text) if " " in text else _fold(text)


def _fold_words(text: str) -> str:
    return " ".join(_fold(w) if not w.isascii() else w.lower() for w in text.split(" "))


@lru_cache(maxsize=65536)
def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> Iterator[re.Match[str]]:
    """The words of a text, with their positions (for highlighting)."""
    return WORD.finditer(text)


def term_of(word: str) -> str:
    """The folded form of one word as a term; a colon or apostrophe becomes nothing
    (``Oy:n`` → ``oyn``)."""
    return fold(word).replace(":", "").replace("'", "")


def _snowball() -> str:
    try:
        return f"snowball (PyStemmer {metadata.version('PyStemmer')})"
    except metadata.PackageNotFoundError:  # pragma: no cover
        return "snowball"


@dataclass(frozen=True)
class AnalyserInfo:
    """Which analysers built an index: stored in it, and part of its inputs."""

    finnish: str
    swedish: str = f"{_snowball()} swedish"
    english: str = f"{_snowball()} english"

    def describe(self) -> str:
        return f"fi: {self.finnish}; sv: {self.swedish}; en: {self.english}"


class Analyser:
    """Turns words into terms, per language. One instance per process is enough."""

    def __init__(self, *, use_voikko: bool = True) -> None:
        self._voikko = open_voikko() if use_voikko else None
        self._stemmers = {
            "fi": Stemmer.Stemmer("finnish"),
            "sv": Stemmer.Stemmer("swedish"),
            "en": Stemmer.Stemmer("english"),
        }
        # PyStemmer objects are not safe for concurrent use from threads.
        self._stem_lock = threading.Lock()
        self.info = AnalyserInfo(
            finnish=self._voikko.version if self._voikko else f"{_snowball()} finnish (no Voikko)"
        )

    @property
    def has_voikko(self) -> bool:
        return self._voikko is not None

    def stem(self, lang: str, term: str) -> str:
        with self._stem_lock:
            return str(self._stemmers[lang].stemWord(term))

    def finnish(self, word: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(base forms, compound parts) of a Finnish word, folded."""
        if self._voikko is None:
            return (self.stem("fi", term_of(word)),), ()
        found = self._voikko.analyse(word)
        bases = tuple(dict.fromkeys(term_of(a.baseform) for a in found))
        parts = tuple(dict.fromkeys(term_of(p) for a in found for p in a.parts))
        return bases, parts

    def word_terms(self, word: str, lang: str | None) -> tuple[str, ...]:
        """The terms of one word of a text in ``lang`` (None: any of ours)."""
        surface = term_of(word)
        if not surface or len(surface) > MAX_WORD:
            return (surface,) if surface else ()
        found = [surface]
        for language in (lang,) if lang in LANGUAGES else LANGUAGES:
            if language == "fi":
                bases, parts = self.finnish(word)
                found += bases
                found += parts
            else:
                found.append(self.stem(language, surface))
        return tuple(dict.fromkeys(t for t in found if t))

    def text_terms(self, text: str, lang: str | None) -> list[str]:
        """Every term of a text, in order (a word's terms side by side)."""
        out: list[str] = []
        for match in words(text):
            out.extend(self.word_terms(match.group(), lang))
        return out


@dataclass(frozen=True)
class QueryWord:
    """One word of a query and the terms that count as a match for it."""

    text: str
    surface: str  # folded
    terms: tuple[str, ...]  # the surface, base forms and stems (any of them matches)
    parts: tuple[str, ...]  # Finnish compound parts (all of them together also match)


def query_words(analyser: Analyser, query: str) -> list[QueryWord]:
    """The words of a query, each with every form the index may hold it under: a query's
    language is not known (a Finnish word typed on the English page is common)."""
    out: list[QueryWord] = []
    for match in words(query):
        word = match.group()
        surface = term_of(word)
        if not surface:
            continue
        terms = [surface]
        parts: tuple[str, ...] = ()
        if len(surface) <= MAX_WORD:
            bases, parts = analyser.finnish(word)
            terms += bases
            terms += [analyser.stem("sv", surface), analyser.stem("en", surface)]
        out.append(QueryWord(word, surface, tuple(dict.fromkeys(t for t in terms if t)), parts))
    return out


def unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


@lru_cache(maxsize=1)
def default_analyser() -> Analyser:
    return Analyser()
