"""How a request's time limit is charged (``grader.jail.base.Watch``), on a scripted clock and a
scripted jail: CPU time and sleep count, waiting for a core does not, and the wall-clock backstop
tells a machine too busy to grade fairly from a submission that is slow or stuck."""

from __future__ import annotations

import pytest

from grader.jail import base as process
from grader.jail.base import BACKSTOP_FACTOR, BACKSTOP_SECONDS, JailBusy, JailTimeout, Watch
from grader.jail.inside.usage import Usage

BUDGET = 2.0
BACKSTOP = BUDGET * BACKSTOP_FACTOR + BACKSTOP_SECONDS


class ScriptedJail:
    """A jail whose usage follows ``rate``: per wall second, CPU seconds and seconds waiting for a core."""

    def __init__(self, clock: list[float], cpu_rate: float, wait_rate: float | None, measured: bool = True) -> None:
        self.clock, self.cpu_rate, self.wait_rate, self.measured = clock, cpu_rate, wait_rate, measured
        self.killed = False

    def used(self) -> Usage | None:
        if not self.measured:
            return None
        now = self.clock[0]
        return Usage(100 + now * self.cpu_rate, None if self.wait_rate is None else 50 + now * self.wait_rate)

    def kill(self) -> int:
        self.killed = True
        return -9


@pytest.fixture
def clock(monkeypatch) -> list[float]:
    now = [0.0]
    monkeypatch.setattr(process.time, "monotonic", lambda: now[0])
    return now


def run_until_stopped(watch: Watch, clock: list[float], limit: float = 1000.0) -> tuple[Exception, float]:
    """Advance the clock as the jail's wait loop would, until the watch stops the request."""
    while clock[0] < limit:
        try:
            clock[0] += max(watch.remaining(), 0.001)
        except (JailTimeout, JailBusy) as stopped:
            return stopped, clock[0]
    raise AssertionError("the watch never stopped the request")


def test_cpu_bound_code_on_an_idle_machine_stops_at_its_budget(clock):
    jail = ScriptedJail(clock, cpu_rate=1.0, wait_rate=0.0)
    stopped, at = run_until_stopped(Watch(jail, BUDGET), clock)
    assert isinstance(stopped, JailTimeout) and jail.killed
    assert BUDGET <= at < BUDGET + 0.3


def test_waiting_for_a_core_is_not_charged(clock):
    # A third of a core: the honest answer needs 1.5 s of CPU and arrives after 4.5 s of wall time.
    jail = ScriptedJail(clock, cpu_rate=1 / 3, wait_rate=2 / 3)
    watch = Watch(jail, BUDGET)
    clock[0] = 4.5
    assert watch.remaining() > 0 and not jail.killed
    # Charged by wall time, as before, it would have been stopped at 2 s.
    stopped, at = run_until_stopped(watch, clock)
    assert isinstance(stopped, JailTimeout) and BUDGET * 3 <= at < BUDGET * 3 + 0.3


def test_sleeping_is_charged(clock):
    jail = ScriptedJail(clock, cpu_rate=0.0, wait_rate=0.0)
    stopped, at = run_until_stopped(Watch(jail, BUDGET), clock)
    assert isinstance(stopped, JailTimeout) and BUDGET <= at < BUDGET + 0.3


def test_a_machine_too_busy_to_grade_fairly_is_named_at_the_backstop(clock):
    jail = ScriptedJail(clock, cpu_rate=0.05, wait_rate=0.95)
    stopped, at = run_until_stopped(Watch(jail, BUDGET), clock)
    assert isinstance(stopped, JailBusy) and jail.killed
    assert BACKSTOP <= at < BACKSTOP + 0.3
    assert "the machine was too busy to finish in time" in stopped.reason
    assert "waited 10 s for a core" in stopped.reason


def test_without_schedstat_running_slowly_is_busy_and_not_running_is_a_timeout(clock):
    busy, at = run_until_stopped(Watch(ScriptedJail(clock, cpu_rate=0.1, wait_rate=None), BUDGET), clock)
    assert isinstance(busy, JailBusy) and BACKSTOP <= at < BACKSTOP + 0.3
    clock[0] = 0.0
    stuck, at = run_until_stopped(Watch(ScriptedJail(clock, cpu_rate=0.0, wait_rate=None), BUDGET), clock)
    assert isinstance(stuck, JailTimeout) and BACKSTOP <= at < BACKSTOP + 0.3


def test_where_nothing_can_be_measured_the_budget_is_wall_clock(clock):
    jail = ScriptedJail(clock, cpu_rate=0.1, wait_rate=0.9, measured=False)
    stopped, at = run_until_stopped(Watch(jail, BUDGET), clock)
    assert isinstance(stopped, JailTimeout) and BUDGET <= at < BUDGET + 0.01


def test_the_graders_decoding_counts_against_the_limit(clock):
    jail = ScriptedJail(clock, cpu_rate=1.0, wait_rate=0.0)
    watch = Watch(jail, BUDGET)
    clock[0] = 0.5
    watch.charge(0.4)  # decoding 0.4 s of reply: 0.9 s spent
    assert watch.remaining() == pytest.approx(min(process.POLL_SECONDS, BUDGET - 0.9))
    clock[0] = 1.0
    with pytest.raises(JailTimeout):
        watch.charge(1.2)  # a reply that takes longer to decode than what is left
    assert jail.killed
