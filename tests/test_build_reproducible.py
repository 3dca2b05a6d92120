"""Reproducible builds: with ``SOURCE_DATE_EPOCH`` set, two cold builds of the same
sources into fresh output folders give the same bytes (only the manifest's build id,
time and predecessor may differ), and the variable is checked like any other input."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from publisher.build import build
from publisher.cli import EXIT_ERROR, main
from publisher.publication import Publication
from tests.conftest import DATA_DIR, make_settings
from tests.test_build_incremental import assert_same_publication

EPOCH = 1_764_547_200  # 2025-12-01T00:00:00Z


def quiet(_message: str) -> None:
    pass


@pytest.mark.slow
def test_two_cold_builds_with_source_date_epoch_are_byte_identical(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    first = build(make_settings(tmp_path / "one"), progress=quiet)
    second = build(make_settings(tmp_path / "two"), progress=quiet)
    assert first.manifest["built_at"] == "2025-12-01T00:00:00+00:00"
    assert_same_publication(first.path, second.path)
    # every first-published date (dct:issued) is the epoch's, not the clock's
    issued = {entry["first_published"] for entry in first.ledger.values()}
    assert issued == {"2025-12-01T00:00:00+00:00"}, issued


@pytest.mark.slow
def test_without_it_two_cold_builds_differ_only_in_their_dates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The premise of the test above: the clock's time does reach the published bytes."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first = build(make_settings(tmp_path / "one"), progress=quiet)
    # The dates are whole seconds: on a fast machine two builds can share one, so the
    # second starts once the clock has passed the first one's second.
    while datetime.now(UTC).isoformat(timespec="seconds") <= first.manifest["built_at"]:
        time.sleep(0.02)
    second = build(make_settings(tmp_path / "two"), progress=quiet)
    ledger = (first.path / "ledger.json").read_bytes()
    assert ledger != (second.path / "ledger.json").read_bytes()


@pytest.mark.slow
def test_rebuilding_into_the_same_folder_at_the_same_epoch_gets_a_new_build_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    settings = make_settings(tmp_path / "out")
    first = build(settings, progress=quiet)
    second = build(settings, progress=quiet)
    assert second.build_id > first.build_id  # names sort in build order
    current = Publication.current(tmp_path / "out")
    assert current is not None and current.build_id == second.build_id
    assert json.loads((second.path / "manifest.json").read_text())["previous"] == first.build_id
    assert_same_publication(first.path, second.path)


@pytest.mark.parametrize("value", ["yesterday", "1.5", "-1", "１２３", "9" * 30])
def test_a_malformed_source_date_epoch_is_refused_before_anything_is_written(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    value: str,
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    out = tmp_path / "out"
    code = main(["build", "--data", str(DATA_DIR), "--out", str(out), "--quiet"])
    assert code == EXIT_ERROR
    message = capsys.readouterr().err
    assert "SOURCE_DATE_EPOCH" in message and value in message, message
    assert not (out / "current").exists()


def test_the_epoch_is_read_as_utc_seconds() -> None:
    from publisher.build.clock import build_time

    assert build_time({"SOURCE_DATE_EPOCH": "0"}) == datetime(1970, 1, 1, tzinfo=UTC)
    assert build_time({"SOURCE_DATE_EPOCH": " "}).year >= 2026  # empty = unset: the clock
