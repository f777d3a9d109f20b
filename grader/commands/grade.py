"""``grader grade hwN CLASS --out OUT``: a class's submissions with public and hidden tests, on parallel
workers, each result committed the moment it is final; ``--resume`` grades only what is missing.

CLASS is a folder or a ``.zip`` of one. Exit codes: 0 when everything was graded, whatever the scores;
2 when the batch could not run (and nothing was graded); 3 when every submission (two or more) failed
to load for the same reason, which points at the setup rather than the class (the results are
written all the same)."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
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

from grader.grading import batch
from grader.jail.sandbox import SANDBOXES, default_for, describe, require
from grader.model.assignment import find_assignments_dir, load_assignment
from grader.model.discovery import Skipped, survey
from grader.model.results import SubmissionResult
from grader.model.unpack import unpack_class
from grader.sinks.console import render_class_overview, render_common_load_error, render_summary
from grader.sinks.results_folder import ResultsFolder, common_load_error

EXIT_COMMON_LOAD_ERROR = 3


@dataclass
class GradedClass:
    results: list[SubmissionResult]  # in the class folder's order
    skipped: list[Skipped]
    folder: Path  # the class folder graded: for a zip, where it was unpacked


def grade_folder(assignment_name: str, folder: Path, out: Path, formats: tuple[str, ...] = ("json",),
                 assignments_dir: Path | None = None, hidden: bool = True, *, workers: int = 1,
                 resume: bool = False, executor: Callable | None = None,
                 on_start: Callable[[int], None] | None = None,
                 on_result: Callable[[SubmissionResult], None] | None = None,
                 sandbox: str = "basic") -> GradedClass:
    """Grade every submission in ``folder`` (a class folder, or a zip of one) into ``out``.

    ``resume`` keeps every committed result that graded the submission's current files, unless the machine
    was too busy to finish one of its tests (``on_result``
    sees those first). ``executor`` runs the chunks (default: worker processes, or this process for one
    worker). ``on_start`` learns how many submissions the batch has. Submissions run in ``sandbox``."""
    require(sandbox)  # before anything is written: an unavailable sandbox stops us here
    # Absolute paths: workers and executors may run in another folder (a Dask worker does).
    folder, out = Path(folder).resolve(), Path(out).resolve()
    base = (Path(assignments_dir) if assignments_dir else find_assignments_dir()).resolve()
    assignment = load_assignment(assignment_name, base)
    found = unpack_class(folder, out, assignment.name) if folder.is_file() else survey(folder, assignment.name)
    submissions = found.submissions
    sink = ResultsFolder(out, formats)
    kept = {s.id: r for s in submissions
            if resume and (r := batch.committed(out, s)) is not None and not r.machine_busy}
    todo = [s for s in submissions if s.id not in kept]
    if on_start is not None:
        on_start(len(submissions))

    def commit(result: SubmissionResult) -> None:
        sink.write(result)
        if on_result is not None:
            on_result(result)

    for result in kept.values():
        if on_result is not None:
            on_result(result)
    run = executor or (batch.run_inline if workers == 1 else batch.run_local)
    graded = batch.grade_in_batches(assignment.name, base, todo, commit, workers=workers,
                                    options={"hidden": hidden, "sandbox": sandbox}, run=run)
    by_id = {**kept, **{r.submission: r for r in graded}}
    results = [by_id[s.id] for s in submissions]
    sink.finish(results, found.skipped)
    return GradedClass(results, found.skipped, found.root)


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

    def __call__(self, result: SubmissionResult) -> None:
        self.below_full += result.auto_score < result.auto_max_score
        self.load_errors += bool(result.load_errors)
        self.timeouts += any(t.status == "timeout" for t in result.tests)
        self.busy += result.machine_busy
        problems = f"below full marks {self.below_full} · load errors {self.load_errors} · timeouts {self.timeouts}"
        if self.busy:
            problems += f" · machine too busy {self.busy}"
        self.progress.update(self.task, advance=1, problems=problems)


def run(args: argparse.Namespace) -> int:
    """Exit 0 once everything is graded, 3 when every submission failed to load for the same reason."""
    console = Console()
    if args.times and not args.db:
        raise ValueError("--times gives submission times to the gradebook: use it with --db")
    times = None
    if args.times:  # a bad sheet is refused before grading starts
        from grader.sinks.gradebook import read_times

        times = read_times(args.times)
    workers = max(1, args.workers)
    executor = batch.DaskExecutor(args.scheduler, workers) if args.executor == "dask" else None
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), RateColumn(),
               TimeRemainingColumn(), TextColumn("{task.fields[problems]}"))
    try:
        with Progress(*columns, console=console, transient=True) as progress:
            sink = ProgressSink(progress)
            graded = grade_folder(args.assignment, args.folder, args.out, tuple(args.formats or ["json"]),
                                  args.assignments, hidden=not args.public_only, workers=workers,
                                  resume=args.resume, executor=executor, on_start=sink.start, on_result=sink,
                                  sandbox=args.sandbox)
    finally:
        if executor is not None:
            executor.close()
    results = graded.results
    if args.db:
        from grader.commands.gradebook import render_recorded
        from grader.sinks.gradebook import record_results_folder

        recorded = record_results_folder(args.db, args.out, submissions_dir=graded.folder, times=times,
                                         assignments_dir=args.assignments)
        results = recorded.results
    render_summary(results, console, title=f"{args.assignment}: {len(results)} submissions → {args.out}")
    render_class_overview(results, console, graded.skipped)
    console.print(describe(args.sandbox), markup=False)
    if args.db:
        render_recorded(recorded, args.db, console)
    if (reason := common_load_error(results)) is not None:
        render_common_load_error(reason, len(results), console)
        return EXIT_COMMON_LOAD_ERROR
    return 0
