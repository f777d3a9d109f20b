"""Which sandbox runs submissions, and the bubblewrap command line of the strict one.

strict: the fork server runs under bubblewrap in new PID, network, IPC, UTS and mount namespaces
        and sees only the Python runtime (its prefixes and site-packages), the jail's own code, the
        staged submissions (read-only) and a private /tmp. It forks each submission's process,
        which drops to a uid of its own (never the grader's), sets no_new_privs and a seccomp filter.
basic:  a separate process with rlimits and a watchdog, nothing hidden (macOS, Windows, laptops).

Strict mode needs Linux, bubblewrap and root (only root can give a process another uid, and the
process limit only holds for a uid other than root).
"""

from __future__ import annotations

import functools
import itertools
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

from grader.i18n import _
from grader.jail.inside import seccomp
from grader.jail.inside.forkserver import UIDS_PER_SANDBOX

SANDBOXES = ("strict", "basic")
JAIL_CODE = "/opt/grader"  # where the jail's package is mounted inside the sandbox
STAGE = "/submissions"  # where the staged submissions are mounted, read-only
TMP_MB = 256  # the private /tmp, in memory
# Each fork server gets a block of uids no one else uses, and each submission the next of them, so
# that the process limit counts only its own processes and no two submissions share a uid.
UID_BASE = 1_500_000_000
_instances = itertools.count()
# The fork server keeps these (uid 0 without them can do nothing special): change to the jail's uid,
# kill every process the submission left, and clear /tmp of files the jail's uid made.
_FORK_SERVER_CAPS = ("CAP_SETUID", "CAP_SETGID", "CAP_KILL", "CAP_DAC_OVERRIDE", "CAP_FOWNER")


class SandboxUnavailable(RuntimeError):
    """Strict mode was asked for but cannot run here; the message says what is missing."""


def strict_problem() -> str | None:
    """Why strict mode cannot run on this machine, or None when it can."""
    if sys.platform != "linux":
        return f"strict mode needs Linux (this is {sys.platform})"
    if not seccomp.supported():
        return "strict mode's syscall filter knows x86_64 and aarch64 only"
    if os.geteuid() != 0:
        return "strict mode needs root, to run each submission under a uid other than the grader's"
    if shutil.which("bwrap") is None:
        return "strict mode needs bubblewrap: apt-get install -y bubblewrap"
    return _namespaces_problem()


