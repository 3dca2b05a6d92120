"""Settings: every one is documented, and the environment overrides work."""

from __future__ import annotations

from pathlib import Path

import pytest

from publisher.config import Settings, SettingsError, documented
from sparql_endpoint.settings import ENV_PREFIX, SparqlSettings, settings_help, worker_count

README = (Path(__file__).resolve().parents[2] / "sparql_endpoint" / "README.md").read_text()


@pytest.mark.parametrize("name", list(SparqlSettings.model_fields))
def test_every_setting_is_documented(name: str) -> None:
    assert f"| `{name}` | `{ENV_PREFIX}{name.upper()}` |" in README
    default, help_text = settings_help()[name]
    assert len(help_text) > 40


def test_documented_variables_are_the_environment_names() -> None:
    assert [row.variable for row in documented(SparqlSettings)] == [
        ENV_PREFIX + name.upper() for name in SparqlSettings.model_fields
    ]


def test_environment_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AVOINKUNTA_SPARQL_TIMEOUT", "2.5")
    monkeypatch.setenv("AVOINKUNTA_SPARQL_MAX_ROWS", "7")
    monkeypatch.setenv(
        "AVOINKUNTA_SPARQL_SERVICE_ALLOWLIST", "http://a.example/sparql http://b.example/q"
    )
    for settings in (SparqlSettings(), Settings.from_env().sparql):
        assert settings.timeout == 2.5
        assert settings.max_rows == 7
        assert settings.service_allowlist == ("http://a.example/sparql", "http://b.example/q")
        assert settings.workers == SparqlSettings.model_fields["workers"].default
    # explicit values win over the environment
    assert SparqlSettings(timeout=3).timeout == 3


def test_bad_environment_value_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AVOINKUNTA_SPARQL_WORKERS", "many")
    with pytest.raises(SettingsError, match="AVOINKUNTA_SPARQL_WORKERS='many'"):
        Settings.from_env()


def test_settings_are_injected_into_the_endpoint(tmp_path: Path) -> None:
    """create_app(settings) hands settings.sparql to the endpoint; the environment is not
    read again behind its back."""
    from publisher.app import create_app

    settings = Settings(out_dir=tmp_path, sparql=SparqlSettings(timeout=3.25, workers=1))
    endpoint = create_app(settings).extensions["sparql_endpoint"]
    assert endpoint.settings is settings.sparql
    assert endpoint.settings.timeout == 3.25
    endpoint.close()


def test_automatic_worker_count_follows_the_cores() -> None:
    """workers = 0 (the default): 4 per core, at most 32, plus the reserved ones; a
    number given explicitly is taken as it is."""
    automatic = SparqlSettings(workers=0, reserved_workers=1)
    assert worker_count(automatic, cores=2) == 9
    assert worker_count(automatic, cores=64) == 33
    assert worker_count(SparqlSettings(workers=0, reserved_workers=0), cores=1) == 4
    assert worker_count(SparqlSettings(workers=3), cores=64) == 3
