"""``grader grade hwN FOLDER --out OUT``: a class's submissions with public and hidden tests."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console

from grader import runner
from grader.assignment import load_assignment
from grader.jail.process import Zygote
from grader.jail.sandbox import SANDBOXES, default_for, describe
from grader.loader import discover
from grader.output import ResultsFolder
from grader.report import render_summary
from grader.results import SubmissionResult


def grade_folder(assignment_name: str, folder: Path, out: Path, formats: tuple[str, ...] = ("json",),
                 assignments_dir: Path | None = None, hidden: bool = True,
                 sandbox: str = "strict") -> list[SubmissionResult]:
    """Grade every submission in ``folder`` in ``sandbox``; each result is written the moment it is final."""
    assignment = load_assignment(assignment_name, assignments_dir)
    submissions = discover(folder, assignment.name)
    zygote = Zygote(sandbox)  # before anything is written: an unavailable sandbox stops us here
    sink = ResultsFolder(out, formats)
    try:
        results = runner.grade(assignment, submissions, hidden=hidden, on_result=sink.write, zygote=zygote)
    finally:
        zygote.close()
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
                        help="strict (default on Linux; needs root and bubblewrap) or basic (no hiding)")


def run(args: argparse.Namespace) -> int:
    console = Console()
    results = grade_folder(args.assignment, args.folder, args.out, tuple(args.formats or ["json"]),
                           args.assignments, hidden=not args.public_only, sandbox=args.sandbox)
    console.print(describe(args.sandbox), markup=False)
    render_summary(results, console, title=f"{args.assignment}: {len(results)} submissions → {args.out}")
    return 0
