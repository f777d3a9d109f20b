"""Load for the busy-machine tests and benchmark: CPU hogs that stop themselves.

Each hog is a process of its own session (so Linux's autogroup scheduler gives it a share of its own,
as an unrelated program on the machine would have) that spins until its time is up, and is killed
when the ``with`` block ends, whichever comes first: a crashed test cannot leave the machine loaded.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator

SPIN = "import time\nend = time.monotonic() + {seconds}\nwhile time.monotonic() < end:\n    pass\n"


@contextlib.contextmanager
def cpu_hogs(per_core: int = 2, seconds: float = 600.0) -> Iterator[list[subprocess.Popen]]:
    """``per_core`` spinning processes for every core, for at most ``seconds``."""
    hogs = [subprocess.Popen([sys.executable, "-c", SPIN.format(seconds=seconds)], start_new_session=True,
                             stdin=subprocess.DEVNULL)
            for _ in range(per_core * (os.cpu_count() or 1))]
    try:
        yield hogs
    finally:
        for hog in hogs:
            hog.kill()
        for hog in hogs:
            hog.wait()


PROBE = "import time\nend = time.process_time() + {cpu}\nwhile time.process_time() < end:\n    pass\n"


def slowdown(cpu: float = 0.2) -> float:
    """How many wall seconds a CPU second costs a new process on this machine now (1.0 when idle):
    the factor by which a test scales a wall-clock bound, so that it holds on a busy machine too."""
    started = time.monotonic()
    subprocess.run([sys.executable, "-c", PROBE.format(cpu=cpu)], start_new_session=True, check=True)
    interpreter = time.monotonic() - started
    started = time.monotonic()
    subprocess.run([sys.executable, "-c", "pass"], start_new_session=True, check=True)
    bare = time.monotonic() - started
    return max(1.0, (interpreter - bare) / cpu)
