"""The registry of jail backends: which one runs a sandbox's submissions on this machine.

- ``fork`` (``grader.jail.fork``): a warm fork server forks each submission (Linux; both sandboxes).
- ``spawn`` (``grader.jail.spawn``): a fresh interpreter per submission, where a fork server cannot run
  (Windows, macOS); basic mode only.

Light (no numpy) like ``launch``: the CLI asks it before the grader has finished importing.
"""

from __future__ import annotations

import os
import socket
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from grader.jail.base import Backend

BACKENDS = ("fork", "spawn")


def fork_server_works() -> bool:
    """The fork server needs fork and AF_UNIX SOCK_SEQPACKET sockets that pass fds (Linux, the BSDs).
    Windows has neither; macOS has no SOCK_SEQPACKET, and forking a process that has loaded Apple's
    frameworks (numpy's Accelerate) without exec is unsafe there."""
    if sys.platform == "darwin" or not hasattr(os, "fork") or not hasattr(socket, "send_fds"):
        return False
    try:
        pair = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    except (AttributeError, OSError):
        return False
    for end in pair:
        end.close()
    return True


def chosen() -> str:
    """How basic mode runs submissions: "fork" (a warm fork server) where it works, else "spawn" (a
    fresh interpreter each); GRADER_JAIL_BACKEND=spawn forces the portable one (tests on Linux).
    Strict mode is always the fork server."""
    chosen = os.environ.get("GRADER_JAIL_BACKEND", "")
    if chosen and chosen not in BACKENDS:
        raise ValueError(f"GRADER_JAIL_BACKEND={chosen!r}: choose from {', '.join(BACKENDS)}")
    if chosen == "fork" and not fork_server_works():
        raise ValueError(f"GRADER_JAIL_BACKEND=fork: the fork server cannot run on {sys.platform}")
    return chosen or ("fork" if fork_server_works() else "spawn")


def open_backend(sandbox: str = "basic") -> Backend:
    """The fork server where it runs (strict mode always), else a fresh interpreter per submission."""
    if sandbox == "strict" or chosen() == "fork":
        from grader.jail.fork import ForkBackend

        return ForkBackend(sandbox)
    from grader.jail.spawn import SpawnBackend

    return SpawnBackend(sandbox)
