"""X-Forwarded-For is believed only from a trusted proxy, and only its own hops."""

from __future__ import annotations

import pytest

from publisher.forwarded import ForwardedFor

PROXY = "127.0.0.1"


@pytest.mark.parametrize(
    ("trusted", "remote", "header", "client"),
    [
        ((), PROXY, "203.0.113.5", PROXY),  # no trusted proxy: header ignored
        ((PROXY,), PROXY, "203.0.113.5", "203.0.113.5"),
        ((PROXY,), "198.51.100.9", "203.0.113.5", "198.51.100.9"),  # not from the proxy
        # a client cannot choose its address by sending the header itself
        ((PROXY,), PROXY, "6.6.6.6, 203.0.113.5", "203.0.113.5"),
        # two proxies of ours: the client is the last address before them
        ((PROXY, "10.0.0.0/8"), PROXY, "6.6.6.6, 203.0.113.5, 10.1.2.3", "203.0.113.5"),
        ((PROXY,), PROXY, "not-an-address", PROXY),
        ((PROXY,), PROXY, "2001:db8::7", "2001:db8::7"),
        ((PROXY,), PROXY, None, PROXY),
    ],
)
def test_client_address(trusted, remote, header, client) -> None:
    seen = {}

    def app(environ, start_response):
        seen["addr"] = environ["REMOTE_ADDR"]
        return []

    environ = {"REMOTE_ADDR": remote}
    if header is not None:
        environ["HTTP_X_FORWARDED_FOR"] = header
    ForwardedFor(app, trusted)(environ, None)
    assert seen["addr"] == client
