"""Views read the store only through its read interface and `publisher.reads`, whose
queries take their values as bindings, never spliced into the text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from publisher import reads
from publisher.store import ReadStore

VIEWS = Path(__file__).resolve().parents[2] / "publisher" / "views"


@pytest.mark.parametrize("path", sorted(VIEWS.glob("*.py")), ids=lambda p: p.name)
def test_no_view_writes_sparql(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    assert not re.search(r"\b(SELECT|CONSTRUCT|ASK|DESCRIBE)\b\s*[?{*(]", source)
    assert ".query(" not in source


def test_no_query_text_is_formatted_with_values() -> None:
    source = Path(reads.__file__).read_text(encoding="utf-8")
    assert ".replace(" not in source and ".format(" not in source
    for name in ("RELATED_OFFERINGS", "OFFERINGS_VIA_EXPRESSIONS", "LABELS", "FACET_MEMBERS"):
        assert "<http" not in getattr(reads, name)


def test_a_bound_iri_is_a_value_not_query_text(publication) -> None:
    store = ReadStore(publication.store_path)
    vocab = "http://localhost:8080/ontology#"
    component = "http://localhost:8080/id/component/document-management"
    found = reads.related_offerings(store, component, vocab)
    assert found and set(found.values()) <= {"product", "service"}
    # Query text in a "value" cannot reach the query: it is not even an IRI.
    with pytest.raises(ValueError):
        reads.related_offerings(store, component + "> } SELECT * WHERE { ?s ?p ?o", vocab)
