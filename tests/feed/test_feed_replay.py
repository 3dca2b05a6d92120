"""/feed replayed by a client written from the LDES spec (tests/feed/ldes_client.py):
from the root, following every relation, into an empty store, to exactly the current
entities and tombstones; then, after a change, again fetching only what is new."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient

from publisher.app import create_app
from publisher.build import build
from publisher.feed import pages as feed_pages
from publisher.feed import payload
from publisher.publication import Publication
from tests.conftest import BASE, DATA_DIR, make_settings, quiet
from tests.feed.ldes_client import AS, LdesClient, Replica

pytestmark = pytest.mark.slow
FIRST = datetime(2026, 11, 1, 9, 0, 0, tzinfo=UTC)
SECOND = datetime(2026, 11, 2, 9, 0, 0, tzinfo=UTC)
THIRD = datetime(2026, 11, 3, 9, 0, 0, tzinfo=UTC)
DCT_REPLACED = "http://purl.org/dc/terms/isReplacedBy"


def _fetcher(client: FlaskClient):
    def fetch(url: str, headers: dict[str, str]):
        assert url.startswith(BASE), url
        response = client.get("/" + url[len(BASE) :], headers=headers)
        return response.status_code, dict(response.headers), response.data, url

    return fetch


class Feed:
    """A deployment of our own: data we change, builds at set times, the app over it."""

    def __init__(self, root: Path) -> None:
        self.data = root / "data"
        shutil.copytree(DATA_DIR, self.data)
        self.out = root / "out"
        self.settings = make_settings(self.out, self.data)

    def build(self, now: datetime) -> Publication:
        # 20 members a page (not 250), so that the small catalogue makes several pages;
        # set only around our own builds, not for the rest of the session.
        saved = feed_pages.PAGE_SIZE
        feed_pages.PAGE_SIZE = 20
        try:
            return build(self.settings, progress=quiet, now=now)
        finally:
            feed_pages.PAGE_SIZE = saved

    def client(self) -> FlaskClient:
        app = create_app(self.settings)
        app.config["TESTING"] = True
        return app.test_client()

    def state(self) -> dict:
        publication = Publication.current(self.out)
        assert publication is not None
        return json.loads((publication.artefact("feed") / "state.json").read_text())


@pytest.fixture(scope="module")
def feed(tmp_path_factory: pytest.TempPathFactory) -> Feed:
    deployment = Feed(tmp_path_factory.mktemp("feed"))
    deployment.build(FIRST)
    return deployment


def _expected(publication: Publication) -> tuple[dict[str, list[ox.Triple]], dict[str, dict]]:
    """The current entities (own description) and tombstones, from the publication."""
    store = ox.Store.read_only(str(publication.store_path))
    graph = str(publication.manifest["graphs"] and f"{BASE}graph/catalogue")
    live, gone = {}, {}
    for iri, entry in publication.ledger.items():
        if entry["kind"] not in ("offering", "supplier", "licence"):
            continue
        if entry["removed"]:
            gone[iri] = entry
        else:
            live[iri] = [ox.Triple(*t) for t in payload.closure(store, iri, graph)]
    return live, gone


def _isomorphic(a: list[ox.Triple], b: list[ox.Triple]) -> bool:
    def canon(triples: list[ox.Triple]) -> list[str]:
        return payload.canonical_lines(
            [(t.subject, t.predicate, t.object) for t in triples], "urn:g", "b"
        )

    return canon(a) == canon(b)


def _check_replica(replica: Replica, publication: Publication) -> None:
    live, gone = _expected(publication)
    datasets = {
        e for e in replica.entities() if e.startswith(f"{BASE}catalog#") or "/id/scheme/" in e
    } | ({f"{BASE}ontology", f"{BASE}feed#stream"} & replica.entities())
    assert replica.entities() - datasets == set(live), "exactly the current entities"
    for iri, triples in live.items():
        assert _isomorphic(replica.description(iri), triples), iri
    assert set(replica.tombstones) == set(gone), "exactly the current tombstones"
    for iri, entry in gone.items():
        successor = entry.get("renamed_to") or entry.get("replaced_by")
        facts = replica.tombstones[iri]
        assert ("http://www.w3.org/1999/02/22-rdf-syntax-ns#type", AS + "Tombstone") in facts
        if successor:
            assert (DCT_REPLACED, successor) in facts
    # the catalogue-level datasets of /catalog: the register, the ontology, every scheme
    assert {f"{BASE}catalog#offerings", f"{BASE}ontology", f"{BASE}feed#stream"} <= datasets
    assert len([d for d in datasets if "/id/scheme/" in d]) == 5


def test_replay_then_follow_one_change_incrementally(feed: Feed) -> None:
    client = feed.client()
    ldes = LdesClient(_fetcher(client))
    members = ldes.run(f"{BASE}feed")
    state = feed.state()
    pages = state["pages"]
    assert len(pages) == len(state["entities"]) // 20 + 1 >= 4
    assert ldes.state.timestamp_path == AS + "published"
    assert ldes.state.version_of_path == AS + "object"
    assert ("https://w3id.org/ldes#versionAmount", "1") in ldes.state.retention
    assert len(members) == len(state["entities"])  # one Create each on a first build
    assert {t for m in members for t in m.types} == {AS + "Create"}
    replica = Replica()
    replica.apply(members, ldes.state.timestamp_path, ldes.state.version_of_path)
    _check_replica(replica, Publication.current(feed.out))
    closed = {f"{BASE}feed/{p['number']}" for p in pages if p["closed"]}
    assert closed and closed <= ldes.state.immutable

    # A change: one offering edited, one removed with a successor, one renamed.
    _edit(feed.data)
    feed.build(SECOND)
    client = feed.client()
    ldes.fetch = _fetcher(client)
    new = ldes.run(f"{BASE}feed")
    fetched = set(ldes.state.fetched)
    assert not (fetched & closed), "closed pages are never fetched again"
    assert f"{BASE}feed" in fetched
    kinds = sorted((m.value(AS + "object"), sorted(m.types)) for m in new)
    objects = {o for o, _ in kinds}
    assert f"{BASE}id/offering/moodle" in objects  # edited → Update
    assert f"{BASE}id/offering/zimbra-collaboration" in objects  # removed → Delete
    assert {f"{BASE}id/offering/servicemap", f"{BASE}id/offering/palvelukartta"} <= objects
    types = {o: t for o, t in kinds}
    assert types[f"{BASE}id/offering/moodle"] == [AS + "Update"]
    assert types[f"{BASE}id/offering/zimbra-collaboration"] == [AS + "Delete"]
    assert types[f"{BASE}id/offering/servicemap"] == [AS + "Delete"]
    assert types[f"{BASE}id/offering/palvelukartta"] == [AS + "Create"]
    replica.apply(new, ldes.state.timestamp_path, ldes.state.version_of_path)
    _check_replica(replica, Publication.current(feed.out))
    assert (DCT_REPLACED, f"{BASE}id/offering/palvelukartta") in replica.tombstones[
        f"{BASE}id/offering/servicemap"
    ]

    # A rebuild with no change adds no activity and changes no byte of the feed.
    before = _feed_bytes(feed)
    feed.build(THIRD)
    assert _feed_bytes(feed) == before
    client = feed.client()
    ldes.fetch = _fetcher(client)
    assert ldes.run(f"{BASE}feed") == []


def _feed_bytes(feed: Feed) -> dict[str, bytes]:
    folder = Publication.current(feed.out).artefact("feed")
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def _edit(data: Path) -> None:
    moodle = data / "suppliers" / "moodle.yaml"
    text = moodle.read_text(encoding="utf-8")
    assert "Moodle" in text
    moodle.write_text(
        text.replace("keywords:", "keywords:\n    sv: [lärplattform]", 1), encoding="utf-8"
    )
    synacor = data / "suppliers" / "synacor.yaml"
    document = synacor.read_text(encoding="utf-8")
    start = document.index("- id: zimbra-collaboration")
    synacor.write_text(document[:start].rstrip() + "\n", encoding="utf-8")
    helsinki = data / "suppliers" / "city-of-helsinki.yaml"
    text = helsinki.read_text(encoding="utf-8")
    assert "- id: servicemap\n" in text
    helsinki.write_text(
        text.replace("- id: servicemap\n", "- id: palvelukartta\n", 1), encoding="utf-8"
    )
    (data / "retired.yaml").write_text(
        "retired:\n"
        "  - id: zimbra-collaboration\n"
        "    kind: offering\n"
        "    removed: 2026-11-02\n"
        "    replaced_by: nextcloud\n"
        "    reason: {fi: Poistettu testissä, en: Removed in a test}\n"
        "renamed:\n"
        "  servicemap: palvelukartta\n",
        encoding="utf-8",
    )


def test_pages_are_linked_and_closed_pages_immutable(feed: Feed) -> None:
    client = feed.client()
    state = feed.state()
    closed = [p for p in state["pages"] if p["closed"]]
    assert closed
    first = client.get("/feed/1")
    assert first.status_code == 200
    assert first.headers["Content-Type"].startswith("application/trig")
    assert first.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    etag = first.headers["ETag"]
    assert not etag.startswith("W/")
    assert client.get("/feed/1", headers={"If-None-Match": etag}).status_code == 304
    quads = list(ox.parse(first.data, format=ox.RdfFormat.TRIG, base_iri=f"{BASE}feed/1"))
    assert any(q.predicate.value == "https://w3id.org/ldes#immutable" for q in quads)
    assert any(
        q.object.value == f"{BASE}feed/2" for q in quads if q.predicate.value.endswith("#node")
    )
    root = client.get("/feed", headers={"Accept": "application/ld+json"})
    assert root.headers["Content-Type"].startswith("application/ld+json")
    assert "immutable" not in root.headers["Cache-Control"]
    assert root.headers["Vary"] == "Accept" and root.headers["Access-Control-Allow-Origin"] == "*"
    relations = list(ox.parse(root.data, format=ox.RdfFormat.JSON_LD, base_iri=f"{BASE}feed"))
    kinds = {q.object.value for q in relations if q.predicate.value.endswith("#type")}
    assert {
        "https://w3id.org/tree#GreaterThanOrEqualToRelation",
        "https://w3id.org/tree#LessThanRelation",
    } <= kinds
    nq = client.get("/feed/1.nq")
    assert nq.headers["Content-Type"].startswith("application/n-quads")
    assert sorted(ox.parse(nq.data, format=ox.RdfFormat.N_QUADS), key=str) == sorted(quads, key=str)
    assert client.get("/feed/999").status_code == 404
    assert client.get("/feed", headers={"Accept": "image/png"}).status_code == 406
