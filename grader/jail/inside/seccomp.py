"""A seccomp filter for jailed processes, built as classic BPF with ctypes (no libseccomp needed).

Denied with EPERM: tracing and reading other processes (ptrace, process_vm_*), anything that
changes mounts or namespaces (mount, unshare, setns, clone with namespace flags, ...), kernel
facilities a homework never needs (bpf, perf, keyrings, modules, io_uring, SysV IPC and message
queues that would outlive the process), and sockets other than AF_UNIX. Everything else is allowed.
"""

from __future__ import annotations

import ctypes
import errno
import functools
import os
import platform
import struct

PR_SET_NO_NEW_PRIVS = 38
PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2

_LD_W_ABS, _JEQ, _JSET, _JGE, _RET = 0x20, 0x15, 0x45, 0x35, 0x06
_ALLOW = 0x7FFF0000
_DENY = 0x00050000 | errno.EPERM
_KILL = 0x80000000  # SECCOMP_RET_KILL_PROCESS
_NR, _ARCH, _ARG0 = 0, 4, 16  # offsets in struct seccomp_data (arg0's low word on little-endian)
AF_UNIX = 1
CLONE_NAMESPACES = 0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000 | 0x20000000 | 0x40000000

# name -> (x86_64, aarch64)
_DENIED = {
    "ptrace": (101, 117), "process_vm_readv": (310, 270), "process_vm_writev": (311, 271),
    "mount": (165, 40), "umount2": (166, 39), "pivot_root": (155, 41), "chroot": (161, 51),
    "unshare": (272, 97), "setns": (308, 268), "open_tree": (428, 428), "move_mount": (429, 429),
    "fsopen": (430, 430), "fsconfig": (431, 431), "fsmount": (432, 432), "fspick": (433, 433),
    "mount_setattr": (442, 442), "bpf": (321, 280), "perf_event_open": (298, 241),
    "userfaultfd": (323, 282), "keyctl": (250, 219), "add_key": (248, 217), "request_key": (249, 218),
    "kexec_load": (246, 104), "kexec_file_load": (320, 294), "init_module": (175, 105),
    "finit_module": (313, 273), "delete_module": (176, 106), "io_uring_setup": (425, 425),
    "shmget": (29, 194), "msgget": (68, 186), "semget": (64, 190), "mq_open": (240, 180),
}
_SOCKET = {"x86_64": 41, "aarch64": 198}
_CLONE = {"x86_64": 56, "aarch64": 220}
_CLONE3 = 435  # its flags live in memory a filter cannot read: ENOSYS makes libc fall back to clone
_AUDIT_ARCH = {"x86_64": 0xC000003E, "aarch64": 0xC00000B7}
_X32_SYSCALL_BIT = 0x40000000


def _insn(code: int, k: int, jt: int = 0, jf: int = 0) -> bytes:
    return struct.pack("=HBBI", code, jt, jf, k)


@functools.cache
def program(arch: str) -> bytes:
    """The filter for ``arch`` (``platform.machine()`` spelling) as raw sock_filter instructions."""
    column = {"x86_64": 0, "aarch64": 1}[arch]
    denied = sorted({numbers[column] for numbers in _DENIED.values()})
    code = [
        _insn(_LD_W_ABS, _ARCH),
        _insn(_JEQ, _AUDIT_ARCH[arch], jt=1),
        _insn(_RET, _KILL),  # another ABI (e.g. 32-bit calls) would have other numbers
        _insn(_LD_W_ABS, _NR),
    ]
    if arch == "x86_64":
        code += [_insn(_JGE, _X32_SYSCALL_BIT, jf=1), _insn(_RET, _KILL)]
    for number in denied:
        code += [_insn(_JEQ, number, jf=1), _insn(_RET, _DENY)]
    code += [
        _insn(_JEQ, _CLONE3, jf=1), _insn(_RET, 0x00050000 | errno.ENOSYS),
        _insn(_JEQ, _SOCKET[arch], jf=4), _insn(_LD_W_ABS, _ARG0),
        _insn(_JEQ, AF_UNIX, jf=1), _insn(_RET, _ALLOW), _insn(_RET, _DENY),
        _insn(_JEQ, _CLONE[arch], jf=3), _insn(_LD_W_ABS, _ARG0),
        _insn(_JSET, CLONE_NAMESPACES, jf=1), _insn(_RET, _DENY),
        _insn(_RET, _ALLOW),
    ]
    return b"".join(code)


def supported() -> bool:
    return platform.system() == "Linux" and platform.machine() in _AUDIT_ARCH


def install() -> None:
    """Set no_new_privs and load the filter into this process (inherited by all its children).
    The fork server calls ``program`` once beforehand, so that each child only loads it."""
    libc = ctypes.CDLL(None, use_errno=True)
    code = program(platform.machine())

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_char_p)]

    prog = SockFprog(len(code) // 8, code)
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 or \
            libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(prog), 0, 0) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"the seccomp filter could not be installed: {os.strerror(err)}")
