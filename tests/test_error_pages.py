"""One error shape: JSON for machines, the site's own page (in the reader's language) for
browsers; untrusted text in the message is escaped."""

from __future__ import annotations

from pathlib import Path

from flask.testing import FlaskClient

from publisher.app import create_app
from tests.conftest import make_settings

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def test_method_not_allowed_is_a_site_page_in_the_readers_language(client: FlaskClient) -> None:
    reply = client.post("/doc/offering/x-road?lang=sv", headers={"Accept": BROWSER})
    assert reply.status_code == 405
    assert "Allow" in reply.headers
    page = reply.get_data(as_text=True)
    assert '<html lang="sv"' in page and "Fel" in page and "Avoin kunta" in page


def test_machines_get_the_json_error_shape(client: FlaskClient) -> None:
    reply = client.post("/doc/offering/x-road", headers={"Accept": "application/json"})
    assert reply.status_code == 405
    assert reply.get_json()["ok"] is False and reply.get_json()["status"] == 405


def test_error_text_from_the_url_is_escaped(client: FlaskClient) -> None:
    reply = client.get("/dumps/<script>alert(1)<%2Fscript>", headers={"Accept": BROWSER})
    assert reply.status_code == 404
    assert "<script>alert(1)" not in reply.get_data(as_text=True)


def test_no_publication_is_a_503_page_that_says_what_to_do(tmp_path: Path) -> None:
    app = create_app(make_settings(tmp_path / "empty"))
    reply = app.test_client().get("/healthz", headers={"Accept": BROWSER})
    assert reply.status_code == 503
    assert reply.headers["Retry-After"] == "60"
    assert "avoinkunta build" in reply.get_data(as_text=True)
