"""Due times and late penalties: ``[deadline]`` in an assignment's ``assignment.toml``.

    [deadline]
    due = 2026-10-01T23:59:00+08:00   # with its UTC offset, so every machine reads the same instant
    penalty_per_day = 0.1             # fraction of the earned points, per started day late
    max_penalty = 0.5                 # the cap (default 1: a very late submission can fall to 0)
    grace_minutes = 15                # lateness up to this counts as on time (default 0)

A day late is any started 24 hours after the due time: one second late is one day, 24 hours late is
still one day, 24 hours and one second is two. The grace period forgives small lateness only; past
it, days are counted from the due time itself.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from grader.model.results import Late, TimeSource

DAY = timedelta(days=1)
KEYS = {"due", "penalty_per_day", "max_penalty", "grace_minutes"}


@dataclass(frozen=True)
class Deadline:
    due: datetime
    penalty_per_day: float = 0.0
    max_penalty: float = 1.0
    grace: timedelta = timedelta(0)

    @classmethod
    def from_config(cls, config: dict, where: str) -> Deadline:
        """Parse a ``[deadline]`` table; ``where`` names the file in error messages."""
        unknown = set(config) - KEYS
        if unknown:
            raise ValueError(f"{where}: unknown [deadline] keys {sorted(unknown)} (known: {sorted(KEYS)})")
        if "due" not in config:
            raise ValueError(f"{where}: [deadline] needs due = YYYY-MM-DDTHH:MM:SS+HH:MM")
        due = config["due"]
        if isinstance(due, str):
            try:
                due = datetime.fromisoformat(due)
            except ValueError:
                raise ValueError(f"{where}: [deadline] due {due!r} is not an ISO 8601 time") from None
        if not isinstance(due, datetime) or due.tzinfo is None:
            raise ValueError(f"{where}: [deadline] due must be a time with its UTC offset, "
                             f"e.g. 2026-10-01T23:59:00+08:00 (got {config['due']!r})")
        numbers = {}
        for key, low, high, default in (("penalty_per_day", 0, 1, 0.0), ("max_penalty", 0, 1, 1.0),
                                        ("grace_minutes", 0, math.inf, 0.0)):
            value = config.get(key, default)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
                raise ValueError(f"{where}: [deadline] {key} must be a number from {low} to {high} (got {value!r})")
            numbers[key] = float(value)
        return cls(due, numbers["penalty_per_day"], numbers["max_penalty"],
                   timedelta(minutes=numbers["grace_minutes"]))

    def assess(self, submitted_at: datetime, source: TimeSource = TimeSource.UNKNOWN) -> Late | None:
        """None when on time (or within the grace period); otherwise the days late and the penalty, with
        where the submission time came from."""
        if submitted_at.tzinfo is None:
            raise ValueError(f"submission time {submitted_at.isoformat()} has no UTC offset")
        late_by = submitted_at - self.due
        if late_by <= self.grace:
            return None
        days = -(-late_by // DAY)  # ceiling on exact timedeltas: no float rounding at day boundaries
        penalty = round(min(days * self.penalty_per_day, self.max_penalty), 6)
        return Late(submitted_at.isoformat(), self.due.isoformat(timespec="seconds"), days, penalty, source)


def files_time(files: Iterable[Path]) -> datetime | None:
    """When a submission's files were last changed (their newest modification time), in UTC."""
    times = [path.stat().st_mtime for path in files if path.is_file()]
    return datetime.fromtimestamp(max(times), UTC) if times else None
