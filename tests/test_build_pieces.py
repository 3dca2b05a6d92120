"""The build's fast paths give what the plain ways give, byte for byte.

* A file's triples sorted as N-Triples lines are ``sort_triples`` written out.
* A chunk's N-Quads and TriG made from its N-Triples and Turtle text are pyoxigraph's own.
* Ledger facts from N-Triples lines are those of the triples, in any order.
* A dump written from reused chunks (copied in runs from the previous dump) is the dump
  written from every chunk's bodies.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from publisher.build.dumps import FORMATS, Chunk, ChunkIndex, DumpWriter, Framing
from publisher.build.terms import ntriples, parse_ntriples, sort_triples, sorted_ntriples
from publisher.build.units import dump_prefixes
from publisher.ledger import ntriples_facts, subject_facts
from publisher.uris import UriScheme
from tests.conftest import BASE

URIS = UriScheme(BASE)
GRAPH = f"{BASE}graph/catalogue"
XSD = "http://www.w3.org/2001/XMLSchema#"
NAME = ox.NamedNode("http://xmlns.com/foaf/0.1/name")
LABEL = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")


def _thing(kind: str, key: str) -> ox.NamedNode:
    return ox.NamedNode(str(URIS.thing(kind, key)))


def _triples(seed: int, subjects: int = 12) -> list[ox.Triple]:
    """Awkward triples: prefixes of one another, blank nodes, texts with line breaks,
    quotes, tabs and non-ASCII, typed and language-tagged literals, repeats."""
    rng = random.Random(seed)
    nodes: list[ox.NamedNode | ox.BlankNode] = [_thing("offering", "a"), _thing("offering", "a-b")]
    nodes += [_thing("supplier", f"s{i}") for i in range(subjects)]
    nodes += [ox.BlankNode(label) for label in ("b", "b1", "b10", "bx", "offering.a.parts.1")]
    predicates = [NAME, LABEL, ox.NamedNode(f"{BASE}vocab#p"), ox.NamedNode(f"{BASE}vocab#p2")]
    literals = [
        ox.Literal("x"),
        ox.Literal("x y"),
        ox.Literal("x", language="fi"),
        ox.Literal("x", language="en"),
        ox.Literal('two\nlines, a "quote", a \\ and\ta tab', language="en"),
        ox.Literal("äö €", language="sv"),
        ox.Literal("0", datatype=ox.NamedNode(XSD + "decimal")),
        ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean")),
        ox.Literal("2014-09-16", datatype=ox.NamedNode(XSD + "date")),
        ox.Literal("_:not a node ."),
    ]
    triples = []
    for _ in range(300):
        obj: ox.NamedNode | ox.BlankNode | ox.Literal = rng.choice([*nodes, *literals, *literals])
        triples.append(ox.Triple(rng.choice(nodes), rng.choice(predicates), obj))
    return triples


@pytest.mark.parametrize("seed", range(5))
def test_sorted_lines_are_sort_triples(seed: int) -> None:
    triples = _triples(seed)
    rng = random.Random(seed)
    rng.shuffle(triples)
    expected = ntriples(sort_triples(triples))
    assert sorted_ntriples(ntriples(triples)) == expected
    assert ntriples(parse_ntriples(expected)) == expected
    assert sorted_ntriples(b"") == b""


@pytest.mark.parametrize("seed", range(5))
def test_chunk_formats_are_pyoxigraphs(seed: int) -> None:
    framing = Framing(dump_prefixes(URIS))
    triples = sort_triples(_triples(seed))
    made = framing.chunk(ntriples(triples), GRAPH)
    reference = framing._serialised(triples, GRAPH)
    assert made.keys() == {f.ext for f in FORMATS}
    for ext in made:
        assert made[ext] == reference[ext], ext
    assert framing.chunk(b"", GRAPH) == framing._serialised([], GRAPH)


@pytest.mark.parametrize("seed", range(3))
def test_facts_from_lines_do_not_depend_on_order(seed: int) -> None:
    triples = sort_triples(_triples(seed))
    facts = ntriples_facts(ntriples(triples), URIS)
    assert facts and all(f.kind in {"offering", "supplier"} for f in facts.values())
    shuffled = list(triples)
    random.Random(seed).shuffle(shuffled)
    again = subject_facts(shuffled, URIS)
    assert {k: v.hash for k, v in again.items()} == {k: v.hash for k, v in facts.items()}


def _chunks(framing: Framing, keys: list[str]) -> list[Chunk]:
    chunks = []
    for key in keys:
        seed = int(key[1:])
        triples = [] if seed % 7 == 3 else sort_triples(_triples(seed, subjects=2)[: 5 + seed])
        chunks.append(Chunk(key, len(triples), framing.chunk(ntriples(triples), GRAPH)))
    return chunks


def _write(
    folder: Path, framing: Framing, chunks: list[Chunk], previous: Path | None = None
) -> tuple[dict[str, dict[str, Any]], ChunkIndex]:
    index = ChunkIndex.load(previous / "index.json") if previous else None
    writer = DumpWriter(folder, framing, index, previous)
    for chunk in chunks:
        writer.add(chunk)
    entries, written = writer.close()
    written.save(folder / "index.json")
    return entries, written


@pytest.mark.parametrize("seed", range(6))
def test_reused_chunks_give_the_dump_a_full_write_gives(tmp_path: Path, seed: int) -> None:
    framing = Framing(dump_prefixes(URIS))
    rng = random.Random(seed)
    keys = [f"k{i}" for i in range(30)]  # k3, k10, k17, k24 are empty chunks
    first = tmp_path / "first"
    _write(first, framing, _chunks(framing, keys))
    # The next build: some chunks gone, some new, some moved, the rest reused.
    kept = [k for k in keys if rng.random() > 0.2]
    new = [f"k{100 + i}" for i in range(rng.randint(0, 4))]
    order = kept + new
    for _ in range(rng.randint(0, 3)):
        i, j = rng.randrange(len(order)), rng.randrange(len(order))
        order[i], order[j] = order[j], order[i]
    full = {c.key: c for c in _chunks(framing, order)}
    reused = [
        Chunk(k, full[k].triples, None if k in keys and rng.random() > 0.1 else full[k].bodies)
        for k in order
    ]
    second = tmp_path / "second"
    entries, index = _write(second, framing, reused, first)
    cold = tmp_path / "cold"
    cold_entries, cold_index = _write(cold, framing, [full[k] for k in order])
    assert entries == cold_entries
    assert index == cold_index
    for fmt in FORMATS:
        name = f"avoinkunta.{fmt.ext}"
        assert (second / name).read_bytes() == (cold / name).read_bytes(), fmt.ext


def test_only_a_build_makes_dump_chunks(tmp_path: Path) -> None:
    from publisher.build import check
    from tests.conftest import make_settings, quiet

    settings = make_settings(tmp_path / "out")
    assert all(u.chunks is None for u in check(settings, quiet, workers=1).units)
    seen: list[bool] = []
    check(settings, quiet, workers=1, on_unit=lambda u: seen.append(u.chunks is not None))
    assert seen and all(seen)


def test_a_dump_of_the_same_chunks_is_the_previous_file(tmp_path: Path) -> None:
    framing = Framing(dump_prefixes(URIS))
    keys = [f"k{i}" for i in range(12)]
    chunks = _chunks(framing, keys)
    first, second, third = tmp_path / "first", tmp_path / "second", tmp_path / "third"
    entries, index = _write(first, framing, chunks)
    again, again_index = _write(second, framing, [Chunk(c.key, c.triples) for c in chunks], first)
    assert (again, again_index) == (entries, index)
    for fmt in FORMATS:
        name = f"avoinkunta.{fmt.ext}"
        assert (second / name).stat().st_ino == (first / name).stat().st_ino  # linked
    # One chunk less at the end: written, not linked, and still right.
    fewer, _ = _write(third, framing, [Chunk(c.key, c.triples) for c in chunks[:-1]], second)
    cold, _ = _write(tmp_path / "cold", framing, chunks[:-1])
    assert fewer == cold
    for fmt in FORMATS:
        name = f"avoinkunta.{fmt.ext}"
        assert (third / name).stat().st_ino != (second / name).stat().st_ino
        assert (third / name).read_bytes() == (tmp_path / "cold" / name).read_bytes()


def _ledger(seed: int, size: int = 40) -> dict[str, dict[str, Any]]:
    rng = random.Random(seed)
    ledger = {}
    for i in sorted(rng.sample(range(size * 2), size)):
        iri = str(URIS.thing("offering", f"o{i}"))
        ledger[iri] = {
            "kind": "offering",
            "key": f"o{i}",
            "label": {"fi": f'Tarjooma {i} — ä "lainaus"\n', "en": f"Offering {i}"},
            "hash": f"{rng.getrandbits(64):016x}",
            "first_published": "2026-03-01T12:00:00+00:00",
            "modified": "2026-03-01T12:00:00+00:00",
            "removed": None,
            "replaced_by": None,
            "renamed_to": None,
        }
    return ledger


@pytest.mark.parametrize("seed", range(4))
def test_ledger_lines_copied_from_the_previous_file_give_a_fresh_write(
    tmp_path: Path, seed: int
) -> None:
    import json

    from publisher.ledger import write_ledger

    before = _ledger(seed)
    write_ledger(tmp_path / "before.json", before)
    assert json.loads((tmp_path / "before.json").read_text("utf-8")) == before
    # The next ledger: some entries changed, some gone, some new, the rest as they were.
    rng = random.Random(seed)
    after = {iri: dict(entry) for iri, entry in before.items() if rng.random() > 0.1}
    for entry in after.values():
        if rng.random() < 0.2:
            entry["modified"] = "2026-03-04T12:00:00+00:00"
    after.update(_ledger(seed + 100, size=5))
    after = dict(sorted(after.items()))
    write_ledger(tmp_path / "reused.json", after, before, tmp_path / "before.json")
    write_ledger(tmp_path / "fresh.json", after)
    assert (tmp_path / "reused.json").read_bytes() == (tmp_path / "fresh.json").read_bytes()
    assert json.loads((tmp_path / "fresh.json").read_text("utf-8")) == after
    # A previous file in another layout: nothing copied, the same bytes.
    (tmp_path / "indented.json").write_text(json.dumps(before, indent=1), encoding="utf-8")
    write_ledger(tmp_path / "again.json", after, before, tmp_path / "indented.json")
    assert (tmp_path / "again.json").read_bytes() == (tmp_path / "fresh.json").read_bytes()
    write_ledger(tmp_path / "empty.json", {})
    assert json.loads((tmp_path / "empty.json").read_text("utf-8")) == {}


def test_artefact_entries_kept_for_linked_files_are_the_files_hashes(tmp_path: Path) -> None:
    import hashlib
    import os

    from publisher.artefacts import _files, _listing

    old, new = tmp_path / "old", tmp_path / "new"
    for folder in (old / "pages", new / "pages"):
        folder.mkdir(parents=True)
    for i in range(5):
        (old / "pages" / f"{i}.nt").write_bytes(f"page {i}\n".encode() * (i + 1))
    (old / "index").write_bytes(b"old index")
    fresh = _files(old)
    for i in range(3):  # closed pages linked, the others written anew
        os.link(old / "pages" / f"{i}.nt", new / "pages" / f"{i}.nt")
    (new / "pages" / "3.nt").write_bytes(b"page 3, changed\n")
    (new / "pages-x").write_bytes(b"after pages/, as paths sort")
    (new / "index").write_bytes(b"new index")
    known = {path: (inode, fresh[path]) for path, inode in _listing(old).items()}
    entries = _files(new, known, _listing(new))
    expected = {
        p.relative_to(new).as_posix(): {
            "bytes": p.stat().st_size,
            "sha256": hashlib.sha256(p.read_bytes()).hexdigest(),
        }
        for p in sorted(q for q in new.rglob("*") if q.is_file())
    }
    assert list(entries) == list(expected)
    assert entries == expected


def test_a_unit_packed_for_the_cache_is_the_unit(tmp_path: Path) -> None:
    from publisher.build import check
    from publisher.build.cache import pack_unit, unpack_unit
    from publisher.build.units import stable_pickle
    from publisher.problems import Problem
    from publisher.sources import Offering, ReadResult
    from tests.conftest import make_settings, quiet

    units = check(make_settings(tmp_path / "out"), quiet, workers=1).units
    assert any(u.facts for u in units) and any(
        s.offerings for u in units for s in u.outline.suppliers
    )
    problem = Problem("data/x.yaml", "offering x", "title", "required", "say it", line=3)
    held = Offering(values={"id": "x", "supplier": "elsewhere"}, file="data/x.yaml", line=2)
    units[0].outline = ReadResult(units[0].outline.suppliers, (held,), (problem,))
    units[0].problems.append(problem)
    units[0].rule_problems.append(Problem("data/x.yaml", "-", "-", "rule", "m"))
    for unit in units:
        again = unpack_unit(pack_unit(unit))
        assert again == unit
        assert again.outline == unit.outline  # compare=True fields only, so also these:
        assert stable_pickle(pack_unit(again)) == stable_pickle(pack_unit(unit))


def test_modified_lines_are_the_sorted_triples(tmp_path: Path) -> None:
    from publisher.build import DCT_MODIFIED, XSD_DATETIME, modified_lines
    from publisher.build.terms import Canonical

    ledger = _ledger(7)
    ledger.update(_ledger(8, size=10))
    for i, iri in enumerate(list(ledger)):  # IRIs that are prefixes of others; mixed dates
        ledger[iri + "-b"] = dict(ledger[iri], modified=f"2026-03-0{1 + i % 3}T12:00:00+00:00")
    ledger[str(URIS.thing("supplier", "s"))] = dict(next(iter(ledger.values())), kind="supplier")
    gone = next(iter(ledger))
    ledger[gone] = dict(ledger[gone], removed="2026-03-02T12:00:00+00:00")
    ledger[f"{BASE}id/licence/x"] = dict(next(iter(ledger.values())), kind="licence")
    ledger = dict(sorted(ledger.items()))
    described = set(list(ledger)[1:-3])
    canonical = Canonical()
    expected = ntriples(
        sort_triples(
            ox.Triple(
                ox.NamedNode(iri),
                DCT_MODIFIED,
                canonical.literal(ox.Literal(entry["modified"], datatype=XSD_DATETIME)),
            )
            for iri, entry in ledger.items()
            if not entry["removed"]
            and entry["kind"] in {"offering", "supplier"}
            and iri in described
        )
    )
    assert expected.count(b"\n") > 40
    assert modified_lines(ledger, described) == expected
    assert modified_lines({}, set()) == b""


def test_licences_packed_for_the_cache_are_the_licences(tmp_path: Path) -> None:
    from publisher.build import check
    from publisher.build.mapfile import FileGraph
    from publisher.build.units import stable_pickle
    from tests.conftest import make_settings, quiet

    checked = check(make_settings(tmp_path / "out"), quiet, workers=1)
    graph = checked.bench.licences(sorted({n for u in checked.units for n in u.licences_used}))
    assert graph.ntriples
    again = FileGraph.unpack(graph.packed())
    assert again == graph
    assert stable_pickle(again.packed()) == stable_pickle(graph.packed())


def test_stores_are_closed_when_made(tmp_path: Path) -> None:
    from publisher.build.storage import StoreLoader, load_store, update_store

    triples = sort_triples(_triples(1))
    lines = ntriples(triples).replace(b" .\n", f" <{GRAPH}> .\n".encode())
    (tmp_path / "all.nq").write_bytes(lines)
    first = load_store(tmp_path / "first", tmp_path / "all.nq")
    ox.Store(str(tmp_path / "first"))  # opens read-write: nobody holds it any more
    loader = StoreLoader(tmp_path / "loaded")
    loader.add(lines)
    assert loader.finish() == first
    ox.Store(str(tmp_path / "loaded"))
    removed = lines.splitlines(keepends=True)[:5]
    added = f"<{BASE}x> <{BASE}p> <{BASE}y> <{GRAPH}> .\n".encode()
    counted = update_store(
        tmp_path / "next", tmp_path / "first", b"".join(removed) + added, added, first
    )
    ox.Store(str(tmp_path / "next"))
    store = ox.Store.read_only(str(tmp_path / "next"))
    assert counted == len(store) == first - len(removed) + 1
    assert update_store(tmp_path / "again", tmp_path / "next", b"", b"") == counted


def test_a_vocabulary_kept_in_the_cache_is_the_vocabulary(tmp_path: Path) -> None:
    import pickle

    from publisher.build import check
    from publisher.build.units import Workbench, stable_pickle
    from tests.conftest import make_settings, quiet

    inputs = check(make_settings(tmp_path / "out"), quiet, workers=1).bench.inputs
    fresh = Workbench(inputs)
    summary = fresh.vocabulary_summary()
    kept = Workbench(inputs)
    kept.keep_vocabulary(pickle.loads(stable_pickle(summary)))
    assert "vocabulary" not in kept.__dict__  # nothing parsed
    assert kept.vocabulary_ntriples == fresh.vocabulary_ntriples
    assert kept.vocabulary_triples == fresh.vocabulary_triples
    assert kept.known == fresh.known and kept.known.components
    assert kept.vocabulary_version == fresh.vocabulary_version is not None
    assert stable_pickle(kept.vocabulary_summary()) == stable_pickle(summary)
