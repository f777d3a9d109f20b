"""The course gradebook: one SQLite file (``grades.db``) that keeps every grade a student ever had.

Nothing is updated in place: each re-grade, manual score and late penalty is a new row tied to an
event, so the current grade is the latest state and ``history`` replays the earlier ones. A manual
score belongs to the answer it was given for (by the text's hash): a re-grade or a resubmission that
keeps the same answer keeps its score, a changed answer is pending again. A late penalty belongs to
the submitted files, whose first known submission time the gradebook keeps.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import sqlite3
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Self

from grader.model.assignment import load_assignment
from grader.model.deadlines import Deadline, files_time
from grader.model.discovery import Skipped, discover
from grader.model.results import SubmissionResult, TestResult, TimeSource
from grader.sinks.results_folder import (
    SpreadsheetWriter,
    from_spreadsheet_text,
    load_results_folder,
    rewrite_results_folder,
)

DEFAULT_DB = "grades.db"

# MIGRATIONS[i] takes a database from user_version i to i + 1 (statements split at ';'); append, never
# edit a released step.
MIGRATIONS = [
    """
    CREATE TABLE students (id TEXT PRIMARY KEY, first_seen TEXT NOT NULL);
    CREATE TABLE assignments (name TEXT PRIMARY KEY, max_score REAL NOT NULL);
    CREATE TABLE events (id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, at TEXT NOT NULL);
    CREATE TABLE submissions (
        id INTEGER PRIMARY KEY,
        student TEXT NOT NULL REFERENCES students(id),
        assignment TEXT NOT NULL REFERENCES assignments(name),
        files_hash TEXT NOT NULL,
        files TEXT NOT NULL,
        submitted_at TEXT,
        UNIQUE (student, assignment, files_hash)
    );
    CREATE TABLE gradings (
        id INTEGER PRIMARY KEY,
        event INTEGER NOT NULL REFERENCES events(id),
        submission INTEGER NOT NULL REFERENCES submissions(id),
        graded_at TEXT NOT NULL,
        grader_version TEXT NOT NULL,
        auto_score REAL NOT NULL,
        auto_max_score REAL NOT NULL,
        manual_max_score REAL NOT NULL,
        load_errors INTEGER NOT NULL
    );
    CREATE TABLE test_results (
        grading INTEGER NOT NULL REFERENCES gradings(id),
        nodeid TEXT NOT NULL,
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        status TEXT NOT NULL,
        score REAL NOT NULL,
        max_score REAL NOT NULL,
        answer_sha256 TEXT,
        PRIMARY KEY (grading, nodeid)
    );
    CREATE TABLE manual_scores (
        id INTEGER PRIMARY KEY,
        event INTEGER NOT NULL REFERENCES events(id),
        student TEXT NOT NULL REFERENCES students(id),
        assignment TEXT NOT NULL REFERENCES assignments(name),
        question TEXT NOT NULL,
        answer_sha256 TEXT NOT NULL,
        points REAL NOT NULL,
        max_points REAL NOT NULL,
        comment TEXT NOT NULL
    );
    CREATE TABLE late_penalties (
        id INTEGER PRIMARY KEY,
        event INTEGER NOT NULL REFERENCES events(id),
        submission INTEGER NOT NULL REFERENCES submissions(id),
        due TEXT,
        days_late INTEGER NOT NULL,
        penalty REAL NOT NULL
    );
    CREATE INDEX submissions_by_student ON submissions(student, assignment);
    CREATE INDEX manual_scores_by_answer ON manual_scores(student, assignment, question, answer_sha256)
    """,
    # Where submitted_at came from (a TimeSource); NULL beside a time recorded before: unknown.
    "ALTER TABLE submissions ADD COLUMN submitted_at_source TEXT",
]


def default_db() -> Path:
    return Path(os.environ.get("GRADER_DB") or DEFAULT_DB)


def answer_sha256(test: TestResult) -> str:
    """A manual answer's identity, the same pending and graded (every missing answer is the same one)."""
    return hashlib.sha256((test.answer or "").encode("utf-8", "surrogatepass")).hexdigest()


def files_sha256(files: Mapping[str, str]) -> str:
    return hashlib.sha256(json.dumps(dict(files), sort_keys=True).encode("utf-8")).hexdigest()


SUBMISSION = "student = ? AND assignment = ? AND files_hash = ?"


