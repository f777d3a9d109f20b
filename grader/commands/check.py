"""``grader check hwN``: a student's own check with the public tests. Exit 0 only if all of them pass."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from rich.console import Console

from grader.grading import runner
from grader.jail.sandbox import SANDBOXES, default_for, describe
from grader.model.assignment import load_assignment
from grader.model.loader import from_file, from_folder
from grader.model.results import SubmissionResult, write_result
from grader.sinks.console import render_result


def check(assignment_name: str, path: Path | None = None, assignments_dir: Path | None = None,
          sandbox: str = "basic") -> SubmissionResult:
    """Grade ``path`` (a notebook, a module or a folder; default: the current folder) with the public tests."""
    assignment = load_assignment(assignment_name, assignments_dir)
    path = Path(path or Path.cwd())
    submission = from_folder(path, assignment.name, id=assignment.name) if path.is_dir() else from_file(path)
    return runner.grade(assignment, [submission], hidden=False, sandbox=sandbox)[0]


def all_public_passed(result: SubmissionResult) -> bool:
    return not result.load_errors and all(t.status == "passed" for t in result.tests if t.kind == "auto")


def check_in_notebook(assignment_name: str, path: str | None = None) -> SubmissionResult:
    """From a notebook cell: grade the saved copy of the notebook being edited and show the table inline."""
    session = os.environ.get("JPY_SESSION_NAME", "")  # Jupyter sets it to the notebook's path
    if path is None and session.endswith(f"{assignment_name}.ipynb") and Path(session).is_file():
        path = session
    result = check(assignment_name, Path(path) if path else None)
    render_result(result, Console(), title=f"{assignment_name}: public tests (save the notebook before checking)")
    return result


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("assignment", help="e.g. hw3")
    parser.add_argument("path", nargs="?", type=Path, help="notebook, module or folder (default: current folder)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the result as JSON")
    parser.add_argument("--sandbox", choices=SANDBOXES, default=default_for("check"),
                        help="basic (default: your own code on your own machine) or strict (Linux, root, bubblewrap)")


def run(args: argparse.Namespace) -> int:
    result = check(args.assignment, args.path, args.assignments, sandbox=args.sandbox)
    if args.json:
        write_result(args.json, result)
    console = Console()
    render_result(result, console, title=f"{args.assignment}: public tests")
    console.print(describe(result.sandbox), markup=False)
    return 0 if all_public_passed(result) else 1
