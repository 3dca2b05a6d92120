"""Two web processes (or two servers) of the same publication give the same bytes and
ETags for every document, page and description, whatever Python's hash seed: nothing
served may depend on set or dict order of another process, or on random identifiers.
(The build's own bytes across hash seeds: tests/test_build_reproducible.py.)"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from publisher.build.cache import RECORDS_DIR
from publisher.http.caching import PublicationCache
from tests.conftest import BASE, PROJECT_ROOT

pytestmark = pytest.mark.slow

# Run in a fresh interpreter: every path of the publication's ledger in every format,
# the pages that list things and the descriptions, for a browser and for a program.
SERVE_EVERYTHING = """
import hashlib, json, sys
from pathlib import Path

from publisher.app import create_app
from publisher.config import Settings
from publisher.publication import Publication

out = Path(sys.argv[2])
client = create_app(Settings(base_uri=sys.argv[1], out_dir=out)).test_client()
paths = ["/", "/?lang=en", "/?lang=sv", "/catalog", "/catalog?page=2", "/catalog/adms",
         "/catalog/adms?page=2", "/.well-known/void", "/.well-known/void.ttl", "/sitemap.xml",
         "/ontology", "/ontology?lang=en", "/ontology.ttl", "/ontology.jsonld", "/offerings",
         "/search?q=kartta", "/statistics", "/sparql"]
for entry in Publication.current(out).ledger.values():
    for ext in ("", ".ttl", ".jsonld", ".rdf", ".nt"):
        paths.append(f"/doc/{entry['kind']}/{entry['key']}{ext}")
answers = {}
for path in paths:
    for accept in ("text/html", "text/turtle"):
        reply = client.get(path, headers={"Accept": accept})
        answers[f"{accept} {path}"] = [
            reply.status_code, hashlib.sha256(reply.data).hexdigest(), reply.headers.get("ETag")
        ]
json.dump(answers, sys.stdout)
"""


def forget_kept_pages(out: Path) -> None:
    """Remove what earlier requests kept with the publications (``PublicationCache``
    folders under ``<publication>/cache/``; the build's own cache stays)."""
    for cache in out.glob(f"publications/*/{PublicationCache.FOLDER}"):
        for kept in cache.iterdir():
            if kept.is_dir() and kept.name != RECORDS_DIR:
                shutil.rmtree(kept)


def served_in_a_new_process(out: Path, seed: str) -> dict[str, list[object]]:
    reply = subprocess.run(
        [sys.executable, "-c", SERVE_EVERYTHING, BASE, str(out)],
        env={**os.environ, "PYTHONHASHSEED": seed},
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    return json.loads(reply.stdout)


def test_every_answer_is_the_same_in_processes_with_other_hash_seeds(
    built_out: Path, tmp_path: Path
) -> None:
    answers = []
    for seed in ("1", "2"):
        # each its own copy: no page one process kept on disk is read by the other
        out = tmp_path / f"out-{seed}"
        shutil.copytree(built_out, out, symlinks=True)
        shutil.rmtree(out / ".web", ignore_errors=True)
        forget_kept_pages(out)
        answers.append(served_in_a_new_process(out, seed))
    first, second = answers
    assert len(first) > 1000
    assert sum(1 for status, _, _ in first.values() if status == 200) > 900
    differing = sorted(k for k in first if first[k] != second.get(k))
    assert not differing, differing[:10]
