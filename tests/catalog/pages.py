"""Fetching every page of a catalogue by following hydra:next (test helper)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from rdflib import Graph, URIRef

from publisher.namespaces import HYDRA

EXTENSIONS = {"ttl": "turtle", "rdf": "xml", "jsonld": "json-ld", "nt": "nt"}


def next_page(graph: Graph) -> str | None:
    for view in graph.subjects(predicate=HYDRA.next):
        return str(graph.value(view, HYDRA.next))
    return None


def walk(
    get: Callable[[str], tuple[bytes, str]], first: str, limit: int = 100
) -> Iterator[tuple[str, Graph]]:
    """(url, graph) of each page from ``first``; ``get`` returns (body, media type)."""
    url: str | None = first
    seen: set[str] = set()
    while url is not None:
        assert url not in seen, f"hydra:next loops back to {url}"
        assert len(seen) < limit, "more pages than expected"
        seen.add(url)
        body, media_type = get(url)
        graph = Graph().parse(data=body, format=media_type)
        yield url, graph
        url = next_page(graph)


def view_of(graph: Graph) -> URIRef:
    views = list(graph.subjects(predicate=HYDRA.first))
    assert len(views) == 1, views
    return views[0]  # type: ignore[return-value]
