"""Mount the SPARQL endpoint on the site: what the site hands to ``sparql_endpoint``.

The endpoint imports nothing from ``publisher``; everything it needs of the site comes in
here, through ``sparql_endpoint.Host``: the prefixes and graph names of our URI scheme, the
one content-negotiation function and the RDF formats of the one format table, the
language choice and the site's shared words.
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Blueprint, Flask, Response, current_app, jsonify
from werkzeug.exceptions import ServiceUnavailable

import sparql_endpoint
from publisher import negotiation
from publisher.publication import CURRENT
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


readiness = Blueprint("readiness", __name__)


@readiness.get("/readyz")
def readyz() -> Response:
    """Ready: a publication is open and the SPARQL workers can answer (``/healthz`` only
    says the process is alive). A load balancer sends traffic once this is 200."""
    site: Site = current_app.extensions["avoinkunta"]
    publication = site.publication()  # NotPublished: 503
    status = current_app.extensions["sparql_endpoint"].status()
    if not status["ready"]:
        # publication ids, not paths: no file path in a public answer
        loading = ", ".join(Path(p).parent.name for p in status["loading"]) or "nothing yet"
        raise ServiceUnavailable(
            f"The SPARQL workers are not ready yet (loading: {loading}).", retry_after=5
        )
    response = jsonify(
        ok=True,
        build_id=publication.build_id,
        sparql={
            "workers": status["workers"],
            "busy": status["busy"],
            "queued": status["queued"],
            "publication_loaded": status["serving_wanted"],
        },
    )
    response.headers["Cache-Control"] = "no-store"
    return response


class CurrentStore:
    """The current publication's store directory: one readlink per query, the
    publication itself read again only when the link changes."""

    def __init__(self, site: Site):
        self.site = site
        self.link = site.out_dir / CURRENT
        self._target: str | None = None
        self._path: Path | None = None

    def __call__(self) -> Path:
        target = os.readlink(self.link)  # OSError: nothing published (the endpoint: 503)
        if target != self._target or self._path is None:
            self._path = self.site.publication().store_path
            self._target = target
        return self._path


def mount_sparql(app: Flask, site: Site) -> None:
    """``/sparql`` over the site's current publication, with ``settings.sparql``."""
    sparql_endpoint.init_app(
        app,
        store_path=CurrentStore(site),
        host=sparql_host(site.settings.base_uri),
        settings=site.settings.sparql,
    )
    app.register_blueprint(readiness)
