"""The query page's own words in Finnish, Swedish and English.

The site's shared words (home, language) come from the site (``Host.translate``).
Settings' help texts and the endpoint's error messages stay English, and are marked so.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

STRINGS: dict[str, dict[str, str]] = {
    "title": {
        "fi": "SPARQL-kyselypalvelu",
        "sv": "SPARQL-frågetjänst",
        "en": "SPARQL query service",
    },
    "intro": {
        "fi": "Avoin kunta -luettelon tiedot SPARQL 1.1 -kyselyinä.",
        "sv": "Uppgifterna i katalogen Avoin kunta, med SPARQL 1.1-frågor.",
        "en": "The Avoin kunta catalogue, queried with SPARQL 1.1.",
    },
    "service_description": {
        "fi": "Palvelun kuvaus (Turtle)",
        "sv": "Tjänstebeskrivning (Turtle)",
        "en": "Service description (Turtle)",
    },
    "query": {"fi": "Kysely", "sv": "Fråga", "en": "Query"},
    "run": {"fi": "Suorita", "sv": "Kör", "en": "Run"},
    "hint": {
        "fi": "Tulokset näkyvät alla. Sanastomme etuliitteet on määritelty valmiiksi.",
        "sv": "Resultaten visas nedan. Vokabulärens prefix är fördefinierade.",
        "en": "Results appear below. Prefixes of our vocabulary are predeclared.",
    },
    "keys": {
        "fi": "Ctrl-Enter suorittaa kyselyn.",
        "sv": "Ctrl-Enter kör frågan.",
        "en": "Ctrl-Enter runs the query.",
    },
    "results": {"fi": "Tulokset", "sv": "Resultat", "en": "Results"},
    "error_position": {
        "fi": "Virheen kohta kyselyssä",
        "sv": "Felets plats i frågan",
        "en": "Where the error is in the query",
    },
    "truncated": {
        "fi": "Tulos katkaistiin {n} riviin.",
        "sv": "Resultatet kortades till {n} rader.",
        "en": "The result was cut at {n} rows.",
    },
    "download": {"fi": "Lataa", "sv": "Ladda ner", "en": "Download"},
    "rows": {"fi": "riviä", "sv": "rader", "en": "rows"},
    "examples": {"fi": "Esimerkkikyselyt", "sv": "Exempelfrågor", "en": "Example queries"},
    "prefixes": {
        "fi": "Valmiiksi määritellyt etuliitteet",
        "sv": "Fördefinierade prefix",
        "en": "Predeclared prefixes",
    },
    "limits": {"fi": "Rajat", "sv": "Begränsningar", "en": "Limits"},
    "protocol": {
        "fi": "Kyselyn voi lähettää GET-pyynnöllä (query=), POST-lomakkeena tai "
        "POST-pyynnöllä, jonka Content-Type on application/sparql-query. Tulosmuoto "
        "valitaan Accept-otsakkeella tai format=-parametrilla: SPARQL JSON, XML, CSV, TSV; "
        "Turtle, N-Triples, JSON-LD, RDF/XML.",
        "sv": "Frågor kan skickas med GET (query=), som POST-formulär eller med POST och "
        "Content-Type: application/sparql-query. Resultatformatet väljs med Accept-huvudet "
        "eller parametern format=: SPARQL JSON, XML, CSV, TSV; Turtle, N-Triples, JSON-LD, "
        "RDF/XML.",
        "en": "Send queries by GET (query=), by POST as a form, or by POST with "
        "Content-Type: application/sparql-query. Results: SPARQL JSON, XML, CSV, TSV; "
        "Turtle, N-Triples, JSON-LD, RDF/XML, chosen by Accept or format=.",
    },
}


def translate(key: str, lang: str, site_translate: Callable[[str, str], str]) -> str:
    """The page's word for ``key`` in ``lang``; the site's words for keys it has not."""
    entry = STRINGS.get(key)
    if entry is None:
        return site_translate(key, lang)
    return entry.get(lang) or entry["en"]


def in_language(texts: Mapping[str, str], preference: Sequence[str]) -> tuple[str, str]:
    """(text, its language) from texts by language, such as an example's title: the first
    language of ``preference`` that has one, else any."""
    for wanted in preference:
        if texts.get(wanted):
            return texts[wanted], wanted
    for lang, text in sorted(texts.items()):
        if text:
            return text, lang
    return "", preference[0] if preference else "en"


__all__ = ["STRINGS", "in_language", "translate"]
