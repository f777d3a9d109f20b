"""Starting the jail's fork server. Deliberately light (no numpy, no pytest) so the CLI can start it
first and let it warm up while the grader itself is still importing.

Where a fork server cannot run (Windows, macOS), basic mode starts one fresh interpreter per
submission instead (``grader.jail.spawn``); ``backend()`` decides, GRADER_JAIL_BACKEND overrides it.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from typing import NamedTuple

from grader.jail.cgroup import Cgroup

GRADER_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class Launched(NamedTuple):
    process: subprocess.Popen
    control: socket.socket  # our end of its control socket
    stage: str  # where submissions are staged
    home: str | None  # its home folder (basic mode only)
    cgroup: Cgroup | None  # the strict sandbox's control group, where one could be made


_prelaunched: tuple[str, Launched] | None = None
# sh -c JOIN_AND_EXEC sh FILE... -- COMMAND...: write our pid to each cgroup.procs FILE, then become COMMAND.
JOIN_AND_EXEC = 'for f in "$@"; do [ "$f" = -- ] && break; echo $$ > "$f"; shift; done; shift; exec "$@"'
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


def backend() -> str:
    """How basic mode runs submissions: "fork" (a warm fork server) where it works, else "spawn" (a
    fresh interpreter each); GRADER_JAIL_BACKEND=spawn forces the portable one (tests on Linux).
    Strict mode is always the fork server."""
    chosen = os.environ.get("GRADER_JAIL_BACKEND", "")
    if chosen and chosen not in BACKENDS:
        raise ValueError(f"GRADER_JAIL_BACKEND={chosen!r}: choose from {', '.join(BACKENDS)}")
    if chosen == "fork" and not fork_server_works():
        raise ValueError(f"GRADER_JAIL_BACKEND=fork: the fork server cannot run on {sys.platform}")
    return chosen or ("fork" if fork_server_works() else "spawn")


def jail_env(home: str) -> dict[str, str]:
    """The whole environment of a submission's interpreter: nothing of the grader's passes."""
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
    if sys.platform == "win32":
        # Python cannot start without SYSTEMROOT; numpy's DLLs may be found through PATH (conda);
        # TEMP, TMP and USERPROFILE are Windows' TMPDIR and HOME.
        env.update({k: os.environ[k] for k in ("SYSTEMROOT", "COMSPEC", "PATH") if k in os.environ})
        env.update(TEMP=home, TMP=home, USERPROFILE=home)
    return env


def launch(sandbox: str = "basic", stage: str | None = None) -> Launched:
    """Start ``grader.jail.zygote`` in a fresh interpreter with a scrubbed environment, in ``sandbox``;
    submissions are staged in ``stage`` (default: a new folder)."""
    from grader.jail import sandbox as sandboxes

    strict = sandbox == "strict"
    if strict:
        sandboxes.require("strict")
    home = None if strict else tempfile.mkdtemp(prefix="grader-home-")
    stage = stage or new_stage()
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    env = jail_env(home or "/tmp")
    root, prefix, code, cgroup = GRADER_ROOT, [], [], None
    if strict:
        code = sandboxes.jail_code_files()
        bwrap = sandboxes.bwrap_command(stage, sandboxes.new_uid_block(), code)
        root, prefix = sandboxes.JAIL_CODE, [*bwrap, "--"]
        if (cgroup := Cgroup.create()) is not None:
            # Everything the sandbox will hold starts in the group: we join it, then become bubblewrap.
            prefix = ["/bin/sh", "-c", JOIN_AND_EXEC, "sh", *cgroup.join_files(), "--", *prefix]
    bootstrap = f"import sys; sys.path.insert(0, {root!r}); from grader.jail.zygote import main; main()"
    try:
        process = subprocess.Popen(
            [*prefix, sys.executable, "-I", "-c", bootstrap, str(theirs.fileno()), sandbox],
            pass_fds=[theirs.fileno(), *(fd for fd, _ in code)], env=env, cwd=home,
            stdin=subprocess.DEVNULL, start_new_session=True,
        )
    finally:
        theirs.close()
        for fd, _ in code:
            os.close(fd)
    return Launched(process, ours, stage, home, cgroup)


def new_stage() -> str:
    """A new folder to stage submissions in."""
    stage = tempfile.mkdtemp(prefix="grader-stage-")
    os.chmod(stage, 0o711)  # the jail may enter its own folder there, never list the others
    return stage


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


def die_with_parent() -> None:
    """Be killed when the process that started us dies, so nothing outlives a killed grader."""
    prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def prelaunch(sandbox: str) -> None:
    """Start a fork server now (where one is used); the first ``ForkZygote`` of this process in the same
    sandbox takes it over. Problems are left for that ``ForkZygote`` to report."""
    global _prelaunched
    if _prelaunched is None:
        # A failure is reported when the real start fails the same way.
        with contextlib.suppress(Exception):
            if sandbox == "strict" or backend() == "fork":
                _prelaunched = (sandbox, launch(sandbox))


def take_prelaunched(sandbox: str) -> Launched | None:
    global _prelaunched
    taken, _prelaunched = _prelaunched, None
    if taken is not None and taken[0] != sandbox:
        launched = taken[1]
        launched.control.close()  # it leaves when its control socket closes
        launched.process.wait()
        if launched.cgroup is not None:
            launched.cgroup.remove()
        for folder in (launched.stage, launched.home):
            if folder:
                shutil.rmtree(folder, ignore_errors=True)
        return None
    return taken[1] if taken else None
