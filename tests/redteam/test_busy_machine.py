"""A busy machine costs no one points: a test's time limit is charged to the submission (its CPU time,
or its wall time less the time it waited for a core), so CPU hogs elsewhere on the machine slow grading
without failing anyone; a machine too busy to grade fairly is named as such, an error to grade again
(``--resume``), never a wrong answer; and code that is slow, spins or sleeps still times out.

The load is real: self-stopping CPU hogs, each in a session of its own, several per core. Each test
that says an honest answer survives the load also checks that, by the wall clock, it took longer than
its limit: graded by wall-clock time, as before, it would have been a timeout.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from grader.grading.grade import GradeOptions, grade_folder
from grader.jail import base as process
from grader.jail.base import Backend, JailBusy, JailTimeout
from grader.jail.fork import ForkBackend
from grader.jail.limits import Limits
from tests.load import cpu_hogs

WORK = """
import time

def work(seconds):
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass
    return seconds

def nap(seconds):
    time.sleep(seconds)
    return seconds
"""
LIMIT_S = 1.0


@pytest.fixture(params=["strict", "fork", "spawn"])
def any_backend(request, basic_backend_for) -> Backend:
    return basic_backend_for(request.param)


@pytest.fixture(scope="module")
def basic_backend_for(request):
    made: dict[str, Backend] = {}

    def get(kind: str) -> Backend:
        if kind not in made:
            if kind == "strict":
                request.getfixturevalue("strict_available")
                made[kind] = ForkBackend("strict")
            elif kind == "fork":
                made[kind] = ForkBackend("basic")
            else:
                from grader.jail.spawn import SpawnBackend

                made[kind] = SpawnBackend("basic")
        return made[kind]

    yield get
    for backend in made.values():
        backend.close()


def call(backend: Backend, function: str, seconds: float) -> tuple[object, float]:
    """Load WORK in a fresh jail and call ``function(seconds)`` under LIMIT_S; (reply or exception, wall s)."""
    workdir = backend.new_workdir()
    Path(workdir, "m.py").write_text(WORK)
    jail = backend.spawn(workdir, Limits(test_timeout=LIMIT_S, load_timeout=30))
    assert jail.request(["load", "module", "m", [[0, "m.py", WORK]]], time.monotonic() + 30) == ["loaded", []]
    started = time.monotonic()
    try:
        outcome: object = jail.request(["call", function, [seconds], {}], started + LIMIT_S)
        jail.close()
    except (JailTimeout, JailBusy) as stopped:
        outcome = stopped
    return outcome, time.monotonic() - started


def test_an_honest_answer_slowed_by_load_is_not_a_timeout(any_backend):
    with cpu_hogs(per_core=3):
        outcome, wall = call(any_backend, "work", 0.5)
    assert outcome == ["ok", 0.5]
    assert wall > LIMIT_S, f"the hogs did not slow it down ({wall:.2f} s): this test saw no load"


def test_code_that_spins_under_load_still_times_out(any_backend):
    with cpu_hogs(per_core=1):
        outcome, wall = call(any_backend, "work", 60)
    assert isinstance(outcome, JailTimeout), outcome
    assert wall < LIMIT_S * process.BACKSTOP_FACTOR + process.BACKSTOP_SECONDS


def test_code_that_sleeps_is_charged_for_it_under_load(any_backend):
    with cpu_hogs(per_core=3):
        outcome, wall = call(any_backend, "nap", 60)
    assert isinstance(outcome, JailTimeout), outcome
    assert wall < LIMIT_S + 1.0  # sleeping is not waiting for a core: no backstop needed


def test_a_machine_too_busy_to_grade_fairly_is_named(basic_backend_for, monkeypatch):
    monkeypatch.setattr(process, "BACKSTOP_SECONDS", 0.0)  # a 3 s backstop, to meet it quickly
    with cpu_hogs(per_core=8):
        outcome, wall = call(basic_backend_for("fork"), "work", 0.9)
    assert isinstance(outcome, JailBusy), outcome
    assert "the machine was too busy to finish in time" in outcome.reason and "waited" in outcome.reason
    assert wall < LIMIT_S * process.BACKSTOP_FACTOR + 1.0


# -- a whole class ------------------------------------------------------------------------------------
TEST_FILE = '''
import pytest

@pytest.mark.points(2)
@pytest.mark.timeout(1)
def test_work(submission):
    assert submission.work(0.4) == 0.4

@pytest.mark.points(1)
def test_answer(submission):
    assert submission.ANSWER == 42
'''


@pytest.fixture(scope="module")
def busy_course(tmp_path_factory) -> Path:
    course = tmp_path_factory.mktemp("busy-course")
    (course / "busy" / "tests" / "public").mkdir(parents=True)
    (course / "busy" / "assignment.toml").write_text('title = "busy"\n[limits]\ntest_timeout = 1\nload_timeout = 5\n')
    (course / "busy" / "tests" / "public" / "test_busy.py").write_text(TEST_FILE)
    students = course / "class"
    students.mkdir()
    for n in range(4):
        (students / f"s{n}.py").write_text(WORK + f"\nANSWER = {42 if n % 2 == 0 else 41}\n")
    return course


def scores(graded) -> dict[str, float]:
    return {r.submission: r.score for r in graded.results}


def test_a_class_scores_the_same_idle_and_under_full_load(busy_course, tmp_path, strict_available):
    def grade(out: str):
        return grade_folder("busy", busy_course / "class", tmp_path / out, GradeOptions(workers=2, sandbox="strict"),
                            assignments_dir=busy_course)

    idle = grade("idle")
    with cpu_hogs(per_core=3):
        loaded = grade("loaded")
    assert scores(idle) == scores(loaded) == {"s0": 3.0, "s1": 2.0, "s2": 3.0, "s3": 2.0}
    slowest = max(t.duration_s for r in loaded.results for t in r.tests if t.nodeid.endswith("test_work"))
    assert slowest > 1.0, f"the hogs did not slow grading down ({slowest:.2f} s): this test saw no load"
    for result in loaded.results:
        assert result.limits is not None and result.limits.time_charged_in == "cpu"


def test_resume_grades_again_what_the_machine_was_too_busy_for(busy_course, tmp_path):
    out = tmp_path / "out"
    first = grade_folder("busy", busy_course / "class", out, assignments_dir=busy_course)
    assert not any(r.machine_busy for r in first.results)
    # As a run under a machine too busy would have left s1: one test stopped by the backstop.
    path = out / "s1.json"
    data = json.loads(path.read_text())
    data["tests"][0] |= {"status": "error", "score": 0.0, "machine_busy": True,
                         "message": "test_work: the machine was too busy to finish in time"}
    data["score"] = data["auto_score"] = 0.0
    path.write_text(json.dumps(data))
    kept = out / "s0.json"  # marked, to see that it is kept and not graded again
    kept.write_text(json.dumps(json.loads(kept.read_text()) | {"graded_at": "2000-01-01T00:00:00+00:00"}))
    again = grade_folder("busy", busy_course / "class", out, GradeOptions(resume=True), assignments_dir=busy_course)
    by_id = {r.submission: r for r in again.results}
    assert by_id["s1"].score == 2.0 and not by_id["s1"].machine_busy
    assert by_id["s0"].graded_at.startswith("2000-01-01")
