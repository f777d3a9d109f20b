"""The SQLite gradebook: history kept, the latest grade current, manual scores tied to their answers,
records all or nothing, totals and the LMS export; and the verbs as a user runs them."""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from grader.model import results as model
from grader.model.results import SubmissionResult, TimeSource
from grader.sinks.gradebook import MIGRATIONS, Gradebook, GradeStatus, SubmissionTime, load_results_folder
from grader.sinks.results_folder import ResultsFolder
from tests.conftest import SOLUTION, mutant_source

MUTANT = mutant_source("hw3", "m01_b_wrong_sign")


def write_results(folder: Path, results: Iterable[SubmissionResult]) -> Path:
    """A results folder as ``grader grade --out`` leaves it."""
    results = list(results)
    sink = ResultsFolder(folder)
    for result in results:
        sink.write(result)
    sink.finish(results)
    return folder


def fake(student: str, auto: float, answer: str = "an answer", files: str = "v1",
         graded_at: str = "2026-10-02T00:00:00+00:00", assignment: str = "hw3") -> SubmissionResult:
    """A hw3-shaped result without grading anything: one auto test, one pending manual answer."""
    tests = [model.TestResult("table", "t::table", auto, 14.0, "passed" if auto == 14 else "failed"),
             model.TestResult("Q3_NONSEP", "manual::Q3_NONSEP", 0.0, 2.0, "pending", kind="manual", answer=answer)]
    return SubmissionResult(assignment, student, tests, files={"hw3.py": hashlib.sha256(files.encode()).hexdigest()},
                            graded_at=graded_at)


def graded(result: SubmissionResult, points: float, comment: str = "") -> SubmissionResult:
    result = dataclasses.replace(result, tests=[dataclasses.replace(t) for t in result.tests])
    result.apply_manual_scores({"Q3_NONSEP": (points, comment)})
    return result


def test_every_regrade_is_history_and_the_latest_is_current(tmp_path):
    with Gradebook(tmp_path / "g.db") as book:
        book.record(fake("ann", 8))
        book.record(fake("ann", 10, graded_at="2026-10-03T00:00:00+00:00"))  # same files, grader fixed
        book.record(fake("ann", 14, files="v2", graded_at="2026-10-04T00:00:00+00:00"))  # resubmitted
        book.record(fake("bob", 3))
        assert [g.auto_score for g in book.history("ann", "hw3")] == [8, 10, 14]
        assert [g.change for g in book.history("ann", "hw3")] == ["graded"] * 3
        current = book.current("ann", "hw3")
        assert (current.score, current.max_score, current.manual_pending) == (14, 16, 1)
        assert book.current("bob", "hw3").score == 3 and book.current("cat", "hw3") is None
        assert book.db.execute("SELECT count(*) FROM submissions WHERE student = 'ann'").fetchone()[0] == 2


def test_recording_the_same_result_again_adds_nothing(tmp_path):
    result = graded(fake("ann", 14), 2, "full marks")
    with Gradebook(tmp_path / "g.db") as book:
        for _ in range(3):
            book.record(result)
        assert [g.change for g in book.history("ann", "hw3")] == ["graded+manual"]
        counts = [book.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("events", "gradings", "manual_scores", "late_penalties")]
        assert counts == [1, 1, 1, 0]


def test_a_manual_score_belongs_to_its_answer_not_to_the_files(tmp_path):
    with Gradebook(tmp_path / "g.db") as book:
        book.record(graded(fake("ann", 10), 1.5, "pocket algorithm, no reason given"))
        assert book.current("ann", "hw3").score == 11.5
        # Code fixed, same answer: the score carries over and a re-graded pending result gets it back.
        same_answer = fake("ann", 14, files="v2", graded_at="2026-10-03T00:00:00+00:00")
        book.record(same_answer)
        assert book.current("ann", "hw3").score == 15.5
        assert book.manual_scores(same_answer) == {"Q3_NONSEP": (1.5, "pocket algorithm, no reason given")}
        # A changed answer is pending again; the old score stays in the history.
        new_answer = fake("ann", 14, answer="a better answer", files="v3", graded_at="2026-10-04T00:00:00+00:00")
        book.record(new_answer)
        current = book.current("ann", "hw3")
        assert (current.score, current.manual_pending) == (14, 1) and book.manual_scores(new_answer) == {}
        assert [(g.change, g.score) for g in book.history("ann", "hw3")] == [
            ("graded+manual", 11.5), ("graded", 15.5), ("graded", 14)]
        # Re-scoring keeps both scores in the table; the latest counts.
        book.record(graded(new_answer, 2))
        book.record(graded(new_answer, 0.5, "second look"))
        assert book.current("ann", "hw3").manual_score == 0.5
        assert book.db.execute("SELECT count(*) FROM manual_scores").fetchone()[0] == 3


def test_a_failed_record_leaves_nothing_behind(tmp_path):
    broken = fake("ann", 14)
    broken.tests.append(broken.tests[0])  # the same nodeid twice breaks the test_results key
    with Gradebook(tmp_path / "g.db") as book:
        with pytest.raises(sqlite3.IntegrityError):
            book.record(broken)
        assert [book.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("students", "submissions", "events", "gradings", "test_results")] == [0, 0, 0, 0, 0]
        book.record(fake("ann", 14))
        assert book.current("ann", "hw3").score == 14


