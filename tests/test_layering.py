"""The build does not load the web layer (issue 9: "nothing the build imports imports Flask").

import-linter checks the imports written in the code (`make lint`, [tool.importlinter] in
pyproject.toml); this checks what a fresh interpreter really loads: the build, the command
line, and every build artefact the registry loads by name.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow  # a fresh interpreter per case

WEB = ("flask", "werkzeug")

_PROBE = """
import json, sys
{imports}
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in {web!r})))
"""


def _loaded(imports: str) -> list[str]:
    code = _PROBE.format(imports=imports, web=WEB)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    "imports",
    [
        "import publisher.build",
        "import publisher.cli",
        # the artefacts the build loads by name (publisher.artefacts.ARTEFACTS)
        "from publisher.artefacts import ARTEFACTS\nfor a in ARTEFACTS: a.load()",
    ],
    ids=["build", "cli", "artefacts"],
)
def test_the_build_loads_no_web_framework(imports: str) -> None:
    assert _loaded(imports) == []


def test_the_probe_sees_the_web_framework() -> None:
    """The check can fail: the web application does load Flask and Werkzeug."""
    loaded = _loaded("import publisher.app")
    assert "flask" in loaded
    assert "werkzeug" in loaded
