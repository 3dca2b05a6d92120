"""VoID statistics derived from the previous publication's (``void_stats.update``, what an
incremental build does) are exactly a count of the whole store, when subjects, classes and
blank nodes come and go."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyoxigraph as ox
import pytest

from bench.generate import generate, remove_one_and_copy_one
from publisher import void_stats
from publisher.build import build
from publisher.store import ReadStore
from tests.conftest import BASE, make_settings, quiet

SPACE = f"{BASE}id/"
VOCAB = f"{BASE}ontology#"
T0 = datetime(2026, 3, 1, 12, tzinfo=UTC)
TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def _n(local: str) -> ox.NamedNode:
    return ox.NamedNode(SPACE + local)


def _store(path: Path, quads: list[ox.Quad]) -> ReadStore:
    store = ox.Store(str(path))
    store.extend(quads)
    store.flush()
    del store
    return ReadStore(path)


def test_update_equals_a_count(tmp_path: Path) -> None:
    catalogue, other = ox.NamedNode(f"{BASE}graph/catalogue"), ox.NamedNode(f"{BASE}graph/x")
    name, part = ox.NamedNode(VOCAB + "name"), ox.NamedNode(VOCAB + "part")
    kept, gone, born = _n("offering/kept"), _n("offering/gone"), _n("supplier/born")
    blank, outside = ox.BlankNode("b1"), ox.NamedNode("http://example.org/outside")
    common = [
        ox.Quad(kept, TYPE, ox.NamedNode(VOCAB + "Offering"), catalogue),
        ox.Quad(kept, name, ox.Literal("kept"), catalogue),
        ox.Quad(kept, name, ox.Literal("kept"), other),  # the same triple in two graphs
        ox.Quad(outside, name, ox.Literal("not ours"), catalogue),
    ]
    old_quads = common + [
        ox.Quad(gone, TYPE, ox.NamedNode(VOCAB + "Offering"), catalogue),
        ox.Quad(gone, TYPE, ox.NamedNode(VOCAB + "Service"), catalogue),  # a class that goes
        ox.Quad(gone, part, blank, catalogue),
        ox.Quad(blank, name, ox.Literal("part"), catalogue),
    ]
    new_quads = common + [
        ox.Quad(kept, TYPE, ox.NamedNode(VOCAB + "Product"), catalogue),  # a class that comes
        ox.Quad(born, TYPE, ox.NamedNode(VOCAB + "Supplier"), catalogue),
        ox.Quad(born, name, ox.Literal("born"), other),
        ox.Quad(outside, name, ox.Literal("changed"), catalogue),
    ]
    old, new = _store(tmp_path / "old", old_quads), _store(tmp_path / "new", new_quads)
    before, after = void_stats.count(old, SPACE), void_stats.count(new, SPACE)
    assert VOCAB + "Service" in before.classes and VOCAB + "Service" not in after.classes
    assert VOCAB + "Product" in after.classes and VOCAB + "Product" not in before.classes
    subjects = {q.subject for q in set(old_quads) ^ set(new_quads)}
    assert void_stats.update(before, sorted(subjects, key=str), old, new, SPACE) == after
    # A subject that did not change may be among them: it adds nothing.
    more = sorted(subjects | {kept}, key=str)
    assert void_stats.update(before, more, old, new, SPACE) == after
    # And read from the N-Quads the store was made of, the same figures.
    for quads, stats, name in ((old_quads, before, "old"), (new_quads, after, "new")):
        assert void_stats.count_dump(tmp_path / name, _dump(tmp_path, quads), SPACE) == stats


def _dump(folder: Path, quads: list[ox.Quad]) -> Path:
    """The quads as an N-Quads dump is written: each subject's lines together."""
    path = folder / "dump.nq"
    path.write_bytes(ox.serialize(sorted(quads, key=str), format=ox.RdfFormat.N_QUADS) or b"")
    return path


