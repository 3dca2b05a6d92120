"""Settings are declared once and every one is documented (Datasette's habit)."""

from __future__ import annotations

from pathlib import Path

import pytest

from publisher.config import PROJECT_ROOT, Settings, SettingsError, documented

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("variable", [row.variable for row in documented(Settings)])
def test_every_setting_is_documented_in_the_readme(variable: str) -> None:
    assert f"`{variable}`" in README


def test_every_setting_has_a_help_text() -> None:
    assert all(len(row.help) > 20 for row in documented(Settings))


def test_environment_overrides_defaults_and_explicit_values_win(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AVOINKUNTA_PORT", "9000")
    monkeypatch.setenv("AVOINKUNTA_OUT_DIR", "/srv/ak")
    monkeypatch.setenv("AVOINKUNTA_WORKERS", "5")
    settings = Settings.from_env(workers=2, host=None)  # None: an option not given
    assert settings.port == 9000
    assert settings.out_dir == Path("/srv/ak")
    assert settings.workers == 2
    assert settings.host == "127.0.0.1"


def test_base_uri_must_end_with_a_slash(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AVOINKUNTA_BASE_URI", "http://example.org")
    with pytest.raises(SettingsError, match="AVOINKUNTA_BASE_URI=.*must end with"):
        Settings.from_env()


def test_bad_value_names_its_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AVOINKUNTA_PAGE_SIZE", "lots")
    with pytest.raises(SettingsError, match="AVOINKUNTA_PAGE_SIZE='lots'"):
        Settings.from_env()


def test_replace_validates() -> None:
    settings = Settings()
    assert settings.replace(port=9001).port == 9001
    with pytest.raises(ValueError, match="must end with"):
        settings.replace(base_uri="http://example.org")


def test_readme_starts_with_the_two_commands() -> None:
    lines = [line for line in README.splitlines() if line.strip()]
    assert lines[1] == "```sh"
    assert lines[2].startswith("make serve") and lines[3].startswith("make test")
