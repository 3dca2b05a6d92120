"""The feed's pages: members appended in time order, a page closed when full.

A page is a ``tree:Node`` holding up to ``PAGE_SIZE`` members. New members go to the last
(open) page; the member that does not fit opens the next page, and the full one is then
closed: it gets its link to the next page and ``ldes:immutable true``, and its bytes never
change again (later publications copy them). The root node ``/feed`` describes the stream
and links every page with ``tree:GreaterThanOrEqualToRelation`` (its first timestamp) and,
for a closed page, ``tree:LessThanRelation`` (one second after its last timestamp) on
``as:published``.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyoxigraph as ox

from publisher.feed.model import (
    ACTIVITY_SHAPE,
    AS,
    CREATE,
    DCAT,
    DCAT_AP_FEEDS,
    DCT,
    DELETE,
    LDES,
    LDES_SPEC,
    PREFIXES,
    RDF_TYPE,
    RDFS,
    TREE,
    UPDATE,
    XSD,
    FeedIris,
    date_time,
    n,
    type_,
)
from publisher.feed.payload import PLACEHOLDER, Term

PAGE_SIZE = 250
FORMATS = {"trig": ox.RdfFormat.TRIG, "nq": ox.RdfFormat.N_QUADS, "jsonld": ox.RdfFormat.JSON_LD}


@dataclass
class Page:
    number: int
    start: str  # as:published of its first member
    last: str  # as:published of its last member
    count: int
    closed: bool = False

    def to_json(self) -> dict[str, object]:
        return asdict(self)


def upper_bound(last: str) -> str:
    """One second after ``last``: every member of a closed page is published before it."""
    moment = datetime.fromisoformat(last.replace("Z", "+00:00")) + timedelta(seconds=1)
    return _iso(moment)


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def normal_time(value: str) -> str:
    """A timestamp as the feed writes it: UTC, whole seconds, ``Z``."""
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return _iso(moment.astimezone(UTC))


def _triple(s: str, p: str, o: Term) -> ox.Quad:
    return ox.Quad(n(s), n(p), o, ox.DefaultGraph())


def page_metadata(iris: FeedIris, page: Page, next_page: Page | None) -> list[ox.Quad]:
    node = iris.page(page.number)
    quads = [
        _triple(iris.stream, str(RDF_TYPE.value), n(LDES + "EventStream")),
        _triple(node, str(RDF_TYPE.value), n(TREE + "Node")),
        _triple(node, DCT + "isPartOf", n(iris.root)),
    ]
    if page.closed and next_page is not None:
        relation = iris.relation(node, "ge", next_page.number)
        quads += [
            _triple(node, TREE + "relation", n(relation)),
            _triple(relation, str(RDF_TYPE.value), n(TREE + "GreaterThanOrEqualToRelation")),
            _triple(relation, TREE + "path", n(AS + "published")),
            _triple(relation, TREE + "value", date_time(next_page.start)),
            _triple(relation, TREE + "node", n(iris.page(next_page.number))),
            _triple(node, LDES + "immutable", ox.Literal("true", datatype=n(XSD + "boolean"))),
        ]
    return quads


def member_quads(
    iris: FeedIris,
    activity_iri: str,
    kind: str,
    entity: str,
    published: str,
    payload_lines: list[str],
    *,
    replaced_by: str | None = None,
    removed: str | None = None,
    former_type: str | None = None,
    bnode_prefix: str = "m",
) -> list[ox.Quad]:
    """One member: the ``tree:member`` link, the activity, and its named graph (the
    entity's description; for a Delete, its tombstone)."""
    quads = [
        _triple(iris.stream, TREE + "member", n(activity_iri)),
        _triple(activity_iri, str(RDF_TYPE.value), type_(kind)),
        _triple(activity_iri, AS + "object", n(entity)),
        _triple(activity_iri, AS + "published", date_time(published)),
    ]
    graph = n(activity_iri)
    if kind == DELETE:
        quads.append(ox.Quad(n(entity), RDF_TYPE, n(AS + "Tombstone"), graph))
        if former_type:
            quads.append(ox.Quad(n(entity), n(AS + "formerType"), n(former_type), graph))
        quads.append(ox.Quad(n(entity), n(AS + "deleted"), date_time(removed or published), graph))
        if replaced_by:
            quads.append(ox.Quad(n(entity), n(DCT + "isReplacedBy"), n(replaced_by), graph))
    else:
        text = "\n".join(payload_lines)
        parsed: list[ox.Quad] = (
            list(ox.parse(text.encode(), format=ox.RdfFormat.N_QUADS)) if text else []
        )
        # Blank nodes are scoped to the document: give each member's its own prefix.
        prefix = bnode_prefix
        for q in parsed:
            subject = (
                ox.BlankNode(prefix + q.subject.value)
                if isinstance(q.subject, ox.BlankNode)
                else q.subject
            )
            obj = (
                ox.BlankNode(prefix + q.object.value)
                if isinstance(q.object, ox.BlankNode)
                else q.object
            )
            quads.append(ox.Quad(subject, q.predicate, obj, graph))
    return quads


def member_text(
    iris: FeedIris,
    activity_iri: str,
    kind: str,
    entity: str,
    published: str,
    payload: list[str],
    bnode_prefix: str,
) -> str:
    """``member_quads`` of a Create or an Update as N-Quads, the bytes ``ox.serialize``
    writes for them, made as text (no term objects: a first feed writes millions);
    ``payload`` holds the description's lines ("s p o", ``payload.canonical`` with the
    prefix ``payload.PLACEHOLDER + "b"``)."""
    activity = f"<{activity_iri}>"
    head = (
        f"<{iris.stream}> <{TREE}member> {activity} .\n"
        f"{activity} <{RDF_TYPE.value}> <{AS}{kind}> .\n"
        f"{activity} <{AS}object> <{entity}> .\n"
        f'{activity} <{AS}published> "{published}"^^<{XSD}dateTime> .\n'
    )
    if not payload:
        return head
    # The description's blank nodes are scoped to the document: the member's own prefix
    # goes in place of their placeholder.
    end = f" {activity} .\n"
    return head + (end.join(payload) + end).replace(PLACEHOLDER, bnode_prefix)


def root_quads(iris: FeedIris, pages: list[Page], publisher: str, licence: str) -> list[ox.Quad]:
    stream, root = iris.stream, iris.root
    lit = ox.Literal
    quads = [
        _triple(stream, str(RDF_TYPE.value), n(LDES + "EventStream")),
        _triple(stream, str(RDF_TYPE.value), n(DCAT + "Dataset")),
        _triple(stream, DCT + "title", lit("Avoin kunta -rekisterin muutokset", language="fi")),
        _triple(stream, DCT + "title", lit("Changes to the Avoin kunta register", language="en")),
        _triple(
            stream,
            DCT + "description",
            lit(
                "Rekisterin tarjoomien, toimittajien, lisenssien ja aineistojen luonnit, "
                "muutokset ja poistot DCAT-AP Feeds -syötteenä (LDES).",
                language="fi",
            ),
        ),
        _triple(
            stream,
            DCT + "description",
            lit(
                "Every creation, change and removal of the register's offerings, suppliers, "
                "licences and catalogue datasets, as a DCAT-AP Feed (a Linked Data Event "
                "Stream of Activity Streams activities).",
                language="en",
            ),
        ),
        _triple(stream, DCT + "publisher", n(publisher)),
        _triple(stream, DCT + "license", n(licence)),
        _triple(stream, DCT + "conformsTo", n(DCAT_AP_FEEDS)),
        _triple(stream, DCT + "conformsTo", n(LDES_SPEC)),
        _triple(stream, TREE + "shape", n(ACTIVITY_SHAPE)),
        _triple(stream, LDES + "timestampPath", n(AS + "published")),
        _triple(stream, LDES + "versionOfPath", n(AS + "object")),
        _triple(stream, LDES + "versionCreateObject", type_(CREATE)),
        _triple(stream, LDES + "versionUpdateObject", type_(UPDATE)),
        _triple(stream, LDES + "versionDeleteObject", type_(DELETE)),
        _triple(stream, TREE + "view", n(root)),
        _triple(root, str(RDF_TYPE.value), n(TREE + "Node")),
        _triple(root, str(RDF_TYPE.value), n(LDES + "EventSource")),
        _triple(root, LDES + "retentionPolicy", n(iris.retention)),
        # Every entity's latest activity stays in the feed (the pages are never pruned);
        # older activities of an entity may be there too. DCAT-AP Feeds asks for
        # LatestVersionSubset; LDES 1.0 says it with versionAmount.
        _triple(iris.retention, str(RDF_TYPE.value), n(LDES + "LatestVersionSubset")),
        _triple(iris.retention, LDES + "amount", lit("1", datatype=n(XSD + "integer"))),
        _triple(iris.retention, LDES + "versionAmount", lit("1", datatype=n(XSD + "integer"))),
        _triple(
            iris.retention,
            RDFS + "comment",
            lit(
                "The latest activity of every entity is kept, deletions included; "
                "pages are never pruned, so earlier activities remain as well.",
                language="en",
            ),
        ),
    ]
    for page in pages:
        node = iris.page(page.number)
        ge = iris.relation(root, "ge", page.number)
        quads += [
            _triple(root, TREE + "relation", n(ge)),
            _triple(ge, str(RDF_TYPE.value), n(TREE + "GreaterThanOrEqualToRelation")),
            _triple(ge, TREE + "path", n(AS + "published")),
            _triple(ge, TREE + "value", date_time(page.start)),
            _triple(ge, TREE + "node", n(node)),
        ]
        if page.closed:
            lt = iris.relation(root, "lt", page.number)
            quads += [
                _triple(root, TREE + "relation", n(lt)),
                _triple(lt, str(RDF_TYPE.value), n(TREE + "LessThanRelation")),
                _triple(lt, TREE + "path", n(AS + "published")),
                _triple(lt, TREE + "value", date_time(upper_bound(page.last))),
                _triple(lt, TREE + "node", n(node)),
            ]
    return quads


def documents(metadata: list[ox.Quad], members: bytes) -> dict[str, bytes]:
    """``serialize(metadata + the quads of members)``, ``members`` being N-Quads: the
    N-Quads document is their concatenation, the others are written from its quads."""
    nquads = (ox.serialize(metadata, format=ox.RdfFormat.N_QUADS) or b"") + members
    quads = list(ox.parse(nquads, format=ox.RdfFormat.N_QUADS, lenient=True))
    out = {}
    for ext, fmt in FORMATS.items():
        if fmt is ox.RdfFormat.N_QUADS:
            out[ext] = nquads
        else:
            data = ox.serialize(quads, format=fmt, prefixes=PREFIXES)
            assert data is not None
            out[ext] = data
    return out


def write_documents(nquads: str) -> float:
    """Next to a page's N-Quads document, its TriG and JSON-LD ones (``documents``): run
    in worker processes. Returns the CPU seconds it took (for the benchmark)."""
    started = time.process_time()
    path = Path(nquads)
    # lenient: the text is ours, made of valid terms (the same quads, parsed faster)
    quads = list(ox.parse(path.read_bytes(), format=ox.RdfFormat.N_QUADS, lenient=True))
    for ext, fmt in FORMATS.items():
        if fmt is not ox.RdfFormat.N_QUADS:
            data = ox.serialize(quads, format=fmt, prefixes=PREFIXES)
            assert data is not None
            path.with_name(f"{path.stem}.{ext}").write_bytes(data)
    return time.process_time() - started


def serialize(quads: list[ox.Quad]) -> dict[str, bytes]:
    """The same quads in TriG, N-Quads and JSON-LD, in the order given."""
    out = {}
    for ext, fmt in FORMATS.items():
        prefixes = PREFIXES if fmt is not ox.RdfFormat.N_QUADS else None
        data = (
            ox.serialize(quads, format=fmt, prefixes=prefixes)
            if prefixes
            else ox.serialize(quads, format=fmt)
        )
        assert data is not None  # no output file given: the bytes are returned
        out[ext] = data
    return out
