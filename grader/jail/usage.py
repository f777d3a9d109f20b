"""CPU time a submission's processes used, and time they spent waiting for a core, from /proc.

A test's limit is charged in CPU seconds of the submission's own processes (threads, and children
it has reaped, included), so a busy machine slows a test without failing it. The run-queue wait
(``schedstat``) tells a busy machine (the code wanted a core and waited for one) from code that
sleeps (neither ran nor waited). Light on purpose: the fork server imports it.
"""

from __future__ import annotations

import os
from pathlib import Path

PROC = Path("/proc")
TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def available(proc: Path = PROC) -> bool:
    return (proc / "self" / "stat").exists()


def cpu_seconds(pid: int | str, proc: Path = PROC) -> float | None:
    """User and system time of a process, with the children it has waited for; None once it is gone."""
    try:
        text = (proc / str(pid) / "stat").read_text()
    except OSError:
        return None
    # From "state" on (the name before it may hold spaces and parentheses):
    # state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime
    fields = text[text.rindex(")") + 2:].split()
    return sum(int(f) for f in fields[11:15]) / TICK


def waited(pid: int | str, proc: Path = PROC) -> float | None:
    """Seconds the process's threads were runnable but not running; None without schedstat."""
    total, seen = 0, False
    try:
        tasks = list((proc / str(pid) / "task").iterdir())
    except OSError:
        return None
    for task in tasks:
        try:
            total += int((task / "schedstat").read_text().split()[1])
            seen = True
        except (OSError, IndexError, ValueError):
            pass
    return total / 1e9 if seen else None


def of_processes(pids: list[int], proc: Path = PROC) -> tuple[float, float | None]:
    """CPU seconds and run-queue wait of several processes together (None: no schedstat)."""
    cpu, wait = 0.0, None
    for pid in pids:
        cpu += cpu_seconds(pid, proc) or 0.0
        if (waited_here := waited(pid, proc)) is not None:
            wait = (wait or 0.0) + waited_here
    return cpu, wait


def of_namespace() -> tuple[float, float | None]:
    """Every process but ourselves: the strict fork server is PID 1 of a namespace holding one submission."""
    me = os.getpid()
    return of_processes([int(e.name) for e in PROC.iterdir() if e.name.isdigit() and int(e.name) != me])
