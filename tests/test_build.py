"""The build: what the bundled catalogue publishes, atomicity, rollback and the ledger."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from publisher import build as build_module
from publisher import formats
from publisher.build import build
from publisher.errors import BuildError
from publisher.problems import SourceErrors
from publisher.publication import Publication
from publisher.store import ReadStore
from publisher.uris import UriScheme
from tests.conftest import BASE, make_settings, quiet

URIS = UriScheme(BASE)
AK = URIS.vocab
DECK_ORGANISATIONS = [
    "coss",
    "ibm-finland",
    "arcusys",
    "tiera",
    "open-knowledge-finland",
    "hh-partners",
]


def snapshot(out_dir: Path) -> dict[str, str]:
    """Every file under OUT/current (resolved) with its hash, plus the link targets."""
    current = (out_dir / "current").resolve()
    files = {
        str(p.relative_to(current)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(current.rglob("*"))
        if p.is_file()
    }
    files["<current>"] = os.readlink(out_dir / "current")
    return files


@pytest.fixture(scope="module")
def dump_graph(publication: Publication) -> Graph:
    return Graph().parse(publication.dumps_dir / "avoinkunta.ttl")


def test_bundled_catalogue_publishes_what_the_deck_names(dump_graph: Graph) -> None:
    for key in DECK_ORGANISATIONS:
        assert (URIS.thing("supplier", key), RDF.type, AK.Supplier) in dump_graph, key
    offerings = set(dump_graph.subjects(RDF.type, AK.Offering))
    assert len(offerings) >= 30
    layers = set(dump_graph.subjects(RDF.type, AK.ArchitectureLayer))
    components = set(dump_graph.subjects(RDF.type, AK.ArchitectureComponent))
    assert len(layers) == 7 and len(components) == 50
    for component in components:
        assert dump_graph.value(component, SKOS.broader) in layers


def test_no_offering_claims_to_be_from_the_2014_list(dump_graph: Graph) -> None:
    for offering in dump_graph.subjects(RDF.type, AK.Offering):
        assert dump_graph.value(offering, DCTERMS.source) is not None
        statement = dump_graph.value(offering, DCTERMS.provenance)
        assert statement is not None, offering


def test_every_dump_parses_to_the_same_graph(publication: Publication, dump_graph: Graph) -> None:
    manifest = publication.manifest
    for name, entry in manifest["dumps"].items():
        path = publication.dumps_dir / name
        assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"]
        assert path.stat().st_size == entry["bytes"]
        fmt = formats.BY_EXT[entry["format"]]
        if fmt.carries_graphs:  # N-Quads, TriG: the named graphs are kept
            dataset = Dataset()
            dataset.parse(path, format=fmt.rdflib)
            graphs = {str(graph) for _s, _p, _o, graph in dataset.quads((None, None, None, None))}
            assert graphs == {BASE + "graph/catalogue", BASE + "graph/vocabulary"}, name
            assert len(list(dataset.quads((None, None, None, None)))) == manifest["triples"]
            continue
        graph = Graph().parse(path, format=fmt.rdflib)
        assert len(graph) == len(dump_graph) == manifest["triples"], name


def test_store_matches_the_manifest(publication: Publication) -> None:
    store = ReadStore(publication.store_path)
    count = next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))
    assert int(count["n"].value) == publication.manifest["triples"]
    assert store.exists(str(URIS.thing("supplier", "coss")))
    assert publication.manifest["entities"]["offering"] >= 30


def test_describe_keeps_blank_node_structures_whole(publication: Publication) -> None:
    store = ReadStore(publication.store_path)
    koha = store.describe(str(URIS.thing("offering", "koha-suomi-service")), vocab=str(AK))
    pricing = koha.value(URIS.thing("offering", "koha-suomi-service"), AK.pricing)
    assert (
        pricing is not None and koha.value(pricing, URIRef("http://schema.org/price")) is not None
    )
    supplier = koha.value(URIS.thing("offering", "koha-suomi-service"), DCTERMS.publisher)
    assert len(list(koha.objects(supplier, URIRef("http://xmlns.com/foaf/0.1/name")))) >= 2


def test_failed_build_leaves_the_publication_untouched(tmp_path: Path, data_copy: Path) -> None:
    out = tmp_path / "out"
    build(make_settings(out, data_copy), progress=quiet)
    before = snapshot(out)
    supplier = data_copy / "suppliers" / "koha-suomi.yaml"
    supplier.write_text(supplier.read_text().replace("currency: EUR", "currency: euro"))
    with pytest.raises(SourceErrors):
        build(make_settings(out, data_copy), progress=quiet)
    assert snapshot(out) == before
    assert not [p for p in (out / "publications").iterdir() if p.name.startswith(".staging")]


def test_crash_while_writing_leaves_the_publication_untouched(
    tmp_path: Path, data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    build(make_settings(out, data_copy), progress=quiet)
    before = snapshot(out)

    def disk_full(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(build_module, "_write_dumps", disk_full)
    with pytest.raises(OSError):
        build(make_settings(out, data_copy), progress=quiet)
    assert snapshot(out) == before
    assert len(list((out / "publications").iterdir())) == 1


def test_previous_publication_is_kept_for_rollback(tmp_path: Path, data_copy: Path) -> None:
    out = tmp_path / "out"
    first = build(make_settings(out, data_copy), progress=quiet)
    second = build(make_settings(out, data_copy), progress=quiet)
    assert (out / "current").resolve() == second.path
    assert (out / "previous").resolve() == first.path
    assert second.manifest["previous"] == first.build_id


def test_base_uri_cannot_change_under_a_publication(tmp_path: Path, data_copy: Path) -> None:
    out = tmp_path / "out"
    build(make_settings(out, data_copy), progress=quiet)
    with pytest.raises(BuildError, match="never change meaning"):
        build(make_settings(out, data_copy, base="https://elsewhere.example/"), progress=quiet)


def test_ledger_records_removal_rename_and_modification(tmp_path: Path, data_copy: Path) -> None:
    out = tmp_path / "out"
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    first = build(make_settings(out, data_copy), progress=quiet, now=t0)
    helsinki = data_copy / "suppliers" / "city-of-helsinki.yaml"
    text = helsinki.read_text()
    assert "\n- id: kerrokantasi" in text and "\n- id: linked-events" in text
    # remove one offering with a successor, rename another, edit a third
    (data_copy / "retired.yaml").write_text(
        "retired:\n"
        "  - {id: respa, kind: offering, removed: 2026-02-01, replaced_by: linked-events}\n"
        "renamed:\n  kerro-kantasi-old: kerrokantasi\n"
    )
    text = _drop_offering(text, "respa")
    helsinki.write_text(text)
    koha = data_copy / "suppliers" / "koha-suomi.yaml"
    koha.write_text(koha.read_text().replace("amount: 0.28", "amount: 0.30", 1))
    second = build(make_settings(out, data_copy), progress=quiet, now=t0 + timedelta(days=40))
    ledger = second.ledger
    respa = ledger[str(URIS.thing("offering", "respa"))]
    assert respa["removed"] and respa["replaced_by"] == str(URIS.thing("offering", "linked-events"))
    assert (
        respa["first_published"]
        == first.ledger[str(URIS.thing("offering", "respa"))]["first_published"]
    )
    renamed = ledger[str(URIS.thing("offering", "kerro-kantasi-old"))]
    assert renamed["renamed_to"] == str(URIS.thing("offering", "kerrokantasi"))
    assert ledger[str(URIS.thing("offering", "koha-suomi-service"))]["modified"].startswith(
        "2026-02-10"
    )
    assert ledger[str(URIS.thing("offering", "x-road"))]["modified"].startswith("2026-01-01")
    assert second.manifest["removed"] >= 2
    # a third build with nothing changed keeps the removal date
    third = build(make_settings(out, data_copy), progress=quiet, now=t0 + timedelta(days=80))
    assert third.ledger[str(URIS.thing("offering", "respa"))]["removed"] == respa["removed"]
    json.dumps(third.ledger)  # stays plain JSON


def _drop_offering(text: str, offering_id: str) -> str:
    blocks = text.split("\n- id: ")
    kept = [b for b in blocks if not b.startswith(f"{offering_id}\n")]
    assert len(kept) == len(blocks) - 1, "offering block not found"
    return "\n- id: ".join(kept)


def test_out_folder_prunes_old_publications(tmp_path: Path, data_copy: Path) -> None:
    out = tmp_path / "out"
    settings = make_settings(out, data_copy)
    for _ in range(5):
        build(settings, progress=quiet)
    kept = [p for p in (out / "publications").iterdir()]
    assert len(kept) == settings.keep_publications
    assert (out / "current").resolve() in kept and (out / "previous").resolve() in kept
    shutil.rmtree(out)


def test_ledger_covers_concepts_and_schemes(publication: Publication) -> None:
    kinds = {entry["kind"] for entry in publication.ledger.values()}
    assert {"layer", "component", "scheme", "aspect", "domain", "phase", "route"} <= kinds
    assert publication.manifest["entities"]["component"] == 50
