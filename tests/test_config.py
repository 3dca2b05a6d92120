"""Settings are declared once and every one is documented (Datasette's habit)."""

from __future__ import annotations

from pathlib import Path

import pytest

from publisher.config import PROJECT_ROOT, Settings

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("variable", [env for env, _default, _help in Settings.documented()])
def test_every_setting_is_documented_in_the_readme(variable: str) -> None:
    assert f"`{variable}`" in README


def test_environment_overrides_defaults_and_explicit_values_win() -> None:
    env = {"AVOINKUNTA_PORT": "9000", "AVOINKUNTA_OUT_DIR": "/srv/ak", "AVOINKUNTA_WORKERS": "5"}
    settings = Settings.from_env(env, workers=2)
    assert settings.port == 9000
    assert settings.out_dir == Path("/srv/ak")
    assert settings.workers == 2


def test_base_uri_must_end_with_a_slash() -> None:
    with pytest.raises(ValueError, match="must end with"):
        Settings.from_env({"AVOINKUNTA_BASE_URI": "http://example.org"})


def test_readme_starts_with_the_two_commands() -> None:
    lines = [line for line in README.splitlines() if line.strip()]
    assert lines[1] == "```sh"
    assert lines[2].startswith("make serve") and lines[3].startswith("make test")
