"""``grader gradebook import|show|export``: the course gradebook (``grades.db``, or ``--db`` / ``$GRADER_DB``)."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console, Group, JustifyMethod
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from grader.model.results import TimeSource
from grader.sinks.console import make_console
from grader.sinks.gradebook import (
    DEFAULT_DB,
    Grade,
    Gradebook,
    GradeStatus,
    RecordedBatch,
    StudentRow,
    default_db,
    read_times,
    record_results_folder,
)

PROVISIONAL_MARK = "*"
LATE_MARK = "†"


def _points(value: float) -> str:
    return f"{value:g}"


def _late(grade: Grade) -> str:
    if not grade.days_late:
        return ""
    return f"{grade.days_late} d, -{grade.penalty:.0%} (-{grade.points_deducted:g})"


def _marks(grade: Grade) -> str:
    return (PROVISIONAL_MARK * (grade.status is GradeStatus.PROVISIONAL)) + (LATE_MARK * bool(grade.days_late))


def course_table(rows: list[StudentRow], assignments: list[str], max_scores: dict[str, float]) -> Group:
    """A student per row, an assignment per column (after late penalties), the total; marks for grades
    that are provisional and for late penalties, explained below it."""
    table = Table(title="gradebook", title_justify="left")
    table.add_column("student")
    for name in assignments:
        table.add_column(f"{name} /{max_scores[name]:g}", justify="right")
    table.add_column(f"total /{sum(max_scores.values()):g}", justify="right", style="bold")
    for row in rows:
        cells = [f"{_points(g.score)}{_marks(g)}" if (g := row.grades.get(name)) else "—" for name in assignments]
        provisional = PROVISIONAL_MARK * (row.status is GradeStatus.PROVISIONAL)
        table.add_row(escape(row.student), *cells, f"{_points(row.total)}{provisional}")
    grades = [g for row in rows for g in row.grades.values()]
    legend = [f"{PROVISIONAL_MARK} provisional: manual points still pending",
              f"{LATE_MARK} late penalty applied (--assignment hwN for details)"]
    if on_mtimes := sum(g.time_source is TimeSource.FILE_MTIME for g in grades if g.days_late):
        legend.append(f"{on_mtimes} late penalties rest on files' modification times, not on the LMS's times")
    return Group(table, Text("\n".join(legend)))


def assignment_table(grades: list[Grade], title: str) -> Group:
    """One assignment in detail: how each student's points were made up, and when they submitted
    according to which source."""
    table = Table(title=title, title_justify="left")
    table.add_column("student", overflow="fold")
    for name in ("auto", "manual", "pending", "late", "score"):
        table.add_column(name, justify="left" if name == "late" else "right", no_wrap=True)
    table.add_column("submitted")
    for g in grades:
        submitted = f"{g.submitted_at[:10]}\n{g.submitted_at[11:16]} {TIME_SOURCE_LABELS[g.time_source]}" \
            if g.submitted_at else ""
        table.add_row(escape(g.student), f"{_points(g.auto_score)}/{_points(g.auto_max_score)}",
                      f"{_points(g.manual_score)}/{_points(g.manual_max_score)}" if g.manual else "",
                      f"{_points(g.manual_pending_points)} pts" if g.manual_pending else "", _late(g),
                      f"[bold]{_points(g.score)}[/bold]/{_points(g.max_score)}{_marks(g)}", escape(submitted))
    legend = [f"{PROVISIONAL_MARK} provisional: manual points still pending · {LATE_MARK} late penalty applied",
              ("submitted, from: sheet = the --times sheet, mtime = the files' modification times (reset by a copy or "
               "a clone), unknown = recorded before sources were kept")]
    return Group(table, Text("\n".join(legend)))


TIME_SOURCE_LABELS = {TimeSource.TIMES_FILE: "sheet", TimeSource.FILE_MTIME: "mtime",
                      TimeSource.UNKNOWN: "unknown", None: ""}


def render_recorded(batch: RecordedBatch, db: Path | str, console: Console) -> None:
    """One line for what was recorded, then every reason to doubt a late penalty."""
    console.print(f"recorded {batch.recorded} results in {escape(str(db))}; {batch.late} late")
    for warning in batch.warnings():
        console.print(f"[yellow]warning:[/yellow] {escape(warning)}")


def history_table(grades: list[Grade], title: str) -> Table:
    """A student's grade after each event, oldest first."""
    table = Table(title=title, title_justify="left")
    columns: tuple[tuple[str, JustifyMethod], ...] = (
        ("when", "left"), ("change", "left"), ("auto", "right"), ("manual", "right"), ("late", "left"),
        ("score", "right"))
    for name, justify in columns:
        table.add_column(name, justify=justify)
    for g in grades:
        table.add_row(g.at[:19], g.change, _points(g.auto_score), _points(g.manual_score), _late(g),
                      f"{_points(g.score)} / {_points(g.max_score)}")
    return table


def add_arguments(parser: argparse.ArgumentParser) -> None:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", type=Path, default=argparse.SUPPRESS,
                        help=f"the gradebook (default: $GRADER_DB, else ./{DEFAULT_DB})")
    actions = parser.add_subparsers(dest="action", required=True)
    record = actions.add_parser("import", parents=[common], help="record a graded results folder")
    record.add_argument("results", type=Path, help="the folder `grader grade --out` wrote")
    record.add_argument("--submissions", type=Path,
                        help="the class folder, for files' modification times when no submission time is known")
    record.add_argument("--times", type=Path, help="CSV with student,submitted_at (e.g. the LMS's upload times)")
    show = actions.add_parser("show", parents=[common], help="current grades (one assignment in detail)")
    show.add_argument("--assignment", help="e.g. hw3: every student's points in detail")
    show.add_argument("--student", help="with --assignment: that student's history")
    export = actions.add_parser("export", parents=[common], help="write the course sheet for the LMS")
    export.add_argument("--csv", type=Path, required=True, help="the CSV file to write")


def run(args: argparse.Namespace) -> int:
    console = make_console()
    db = getattr(args, "db", None) or default_db()
    if args.action == "import":
        times = read_times(args.times) if args.times else None
        render_recorded(record_results_folder(db, args.results, args.submissions, times, args.assignments), db,
                        console)
        return 0
    if getattr(args, "student", None) and not args.assignment:
        raise ValueError("--student needs --assignment (a history is per assignment)")
    if not Path(db).is_file():
        raise FileNotFoundError(f"no gradebook at {db} (record one with `grader gradebook import RESULTS_DIR`)")
    with Gradebook(db) as book:
        if args.action == "export":
            args.csv.write_text(book.export_csv(), encoding="utf-8")
            console.print(f"wrote {args.csv}")
        elif args.assignment and args.student:
            history = book.history(args.student, args.assignment)
            if not history:
                raise ValueError(f"{args.student} has no {args.assignment} grade in {db}")
            console.print(history_table(history, f"{args.student} · {args.assignment}: history"))
        elif args.assignment:
            grades = book.grades(args.assignment)
            if not grades:
                known = ", ".join(book.assignments()) or "none"
                raise ValueError(f"no {args.assignment} grades in {db} (has: {known})")
            console.print(assignment_table(grades, f"{args.assignment} ({db})"))
        else:
            names = book.assignments()
            console.print(course_table(book.export_rows(), names, {n: book.max_score(n) for n in names}))
    return 0
