"""A time limit for rendering a response, and giving up when its client has gone.

The web layer starts a `Budget` for each request (``publisher.http``); code that does
work proportional to data (reading the store, building a catalogue page item by item)
calls `checkpoint()`, which raises `TimeLimit` once the request's time is up and
`ClientGone` once its client has closed the connection. Nothing is kept of a render that
stopped (the caches keep only what was made whole). Outside a request `checkpoint()`
does nothing, so the build may share these functions.

Whether the client is still there: Granian's WSGI interface tells an app nothing about
its connection, so `TcpPeerProbe` asks the kernel. A render that has already taken
``PROBE_AFTER`` seconds looks, at most every ``PROBE_EVERY`` seconds, for an established
TCP connection from the request's peer (the proxy, when behind one) to the port the
request came in on (``/proc/net/tcp``, ``tcp6``). None left means the client has gone;
where connections cannot be listed the client is assumed present. The answer can only
err towards "present" (several connections from one proxy), never towards "gone".

No module here imports Flask: this is plain Python over `contextvars`.
"""

from __future__ import annotations

import contextvars
import ipaddress
import socket
import struct
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PROBE_AFTER = 0.2  # seconds of rendering before the connection is first looked at
PROBE_EVERY = 0.2  # seconds between two looks
PROC_NET = Path("/proc/net")
_ESTABLISHED = "01"


class BudgetExceeded(Exception):
    """A render stopped before it was done."""


class TimeLimit(BudgetExceeded):
    def __init__(self, limit: float) -> None:
        super().__init__(f"rendering took longer than its limit of {limit:g} s")
        self.limit = limit


class ClientGone(BudgetExceeded):
    def __init__(self) -> None:
        super().__init__("the client closed the connection before the response was ready")


@dataclass
class Budget:
    limit: float  # seconds
    gone: Callable[[], bool] | None = None  # True once the client has gone
    clock: Callable[[], float] = time.monotonic
    started: float = field(default=-1.0)
    _next_probe: float = field(default=0.0, repr=False)

    def __post_init__(self) -> None:
        if self.started < 0:
            self.started = self.clock()
        self._next_probe = self.started + PROBE_AFTER

    def check(self) -> None:
        now = self.clock()
        if now - self.started >= self.limit:
            raise TimeLimit(self.limit)
        if self.gone is not None and now >= self._next_probe:
            self._next_probe = now + PROBE_EVERY
            if self.gone():
                raise ClientGone


_CURRENT: contextvars.ContextVar[Budget | None] = contextvars.ContextVar(
    "avoinkunta_budget", default=None
)


def checkpoint() -> None:
    """Raise `TimeLimit` or `ClientGone` if the current request's render must stop."""
    budget = _CURRENT.get()
    if budget is not None:
        budget.check()


def start(budget: Budget | None) -> contextvars.Token[Budget | None]:
    return _CURRENT.set(budget)


def stop(token: contextvars.Token[Budget | None]) -> None:
    try:
        _CURRENT.reset(token)
    except ValueError:  # set in another context (a copied one): end it here all the same
        _CURRENT.set(None)


@contextmanager
def limited(budget: Budget | None) -> Iterator[Budget | None]:
    token = start(budget)
    try:
        yield budget
    finally:
        stop(token)


def current() -> Budget | None:
    return _CURRENT.get()


# --- is the client still connected? -----------------------------------------------------


@dataclass(frozen=True)
class TcpPeerProbe:
    """Is there still an established TCP connection from `peer` to local `port`?"""

    peer: str
    port: int
    proc_net: Path = PROC_NET

    def gone(self) -> bool:
        wanted = _proc_addresses(self.peer)
        if not wanted:
            return False
        local_port = f":{self.port:04X}"
        seen_any_table = False
        for table in ("tcp", "tcp6"):
            try:
                lines = (self.proc_net / table).read_text(encoding="ascii").splitlines()[1:]
            except OSError:
                continue
            seen_any_table = True
            for line in lines:
                fields = line.split()
                if len(fields) < 4 or fields[3] != _ESTABLISHED:
                    continue
                local, remote = fields[1], fields[2]
                if local.endswith(local_port) and remote.rsplit(":", 1)[0] in wanted:
                    return False
        return seen_any_table  # no table readable: assume the client is there


def _proc_addresses(address: str) -> set[str]:
    """`address` as /proc/net/tcp{,6} write it (IPv4 also as IPv4-mapped IPv6)."""
    try:
        ip = ipaddress.ip_address(address.strip().strip("[]"))
    except ValueError:
        return set()
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if isinstance(ip, ipaddress.IPv4Address):
        packed = socket.inet_aton(str(ip))
        mapped = ipaddress.IPv6Address(f"::ffff:{ip}").packed
        return {_words(packed), _words(mapped)}
    return {_words(ip.packed)}


def _words(packed: bytes) -> str:
    """The kernel prints an address as 32-bit words in host order, each as %08X."""
    return "".join(
        f"{struct.unpack('=I', packed[i : i + 4])[0]:08X}" for i in range(0, len(packed), 4)
    )


def probe_for(environ: Mapping[str, Any]) -> Callable[[], bool] | None:
    """The client probe for a WSGI request, or None when the server is not one whose
    connections this process holds (Flask's test client, a server that says itself when
    the client has gone: ``avoinkunta.client_gone`` in the environ)."""
    told = environ.get("avoinkunta.client_gone")
    if callable(told):
        return told
    if environ.get("SERVER_SOFTWARE") != "Granian" and not environ.get("avoinkunta.probe"):
        return None
    peer = environ.get("avoinkunta.proxy_addr") or environ.get("REMOTE_ADDR") or ""
    try:
        port = int(environ.get("SERVER_PORT") or 0)
    except ValueError:
        return None
    if not peer or not 0 < port < 65536:
        return None
    return TcpPeerProbe(str(peer), port).gone
