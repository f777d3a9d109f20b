"""What one submission may use: light on purpose (no numpy), so reading an assignment costs nothing."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum


@dataclass(frozen=True)
class Limits:
    """What one submission may use. The timeouts are seconds of the submission's CPU time (with a
    wall-clock backstop, see ``grader.jail.base.Watch``) where that can be measured, else wall-clock
    seconds; ``cpu_seconds`` is each process's lifetime limit."""

    test_timeout: float = 10.0
    load_timeout: float = 10.0
    cpu_seconds: int = 120
    memory_mb: int = 1024
    file_mb: int = 16
    processes: int = 32  # strict mode only (processes and threads of the jail's uid)
    output_kb: int = 64
    reply_mb: int = 64

    def merged(self, overrides: dict) -> Limits:
        unknown = set(overrides) - set(asdict(self))
        if unknown:
            raise ValueError(f"unknown limits: {', '.join(sorted(unknown))}")
        return Limits(**{**asdict(self), **overrides})


class Scope(StrEnum):
    """Whom a memory or process limit counts together."""

    SUBMISSION = "submission"  # all of the submission's processes (a control group)
    PROCESS = "process"  # each process on its own (rlimits)
    UID = "uid"  # every process of the submission's uid (RLIMIT_NPROC)
    NONE = "none"  # not limited here (e.g. memory on macOS)


class TimeCharge(StrEnum):
    """What a test's time limit is counted in."""

    CPU = "cpu"  # the submission's own CPU time, with a wall-clock backstop
    WALL = "wall"  # wall-clock time, where CPU time cannot be measured


@dataclass(frozen=True)
class HeldLimits:
    """Which limits held for a submission and how: every result says it."""

    test_timeout_s: float
    time_charged_in: TimeCharge
    memory_mb: int
    memory_per: Scope
    processes: int
    processes_per: Scope

    @classmethod
    def of(cls, limits: Limits, cpu_time: bool, memory: Scope, processes: Scope) -> HeldLimits:
        return cls(limits.test_timeout, TimeCharge.CPU if cpu_time else TimeCharge.WALL,
                   limits.memory_mb, memory, limits.processes, processes)
