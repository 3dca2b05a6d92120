"""Confinement of a query worker process (Linux; elsewhere a no-op that says so).

* ``forbid_inet_sockets()`` installs a seccomp filter under which ``socket(AF_INET…)``
  and ``socket(AF_INET6…)`` fail with EPERM. pyoxigraph evaluates ``SERVICE`` by making
  an HTTP request from inside the engine; with the filter in place it cannot, whatever
  the query text says. The worker talks to the web process over an inherited Unix
  socket, so it needs no network of its own.
* Memory is watched from outside (``pool.Worker.resident_bytes``): an address-space
  rlimit breaks RocksDB, which reserves far more virtual memory than it uses.
* ``die_with_parent()`` makes the kernel kill the worker if its web process dies.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import platform
import signal
import struct
import sys

_PR_SET_PDEATHSIG = 1
_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_SECCOMP = 22
_SECCOMP_MODE_FILTER = 2
_SECCOMP_RET_ALLOW = 0x7FFF0000
_SECCOMP_RET_ERRNO = 0x00050000
_EPERM = 1
_AF_INET, _AF_INET6 = 2, 10

# machine → (AUDIT_ARCH value, number of the socket syscall)
_ARCHES = {
    "x86_64": (0xC000003E, 41),
    "aarch64": (0xC00000B7, 198),
}

# classic BPF opcodes
_LD_W_ABS = 0x20
_JEQ_K = 0x15
_RET_K = 0x06


def _libc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)


def _insn(code: int, jt: int, jf: int, k: int) -> bytes:
    return struct.pack("HBBI", code, jt, jf, k)


def forbid_inet_sockets() -> bool:
    """Install the filter; True when it is in force."""
    libc = _libc()
    arch = _ARCHES.get(platform.machine())
    if libc is None or arch is None:
        return False
    audit_arch, nr_socket = arch
    program = b"".join(
        [
            _insn(_LD_W_ABS, 0, 0, 4),  # A = seccomp_data.arch
            _insn(_JEQ_K, 0, 5, audit_arch),  # other ABI → allow (filter not applicable)
            _insn(_LD_W_ABS, 0, 0, 0),  # A = seccomp_data.nr
            _insn(_JEQ_K, 0, 3, nr_socket),  # not socket() → allow
            _insn(_LD_W_ABS, 0, 0, 16),  # A = low word of args[0] (the domain)
            _insn(_JEQ_K, 2, 0, _AF_INET),  # AF_INET → deny
            _insn(_JEQ_K, 1, 0, _AF_INET6),  # AF_INET6 → deny
            _insn(_RET_K, 0, 0, _SECCOMP_RET_ALLOW),
            _insn(_RET_K, 0, 0, _SECCOMP_RET_ERRNO | _EPERM),
        ]
    )
    count = len(program) // 8
    buffer = ctypes.create_string_buffer(program, len(program))

    class _Prog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    prog = _Prog(count, ctypes.cast(buffer, ctypes.c_void_p))
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return False
    if libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(prog), 0, 0) != 0:
        return False
    return True


def die_with_parent() -> None:
    libc = _libc()
    if libc is not None:
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
