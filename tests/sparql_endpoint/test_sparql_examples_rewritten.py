"""The example queries were rewritten for speed: they must still give the old answers.

The old texts are kept in examples_before/ (as they were before the rewrite). Each new text
runs next to its old one, with the engine the endpoint's workers use (pyoxigraph, the
union of the named graphs as the default graph), on

* the bundled catalogue (data/, built): exactly the same answer, rows in the same order;
* the endpoint tests' fixture store: the same;
* a generated catalogue of a few hundred offerings (bench/generate.py), where titles repeat:
  the same rows, in the same order up to rows whose ORDER BY keys are equal (which ORDER BY
  leaves in any order); and the examples with a LIMIT, their LIMIT lowered so that it cuts
  the answer there, give the old answer's first rows.

bench/bench_examples.py makes the same comparison at 30,000 offerings.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from bench.bench_examples import (
    CAP,
    OLD_DIR,
    Outcome,
    as_answer,
    compare,
    evaluate,
    full_query,
    variables_of,
)
from bench.generate import generate
from publisher.build import build
from publisher.publication import Publication
from publisher.sparql_mount import sparql_prefixes
from sparql_endpoint.examples import Example, examples

BASE = "http://localhost:8080/"
PREFIXES = sparql_prefixes(BASE)
EXAMPLES = {example.slug: example for example in examples()}
LIMITED = [slug for slug, example in EXAMPLES.items() if "LIMIT" in example.body]
# Rows with equal ORDER BY keys, in the bundled catalogue: their order is left open by
# ORDER BY, and the old and new texts give them in different orders.
TIES = {
    "licences-in-use": "a licence labelled in two languages has two rows with equal keys",
}


def old_body(example: Example) -> str:
    (path,) = OLD_DIR.glob(f"*-{example.slug}.rq")
    return path.read_text(encoding="utf-8")


def answer(store: ox.Store, query: str) -> Outcome:
    evaluated = evaluate(store, query, None)  # the whole answer, never cut
    found = as_answer(evaluated)
    return Outcome(evaluated.timing, found, not isinstance(found, bool) and len(found) > CAP)


def test_every_example_has_its_old_text() -> None:
    olds = {path.stem.split("-", 1)[1] for path in OLD_DIR.glob("*.rq")}
    assert olds == set(EXAMPLES)


def test_the_limited_listings_say_so_in_every_language() -> None:
    assert set(LIMITED) >= {"closed-parts-and-prices", "procurable-without-tender"}
    for slug in LIMITED:
        limit = int(re.findall(r"LIMIT (\d+)", EXAMPLES[slug].body)[-1])
        shown = f"{limit:,}".replace(",", "\u00a0")  # 1 000 (no-break space) in fi and sv
        note = EXAMPLES[slug].note
        assert f"{limit:,}" in note["en"], (slug, note["en"])
        assert shown in note["fi"] and shown in note["sv"], (slug, note)


@pytest.fixture(scope="module")
def bundled_store(publication: Publication) -> ox.Store:
    return ox.Store.read_only(str(publication.store_path))


@pytest.fixture(scope="module")
def fixture_store(store_dir: Path) -> ox.Store:
    return ox.Store.read_only(str(store_dir))


@pytest.fixture(scope="module")
def generated_store(tmp_path_factory: pytest.TempPathFactory) -> ox.Store:
    from publisher.config import Settings

    work = tmp_path_factory.mktemp("generated-examples")
    generate(work / "data", 400, seed=11)
    build(Settings(base_uri=BASE, data_dir=work / "data", out_dir=work / "out"))
    current = Publication.current(work / "out")
    assert current is not None
    return ox.Store.read_only(str(current.store_path))


@pytest.mark.parametrize("slug", list(EXAMPLES))
def test_same_answer_on_the_bundled_catalogue(bundled_store: ox.Store, slug: str) -> None:
    example = EXAMPLES[slug]
    body = old_body(example)
    old = answer(bundled_store, full_query(body, PREFIXES))
    new = answer(bundled_store, example.text(PREFIXES))
    assert not old.cut
    if slug in TIES:
        variables = variables_of(bundled_store, example.text(PREFIXES))
        assert compare(old, new, body, variables) == "same, ties reordered"
    else:
        assert new.answer == old.answer


@pytest.mark.parametrize("slug", list(EXAMPLES))
def test_same_answer_on_the_fixture_store(fixture_store: ox.Store, slug: str) -> None:
    example = EXAMPLES[slug]
    old = answer(fixture_store, full_query(old_body(example), PREFIXES))
    new = answer(fixture_store, example.text(PREFIXES))
    assert new.answer == old.answer


@pytest.mark.slow  # builds a generated catalogue
@pytest.mark.parametrize("slug", list(EXAMPLES))
def test_same_answer_on_a_generated_catalogue(generated_store: ox.Store, slug: str) -> None:
    example = EXAMPLES[slug]
    body = old_body(example)
    old = answer(generated_store, full_query(body, PREFIXES))
    new = answer(generated_store, example.text(PREFIXES))
    variables = variables_of(generated_store, example.text(PREFIXES))
    verdict = compare(old, new, body, variables)
    assert verdict in {"same", "same, ties reordered"}, verdict
    if not isinstance(old.answer, bool) and slug != "components-without-offerings":
        assert len(old.answer) > 0  # the data exercises the query (every component has offerings)


@pytest.mark.slow  # builds a generated catalogue
@pytest.mark.parametrize("slug", LIMITED)
def test_a_cut_listing_gives_the_old_first_rows(generated_store: ox.Store, slug: str) -> None:
    example = EXAMPLES[slug]
    body = old_body(example)
    old = answer(generated_store, full_query(body, PREFIXES))
    assert not isinstance(old.answer, bool) and len(old.answer) > 40
    cut = re.sub(r"LIMIT \d+", "LIMIT 40", example.text(PREFIXES))
    new = answer(generated_store, cut)
    old.cut = True  # as the endpoint's row cap would cut it
    variables = variables_of(generated_store, cut)
    verdict = compare(old, new, body, variables)
    assert verdict.startswith("first "), verdict
    if isinstance(new.answer, set):  # a CONSTRUCT: the cards of 40 offerings
        offering = f"<{BASE}ontology#Offering>"
        assert sum(triple.endswith(f" {offering}") for triple in new.answer) == 40
    else:
        assert isinstance(new.answer, list) and len(new.answer) == 40
