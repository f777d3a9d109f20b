"""``grader check hwN``: a student's own check with the public tests. Exit 0 only if all of them pass."""

from __future__ import annotations

import argparse
from pathlib import Path

from grader.grading.check import all_public_passed, check
from grader.i18n import _, course_language
from grader.jail.sandbox import SANDBOXES, default_for, describe
from grader.model.assignment import load_assignment
from grader.model.results import write_result
from grader.sinks.console import ResultView, make_console


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
    console = make_console()
    with course_language(load_assignment(args.assignment, args.assignments).language):
        console.print(ResultView(result, _("{assignment}: public tests").format(assignment=args.assignment)))
        console.print(describe(result.sandbox), markup=False)
    return 0 if all_public_passed(result) else 1
