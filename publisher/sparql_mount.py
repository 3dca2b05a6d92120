"""Mount the SPARQL endpoint on the site: what the site hands to ``sparql_endpoint``.

The endpoint imports nothing from ``publisher``; everything it needs of the site comes in
here, through ``sparql_endpoint.Host``: the prefixes and graph names of our URI scheme, the
one content-negotiation function and the RDF formats of the one format table, the
language choice and the site's shared words.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask

import sparql_endpoint
from publisher import negotiation
from publisher.render import i18n, lang
from publisher.site import Site
from publisher.uris import KINDS, UriScheme

# Prefixes predeclared for every query, besides ak: and one per kind of thing.
STANDARD_PREFIXES = {
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


def sparql_prefixes(base_uri: str) -> dict[str, str]:
    """ak:, the standard vocabularies, and ``offering:`` = ``{base}id/offering/`` etc."""
    uris = UriScheme(base_uri)
    return {
        "ak": str(uris.vocab),
        **STANDARD_PREFIXES,
        **{kind: uris.thing_namespace(kind) for kind in KINDS},
    }


def sparql_host(base_uri: str) -> sparql_endpoint.Host:
    uris = UriScheme(base_uri)
    return sparql_endpoint.Host(
        base_uri=base_uri,
        negotiate=negotiation.negotiate,
        rdf_formats=negotiation.RDF_FORMATS,
        prefixes=sparql_prefixes(base_uri),
        graphs={name: str(uris.graph(name)) for name in ("vocabulary", "catalogue")},
        languages=lang.LANGUAGES,
        choose_language=lang.choose_language,
        language_preference=lang.preference,
        translate=i18n.translate,
        home="/",
    )


def mount_sparql(app: Flask, site: Site) -> None:
    """``/sparql`` over the site's current publication, with ``settings.sparql``."""
    sparql_endpoint.init_app(
        app,
        store_path=lambda: site.publication().store_path,
        host=sparql_host(site.settings.base_uri),
        settings=site.settings.sparql,
        state_dir=Path(site.settings.out_dir) / ".sparql",
    )
