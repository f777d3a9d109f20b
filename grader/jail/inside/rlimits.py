"""The rlimits of a submission's process, applied by the process itself before it loads the submission.

Only where Python has ``resource`` (Linux, macOS, the BSDs; not Windows, where the wall-clock
deadline is the only limit).
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

AVAILABLE = importlib.util.find_spec("resource") is not None


def measures_memory() -> bool:
    """Whether ``apply`` can limit each process's memory here (it needs /proc to know what is mapped)."""
    return AVAILABLE and Path("/proc/self/statm").exists() and sys.platform != "win32"


def apply(limits: dict, processes: bool) -> None:
    """CPU, file size, open files and core dumps, address space where it can be measured (Linux), and
    the process count when ``processes`` (it counts every process of the uid: the strict jail's only)."""
    if not AVAILABLE:
        return
    import resource

    def cap(which: int, value: int) -> None:
        _, hard = resource.getrlimit(which)
        value = value if hard == resource.RLIM_INFINITY else min(value, hard)
        try:
            resource.setrlimit(which, (value, value if hard == resource.RLIM_INFINITY else hard))
        except (ValueError, OSError):
            if sys.platform == "linux":  # measured to work here: a refusal is a real problem
                raise
            # macOS refuses some limits (e.g. below what is in use): basic mode goes on without it.

    cap(resource.RLIMIT_CPU, int(limits["cpu_seconds"]))
    cap(resource.RLIMIT_FSIZE, int(limits["file_mb"]) * 2**20)
    cap(resource.RLIMIT_NOFILE, 256)
    cap(resource.RLIMIT_CORE, 0)
    if processes:
        cap(resource.RLIMIT_NPROC, int(limits["processes"]))
    # Address space counts what numpy has already mapped, so the budget is on top of that; without
    # /proc that cannot be measured (macOS maps far more than it uses), so no address-space limit there.
    statm = Path("/proc/self/statm")
    if statm.exists() and hasattr(resource, "RLIMIT_AS"):
        mapped = os.sysconf("SC_PAGE_SIZE") * int(statm.read_text().split()[0])
        cap(resource.RLIMIT_AS, mapped + int(limits["memory_mb"]) * 2**20)
