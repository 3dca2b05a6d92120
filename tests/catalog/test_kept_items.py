"""What the catalogues compute once per publication is kept with it and read back as it
was: the items (in chunks a page reads alone) and the ledger-wide dates."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from rdflib import URIRef

from publisher.catalog import assets, kept, register
from publisher.catalog.changes import Removal
from publisher.publication import Publication
from publisher.views import catalog


def test_tagged_json_gives_back_what_it_was_made_of() -> None:
    items = [
        assets.Item(URIRef("http://x/id/offering/a"), "a", "2026-11-26"),
        assets.Item(URIRef("http://x/id/offering/b"), "b", datetime(2026, 1, 2, 3, 4, tzinfo=UTC)),
        assets.Item(
            URIRef("http://x/id/offering/c"),
            "c",
            date(2026, 3, 4),
            Removal("http://x/id/offering/c", "c", {"fi": "C", "": "c"}, date(2026, 3, 4), None),
        ),
        register.Item(URIRef("http://x/catalog#offerings"), "offerings", None),
    ]
    back = kept.loads(kept.dumps(items))
    assert back == items
    assert [type(i.iri) for i in back] == [URIRef] * 4
    with pytest.raises(TypeError):
        kept.dumps([object()])


class FakePublication:
    def __init__(self, path: Path) -> None:
        self.path = path


def test_items_are_kept_in_chunks_a_page_reads_alone(tmp_path: Path) -> None:
    every = [assets.Item(URIRef(f"http://x/id/offering/{n:04}"), f"{n:04}", "2026-11-26")
             for n in range(1234)]  # fmt: skip
    calls: list[int] = []

    def compute() -> list:
        calls.append(1)
        return every

    publication = FakePublication(tmp_path)
    first = catalog.KeptItems(publication, "adms", compute)  # type: ignore[arg-type]
    assert len(first) == 1234 and calls == [1]
    catalog._FACTS._memory._data.clear()  # another process: only the files remain
    other = catalog.KeptItems(publication, "adms", compute)  # type: ignore[arg-type]
    assert len(other) == 1234 and calls == [1]
    assert other[490:560] == every[490:560]  # across two chunks
    assert other[-1] == every[-1] and other[0] == every[0]
    assert other[1200:5000] == every[1200:]
    assert list(other) == every
    assert other[10:10] == []
    with pytest.raises(IndexError):
        other[1234]
    assert calls == [1]


def test_pages_of_the_adms_catalogue_are_the_same_with_kept_items(
    client: object, publication: Publication
) -> None:
    first = client.get("/catalog/adms.nt?page_size=4&page=3")  # type: ignore[attr-defined]
    catalog._ITEMS._data.clear()
    catalog._FACTS._memory._data.clear()
    catalog._PAGES._memory._data.clear()
    again = client.get("/catalog/adms.nt?page_size=4&page=3")  # type: ignore[attr-defined]
    assert first.status_code == again.status_code == 200
    assert first.data == again.data
