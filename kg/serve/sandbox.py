"""A second lock for the query workers: the kernel refuses them network sockets.

The guard (``kg.guard``) keeps ``SERVICE`` from reaching Oxigraph; this keeps a worker from connecting anywhere
even if a query got past it. A worker installs a seccomp filter on itself (Linux, x86-64 or arm64) before it
reads its first query: creating an IPv4 or IPv6 socket then fails with EPERM, and so does every x32 system call
and ``io_uring_setup`` (which could make sockets by another road). Unix sockets, which a worker talks to the
server over, stay allowed. Elsewhere the filter is not installed and the guard alone holds.
"""
from __future__ import annotations

import ctypes
import errno
import platform
import struct
import sys

_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_SECCOMP = 22
_SECCOMP_MODE_FILTER = 2
_LD_W_ABS, _JEQ_K, _JGE_K, _RET_K = 0x20, 0x15, 0x35, 0x06
_ALLOW = 0x7FFF0000
_DENY = 0x00050000 | errno.EPERM  # SECCOMP_RET_ERRNO
_AF_INET, _AF_INET6 = 2, 10
_X32_BIT = 0x40000000
_ARCHES = {  # machine: (AUDIT_ARCH_*, socket, io_uring_setup)
    "x86_64": (0xC000003E, 41, 425),
    "aarch64": (0xC00000B7, 198, 425),
}


class _FilterProgram(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def _insn(code: int, jt: int, jf: int, k: int) -> bytes:
    return struct.pack("HBBI", code, jt, jf, k)


def filter_program(machine: str) -> bytes | None:
    """The BPF program of the filter for ``machine`` (``platform.machine()``), or None for another machine.

    >>> len(filter_program("x86_64")) // 8, filter_program("sparc")
    (15, None)
    """
    if machine not in _ARCHES:
        return None
    arch, socket_nr, uring_nr = _ARCHES[machine]
    return b"".join([
        _insn(_LD_W_ABS, 0, 0, 4),                 # the architecture
        _insn(_JEQ_K, 1, 0, arch),
        _insn(_RET_K, 0, 0, _DENY),                 # another ABI (i386 on x86-64): nothing
        _insn(_LD_W_ABS, 0, 0, 0),                 # the system call's number
        _insn(_JGE_K, 0, 1, _X32_BIT),
        _insn(_RET_K, 0, 0, _DENY),                 # x32
        _insn(_JEQ_K, 0, 1, uring_nr),
        _insn(_RET_K, 0, 0, _DENY),
        _insn(_JEQ_K, 1, 0, socket_nr),
        _insn(_RET_K, 0, 0, _ALLOW),
        _insn(_LD_W_ABS, 0, 0, 16),                # socket(): its address family
        _insn(_JEQ_K, 2, 0, _AF_INET),
        _insn(_JEQ_K, 1, 0, _AF_INET6),
        _insn(_RET_K, 0, 0, _ALLOW),
        _insn(_RET_K, 0, 0, _DENY),                 # an internet socket
    ])


def forbid_network() -> str | None:
    """Install the filter on this process (and the threads it starts from now on); None when done, else why not.

    It cannot be undone: call it only in a process that must never reach the network.
    """
    if not sys.platform.startswith("linux"):
        return f"no seccomp on {sys.platform}"
    program = filter_program(platform.machine())
    if program is None:
        return f"no filter for {platform.machine()}"
    libc = ctypes.CDLL(None, use_errno=True)
    buffer = ctypes.create_string_buffer(program, len(program))
    fprog = _FilterProgram(len(program) // 8, ctypes.addressof(buffer))
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return f"prctl(PR_SET_NO_NEW_PRIVS) failed: errno {ctypes.get_errno()}"
    if libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) != 0:
        return f"prctl(PR_SET_SECCOMP) failed: errno {ctypes.get_errno()}"
    return None


__all__ = ["filter_program", "forbid_network"]
