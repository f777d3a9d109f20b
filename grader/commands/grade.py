"""``grader grade hwN FOLDER --out OUT``: a class's submissions with public and hidden tests."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console

from grader import runner
from grader.assignment import load_assignment
from grader.loader import discover
from grader.output import ResultsFolder
from grader.report import render_summary
from grader.results import SubmissionResult


def grade_folder(assignment_name: str, folder: Path, out: Path, formats: tuple[str, ...] = ("json",),
                 assignments_dir: Path | None = None, hidden: bool = True) -> list[SubmissionResult]:
    """Grade every submission in ``folder``; each result is written the moment it is final."""
    assignment = load_assignment(assignment_name, assignments_dir)
    submissions = discover(folder, assignment.name)
    sink = ResultsFolder(out, formats)
    results = runner.grade(assignment, submissions, hidden=hidden, on_result=sink.write)
    sink.finish(results)
    return results


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("assignment", help="e.g. hw3")
    parser.add_argument("folder", type=Path, help="one subfolder <id>/ or one file <id>.ipynb|.py per student")
    parser.add_argument("--out", type=Path, required=True, help="folder for <id>.json, summary.json, gradebook.csv")
    parser.add_argument("--format", action="append", choices=("json", "gradescope"), dest="formats",
                        help="json (default): our schema; gradescope: OUT/<id>/results.json in Gradescope's format")
    parser.add_argument("--public-only", action="store_true", help="skip the hidden tests")


def run(args: argparse.Namespace) -> int:
    console = Console()
    results = grade_folder(args.assignment, args.folder, args.out, tuple(args.formats or ["json"]),
                           args.assignments, hidden=not args.public_only)
    render_summary(results, console, title=f"{args.assignment}: {len(results)} submissions → {args.out}")
    return 0
