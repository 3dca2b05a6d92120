"""A small LDES client written from the LDES 1.0 specification (consumer side) and the
DCAT-AP Feeds specification, for the tests. It knows nothing of our code.

* Initialisation: dereference the IRI; if ``?s tree:view <>`` matches once, ``<>`` is the
  root node and ``?s`` the stream; otherwise ``I tree:view ?o`` names the root to fetch.
* Context information from the root: ``ldes:timestampPath``, ``ldes:versionOfPath``,
  the retention policy (on the root or its ``tree:viewDescription``).
* Unordered traversal: members are ``<ES> tree:member ?m``; a member's quads are its named
  graph plus the default-graph triples about it; relations ``<> tree:relation ?r .
  ?r tree:node ?n`` are followed.
* State: emitted members (each emitted once), immutable nodes (``ldes:immutable true`` or
  ``Cache-Control: immutable``: never fetched again), ETags of mutable nodes
  (``If-None-Match``; 304 means no new members), 410 = a node with nothing.

``Replica`` is the consumer: it upserts a Create/Update's named graph as the entity's
graph and turns a Delete into the tombstone its graph describes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pyoxigraph as ox

TREE = "https://w3id.org/tree#"
LDES = "https://w3id.org/ldes#"
AS = "https://www.w3.org/ns/activitystreams#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
FORMATS = {
    "application/trig": ox.RdfFormat.TRIG,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
}
ACCEPT = "application/trig, application/n-quads;q=0.9, application/ld+json;q=0.8"

# fetch(url, request headers) -> (status, response headers, body, final url)
Fetch = Callable[[str, dict[str, str]], tuple[int, dict[str, str], bytes, str]]


@dataclass
class Member:
    iri: str
    quads: list[ox.Quad]

    def value(self, predicate: str) -> str | None:
        for quad in self.quads:
            if quad.subject == ox.NamedNode(self.iri) and quad.predicate.value == predicate:
                return quad.object.value
        return None

    @property
    def types(self) -> set[str]:
        return {
            q.object.value
            for q in self.quads
            if q.subject == ox.NamedNode(self.iri)
            and q.predicate == RDF_TYPE
            and isinstance(q.graph_name, ox.DefaultGraph)
        }

    def payload(self) -> list[ox.Triple]:
        graph = ox.NamedNode(self.iri)
        return [
            ox.Triple(q.subject, q.predicate, q.object) for q in self.quads if q.graph_name == graph
        ]


@dataclass
class ClientState:
    stream: str | None = None
    root: str | None = None
    timestamp_path: str | None = None
    version_of_path: str | None = None
    retention: list[tuple[str, str]] = field(default_factory=list)
    emitted: set[str] = field(default_factory=set)
    immutable: set[str] = field(default_factory=set)
    etags: dict[str, str] = field(default_factory=dict)
    relations: dict[str, list[str]] = field(default_factory=dict)  # of mutable nodes
    fetched: list[str] = field(default_factory=list)  # of the last run, in order


class LdesClient:
    def __init__(self, fetch: Fetch, state: ClientState | None = None) -> None:
        self.fetch = fetch
        self.state = state or ClientState()

    def run(self, iri: str) -> list[Member]:
        """One synchronisation run: the members not emitted before, in the order found."""
        self.state.fetched = []
        if self.state.root is None:
            self._initialise(iri)
        assert self.state.root is not None
        emitted: list[Member] = []
        todo = [self.state.root]
        seen: set[str] = set()
        while todo:
            node = todo.pop(0)
            if node in seen or node in self.state.immutable:
                continue
            seen.add(node)
            result = self._get(node)
            if result is None:
                # 304: nothing new here, but its relations (remembered) still lead on;
                # 410: a node with no members and no relations.
                todo += self.state.relations.get(node, []) if node in self.state.etags else []
                continue
            quads, headers, base = result
            if self._is_immutable(quads, headers, base):
                self.state.immutable.add(node)
            emitted += self._members(quads)
            relations = self._relations(quads, base)
            self.state.relations[node] = relations
            todo += relations
        return emitted

    def _initialise(self, iri: str) -> None:
        result = self._get(iri, conditional=False)
        assert result is not None, "the entry point must answer"
        quads, _headers, base = result
        views = [q for q in quads if q.predicate.value == TREE + "view" and q.object.value == base]
        if len(views) == 1:
            self.state.stream, self.state.root = views[0].subject.value, base
        else:
            own = [
                q for q in quads if q.predicate.value == TREE + "view" and q.subject.value == iri
            ]
            if len(own) != 1:
                raise ValueError(f"{iri}: no single tree:view")
            self.state.stream, self.state.root = iri, own[0].object.value
            result = self._get(self.state.root, conditional=False)
            assert result is not None
            quads, _headers, base = result
        stream = ox.NamedNode(self.state.stream)
        for quad in quads:
            if quad.subject == stream and quad.predicate.value == LDES + "timestampPath":
                self.state.timestamp_path = quad.object.value
            if quad.subject == stream and quad.predicate.value == LDES + "versionOfPath":
                self.state.version_of_path = quad.object.value
        policies = [
            q.object
            for q in quads
            if q.predicate.value == LDES + "retentionPolicy"
            and q.subject.value in {base, *self._view_descriptions(quads, base)}
        ]
        for policy in policies:
            self.state.retention += [
                (q.predicate.value, q.object.value) for q in quads if q.subject == policy
            ]
        # the root is fetched again by the run itself (conditionally, with its ETag)
        self.state.etags.pop(self.state.root, None)

    @staticmethod
    def _view_descriptions(quads: list[ox.Quad], base: str) -> set[str]:
        return {
            q.object.value
            for q in quads
            if q.subject.value == base and q.predicate.value == TREE + "viewDescription"
        }

    def _get(
        self, url: str, conditional: bool = True
    ) -> tuple[list[ox.Quad], dict[str, str], str] | None:
        headers = {"Accept": ACCEPT}
        if conditional and url in self.state.etags:
            headers["If-None-Match"] = self.state.etags[url]
        status, response_headers, body, final = self.fetch(url, headers)
        self.state.fetched.append(url)
        if status == 410:
            self.state.etags.pop(url, None)
            return None
        if status == 304:
            return None
        if status != 200:
            raise RuntimeError(f"GET {url}: {status}")
        media_type = response_headers.get("Content-Type", "").split(";")[0].strip()
        quads = list(ox.parse(body, format=FORMATS[media_type], base_iri=final))
        if "ETag" in response_headers:
            self.state.etags[url] = response_headers["ETag"]
        return quads, response_headers, final

    @staticmethod
    def _is_immutable(quads: list[ox.Quad], headers: dict[str, str], base: str) -> bool:
        if any(
            q.subject.value == base
            and q.predicate.value == LDES + "immutable"
            and q.object.value == "true"
            for q in quads
        ):
            return True
        return "immutable" in headers.get("Cache-Control", "")

    def _members(self, quads: list[ox.Quad]) -> list[Member]:
        assert self.state.stream is not None
        stream = ox.NamedNode(self.state.stream)
        iris = [
            q.object.value
            for q in quads
            if q.subject == stream and q.predicate.value == TREE + "member"
        ]
        found = []
        for iri in iris:
            if iri in self.state.emitted:
                continue
            node = ox.NamedNode(iri)
            own = [
                q
                for q in quads
                if q.graph_name == node
                or (q.subject == node and isinstance(q.graph_name, ox.DefaultGraph))
            ]
            self.state.emitted.add(iri)
            found.append(Member(iri, own))
        return found

    @staticmethod
    def _relations(quads: list[ox.Quad], base: str) -> list[str]:
        relations = {
            q.object
            for q in quads
            if q.subject.value == base and q.predicate.value == TREE + "relation"
        }
        nodes = [
            q.object.value
            for q in quads
            if q.subject in relations and q.predicate.value == TREE + "node"
        ]
        return sorted(set(nodes))


class Replica:
    """The consumer: the state the members describe, in a pyoxigraph store (one named graph
    per entity) plus the tombstones."""

    def __init__(self) -> None:
        self.store = ox.Store()
        self.tombstones: dict[str, set[tuple[str, str]]] = {}
        self.last: dict[str, str] = {}  # entity → published of the activity applied

    def apply(self, members: list[Member], timestamp_path: str, version_of_path: str) -> None:
        # Apply in the order of the timestamps (an unordered client sorts before committing).
        def key(member: Member) -> str:
            return member.value(timestamp_path) or ""

        for member in sorted(members, key=key):
            entity = member.value(version_of_path)
            assert entity, f"{member.iri} has no {version_of_path}"
            published = key(member)
            if self.last.get(entity, "") > published:
                continue  # an older version than what we have
            self.last[entity] = published
            graph = ox.NamedNode(entity)
            self.store.remove_graph(graph) if self.store.contains_named_graph(graph) else None
            if AS + "Delete" in member.types:
                self.tombstones[entity] = {
                    (t.predicate.value, t.object.value) for t in member.payload()
                }
                continue
            self.tombstones.pop(entity, None)
            for triple in member.payload():
                self.store.add(ox.Quad(triple.subject, triple.predicate, triple.object, graph))

    def entities(self) -> set[str]:
        return {g.value for g in self.store.named_graphs()}

    def description(self, entity: str) -> list[ox.Triple]:
        graph = ox.NamedNode(entity)
        return [
            ox.Triple(q.subject, q.predicate, q.object)
            for q in self.store.quads_for_pattern(None, None, None, graph)
        ]
