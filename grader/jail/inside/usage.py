"""CPU time a submission's processes used, and time they spent waiting for a core, from /proc.

A test's limit is charged in CPU seconds of the submission's own processes (threads, and children
it has reaped, included), so a busy machine slows a test without failing it. The run-queue wait
(``schedstat``) tells a busy machine (the code wanted a core and waited for one) from code that
sleeps (neither ran nor waited). Light on purpose: the fork server imports it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

PROC = Path("/proc")
TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


class Usage(NamedTuple):
    """Seconds of CPU a jailed process (and what it started) used, and spent waiting for a core (None:
    the kernel does not say)."""

    cpu: float
    wait: float | None


def available(proc: Path = PROC) -> bool:
    return (proc / "self" / "stat").exists()


def _read(path: str) -> bytes | None:
    # os calls, not pathlib: measured at the start of every test, so a few microseconds count.
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        return os.read(fd, 4096)
    except OSError:
        return None
    finally:
        os.close(fd)


def cpu_seconds(pid: int | str, proc: Path = PROC) -> float | None:
    """User and system time of a process, with the children it has waited for; None once it is gone."""
    text = _read(f"{proc}/{pid}/stat")
    if not text:
        return None
    # From "state" on (the name before it may hold spaces and parentheses):
    # state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime
    fields = text[text.rindex(b")") + 2:].split()
    return sum(int(f) for f in fields[11:15]) / TICK


def waited(pid: int | str, proc: Path = PROC) -> float | None:
    """Seconds the process's threads were runnable but not running; None without schedstat."""
    try:
        tasks = os.listdir(f"{proc}/{pid}/task")
    except OSError:
        return None
    total, seen = 0, False
    for task in tasks:
        text = _read(f"{proc}/{pid}/task/{task}/schedstat")
        if text and len(fields := text.split()) > 1:
            total += int(fields[1])
            seen = True
    return total / 1e9 if seen else None


def of_process(pid: int, proc: Path = PROC) -> Usage | None:
    cpu = cpu_seconds(pid, proc)
    return None if cpu is None else Usage(cpu, waited(pid, proc))


def of_processes(pids: list[int], proc: Path = PROC) -> Usage:
    """Several processes together."""
    return Usage(sum(cpu_seconds(pid, proc) or 0.0 for pid in pids), waited_together(pids, proc))


def waited_together(pids: list[int], proc: Path = PROC) -> float | None:
    """What :func:`waited` says of several processes together; None where it says nothing of any."""
    waits = [w for pid in pids if (w := waited(pid, proc)) is not None]
    return sum(waits) if waits else None


def of_namespace() -> Usage:
    """Every process but ourselves: the strict fork server is PID 1 of a namespace holding one submission."""
    me = os.getpid()
    return of_processes([int(e.name) for e in PROC.iterdir() if e.name.isdigit() and int(e.name) != me])
