"""``grader release hwN DEST``: exactly what students get (statement, templates, public tests, the config
they need), refused when any of it holds hidden tests, reference code or solutions."""

from __future__ import annotations

import argparse
from pathlib import Path

from grader.authoring.release import build_release
from grader.model.assignment import load_assignment
from grader.sinks.console import make_console


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("assignment", help="e.g. hw3")
    parser.add_argument("dest", type=Path, help="folder to create (absent or empty)")


def run(args: argparse.Namespace) -> int:
    console = make_console()
    files = build_release(load_assignment(args.assignment, args.assignments), args.dest)
    for path in files:
        console.print(f"  {path.relative_to(args.dest)}", highlight=False)
    console.print(f"[green]{args.assignment}: {len(files)} files released to {args.dest}[/], no hidden test, "
                  "reference or solution content found in them")
    return 0
