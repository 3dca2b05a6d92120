"""Records → RDF compared with hand-reviewed golden Turtle (isomorphism, so blank-node
labels and order do not matter)."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from publisher.build import check_sources
from publisher.config import Settings
from publisher.uris import UriScheme

FIXTURES = Path(__file__).parent / "fixtures"


def test_minimal_fixture_maps_to_the_golden_graph() -> None:
    _catalogue, mapped = check_sources(
        Settings(data_dir=FIXTURES / "minimal"), progress=lambda _m: None
    )
    golden = Graph().parse(FIXTURES / "minimal.golden.ttl")
    if not isomorphic(mapped.catalogue, golden):
        _both, only_mapped, only_golden = graph_diff(
            to_isomorphic(mapped.catalogue), to_isomorphic(golden)
        )
        raise AssertionError(
            "mapping differs from golden:\n+ "
            + only_mapped.serialize(format="nt")
            + "\n- "
            + only_golden.serialize(format="nt")
        )


def test_mapping_follows_the_base_uri() -> None:
    base = "https://data.example.fi/avoinkunta/"
    _catalogue, mapped = check_sources(
        Settings(data_dir=FIXTURES / "minimal", base_uri=base), progress=lambda _m: None
    )
    uris = UriScheme(base)
    subjects = {str(s) for s in mapped.catalogue.subjects() if not str(s).startswith("n")}
    ours = {s for s in subjects if "localhost" in s}
    assert not ours
    assert str(uris.thing("offering", "esimerkki-kartta")) in subjects
    assert (None, None, uris.thing("component", "spatial-data")) in mapped.catalogue
    assert (uris.thing("component", "spatial-data"), None, None) in mapped.vocabulary
