"""What one submission may use: light on purpose (no numpy), so reading an assignment costs nothing."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Limits:
    """What one submission may use. Times are wall-clock seconds unless named cpu."""

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
