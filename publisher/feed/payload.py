"""An entity's own description as canonical N-Quads lines in a named graph.

The description is the entity's triples and the blank-node structures under it (parts,
prices, openness claims, contact points): exactly what the ledger hashes, so an Update
appears exactly when the ledger says the description changed. Blank nodes get labels from
their content (a hash of the structure under them, prefixed by the activity's digest), so
one description always gives the same lines and labels never clash across members.

The work is done on the terms' N-Triples text (``TextTriple``), which is what the store's
terms print as and what the N-Quads dump holds: a first build reads the descriptions of
tens of thousands of entities straight from the dump's text (``DumpIndex``), at a fraction
of the cost of the store's Python objects; a few are read from the store.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
# (subject, predicate, object) as pyoxigraph types them: a subject may be a triple term
# (RDF-star) there; our stores never hold one
Triple = tuple[ox.NamedNode | ox.BlankNode | ox.Triple, ox.NamedNode, Term]
# (subject, predicate, object) as N-Triples text: "<iri>", "_:label", '"text"@fi', ...
TextTriple = tuple[str, str, str]
# A run of N-Quads lines with the same subject (group 1): the dump lists each subject's
# triples together, chunk by chunk.
_SUBJECT_RUN = re.compile(rb"([^ \n]+) [^\n]*\n(?:\1 [^\n]*\n)*")


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


def text_closure(store: ox.Store, subject: str, graph: str | None = None) -> list[str]:
    """``closure`` as N-Triples lines without the final " ." ("s p o")."""
    return [f"{s} {p} {o}" for s, p, o in closure(store, subject, graph)]


class DumpIndex:
    """Where each subject's lines are in an N-Quads file (the dump the store was made of:
    the same quads), to read descriptions as ``text_closure`` gives them from the store."""

    def __init__(self, path: Path, graph: str) -> None:
        self.data = Path(path).read_bytes()
        self.suffix = f" <{graph}> ."
        self.runs: dict[bytes, list[tuple[int, int]]] = {}
        runs = self.runs
        for match in _SUBJECT_RUN.finditer(self.data):
            runs.setdefault(match.group(1), []).append(match.span())

    def closure(self, subject: str) -> list[str]:
        """The subject's triples in the graph and, recursively, those of the blank nodes it
        points to (a subject's lines may be in several runs: several chunks)."""
        data, suffix, runs = self.data, self.suffix, self.runs
        cut = len(suffix)
        found: list[str] = []
        todo = [f"<{subject}>"]
        seen: set[str] = set()
        while todo:
            node = todo.pop()
            if node in seen:
                continue
            seen.add(node)
            skip = len(node) + 1
            for start, end in runs.get(node.encode(), ()):
                for line in data[start:end].decode().splitlines():
                    if not line.endswith(suffix):
                        continue  # another graph
                    end_of_object = len(line) - cut
                    space = line.find(" ", skip)  # after the predicate
                    # (not: a line of the default graph whose object ends like the graph)
                    if (
                        space < 0
                        or space + 1 >= end_of_object
                        or line.endswith("^^", 0, end_of_object)
                    ):
                        continue
                    found.append(line[:end_of_object])
                    if line.startswith("_:", space + 1):
                        todo.append(line[space + 1 : end_of_object])
        return found


def to_lines(triples: Iterable[Triple]) -> list[str]:
    return [f"{s} {p} {o}" for s, p, o in triples]


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
    return [f"{line} <{graph}> ." for line in canonical(to_lines(triples), prefix)]


def description_hash(triples: Iterable[Triple]) -> str:
    """A hash of the description that does not depend on blank-node labels."""
    return text_hash(canonical(to_lines(triples), "b"))


_HASH_GRAPH = " <urn:x-graph> ."


def text_hash(lines: list[str]) -> str:
    """``description_hash`` of the lines ``canonical(..., "b")`` gave."""
    # "\n".join(f"{line} <urn:x-graph> .") without a string per line
    text = (_HASH_GRAPH + "\n").join(lines) + _HASH_GRAPH if lines else ""
    return hashlib.sha256(text.encode()).hexdigest()


def canonical(lines: Iterable[str], prefix: str) -> list[str]:
    """The lines ("s p o") once each, blank nodes labelled from their content, sorted: the
    order of ``canonical_lines`` too (a graph's name at the end of every line changes no
    comparison, since no term continues with a space)."""
    plain: set[str] = set()
    blank: set[TextTriple] = set()
    for line in lines:
        if "_:" in line:  # perhaps a blank node, perhaps a literal's text
            s, p, o = line.split(" ", 2)
            if s[0] == "_" or o[0] == "_":
                blank.add((s, p, o))
                continue
        plain.add(line)
    if blank:
        labels = _content_labels(blank, prefix)
        for s, p, o in blank:
            plain.add(f"{labels[s] if s[0] == '_' else s} {p} {labels[o] if o[0] == '_' else o}")
    return sorted(plain)


def _content_labels(triples: Iterable[TextTriple], prefix: str) -> dict[str, str]:
    """blank node → "_:" and a label from the hash of the structure under it."""
    outgoing: dict[str, list[TextTriple]] = {}
    nodes: set[str] = set()
    # In one order (a set's differs between processes): it matters if blank nodes form a cycle.
    for triple in sorted(triples):
        if triple[0][0] == "_":
            outgoing.setdefault(triple[0], []).append(triple)
            nodes.add(triple[0])
        if triple[2][0] == "_":
            nodes.add(triple[2])
    memo: dict[str, str] = {}

    def signature(node: str, path: frozenset[str]) -> str:
        if node in memo:
            return memo[node]
        if node in path:  # a cycle of blank nodes: cut it
            return "cycle"
        parts = []
        for _s, p, o in outgoing.get(node, []):
            value = signature(o, path | {node}) if o[0] == "_" else o
            parts.append(f"{p} {value}")
        digest = hashlib.sha256("\n".join(sorted(parts)).encode()).hexdigest()[:20]
        memo[node] = digest
        return digest

    return {node: f"_:{prefix}{signature(node, frozenset())}" for node in sorted(nodes)}
