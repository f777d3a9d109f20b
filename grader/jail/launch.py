"""Starting the jail's fork server (``grader.jail.inside.forkserver``) in a fresh interpreter, in its
sandbox. Deliberately light (no numpy, no pytest) so the CLI can start it first and let it warm up while
the grader itself is still importing; the first ``ForkBackend`` of the process takes it over."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import NamedTuple

from grader.jail import backends
from grader.jail.cgroup import Cgroup
from grader.jail.inside.lifetime import GRADER_ROOT, left_by_the_dead


class Launched(NamedTuple):
    process: subprocess.Popen[bytes]
    control: socket.socket  # our end of its control socket
    stage: str  # where submissions are staged
    home: str | None  # its home folder (basic mode only)
    cgroup: Cgroup | None  # the strict sandbox's control group, where one could be made


_prelaunched: tuple[str, Launched] | None = None
# sh -c JOIN_AND_EXEC sh FILE... -- COMMAND...: write our pid to each cgroup.procs FILE, then become COMMAND.
JOIN_AND_EXEC = 'for f in "$@"; do [ "$f" = -- ] && break; echo $$ > "$f"; shift; done; shift; exec "$@"'


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
    """Start ``grader.jail.inside.forkserver`` in a fresh interpreter with a scrubbed environment, in ``sandbox``;
    submissions are staged in ``stage`` (default: a new folder)."""
    from grader.jail import sandbox as sandboxes

    strict = sandbox == "strict"
    if strict:
        sandboxes.require("strict")
    home = None if strict else private_folder("home")
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
    bootstrap = f"import sys; sys.path.insert(0, {root!r}); from grader.jail.inside.forkserver import main; main()"
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
    stage = private_folder("stage")
    os.chmod(stage, 0o711)  # the jail may enter its own folder there, never list the others
    return stage


def private_folder(kind: str) -> str:
    """A new folder for the jail's ``kind`` ("stage", "home") in the temporary folder, named for this process.
    Those that graders of ours left when they were killed go first: they hold copies of students' code."""
    prefix = f"grader-{kind}-"
    if os.name == "posix":
        for entry in left_by_the_dead(Path(tempfile.gettempdir()), prefix):
            with contextlib.suppress(OSError):
                if entry.lstat().st_uid == os.getuid():
                    shutil.rmtree(entry, ignore_errors=True)
    return tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-")


def prelaunch(sandbox: str) -> None:
    """Start a fork server now (where one is used); the first ``ForkBackend`` of this process in the same
    sandbox takes it over. Problems are left for that ``ForkBackend`` to report."""
    global _prelaunched
    if _prelaunched is None:
        # A failure is reported when the real start fails the same way.
        with contextlib.suppress(Exception):
            if sandbox == "strict" or backends.chosen() == "fork":
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
