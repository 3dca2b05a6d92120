"""Views read the store only through its read interface and `publisher.reads`, whose
queries take their values as bindings, never spliced into the text."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from publisher import reads, void_stats
from publisher.publication import Publication
from publisher.store import ReadStore

VIEWS = Path(__file__).resolve().parents[2] / "publisher" / "views"


@pytest.mark.parametrize("path", sorted(VIEWS.glob("*.py")), ids=lambda p: p.name)
def test_no_view_writes_sparql(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    assert not re.search(r"\b(SELECT|CONSTRUCT|ASK|DESCRIBE)\b\s*[?{*(]", source)
    assert ".query(" not in source


@pytest.mark.parametrize("module", [reads, void_stats], ids=lambda m: m.__name__)
def test_no_query_text_is_formatted_with_values(module: object) -> None:
    source = Path(module.__file__).read_text(encoding="utf-8")  # type: ignore[attr-defined]
    assert ".replace(" not in source and ".format(" not in source
    for name, value in vars(module).items():
        if name.isupper() and isinstance(value, str) and "WHERE" in value:
            assert "<http" not in value, name


def test_a_bound_value_is_a_value_not_query_text(publication: Publication) -> None:
    store = ReadStore(publication.store_path)
    space = "http://localhost:8080/id/"
    assert void_stats.count(store, space).entities > 100
    # Query text in a bound value stays a value: it matches nothing and changes nothing.
    hostile = {"space": ox.Literal(space + '") || true || STR("')}
    rows = list(store.query(void_stats.ENTITIES, bindings=hostile))
    assert not rows or int(rows[0]["n"].value) == 0
