"""The `avoinkunta` command through a real subprocess: exit codes and messages."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DATA_DIR

# Builds publications or runs the command line in subprocesses.
pytestmark = pytest.mark.slow


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AVOINKUNTA_")}
    return subprocess.run(
        [sys.executable, "-m", "publisher.cli", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        cwd=cwd,
    )


def test_validate_bundled_data_exits_0() -> None:
    result = run("validate", "--data", str(DATA_DIR))
    assert result.returncode == 0, result.stderr
    assert "valid" in result.stdout and "offerings" in result.stdout


def test_validate_broken_data_exits_1_with_one_line_per_problem(data_copy: Path) -> None:
    path = data_copy / "suppliers" / "niis.yaml"
    text = path.read_text()
    text = text.replace("components: [integrations]", "components: [integrashuns]", 1)
    assert "integrashuns" in text
    path.write_text(text.replace("type: product", "type: gadget", 1))
    result = run("validate", "--data", str(data_copy))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert any(
        line.startswith(f"{path}:")
        and "offering x-road: components:" in line
        and "[unknown-reference]" in line
        for line in lines
    ), lines
    assert any("offering x-road: type:" in line and "[choice]" in line for line in lines), lines
    assert lines[-2].endswith("nothing was published.")
    assert lines[-1].startswith("The Avoin kunta rule checks (SHACL) run once these are fixed")


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run("validate", "--data", str(tmp_path / "missing")).returncode == 2
    assert run("frobnicate").returncode == 2
    assert run().returncode == 2


def test_build_publishes_and_prints_the_publication(tmp_path: Path, data_copy: Path) -> None:
    out = tmp_path / "out"
    result = run("build", "--data", str(data_copy), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert Path(result.stdout.strip()) == (out / "current").resolve()
    assert "[4/4] switching current publication" in result.stderr  # progress is shown
    broken = data_copy / "suppliers" / "coss.yaml"
    broken.write_text(broken.read_text() + "\nthis is: [not valid\n")
    failed = run("build", "--data", str(data_copy), "--out", str(out))
    assert failed.returncode == 1
    assert "coss.yaml" in failed.stderr and "yaml-syntax" in failed.stderr


def test_serve_takes_the_base_uri_of_the_publication(tmp_path: Path, data_copy: Path) -> None:
    from publisher.config import Settings
    from publisher.errors import PublisherError
    from publisher.server import serving_settings

    out = tmp_path / "out"
    assert run("build", "--data", str(data_copy), "--out", str(out)).returncode == 0
    other_port = Settings(out_dir=out, base_uri="http://localhost:8099/")
    assert serving_settings(other_port, {}).base_uri == "http://localhost:8080/"
    explicit = {"AVOINKUNTA_BASE_URI": "http://localhost:8099/"}
    try:
        serving_settings(other_port, explicit)
    except PublisherError as exc:
        assert "was built for http://localhost:8080/" in str(exc)
    else:
        raise AssertionError("a conflicting explicit base URI must be refused")
