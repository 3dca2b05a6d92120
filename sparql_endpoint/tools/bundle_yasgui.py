"""Bundle the YASGUI query editor into sparql_endpoint/static/yasgui/ (run at build time).

Fetches the pinned @triply/yasgui release from the npm registry with ``npm pack``,
checks it against the registry's published SHA-512 integrity, and copies the prebuilt
browser bundle, its stylesheet and licences. The web app then serves these files
itself; no page ever loads code from a CDN.

    python -m sparql_endpoint.tools.bundle_yasgui
"""

from __future__ import annotations

import base64
import hashlib
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "@triply/yasgui"
VERSION = "4.2.28"
INTEGRITY = (
    "sha512-HN1neZqERSGoDyk/Fg40nI+F0tHnaBxjqizhN0mur2Kj0oJsklBsFMRk/"
    "M+wW+ohy8dSEn7AgX3H0pPrV/wmVg=="
)
TARGET = Path(__file__).resolve().parents[1] / "static" / "yasgui"
FILES = {
    "package/build/yasgui.min.js": "yasgui.min.js",
    "package/build/yasgui.min.css": "yasgui.min.css",
    "package/build/yasgui.min.js.LICENSE.txt": "yasgui.min.js.LICENSE.txt",
    "package/LICENSE.txt": "LICENSE.txt",
}


def integrity(path: Path) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(path.read_bytes()).digest()).decode()


def main() -> int:
    npm = shutil.which("npm")
    if npm is None:
        print("npm is needed to bundle YASGUI (apt-get install npm)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as work:
        subprocess.run(
            [npm, "pack", f"{PACKAGE}@{VERSION}", "--silent"],
            cwd=work,
            check=True,
            capture_output=True,
        )
        (tarball,) = Path(work).glob("*.tgz")
        if integrity(tarball) != INTEGRITY:
            print(f"{tarball.name}: integrity mismatch", file=sys.stderr)
            return 1
        TARGET.mkdir(parents=True, exist_ok=True)
        with tarfile.open(tarball) as archive:
            for member, name in FILES.items():
                source = archive.extractfile(member)
                assert source is not None, member
                (TARGET / name).write_bytes(source.read())
    (TARGET / "SOURCE.md").write_text(
        f"# YASGUI {VERSION}\n\nFrom the npm registry package `{PACKAGE}@{VERSION}` "
        f"(integrity `{INTEGRITY}`), copied by `python -m sparql_endpoint.tools.bundle_yasgui`."
        "\nLicence: MIT (LICENSE.txt; bundled libraries in yasgui.min.js.LICENSE.txt).\n"
        "Configured by ../sparql-page.js: editor only, no autocompleter that calls other "
        "sites.\n",
        encoding="utf-8",
    )
    print(f"YASGUI {VERSION} bundled into {TARGET}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
