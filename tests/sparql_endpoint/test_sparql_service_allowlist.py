"""SERVICE to an allow-listed endpoint works (and only that one is reachable)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sparql_fixtures import make_app

REMOTE_RESULT = {
    "head": {"vars": ["x"]},
    "results": {"bindings": [{"x": {"type": "literal", "value": "from the remote endpoint"}}]},
}


class _Endpoint(BaseHTTPRequestHandler):
    received: list[str] = []

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        length = int(self.headers.get("Content-Length") or 0)
        _Endpoint.received.append(self.rfile.read(length).decode())
        body = json.dumps(REMOTE_RESULT).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def remote() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Endpoint)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Endpoint.received = []
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    server.shutdown()
    server.server_close()


def test_allow_listed_service_is_called(store_dir: Path, tmp_path: Path, remote: str) -> None:
    app = make_app(store_dir, workers=1, service_allowlist=(remote,))
    try:
        client = app.test_client()
        response = client.get(
            "/sparql",
            query_string={"query": f"SELECT ?x WHERE {{ SERVICE <{remote}> {{ ?x ?p ?o }} }}"},
        )
        assert response.status_code == 200, response.data
        values = [b["x"]["value"] for b in json.loads(response.data)["results"]["bindings"]]
        assert values == ["from the remote endpoint"]
        assert len(_Endpoint.received) == 1
        other = remote.replace("/sparql", "/other")
        refused = client.get(
            "/sparql",
            query_string={"query": f"SELECT * WHERE {{ SERVICE <{other}> {{ ?x ?p ?o }} }}"},
        )
        assert refused.status_code == 403
        assert remote in refused.get_data(as_text=True)  # the message names what is allowed
        assert len(_Endpoint.received) == 1
        # The service description advertises federation only when it is possible.
        turtle = client.get("/sparql", headers={"Accept": "text/turtle"}).get_data(as_text=True)
        assert "sd:BasicFederatedQuery" in turtle
    finally:
        app.extensions["sparql_endpoint"].close()
