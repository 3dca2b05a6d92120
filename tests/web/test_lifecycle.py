"""Identity lifecycle across two successive builds: a removed offering answers 410 with a
tombstone, a retired one names its successor, a renamed key answers 301; and data that
looks like HTML is shown as text."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from flask.testing import FlaskClient
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, PROV

from publisher.app import create_app
from publisher.build import build
from publisher.config import PROJECT_ROOT, Settings

# Builds publications or runs the command line in subprocesses.
pytestmark = pytest.mark.slow

# Like tests/conftest.py's helpers; not imported from there because `tests` can resolve to
# another installed package (ckan's) once that is imported in the same session.
BASE = "http://localhost:8080/"
DATA_DIR = PROJECT_ROOT / "data"


def make_settings(out: Path, data_dir: Path) -> Settings:
    return Settings(base_uri=BASE, data_dir=data_dir, out_dir=out)


def quiet(_message: str) -> None:
    pass


HOSTILE = '<script>alert("x")</script> & <b>Co</b>'


def _edit_supplier(data: Path, supplier: str, edit) -> None:  # type: ignore[no-untyped-def]
    path = data / "suppliers" / f"{supplier}.yaml"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(document)
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _without(document: dict, offering_id: str) -> None:  # type: ignore[type-arg]
    document["offerings"] = [o for o in document["offerings"] if o["id"] != offering_id]


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory: pytest.TempPathFactory) -> FlaskClient:
    import shutil

    data = tmp_path_factory.mktemp("lifecycle") / "data"
    shutil.copytree(DATA_DIR, data)
    out = data.parent / "out"
    build(make_settings(out, data_dir=data), progress=quiet)

    # Second edition of the sources: one offering simply removed, one retired with a
    # successor, one renamed, and one whose title looks like HTML.
    _edit_supplier(data, "city-of-helsinki", lambda d: _without(d, "kerrokantasi"))
    _edit_supplier(data, "city-of-helsinki", lambda d: _without(d, "servicemap"))

    def rename(document: dict) -> None:  # type: ignore[type-arg]
        for offering in document["offerings"]:
            if offering["id"] == "respa":
                offering["id"] = "varaamo-respa"
            if offering["id"] == "linked-events":
                offering["title"]["en"] = HOSTILE
            if offering["id"] == "smbackend":  # an open core with a closed, priced add-on
                offering["parts"] = [
                    {
                        "title": {"fi": "Ydin", "en": "Core"},
                        "licence": "AGPL-3.0-only",
                        "pricing": {"amount": 0, "currency": "EUR"},
                    },
                    {
                        "title": {"fi": "Lisäosa", "en": "Add-on"},
                        "licence": "proprietary",
                        "pricing": {
                            "amount": 1200,
                            "currency": "EUR",
                            "unit": {"fi": "vuodessa", "en": "per year"},
                        },
                    },
                ]

    _edit_supplier(data, "city-of-helsinki", rename)
    (data / "retired.yaml").write_text(
        yaml.safe_dump(
            {
                "retired": [
                    {
                        "id": "servicemap",
                        "kind": "offering",
                        "removed": "2026-11-01",
                        "replaced_by": "smbackend",
                        "reason": {
                            "fi": "Yhdistetty taustapalveluun.",
                            "en": "Merged into the backend.",
                        },
                    }
                ],
                "renamed": {"respa": "varaamo-respa"},
            }
        ),
        encoding="utf-8",
    )
    build(make_settings(out, data_dir=data), progress=quiet)
    app = create_app(make_settings(out, data_dir=data))
    app.config["TESTING"] = True
    return app.test_client()


def test_removed_offering_is_410_with_a_tombstone(two_builds: FlaskClient) -> None:
    for url in ("/id/offering/kerrokantasi", "/doc/offering/kerrokantasi"):
        response = two_builds.get(url, headers={"Accept": "text/html"})
        assert response.status_code == 410, url
        assert "Kerro kantasi" in response.text or "kerrokantasi" in response.text
        assert "<del>" in response.text
    ttl = two_builds.get("/doc/offering/kerrokantasi.ttl")
    assert ttl.status_code == 410 and ttl.mimetype == "text/turtle"
    assert ttl.headers["Access-Control-Allow-Origin"] == "*"
    graph = Graph().parse(data=ttl.data, format="turtle")
    subject = URIRef(f"{BASE}id/offering/kerrokantasi")
    assert graph.value(subject, PROV.invalidatedAtTime) is not None
    assert graph.value(subject, DCTERMS.isReplacedBy) is None
    assert two_builds.get("/doc/offering/kerrokantasi.jsonld").status_code == 410


def test_retired_offering_names_its_successor(two_builds: FlaskClient) -> None:
    ttl = two_builds.get("/doc/offering/servicemap.ttl")
    assert ttl.status_code == 410
    graph = Graph().parse(data=ttl.data, format="turtle")
    subject = URIRef(f"{BASE}id/offering/servicemap")
    assert graph.value(subject, DCTERMS.isReplacedBy) == URIRef(f"{BASE}id/offering/smbackend")
    html = two_builds.get("/doc/offering/servicemap.html?lang=en")
    assert html.status_code == 410
    assert 'href="/doc/offering/smbackend?lang=en"' in html.text
    assert "Merged into the backend." in html.text


def test_renamed_key_answers_301(two_builds: FlaskClient) -> None:
    response = two_builds.get("/id/offering/respa")
    assert response.status_code == 301
    assert response.headers["Location"] == "/id/offering/varaamo-respa"
    doc = two_builds.get("/doc/offering/respa.ttl")
    assert doc.status_code == 301
    assert doc.headers["Location"] == "/doc/offering/varaamo-respa.ttl"
    assert two_builds.get("/id/offering/varaamo-respa").status_code == 303


def test_html_looking_data_is_escaped(two_builds: FlaskClient) -> None:
    html = two_builds.get("/doc/offering/linked-events.html?lang=en").text
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;alert(" in html
    assert "&lt;b&gt;Co&lt;/b&gt;" in html
    # the schema.org block must not be closable from the data either
    block = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in block


def test_never_published_is_still_404(two_builds: FlaskClient) -> None:
    assert two_builds.get("/id/offering/never-was-here").status_code == 404


def test_offering_page_shows_open_and_closed_parts(two_builds: FlaskClient) -> None:
    html = two_builds.get("/doc/offering/smbackend.html?lang=en").text
    table = html.split('<table class="parts">', 1)[1].split("</table>", 1)[0]
    rows = table.split("<tr>")[2:]  # after the header row
    assert len(rows) == 2
    core, addon = rows
    assert "Core" in core and "pill open" in core and "0 EUR" in core
    assert "Add-on" in addon and "pill closed" in addon
    assert "1\u00a0200 EUR" in addon and "per year" in addon
    fi = two_builds.get("/doc/offering/smbackend.html?lang=fi").text
    assert "1\u00a0200 EUR" in fi and "suljettu" in fi and "vuodessa" in fi
