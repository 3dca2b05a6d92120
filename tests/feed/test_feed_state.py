"""The feed's state file read as lines (a few entities looked up and set, the rest kept as
text) is written byte for byte as the same state parsed whole and written anew, and is the
JSON of that state."""

from __future__ import annotations

import json
import random
from pathlib import Path

from publisher.feed.state import Entities, State, load

IRIS = [
    "http://example.org/id/offering/a",
    "http://example.org/id/offering/b",
    'http://example.org/id/offering/"quoted"',
    "http://example.org/id/offering/back\\slash",
    "http://example.org/id/offering/ääkkönen",
    "http://example.org/id/offering/𝄞",
    "http://example.org/id/offering/sep\u2028arator",
    "http://example.org/id/offering/\x7f",
    "http://example.org/catalog#offerings",
    "http://example.org/feed#stream",
]


def _entry(n: int) -> dict[str, object]:
    return {
        "type": ("Create", "Update", "Delete")[n % 3],
        "hash": None if n % 3 == 2 else f"{n:064x}",
        "activity": f"http://example.org/feed/{n}#{n:016x}",
        "published": f"2026-11-{n % 28 + 1:02d}T09:00:00Z",
    }


def _state(entities: dict[str, dict[str, object]]) -> State:
    return State(
        Entities(whole=dict(entities)),
        [{"number": 1, "start": "s", "last": "l", "count": 3, "closed": False}],
        "2026-11-02T09:00:00Z",
        {"ledger": {"x": [None, 0]}, "datasets": {"iris": IRIS[-2:], "reads": None}},
    )


def test_lines_and_whole_give_the_same_file(tmp_path: Path) -> None:
    chosen = random.Random(4)
    before = {iri: _entry(n) for n, iri in enumerate(IRIS[::2])}
    path = tmp_path / "state.json"
    path.write_text(_state(before).text(), encoding="utf-8")
    assert json.loads(path.read_text(encoding="utf-8"))["entities"] == before
    lines, whole = load(path, whole=False), load(path, whole=True)
    assert not lines.entities.is_whole and whole.entities.is_whole
    after = dict(before)
    for n, iri in enumerate(chosen.sample(IRIS, 7)):  # some known, some new
        assert lines.entities.get(iri) == whole.entities.get(iri) == before.get(iri)
        lines.entities[iri] = whole.entities[iri] = after[iri] = _entry(100 + n)
        assert lines.entities.get(iri) == after[iri]
    assert lines.entities.get("http://example.org/none") is None
    assert lines.text() == whole.text() == _state(after).text()
    data = json.loads(lines.text())
    assert data["entities"] == after
    assert list(data["entities"]) == sorted(after)
    assert data["last_published"] == "2026-11-02T09:00:00Z" and data["pages"][0]["count"] == 3


def test_empty_and_missing_states(tmp_path: Path) -> None:
    empty = State()
    path = tmp_path / "state.json"
    path.write_text(empty.text(), encoding="utf-8")
    assert json.loads(path.read_text(encoding="utf-8"))["entities"] == {}
    again = load(path, whole=False)
    assert again.entities.get(IRIS[0]) is None
    again.entities[IRIS[0]] = _entry(1)
    assert json.loads(again.text())["entities"] == {IRIS[0]: _entry(1)}
    assert load(tmp_path / "none.json", whole=False).text() == empty.text()


def test_a_state_of_the_earlier_layout_is_read_whole(tmp_path: Path) -> None:
    entities = {iri: _entry(n) for n, iri in enumerate(IRIS)}
    path = tmp_path / "state.json"
    earlier = {"entities": entities, "pages": [], "version": 1}
    path.write_text(json.dumps(earlier, sort_keys=True, separators=(",", ":")), encoding="utf-8")
    state = load(path, whole=False)
    assert state.entities.is_whole and state.extra == {}
    assert state.entities.get(IRIS[3]) == entities[IRIS[3]]
