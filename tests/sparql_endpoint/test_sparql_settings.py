"""Settings: every one is documented, and the environment overrides work."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from sparql_endpoint.settings import ENV_PREFIX, SparqlSettings, settings_help

README = (Path(__file__).resolve().parents[2] / "sparql_endpoint" / "README.md").read_text()


@pytest.mark.parametrize("name", [f.name for f in dataclasses.fields(SparqlSettings)])
def test_every_setting_is_documented(name: str) -> None:
    assert f"| `{name}` | `{ENV_PREFIX}{name.upper()}` |" in README
    default, help_text = settings_help()[name]
    assert len(help_text) > 40


def test_environment_overrides() -> None:
    settings = SparqlSettings.from_env(
        {
            "AVOINKUNTA_SPARQL_TIMEOUT": "2.5",
            "AVOINKUNTA_SPARQL_MAX_ROWS": "7",
            "AVOINKUNTA_SPARQL_SERVICE_ALLOWLIST": "http://a.example/sparql http://b.example/q",
        }
    )
    assert settings.timeout == 2.5
    assert settings.max_rows == 7
    assert settings.service_allowlist == ("http://a.example/sparql", "http://b.example/q")
    assert settings.workers == SparqlSettings().workers


def test_bad_environment_value_names_the_variable() -> None:
    with pytest.raises(ValueError, match="AVOINKUNTA_SPARQL_WORKERS"):
        SparqlSettings.from_env({"AVOINKUNTA_SPARQL_WORKERS": "many"})
