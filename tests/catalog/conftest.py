"""Fixtures of the catalogue tests.

``sample_app`` serves a small publication made here (tests/catalog/data/sample.ttl in a
real pyoxigraph store, a manifest with two dumps and a ledger with one removed offering),
so that paging, increments and deletions are tested on data whose history is known. The
same checks also run on the bundled catalogue through ``tests/conftest.py``'s ``app``.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pyoxigraph as ox
import pytest

from publisher.app import create_app
from publisher.config import Settings

from .shapes import OfficialShapes, load_adms_shapes, load_dcatap_shapes

HERE = Path(__file__).parent
BASE = "http://localhost:8080/"
OFFERING = BASE + "id/offering/"

SAMPLE_LEDGER = {
    OFFERING + "alpha-integrator": {
        "kind": "offering",
        "key": "alpha-integrator",
        "label": "Alpha integrator",
        "first_published": "2026-01-10",
        "modified": "2026-06-01",
        "removed": None,
    },
    OFFERING + "beta-service": {
        "kind": "offering",
        "key": "beta-service",
        "label": "Beta service",
        "first_published": "2026-01-10",
        "modified": "2026-11-20",
        "removed": None,
    },
    OFFERING + "gamma-tool": {
        "kind": "offering",
        "key": "gamma-tool",
        "label": "Gamma tool",
        "first_published": "2026-11-21T09:30:00+00:00",
        "modified": "2026-11-21T09:30:00+00:00",
        "removed": None,
    },
    OFFERING + "old-portal": {
        "kind": "offering",
        "key": "old-portal",
        "label": "Old portal",
        "first_published": "2025-03-01",
        "modified": "2025-03-01",
        "removed": "2026-11-25",
        "replaced_by": OFFERING + "alpha-integrator",
    },
    OFFERING + "dropped-tool": {
        "kind": "offering",
        "key": "dropped-tool",
        "label": "Dropped tool",
        "first_published": "2025-03-01",
        "modified": "2025-03-01",
        "removed": "2025-12-31",
        "replaced_by": None,
    },
}


def make_publication(out: Path) -> Path:
    """Write OUT/publications/test/{store,dumps,manifest.json,ledger.json} and OUT/current."""
    pub = out / "publications" / "test"
    (pub / "dumps").mkdir(parents=True)
    store = ox.Store(str(pub / "store"))
    data = (HERE / "data" / "sample.ttl").read_bytes()
    store.load(data, ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(BASE + "graph/catalogue"))
    store.flush()
    del store
    dumps = {}
    for name, media_type, fmt in (
        ("avoinkunta.ttl", "text/turtle", ox.RdfFormat.TURTLE),
        ("avoinkunta.nt", "application/n-triples", ox.RdfFormat.N_TRIPLES),
    ):
        body = ox.serialize(ox.parse(data, ox.RdfFormat.TURTLE), format=fmt)
        (pub / "dumps" / name).write_bytes(body)
        dumps[name] = {
            "media_type": media_type,
            "bytes": len(body),
            "sha256": hashlib.sha256(body).hexdigest(),
        }
    manifest = {
        "build_id": "test",
        "built_at": "2026-11-26T12:00:00+00:00",
        "base_uri": BASE,
        "dumps": dumps,
    }
    (pub / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    (pub / "ledger.json").write_text(json.dumps(SAMPLE_LEDGER), encoding="utf-8")
    os.symlink(os.path.relpath(pub, out), out / "current")
    return out


@pytest.fixture(scope="session")
def sample_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_publication(tmp_path_factory.mktemp("catalog-sample"))


@pytest.fixture(scope="session")
def sample_app(sample_out: Path):
    app = create_app(Settings(base_uri=BASE, out_dir=sample_out, page_size=2))
    app.config["TESTING"] = True
    return app


@pytest.fixture()
def sample_client(sample_app):
    return sample_app.test_client()


@pytest.fixture(scope="session")
def dcatap_shapes() -> OfficialShapes:
    return load_dcatap_shapes()


@pytest.fixture(scope="session")
def adms_shapes():
    return load_adms_shapes()
