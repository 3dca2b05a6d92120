"""Frames on the Unix sockets between web processes, the broker and the query workers.

A frame is a 4-byte big-endian length, one byte of kind, then the payload. Payloads are
pickles (small dicts) or raw result bytes. Every socket here is ``SOCK_SEQPACKET``: one
send is one record is one frame, delivered whole or not at all, so a worker killed in
the middle of its answer leaves no half frame behind. A record is at most
``RECORD_LIMIT`` bytes (results travel in ``CHUNK``-sized data frames).

The answer goes straight from the worker to the web process: with each job the broker
passes the worker the web process's connection (SCM_RIGHTS), the worker writes the
answer's frames to it and then tells the broker ``DONE``. The broker itself writes to
that connection only what it decides: refusals, cached results, and the error when it
stops a query (tagged with the job's ``seq``, so that a web process that already read
the whole answer skips it; ``drop``: the connection may hold a killed worker's frames,
do not reuse it).

Kinds, from a worker to the web process: ``W`` whole result (pickled ``{"head",
"data"}``), ``H`` head of a streamed result (pickled dict), ``D`` data bytes, ``E`` end
of a streamed result, ``X`` error (pickled ``{"status", "message", "headers"}``). From a
worker to the broker: ``T`` it is up (pickled), ``F`` done (a pickled dict, empty unless
it holds ``"whole"``, the whole-result frame for the results cache when asked, or
``"gone"``: the web process had closed the connection). From a web process to the broker:
``Q`` job, ``S`` status request, answered with ``T``. From the broker to a worker: ``Q``
job, or ``C`` job whose whole result the broker also wants back (for its cache), each
with the web process's connection.
"""

from __future__ import annotations

import array
import mmap
import pickle
import socket
import struct
import threading
from typing import Any

HEADER = struct.Struct(">IB")
MAX_FRAME = 64 * 1024 * 1024

RECORD_LIMIT = 200 * 1024  # below the kernel's default socket send buffer (212,992 bytes)
CHUNK = 64 * 1024  # result bytes per data frame

WHOLE, HEAD, DATA, END, ERROR = b"W", b"H", b"D", b"E", b"X"
JOB, JOB_CACHE, STATUS, STATUS_REPLY, DONE = b"Q", b"C", b"S", b"T", b"F"
PICKLED = frozenset({WHOLE, HEAD, ERROR, JOB, JOB_CACHE, STATUS, STATUS_REPLY, DONE})


class Closed(Exception):
    """The other end closed the socket (or it broke)."""


def frame(kind: bytes, payload: bytes | bytearray | memoryview) -> bytes:
    return HEADER.pack(len(payload), kind[0]) + payload


def encode(kind: bytes, value: Any) -> bytes:
    data = value if kind not in PICKLED else pickle.dumps(value, protocol=5)
    return frame(kind, data)


def decode(kind: bytes, payload: bytes) -> Any:
    return pickle.loads(payload) if kind in PICKLED else payload


def send(sock: socket.socket, kind: bytes, value: Any) -> None:
    data = encode(kind, value)
    if len(data) > RECORD_LIMIT:
        raise ValueError(f"a frame of {len(data)} bytes is more than one record holds")
    try:
        sock.sendall(data)
    except OSError as exc:
        raise Closed(str(exc)) from exc


def parse(record: bytes) -> tuple[bytes, bytes]:
    """(kind, payload) of one record."""
    if len(record) < HEADER.size:
        raise Closed(f"record of {len(record)} bytes")
    length, kind = HEADER.unpack_from(record)
    if length != len(record) - HEADER.size:
        raise Closed(f"record of {len(record)} bytes, frame of {length}")
    return bytes((kind,)), record[HEADER.size :]


class _Space(threading.local):
    """Each thread's room for one incoming record: an anonymous mapping (its pages are
    touched only as far as records fill it). ``recv(RECORD_LIMIT)`` would allocate and free
    RECORD_LIMIT bytes per record: glibc maps and unmaps such a block each time (~11 µs)."""

    def __init__(self) -> None:
        # private: the workers are forks of one process, and must not share it
        self.room = mmap.mmap(-1, RECORD_LIMIT, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
        self.view = memoryview(self.room)


_SPACE = _Space()
_FD_SIZE = array.array("i").itemsize


def receive_record(sock: socket.socket, flags: int = 0) -> bytes:
    """One record (b"" at the end of the connection); OSError as ``sock.recv``."""
    space = _SPACE
    count = sock.recv_into(space.room, RECORD_LIMIT, flags)
    return bytes(space.view[:count])


def receive_with_fd(sock: socket.socket) -> tuple[bytes, list[int]]:
    """One record and the file descriptors passed with it (SCM_RIGHTS)."""
    space = _SPACE
    count, ancillary, _flags, _address = sock.recvmsg_into(
        [space.room], socket.CMSG_SPACE(4 * _FD_SIZE)
    )
    fds: list[int] = []
    for level, kind, data in ancillary:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            passed = array.array("i")
            passed.frombytes(data[: len(data) - (len(data) % passed.itemsize)])
            fds.extend(passed)
    return bytes(space.view[:count]), fds


class Reader:
    """Frames from a blocking SOCK_SEQPACKET socket: one ``recv`` per frame."""

    def __init__(self, sock: socket.socket):
        self.sock = sock
        self.seq = 0  # the web process's count of jobs sent on this connection

    def receive(self) -> tuple[bytes, Any]:
        """The next frame (kind, decoded payload); blocking, under the socket's timeout."""
        try:
            record = receive_record(self.sock)
        except TimeoutError:
            raise
        except OSError as exc:
            raise Closed(str(exc)) from exc
        if not record:
            raise Closed("connection closed")
        kind, payload = parse(record)
        return kind, decode(kind, payload)