def test_count_dump_reads_only_what_it_can(tmp_path: Path) -> None:
    graph = ox.NamedNode(f"{BASE}graph/catalogue")
    thing, name = _n("offering/x"), ox.NamedNode(VOCAB + "name")
    # The predicate's text inside a literal is not a type; a subject split over two runs
    # of lines (two chunks of the dump) is one subject.
    quads = [
        ox.Quad(thing, TYPE, ox.NamedNode(VOCAB + "Offering"), graph),
        ox.Quad(thing, name, ox.Literal(f"x {TYPE} <{VOCAB}Fake> y"), graph),
        ox.Quad(_n("offering/y"), name, ox.Literal("y\nz"), graph),
    ]
    store = _store(tmp_path / "store", quads)
    path = tmp_path / "dump.nq"
    text = ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""
    lines = text.splitlines(keepends=True)
    path.write_bytes(b"".join([lines[0], lines[2], lines[1]]))
    assert void_stats.count_dump(tmp_path / "store", path, SPACE) == void_stats.count(store, SPACE)
    # A class that is not an IRI: left to the store's count.
    odd = quads + [ox.Quad(_n("offering/z"), TYPE, ox.Literal("Offering"), graph)]
    _store(tmp_path / "odd", odd)
    assert void_stats.count_dump(tmp_path / "odd", _dump(tmp_path, odd), SPACE) is None


def _kind(data: Path, old: str, new: str, *, count: int | None = None) -> None:
    """Turn offerings of type ``old`` into ``new`` (every one, or the first ``count``)."""
    left = count
    for path in sorted((data / "suppliers").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        if left is None:
            changed = text.replace(f"  type: {old}\n", f"  type: {new}\n")
        else:
            changed = text.replace(f"  type: {old}\n", f"  type: {new}\n", left)
            left -= text.count(f"  type: {old}\n") - changed.count(f"  type: {old}\n")
        path.write_text(changed, encoding="utf-8")
        if left == 0:
            break


@pytest.mark.slow
def test_incremental_void_equals_a_cold_count(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data, out = tmp_path / "data", tmp_path / "out"
    generate(data, 60, seed=11)
    first = build(make_settings(out, data), progress=quiet, now=T0)
    cold = void_stats.read(first.artefact("void"))  # type: ignore[arg-type]
    assert cold == void_stats.count(ReadStore(first.store_path), SPACE)  # read from the dump
    assert VOCAB + "Service" in cold.classes and VOCAB + "Product" in cold.classes

    def refused(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the incremental build counted the whole store")

    steps = [
        # a supplier and its offerings removed, another added; every service a product
        lambda: _remove_and_add(data) or _kind(data, "service", "product"),
        lambda: _kind(data, "product", "service", count=1),  # the class comes back
    ]
    for day, step in enumerate(steps, start=1):
        step()
        with monkeypatch.context() as patch:
            patch.setattr(void_stats, "count", refused)
            patch.setattr(void_stats, "count_dump", refused)  # nor read the whole dump
            publication = build(
                make_settings(out, data), progress=quiet, now=T0 + timedelta(days=day)
            )
        folder = publication.artefact("void")
        assert folder is not None
        stats = void_stats.read(folder)
        assert stats == void_stats.count(ReadStore(publication.store_path), SPACE)
        assert (VOCAB + "Service" in stats.classes) == (day == 2)
        assert stats != void_stats.read(first.artefact("void"))  # type: ignore[arg-type]


def _remove_and_add(data: Path) -> None:
    remove_one_and_copy_one(data)  # a supplier and its offerings removed, a copy added


@pytest.mark.parametrize("block", [3, void_stats.PREFIX_BLOCK])
def test_differing_lines_keep_every_line_of_the_difference(
    block: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What an incremental build reads of a chunk that went and the one that came in its
    place: whole lines, every line in one and not the other among them."""
    import os
    import random

    monkeypatch.setattr(void_stats, "PREFIX_BLOCK", block)
    chosen = random.Random(block)

    def line() -> bytes:
        return f'<{SPACE}s{chosen.randint(0, 9)}> <{VOCAB}p> "{chosen.choice("abc")}" .\n'.encode()

    for _round in range(2000):
        lines = [line() for _ in range(chosen.randint(0, 12))]
        other = list(lines)
        for _edit in range(chosen.randint(0, 3)):
            at = chosen.randint(0, len(other))
            if chosen.random() < 0.4 and other:
                del other[min(at, len(other) - 1)]
            else:
                other.insert(at, line())
        a, b = b"".join(lines), b"".join(other)
        assert void_stats._common_prefix(a, b) == len(os.path.commonprefix([a, b]))
        assert void_stats._common_suffix(a, b) == len(os.path.commonprefix([a[::-1], b[::-1]]))
        x, y = void_stats._differing_lines(a, b)
        for whole, part in ((a, x), (b, y)):  # whole lines of it, in one piece
            assert part == b"" or part.endswith(b"\n")
            assert part in whole and set(part.splitlines()) <= set(whole.splitlines())
        difference = set(a.splitlines()) ^ set(b.splitlines())
        assert difference <= set(x.splitlines()) ^ set(y.splitlines())
