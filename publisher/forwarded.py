"""The client's address behind a reverse proxy, from a trusted X-Forwarded-For hop only.

Anyone can send ``X-Forwarded-For``; only a proxy we run may be believed. So the header is
read only when the request comes from an address in ``trusted_proxies``, and then from the
right: each hop added by a trusted proxy is skipped, and the first address that is not one
of ours is the client (nginx's ``real_ip_recursive``). Everything that limits or logs per
client (the SPARQL endpoint's budgets and fair queue, the access log) then sees the client,
not the proxy. Without trusted proxies the header is ignored.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from typing import Any

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _networks(addresses: Iterable[str]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(a.strip(), strict=False) for a in addresses if a.strip())


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return None


class ForwardedFor:
    """WSGI middleware: REMOTE_ADDR becomes the client behind trusted proxies."""

    def __init__(self, app: Callable[..., Any], trusted_proxies: Iterable[str]):
        self.app = app
        self.trusted = _networks(trusted_proxies)

    def _trusted(self, address: ipaddress.IPv4Address | ipaddress.IPv6Address | None) -> bool:
        return address is not None and any(address in network for network in self.trusted)

    def client(self, remote: str, forwarded: str | None) -> str:
        """The client address for a request from ``remote`` with this header."""
        if not self.trusted or not forwarded or not self._trusted(_address(remote)):
            return remote
        client = remote
        for hop in reversed(forwarded.split(",")):
            address = _address(hop)
            if address is None:
                break  # garbage: believe nothing further left
            client = str(address)
            if not self._trusted(address):
                break
        return client

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        remote = environ.get("REMOTE_ADDR", "")
        client = self.client(remote, environ.get("HTTP_X_FORWARDED_FOR"))
        if client != remote:
            environ["avoinkunta.proxy_addr"] = remote
            environ["REMOTE_ADDR"] = client
        return self.app(environ, start_response)
