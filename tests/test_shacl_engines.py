"""The build's SHACL engine (pyshacl-turbo) against the reference (pySHACL).

Every rule fixture (tests/test_rules.py: broken sources and broken graphs), the valid
fixtures and generated catalogues go through both engines, which must report the same
results: focus node, source shape and constraint, path, severity, constraint component,
value and message. Then the build's way of validating — file by file, in small batches,
with the vocabulary and licences once — must find exactly the problems that validating the
whole catalogue at once with the reference engine finds.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.namespace import RDF, SH

from bench.generate import generate
from publisher.build import check, units
from publisher.config import PROJECT_ROOT, Settings
from publisher.mapping import map_catalogue
from publisher.mapping.vocabulary import known_ids, load_vocabulary
from publisher.problems import SourceErrors
from publisher.sources import read_catalogue
from publisher.uris import UriScheme
from publisher.validation import load_shapes, run_shacl, validate_mapped
from tests.test_rules import GRAPH_CASES, YAML_CASES, _fix_old_parts
from tests.test_source_checks import MINIMAL, SUPPLIER, broken_copy

# Slow layer: every rule fixture goes through pySHACL, the slow reference engine, too.
# Not in `make test-fast`.
pytestmark = pytest.mark.slow

URIS = UriScheme("http://localhost:8080/")
SHAPES = load_shapes(PROJECT_ROOT / "shapes", URIS)
VOCABULARY = load_vocabulary(PROJECT_ROOT / "ontology", URIS)
FIELDS = (
    SH.focusNode,
    SH.sourceShape,
    SH.sourceConstraint,
    SH.resultPath,
    SH.resultSeverity,
    SH.sourceConstraintComponent,
    SH.value,
    SH.resultMessage,
)


def union_of(data: Path) -> Graph:
    catalogue = read_catalogue(data, known_ids(VOCABULARY, URIS))
    return map_catalogue(catalogue, URIS, VOCABULARY).union()


def results(report: Graph) -> set[tuple[str, ...]]:
    return {
        tuple(str(report.value(result, p)) for p in FIELDS)
        for result in report.subjects(RDF.type, SH.ValidationResult)
    }


def both_engines(graph: Graph) -> set[tuple[str, ...]]:
    """The results, after checking that both engines (and both inputs of the fast one)
    give them."""
    ok_ref, reference, _ = run_shacl(graph, SHAPES, "pyshacl")
    ok_fast, fast, _ = run_shacl(graph, SHAPES, "pyshacl-turbo")
    store = ox.Store()
    store.bulk_extend(
        ox.parse(
            graph.serialize(format="nt", encoding="utf-8"),
            format=ox.RdfFormat.N_TRIPLES,
            rename_blank_nodes=False,
        )
    )
    ok_store, from_store, _ = run_shacl(store, SHAPES, "pyshacl-turbo")
    expected = results(reference)
    assert results(fast) == expected
    assert results(from_store) == expected
    assert ok_ref == ok_fast == ok_store == (not expected)
    return expected


@pytest.mark.parametrize(
    ("rule", "old", "new", "record", "field"), YAML_CASES, ids=[c[0] for c in YAML_CASES]
)
def test_engines_agree_on_broken_sources(
    tmp_path: Path, rule: str, old: str, new: str, record: str, field: str
) -> None:
    data = broken_copy(tmp_path, SUPPLIER, old, new)
    if "old_parts" in new:
        path = data / SUPPLIER
        path.write_text(_fix_old_parts(path.read_text(encoding="utf-8")), encoding="utf-8")
    found = both_engines(union_of(data))
    assert any(rule in r[1] or rule in r[2] for r in found), found


@pytest.mark.parametrize(
    ("rule", "edit"), GRAPH_CASES, ids=[f"{i}-{c[0]}" for i, c in enumerate(GRAPH_CASES)]
)
def test_engines_agree_on_broken_graphs(rule: str, edit) -> None:  # type: ignore[no-untyped-def]
    graph = union_of(MINIMAL)
    edit(graph)
    found = both_engines(graph)
    assert any(rule in r[1] or rule in r[2] for r in found), found


@pytest.mark.parametrize("data", [MINIMAL, PROJECT_ROOT / "data"], ids=["minimal", "bundled"])
def test_engines_agree_on_valid_catalogues(data: Path) -> None:
    assert both_engines(union_of(data)) == set()


# Breakages spread over several files of a generated catalogue: (file index, regex, new).
BREAKAGES = [
    (0, r"(\n  - )?https://git\.example\.org/[^\n]*README\.md", ""),  # fewer sources: fine
    (1, r"\n  repository: [^\n]+", ""),  # open-source claim without a repository
    (2, r"licence: (MIT|Apache-2.0|EUPL-1.2|EUPL-1.1|ISC|PostgreSQL|BSD-\S+)\n", "licence: x\n"),
    (3, r"\n    currency: EUR", ""),  # an amount without its currency
    (4, r"business_id: \S+", "business_id: 1234567-1"),
    (5, r"\n    en: ", "\n    de: "),  # a German text (the source checks refuse it)
]


def test_batched_validation_finds_what_whole_graph_validation_finds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    generate(data, 80, seed=11)
    (data / "licences.yaml").write_text(
        (data / "licences.yaml").read_text(encoding="utf-8")
        + "- id: x\n  name: {fi: Suljettu, en: Closed}\n  open_source: false\n",
        encoding="utf-8",
    )
    files = sorted((data / "suppliers").glob("*.yaml"))
    broken: set[Path] = set()
    for index, pattern, new in BREAKAGES[:5]:
        # the first file from this one on that the breakage applies to, one per file
        path = next(
            f
            for f in files[index * len(files) // 6 :] + files
            if f not in broken and re.search(pattern, f.read_text(encoding="utf-8"))
        )
        broken.add(path)
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(pattern, new, text, count=1), encoding="utf-8")
    monkeypatch.setattr(units, "BATCH_FILES", 3)  # many batches, files split between them
    settings = Settings(data_dir=data, out_dir=tmp_path / "out")
    with pytest.raises(SourceErrors) as caught:
        check(settings, progress=lambda _m: None, workers=2)
    assert caught.value.stage == "rules"

    catalogue = read_catalogue(data, known_ids(VOCABULARY, URIS))
    whole = validate_mapped(map_catalogue(catalogue, URIS, VOCABULARY), SHAPES, URIS, "pyshacl")
    assert len({p.file for p in whole.problems}) >= 3
    assert sorted(caught.value.problems) == sorted(whole.problems)


def test_build_engine_can_be_the_reference(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(MINIMAL, data)
    settings = Settings(data_dir=data, out_dir=tmp_path / "out")
    fast = check(settings, progress=lambda _m: None, engine="pyshacl-turbo")
    reference = check(settings, progress=lambda _m: None, engine="pyshacl")
    assert [u.facts for u in fast.units] == [u.facts for u in reference.units]