def _submission_key(result: SubmissionResult) -> tuple[str, str, str]:
    return result.submission, result.assignment, files_sha256(result.files)


def _row(row: sqlite3.Row | None) -> tuple | None:
    return tuple(row) if row is not None else None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


class GradeStatus(StrEnum):
    FINAL = "final"
    PROVISIONAL = "provisional"  # manual points still pending: the score can only go up


@dataclass(frozen=True)
class SubmissionTime:
    at: datetime
    source: TimeSource


@dataclass(frozen=True)
class ManualScore:
    question: str
    points: float | None  # None: pending
    max_points: float
    comment: str = ""


@dataclass(frozen=True)
class Grade:
    """A student's grade for one assignment as it stood after one event (the latest: the current grade)."""

    student: str
    assignment: str
    event: int
    change: str  # what the event changed: graded, manual, late, joined by "+"
    at: str
    graded_at: str
    submitted_at: str | None
    time_source: TimeSource | None  # None: no submission time known
    auto_score: float
    auto_max_score: float
    manual: tuple[ManualScore, ...]
    days_late: int = 0
    penalty: float = 0.0
    load_errors: int = 0

    @property
    def manual_score(self) -> float:
        return round(sum(m.points or 0.0 for m in self.manual), 6)

    @property
    def manual_pending(self) -> int:
        return sum(m.points is None for m in self.manual)

    @property
    def manual_pending_points(self) -> float:
        return round(sum(m.max_points for m in self.manual if m.points is None), 6)

    @property
    def status(self) -> GradeStatus:
        return GradeStatus.PROVISIONAL if self.manual_pending else GradeStatus.FINAL

    @property
    def manual_max_score(self) -> float:
        return round(sum(m.max_points for m in self.manual), 6)

    @property
    def max_score(self) -> float:
        return round(self.auto_max_score + self.manual_max_score, 6)

    @property
    def points_deducted(self) -> float:
        return round((self.auto_score + self.manual_score) * self.penalty, 6)

    @property
    def score(self) -> float:
        """What counts: auto plus manual points, less the late penalty."""
        return round(self.auto_score + self.manual_score - self.points_deducted, 6)


@dataclass(frozen=True)
class StudentRow:
    """One line of the course export: a student's current grade in every assignment."""

    student: str
    grades: dict[str, Grade] = field(default_factory=dict)

    @property
    def total(self) -> float:
        return round(sum(g.score for g in self.grades.values()), 6)

    @property
    def status(self) -> GradeStatus:
        provisional = any(g.status is GradeStatus.PROVISIONAL for g in self.grades.values())
        return GradeStatus.PROVISIONAL if provisional else GradeStatus.FINAL


