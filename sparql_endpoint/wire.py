"""Frames on the Unix sockets between web processes, the broker and the query workers.

A frame is a 4-byte big-endian length, one byte of kind, then the payload. The broker
reads only lengths and kinds and forwards payloads untouched, so a result crosses it
without being decoded. Payloads are pickles (small dicts) or raw result bytes.

Kinds, from a worker (and so, forwarded, from the broker):
``W`` whole result (pickled ``{"head", "data"}``), ``H`` head of a streamed result
(pickled dict), ``D`` data bytes, ``E`` end of a streamed result, ``X`` error (pickled
``{"status", "message", "headers"}``). From a web process: ``Q`` job, ``S`` status
request; the broker answers ``S`` with ``T`` (pickled status). From the store host to a
worker thread (``worker_threads``), before it is handed to the broker: ``P`` (its nice).
"""

from __future__ import annotations

import pickle
import socket
import struct
from typing import Any

HEADER = struct.Struct(">IB")
MAX_FRAME = 64 * 1024 * 1024

WHOLE, HEAD, DATA, END, ERROR = b"W", b"H", b"D", b"E", b"X"
JOB, STATUS, STATUS_REPLY = b"Q", b"S", b"T"
PRIORITY = b"P"  # from the store host to a worker thread as it is handed out: its nice value
PICKLED = frozenset({WHOLE, HEAD, ERROR, JOB, STATUS, STATUS_REPLY, PRIORITY})


class Closed(Exception):
    """The other end closed the socket (or it broke)."""


def frame(kind: bytes, payload: bytes) -> bytes:
    return HEADER.pack(len(payload), kind[0]) + payload


def encode(kind: bytes, value: Any) -> bytes:
    data = value if kind not in PICKLED else pickle.dumps(value, protocol=5)
    return frame(kind, data)


def decode(kind: bytes, payload: bytes) -> Any:
    return pickle.loads(payload) if kind in PICKLED else payload


def send(sock: socket.socket, kind: bytes, value: Any) -> None:
    try:
        sock.sendall(encode(kind, value))
    except OSError as exc:
        raise Closed(str(exc)) from exc


READ_AHEAD = 64 * 1024


class Reader:
    """Frames from a blocking socket, read ahead: a small frame (a job, a whole result)
    arrives with one ``recv`` instead of two (header, then payload). The socket must be
    read only through its reader from then on, as the buffer may hold the next frame."""

    def __init__(self, sock: socket.socket):
        self.sock = sock
        self._data = bytearray()

    def _fill(self, want: int) -> None:
        try:
            chunk = self.sock.recv(min(max(want, READ_AHEAD), 1 << 20))
        except TimeoutError:
            raise
        except OSError as exc:
            raise Closed(str(exc)) from exc
        if not chunk:
            raise Closed("connection closed")
        self._data += chunk

    def receive(self) -> tuple[bytes, Any]:
        """The next frame (kind, decoded payload); blocking, under the socket's timeout."""
        data = self._data
        while len(data) < HEADER.size:
            self._fill(HEADER.size - len(data))
        length, kind = HEADER.unpack_from(data)
        if length > MAX_FRAME:
            raise Closed(f"frame of {length} bytes")
        end = HEADER.size + length
        while len(data) < end:
            self._fill(end - len(data))
        payload = bytes(data[HEADER.size : end])
        del data[:end]
        kind_byte = bytes((kind,))
        return kind_byte, decode(kind_byte, payload)


class FrameBuffer:
    """Incoming bytes of a non-blocking socket, cut into frames (for the broker)."""

    def __init__(self) -> None:
        self._data = bytearray()

    def feed(self, data: bytes) -> None:
        self._data += data

    def frames(self) -> list[tuple[bytes, memoryview, bytes]]:
        """Complete frames so far: (kind, payload, the whole frame's bytes). The payload is
        a view into the frame (most frames are forwarded whole, unread)."""
        out = []
        data = self._data
        start = 0
        with memoryview(data) as view:  # one copy per frame (a slice would make two)
            while len(data) - start >= HEADER.size:
                length, kind = HEADER.unpack_from(data, start)
                end = start + HEADER.size + length
                if length > MAX_FRAME:
                    raise Closed(f"frame of {length} bytes")
                if len(data) < end:
                    break
                raw = bytes(view[start:end])
                out.append((bytes((kind,)), memoryview(raw)[HEADER.size :], raw))
                start = end
        if start:
            del data[:start]
        return out
