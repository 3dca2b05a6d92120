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
from typing import Any

import pyoxigraph as ox

from publisher.feed.activities import EntityState

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
# (subject, predicate, object) as pyoxigraph types them: a subject may be a triple term
# (RDF-star) there; our stores never hold one
Triple = tuple[ox.NamedNode | ox.BlankNode | ox.Triple, ox.NamedNode, Term]
# (subject, predicate, object) as N-Triples text: "<iri>", "_:label", '"text"@fi', ...
TextTriple = tuple[str, str, str]
# A run of N-Quads lines with the same subject (group 1): the dump lists each subject's
# triples together, chunk by chunk.
_SUBJECT_RUN = re.compile(rb"([^ \n]+) [^\n]*\n(?:\1 [^\n]*\n)*")
# A blank node as the object of an "s p o" line (no literal or IRI ends like that, and a
# literal holds no raw line end).
_BLANK_OBJECT = re.compile(r" (_:[^ \n]+)$", re.M)


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


def dump_index_of(context: Any) -> DumpIndex | None:
    """The ``DumpIndex`` of the catalogue graph in this build's N-Quads dump, made once per
    build for the artefacts that read many descriptions (the feed, the ADMS records: ~1 s
    and the dump's size in memory each at 30,000 offerings), or None without a dump.
    ``context`` is an ArtefactContext."""
    from publisher.build.dumps import DUMP_NAME

    nquads = Path(context.publication_dir) / "dumps" / f"{DUMP_NAME}.nq"
    if not nquads.is_file():
        return None
    key = f"dump-index:{nquads}"
    found = context.shared.get(key)
    if found is None:
        store = ox.Store.read_only(str(context.store_path))
        empty = next(iter(store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None)
        del store
        graph = str(context.uris.graph("catalogue"))
        found = context.shared[key] = DumpIndex(nquads, graph, default_graph_empty=empty is None)
    return found


class DumpIndex:
    """Where each subject's lines are in an N-Quads file (the dump the store was made of:
    the same quads), to read descriptions as ``text_closure`` gives them from the store."""

    def __init__(self, path: Path, graph: str, *, default_graph_empty: bool = False) -> None:
        self.data = Path(path).read_bytes()
        self.suffix = f" <{graph}> ."
        # With nothing in the default graph, every line ending with the graph's name is in
        # the graph (else its object could be that name): runs are then cut in bulk.
        self.bulk = default_graph_empty
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
                text = data[start:end].decode()
                lines = text.replace(suffix + "\n", "\n") if self.bulk else ""
                if lines and len(text) - len(lines) == cut * text.count("\n"):
                    # split, not splitlines: a literal may hold U+2028, U+0085... raw
                    found.extend(lines[:-1].split("\n"))
                    todo.extend(_BLANK_OBJECT.findall(lines))
                    continue
                for line in text[:-1].split("\n"):
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


# Facts about one build's dump files, not about the dataset: left out of the payloads (a
# harvester gets them from /catalog), so that a rebuild does not read as an Update.
VOLATILE = {
    "http://spdx.org/rdf/terms#checksum",
    "http://www.w3.org/ns/dcat#byteSize",
}


def live_entity(iri: str, kind: str, lines: list[str]) -> EntityState:
    """A live entity whose description is ``lines`` ("s p o"), its payload canonical."""
    text = "\n".join(lines)
    if "spdx.org/rdf/terms#checksum" in text or "dcat#byteSize" in text:
        lines = [line for line in lines if not _volatile(line)]
    described = canonical(lines, PLACEHOLDER + "b")
    return EntityState(iri, kind, live=True, payload=described, payload_hash=text_hash(described))


def _volatile(line: str) -> bool:
    predicate = line.index(" ") + 1
    return any(line.startswith(f"<{iri}> ", predicate) for iri in VOLATILE)


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
# The blank-node prefix of the payloads the feed keeps (live_entity): "_:" NUL "b" hex.
# No N-Triples text holds a raw NUL (control characters are escaped; IRIs and labels allow
# none), so one str.replace makes the labels of the hash ("b…") or of a member ("m…b…"),
# and the lines sort as with "b" (every comparison is decided before the NUL).
PLACEHOLDER = "\x00"


def text_hash(lines: list[str]) -> str:
    """``description_hash`` of the lines ``canonical(..., "b")`` (or ``PLACEHOLDER + "b"``)
    gave."""
    # "\n".join(f"{line} <urn:x-graph> .") without a string per line
    text = (_HASH_GRAPH + "\n").join(lines) + _HASH_GRAPH if lines else ""
    return hashlib.sha256(text.replace(PLACEHOLDER, "").encode()).hexdigest()


def canonical(lines: Iterable[str], prefix: str) -> list[str]:
    """The lines ("s p o") once each, blank nodes labelled from their content, sorted: the
    order of ``canonical_lines`` too (a graph's name at the end of every line changes no
    comparison, since no term continues with a space).

    A blank node's label is the hash of its sorted "p o" parts, a blank object given by its
    own hash (``_content_labels``); worked out here on the lines' text, without splitting
    every line into terms (half the lines of a catalogue are under blank nodes)."""
    unique = set(lines)
    parts, plain, pointing = _split(unique)
    if not parts and not pointing:
        plain.sort()
        return plain
    memo: dict[str, str] = {}

    def signature(node: str, path: frozenset[str]) -> str:
        if node in memo:
            return memo[node]
        if node in path:
            raise _Cycle
        items = []
        for part in parts.get(node, ()):
            if "_:" in part:
                cut = part.index(" ") + 1
                if part[cut] == "_":
                    part = part[:cut] + signature(part[cut:], path | {node})
            items.append(part)
        digest = hashlib.sha256("\n".join(sorted(items)).encode()).hexdigest()[:20]
        memo[node] = digest
        return digest

    label = f"_:{prefix}"
    try:
        for node, items in parts.items():
            own = label + signature(node, frozenset())
            for part in items:
                if "_:" in part:
                    cut = part.index(" ") + 1
                    if part[cut] == "_":
                        part = part[:cut] + label + signature(part[cut:], frozenset())
                plain.append(f"{own} {part}")
        for head, node in pointing:
            plain.append(head + label + signature(node, frozenset()))
    except _Cycle:
        return _canonical_general(unique, prefix)
    return sorted(set(plain))


def _split(
    lines: Iterable[str],
) -> tuple[dict[str, list[str]], list[str], list[tuple[str, str]]]:
    """(blank subject → its "p o" parts, the lines without blank nodes, ("s p ", blank
    object) of the others)."""
    parts: dict[str, list[str]] = {}
    plain: list[str] = []
    pointing: list[tuple[str, str]] = []
    for line in lines:
        if line[0] == "_":
            cut = line.index(" ")
            parts.setdefault(line[:cut], []).append(line[cut + 1 :])
        elif "_:" in line:  # perhaps a blank object, perhaps a literal's text
            cut = line.index(" ", line.index(" ") + 1) + 1
            if line[cut] == "_":
                pointing.append((line[:cut], line[cut:]))
            else:
                plain.append(line)
        else:
            plain.append(line)
    return parts, plain, pointing


class _Cycle(Exception):
    """Blank nodes in a cycle (never in our data): labelled by ``_content_labels``."""


def _canonical_general(lines: Iterable[str], prefix: str) -> list[str]:
    """``canonical`` by terms, for any graph of blank nodes."""
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
    triples = list(triples)
    labels, cut = _labels(triples, prefix)
    if cut:
        # A cycle of blank nodes: the labels then depend on the order the nodes are
        # visited in (a set's differs between processes): visit them in one order.
        labels, cut = _labels(sorted(triples), prefix)
    return labels


def _labels(triples: list[TextTriple], prefix: str) -> tuple[dict[str, str], bool]:
    outgoing: dict[str, list[TextTriple]] = {}
    nodes: set[str] = set()
    for triple in triples:
        if triple[0][0] == "_":
            outgoing.setdefault(triple[0], []).append(triple)
            nodes.add(triple[0])
        if triple[2][0] == "_":
            nodes.add(triple[2])
    memo: dict[str, str] = {}
    cut = False

    def signature(node: str, path: frozenset[str]) -> str:
        nonlocal cut
        if node in memo:
            return memo[node]
        if node in path:  # a cycle of blank nodes: cut it
            cut = True
            return "cycle"
        parts = []
        for _s, p, o in outgoing.get(node, []):
            value = signature(o, path | {node}) if o[0] == "_" else o
            parts.append(f"{p} {value}")
        digest = hashlib.sha256("\n".join(sorted(parts)).encode()).hexdigest()[:20]
        memo[node] = digest
        return digest

    labels = {node: f"_:{prefix}{signature(node, frozenset())}" for node in sorted(nodes)}
    return labels, cut
