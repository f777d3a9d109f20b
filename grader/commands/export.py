"""``grader export gradescope hwN -o hwN-autograder.zip``: the assignment as an autograder for another
engine. Gradescope: setup.sh, run_autograder, the grader's source, the tests (hidden included) and the
reference modules they import; results.json comes from the same runner, tests and jail."""

from __future__ import annotations

import argparse
from pathlib import Path

from grader.authoring.bundle import build_bundle
from grader.model.assignment import load_assignment
from grader.sinks.console import make_console


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("target", choices=("gradescope",), help="the engine to export for")
    parser.add_argument("assignment", help="e.g. hw3")
    parser.add_argument("-o", "--out", type=Path, help="the zip to write (default: <assignment>-autograder.zip)")


def run(args: argparse.Namespace) -> int:
    out = args.out or Path(f"{args.assignment}-autograder.zip")
    names = build_bundle(load_assignment(args.assignment, args.assignments), out)
    tests = [n for n in names if "/tests/" in n and n.endswith(".py")]
    reference = [n for n in names if n.startswith("reference/")]
    make_console().print(f"{out}: {len(names)} files, {len(tests)} test file(s), reference modules: "
                    f"{', '.join(reference) or 'none'}. Upload it as the assignment's autograder.", highlight=False)
    return 0