class Gradebook:
    """A connection to the gradebook file, created and migrated on first use."""

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path) if path is not None else default_db()
        self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA foreign_keys = ON")
        # WAL: `gradebook show` reads while a batch records, and a commit costs one fsync at checkpoints
        # rather than several per record (a power cut may lose the last records, never consistency).
        self.db.execute("PRAGMA journal_mode = WAL")
        self.db.execute("PRAGMA synchronous = NORMAL")
        self._migrate()

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _migrate(self) -> None:
        if self._version() == len(MIGRATIONS):
            return
        with self._transaction():
            version = self._version()  # again, now that no other process can be migrating
            if version > len(MIGRATIONS):
                raise ValueError(f"{self.path} was written by a newer grader (schema {version}); upgrade grader")
            for step in MIGRATIONS[version:]:
                for statement in filter(str.strip, step.split(";")):
                    self.db.execute(statement)
            self.db.execute(f"PRAGMA user_version = {len(MIGRATIONS)}")

    def _version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    def _transaction(self) -> _Transaction:
        return _Transaction(self.db)

    def _event(self, kind: str) -> int:
        event = self.db.execute("INSERT INTO events (kind, at) VALUES (?, ?)", (kind, _now())).lastrowid
        assert event is not None  # an INSERT sets it
        return event

    def _submission(self, result: SubmissionResult, submitted: SubmissionTime | None) -> int:
        self.db.execute("INSERT OR IGNORE INTO students (id, first_seen) VALUES (?, ?)", (result.submission, _now()))
        self.db.execute("INSERT INTO assignments (name, max_score) VALUES (?, ?) "
                        "ON CONFLICT (name) DO UPDATE SET max_score = excluded.max_score",
                        (result.assignment, result.max_score))
        key = _submission_key(result)
        self.db.execute("INSERT OR IGNORE INTO submissions (student, assignment, files_hash, files) "
                        "VALUES (?, ?, ?, ?)", (*key, json.dumps(result.files, sort_keys=True)))
        if submitted is not None:
            self.db.execute(f"UPDATE submissions SET submitted_at = ?, submitted_at_source = ? WHERE {SUBMISSION}",
                            (submitted.at.isoformat(), submitted.source.value, *key))
        return self.db.execute(f"SELECT id FROM submissions WHERE {SUBMISSION}", key).fetchone()[0]

    def submitted_at(self, result: SubmissionResult) -> SubmissionTime | None:
        """The submission time recorded for this result's very files, and its source, if any."""
        row = self.db.execute(f"SELECT submitted_at, submitted_at_source FROM submissions WHERE {SUBMISSION}",
                              _submission_key(result)).fetchone()
        if not row or not row[0]:
            return None
        return SubmissionTime(datetime.fromisoformat(row[0]), TimeSource(row[1] or TimeSource.UNKNOWN))

    def record(self, result: SubmissionResult, submitted_at: SubmissionTime | None = None) -> None:
        """Store a grading, the manual scores it carries and its late penalty (``result.late``), as one
        event named after what changed (e.g. ``graded+late``). Without ``submitted_at`` the time the
        gradebook holds for these files (and its source) stays.

        Recording the same result again adds nothing: a grading is known by its files and ``graded_at``,
        a manual score or penalty counts only when it differs from the latest one.
        """
        with self._transaction():
            submission = self._submission(result, submitted_at)
            new_grading = not self.db.execute("SELECT 1 FROM gradings WHERE submission = ? AND graded_at = ?",
                                              (submission, result.graded_at)).fetchone()
            scored = [t for t in result.tests if t.kind == "manual" and t.status == "graded"
                      and _row(self._latest_manual(result, t)) != (t.score, t.max_score, t.message)]
            late = result.late
            penalty = (late.due, late.days_late, late.penalty) if late else (None, 0, 0.0)
            latest = self.db.execute("SELECT due, days_late, penalty FROM late_penalties WHERE submission = ? "
                                     "ORDER BY id DESC LIMIT 1", (submission,)).fetchone()
            new_penalty = (_row(latest) or (None, 0, 0.0)) != penalty
            kinds = [kind for kind, changed in (("graded", new_grading), ("manual", scored), ("late", new_penalty))
                     if changed]
            if not kinds:
                return
            event = self._event("+".join(kinds))
            if new_grading:
                grading = self.db.execute(
                    "INSERT INTO gradings (event, submission, graded_at, grader_version, auto_score, auto_max_score,"
                    " manual_max_score, load_errors) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (event, submission, result.graded_at, result.grader_version, result.auto_score,
                     result.auto_max_score, result.manual_max_score, len(result.load_errors))).lastrowid
                self.db.executemany(
                    "INSERT INTO test_results VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [(grading, t.nodeid, t.name, t.kind, t.status, t.score, t.max_score,
                      answer_sha256(t) if t.kind == "manual" else None) for t in result.tests])
            self.db.executemany(
                "INSERT INTO manual_scores (event, student, assignment, question, answer_sha256, points, max_points,"
                " comment) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(event, result.submission, result.assignment, t.name, answer_sha256(t), t.score, t.max_score,
                  t.message) for t in scored])
            if new_penalty:
                self.db.execute("INSERT INTO late_penalties (event, submission, due, days_late, penalty) "
                                "VALUES (?, ?, ?, ?, ?)", (event, submission, *penalty))

    def _latest_manual(self, result: SubmissionResult, test: TestResult) -> sqlite3.Row | None:
        return self.db.execute("SELECT points, max_points, comment FROM manual_scores WHERE student = ? AND "
                               "assignment = ? AND question = ? AND answer_sha256 = ? ORDER BY id DESC LIMIT 1",
                               (result.submission, result.assignment, test.name, answer_sha256(test))).fetchone()

    def manual_scores(self, result: SubmissionResult) -> dict[str, tuple[float, str]]:
        """The latest (points, comment) given to each of this result's manual answers, by question."""
        found = {}
        for test in result.tests:
            if test.kind == "manual" and (row := self._latest_manual(result, test)) is not None:
                found[test.name] = (row["points"], row["comment"])
        return found

    def _grade(self, student: str, assignment: str, upto: int | None = None) -> Grade | None:
        """The grade as it stood after event ``upto`` (None: now)."""
        limit = upto if upto is not None else 2**62
        grading = self.db.execute(
            "SELECT g.*, s.submitted_at, s.submitted_at_source "
            "FROM gradings g JOIN submissions s ON s.id = g.submission "
            "WHERE s.student = ? AND s.assignment = ? AND g.event <= ? ORDER BY g.event DESC LIMIT 1",
            (student, assignment, limit)).fetchone()
        if grading is None:
            return None
        manual = []
        for test in self.db.execute("SELECT name, max_score, answer_sha256 FROM test_results WHERE grading = ? "
                                    "AND kind = 'manual' ORDER BY rowid", (grading["id"],)):
            scored = self.db.execute(
                "SELECT points, comment FROM manual_scores WHERE student = ? AND assignment = ? AND question = ? "
                "AND answer_sha256 = ? AND event <= ? ORDER BY event DESC LIMIT 1",
                (student, assignment, test["name"], test["answer_sha256"], limit)).fetchone()
            manual.append(ManualScore(test["name"], scored["points"] if scored else None, test["max_score"],
                                      scored["comment"] if scored else ""))
        late = self.db.execute("SELECT days_late, penalty FROM late_penalties WHERE submission = ? AND event <= ? "
                               "ORDER BY event DESC LIMIT 1", (grading["submission"], limit)).fetchone()
        event = self.db.execute("SELECT id, kind, at FROM events WHERE id = ?",
                                (upto if upto is not None else self._latest_event(student, assignment),)).fetchone()
        source = TimeSource(grading["submitted_at_source"] or TimeSource.UNKNOWN) if grading["submitted_at"] else None
        return Grade(student, assignment, event["id"], event["kind"], event["at"], grading["graded_at"],
                     grading["submitted_at"], source, grading["auto_score"], grading["auto_max_score"], tuple(manual),
                     late["days_late"] if late else 0, late["penalty"] if late else 0.0, grading["load_errors"])

    def _events(self, student: str, assignment: str) -> list[int]:
        rows = self.db.execute(
            "SELECT g.event FROM gradings g JOIN submissions s ON s.id = g.submission "
            "WHERE s.student = ? AND s.assignment = ? "
            "UNION SELECT event FROM manual_scores WHERE student = ? AND assignment = ? "
            "UNION SELECT l.event FROM late_penalties l JOIN submissions s ON s.id = l.submission "
            "WHERE s.student = ? AND s.assignment = ? ORDER BY 1",
            (student, assignment) * 3)
        return [row[0] for row in rows]

    def _latest_event(self, student: str, assignment: str) -> int:
        return self._events(student, assignment)[-1]

    def current(self, student: str, assignment: str) -> Grade | None:
        return self._grade(student, assignment)

    def history(self, student: str, assignment: str) -> list[Grade]:
        """Every state the grade went through, oldest first; manual scores given before the first grading
        of their answer's submission show up from that grading on."""
        states = (self._grade(student, assignment, event) for event in self._events(student, assignment))
        return [state for state in states if state is not None]

    def assignments(self) -> list[str]:
        return [row[0] for row in self.db.execute("SELECT name FROM assignments ORDER BY name")]

    def max_score(self, assignment: str) -> float:
        row = self.db.execute("SELECT max_score FROM assignments WHERE name = ?", (assignment,)).fetchone()
        return row[0] if row else 0.0

    def grades(self, assignment: str) -> list[Grade]:
        """Every student's current grade in one assignment, by student."""
        students = self.db.execute("SELECT DISTINCT student FROM submissions s WHERE assignment = ? AND EXISTS "
                                   "(SELECT 1 FROM gradings g WHERE g.submission = s.id) ORDER BY student",
                                   (assignment,))
        # Each of them has a grade (the query picks students with a grading): the filter only narrows the type.
        grades = (self._grade(row[0], assignment) for row in students.fetchall())
        return [grade for grade in grades if grade is not None]

    def export_rows(self) -> list[StudentRow]:
        """One row per student with a current grade in each assignment they were graded in."""
        rows: dict[str, StudentRow] = {
            row[0]: StudentRow(row[0]) for row in self.db.execute("SELECT id FROM students ORDER BY id")}
        for assignment in self.assignments():
            for grade in self.grades(assignment):
                rows[grade.student].grades[assignment] = grade
        return [row for row in rows.values() if row.grades]

    def export_csv(self) -> str:
        """The course sheet an LMS imports: a student per row; per assignment the points after any late
        penalty (empty when never graded), whether they are final or provisional (manual points still
        pending, and how many), the days late and the submission time with its source; the total, its
        status, and what late penalties were applied."""
        assignments = self.assignments()
        stream = io.StringIO()
        writer = SpreadsheetWriter(stream)
        writer.writerow(["student", *(f"{a}{suffix}" for a in assignments for suffix in ASSIGNMENT_COLUMNS),
                         "total", "max_total", "total_status", "late_penalties"])
        max_total = round(sum(self.max_score(a) for a in assignments), 6)
        for row in self.export_rows():
            late = "; ".join(f"{a}: {g.days_late} day{'s' * (g.days_late != 1)} late, -{g.penalty:.0%} "
                             f"(-{g.points_deducted:g})" for a, g in row.grades.items() if g.days_late)
            cells = [cell for a in assignments for cell in _grade_cells(row.grades.get(a))]
            writer.writerow([row.student, *cells, f"{row.total:g}", f"{max_total:g}", row.status.value, late])
        return stream.getvalue()


