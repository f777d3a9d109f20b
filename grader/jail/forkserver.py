"""Starting the jail's fork server. Deliberately light (no numpy, no pytest) so the CLI can start it
first and let it warm up while the grader itself is still importing."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile

GRADER_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# The process, our end of its control socket, the staging folder, its home folder (basic mode only).
Launched = tuple[subprocess.Popen, socket.socket, str, "str | None"]
_prelaunched: tuple[str, Launched] | None = None


def launch(sandbox: str = "basic", stage: str | None = None) -> Launched:
    """Start ``grader.jail.zygote`` in a fresh interpreter with a scrubbed environment, in ``sandbox``;
    submissions are staged in ``stage`` (default: a new folder)."""
    from grader.jail import sandbox as sandboxes

    strict = sandbox == "strict"
    if strict:
        sandboxes.require("strict")
    home = None if strict else tempfile.mkdtemp(prefix="grader-home-")
    if stage is None:
        stage = tempfile.mkdtemp(prefix="grader-stage-")
        os.chmod(stage, 0o711)  # the jail may enter its own folder there, never list the others
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": home or "/tmp",
        "TMPDIR": home or "/tmp",
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONIOENCODING": "utf-8",
        "MPLBACKEND": "Agg",
        # BLAS threads started before a fork do not survive it, and one core per submission is fair.
        **{v: "1" for v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")},
    }
    root, prefix = GRADER_ROOT, []
    if strict:
        root, prefix = sandboxes.JAIL_CODE, [*sandboxes.bwrap_command(stage, sandboxes.new_uid()), "--"]
    bootstrap = f"import sys; sys.path.insert(0, {root!r}); from grader.jail.zygote import main; main()"
    process = subprocess.Popen(
        [*prefix, sys.executable, "-I", "-c", bootstrap, str(theirs.fileno()), sandbox],
        pass_fds=[theirs.fileno()], env=env, cwd=home, stdin=subprocess.DEVNULL, start_new_session=True,
    )
    theirs.close()
    return process, ours, stage, home


def prelaunch(sandbox: str) -> None:
    """Start a fork server now; the first ``Zygote`` of this process in the same sandbox takes it over.
    Problems are left for that ``Zygote`` to report."""
    global _prelaunched
    if _prelaunched is None:
        # A failure is reported when the real start fails the same way.
        with contextlib.suppress(Exception):
            _prelaunched = (sandbox, launch(sandbox))


def take_prelaunched(sandbox: str) -> Launched | None:
    global _prelaunched
    taken, _prelaunched = _prelaunched, None
    if taken is not None and taken[0] != sandbox:
        process, control, stage, home = taken[1]
        control.close()  # it leaves when its control socket closes
        process.wait()
        for folder in (stage, home):
            if folder:
                shutil.rmtree(folder, ignore_errors=True)
        return None
    return taken[1] if taken else None
