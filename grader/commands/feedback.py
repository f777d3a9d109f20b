"""``grader feedback hwN RESULTS SUBMISSIONS -o FEEDBACK``: one HTML page per student, their own work
with each test's result where the answer is. Tests that are not visible yet stay out of the pages until
``--after-due-date`` or ``--published`` says they may be shown."""

from __future__ import annotations

import argparse
from pathlib import Path

from grader.model.assignment import load_assignment
from grader.model.discovery import discover
from grader.sinks.console import make_console
from grader.sinks.feedback import write_feedback
from grader.sinks.results_folder import load_results_folder


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("assignment", help="e.g. hw3")
    parser.add_argument("results", type=Path, help="the folder `grader grade --out` wrote")
    parser.add_argument("submissions", type=Path, help="the class folder that was graded")
    parser.add_argument("-o", "--out", type=Path, required=True, help="folder for <id>.html")
    parser.add_argument("--after-due-date", action="store_true", help="show tests marked after_due_date")
    parser.add_argument("--published", action="store_true",
                        help="grades are published: show after_published and after_due_date tests too")


def run(args: argparse.Namespace) -> int:
    assignment = load_assignment(args.assignment, args.assignments)
    results = [r for r in load_results_folder(args.results) if r.assignment == assignment.name]
    pages = write_feedback(assignment, results, discover(args.submissions, assignment.name), args.out,
                           after_due_date=args.after_due_date, published=args.published)
    make_console().print(f"{args.assignment}: {len(pages)} feedback page(s) written to {args.out}")
    return 0
