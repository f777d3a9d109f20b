"""A clean fork server: imports numpy once, then forks one limited process per submission.

It is started as a fresh interpreter (never forked from the grader), so nothing the grader holds —
tests, expected values, the reference — is in its memory or in any process forked from it.
Forking a warm process costs a few milliseconds instead of ~140 ms for a new interpreter with numpy.

In strict mode it is PID 1 of the sandbox's PID namespace (see ``sandbox``): each child drops to the
jail's uid and installs the seccomp filter, and when a child is killed, so is every other process in
the namespace (whatever session it made for itself), and /tmp is emptied for the next one.

Control messages over a SOCK_SEQPACKET socket, JSON:
    {"op": "spawn", "limits": {...}, "workdir": str}  + fds [socket, output pipe]  ->  {"pid": int}
    {"op": "kill", "pid": int}                             ->  {"status": int, "cpu": float}
    {"op": "usage", "pid": int}                        ->  {"cpu": float, "wait": float | None}
"""

from __future__ import annotations

import itertools
import json
import os
import platform
import shutil
import signal
import socket
import sys
from typing import NamedTuple

from grader.jail.inside import rlimits, seccomp, usage
from grader.jail.inside.lifetime import GRADER_ROOT, die_with_parent, prctl

STRICT = False  # set by main(): running as PID 1 of a strict sandbox
JAIL_UIDS = -1  # the first uid of our block (strict)
UIDS_PER_SANDBOX = 256  # the block: one uid per submission in turn
RUNTIME_IN_TMP: set[str] = set()  # entries of /tmp the sweep keeps: the runtime bound there

PR_SET_CHILD_SUBREAPER = 36


def _become_submission(control: socket.socket, request: dict, uid: int, sock_fd: int, out_fd: int) -> None:
    """In the forked child: own process group, plain fds, limits, the submission's folder, a uid of its
    own and the syscall filter (strict), then serve."""
    try:
        control.close()
        os.setsid()
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGPIPE, signal.SIGCHLD):
            signal.signal(sig, signal.SIG_DFL)
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.dup2(out_fd, 1)
        os.dup2(out_fd, 2)
        os.dup2(sock_fd, 3)
        os.closerange(4, 65536)
        rlimits.apply(request["limits"], processes=STRICT)
        os.chdir(request["workdir"])
        if STRICT:
            # The kernel's choice when the sandbox's memory group is full: the submission, not us.
            with open("/proc/self/oom_score_adj", "w") as adj:
                adj.write("1000")
            os.setgroups([])
            os.setresgid(uid, uid, uid)
            os.setresuid(uid, uid, uid)  # drops every capability
        die_with_parent()  # after the uid change, which clears it
        if STRICT:
            seccomp.install()
        sys.path[:] = [request["workdir"]] + [p for p in sys.path if p != GRADER_ROOT]
        from grader.jail.inside import child

        child.main(socket.socket(fileno=3))
    finally:
        os._exit(70)


def serve(control: socket.socket) -> None:
    spawned: set[int] = set()
    finished: dict[int, Reaped] = {}
    # Each submission gets the next uid of our block: one sandbox holds one at a time, and the sweep
    # leaves nothing of the last one behind, so a uid is free again long before the block comes round.
    uids = (JAIL_UIDS + n % UIDS_PER_SANDBOX for n in itertools.count())
    while True:
        try:
            data, fds, _, _ = socket.recv_fds(control, 65536, 2)
        except OSError:
            return
        if not data:
            return
        request = json.loads(data)
        if request["op"] == "spawn":
            uid = next(uids)
            pid = os.fork()
            if pid == 0:
                _become_submission(control, request, uid, *fds)
            for fd in fds:
                os.close(fd)
            spawned.add(pid)
            control.send(json.dumps({"pid": pid}).encode())
        elif request["op"] == "kill":
            status, cpu = _kill(request["pid"], spawned, finished)
            control.send(json.dumps({"status": status, "cpu": cpu}).encode())
        elif request["op"] == "usage":
            # Where the grader cannot read a control group. Strict: the sandbox holds one submission, and
            # what it started may have left its session, so everything in the namespace counts.
            cpu, wait = usage.of_namespace() if STRICT else usage.of_processes([request["pid"]])
            control.send(json.dumps({"cpu": cpu, "wait": wait}).encode())


class Reaped(NamedTuple):
    status: int  # the wait status
    cpu: float  # user + system seconds of the process and of the children it waited for


ORPHANS = 0  # the key under which ``finished`` sums what orphans we inherited used


def _kill(pid: int, spawned: set[int], finished: dict[int, Reaped]) -> tuple[int, float]:
    """Kill ``pid``'s process group and wait for it; orphans that we inherited on the way are
    collected, their CPU time counted as the submission's. In strict mode every other process in the
    namespace goes too. Returns its wait status and the CPU seconds it and its processes used."""
    if pid not in spawned:
        return 0, 0.0
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    while pid not in finished and _reap_one(spawned, finished):
        pass
    if STRICT:
        _sweep(spawned, finished)
    spawned.discard(pid)
    status, cpu = finished.pop(pid, Reaped(0, 0.0))
    return status, round(cpu + finished.pop(ORPHANS, Reaped(0, 0.0)).cpu, 6)


def _reap_one(spawned: set[int], finished: dict[int, Reaped]) -> bool:
    """Wait for any child, keeping the status of the ones we spawned and what each used; False when none
    is left."""
    try:
        done, status, used = os.wait4(-1, 0)
    except ChildProcessError:
        return False
    cpu = used.ru_utime + used.ru_stime
    if done in spawned:
        finished[done] = Reaped(status, cpu)
    else:
        finished[ORPHANS] = Reaped(0, finished.get(ORPHANS, Reaped(0, 0.0)).cpu + cpu)
    return True


def _sweep(spawned: set[int], finished: dict[int, Reaped]) -> None:
    """As PID 1: kill everything else in the namespace until nothing is left, then empty /tmp."""
    while True:
        try:
            os.kill(-1, signal.SIGKILL)  # every process but ourselves
        except ProcessLookupError:
            pass
        if not _reap_one(spawned, finished):
            break
    for entry in os.scandir("/tmp"):
        if entry.name in RUNTIME_IN_TMP:
            continue
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)
        else:
            os.unlink(entry.path)


def main() -> None:
    global STRICT, JAIL_UIDS
    STRICT = sys.argv[2] == "strict" and os.getpid() == 1  # the sweep's kill(-1) is only safe as PID 1
    if sys.argv[2] == "strict" and not STRICT:
        sys.exit("the strict fork server must run as PID 1 of its own PID namespace")
    JAIL_UIDS = int(os.environ.pop("GRADER_JAIL_UIDS", "-1"))
    if STRICT:  # what bubblewrap bound under /tmp (read-only, root's) before any submission ran
        RUNTIME_IN_TMP.update(entry.name for entry in os.scandir("/tmp"))
    die_with_parent()
    prctl(PR_SET_CHILD_SUBREAPER, 1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C belongs to the grader, which stops us
    import numpy  # noqa: F401 - warm the import that nearly every submission needs

    # Warm too: the jail's code is copied into the sandbox without its bytecode, so a child that
    # imported these itself would compile them again for every submission.
    from grader.jail.inside import child  # noqa: F401

    if STRICT:
        seccomp.program(platform.machine())

    serve(socket.socket(fileno=int(sys.argv[1])))
