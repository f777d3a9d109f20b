"""Deadlines: the day-counting at its boundaries, the cap and grace, the config's checks, and the penalty
carried through result files, the gradebook and the course export."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
import tomllib
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from grader.grading.grade import GradeOptions, grade_folder
from grader.model import results as model
from grader.model.assignment import load_assignment
from grader.model.deadlines import Deadline
from grader.model.results import Late, SubmissionResult, TimeSource, validate
from grader.sinks.gradebook import Gradebook, load_results_folder, read_times, record_results_folder
from tests.conftest import ROOT, SOLUTION, write_class
from tests.test_gradebook import write_results

DUE = datetime(2026, 10, 1, 23, 59, tzinfo=timezone(timedelta(hours=8)))
POLICY = Deadline(DUE, penalty_per_day=0.1, max_penalty=0.5)
CONFIG = """
[manual.Q3_NONSEP]
points = 2

[deadline]
due = 2026-10-01T23:59:00+08:00
penalty_per_day = 0.1
max_penalty = 0.5
"""


@pytest.mark.parametrize(("late_by", "days", "penalty"), [
    (timedelta(seconds=-1), None, None),
    (timedelta(0), None, None),
    (timedelta(seconds=1), 1, 0.1),
    (timedelta(days=1), 1, 0.1),
    (timedelta(days=1, microseconds=1), 2, 0.2),
    (timedelta(days=3), 3, 0.3),
    (timedelta(days=3, hours=1), 4, 0.4),
    (timedelta(days=5), 5, 0.5),
    (timedelta(days=6), 6, 0.5),
    (timedelta(days=400), 400, 0.5),
])
def test_started_days_late_and_the_cap(late_by, days, penalty):
    late = POLICY.assess(DUE + late_by)
    found = (late.days_late, late.penalty) if late else (None, None)
    assert found == (days, penalty)


def test_the_same_instant_in_another_zone_is_on_time():
    assert POLICY.assess(DUE.astimezone(UTC)) is None
    assert POLICY.assess(datetime(2026, 10, 1, 16, 0, 1, tzinfo=UTC)).days_late == 1


def test_grace_forgives_small_lateness_only_and_days_count_from_the_due_time():
    policy = Deadline(DUE, penalty_per_day=0.25, max_penalty=1.0, grace=timedelta(minutes=15))
    assert policy.assess(DUE + timedelta(minutes=15)) is None
    assert policy.assess(DUE + timedelta(minutes=15, seconds=1)).days_late == 1
    assert policy.assess(DUE + timedelta(days=1, minutes=10)).days_late == 2
    assert policy.assess(DUE + timedelta(days=9)).penalty == 1.0


def test_config_is_parsed_and_checked(tmp_path):
    (tmp_path / "hw9").mkdir()
    (tmp_path / "hw9" / "assignment.toml").write_text(CONFIG + "grace_minutes = 10\n", encoding="utf-8")
    deadline = load_assignment("hw9", tmp_path).deadline
    assert deadline == Deadline(DUE, 0.1, 0.5, timedelta(minutes=10))
    assert load_assignment("hw3").deadline is None
    for bad, words in (('due = 2026-10-01T23:59:00', "UTC offset"), ('due = "tomorrow"', "ISO 8601"),
                       ('due = 2026-10-01T23:59:00Z\npenalty_per_day = 2', "penalty_per_day"),
                       ('due = 2026-10-01T23:59:00Z\nmax_penalty = "half"', "max_penalty"),
                       ('due = 2026-10-01T23:59:00Z\npenalty_per_days = 0.1', "unknown [deadline] keys"),
                       ('penalty_per_day = 0.1', "needs due")):
        with pytest.raises(ValueError, match=words.replace("[", r"\[")):
            Deadline.from_config(tomllib.loads(bad), "hw9/assignment.toml")
    with pytest.raises(ValueError, match="no UTC offset"):
        POLICY.assess(datetime(2026, 10, 2))


def test_a_late_result_loses_the_fraction_of_what_it_earned_and_round_trips():
    tests = [model.TestResult("a", "t::a", 10.0, 14.0, "failed"),
             model.TestResult("Q", "manual::Q", 1.5, 2.0, "graded", kind="manual", answer="answer")]
    result = SubmissionResult("hw3", "ann", tests, late=Late("2026-10-03T00:00:00+08:00", DUE.isoformat(), 2, 0.2))
    assert (result.points_deducted, result.score, result.max_score) == (2.3, 9.2, 16.0)
    data = result.to_dict()
    validate(data)
    assert data["late"]["points_deducted"] == 2.3
    assert SubmissionResult.from_dict(data) == result
    on_time = SubmissionResult("hw3", "bob", tests)
    assert "late" not in on_time.to_dict() and on_time.score == 11.5


def test_penalty_from_file_times_then_the_gradebook_s_time_then_the_lms_times(grade_class, tmp_path):
    results = grade_class({"ann.py": SOLUTION, "bob/hw3.py": SOLUTION})
    out = write_results(tmp_path / "out", results.values())
    assignments = tmp_path / "assignments"
    (assignments / "hw3").mkdir(parents=True)
    (assignments / "hw3" / "assignment.toml").write_text(CONFIG, encoding="utf-8")
    two_days_late = (DUE + timedelta(days=1, hours=3)).timestamp()
    os.utime(tmp_path / "class" / "ann.py", (two_days_late, two_days_late))
    on_time = (DUE - timedelta(hours=1)).timestamp()
    os.utime(tmp_path / "class" / "bob" / "hw3.py", (on_time, on_time))
    db = tmp_path / "grades.db"

    recorded = record_results_folder(db, out, tmp_path / "class", assignments_dir=assignments)
    ann, bob = load_results_folder(out)
    assert (ann.late.days_late, ann.late.penalty, ann.points_deducted, ann.score) == (2, 0.2, 2.8, 11.2)
    assert ann.late.time_source is TimeSource.FILE_MTIME
    assert bob.late is None and bob.score == 14.0
    assert "11.2" in (out / "gradebook.csv").read_text()
    assert recorded.late == 1 and recorded.time_sources == {TimeSource.FILE_MTIME: 2}
    assert recorded.warnings() == [
        ("2 of 2 submission times are the files' modification times, which a copy, an unzip or a git clone "
        "resets: their late penalties may be wrong. Give the LMS's upload times with --times times.csv "
        "(columns student,submitted_at).")]

    # The gradebook's time for the same files wins over a later touch of the files.
    os.utime(tmp_path / "class" / "ann.py", (on_time, on_time))
    record_results_folder(db, out, tmp_path / "class", assignments_dir=assignments)
    assert load_results_folder(out)[0].late.days_late == 2

    # An explicit time (the LMS's) wins over both, and the change is kept in the history.
    recorded = record_results_folder(db, out, tmp_path / "class", times={"ann": DUE, "cat": DUE},
                                     assignments_dir=assignments)
    assert load_results_folder(out)[0].late is None
    assert recorded.time_sources == {TimeSource.TIMES_FILE: 1, TimeSource.FILE_MTIME: 1}
    assert (recorded.not_in_times, recorded.unknown_in_times) == (["bob"], ["cat"])
    assert recorded.warnings()[0].startswith("1 of 2 submission times are the files' modification times")
    assert recorded.warnings()[1:] == ["1 submissions have no row in the times sheet: bob",
                                       "1 rows of the times sheet match no graded submission: cat"]
    with Gradebook(db) as book:
        assert [(g.change, g.penalty) for g in book.history("ann", "hw3")] == [("graded+late", 0.2), ("late", 0.0)]
        assert book.current("ann", "hw3").score == 14.0
        record_results_folder(db, out, times={"ann": DUE + timedelta(days=7)}, assignments_dir=assignments)
        sheet = list(csv.DictReader(io.StringIO(book.export_csv())))
    assert sheet[0]["student"] == "ann" and sheet[0]["hw3"] == "7" and sheet[0]["total"] == "7"
    assert "hw3: 7 days late, -50% (-7)" in sheet[0]["late_penalties"]
    assert (sheet[0]["hw3_days_late"], sheet[0]["hw3_time_source"], sheet[1]["hw3_time_source"]) == (
        "7", "times_file", "file_mtime")
    assert load_results_folder(out)[0].late.time_source is TimeSource.TIMES_FILE
    assert sheet[1]["hw3"] == "14" and sheet[1]["late_penalties"] == ""

    # No sheet, no class folder and a new gradebook: nobody's time is known, nobody is judged late.
    unknown = record_results_folder(tmp_path / "new.db", out, assignments_dir=assignments)
    assert unknown.late == 0 and unknown.time_sources == {None: 2}
    assert unknown.warnings() == [("2 of 2 submissions have no known time and were not assessed for lateness "
                                  "(give --times, or --submissions for the files' modification times).")]


def test_submission_times_sheet_is_checked(tmp_path):
    sheet = tmp_path / "times.csv"
    sheet.write_text("student,submitted_at\nann,2026-10-02T01:00:00+08:00\nbob,2026-10-02 01:00\n", encoding="utf-8")
    with pytest.raises(ValueError, match="row 3: submitted_at '2026-10-02 01:00' is not an ISO 8601 time with a UTC"):
        read_times(sheet)
    sheet.write_text("student,submitted_at\nann,2026-10-02T01:00:00+08:00\n", encoding="utf-8")
    assert POLICY.assess(read_times(sheet)["ann"]).days_late == 1


def hw3_with_deadline(tmp_path) -> Path:
    """An assignments folder holding hw3 with a deadline, beside the reference its tests import."""
    course = tmp_path / "course" / "assignments"
    shutil.copytree(ROOT / "assignments" / "hw3", course / "hw3",
                    ignore=shutil.ignore_patterns("mutants.toml", "alternatives"))
    shutil.copytree(ROOT / "reference", course.parent / "reference", ignore=shutil.ignore_patterns("__pycache__"))
    config = course / "hw3" / "assignment.toml"
    config.write_text(config.read_text(encoding="utf-8") + CONFIG.split("\n\n", 1)[1], encoding="utf-8")
    return course


def test_grade_with_db_takes_the_lms_times_and_says_which_times_it_could_not_trust(tmp_path):
    course = hw3_with_deadline(tmp_path)
    folder = write_class(tmp_path / "class", {"ann.py": SOLUTION, "bob.py": SOLUTION})
    times = tmp_path / "times.csv"
    times.write_text(f"student,submitted_at\nann,{(DUE + timedelta(hours=30)).isoformat()}\n", encoding="utf-8")
    command = [sys.executable, "-m", "grader", "--assignments", str(course), "grade", "hw3", str(folder),
               "--workers", "1", "--sandbox", "basic"]

    def grade(*options: str) -> subprocess.CompletedProcess:
        return subprocess.run(command + list(options), capture_output=True, text=True, timeout=300, check=False,
                              env={**os.environ, "COLUMNS": "300"})

    refused = grade("--out", str(tmp_path / "refused"), "--times", str(times))
    assert refused.returncode == 2 and "use it with --db" in refused.stderr
    times_bad = tmp_path / "bad.csv"
    times_bad.write_text("student,submitted_at\nann,yesterday\n", encoding="utf-8")
    refused = grade("--out", str(tmp_path / "refused"), "--db", str(tmp_path / "g.db"), "--times", str(times_bad))
    assert refused.returncode == 2 and "'yesterday' is not an ISO 8601 time" in refused.stderr
    assert not (tmp_path / "refused").exists() and not (tmp_path / "g.db").exists()  # refused before grading

    run = grade("--out", str(tmp_path / "out"), "--db", str(tmp_path / "g.db"), "--times", str(times))
    assert run.returncode == 0, run.stderr
    ann, bob = load_results_folder(tmp_path / "out")
    assert (ann.late.days_late, ann.late.time_source, ann.score) == (2, TimeSource.TIMES_FILE, 11.2)
    said = " ".join(run.stdout.split())  # as read, whatever the terminal's width wrapped
    assert "warning: 1 of 2 submission times are the files' modification times" in said
    assert "warning: 1 submissions have no row in the times sheet: bob" in said
    # bob's time is his file's, written just now: months late, which is why the warning is there.
    assert bob.late.time_source is TimeSource.FILE_MTIME and bob.late.days_late > 30
    assert "recorded 2 results in" in said and "g.db; 2 late" in said


def test_with_a_gradebook_each_result_is_committed_once_with_its_penalty_and_carried_scores(tmp_path):
    course = hw3_with_deadline(tmp_path)
    folder = write_class(tmp_path / "class", {"ann.py": SOLUTION, "bob.py": SOLUTION})
    db = tmp_path / "g.db"
    options = GradeOptions(db=db, times={"ann": DUE + timedelta(hours=30), "bob": DUE})
    grade_folder("hw3", folder, tmp_path / "out", options, assignments_dir=course)
    with Gradebook(db) as book:  # a person grades ann's answer; then the class is graded again
        ann = load_results_folder(tmp_path / "out")[0]
        ann.apply_manual_scores({"Q3_NONSEP": (1.5, "good")})
        book.record(ann)

    seen: dict[str, tuple] = {}

    class OnDisk:
        """At each write: the result as the sink is given it, and what the results folder holds by then."""

        def write(self, result: SubmissionResult) -> None:
            stored = SubmissionResult.from_dict(json.loads((tmp_path / "again" / f"{result.submission}.json")
                                                           .read_text(encoding="utf-8")))
            seen[result.submission] = (result.late and result.late.days_late, stored.late and stored.late.days_late,
                                       stored.score)

        def finish(self, results, skipped=()) -> None:
            pass

    graded = grade_folder("hw3", folder, tmp_path / "again", options, assignments_dir=course, sinks=[OnDisk()])
    assert seen == {"ann": (2, 2, 12.4), "bob": (None, None, 14.0)}  # (14 + 1.5) less 20 %, in the first write
    assert graded.recorded is not None and graded.recorded.late == 1
