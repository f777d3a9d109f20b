"""``grader templates [hwN ...]``: regenerate the student templates (``hwN.py`` and ``hwN.ipynb``) from the
reference solution's solution markers, so the two cannot drift apart."""

from __future__ import annotations

import argparse

from grader.authoring.templates import build_templates, stale_templates
from grader.model.assignment import assignment_names, load_assignment
from grader.sinks.console import make_console


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("names", nargs="*", metavar="assignment", help="e.g. hw3 (default: every assignment)")


def run(args: argparse.Namespace) -> int:
    console = make_console()
    for name in args.names or assignment_names(args.assignments):
        assignment = load_assignment(name, args.assignments)
        folder = assignment.root / "template"
        changed = stale_templates(assignment.solution, folder)
        build_templates(assignment.solution, folder)
        what = f"rewrote {', '.join(changed)}" if changed else "already in step"
        console.print(f"{name}: {what} ({folder})")
    return 0
