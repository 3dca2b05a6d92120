"""The field tables (publisher.fields) are the one declaration of every source field: the
reader, the mapping, the validation's field names and the ontology README follow them."""

from __future__ import annotations

import dataclasses
import pickle
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import URIRef
from rdflib.namespace import RDF

from publisher.build import check_sources
from publisher.config import PROJECT_ROOT, Settings
from publisher.fields import PREFIXES, TABLES, TYPES, Field
from publisher.fields import docs as field_docs
from publisher.mapping import map_parts
from publisher.mapping import records as mapping_records
from publisher.mapping.vocabulary import load_vocabulary
from publisher.problems import SourceErrors
from publisher.sources import fields as source_fields
from publisher.sources import records
from publisher.uris import UriScheme
from publisher.validation import field_names

MINIMAL = Path(__file__).parent / "fixtures" / "minimal"
URIS = UriScheme("http://localhost:8080/")


def test_the_ontology_readme_mapping_tables_are_current() -> None:
    readme = field_docs.README.read_text(encoding="utf-8")
    wanted = field_docs.render(readme, field_docs.vocabulary_counts())
    assert wanted == readme, "ontology/README.md is out of date: run `make docs`"


def test_the_readme_check_notices_a_stale_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stale = tmp_path / "README.md"
    text = field_docs.README.read_text(encoding="utf-8")
    stale.write_text(text.replace("| `homepage` |", "| `home_page` |", 1), encoding="utf-8")
    monkeypatch.setattr(field_docs, "README", stale)
    assert field_docs.main(["--check"]) == 1
    assert field_docs.main([]) == 0
    assert stale.read_text(encoding="utf-8") == text


def test_every_type_has_a_reader_and_a_writer() -> None:
    assert set(source_fields.READERS) == set(TYPES)
    assert set(mapping_records.WRITERS) == set(TYPES)


def test_every_curie_of_the_tables_expands_and_every_ak_term_is_declared() -> None:
    vocabulary = load_vocabulary(Settings().ontology_dir, URIS)
    for fields in TABLES.values():
        curies = [*fields.classes]
        for f in fields.fields:
            curies += [c for c in (f.property, f.also, f.node, f.node_property) if c]
            curies += [target for _value, target in f.choices if target]
        for curie in curies:
            prefix, _, local = curie.partition(":")
            assert prefix == "ak" or prefix in PREFIXES, f"{fields.name}: unknown prefix {curie}"
            if prefix == "ak":
                assert (URIS.vocab[local], RDF.type, None) in vocabulary, f"{curie} undeclared"


def test_every_typed_attribute_of_a_record_is_a_field_of_its_table() -> None:
    for cls in (records.Offering, records.Supplier, records.Pricing, records.Part):
        names = {f.name for f in cls.table().fields}
        attributes = {k for k, v in vars(cls).items() if isinstance(v, records.Value)}
        assert attributes <= names, attributes - names
        assert attributes, cls


def test_records_pickle_for_caching_and_parallel_builds() -> None:
    catalogue, _mapped = check_sources(Settings(data_dir=MINIMAL), progress=lambda _m: None)
    again = pickle.loads(pickle.dumps(catalogue.suppliers))
    assert again == catalogue.suppliers
    assert (
        again[0].offerings[1].parts[1].pricing.amount
        == catalogue.offerings[1].parts[1].pricing.amount
    )


ACCESSIBILITY = Field(
    "accessibility_statement",
    "url",
    "its accessibility statement",
    property="ak:accessibilityStatement",
)


@pytest.fixture
def with_new_field(monkeypatch: pytest.MonkeyPatch) -> Field:
    """The offering table with one more field, as a supplier of a new field would add it."""
    offering = TABLES["offering"]
    monkeypatch.setitem(
        TABLES, "offering", dataclasses.replace(offering, fields=(*offering.fields, ACCESSIBILITY))
    )
    return ACCESSIBILITY


