"""``grader validate hwN``: prove an assignment's tests. The reference solution gets full auto marks,
the templates get 0, every mutant loses at least one test, every alternative correct answer gets full
marks, and the templates are exactly what the solution generates. Exit 1 on any miss."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table

from grader import runner
from grader.assignment import Assignment, load_assignment
from grader.authoring import stale_templates
from grader.loader import Submission, from_file, from_folder
from grader.results import SubmissionResult


@dataclass(frozen=True)
class Verdict:
    what: str
    expected: str
    got: str
    ok: bool


def _solution_submission(assignment: Assignment) -> Submission:
    """The reference solution, staged with the reference package it may import."""
    course = assignment.root.parent.parent
    main = assignment.solution
    files = [main] + sorted(p for p in (course / "reference").rglob("*.py") if p != main)
    return Submission("solution", course, main, files)


def _as_submission(path: Path, label: str, assignment: Assignment) -> Submission:
    submission = from_folder(path, assignment.name) if path.is_dir() else from_file(path)
    submission.id = f"{label}:{path.name}"
    return submission


def validate(assignment: Assignment) -> list[Verdict]:
    cases: list[tuple[Submission, str]] = [(_solution_submission(assignment), "full")]
    cases += [(_as_submission(p, "template", assignment), "zero") for p in assignment.templates]
    cases += [(_as_submission(p, "mutant", assignment), "caught") for p in assignment.mutants]
    cases += [(_as_submission(p, "alternative", assignment), "full") for p in assignment.alternatives]
    results = runner.grade(assignment, [s for s, _ in cases])
    verdicts = [_judge(result, expectation) for result, (_, expectation) in zip(results, cases)]
    stale = stale_templates(assignment.solution, assignment.root / "template")
    verdicts.append(Verdict("templates generated from the solution", "in step",
                            f"stale: {', '.join(stale)}" if stale else "in step", not stale))
    for label, minimum, found in (("mutants", 6, assignment.mutants), ("alternatives", 2, assignment.alternatives)):
        verdicts.append(Verdict(f"number of {label}", f"≥ {minimum}", str(len(found)), len(found) >= minimum))
    return verdicts


def _judge(result: SubmissionResult, expectation: str) -> Verdict:
    got = f"{result.auto_score:g} / {result.auto_max_score:g}"
    broken = [t.name for t in result.tests if t.status == "error" and t.kind == "auto"]
    if expectation == "full":
        # A broken scratch cell may stand in an alternative notebook; the reference itself must load cleanly.
        ok = result.auto_score == result.auto_max_score > 0 and not (result.submission == "solution"
                                                                     and result.load_errors)
        if not ok:
            wrong = [t for t in result.tests if t.kind == "auto" and t.status != "passed"]
            got += "".join(f"; {t.name}: {t.message[:200]}" for t in wrong[:3])
            got += "".join(f"; load: {e['error'][:200]}" for e in result.load_errors[:2])
        return Verdict(result.submission, "full auto marks", got, ok)
    if expectation == "zero":
        return Verdict(result.submission, "0 auto marks", got, result.auto_score == 0)
    lost = [t.name for t in result.tests if t.kind == "auto" and t.status != "passed"]
    note = f" (lost: {', '.join(lost[:3])})" if lost else ""
    if broken and len(broken) == len(lost):
        note += " — only by errors, check the mutant"
    return Verdict(result.submission, "loses ≥ 1 test", got + note, bool(lost))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("assignments_to_check", nargs="+", metavar="assignment", help="e.g. hw3")


def run(args: argparse.Namespace) -> int:
    console = Console()
    failures = 0
    for name in args.assignments_to_check:
        verdicts = validate(load_assignment(name, args.assignments))
        table = Table(title=f"grader validate {name}", title_justify="left")
        for column in ("", "what", "expected", "got"):
            table.add_column(column, overflow="fold")
        for v in verdicts:
            table.add_row("[green]✔[/]" if v.ok else "[red]✘[/]", v.what, v.expected, v.got)
        console.print(table)
        failures += sum(not v.ok for v in verdicts)
    console.print("[green]all checks passed[/]" if not failures else f"[red]{failures} check(s) failed[/]")
    return 0 if not failures else 1
