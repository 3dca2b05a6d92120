"""Terms and IRIs of the feed."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from publisher.uris import UriScheme

AS = "https://www.w3.org/ns/activitystreams#"
LDES = "https://w3id.org/ldes#"
TREE = "https://w3id.org/tree#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XSD = "http://www.w3.org/2001/XMLSchema#"
DCT = "http://purl.org/dc/terms/"
DCAT = "http://www.w3.org/ns/dcat#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
# The shape every DCAT-AP Feed member follows (SEMICeu/LDES-DCAT-AP-feeds, shape.ttl).
ACTIVITY_SHAPE = "https://semiceu.github.io/LDES-DCAT-AP-feeds/shape.ttl#ActivityShape"
DCAT_AP_FEEDS = "https://semiceu.github.io/LDES-DCAT-AP-feeds/index.html"
LDES_SPEC = "https://w3id.org/ldes/specification"

PREFIXES = {
    "as": AS,
    "ldes": LDES,
    "tree": TREE,
    "dct": DCT,
    "dcat": DCAT,
    "xsd": XSD,
    "rdfs": RDFS,
}

CREATE, UPDATE, DELETE = "Create", "Update", "Delete"
ACTIVITY_TYPES = (CREATE, UPDATE, DELETE)


def n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def type_(local: str) -> ox.NamedNode:
    return ox.NamedNode(AS + local)


def date_time(value: str) -> ox.Literal:
    return ox.Literal(value, datatype=ox.NamedNode(XSD + "dateTime"))


RDF_TYPE = n(RDF + "type")


@dataclass(frozen=True)
class FeedIris:
    """Where the feed lives: ``/feed`` is the root node (the view), ``/feed#stream`` the
    event stream, ``/feed/{n}`` the pages, ``/feed/{n}#{digest}`` the activities."""

    uris: UriScheme

    @property
    def root(self) -> str:
        return str(self.uris.page("feed"))

    @property
    def stream(self) -> str:
        return f"{self.root}#stream"

    @property
    def retention(self) -> str:
        return f"{self.root}#retention"

    def page(self, number: int) -> str:
        return f"{self.root}/{number}"

    def activity(self, page: int, digest: str) -> str:
        return f"{self.page(page)}#{digest}"

    def relation(self, node: str, kind: str, target: int) -> str:
        # Relations are named (not blank) so that a page's bytes are the same every time.
        return f"{node}#to-{target}-{kind}"