def test_export_has_a_row_per_student_a_column_per_assignment_and_totals(tmp_path):
    when = SubmissionTime(datetime(2026, 10, 1, 12, 0, tzinfo=UTC), TimeSource.TIMES_FILE)
    with Gradebook(tmp_path / "g.db") as book:
        book.record(graded(fake("ann", 12), 2), submitted_at=when)
        book.record(fake("ann", 7, assignment="hw5"))  # its 2 manual points are still pending
        book.record(fake("bob", 14))  # never handed in hw5
        rows = list(csv.DictReader(io.StringIO(book.export_csv())))
    assert list(rows[0]) == ["student", *(f"{a}{suffix}" for a in ("hw3", "hw5") for suffix in (
        "", "_status", "_pending_points", "_days_late", "_submitted_at", "_time_source")),
        "total", "max_total", "total_status", "late_penalties"]
    ann, bob = rows
    assert (ann["hw3"], ann["hw3_status"], ann["hw3_pending_points"]) == ("14", "final", "0")
    assert (ann["hw3_submitted_at"], ann["hw3_time_source"]) == ("2026-10-01T12:00:00+00:00", "times_file")
    assert (ann["hw5"], ann["hw5_status"], ann["hw5_pending_points"], ann["hw5_time_source"]) == (
        "7", "provisional", "2", "")
    assert (ann["total"], ann["max_total"], ann["total_status"], ann["late_penalties"]) == (
        "21", "32", "provisional", "")
    assert (bob["hw3"], bob["hw3_status"], bob["hw5"], bob["hw5_status"], bob["total"]) == (
        "14", "provisional", "", "", "14")


def test_a_time_keeps_its_source_and_older_gradebooks_say_unknown(tmp_path):
    when = SubmissionTime(datetime(2026, 10, 1, 12, 0, tzinfo=UTC), TimeSource.FILE_MTIME)
    with Gradebook(tmp_path / "g.db") as book:
        book.record(fake("ann", 14), submitted_at=when)
        book.record(graded(fake("ann", 14), 2))  # e.g. `manual import`: no time given, the stored one stays
        assert book.submitted_at(fake("ann", 14)) == when
        current = book.current("ann", "hw3")
        assert (current.time_source, current.status, current.score) == (TimeSource.FILE_MTIME, GradeStatus.FINAL, 16)
        # The gradebook as the grader before this column wrote it: a time with no source.
        book.db.execute("ALTER TABLE submissions DROP COLUMN submitted_at_source")
        book.db.execute("PRAGMA user_version = 1")
    with Gradebook(tmp_path / "g.db") as book:
        assert book.db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        assert book.submitted_at(fake("ann", 14)) == SubmissionTime(when.at, TimeSource.UNKNOWN)
        assert book.current("ann", "hw3").time_source is TimeSource.UNKNOWN


def test_schema_version_is_kept_and_a_newer_database_is_refused(tmp_path):
    Gradebook(tmp_path / "g.db").close()
    Gradebook(tmp_path / "g.db").close()  # opening again migrates nothing
    db = sqlite3.connect(tmp_path / "g.db")
    assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    db.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    db.close()
    with pytest.raises(ValueError, match="newer grader"):
        Gradebook(tmp_path / "g.db")


def grader(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """The CLI as a user types it (the assignments are found from the repository when cwd is elsewhere)."""
    return subprocess.run([sys.executable, "-m", "grader", *args],
                          check=False, cwd=cwd, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "COLUMNS": "200", **(env or {})})


def test_import_show_and_export_verbs(grade_class, tmp_path):
    out = write_results(tmp_path / "out", grade_class({"ann.py": SOLUTION, "bob.py": MUTANT}).values())
    bob_auto = load_results_folder(out)[1].auto_score
    assert bob_auto < 14
    env = {"GRADER_DB": str(tmp_path / "course.db")}
    run = grader("gradebook", "import", str(out), "--submissions", str(tmp_path / "class"), cwd=tmp_path, env=env)
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "course.db").is_file() and not (tmp_path / "grades.db").exists()
    shown = grader("gradebook", "show", cwd=tmp_path, env=env)
    assert shown.returncode == 0 and "ann" in shown.stdout and "bob" in shown.stdout, shown.stderr
    assert "14*" in shown.stdout and "* provisional: manual points still pending" in shown.stdout
    assert "† late penalty applied" in shown.stdout and "†" not in shown.stdout.split("\n* provisional")[0]
    detail = grader("gradebook", "show", "--assignment", "hw3", cwd=tmp_path, env=env)
    assert "14/16*" in detail.stdout and f"{bob_auto:g}/14" in detail.stdout
    assert "2 pts" in detail.stdout and " mtime" in detail.stdout
    missing = grader("gradebook", "show", "--assignment", "hw9", cwd=tmp_path, env=env)
    assert missing.returncode == 2 and "no hw9 grades" in missing.stderr
    sheet = tmp_path / "lms.csv"
    assert grader("gradebook", "export", "--csv", str(sheet), "--db", str(tmp_path / "course.db"),
                  cwd=tmp_path).returncode == 0
    ann, bob = csv.DictReader(sheet.open(encoding="utf-8"))
    assert (ann["student"], ann["hw3"], ann["hw3_status"], ann["total"], ann["max_total"]) == (
        "ann", "14", "provisional", "14", "16")
    assert (bob["student"], bob["hw3"], bob["hw3_pending_points"], bob["total"]) == (
        "bob", f"{bob_auto:g}", "2", f"{bob_auto:g}")
    nothing = grader("gradebook", "show", cwd=tmp_path)
    assert nothing.returncode == 2 and "no gradebook at grades.db" in nothing.stderr
