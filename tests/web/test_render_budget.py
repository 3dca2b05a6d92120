"""A render has a time limit and stops when its client has gone (publisher.budget).

No test here measures time: the clock is a counter the test moves, the limit is 0 (every
checkpoint is past it), and "the client has gone" is a closed socket the kernel reports."""

from __future__ import annotations

import shutil
import socket
import time
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from publisher import budget
from publisher.app import create_app
from publisher.budget import Budget, ClientGone, TcpPeerProbe, TimeLimit, checkpoint
from publisher.config import Settings
from publisher.http.caching import LruCache, PublicationCache
from publisher.publication import Publication
from publisher.views import resources


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_checkpoint_past_the_limit_stops_the_render() -> None:
    clock = Clock()
    with budget.limited(Budget(2.0, clock=clock)):
        checkpoint()
        clock.now += 1.9
        checkpoint()
        clock.now += 0.1
        with pytest.raises(TimeLimit):
            checkpoint()
    checkpoint()  # outside a request (or the build): nothing to stop


def test_the_client_is_looked_for_only_once_a_render_takes_time() -> None:
    clock, looks = Clock(), []

    def gone() -> bool:
        looks.append(clock.now)
        return len(looks) >= 2

    with budget.limited(Budget(60.0, gone=gone, clock=clock)):
        checkpoint()  # a quick render never looks
        assert looks == []
        clock.now += budget.PROBE_AFTER
        checkpoint()
        checkpoint()  # not again before PROBE_EVERY
        assert len(looks) == 1
        clock.now += budget.PROBE_EVERY
        with pytest.raises(ClientGone):
            checkpoint()


def _wait_for(condition: object, attempts: int = 500) -> bool:
    for _ in range(attempts):
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.01)
    return False


def test_the_kernel_tells_whether_the_peer_is_still_connected() -> None:
    with socket.create_server(("127.0.0.1", 0)) as listener:
        port = listener.getsockname()[1]
        client = socket.create_connection(("127.0.0.1", port))
        accepted, _ = listener.accept()
        try:
            probe = TcpPeerProbe("127.0.0.1", port)
            assert _wait_for(lambda: not probe.gone())
            assert not probe.gone()
            client.close()  # the server's end is now CLOSE_WAIT: not established
            assert _wait_for(probe.gone)
            # Someone else's address on the same port says nothing about our client.
            assert not TcpPeerProbe("not an address", port).gone()
        finally:
            accepted.close()


def test_no_probe_under_the_test_client_or_an_unknown_server() -> None:
    assert budget.probe_for({"REMOTE_ADDR": "127.0.0.1", "SERVER_PORT": "80"}) is None
    probe = budget.probe_for(
        {"SERVER_SOFTWARE": "Granian", "REMOTE_ADDR": "10.0.0.1", "SERVER_PORT": "8080"}
    )
    assert probe is not None
    # Behind a proxy the connection is the proxy's, not the forwarded client's.
    behind = budget.probe_for(
        {
            "SERVER_SOFTWARE": "Granian",
            "REMOTE_ADDR": "203.0.113.9",
            "avoinkunta.proxy_addr": "127.0.0.1",
            "SERVER_PORT": "8080",
        }
    )
    assert isinstance(getattr(behind, "__self__", None), TcpPeerProbe)
    assert behind.__self__.peer == "127.0.0.1"  # type: ignore[union-attr]


def test_a_render_over_the_time_limit_answers_503_and_keeps_nothing(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The session's publication is shared with other modules in this process, which may
    # have rendered (and so kept in memory) this document already: start from an empty
    # in-process cache, so that the request really renders.
    monkeypatch.setattr(resources, "_RENDERED", LruCache(16))
    client = create_app(settings.replace(render_time_limit=0)).test_client()
    response = client.get("/doc/offering/linked-events.ttl")
    assert response.status_code == 503
    assert response.headers["Retry-After"]
    assert response.get_json()["ok"] is False
    assert "longer than 0 s" in response.get_json()["message"]
    assert client.get("/robots.txt").status_code == 200  # what reads no data is served
    # Nothing half-made was kept: the same document renders whole with time to do so.
    whole = create_app(settings).test_client().get("/doc/offering/linked-events.ttl")
    assert whole.status_code == 200 and b"linked-events" in whole.data


def _kept_catalogue_pages(publication: Publication) -> set[str]:
    folder = publication.path / PublicationCache.FOLDER / "catalog"
    return {p.name for p in folder.iterdir()} if folder.is_dir() else set()


def test_a_render_whose_client_has_gone_stops_and_keeps_nothing(
    settings: Settings, publication: Publication, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(budget, "PROBE_AFTER", 0.0)
    app = create_app(settings)
    before = _kept_catalogue_pages(publication)
    gone: FlaskClient = app.test_client()
    gone.environ_base["avoinkunta.client_gone"] = lambda: True
    response = gone.get("/catalog/adms.nt?page_size=3&page=2")
    assert response.status_code == 499 and response.data == b""
    assert _kept_catalogue_pages(publication) == before
    # A client that stays gets the page.
    stays = app.test_client()
    stays.environ_base["avoinkunta.client_gone"] = lambda: False
    assert stays.get("/catalog/adms.nt?page_size=3&page=2").status_code == 200


def test_the_limit_is_a_setting(tmp_path: Path) -> None:
    assert Settings(out_dir=tmp_path).render_time_limit > 0
    with pytest.raises(ValueError):
        Settings(out_dir=tmp_path, render_time_limit=-1)


def test_what_is_made_once_per_publication_is_finished_past_the_limit(
    settings: Settings, publication: Publication
) -> None:
    from publisher.views import catalog

    facts = publication.path / PublicationCache.FOLDER / "catalog-facts"
    shutil.rmtree(facts, ignore_errors=True)
    catalog._ITEMS._data.clear()
    catalog._FACTS._memory._data.clear()
    client = create_app(settings.replace(render_time_limit=0)).test_client()
    assert client.get("/catalog/adms.nt?page_size=5&page=2").status_code == 503
    # The page was given up; the list of assets it needed is kept for the next request.
    assert facts.is_dir() and any(facts.iterdir())
