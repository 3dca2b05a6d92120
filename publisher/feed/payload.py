"""An entity's own description as canonical N-Quads lines in a named graph.

The description is the entity's triples and the blank-node structures under it (parts,
prices, openness claims, contact points): exactly what the ledger hashes, so an Update
appears exactly when the ledger says the description changed. Blank nodes get labels from
their content (a hash of the structure under them, prefixed by the activity's digest), so
one description always gives the same lines and labels never clash across members.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import pyoxigraph as ox

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
# (subject, predicate, object) as pyoxigraph types them: a subject may be a triple term
# (RDF-star) there; our stores never hold one
Triple = tuple[ox.NamedNode | ox.BlankNode | ox.Triple, ox.NamedNode, Term]


def closure(store: ox.Store, subject: str, graph: str | None = None) -> list[Triple]:
    """The subject's triples and, recursively, those of the blank nodes it points to."""
    named = ox.NamedNode(graph) if graph else None
    found: list[Triple] = []
    todo: list[ox.NamedNode | ox.BlankNode] = [ox.NamedNode(subject)]
    seen: set[str] = set()
    while todo:
        node = todo.pop()
        if str(node) in seen:
            continue
        seen.add(str(node))
        for quad in store.quads_for_pattern(node, None, None, named):
            found.append((quad.subject, quad.predicate, quad.object))
            if isinstance(quad.object, ox.BlankNode):
                todo.append(quad.object)
    return found


def graph_closure(
    triples: Iterable[Triple], subject: str, *, follow: tuple[str, ...] = ()
) -> list[Triple]:
    """Like ``closure`` over a list of triples; IRIs starting with one of ``follow`` are
    followed too (the distributions of a dataset described in the same document)."""
    by_subject: dict[str, list[Triple]] = {}
    for triple in triples:
        by_subject.setdefault(str(triple[0]), []).append(triple)
    found: list[Triple] = []
    todo = [str(ox.NamedNode(subject))]
    seen: set[str] = set()
    while todo:
        key = todo.pop()
        if key in seen:
            continue
        seen.add(key)
        for triple in by_subject.get(key, []):
            found.append(triple)
            obj = triple[2]
            if isinstance(obj, ox.BlankNode) or (
                isinstance(obj, ox.NamedNode) and obj.value.startswith(follow) and follow
            ):
                todo.append(str(obj))
    return found


def canonical_lines(triples: Iterable[Triple], graph: str, prefix: str) -> list[str]:
    """N-Quads lines of the triples in ``graph``, blank nodes labelled from their content,
    sorted."""
    triples = list(triples)
    labels = _content_labels(triples, prefix)
    out = set()
    for s, p, o in triples:
        subject = f"_:{labels[str(s)]}" if isinstance(s, ox.BlankNode) else str(s)
        obj = f"_:{labels[str(o)]}" if isinstance(o, ox.BlankNode) else str(o)
        out.add(f"{subject} {p} {obj} <{graph}> .")
    return sorted(out)


def description_hash(triples: Iterable[Triple]) -> str:
    """A hash of the description that does not depend on blank-node labels."""
    lines = canonical_lines(triples, "urn:x-graph", "b")
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def _content_labels(triples: list[Triple], prefix: str) -> dict[str, str]:
    """blank node → a label from the hash of the structure under it."""
    outgoing: dict[str, list[Triple]] = {}
    for triple in triples:
        if isinstance(triple[0], ox.BlankNode):
            outgoing.setdefault(str(triple[0]), []).append(triple)
    memo: dict[str, str] = {}

    def signature(node: str, path: frozenset[str]) -> str:
        if node in memo:
            return memo[node]
        if node in path:  # a cycle of blank nodes: cut it
            return "cycle"
        parts = []
        for _s, p, o in outgoing.get(node, []):
            value = signature(str(o), path | {node}) if isinstance(o, ox.BlankNode) else str(o)
            parts.append(f"{p} {value}")
        digest = hashlib.sha256("\n".join(sorted(parts)).encode()).hexdigest()[:20]
        memo[node] = digest
        return digest

    nodes = {str(t[0]) for t in triples if isinstance(t[0], ox.BlankNode)} | {
        str(t[2]) for t in triples if isinstance(t[2], ox.BlankNode)
    }
    return {node: f"{prefix}{signature(node, frozenset())}" for node in sorted(nodes)}
