"""``grader validate [hwN ...]``: prove an assignment's tests (all assignments when none is named); the
checks are ``grader.authoring.validate``'s. Exit 1 on any miss."""

from __future__ import annotations

import argparse

from rich.markup import escape
from rich.table import Table

from grader.authoring.validate import validate
from grader.model.assignment import assignment_names, load_assignment
from grader.sinks.console import make_console


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("assignments_to_check", nargs="*", metavar="assignment",
                        help="e.g. hw3 (default: every assignment)")


def run(args: argparse.Namespace) -> int:
    console = make_console()
    failures = 0
    for name in args.assignments_to_check or assignment_names(args.assignments):
        verdicts = validate(load_assignment(name, args.assignments))
        table = Table(title=f"grader validate {name}", title_justify="left")
        for column in ("", "what", "expected", "got"):
            table.add_column(column, overflow="fold")
        for v in verdicts:
            table.add_row("[green]✔[/]" if v.ok else "[red]✘[/]", escape(v.what), escape(v.expected), escape(v.got))
        console.print(table)
        failures += sum(not v.ok for v in verdicts)
    console.print("[green]all checks passed[/]" if not failures else f"[red]{failures} check(s) failed[/]")
    return 0 if not failures else 1