@functools.cache
def _namespaces_problem() -> str | None:
    """Whether bubblewrap can make the namespaces here: a container may have bwrap and root but forbid
    them (Docker's default seccomp profile and dropped CAP_SYS_ADMIN do)."""
    try:
        probe = subprocess.run(["bwrap", "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts",
                                "--die-with-parent", "--ro-bind", "/", "/", "true"],
                               capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"strict mode could not start bubblewrap ({exc})"
    if probe.returncode != 0:
        why = probe.stderr.strip().splitlines()[-1:] or [f"bwrap: exit status {probe.returncode}"]
        return f"strict mode's namespaces are not allowed here ({why[0]})"
    return None


def default_for(verb: str) -> str:
    """``grade`` is strict on Linux (and says so loudly when it cannot be); students' checks are basic."""
    return "strict" if verb == "grade" and sys.platform == "linux" else "basic"


def describe(sandbox: str) -> str:
    """One line for the console: which sandbox ran and what it means."""
    if sandbox == "strict":
        return _("sandbox: strict (namespaces, own uid, seccomp: tests, files and network hidden)")
    return _("sandbox: basic (limited process only: files and network NOT hidden from submissions)")


def require(sandbox: str) -> None:
    if sandbox not in SANDBOXES:
        raise ValueError(f"unknown sandbox {sandbox!r} (choose from {', '.join(SANDBOXES)})")
    if sandbox == "strict" and (problem := strict_problem()):
        raise SandboxUnavailable(f"{problem}; or choose --sandbox basic, which does not hide hidden tests "
                                 "or the network from submissions")


def new_uid_block() -> int:
    """The first uid of a new sandbox's block (UIDS_PER_SANDBOX of them, all below 2**32 - 2)."""
    return UID_BASE + (((os.getpid() << 6) | (next(_instances) & 63)) % 2**22) * UIDS_PER_SANDBOX


def runtime_paths() -> list[str]:
    """The folders Python needs: its prefixes and library folders (never a source checkout on sys.path)."""
    names = ("stdlib", "platstdlib", "purelib", "platlib")
    found = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    found.update(sysconfig.get_paths()[n] for n in names)
    found.update(sysconfig.get_paths(vars={"base": sys.base_prefix, "platbase": sys.base_exec_prefix})[n]
                 for n in names)
    kept = sorted(p for p in map(os.path.realpath, found) if os.path.isdir(p))
    # A folder inside another one already bound comes with it.
    return [p for p in kept if not any(p != q and p.startswith(q.rstrip("/") + "/") for q in kept)]


def visible(path: Path) -> bool:
    """Whether ``path`` (or anything in it) would be visible inside the strict sandbox."""
    target = os.path.realpath(path)
    return any(target == p or target.startswith(p.rstrip("/") + "/") or p.startswith(target.rstrip("/") + "/")
               for p in [*runtime_paths(), "/usr"])


def jail_code_files() -> list[tuple[int, str]]:
    """The code that runs inside the jail (``grader/jail/inside/`` and the package files above it),
    opened for bubblewrap to copy in: (fd, its path inside the sandbox). Copied, not bound, so that
    /proc/self/mountinfo does not show where the grader is installed."""
    package = Path(__file__).resolve().parent.parent
    inside = package / "jail" / "inside"
    sources = [package / "__init__.py", package / "jail" / "__init__.py", *sorted(inside.glob("*.py"))]
    return [(os.open(source, os.O_RDONLY | os.O_CLOEXEC), f"{JAIL_CODE}/{source.relative_to(package.parent)}")
            for source in sources]


def bwrap_command(stage: str, uids: int, code: list[tuple[int, str]]) -> list[str]:
    """bwrap's arguments (up to the command) for a fork server that stages submissions in ``stage``,
    gives its submissions the uids from ``uids`` on, and copies in the jail's code from ``code``
    (``jail_code_files``)."""
    args = ["bwrap", "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
            "--die-with-parent", "--new-session", "--as-pid-1", "--cap-drop", "ALL"]
    for cap in _FORK_SERVER_CAPS:
        args += ["--cap-add", cap]
    made: set[str] = set()

    def parents(path: str) -> list[str]:
        # bwrap would copy the host's modes (e.g. /root's 0700) onto folders it creates on the way.
        out = []
        for parent in reversed(Path(path).parents[:-1]):
            if str(parent) not in made:
                made.add(str(parent))
                out += ["--perms", "0755", "--dir", str(parent)]
        return out

    args += ["--ro-bind", "/usr", "/usr"]
    for name in ("/bin", "/sbin", "/lib", "/lib32", "/lib64"):
        if os.path.islink(name):
            args += ["--symlink", os.readlink(name), name]
        elif os.path.isdir(name):
            args += ["--ro-bind", name, name]
    args += [*parents("/etc/x"), "--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache"]
    # The private /tmp first: a runtime that lives under /tmp (a virtual environment in a checkout there)
    # is then bound on top of it instead of being hidden by it.
    args += ["--perms", "1777", "--size", str(TMP_MB * 2**20), "--tmpfs", "/tmp"]
    made.add("/tmp")
    for path in runtime_paths():
        if path != "/usr" and not path.startswith("/usr/"):
            args += [*parents(path), "--ro-bind", path, path]
    args += [*parents(f"{JAIL_CODE}/grader/jail/x")]
    for fd, inside in code:
        args += ["--perms", "0644", "--file", str(fd), inside]
    args += ["--ro-bind", stage, STAGE,
             "--proc", "/proc", "--dev", "/dev",
             "--chdir", "/tmp", "--setenv", "HOME", "/tmp", "--setenv", "TMPDIR", "/tmp",
             "--setenv", "GRADER_JAIL_UIDS", str(uids)]
    return args
