"""A read-only view of one description graph in one language, for templates.

Templates ask the lens for labels, texts and links instead of walking the graph
themselves; every value is returned as plain data that Jinja2 escapes on output.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, RDFS, SKOS, NamespaceManager
from rdflib.term import Node

from publisher.catalog.triples import TripleSet
from publisher.render.lang import pick, pick_all

LABEL_PROPERTIES = (SKOS.prefLabel, DCTERMS.title, FOAF.name, RDFS.label)


class Terms:
    """`ak.Offering` → the IRI of a term of the vocabulary. Unlike an rdflib Namespace
    (a str), no term name can collide with a string method (`ak.count`, `ak.format`)."""

    def __init__(self, namespace: str) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> URIRef:
        if name.startswith("__"):
            raise AttributeError(name)
        found = URIRef(self._namespace + name)
        setattr(self, name, found)  # (made once: found as an attribute from now on)
        return found


@functools.lru_cache(maxsize=8)
def terms_of(namespace: str) -> Terms:
    """The one ``Terms`` of ``namespace`` (its terms made once per process; not a method
    of Terms, whose attributes are the vocabulary's names)."""
    return Terms(namespace)


class Kept:
    """An rdflib namespace whose terms are made once: ``DCTERMS.title`` makes a URIRef
    (and checks the name) each time it is read; a page reads a few dozen."""

    def __init__(self, namespace: Any) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> URIRef:
        if name.startswith("__"):
            raise AttributeError(name)
        found: URIRef = getattr(self._namespace, name)
        setattr(self, name, found)
        return found


@dataclass(frozen=True)
class Link:
    iri: str
    href: str
    label: str
    local: bool  # one of our own resources (href is a path on this site)
    lang: str | None = None  # the label's language when it is not the page's (a fallback)


class Lens:
    def __init__(
        self,
        graph: Graph | TripleSet,
        lang: str,
        href: Callable[[str], str | None],
        namespaces: NamespaceManager | None = None,
    ) -> None:
        """`href(iri)` gives the path of one of our IRIs on this site, or None for others;
        `namespaces` the prefixes of CURIEs (the graph's own when None: a TripleSet has
        none). The graph must not change once the lens is made: a page asks for the label
        and link of one node many times (its body, its data table), and gets them once."""
        self.graph = graph
        self.lang = lang
        self._href = href
        self._namespaces = namespaces
        self._labels: dict[Node, tuple[str, str | None]] = {}
        self._links: dict[Node, Link | None] = {}
        self._curies: dict[URIRef, str] = {}

    # --- values ----------------------------------------------------------------------

    def objects(self, node: Node, predicate: URIRef) -> list[Node]:
        return sorted(self.graph.objects(node, predicate), key=_sort_key)

    def one(self, node: Node, predicate: URIRef) -> Node | None:
        found = self.objects(node, predicate)
        return found[0] if found else None

    def text(self, node: Node, predicate: URIRef) -> str | None:
        """The text of `predicate` in the best language (see publisher.render.lang)."""
        lit = pick(self.graph.objects(node, predicate), self.lang)
        return str(lit) if lit is not None else None

    def text_fallback(self, node: Node, predicate: URIRef) -> tuple[str, str | None] | None:
        """The text and its language when that is not the page's (see `label_lang`)."""
        lit = pick(self.graph.objects(node, predicate), self.lang)
        return (str(lit), other_language(lit, self.lang)) if lit is not None else None

    def text_lang(self, node: Node, predicate: URIRef) -> tuple[str, str | None] | None:
        """Like `text`, with the language the text is actually in (for `lang=` attributes)."""
        lit = pick(self.graph.objects(node, predicate), self.lang)
        return (str(lit), lit.language) if lit is not None else None

    def texts(self, node: Node, predicate: URIRef) -> list[str]:
        return [str(lit) for lit in pick_all(self.graph.objects(node, predicate), self.lang)]

    def texts_fallback(self, node: Node, predicate: URIRef) -> list[tuple[str, str | None]]:
        """Like `texts`, each with its language when that is not the page's."""
        return [
            (str(lit), other_language(lit, self.lang))
            for lit in pick_all(self.graph.objects(node, predicate), self.lang)
        ]

    def has_type(self, node: Node, cls: URIRef) -> bool:
        return (node, RDF.type, cls) in self.graph

    def boolean(self, node: Node, predicate: URIRef) -> bool | None:
        value = self.one(node, predicate)
        return bool(value.toPython()) if isinstance(value, Literal) else None

    # --- labels and links ------------------------------------------------------------

    def label(self, node: Node) -> str:
        return self.label_lang(node)[0]

    def label_lang(self, node: Node) -> tuple[str, str | None]:
        """The label and, when it is a fallback in another language, that language (for a
        ``lang`` attribute); None when the label is in the page's language or untagged."""
        found = self._labels.get(node)
        if found is None:
            found = self._labels[node] = self._label_lang(node)
        return found

    def _label_lang(self, node: Node) -> tuple[str, str | None]:
        for predicate in LABEL_PROPERTIES:
            lit = pick(self.graph.objects(node, predicate), self.lang)
            if lit is not None:
                return str(lit), other_language(lit, self.lang)
        if isinstance(node, URIRef):
            return _local_name(str(node)), None
        return str(node), None

    def link(self, node: Node) -> Link | None:
        if node in self._links:
            return self._links[node]
        found = self._links[node] = self._link(node)
        return found

    def _link(self, node: Node) -> Link | None:
        if not isinstance(node, URIRef):
            return None
        iri = str(node)
        local = self._href(iri)
        href = local or (iri if is_web_url(iri) else "")
        label, lang = self.label_lang(node)
        return Link(iri=iri, href=href, label=label, local=local is not None, lang=lang)

    def links(self, node: Node, predicate: URIRef) -> list[Link]:
        found = [self.link(o) for o in self.graph.objects(node, predicate)]
        return sorted((f for f in found if f is not None), key=lambda f: f.label.casefold())

    def nodes(self, node: Node, predicate: URIRef) -> list[BNode]:
        """Blank-node structures (parts, prices, claims), in a stable order."""
        found = [o for o in self.graph.objects(node, predicate) if isinstance(o, BNode)]

        def key(b: BNode) -> tuple[str, str]:
            ident = self.graph.value(b, DCTERMS.identifier)
            return (str(ident).zfill(6) if ident is not None else "", self.label(b))

        return sorted(found, key=key)

    def subjects_of_type(self, cls: URIRef) -> list[URIRef]:
        return sorted(s for s in self.graph.subjects(RDF.type, cls) if isinstance(s, URIRef))

    def statements(self, node: Node) -> list[tuple[URIRef, list[Node]]]:
        """All (predicate, values) of `node`, for the page's full data table."""
        by_predicate: dict[URIRef, list[Node]] = {}
        for p, o in self.graph.predicate_objects(node):
            by_predicate.setdefault(p, []).append(o)  # type: ignore[arg-type]
        return [(p, sorted(vs, key=_sort_key)) for p, vs in sorted(by_predicate.items())]

    def curie(self, iri: URIRef) -> str:
        found = self._curies.get(iri)
        if found is None:
            found = self._curies[iri] = self._curie(iri)
        return found

    def _curie(self, iri: URIRef) -> str:
        try:
            manager = self._namespaces or self.graph.namespace_manager  # type: ignore[union-attr]
            prefix, namespace, name = manager.compute_qname(str(iri), generate=False)
        except (KeyError, ValueError):
            return str(iri)
        return f"{prefix}:{name}" if prefix else str(iri)


def other_language(lit: Node, lang: str) -> str | None:
    """`lit`'s language tag when it differs from the page language `lang`, else None."""
    tag = getattr(lit, "language", None)
    return tag if tag and tag.split("-")[0].lower() != lang else None


def format_amount(value: Node | None, lang: str = "en") -> str | None:
    """A price as people write it: 1200 → "1 200"; 12.5 → "12,50" (fi, sv) or "12.50"."""
    if not isinstance(value, Literal):
        return None
    number = value.toPython()
    if not isinstance(number, (int, float, Decimal)):
        return str(value)
    number = Decimal(str(number))
    text = f"{number:,.2f}" if number != number.to_integral_value() else f"{number:,.0f}"
    text = text.replace(",", "\u00a0")
    return text.replace(".", ",") if lang in {"fi", "sv"} else text


def is_web_url(value: str) -> bool:
    """Only these become links: an IRI such as ``javascript:…`` or ``urn:…`` is shown as
    text."""
    return value.lower().startswith(("http://", "https://", "mailto:"))


def _local_name(iri: str) -> str:
    tail = iri.rstrip("/#")
    for sep in ("#", "/"):
        if sep in tail:
            tail = tail.rsplit(sep, 1)[1]
    return tail or iri


def _sort_key(node: Node) -> tuple[int, str]:
    return (0 if isinstance(node, URIRef) else 1 if isinstance(node, Literal) else 2, str(node))
