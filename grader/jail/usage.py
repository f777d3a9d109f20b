"""CPU time used by a submission's processes, and time they spent waiting for a core, from /proc.

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


def available() -> bool:
    return (PROC / "self" / "schedstat").exists()


def _stat(pid: str) -> list[str] | None:
    try:
        text = (PROC / pid / "stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2:].split()  # fields from "state" on: the name may hold spaces


def _waited(pid: str) -> float:
    """Seconds the process's threads were runnable but not running."""
    total = 0
    try:
        for task in (PROC / pid / "task").iterdir():
            try:
                total += int((task / "schedstat").read_text().split()[1])
            except (OSError, IndexError, ValueError):
                pass
    except OSError:
        pass
    return total / 1e9


def measure(session: int | None) -> tuple[float, float]:
    """(CPU seconds, run-queue wait seconds) of every process in ``session`` (None: every process but
    ourselves, for the strict fork server, which is PID 1 of a namespace holding one submission)."""
    me = str(os.getpid())
    cpu = waited = 0.0
    for entry in PROC.iterdir():
        if not entry.name.isdigit() or entry.name == me:
            continue
        fields = _stat(entry.name)
        # After "state": ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime
        if fields is None or (session is not None and fields[3] != str(session)):
            continue
        cpu += sum(int(f) for f in fields[11:15]) / TICK
        waited += _waited(entry.name)
    return cpu, waited
