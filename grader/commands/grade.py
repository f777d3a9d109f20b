"""``grader grade hwN FOLDER --out OUT``: a class's submissions with public and hidden tests, on parallel
workers, each result committed the moment it is final; ``--resume`` grades only what is missing."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
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

from grader import batch
from grader.assignment import find_assignments_dir, load_assignment
from grader.jail.sandbox import SANDBOXES, default_for, describe, require
from grader.loader import discover
from grader.output import ResultsFolder
from grader.report import render_class_overview, render_summary
from grader.results import SubmissionResult


def grade_folder(assignment_name: str, folder: Path, out: Path, formats: tuple[str, ...] = ("json",),
                 assignments_dir: Path | None = None, hidden: bool = True, *, workers: int = 1,
                 resume: bool = False, executor: Callable | None = None,
                 on_start: Callable[[int], None] | None = None,
                 on_result: Callable[[SubmissionResult], None] | None = None,
                 sandbox: str = "basic") -> list[SubmissionResult]:
    """Grade every submission in ``folder`` into ``out``; results come back in the folder's order.

    ``resume`` keeps every committed result that graded the submission's current files (``on_result``
    sees those first). ``executor`` runs the chunks (default: worker processes, or this process for one
    worker). ``on_start`` learns how many submissions the batch has. Submissions run in ``sandbox``."""
    require(sandbox)  # before anything is written: an unavailable sandbox stops us here
    base = Path(assignments_dir) if assignments_dir else find_assignments_dir()
    assignment = load_assignment(assignment_name, base)
    submissions = discover(folder, assignment.name)
    sink = ResultsFolder(out, formats)
    kept = {s.id: r for s in submissions if resume and (r := batch.committed(out, s)) is not None}
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
    sink.finish(results)
    return results


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("assignment", help="e.g. hw3")
    parser.add_argument("folder", type=Path, help="one subfolder <id>/ or one file <id>.ipynb|.py per student")
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


class RateColumn(ProgressColumn):
    def render(self, task: Task) -> Text:
        return Text(f"{task.speed:.1f}/s" if task.speed else "…/s")


class ProgressSink:
    """The progress bar: done/total, rate, time left, and the problems seen so far."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.task = progress.add_task("grading", total=None, problems="")
        self.below_full = self.load_errors = self.timeouts = 0

    def start(self, total: int) -> None:
        self.progress.update(self.task, total=total)

    def __call__(self, result: SubmissionResult) -> None:
        self.below_full += result.auto_score < result.auto_max_score
        self.load_errors += bool(result.load_errors)
        self.timeouts += any(t.status == "timeout" for t in result.tests)
        problems = f"below full marks {self.below_full} · load errors {self.load_errors} · timeouts {self.timeouts}"
        self.progress.update(self.task, advance=1, problems=problems)


def run(args: argparse.Namespace) -> int:
    console = Console()
    workers = max(1, args.workers)
    executor = batch.DaskExecutor(args.scheduler, workers) if args.executor == "dask" else None
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), RateColumn(),
               TimeRemainingColumn(), TextColumn("{task.fields[problems]}"))
    try:
        with Progress(*columns, console=console, transient=True) as progress:
            sink = ProgressSink(progress)
            results = grade_folder(args.assignment, args.folder, args.out, tuple(args.formats or ["json"]),
                                   args.assignments, hidden=not args.public_only, workers=workers,
                                   resume=args.resume, executor=executor, on_start=sink.start, on_result=sink,
                                   sandbox=args.sandbox)
    finally:
        if executor is not None:
            executor.close()
    if args.db:
        from grader.gradebook import record_results_folder

        results = record_results_folder(args.db, args.out, submissions_dir=args.folder,
                                        assignments_dir=args.assignments)
    render_summary(results, console, title=f"{args.assignment}: {len(results)} submissions → {args.out}")
    render_class_overview(results, console)
    console.print(describe(args.sandbox), markup=False)
    return 0
