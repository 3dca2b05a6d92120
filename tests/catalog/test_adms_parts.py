"""The ``adms`` build artefact (publisher.catalog.admsparts): pages made from it are the
pages made from the store, byte for byte, and an incremental build's artefact is the one a
cold write of the same publication gives."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from bench.generate import edit_one_file, generate
from publisher.build import build
from publisher.catalog import Context, admsparts, assets, build_page
from publisher.formats import BY_EXT
from publisher.publication import Publication
from publisher.store import ReadStore
from publisher.uris import UriScheme
from publisher.views.catalog import serialise_page
from tests.conftest import make_settings

T0 = datetime(2026, 3, 1, 12, tzinfo=UTC)
T1 = T0 + timedelta(days=3)


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Publication, Publication]:
    """A cold build of 140 generated offerings, then an incremental one after an offering
    was edited and a supplier lost its e-mail address (its assets now name the register's
    contact point)."""
    root = tmp_path_factory.mktemp("adms-parts")
    data = root / "data"
    generate(data, 140, seed=7)
    out = root / "out"
    first = build(make_settings(out, data), progress=lambda _m: None, now=T0)
    edit_one_file(data, round_=1)
    path = sorted((data / "suppliers").glob("*.yaml"))[3]
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    document["supplier"]["contact"].pop("email", None)
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), "utf-8")
    second = build(make_settings(out, data), progress=lambda _m: None, now=T1)
    return first, second


def _context(publication: Publication, parts: Path | None) -> Context:
    return Context(
        uris=UriScheme(publication.base_uri),
        store=ReadStore(publication.path / "store"),
        modified=publication.modified,
        manifest=publication.manifest,
        ledger=publication.ledger,
        adms_parts=parts,
    )


def _pages(publication: Publication, parts: Path | None, size: int) -> list[bytes]:
    ctx = _context(publication, parts)
    every = assets.items(ctx)
    found = []
    for number in range(1, -(-len(every) // size) + 1):
        for ext in ("ttl", "nt", "jsonld", "rdf"):
            page = build_page(_context(publication, parts), "adms", number=number, size=size)
            found.append(serialise_page(page.graph, BY_EXT[ext], page.lines))
    return found


def test_pages_from_the_artefact_are_the_pages_from_the_store(
    two_builds: tuple[Publication, Publication],
) -> None:
    for publication in two_builds:
        parts = publication.artefact(admsparts.NAME)
        assert parts is not None and (parts / admsparts.INDEX).exists()
        ctx = _context(publication, parts)
        listed, queried = assets.items(ctx), assets.items(_context(publication, None))
        assert [(i.iri, i.key, i.modified) for i in listed] == [
            (i.iri, i.key, i.modified) for i in queried
        ]
        assert all(i.parts for i in listed if i.removal is None)
        page = build_page(ctx, "adms", number=1, size=25)
        assert page.lines  # the assets were made from the artefact, not the store
        assert _pages(publication, parts, 25) == _pages(publication, None, 25)


def test_an_incremental_artefact_is_a_cold_one(
    two_builds: tuple[Publication, Publication], tmp_path: Path
) -> None:
    first, second = two_builds
    folder = second.artefact(admsparts.NAME)
    previous = first.artefact(admsparts.NAME)
    assert folder is not None and previous is not None
    cold = tmp_path / "cold"
    cold.mkdir()
    admsparts.write_artefact(
        SimpleNamespace(
            store_path=second.path / "store",
            previous_folder=None,
            changed=frozenset(),
            publication_dir=second.path,
            uris=UriScheme(second.base_uri),
            ledger=second.ledger,
            folder=cold,
            shared={},  # (what the build's artefacts share: nothing made yet)
        )
    )
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted(p.name for p in cold.iterdir())
    for name in names:
        assert (folder / name).read_bytes() == (cold / name).read_bytes(), name
    # Reused: most record files are the previous build's (hard links), some were rewritten.
    linked = [n for n in names if n != admsparts.INDEX and (folder / n).samefile(previous / n)]
    assert 0 < len(linked) < len(names) - 1


def test_the_dump_index_is_made_once_per_build(two_builds: tuple[Publication, Publication]) -> None:
    """The feed and the ADMS records both read descriptions from the dump: the index of
    it is made once per build (the artefacts' shared dict), not once per artefact."""
    from publisher.feed.payload import DumpIndex, dump_index_of

    _first, second = two_builds
    context = SimpleNamespace(
        publication_dir=second.path,
        store_path=second.path / "store",
        uris=UriScheme(second.base_uri),
        shared={},
    )
    index = dump_index_of(context)
    assert isinstance(index, DumpIndex)
    assert dump_index_of(context) is index
    other_build = SimpleNamespace(**{**vars(context), "shared": {}})
    assert dump_index_of(other_build) is not index