def _with_statement(tmp_path: Path, url: str) -> Path:
    data = tmp_path / "data"
    shutil.copytree(MINIMAL, data)
    path = data / "suppliers" / "esimerkki.yaml"
    text = path.read_text(encoding="utf-8")
    old = "    procurement: no-charge\n"
    path.write_text(
        text.replace(old, f"{old}    accessibility_statement: {url}\n", 1), encoding="utf-8"
    )
    return data


def test_a_field_added_to_the_table_is_read_mapped_and_named(
    tmp_path: Path, with_new_field: Field
) -> None:
    data = _with_statement(tmp_path, "https://example.org/saavutettavuus")
    catalogue, mapped = check_sources(Settings(data_dir=data), progress=lambda _m: None)
    kartta = catalogue.offerings[0]
    assert kartta["accessibility_statement"] == "https://example.org/saavutettavuus"
    assert catalogue.offerings[1]["accessibility_statement"] is None
    triple = (
        URIS.thing("offering", "esimerkki-kartta"),
        URIS.vocab.accessibilityStatement,
        URIRef("https://example.org/saavutettavuus"),
    )
    assert triple in mapped.catalogue
    assert field_names(URIS.vocab)[URIS.vocab.accessibilityStatement] == "accessibility_statement"


def test_a_field_added_to_the_table_is_checked_by_its_type(
    tmp_path: Path, with_new_field: Field
) -> None:
    data = _with_statement(tmp_path, "saavutettavuus.html")
    with pytest.raises(SourceErrors) as caught:
        check_sources(Settings(data_dir=data), progress=lambda _m: None)
    found = {(p.record, p.field, p.rule) for p in caught.value.problems}
    assert ("offering esimerkki-kartta", "accessibility_statement", "url") in found


def test_without_the_field_in_the_table_it_is_an_unknown_field(tmp_path: Path) -> None:
    data = _with_statement(tmp_path, "https://example.org/saavutettavuus")
    with pytest.raises(SourceErrors) as caught:
        check_sources(Settings(data_dir=data), progress=lambda _m: None)
    assert {p.rule for p in caught.value.problems} == {"unknown-field"}


def test_mapping_is_the_same_on_every_run_with_labels_from_record_and_field() -> None:
    first, _ = check_sources(Settings(data_dir=MINIMAL), progress=lambda _m: None)
    second, _ = check_sources(Settings(data_dir=MINIMAL), progress=lambda _m: None)
    one = [p.ntriples for p in map_parts(first, URIS)]
    two = [p.ntriples for p in map_parts(second, URIS)]
    assert one == two
    text = "".join(one)
    for label in (
        "_:offering.esimerkki-kartta.pricing",
        "_:offering.esimerkki-kartta.aspects.open-source",
        "_:offering.esimerkki-kartta.provenance",
        "_:offering.esimerkki-palvelu.parts.2.pricing",
        "_:supplier.esimerkki.contact",
        "_:supplier.esimerkki.business_id",
    ):
        assert f"{label} " in text, label
    part = map_parts(first, URIS)[0].origins["_:offering.esimerkki-palvelu.parts.2"]
    assert (part.record, part.field_prefix, part.table) == (
        "offering esimerkki-palvelu",
        "parts.2",
        "part",
    )


def test_the_bundled_catalogue_maps_to_strict_ntriples() -> None:
    catalogue, mapped = check_sources(
        Settings(data_dir=PROJECT_ROOT / "data"), progress=lambda _m: None
    )
    text = "".join(part.ntriples for part in map_parts(catalogue, URIS))
    triples = set(ox.parse(text, format=ox.RdfFormat.N_TRIPLES))  # raises on anything invalid
    assert len(triples) == len(mapped.catalogue)
    # Literals in their canonical form: the store gives back the very same terms (loading
    # with extend(), which keeps blank-node labels; load() and bulk_load() rename them).
    quads = {ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples}
    store = ox.Store()
    store.extend(quads)
    assert set(store) == quads
