"""The Avoin kunta rules, as SHACL shapes, each shown failing on a small broken fixture.

The first table edits the source YAML (the rule is then reported with file, record and
field); the second edits the mapped graph directly, for rules the source checks would catch
first, so that the shapes themselves are known to hold for other producers of our RDF.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS
from stdnum.fi import ytunnus

from publisher.build import check_sources
from publisher.config import Settings
from publisher.mapping import Mapped
from publisher.problems import SourceErrors
from publisher.uris import UriScheme
from publisher.validation import load_shapes, validate_mapped
from tests.test_source_checks import KARTTA, MINIMAL, PALVELU, SUPPLIER, broken_copy

SUPPLIER_RECORD = "supplier esimerkki"
OPEN_STANDARDS = "      open-standards: {evidence: https://example.org/std}\n"
OPEN_INTERFACE = "      open-interface: {evidence: https://example.org/api}\n"
OPEN_SOURCE_CLAIM = "      open-source: {evidence: https://example.org/git/kartta/LICENSE}\n"

# (rule, text to replace, replacement, record, field)
YAML_CASES = [
    (
        "claim-has-evidence",
        OPEN_SOURCE_CLAIM,
        "      open-source: {}\n",
        KARTTA,
        "aspects.open-source.evidence",
    ),
    (
        "open-source-needs-open-licence",
        "licence: EUPL-1.2",
        "licence: proprietary-test",
        KARTTA,
        "licence",
    ),
    (
        "open-source-needs-repository",
        "    repository: https://example.org/git/kartta\n",
        "",
        KARTTA,
        "repository",
    ),
    (
        "open-standards-name-standards",
        OPEN_SOURCE_CLAIM,
        OPEN_SOURCE_CLAIM + OPEN_STANDARDS,
        KARTTA,
        "standards",
    ),
    (
        "open-interface-links-documentation",
        OPEN_SOURCE_CLAIM,
        OPEN_SOURCE_CLAIM + OPEN_INTERFACE,
        KARTTA,
        "api_documentation",
    ),
    ("mixed-licence-lists-parts", "    parts:\n", "    old_parts:\n", PALVELU, "parts"),
    (
        "open-source-with-closed-parts-says-which",
        "      - title: {fi: Avoin moduuli, en: Open module}\n        licence: MIT\n",
        "      - title: {fi: Avoin moduuli, en: Open module}\n        licence: proprietary-test\n",
        PALVELU,
        "parts",
    ),
    ("part-licence", "        licence: MIT\n", "", PALVELU, "parts.1.licence"),
    (
        "part-pricing",
        "        pricing: {amount: 0, currency: EUR}\n",
        "",
        PALVELU,
        "parts.1.pricing",
    ),
    (
        "offering-visible-pricing",
        "    pricing:\n      amount: 0\n      currency: EUR\n"
        "      unit: {fi: lisenssimaksu, en: licence fee}\n",
        "",
        KARTTA,
        "pricing",
    ),
    (
        "price-visible",
        "      price_list: https://example.org/hinnasto\n",
        "      note: {fi: Kysy hintaa, en: Ask for a price}\n",
        PALVELU,
        "pricing.price_list",
    ),
    ("price-needs-currency", "      currency: EUR\n", "", KARTTA, "pricing.currency"),
    ("offering-licence-statement", "    licence: EUPL-1.2\n", "", KARTTA, "licence"),
    (
        "business-id-check-digit",
        "business_id: 2077474-0",
        "business_id: 2077474-1",
        SUPPLIER_RECORD,
        "business_id",
    ),
]


def _fix_old_parts(text: str) -> str:
    # "old_parts" is an unknown field; drop the whole list so only the rule is tested.
    head, _, tail = text.partition("    old_parts:\n")
    rest = tail.split("    procurement: direct-purchase\n", 1)[1]
    return head + "    procurement: direct-purchase\n" + rest


@pytest.mark.parametrize(
    ("rule", "old", "new", "record", "field"), YAML_CASES, ids=[c[0] for c in YAML_CASES]
)
def test_rule_fails_on_broken_source(
    tmp_path: Path, rule: str, old: str, new: str, record: str, field: str
) -> None:
    data = broken_copy(tmp_path, SUPPLIER, old, new)
    if "old_parts" in new:
        path = data / SUPPLIER
        path.write_text(_fix_old_parts(path.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(SourceErrors) as caught:
        check_sources(Settings(data_dir=data), progress=lambda _m: None)
    found = [(p.file, p.record, p.field, p.rule) for p in caught.value.problems]
    assert (str(data / SUPPLIER), record, field, rule) in found, found


# ---------------------------------------------------------------- graph-level rules

URIS = UriScheme("http://localhost:8080/")
AK = URIS.vocab
KARTTA_IRI = URIS.thing("offering", "esimerkki-kartta")
SUPPLIER_IRI = URIS.thing("supplier", "esimerkki")


def _remove(subject: URIRef, predicate: URIRef, lang: str | None = None) -> Callable[[Graph], None]:
    def edit(graph: Graph) -> None:
        for value in list(graph.objects(subject, predicate)):
            if lang is None or getattr(value, "language", None) == lang:
                graph.remove((subject, predicate, value))

    return edit


def _add(subject: URIRef, predicate: URIRef, value: object) -> Callable[[Graph], None]:
    return lambda graph: graph.add((subject, predicate, value))  # type: ignore[arg-type]


GRAPH_CASES = [
    ("offering-has-component", _remove(KARTTA_IRI, DCAT.theme)),
    ("offering-title-fi", _remove(KARTTA_IRI, DCTERMS.title, "fi")),
    ("offering-title-en", _remove(KARTTA_IRI, DCTERMS.title, "en")),
    ("offering-description-fi", _remove(KARTTA_IRI, DCTERMS.description, "fi")),
    ("offering-has-supplier", _remove(KARTTA_IRI, DCTERMS.publisher)),
    ("offering-has-source", _remove(KARTTA_IRI, DCTERMS.source)),
    ("supplier-name-en", _remove(SUPPLIER_IRI, FOAF.name, "en")),
    ("language-fi-sv-en", _add(KARTTA_IRI, DCTERMS.title, Literal("Karte", lang="de"))),
    (
        "offering-has-component",
        _add(KARTTA_IRI, DCAT.theme, URIS.thing("layer", "service-platform")),
    ),
    ("offering-aspect", _add(KARTTA_IRI, AK.opennessAspect, URIS.thing("component", "intranet"))),
]


@pytest.fixture(scope="module")
def minimal_mapped() -> Mapped:
    _catalogue, mapped = check_sources(Settings(data_dir=MINIMAL), progress=lambda _m: None)
    return mapped


@pytest.mark.parametrize(
    ("rule", "edit"), GRAPH_CASES, ids=[f"{i}-{c[0]}" for i, c in enumerate(GRAPH_CASES)]
)
def test_rule_fails_on_broken_graph(
    minimal_mapped: Mapped, rule: str, edit: Callable[[Graph], None]
) -> None:
    catalogue = Graph()
    for triple in minimal_mapped.catalogue:
        catalogue.add(triple)
    edit(catalogue)
    broken = Mapped(catalogue, minimal_mapped.vocabulary, minimal_mapped.origins)
    outcome = validate_mapped(broken, load_shapes(Settings().shapes_dir, URIS), URIS)
    assert not outcome.conforms
    assert rule in {p.rule for p in outcome.problems}, outcome.report_text


def test_valid_minimal_graph_conforms(minimal_mapped: Mapped) -> None:
    outcome = validate_mapped(minimal_mapped, load_shapes(Settings().shapes_dir, URIS), URIS)
    assert outcome.conforms, outcome.report_text


@pytest.mark.parametrize(
    "business_id",
    ["2077474-0", "1366959-8", "0201256-6", "2077474-1", "1366959-7", "1234567-1", "0000001-9"],
)
def test_business_id_rule_agrees_with_python_stdnum(
    minimal_mapped: Mapped, business_id: str
) -> None:
    catalogue = Graph()
    for triple in minimal_mapped.catalogue:
        if triple[1] != AK.businessId:
            catalogue.add(triple)
    catalogue.add((SUPPLIER_IRI, AK.businessId, Literal(business_id)))
    outcome = validate_mapped(
        Mapped(catalogue, minimal_mapped.vocabulary, minimal_mapped.origins),
        load_shapes(Settings().shapes_dir, URIS),
        URIS,
    )
    rule_fired = "business-id-check-digit" in {p.rule for p in outcome.problems}
    assert rule_fired == (not ytunnus.is_valid(business_id))


def test_every_concept_the_rules_name_exists(minimal_mapped: Mapped) -> None:
    for aspect in ("open-source", "open-standards", "open-interface"):
        assert (URIS.thing("aspect", aspect), RDF.type, SKOS.Concept) in minimal_mapped.vocabulary


def test_open_licence_with_a_closed_part_says_which_part_is_closed(tmp_path: Path) -> None:
    """An open-source offering (EUPL) with one closed add-on part is valid: the offering's
    own licence says what is open, the part says what is not."""
    closed_part = (
        "    parts:\n"
        "      - title: {fi: Suljettu lisäosa, en: Closed add-on}\n"
        "        licence: proprietary-test\n"
        "        pricing: {amount: 50, currency: EUR}\n"
        "    procurement: no-charge\n"
    )
    data = broken_copy(tmp_path, SUPPLIER, "    procurement: no-charge\n", closed_part)
    catalogue, _mapped = check_sources(Settings(data_dir=data), progress=lambda _m: None)
    assert len(catalogue.offerings[0].parts) == 1


def test_rule_values_are_shown_as_plain_text(tmp_path: Path) -> None:
    data = broken_copy(tmp_path, SUPPLIER, "business_id: 2077474-0", "business_id: 2077474-1")
    with pytest.raises(SourceErrors) as caught:
        check_sources(Settings(data_dir=data), progress=lambda _m: None)
    (problem,) = caught.value.problems
    assert problem.message.endswith("(value: '2077474-1')")
    assert "rdflib" not in problem.message
    assert caught.value.stage == "rules"
