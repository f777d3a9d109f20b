"""Starting the jail's fork server. Deliberately light (no numpy, no pytest) so the CLI can start it
first and let it warm up while the grader itself is still importing."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile

GRADER_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_prelaunched: tuple[subprocess.Popen, socket.socket, str] | None = None


def launch() -> tuple[subprocess.Popen, socket.socket, str]:
    """Start ``grader.jail.zygote`` in a fresh interpreter with a scrubbed environment.
    Returns the process, our end of its control socket and its private home folder."""
    home = tempfile.mkdtemp(prefix="grader-home-")
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": home,
        "TMPDIR": home,
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONIOENCODING": "utf-8",
        "MPLBACKEND": "Agg",
        # BLAS threads started before a fork do not survive it, and one core per submission is fair.
        **{v: "1" for v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")},
    }
    bootstrap = f"import sys; sys.path.insert(0, {GRADER_ROOT!r}); from grader.jail.zygote import main; main()"
    process = subprocess.Popen(
        [sys.executable, "-I", "-c", bootstrap, str(theirs.fileno())],
        pass_fds=[theirs.fileno()], env=env, cwd=home, stdin=subprocess.DEVNULL, start_new_session=True,
    )
    theirs.close()
    return process, ours, home


def prelaunch() -> None:
    """Start a fork server now; the first ``Zygote`` of this process takes it over."""
    global _prelaunched
    if _prelaunched is None:
        _prelaunched = launch()


def take_prelaunched() -> tuple[subprocess.Popen, socket.socket, str] | None:
    global _prelaunched
    taken, _prelaunched = _prelaunched, None
    return taken
