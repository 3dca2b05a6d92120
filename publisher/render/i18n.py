"""Message keys for callers not yet converted to gettext messages: the SPARQL query page
asks the site for its shared words by key ("site", "home", "language") through
``Host.translate``. Each key names its English message in the catalogues of
`publisher.i18n`; new code marks the English message itself (``_("Search")``)."""

from __future__ import annotations

from publisher.i18n import N_
from publisher.i18n import translate as translate_message

KEYS: dict[str, str] = {
    "site": N_("Avoin kunta"),
    "home": N_("Home"),
    "language": N_("Language"),
    "search": N_("Search"),
    "vocabulary": N_("Vocabulary"),
    "sparql": N_("SPARQL"),
    "catalog": N_("DCAT catalogue"),
    "dumps": N_("Downloads"),
}


def translate(key: str, lang: str) -> str:
    return translate_lang(key, lang)[0]


def translate_lang(key: str, lang: str) -> tuple[str, str]:
    """The message of `key` in `lang`, or in English: (text, its language); an unknown key
    is itself."""
    if key not in KEYS:
        return key, "en"
    found = translate_message(KEYS[key], lang)
    return found.text, found.lang
