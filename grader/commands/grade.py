"""``grader grade hwN CLASS --out OUT``: a class's submissions with public and hidden tests, on parallel
workers, each result committed the moment it is final; ``--resume`` grades only what is missing.

CLASS is a folder or a ``.zip`` of one. Exit codes: 0 when everything was graded, whatever the scores;
2 when the batch could not run (and nothing was graded); 3 when every submission (two or more) failed
to load for the same reason, which points at the setup rather than the class (the results are
written all the same)."""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from pathlib import Path

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from grader.commands.gradebook import render_recorded
from grader.grading import batch
from grader.grading.grade import GradeOptions, grade_folder
from grader.i18n import _, course_language
from grader.jail.sandbox import SANDBOXES, default_for, describe
from grader.model.assignment import load_assignment
from grader.model.discovery import Skipped
from grader.model.results import SubmissionResult
from grader.sinks.console import ClassOverview, ClassTable, common_load_error_panel, make_console
from grader.sinks.gradebook import read_times
from grader.sinks.results_folder import common_load_error

EXIT_COMMON_LOAD_ERROR = 3


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = ("exit codes: 0 everything graded (whatever the scores); 2 the batch could not run; "
                     f"{EXIT_COMMON_LOAD_ERROR} every submission failed to load for the same reason (results "
                     "written; check the setup)")
    parser.add_argument("assignment", help="e.g. hw3")
    parser.add_argument("folder", type=Path, help="one subfolder <id>/ or one file <id>.ipynb|.py per student; "
                        "or a .zip of such a folder (unpacked into OUT/.unpacked)")
    parser.add_argument("--out", type=Path, required=True, help="folder for <id>.json, summary.json, gradebook.csv")
    parser.add_argument("--format", action="append", choices=("json", "gradescope"), dest="formats",
                        help="json (default): our schema; gradescope: OUT/<id>/results.json in Gradescope's format")
    parser.add_argument("--public-only", action="store_true", help="skip the hidden tests")
    parser.add_argument("--sandbox", choices=SANDBOXES, default=default_for("grade"),
                        help="strict (default on Linux; needs root and bubblewrap) or basic (nothing hidden)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="submissions graded in parallel (default: the number of CPU cores)")
    parser.add_argument("--resume", action="store_true",
                        help="keep results already in OUT for unchanged submissions; grade only the rest")
    parser.add_argument("--executor", choices=("local", "dask"), default="local",
                        help="local worker processes (default) or a Dask cluster (pip install 'bp-grader[dask]')")
    parser.add_argument("--scheduler", help="Dask scheduler address, e.g. tcp://HOST:8786 (default: a local cluster)")
    parser.add_argument("--db", type=Path, default=os.environ.get("GRADER_DB"),
                        help="also record the batch (with late penalties) in this gradebook (default: $GRADER_DB)")
    parser.add_argument("--times", type=Path,
                        help="with --db: CSV with student,submitted_at (the LMS's upload times) for late penalties; "
                        "without it the files' modification times are used, with a warning")


class RateColumn(ProgressColumn):
    def render(self, task: Task) -> Text:
        return Text(f"{task.speed:.1f}/s" if task.speed else "…/s")


class ProgressSink:
    """The progress bar: done/total, rate, time left, and the problems seen so far."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.task = progress.add_task("grading", total=None, problems="")
        self.below_full = self.load_errors = self.timeouts = self.busy = 0

    def start(self, total: int) -> None:
        self.progress.update(self.task, total=total)

    def write(self, result: SubmissionResult) -> None:
        self.below_full += result.auto_score < result.auto_max_score
        self.load_errors += bool(result.load_errors)
        self.timeouts += any(t.status == "timeout" for t in result.tests)
        self.busy += result.machine_busy
        problems = f"below full marks {self.below_full} · load errors {self.load_errors} · timeouts {self.timeouts}"
        if self.busy:
            problems += f" · machine too busy {self.busy}"
        self.progress.update(self.task, advance=1, problems=problems)

    def finish(self, results: Sequence[SubmissionResult], skipped: Sequence[Skipped] = ()) -> None:
        """The class summary follows, once the bar has gone."""


def run(args: argparse.Namespace) -> int:
    """Exit 0 once everything is graded, 3 when every submission failed to load for the same reason."""
    console = make_console()
    if args.times and not args.db:
        raise ValueError("--times gives submission times to the gradebook: use it with --db")
    options = GradeOptions(hidden=not args.public_only, sandbox=args.sandbox, workers=max(1, args.workers),
                           resume=args.resume, formats=tuple(args.formats or ["json"]), db=args.db,
                           times=read_times(args.times) if args.times else {})  # a bad sheet stops us here
    executor = batch.DaskExecutor(args.scheduler, options.workers) if args.executor == "dask" else None
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), RateColumn(),
               TimeRemainingColumn(), TextColumn("{task.fields[problems]}"))
    try:
        with Progress(*columns, console=console, transient=True) as progress:
            bar = ProgressSink(progress)
            graded = grade_folder(args.assignment, args.folder, args.out, options, assignments_dir=args.assignments,
                                  executor=executor, on_start=bar.start, sinks=[bar])
    finally:
        if executor is not None:
            executor.close()
    results = graded.results
    with course_language(load_assignment(args.assignment, args.assignments).language):
        title = _("{assignment}: {count} submissions → {folder}").format(
            assignment=args.assignment, count=len(results), folder=args.out)
        console.print(ClassTable(graded.summary, title))
        console.print(ClassOverview(graded.summary))
        console.print(describe(args.sandbox), markup=False)
        if graded.recorded is not None:
            render_recorded(graded.recorded, args.db, console)
        if (reason := common_load_error(graded.summary)) is not None:
            console.print(common_load_error_panel(reason, len(results)))
            return EXIT_COMMON_LOAD_ERROR
    return 0
