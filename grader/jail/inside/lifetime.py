"""How long a jail's processes live: tied to the process that started them (Linux's prctl)."""

from __future__ import annotations

import contextlib
import ctypes
import functools
import os
import signal
from collections.abc import Iterator
from pathlib import Path

# The folder that holds the ``grader`` package (in strict mode, the sandbox's copy of the jail's code).
GRADER_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
PR_SET_PDEATHSIG = 1


def prctl(option: int, value: int) -> None:
    """Linux's prctl; elsewhere nothing (the watchdog and process groups still apply)."""
    try:
        _libc().prctl(option, value, 0, 0, 0)
    except (OSError, AttributeError):
        pass


@functools.cache
def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def alive(pid: int) -> bool:
    """Whether process ``pid`` exists (POSIX; on Windows ``os.kill`` would end it, so never call it there)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's
        return True
    return True


def left_by_the_dead(folder: Path, prefix: str) -> Iterator[Path]:
    """The entries of ``folder`` named ``<prefix><pid>-…`` whose process is gone (POSIX only: on Windows
    ``alive`` would end the process)."""
    with contextlib.suppress(OSError):
        for entry in folder.glob(f"{prefix}*-*"):
            pid = entry.name.removeprefix(prefix).split("-")[0]
            if pid.isdigit() and not alive(int(pid)):
                yield entry


def die_with_parent() -> None:
    """Be killed when the process that started us dies, so nothing outlives a killed grader."""
    prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
