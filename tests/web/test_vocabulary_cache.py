"""The vocabulary's page (pyLODE, half a second) is rendered once per vocabulary: kept
with the publication and, across publications, under OUT/.web keyed by its inputs."""

from __future__ import annotations

import shutil

import pytest

from publisher.app import create_app
from publisher.config import Settings
from publisher.http.caching import PublicationCache
from publisher.publication import Publication
from publisher.views import vocabulary

BROWSER = "text/html"


def _forget_publication_pages(publication: Publication) -> None:
    vocabulary._BODIES._memory._data.clear()
    vocabulary._ACROSS._memory._data.clear()
    shutil.rmtree(publication.path / PublicationCache.FOLDER / "ontology", ignore_errors=True)


def test_a_publication_with_the_same_vocabulary_does_not_render_it_again(
    settings: Settings, publication: Publication, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = create_app(settings).test_client()
    first = client.get("/ontology?lang=en", headers={"Accept": BROWSER})
    assert first.status_code == 200
    kept = settings.out_dir / vocabulary.ACROSS_DIR / PublicationCache.FOLDER / "vocabulary"
    assert any(kept.iterdir())

    # As for the next publication of the same sources: nothing kept with it yet.
    _forget_publication_pages(publication)
    renders: list[str] = []
    real = vocabulary._render

    def counted(*args: object, **kwargs: object) -> bytes:
        renders.append("render")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(vocabulary, "_render", counted)
    again = client.get("/ontology?lang=en", headers={"Accept": BROWSER})
    assert again.status_code == 200 and again.data == first.data
    assert renders == []
    # Another language is another page.
    assert client.get("/ontology?lang=fi", headers={"Accept": BROWSER}).status_code == 200
    assert renders == ["render"]


def test_the_inputs_digest_follows_the_vocabulary_and_the_base(
    settings: Settings, publication: Publication
) -> None:
    app = create_app(settings)
    other = create_app(settings.replace(base_uri="http://example.org/"))
    with app.test_request_context("/ontology"):
        mine = vocabulary._inputs_digest(app.extensions["avoinkunta"], None)
    vocabulary._INPUTS._data.clear()
    with other.test_request_context("/ontology"):
        theirs = vocabulary._inputs_digest(other.extensions["avoinkunta"], None)
    assert mine != theirs


RENDER_IN_A_NEW_PROCESS = """
import sys
from pathlib import Path

from publisher.app import create_app
from publisher.config import Settings
from publisher.views import vocabulary

settings = Settings(base_uri=sys.argv[1], out_dir=Path(sys.argv[2]))
app = create_app(settings)
with app.test_request_context("/ontology"):
    site = vocabulary.site()
    graph = vocabulary.ontology_graph(site)
    for lang in ("en", "fi"):
        sys.stdout.write(vocabulary.pylode_html(graph, site, lang))
"""


@pytest.mark.slow
def test_pylode_gives_the_same_page_whatever_the_hash_seed(settings: Settings) -> None:
    """pyLODE's page is rendered from nothing (no kept page) in processes with other hash
    seeds, as two servers or two web processes would: the same bytes, so the same ETag."""
    import os
    import subprocess
    import sys

    pages = {
        seed: subprocess.run(
            [
                sys.executable,
                "-c",
                RENDER_IN_A_NEW_PROCESS,
                settings.base_uri,
                str(settings.out_dir),
            ],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
            timeout=300,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(pages["1"]) > 10_000 and 'id="Offering"' in pages["1"]
    assert pages["1"] == pages["2"] == pages["3"]
