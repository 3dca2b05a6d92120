"""Prefixes offered to query writers: our vocabulary, our things, and the usual suspects.

They are predeclared for every query (a query may still declare its own), written at
the top of the example queries, and used to abbreviate IRIs in Turtle and RDF/XML.
"""

from __future__ import annotations

from publisher.uris import KINDS, UriScheme

STANDARD = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "adms": "http://www.w3.org/ns/adms#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "org": "http://www.w3.org/ns/org#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "schema": "http://schema.org/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
}


def vocabulary_prefixes(base: str) -> dict[str, str]:
    """ak: and the standard vocabularies."""
    return {"ak": str(UriScheme(base).vocab), **STANDARD}


def all_prefixes(base: str) -> dict[str, str]:
    """Vocabulary prefixes plus one per kind of thing: ``offering:`` = ``{base}id/offering/``."""
    uris = UriScheme(base)
    return {**vocabulary_prefixes(base), **{kind: uris.thing_namespace(kind) for kind in KINDS}}


def graph_iris(base: str) -> tuple[str, str]:
    uris = UriScheme(base)
    return str(uris.graph("vocabulary")), str(uris.graph("catalogue"))


def prologue(prefixes: dict[str, str], body: str | None = None) -> str:
    """PREFIX lines; with a body, only those the body uses (by ``name:``)."""
    lines = []
    for name, iri in prefixes.items():
        if body is None or f"{name}:" in body:
            lines.append(f"PREFIX {name}: <{iri}>")
    return "\n".join(lines)
