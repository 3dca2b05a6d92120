"""Our publiccode.yml validator against the reference parser's own test cases.

Every valid case of italia/publiccode-parser-go must pass with no error; every invalid case
must fail on the keys the reference names, and on no other. Keys match when they are equal
or one is inside the other (we sometimes name the precise key, e.g. ``description.xxx``
where the reference says ``description``). The exceptions are listed below with reasons.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from publisher.publiccode.validate import ERROR, validate_text
from tests.publiccode.helpers import PARSER_CASES

EXPECTED = json.loads((PARSER_CASES / "expected.json").read_text(encoding="utf-8"))

# Expectations the reference meets by fetching or opening other files (the network or the
# repository beside the file): we validate the file alone, so these are not checked.
NEEDS_FILES = {
    "logo_missing_file.yml": {"logo"},
    "logo_missing_url.yml": {"logo"},
    "logo_invalid_png.yml": {"logo"},
    "monochromeLogo_missing_file.yml": {"monochromeLogo"},
    "monochromeLogo_invalid_png.yml": {"monochromeLogo"},
    "description_en_screenshots_missing_file.yml": {"description.en.screenshots[0]"},
    "legal_authorsFile_missing_file.yml": {"legal.authorsFile"},
}
# Extra errors the reference gives because its Go YAML decoder stops at the first value of
# the wrong type and leaves later keys unset (so it then finds them "required").
DECODER_ARTEFACTS = {
    "description_en_apiDocumentation_wrong_type.yml": {"description"},
    "description_en_awards_wrong_type.yml": {"description"},
    "description_en_documentation_wrong_type.yml": {"description"},
    "description_en_localisedName_wrong_type.yml": {"description"},
    "maintenance_contractors_invalid_type.yml": {"maintenance.type"},
    "localisation_localisationReady_yaml11_yes.yml": {"localisation.availableLanguages"},
    "localisation_localisationReady_yaml11_no.yml": {"localisation.availableLanguages"},
    "localisation_localisationReady_yaml11_on.yml": {"localisation.availableLanguages"},
    "localisation_localisationReady_yaml11_off.yml": {"localisation.availableLanguages"},
}


def _cases(*folders: str) -> list[Path]:
    return sorted(p for folder in folders for p in (PARSER_CASES / "v0" / folder).glob("*.yml"))


def _normal(key: str) -> str:
    # The reference writes description[en-US].x for tags with a hyphen; we write a dot.
    return re.sub(r"\[([A-Za-z][\w-]*)\]", r".\1", key)


def _related(ours: str, theirs: str) -> bool:
    if ours == theirs:
        return True
    shorter, longer = sorted((ours, theirs), key=len)
    return longer.startswith(shorter) and longer[len(shorter)] in ".["


@pytest.mark.parametrize("path", _cases("valid", "valid/no-network"), ids=lambda p: p.name)
def test_valid_cases_have_no_error(path: Path) -> None:
    checked = validate_text(path.read_bytes())
    assert checked.valid, [str(f) for f in checked.errors]


@pytest.mark.parametrize(
    "path", _cases("valid_with_warnings", "valid_with_warnings/no-network"), ids=lambda p: p.name
)
def test_cases_with_warnings_warn_on_the_same_keys(path: Path) -> None:
    checked = validate_text(path.read_bytes())
    assert checked.valid, [str(f) for f in checked.errors]
    expected = {_normal(key) for severity, key, _ in EXPECTED[path.name] if severity == "warning"}
    warned = {f.key for f in checked.warnings}
    assert expected <= warned
    # and nothing beyond what the reference warns about
    assert warned <= expected, warned - expected


@pytest.mark.parametrize("path", _cases("invalid", "invalid/no-network"), ids=lambda p: p.name)
def test_invalid_cases_fail_on_the_same_keys(path: Path) -> None:
    checked = validate_text(path.read_bytes())
    skipped = NEEDS_FILES.get(path.name, set()) | DECODER_ARTEFACTS.get(path.name, set())
    expected = {
        _normal(key)
        for severity, key, _ in EXPECTED[path.name]
        if severity == ERROR and key not in skipped
    }
    ours = {f.key for f in checked.errors}
    if path.name in NEEDS_FILES and not expected:
        assert not ours, "only a check of other files fails here"
        return
    assert ours, "an invalid case must fail"
    for key in expected:
        assert any(_related(mine, key) for mine in ours), f"no error on {key}: {ours}"
    for mine in ours:
        assert any(_related(mine, key) for key in expected), f"unexpected error on {mine}"


def test_every_vendored_case_has_an_expectation() -> None:
    names = {p.name for p in _cases("invalid", "invalid/no-network", "valid_with_warnings")}
    assert names <= set(EXPECTED)
