"""/compare (with and without parts, unknown and too many offerings) and /statistics (SVG
charts with text alternatives and tables) over HTTP."""

from __future__ import annotations

import re
from xml.etree import ElementTree

from flask.testing import FlaskClient

HTML = {"Accept": "text/html"}


def get(client: FlaskClient, url: str) -> str:
    response = client.get(url, headers=HTML)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def row(body: str, header: str) -> str:
    """The cells of the comparison row headed ``header``."""
    match = re.search(rf'<th scope="row">{re.escape(header)}</th>(.*?)</tr>', body, re.S)
    assert match, header
    return match.group(1)


def test_compare_an_offering_with_parts_and_one_without(client: FlaskClient) -> None:
    body = get(client, "/compare?o=koha-suomi-service&o=oskari&lang=en")
    assert body.count('<th scope="col">') == 2
    parts = row(body, "Part: licence, price")
    cells = re.findall(r"<td>(.*?)</td>", parts, re.S)
    assert len(cells) == 2
    koha, oskari = cells
    # the service's two parts, each with its licence and its price
    assert "Koha library system (software)" in koha and "GNU General Public License v3.0" in koha
    assert "Service agreement" in koha or "service-agreement" in koha.lower()
    assert "€0.28 per resident per year" in koha
    assert "No parts listed separately." in oskari
    what_is_open = row(body, "What is open")
    assert "pill closed" in what_is_open and "The whole offering is open source." in what_is_open
    evidence = row(body, "Openness aspects")
    assert "https://github.com/oskariorg/oskari-server/blob/76ebb7064/LICENSE" in evidence
    assert "Maanmittauslaitos" in body or "National Land Survey of Finland" in body


def test_compare_reports_unknown_and_caps_at_four(client: FlaskClient) -> None:
    body = get(client, "/compare?o=oskari&o=no-such-thing&lang=en")
    assert "Not found: no-such-thing" in body
    many = "&".join(f"o={k}" for k in ("oskari", "moodle", "drupal", "keycloak", "qgis"))
    body = get(client, f"/compare?{many}&lang=en")
    assert body.count('<th scope="col">') == 4
    assert "A comparison holds four" in body
    assert "Choose 2–4 offerings" in get(client, "/compare?lang=en")


def test_statistics_charts_have_text_alternatives_and_tables(client: FlaskClient) -> None:
    body = get(client, "/statistics?lang=fi")
    svgs = re.findall(r"<svg .*?</svg>", body, re.S)
    assert len(svgs) == 6
    for svg in svgs:
        tree = ElementTree.fromstring(svg)  # well-formed XML
        assert tree.get("role") == "img"
        ns = "{http://www.w3.org/2000/svg}"
        title, desc = tree.find(f"{ns}title"), tree.find(f"{ns}desc")
        assert title is not None and title.text and desc is not None and desc.text
        labelled = tree.get("aria-labelledby", "").split()
        assert labelled == [title.get("id"), desc.get("id")]
        assert not tree.findall(f".//{ns}a"), "no controls inside an image"
    assert body.count("<table>") == 6
    assert "31 tuotetta tai palvelua · 31 toimittajaa" in body
    # every table row links to a list that holds as many offerings as the row says
    rows = re.findall(
        r'<th scope="row"><a href="(/offerings\?layer=[^"]+)"[^>]*>[^<]*</a></th>'
        r'<td class="num">(\d+)</td></tr>',
        body,
    )
    assert rows
    for href, number in rows:
        listed = get(client, href.replace("&amp;", "&") + "&page_size=100")
        assert len(re.findall(r'<article aria-labelledby="card-', listed)) == int(number)
