"""Kept for ``sparql_endpoint.formats`` until it takes negotiation through ``init_app``:
the one negotiation function is `publisher.http.negotiation.negotiate`, the one format
table `publisher.formats`."""

from publisher.http.negotiation import AcceptRange, negotiate, parse_accept

__all__ = ["AcceptRange", "negotiate", "parse_accept"]
