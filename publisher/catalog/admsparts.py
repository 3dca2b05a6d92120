"""The ``adms`` build artefact: what ``/catalog/adms`` pages are made of, written once per
build so that no page reads the store per asset.

A page of 50 assets used to read some 130 descriptions from the store (~90 quads each,
decoded one by one) and build ~9,000 rdflib triples: 200–300 ms, over a second for the
first page of a publication (which also listed every offering with SPARQL). The artefact
holds, per entity a page describes, the part of its description the page uses, as
N-Triples text:

* an offering: its own triples with the predicates an asset shows (``ASSET_PREDICATES``);
* a supplier: its ``foaf:Agent`` lines and its contact point (or "use the register's");
* a licence: the lines ``common.add_licence`` gives and the IRI a distribution names;
* a component: the lines ``common.add_concept`` gives and its labels (keywords).

``records-NN.jsonl`` hold the records (one JSON object a line, sorted by IRI; ``NN`` =
CRC-32 of the IRI mod ``BUCKETS``, so that an edit rewrites a few files and the rest are
hard links to the previous publication's), ``items.json`` the live offerings in key order
with where their records are. ``asset_lines`` turns an offering's record into the triples
``assets._add_asset`` adds, as text: a page is those lines, the catalogue node and the
Hydra view (still built by ``assets``/``common``), sorted, parsed and written by
pyoxigraph. The bytes are those of the store-built page (tests/catalog/test_adms_parts.py).

A first build reads the descriptions from the N-Quads dump's text (``DumpIndex``, the
feed's reader), an incremental one reuses every record whose entity (and, for a licence,
any licence it is made of) is not in ``context.changed`` and reads the rest from the store.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import zlib
from array import array
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, overload

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.namespace import FOAF, RDF, SKOS

from publisher.catalog import authority
from publisher.catalog.common import (
    PUBLISHER_KEY,
    Context,
    add_concept,
    add_licence,
    date_literal,
)
from publisher.catalog.triples import TripleSet
from publisher.feed.payload import closure
from publisher.namespaces import ADMS, DCAT, DCT, OWL, VCARD
from publisher.terms import to_oxigraph
from publisher.uris import UriScheme

NAME = "adms"
BUCKETS = 64
INDEX = "index.json"  # what the next build reuses
LISTING = "items.json"  # the number of live offerings (the pages' listing: items-NNNN.json)
CHUNK = 500
FORMAT = 2  # of the records; a previous artefact of another format is not reused


def _t(iri: Any) -> str:
    return f"<{iri}>"


# N-Triples text of the terms written here
ADMS_Asset = _t(ADMS.Asset)
ADMS_AssetDistribution = _t(ADMS.AssetDistribution)
ADMS_status = _t(ADMS.status)
DCAT_CatalogRecord = _t(DCAT.CatalogRecord)
DCAT_Dataset = _t(DCAT.Dataset)
DCAT_Distribution = _t(DCAT.Distribution)
DCAT_Resource = _t(DCAT.Resource)
DCAT_accessURL = _t(DCAT.accessURL)
DCAT_contactPoint = _t(DCAT.contactPoint)
DCAT_dataset = _t(DCAT.dataset)
DCAT_distribution = _t(DCAT.distribution)
DCAT_keyword = _t(DCAT.keyword)
DCAT_landingPage = _t(DCAT.landingPage)
DCAT_mediaType = _t(DCAT.mediaType)
DCAT_record = _t(DCAT.record)
DCAT_theme = _t(DCAT.theme)
DCT_MediaType = _t(DCT.MediaType)
DCT_Standard = _t(DCT.Standard)
DCT_conformsTo = _t(DCT.conformsTo)
DCT_description = _t(DCT.description)
DCT_format = _t(DCT.format)
DCT_issued = _t(DCT.issued)
DCT_license = _t(DCT.license)
DCT_modified = _t(DCT.modified)
DCT_publisher = _t(DCT.publisher)
DCT_spatial = _t(DCT.spatial)
DCT_title = _t(DCT.title)
DCT_type = _t(DCT.type)
FOAF_Agent = _t(FOAF.Agent)
FOAF_Document = _t(FOAF.Document)
FOAF_Organization = _t(FOAF.Organization)
FOAF_homepage = _t(FOAF.homepage)
FOAF_name = _t(FOAF.name)
FOAF_page = _t(FOAF.page)
FOAF_primaryTopic = _t(FOAF.primaryTopic)
RDF_type = _t(RDF.type)
VCARD_Kind = _t(VCARD.Kind)
VCARD_Organization = _t(VCARD.Organization)
VCARD_hasEmail = _t(VCARD.hasEmail)
VCARD_hasURL = _t(VCARD.hasURL)
TYPE = RDF_type
_CONTACT = (_t(VCARD.fn), VCARD_hasEmail, VCARD_hasURL)  # what a contact point copies
# What an asset copies of its subject's description as it is (assets._add_texts_and_dates).
COPIED_PREDICATES = (
    DCT.title,
    DCT.description,
    DCAT.keyword,
    DCT.identifier,
    OWL.versionInfo,
    OWL.sameAs,
    SKOS.altLabel,
)
ASSET_PREDICATES = tuple(
    _t(p)
    for p in (
        RDF.type,
        ADMS.status,
        DCT.publisher,
        DCAT.theme,
        DCAT.landingPage,
        *COPIED_PREDICATES,
        DCT.conformsTo,
        DCT.issued,
        DCT.modified,
        DCT.license,
    )
)  # + the vocabulary's apiDocumentation, sourceRepository, Service (per base URI)
COPIED = tuple(_t(p) for p in COPIED_PREDICATES)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)  # (no record reads the publication date)


# --- reading descriptions as text ------------------------------------------------------


def _split(lines: Iterable[str]) -> dict[str, dict[str, list[str]]]:
    """ "s p o" lines → subject → predicate → objects (in the lines' order)."""
    found: dict[str, dict[str, list[str]]] = {}
    for line in lines:
        s, p, o = line.split(" ", 2)
        found.setdefault(s, {}).setdefault(p, []).append(o)
    return found


def _is_iri(text: str) -> bool:
    return text.startswith("<")


def _iri(text: str) -> str:
    return text[1:-1]


class Describer:
    """An entity's description as "s p o" lines: from the dump's text when there is one
    (a first build), else from the store."""

    def __init__(self, store: ox.Store, dump: Any | None) -> None:
        self.store = store
        self.dump = dump

    def lines(self, iri: str) -> list[str]:
        if self.dump is not None:
            found = self.dump.closure(iri)
            if found:
                return found
        return [f"{s} {p} {o}" for s, p, o in closure(self.store, iri)]

    def own(self, iri: str, predicates: frozenset[str]) -> list[tuple[str, str]]:
        """(predicate, object) of the subject's own triples with one of ``predicates``."""
        if self.dump is None or not self.dump.bulk:
            return [
                (p, str(q.object))
                for q in self.store.quads_for_pattern(ox.NamedNode(iri), None, None, None)
                if (p := str(q.predicate)) in predicates
            ]
        data, suffix = self.dump.data, self.dump.suffix
        cut = len(suffix)
        subject = f"<{iri}>"
        start_of_predicate = len(subject) + 1
        found: list[tuple[str, str]] = []
        for start, end in self.dump.runs.get(subject.encode(), ()):
            for line in data[start : end - 1].decode().split("\n"):
                space = line.find(" ", start_of_predicate)
                p = line[start_of_predicate:space]
                if p in predicates and line.endswith(suffix):  # (not another graph's)
                    found.append((p, line[space + 1 : -cut]))
        return found

    def triples(self, iri: str) -> list[ox.Triple]:
        """The description as the store gives it, in its order: where a builder takes the
        first of several values (a licence's label), that order decides."""
        return [ox.Triple(s, p, o) for s, p, o in closure(self.store, iri)]


class _TextStore:
    """What `Context.describe` asks of a store, answered by a `Describer`; remembers the
    IRIs it was asked for (what a record depends on)."""

    def __init__(self, describer: Describer) -> None:
        self.describer = describer
        self.asked: set[str] = set()

    def describe_triples(self, iri: str, *, links: bool = True) -> list[ox.Triple]:
        self.asked.add(iri)
        return self.describer.triples(iri)


def _text_lines(g: TripleSet) -> list[str]:
    return sorted(str(t) for t in g.oxigraph())


# --- records ---------------------------------------------------------------------------


class Records:
    """The records of one build (IRI → record), made or reused from the previous build."""

    def __init__(self, uris: UriScheme, describer: Describer, previous: _Previous | None):
        self.uris = uris
        self.describer = describer
        self.previous = previous
        vocab = str(uris.vocab)
        # what an offering's record keeps of its description
        self.wanted = frozenset(
            (*ASSET_PREDICATES, _t(vocab + "apiDocumentation"), _t(vocab + "sourceRepository"))
        )
        self.coss = str(uris.thing("supplier", PUBLISHER_KEY))
        self.texts: dict[str, str] = {}  # IRI → the record as written
        self.kept: set[str] = set()  # records kept from the previous build, not read
        self.parsed: dict[str, dict[str, Any]] = {}

    def context(self, store: _TextStore) -> Context:
        return Context(
            uris=self.uris,
            store=store,  # type: ignore[arg-type]
            modified=_EPOCH,
            manifest={},
            ledger={},
        )

    def keep(self, iri: str) -> bool:
        """Keep the previous build's record of ``iri`` as it was (not read yet), if it may
        be reused."""
        if iri in self.texts or iri in self.kept:
            return True
        if self.previous is None or not self.previous.reusable(iri):
            return False
        self.kept.add(iri)
        return True

    def reuse(self, iri: str) -> bool:
        """Take the previous build's record of ``iri`` as it was, if it may be reused."""
        if iri in self.texts:
            return True
        text = self.previous.text(iri) if self.previous else None
        if text is None:
            return False
        self.texts[iri] = text
        self.kept.discard(iri)
        return True

    def get(self, iri: str, make: Callable[[str], dict[str, Any]]) -> dict[str, Any]:
        found = self.parsed.get(iri)
        if found is None:
            if self.reuse(iri):
                found = decode(self.texts[iri])
            else:
                found = make(iri)
                self.texts[iri] = encode(found)
            self.parsed[iri] = found
        return found

    def offering(self, iri: str) -> dict[str, Any]:
        return self.get(iri, self._offering)

    def _offering(self, iri: str) -> dict[str, Any]:
        pairs = sorted(set(self.describer.own(iri, self.wanted)))
        licences = [o for p, o in pairs if p == DCT_license]
        return {
            "kind": "offering",
            "iri": iri,
            "publishers": [_iri(o) for p, o in pairs if p == DCT_publisher and _is_iri(o)],
            "themes": [_iri(o) for p, o in pairs if p == DCAT_theme and _is_iri(o)],
            # the first one, as assets._add_distributions takes it
            "licence": _iri(licences[0]) if licences and _is_iri(licences[0]) else None,
            # "p o" lines (written after the record's JSON line, as they are)
            "po": "\n".join(f"{p} {o}" for p, o in pairs),
        }

    def supplier(self, iri: str) -> dict[str, Any]:
        return self.get(iri, self._supplier)

    def _supplier(self, iri: str) -> dict[str, Any]:
        """``common.add_publisher`` and ``common.add_contact_point`` on the text."""
        coss = self.coss
        described = _split(self.describer.lines(iri))
        agent = _t(iri)
        own = described.get(agent, {})
        lines = [f"{agent} {TYPE} {FOAF_Agent}", f"{agent} {TYPE} {FOAF_Organization}"]
        names = [o for o in own.get(FOAF_name, []) if o.startswith('"')]
        if not names:
            parsed = self.uris.parse(iri)
            names = [str(ox.Literal(parsed[1] if parsed else iri))]
        lines += [f"{agent} {FOAF_name} {name}" for name in names]
        for kind in own.get(DCT_type, []):
            if _is_iri(kind) and authority.concept(_iri(kind)) is not None:
                lines.append(f"{agent} {DCT_type} {kind}")
                lines += _authority_lines(_iri(kind))
        homepages = own.get(FOAF_homepage, [])
        for homepage in filter(_is_iri, homepages):
            lines += [f"{agent} {FOAF_homepage} {homepage}", _document(homepage)]
        sources = own.get(DCAT_contactPoint, [])
        source = described.get(sources[0], {}) if sources else None
        has_email = bool(source and source.get(VCARD_hasEmail))
        contact: dict[str, Any] | None = None
        if has_email or iri == coss:
            node = f"_:contact-{hashlib.sha1(iri.encode()).hexdigest()[:12]}"
            found = [f"{node} {TYPE} {VCARD_Kind}", f"{node} {TYPE} {VCARD_Organization}"]
            values = {p: (source or {}).get(_t(p), []) for p in (VCARD.fn, VCARD.hasEmail)}
            values[VCARD.hasURL] = (source or {}).get(VCARD_hasURL, [])
            if not values[VCARD.fn]:
                values[VCARD.fn] = own.get(FOAF_name, []) or [str(ox.Literal(iri))]
            if not values[VCARD.hasURL]:
                values[VCARD.hasURL] = homepages
            for p in (VCARD.fn, VCARD.hasEmail, VCARD.hasURL):
                found += [f"{node} {_t(p)} {o}" for o in values[p]]
            contact = {"node": node, "lines": sorted(set(found))}
        return {"kind": "supplier", "iri": iri, "lines": sorted(set(lines)), "contact": contact}

    def licence(self, iri: str) -> dict[str, Any]:
        return self.get(iri, self._licence)

    def _licence(self, iri: str) -> dict[str, Any]:
        store = _TextStore(self.describer)
        g = TripleSet()
        target = add_licence(self.context(store), g, URIRef(iri))
        return {
            "kind": "licence",
            "iri": iri,
            "target": _t(target),
            "lines": _text_lines(g),
            "uses": sorted(store.asked),
        }

    def component(self, iri: str) -> dict[str, Any]:
        return self.get(iri, self._component)

    def _component(self, iri: str) -> dict[str, Any]:
        store = _TextStore(self.describer)
        ctx = self.context(store)
        g = TripleSet()
        add_concept(ctx, g, URIRef(iri))
        labels = ctx.describe(iri).objects(URIRef(iri), SKOS.prefLabel)
        return {
            "kind": "component",
            "iri": iri,
            "lines": _text_lines(g),
            "labels": sorted(str(to_oxigraph(label)) for label in labels),
        }


def encode(record: dict[str, Any]) -> str:
    """A record as written: JSON, then an offering's "p o" lines as they are (N-Triples
    text holds no raw line break; a record is found by its offset and length)."""
    meta = {k: v for k, v in record.items() if k != "po"}
    text = json.dumps(meta, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return f"{text}\n{record['po']}" if "po" in record else text


def decode(text: str | bytes) -> dict[str, Any]:
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    meta, _, po = text.partition("\n")
    record: dict[str, Any] = json.loads(meta)
    if record.get("kind") == "offering":
        record["po"] = po
    return record


def _document(iri_text: str) -> str:
    return f"{iri_text} {TYPE} {FOAF_Document}"


_AUTHORITY: dict[str, list[str]] = {}


def _authority_lines(iri: str) -> list[str]:
    """The lines `authority.describe` adds for a table value."""
    found = _AUTHORITY.get(iri)
    if found is None:
        g = TripleSet()
        authority.describe(g, iri)
        found = _AUTHORITY[iri] = _text_lines(g)
    return found


def offering_parts(records: Records, iri: str) -> list[str]:
    """The IRIs of the records an offering's asset is made of (its own first)."""
    record = records.offering(iri)
    parts = [iri]
    for supplier in record["publishers"]:
        parts.append(supplier)
        if records.supplier(supplier)["contact"] is None:
            records.supplier(records.coss)
            parts.append(records.coss)
    for component in record["themes"]:
        records.component(component)
        parts.append(component)
    if record["licence"] is not None:
        records.licence(record["licence"])
        parts.append(record["licence"])
    return list(dict.fromkeys(parts))


# --- the artefact ----------------------------------------------------------------------


def bucket_of(iri: str) -> int:
    return zlib.crc32(iri.encode()) % BUCKETS


def _bucket_name(n: int) -> str:
    return f"records-{n:02d}.jsonl"


def write_artefact(context: Any) -> None:
    """The build's entry point (publisher.artefacts): ``context`` is an ArtefactContext."""
    store = ox.Store.read_only(str(context.store_path))
    previous = _Previous.open(context.previous_folder, context.changed)
    dump = None
    if previous is None:
        from publisher.feed.payload import dump_index_of

        dump = dump_index_of(context)  # the feed's, when it read the dump too
    records = Records(context.uris, Describer(store, dump), previous)
    write(Path(context.folder), records, live_offerings(context.ledger), previous)


def live_offerings(ledger: dict[str, dict[str, Any]]) -> list[tuple[str, str]]:
    """(key, IRI) of the offerings the store holds, by key (the order of the pages)."""
    return sorted(
        (str(e.get("key")), iri)
        for iri, e in ledger.items()
        if e.get("kind") == "offering" and not e.get("removed")
    )


def write(
    folder: Path,
    records: Records,
    offerings: Sequence[tuple[str, str]],
    previous: _Previous | None = None,
) -> None:
    """The record buckets (``records-NN.jsonl`` and their records' offsets), the pages'
    listing (``items.json``, ``items-NNNN.json``) and ``index.json`` (what the next build
    reuses). A record is found by its bucket and its place in it: an edit that changes
    records but no bucket's membership changes only those buckets; every other file is
    then the previous build's (a hard link)."""
    items = []
    same = previous is not None and len(offerings) == len(previous.order)
    for position, (key, iri) in enumerate(offerings):
        parts = previous.parts(iri) if previous else None
        if parts is None or not all(records.keep(p) for p in parts):
            parts = offering_parts(records, iri)
            same = same and previous is not None and parts == previous.items.get(iri)
        items.append((key, iri, parts))
        same = same and previous is not None and previous.order[position] == (key, iri)
    buckets: dict[int, list[str]] = {}
    for iri in (*records.texts, *records.kept):
        buckets.setdefault(bucket_of(iri), []).append(iri)
    where: dict[str, list[int]] = {}  # IRI → [bucket, place]
    for n, members in sorted(buckets.items()):
        members.sort()
        where.update((iri, [n, k]) for k, iri in enumerate(members))
        kept = previous is not None and previous.members().get(n) == members
        same = same and kept
        if kept and previous is not None and not any(iri in records.texts for iri in members):
            for name in (_bucket_name(n), _offsets_name(n)):  # every record as it was
                os.link(previous.folder / name, folder / name)
            continue
        texts = [records.texts.get(iri) or _kept_text(previous, iri) for iri in members]
        data = "".join(f"{text}\n" for text in texts).encode("utf-8")
        offsets, offset = [], 0
        for text in texts:
            offsets.append(offset)
            offset += len(text.encode("utf-8")) + 1
        offsets.append(offset)
        (folder / _bucket_name(n)).write_bytes(data)
        _write_json(folder / _offsets_name(n), offsets)
    same = same and previous is not None and len(where) == len(previous.where)
    uses = {iri: r["uses"] for iri, r in records.parsed.items() if r.get("uses")}
    if previous is not None:  # what a reused licence record was made from
        for iri in where:
            if iri not in uses and iri in previous.uses:
                uses[iri] = previous.uses[iri]
    uses = dict(sorted(uses.items()))
    listing = [LISTING, *(_chunk_name(c // CHUNK) for c in range(0, len(items), CHUNK))]
    if same and previous is not None and uses == previous.uses:
        for name in (INDEX, *listing):  # the same records in the same places
            os.link(previous.folder / name, folder / name)
        return
    number = {iri: i for i, iri in enumerate(sorted(where))}
    index = {
        "format": FORMAT,
        "items": [[key, iri, [number[p] for p in parts]] for key, iri, parts in items],
        "records": [[iri, *where[iri]] for iri in sorted(where)],
        "uses": uses,
    }
    _write_json(folder / INDEX, index)
    # For the pages: the offerings in key order with where their records are, in chunks
    # (a page reads one or two), and their number.
    _write_json(folder / LISTING, {"format": FORMAT, "live": len(items), "chunk": CHUNK})
    for c in range(0, len(items), CHUNK):
        rows = [[key, iri, [where[p] for p in parts]] for key, iri, parts in items[c : c + CHUNK]]
        _write_json(folder / _chunk_name(c // CHUNK), rows)


def _kept_text(previous: _Previous | None, iri: str) -> str:
    text = previous.text(iri) if previous else None
    assert text is not None, iri  # kept only when reusable
    return text


def _write_json(path: Path, value: Any) -> None:
    path.write_bytes(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode())


def _chunk_name(n: int) -> str:
    return f"items-{n:04d}.json"


def _offsets_name(n: int) -> str:
    return f"records-{n:02d}.offsets.json"


class _Previous:
    """The previous publication's artefact, for reuse: a record is reused unless its entity
    (or, for a licence, one it was made from) is in ``changed``."""

    def __init__(self, folder: Path, changed: frozenset[str], index: dict[str, Any]):
        self.folder = folder
        self.changed = changed
        rows = index["records"]
        self.where: dict[str, list[int]] = {row[0]: row[1:] for row in rows}
        self.uses: dict[str, list[str]] = index["uses"]
        # the records not to reuse: the changed entities', and the licences made of one
        self.stale = set(changed)
        self.stale.update(iri for iri, uses in self.uses.items() if not changed.isdisjoint(uses))
        self.order = [(key, iri) for key, iri, _parts in index["items"]]
        self.items = {iri: [rows[i][0] for i in parts] for _key, iri, parts in index["items"]}
        self._members: dict[int, list[str]] | None = None
        self._data: dict[int, bytes] = {}
        self._offsets: dict[int, list[int]] = {}

    @classmethod
    def open(cls, folder: Path | None, changed: frozenset[str]) -> _Previous | None:
        if folder is None or not (folder / INDEX).exists():
            return None
        index = json.loads((folder / INDEX).read_bytes())
        if index.get("format") != FORMAT:
            return None
        return cls(folder, changed, index)

    def reusable(self, iri: str) -> bool:
        return iri in self.where and iri not in self.stale

    def text(self, iri: str) -> str | None:
        if not self.reusable(iri):
            return None
        n, k = self.where[iri]
        if n not in self._data:
            self._data[n] = (self.folder / _bucket_name(n)).read_bytes()
            self._offsets[n] = json.loads((self.folder / _offsets_name(n)).read_bytes())
        start, end = self._offsets[n][k], self._offsets[n][k + 1] - 1
        return self._data[n][start:end].decode("utf-8")

    def parts(self, iri: str) -> list[str] | None:
        """The records the offering's asset was made of, if none of them changed."""
        parts = self.items.get(iri)
        if parts is None or not self.changed.isdisjoint(parts):
            return None
        return parts

    def members(self) -> dict[int, list[str]]:
        """Bucket → its records' IRIs, in their places."""
        if self._members is None:
            self._members = {}
            for iri, (n, _place) in self.where.items():
                self._members.setdefault(n, []).append(iri)
            for members in self._members.values():
                members.sort(key=lambda iri: self.where[iri][1])
        return self._members


# --- pages -----------------------------------------------------------------------------


class LiveItems(Sequence[tuple[str, str, list[list[int]]]]):
    """(key, IRI, where its records are: [bucket, place]) of every live offering, in key
    order, read from the artefact's chunks as they are asked for (a page reads one or two)."""

    def __init__(self, folder: Path, listing: dict[str, Any]) -> None:
        self.folder = folder
        self.length = int(listing["live"])
        self.size = int(listing["chunk"])
        self._chunks: dict[int, list[Any]] = {}

    @classmethod
    def open(cls, folder: Path) -> LiveItems | None:
        """None without a readable artefact of this format."""
        path = folder / LISTING
        if not path.exists():
            return None
        listing = json.loads(path.read_bytes())
        return cls(folder, listing) if listing.get("format") == FORMAT else None

    def chunk(self, n: int) -> list[Any]:
        found = self._chunks.get(n)
        if found is None:
            found = self._chunks[n] = json.loads((self.folder / _chunk_name(n)).read_bytes())
        return found

    def __len__(self) -> int:
        return self.length

    @overload
    def __getitem__(self, index: int) -> tuple[str, str, list[list[int]]]: ...

    @overload
    def __getitem__(self, index: slice) -> list[tuple[str, str, list[list[int]]]]: ...

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self.length))]
        position = index + self.length if index < 0 else index
        if not 0 <= position < self.length:
            raise IndexError(index)
        key, iri, parts = self.chunk(position // self.size)[position % self.size]
        return key, iri, parts


def read_records(folder: Path, locations: Iterable[Sequence[int]]) -> dict[str, dict[str, Any]]:
    """The records at ``locations`` (bucket, place), by IRI."""
    found: dict[str, dict[str, Any]] = {}
    wanted: dict[int, set[int]] = {}
    for n, k in locations:
        wanted.setdefault(n, set()).add(k)
    for n, places in sorted(wanted.items()):
        offsets = _offsets(folder, n)
        with open(folder / _bucket_name(n), "rb") as handle:
            for k in sorted(places):
                handle.seek(offsets[k])
                record = decode(handle.read(offsets[k + 1] - offsets[k] - 1))
                found[record["iri"]] = record
    return found


def _offsets(folder: Path, n: int) -> array[int]:
    """Where each record of bucket ``n`` begins: read once per process and file (a page
    reads records from most buckets, ~0.1 ms a file; a publication's files never change,
    and a file written again has another inode or time)."""
    path = os.path.join(folder, _offsets_name(n))
    found = os.stat(path)
    return _offsets_of(path, found.st_ino, found.st_mtime_ns, found.st_size)


@functools.lru_cache(maxsize=4 * BUCKETS)
def _offsets_of(path: str, _inode: int, _mtime: int, _size: int) -> array[int]:
    with open(path, "rb") as handle:
        return array("q", json.loads(handle.read()))


@functools.lru_cache(maxsize=256)
def _literal(text: str, lang: str) -> str:
    return str(ox.Literal(text, language=lang))


_ASSET_TYPES: dict[tuple[str, str], list[str]] = {}


def _asset_type_lines(uris: UriScheme, kind: str) -> list[str]:
    """The lines of ``assets._asset_type`` (the same on every page of a catalogue)."""
    from types import SimpleNamespace

    from publisher.catalog import assets

    memo = (str(uris.page("catalog/adms")), kind)
    found = _ASSET_TYPES.get(memo)
    if found is None:
        g = TripleSet()
        assets._asset_type(SimpleNamespace(uris=uris), g, kind)  # type: ignore[arg-type]
        found = _ASSET_TYPES[memo] = _text_lines(g)
    return found


@functools.lru_cache(maxsize=8)
def _constants(base: str, vocab: str) -> dict[str, Any]:
    """Text of the terms `asset_lines` writes that depend on the catalogue's URIs."""
    from publisher.catalog.common import ADMSAP_20, DCATAP_301, STANDARD_TITLES

    completed = authority.STATUSES["Completed"].iri
    tech = authority.DATA_THEMES["TECH"].iri
    fin = authority.COUNTRIES["FIN"].iri
    record = [*_authority_lines(str(completed))]
    profiles = []
    for profile in (DCATAP_301, ADMSAP_20):
        profiles.append(_t(profile))
        record += [
            f"{_t(profile)} {TYPE} {DCT_Standard}",
            f"{_t(profile)} {DCT_title} {_literal(STANDARD_TITLES[profile], 'en')}",
        ]
    return {
        "service": _t(vocab + "Service"),
        "api": _t(vocab + "apiDocumentation"),
        "completed": _t(completed),
        "record": record,  # the lines every catalogue record adds besides its own
        "profiles": profiles,
        "tech": _t(tech),
        "tech lines": _authority_lines(str(tech)),
        "fin": _t(fin),
        "fin lines": _authority_lines(str(fin)),
    }


def asset_lines(
    uris: UriScheme,
    key: str,
    iri: str,
    modified: Any,
    first_published: Any,
    records: dict[str, dict[str, Any]],
) -> list[str]:
    """The triples ``assets._add_asset`` adds for a live offering, as "s p o" text, from
    its records (its own and those of its suppliers, components and licence)."""
    vocab = str(uris.vocab)
    catalogue = str(uris.page("catalog/adms"))
    known = _constants(catalogue, vocab)
    cat, a = _t(catalogue), _t(iri)
    objs: dict[str, list[str]] = {}
    po = records[iri]["po"]
    for line in po.split("\n") if po else ():
        p, o = line.split(" ", 1)
        objs.setdefault(p, []).append(o)
    out = [f"{cat} {DCAT_dataset} {a}", f"{a} {TYPE} {DCAT_Dataset}", f"{a} {TYPE} {ADMS_Asset}"]
    kind = "service" if known["service"] in objs.get(TYPE, ()) else "product"
    out.append(f"{a} {DCT_type} {_t(catalogue + '#' + kind)}")
    out += _asset_type_lines(uris, kind)
    out += _texts_and_dates(a, objs, records, modified)
    statuses = objs.get(ADMS_status)
    if statuses and _is_iri(statuses[0]) and authority.concept(_iri(statuses[0])) is not None:
        out.append(f"{a} {ADMS_status} {statuses[0]}")
        out += _authority_lines(_iri(statuses[0]))
    coss = str(uris.thing("supplier", PUBLISHER_KEY))
    for supplier in filter(_is_iri, objs.get(DCT_publisher, ())):
        record = records[_iri(supplier)]
        out.append(f"{a} {DCT_publisher} {supplier}")
        out += record["lines"]
        contact = record["contact"] or records[coss]["contact"]
        out.append(f"{a} {DCAT_contactPoint} {contact['node']}")
        out += contact["lines"]
    for component in filter(_is_iri, objs.get(DCAT_theme, ())):
        out.append(f"{a} {DCAT_theme} {component}")
        out += records[_iri(component)]["lines"]
    out += [f"{a} {DCAT_theme} {known['tech']}", *known["tech lines"]]
    out += [f"{a} {DCT_spatial} {known['fin']}", *known["fin lines"]]
    for page in filter(_is_iri, objs.get(DCAT_landingPage, ())):
        out += [f"{a} {DCAT_landingPage} {page}", _document(page)]
    for page in filter(_is_iri, objs.get(known["api"], ())):
        out += [f"{a} {FOAF_page} {page}", _document(page)]
    doc = _t(uris.doc("offering", key))
    out += [f"{a} {FOAF_page} {doc}", _document(doc)]
    out += _distributions(uris, catalogue, a, key, objs, records)
    # assets._add_record, common.add_record
    record_iri = _t(f"{catalogue}#record-{key}")
    out += [
        f"{cat} {DCAT_record} {record_iri}",
        f"{record_iri} {TYPE} {DCAT_CatalogRecord}",
        f"{record_iri} {FOAF_primaryTopic} {a}",
        f"{a} {TYPE} {DCAT_Resource}",
        f"{record_iri} {DCT_modified} {_date(modified)}",
        f"{record_iri} {ADMS_status} {known['completed']}",
        *known["record"],
    ]
    out += [f"{record_iri} {DCT_conformsTo} {profile}" for profile in known["profiles"]]
    if first_published:
        out.append(f"{record_iri} {DCT_issued} {_date(first_published)}")
    return out


def _texts_and_dates(
    a: str, objs: dict[str, list[str]], records: dict[str, dict[str, Any]], modified: Any
) -> list[str]:
    """The lines of ``assets._add_texts_and_dates``."""
    out = []
    for p in COPIED:
        out += [f"{a} {p} {o}" for o in objs.get(p, ())]
    for standard in objs.get(DCT_conformsTo, ()):
        out += [f"{a} {DCT_conformsTo} {standard}", f"{standard} {TYPE} {DCT_Standard}"]
    if not objs.get(DCAT_keyword):
        for component in objs.get(DCAT_theme, ()):
            found = records.get(_iri(component), {}) if _is_iri(component) else {}
            out += [f"{a} {DCAT_keyword} {label}" for label in found.get("labels", ())]
    for p in (DCT_issued, DCT_modified):
        out += [f"{a} {p} {o}" for o in objs.get(p, ())]
    if not objs.get(DCT_modified):
        out.append(f"{a} {DCT_modified} {_date(modified)}")
    return out


def _distributions(
    uris: UriScheme,
    catalogue: str,
    a: str,
    key: str,
    objs: dict[str, list[str]],
    records: dict[str, dict[str, Any]],
) -> list[str]:
    """The lines of ``assets._add_distributions``."""
    from publisher.catalog import assets

    vocab = str(uris.vocab)
    out: list[str] = []
    licences = objs.get(DCT_license)
    licence = None
    if licences and _is_iri(licences[0]):
        record = records[_iri(licences[0])]
        licence = record["target"]
        out += record["lines"]
    distributions = 0
    for prop, (name, fi, en) in assets.DISTRIBUTIONS.items():
        predicate = DCAT_landingPage if prop == "landingPage" else _t(vocab + prop)
        for url in filter(_is_iri, objs.get(predicate, ())):
            out += _distribution(catalogue, a, key, name, url, (fi, en), licence)
            distributions += 1
    if not distributions:
        page = _t(uris.doc("offering", key, "html"))
        titles = assets.REGISTER_PAGE
        out += _distribution(catalogue, a, key, "register-page", page, titles, licence)
    return out


@functools.lru_cache(maxsize=4096)  # a page's dates are mostly one or two build times
def _date(value: Any) -> str:
    return str(to_oxigraph(date_literal(value)))


_HTML = authority.FILE_TYPES["HTML"].iri
_TEXT_HTML = _t(authority.iana_media_type("text/html"))


def _distribution(
    catalogue_iri: str,
    asset: str,
    key: str,
    name: str,
    url: str,
    titles: tuple[str, str],
    licence: str | None,
) -> list[str]:
    """The lines of ``assets._add_distribution``."""
    dist = _t(f"{catalogue_iri}#{key}-{name}")
    fi, en = titles
    out = [
        f"{asset} {DCAT_distribution} {dist}",
        f"{dist} {TYPE} {DCAT_Distribution}",
        f"{dist} {TYPE} {ADMS_AssetDistribution}",
        f"{dist} {DCAT_accessURL} {url}",
        f"{dist} {DCT_title} {_literal(fi, 'fi')}",
        f"{dist} {DCT_title} {_literal(en, 'en')}",
        f"{dist} {DCT_description} {_literal(f'{fi} (verkkosivu).', 'fi')}",
        f"{dist} {DCT_description} {_literal(f'{en} (web page).', 'en')}",
        f"{dist} {DCT_format} {_t(_HTML)}",
        *_authority_lines(str(_HTML)),
        f"{dist} {DCAT_mediaType} {_TEXT_HTML}",
        f"{_TEXT_HTML} {TYPE} {DCT_MediaType}",
    ]
    if licence is not None:
        out.append(f"{dist} {DCT_license} {licence}")
    return out