ASSIGNMENT_COLUMNS = ("", "_status", "_pending_points", "_days_late", "_submitted_at", "_time_source")


def _grade_cells(grade: Grade | None) -> list[str]:
    """One assignment's cells of the course sheet, in ASSIGNMENT_COLUMNS order."""
    if grade is None:
        return [""] * len(ASSIGNMENT_COLUMNS)
    return [f"{grade.score:g}", grade.status.value, f"{grade.manual_pending_points:g}", str(grade.days_late),
            grade.submitted_at or "", grade.time_source.value if grade.time_source else ""]


class _Transaction:
    """``BEGIN IMMEDIATE`` … ``COMMIT``, or ``ROLLBACK`` on any exception: a record is all or nothing."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        self.db.execute("COMMIT" if kind is None else "ROLLBACK")


def read_times(path: Path) -> dict[str, datetime]:
    """Submission times from a CSV with columns ``student`` and ``submitted_at`` (ISO 8601 with offset)."""
    times = {}
    with open(path, encoding="utf-8-sig", newline="") as stream:
        reader = csv.DictReader(stream)
        if not {"student", "submitted_at"} <= set(reader.fieldnames or ()):
            raise ValueError(f"{path}: needs the columns student and submitted_at")
        for row_number, row in enumerate(reader, start=2):
            try:
                when = datetime.fromisoformat(row["submitted_at"].strip())
            except ValueError:
                when = None
            if when is None or when.tzinfo is None:
                raise ValueError(f"{path} row {row_number}: submitted_at {row['submitted_at']!r} is not an ISO 8601 "
                                 "time with a UTC offset, e.g. 2026-10-01T23:59:00+08:00")
            times[from_spreadsheet_text(row["student"].strip())] = when
    return times


@dataclass
class RecordedBatch:
    """A batch recorded in the gradebook, and how far its late penalties can be trusted."""

    recorded: int = 0  # results recorded
    late: int = 0  # of them, late ones
    # Submissions of assignments with a deadline, by where their time came from (None: no time known).
    time_sources: Counter[TimeSource | None] = field(default_factory=Counter)
    not_in_times: list[str] = field(default_factory=list)  # with a times sheet: submissions it has no row for
    unknown_in_times: list[str] = field(default_factory=list)  # rows of the times sheet that match no result

    def warnings(self) -> list[str]:
        """What an instructor must know before trusting the late penalties, one sentence each."""
        found = []
        assessed = sum(self.time_sources.values())
        if mtimes := self.time_sources[TimeSource.FILE_MTIME]:
            found.append(f"{mtimes} of {assessed} submission times are the files' modification times, which a "
                         "copy, an unzip or a git clone resets: their late penalties may be wrong. Give the LMS's "
                         "upload times with --times times.csv (columns student,submitted_at).")
        if unknown := self.time_sources[None]:
            found.append(f"{unknown} of {assessed} submissions have no known time and were not assessed for "
                         "lateness (give --times, or --submissions for the files' modification times).")
        for names, what in ((self.not_in_times, "submissions have no row in the times sheet"),
                            (self.unknown_in_times, "rows of the times sheet match no graded submission")):
            if names:
                shown = ", ".join(names[:5]) + (", …" if len(names) > 5 else "")
                found.append(f"{len(names)} {what}: {shown}")
        return found


class GradebookRecorder:
    """The gradebook as a batch's sink. ``prepare`` runs before a result is committed anywhere: it applies
    the assignment's deadline and puts back the manual scores the gradebook holds for unchanged answers;
    ``write`` records the committed result.

    A submission's time is, in order: ``times`` (e.g. the LMS's), the one the gradebook already holds for
    the same files, ``on_disk`` (the newest modification time of its files); each is kept with its source.
    """

    def __init__(self, db: Path | str | None, times: Mapping[str, datetime] | None = None,
                 on_disk: Mapping[str, datetime | None] | None = None, assignments_dir: Path | None = None) -> None:
        self.book = Gradebook(db)
        self.times = dict(times or {})
        self.on_disk = dict(on_disk or {})
        self.assignments_dir = assignments_dir
        self.batch = RecordedBatch()
        self._recorded: set[str] = set()
        self._deadlines: dict[str, Deadline | None] = {}
        self._submitted: dict[str, SubmissionTime | None] = {}

    def prepare(self, result: SubmissionResult) -> bool:
        """Apply the late penalty and the carried-over manual scores; True if the result changed."""
        if result.assignment not in self._deadlines:
            self._deadlines[result.assignment] = load_assignment(result.assignment, self.assignments_dir).deadline
        deadline = self._deadlines[result.assignment]
        submitted = _submission_time(result, self.times, self.book, self.on_disk)
        self._submitted[result.submission] = submitted
        late = result.late
        result.late = deadline.assess(submitted.at, submitted.source) if deadline and submitted else None
        if deadline:
            self.batch.time_sources[submitted.source if submitted else None] += 1
            if self.times and result.submission not in self.times:
                self.batch.not_in_times.append(result.submission)
        return result.apply_manual_scores(self.book.manual_scores(result)) or result.late != late

    def write(self, result: SubmissionResult) -> None:
        self.book.record(result, submitted_at=self._submitted.pop(result.submission, None))
        self.batch.recorded += 1
        self.batch.late += result.late is not None
        self._recorded.add(result.submission)

    def finish(self, results: Sequence[SubmissionResult], skipped: Sequence[Skipped] = ()) -> None:
        self.batch.unknown_in_times = sorted(set(self.times) - self._recorded)
        self.close()

    def close(self) -> None:
        """Let go of the gradebook file (a batch that stopped half-way: what was recorded stays)."""
        self.book.close()


def record_results_folder(db: Path | str | None, results_dir: Path, submissions_dir: Path | None = None,
                          times: Mapping[str, datetime] | None = None,
                          assignments_dir: Path | None = None) -> RecordedBatch:
    """Record a batch graded earlier (``grader gradebook import``): each result as ``GradebookRecorder``
    would have on the way, with the modification times of the files in ``submissions_dir``; the results
    that changed are rewritten."""
    results = load_results_folder(results_dir)
    on_disk: dict[str, datetime | None] = {}
    if submissions_dir is not None:
        for name in {r.assignment for r in results}:
            on_disk |= {s.id: files_time(s.files) for s in discover(submissions_dir, name)}
    recorder = GradebookRecorder(db, times, on_disk, assignments_dir)
    changed = []
    try:
        for result in results:
            if recorder.prepare(result):
                changed.append(result)
            recorder.write(result)
    finally:
        recorder.finish(results)
    rewrite_results_folder(results_dir, results, changed)
    return recorder.batch


def _submission_time(result: SubmissionResult, times: Mapping[str, datetime], book: Gradebook,
                     on_disk: Mapping[str, datetime | None]) -> SubmissionTime | None:
    if (given := times.get(result.submission)) is not None:
        return SubmissionTime(given, TimeSource.TIMES_FILE)
    if (stored := book.submitted_at(result)) is not None:
        return stored
    if (modified := on_disk.get(result.submission)) is not None:
        return SubmissionTime(modified, TimeSource.FILE_MTIME)
    return None
