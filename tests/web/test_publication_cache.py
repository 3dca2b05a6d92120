"""Bytes computed on first use are kept with the publication and shared by processes."""

from __future__ import annotations

from pathlib import Path

from publisher.http.caching import PublicationCache


def test_first_writer_wins_and_others_read_it(tmp_path: Path) -> None:
    first, second = PublicationCache(), PublicationCache()  # two processes' caches
    assert first.get_or_create(tmp_path, "pages", ("a", 1), lambda: b"one") == b"one"
    # Another process rendering the same page differently gets the stored bytes.
    assert second.get_or_create(tmp_path, "pages", ("a", 1), lambda: b"two") == b"one"
    assert second.get_or_create(tmp_path, "pages", ("a", 2), lambda: b"two") == b"two"
    files = sorted(p.name for p in (tmp_path / "cache" / "pages").iterdir())
    assert len(files) == 2 and not any(name.startswith(".tmp") for name in files)


def test_computed_once_per_process(tmp_path: Path) -> None:
    cache = PublicationCache()
    calls: list[int] = []
    for _ in range(3):
        cache.get_or_create(tmp_path, "x", "k", lambda: calls.append(1) or b"v")
    assert calls == [1]


def test_an_unwritable_publication_is_cached_in_memory(tmp_path: Path) -> None:
    (tmp_path / "cache").write_text("not a folder")  # every write below it fails
    cache = PublicationCache()
    calls: list[int] = []
    for _ in range(2):
        assert cache.get_or_create(tmp_path, "x", "k", lambda: calls.append(1) or b"v") == b"v"
    assert calls == [1]
