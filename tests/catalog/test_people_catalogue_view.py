"""The people's HTML view of the catalogue pages reads the page's Turtle with pyoxigraph
(publisher.render.turtlegraph), not rdflib's parser: the same reads give the same terms
in the same order, and the page is the one rdflib's graph gives, byte for byte."""

from __future__ import annotations

import shutil

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF

from publisher.http.caching import PublicationCache
from publisher.namespaces import DCAT, HYDRA
from publisher.render.turtlegraph import TurtleGraph
from publisher.views import catalog

TURTLE = b"""@prefix dct: <http://purl.org/dc/terms/> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix ex: <http://example.org/ns/> .
<http://example.org/a> a dcat:Dataset , ex:Thing , <http://other.example/Kind> ;
  dct:title "B"@fi , "A"@en , "plain" , "C"@sv ;
  dct:modified "2026-12-01T21:34:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime> ;
  dcat:byteSize "0042"^^<http://www.w3.org/2001/XMLSchema#nonNegativeInteger> , 0 ;
  dcat:contactPoint _:c2 , _:c1 ;
  dcat:distribution <http://example.org/d2> , <http://example.org/d1> .
_:c2 dct:title "second" .
_:c1 dct:title "first" .
<http://example.org/b> a dcat:Dataset .
"""


def _reads(graph, subject: URIRef) -> list:
    out: list = []
    for p in (RDF.type, DCTERMS.title, DCTERMS.modified, DCAT.byteSize, DCAT.distribution):
        terms = list(graph.objects(subject, p))
        out.append([(type(t).__name__, str(t), getattr(t, "language", None)) for t in terms])
        out.append([getattr(t, "datatype", None) for t in terms])
        out.append([bool(t) for t in terms])
        out.append(repr(graph.value(subject, p)))
    contacts = list(graph.objects(subject, DCAT.contactPoint))
    out.append([str(graph.value(c, DCTERMS.title)) for c in contacts])
    out.append([str(s) for s in graph.subjects(RDF.type, DCAT.Dataset)])
    out.append(
        [graph.namespace_manager.normalizeUri(str(t)) for t in graph.objects(subject, RDF.type)]
    )
    return out


def test_reads_give_rdflib_parser_terms_in_its_order() -> None:
    subject = URIRef("http://example.org/a")
    assert _reads(TurtleGraph(TURTLE), subject) == _reads(
        Graph().parse(data=TURTLE, format="turtle"), subject
    )


def test_prefixes_not_at_the_top_are_read_too() -> None:
    late = TURTLE + b"@prefix kind: <http://other.example/> .\n"
    graph = TurtleGraph(late)
    reference = Graph().parse(data=late, format="turtle")
    iri = "http://other.example/Kind"
    assert graph.namespace_manager.normalizeUri(iri) == "kind:Kind"
    assert reference.namespace_manager.normalizeUri(iri) == "kind:Kind"


def test_unknown_terms_have_nothing() -> None:
    graph = TurtleGraph(TURTLE)
    assert list(graph.objects(URIRef("http://example.org/none"), DCTERMS.title)) == []
    assert graph.value(URIRef("http://example.org/b"), HYDRA.next) is None
    assert list(graph.subjects(RDF.type, URIRef("http://example.org/Nothing"))) == []


def test_written_by_pyoxigraph_reads_back_the_same() -> None:
    triples = list(ox.parse(TURTLE, format=ox.RdfFormat.TURTLE))
    written = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes={"dct": str(DCTERMS)})
    subject = URIRef("http://example.org/a")
    assert _reads(TurtleGraph(written), subject) == _reads(
        Graph().parse(data=written, format="turtle"), subject
    )
    # given the triples it was written from, it reads the same without reading it again
    kept = TurtleGraph(written, (triples, {"dct": str(DCTERMS)}))
    assert _reads(kept, subject) == _reads(TurtleGraph(written), subject)


@pytest.mark.parametrize("path", ["/catalog", "/catalog/adms", "/catalog/adms?page=2&page_size=1"])
@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_people_page_is_the_one_rdflib_gives(sample_client, monkeypatch, path, lang) -> None:
    """Whether the page's Turtle is written by this request (its triples are read as they
    were written) or was kept (it is read back), the page is the one made from rdflib's
    reading of the Turtle."""
    headers = {"Accept": "text/html", "Accept-Language": lang}
    publication = sample_client.application.extensions["avoinkunta"].publication()
    served = []
    for kept in (False, True):
        if not kept:  # the Turtle page made anew
            catalog._PAGES._memory._data.clear()
            shutil.rmtree(
                publication.path / PublicationCache.FOLDER / "catalog", ignore_errors=True
            )
        catalog._PEOPLE._data.clear()
        served.append(sample_client.get(path, headers=headers))
        assert served[-1].status_code == 200
        assert b"<article" in served[-1].get_data()
    # the page as it was made before: the Turtle read by rdflib's own parser
    monkeypatch.setattr(catalog, "TurtleGraph", lambda body, written=None: Graph().parse(data=body))
    catalog._PEOPLE._data.clear()
    reference = sample_client.get(path, headers=headers)
    catalog._PEOPLE._data.clear()
    for page in served:
        assert page.get_data() == reference.get_data()
        assert page.headers["ETag"] == reference.headers["ETag"]
