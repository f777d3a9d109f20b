"""Prove an assignment's tests: the reference solution gets full auto marks, the templates get 0, every
mutant (built from its edits) loses at least one test, every alternative correct answer gets full marks, the
templates are exactly what the solution generates and expose the same names, and the statement states the
points the tests give."""

from __future__ import annotations

import ast
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from grader.authoring.mutants import AnchorError, Mutant, MutantFileError, mutants_of
from grader.authoring.templates import stale_templates
from grader.grading import runner
from grader.model.assignment import Assignment
from grader.model.loader import LoadError, Submission, bound_names, from_file, from_folder, read_cells
from grader.model.results import SubmissionResult


@dataclass(frozen=True)
class Verdict:
    what: str
    expected: str
    got: str
    ok: bool


def _solution_submission(assignment: Assignment) -> Submission:
    """The reference solution, staged with the reference package it may import."""
    course = assignment.course
    main = assignment.solution
    files = [main] + sorted(p for p in (course / "reference").rglob("*.py") if p != main)
    return Submission("solution", course, main, files)


def _as_submission(path: Path, label: str, assignment: Assignment) -> Submission:
    submission = from_folder(path, assignment.name) if path.is_dir() else from_file(path)
    submission.id = f"{label}:{path.name}"
    return submission


def _mutant_submissions(assignment: Assignment, mutants: list[Mutant], scratch: Path
                        ) -> tuple[list[tuple[Submission, Mutant]], list[Verdict]]:
    """Each mutant built from today's solution as ``<scratch>/<mutant>/<assignment>.py``; a mutant whose anchor
    no longer matches is a failed verdict instead, so the solution's drift shows and the other checks go on."""
    solution = assignment.solution.read_text(encoding="utf-8")
    built: list[tuple[Submission, Mutant]] = []
    stale: list[Verdict] = []
    for mutant in mutants:
        try:
            source = mutant.apply(solution)
        except AnchorError as exc:
            stale.append(Verdict(f"mutant:{mutant.name}", "loses ≥ 1 test",
                                 f"cannot be built: {exc} (it stands for: {mutant.why})", False))
            continue
        path = scratch / mutant.name / f"{assignment.name}.py"
        path.parent.mkdir()
        path.write_text(source, encoding="utf-8")
        submission = from_file(path)
        submission.id = f"mutant:{mutant.name}"
        built.append((submission, mutant))
    return built, stale


def validate(assignment: Assignment) -> list[Verdict]:
    verdicts: list[Verdict] = []
    try:
        mutants = mutants_of(assignment)
    except MutantFileError as exc:
        mutants = []
        verdicts.append(Verdict("mutants.toml", "readable", str(exc), False))
    with tempfile.TemporaryDirectory(prefix=f"mutants-{assignment.name}-") as scratch:
        built, stale = _mutant_submissions(assignment, mutants, Path(scratch))
        cases: list[tuple[Submission, str]] = [(_solution_submission(assignment), "full")]
        cases += [(_as_submission(p, "template", assignment), "zero") for p in assignment.templates]
        cases += [(submission, "caught") for submission, _ in built]
        cases += [(_as_submission(p, "alternative", assignment), "full") for p in assignment.alternatives]
        results = runner.grade(assignment, [s for s, _ in cases])
    whys = {submission.id: mutant.why for submission, mutant in built}
    verdicts += [_judge(result, expectation, whys.get(result.submission))
                 for result, (_, expectation) in zip(results, cases)]
    verdicts += stale
    by_id = {result.submission: result for result in results}
    verdicts += _caught_publicly(assignment, [mutant for _, mutant in built], [by_id[s.id] for s, _ in built])
    verdicts += [_same_names(assignment.solution, template) for template in assignment.templates]
    verdicts += _stated_points(assignment, results[0])
    stale_files = stale_templates(assignment.solution, assignment.root / "template")
    verdicts.append(Verdict("templates generated from the solution", "in step",
                            f"stale: {', '.join(stale_files)}" if stale_files else "in step", not stale_files))
    for label, minimum, found in (("mutants", 6, mutants), ("alternatives", 2, assignment.alternatives)):
        verdicts.append(Verdict(f"number of {label}", f"≥ {minimum}", str(len(found)), len(found) >= minimum))
    return verdicts


def top_level_names(path: Path) -> set[str]:
    """Names a module or notebook defines at top level (functions, classes, assignments)."""
    return {name for cell in read_cells(from_file(path)) for name in bound_names(ast.parse(cell.source).body)}


def _same_names(solution: Path, template: Path) -> Verdict:
    try:
        missing = top_level_names(solution) - top_level_names(template)
        extra = top_level_names(template) - top_level_names(solution)
    except (LoadError, SyntaxError) as exc:
        return Verdict(f"names in {template.name}", "same as the solution", f"unreadable: {exc}", False)
    got = "; ".join(f"{label}: {', '.join(sorted(names))}" for label, names in
                    (("missing", missing), ("extra", extra)) if names) or "same"
    return Verdict(f"names in {template.name}", "same as the solution", got, not (missing or extra))


def _stated_points(assignment: Assignment, solution_result: SubmissionResult) -> list[Verdict]:
    """The statement's "自动评分 N 分" and "人工评分 M 分" must be what the tests and assignment.toml give."""
    statement = assignment.solution.read_text(encoding="utf-8")
    verdicts = []
    for label, pattern, actual in (("auto", r"自动评分\s*([\d.]+)\s*分", solution_result.auto_max_score),
                                   ("manual", r"人工评分\s*([\d.]+)\s*分", solution_result.manual_max_score)):
        stated = re.search(pattern, statement)
        if stated is None and label == "manual" and not actual:
            continue
        got = f"states {stated.group(1)}" if stated else "not stated"
        ok = stated is not None and float(stated.group(1)) == actual
        verdicts.append(Verdict(f"{label} points in the statement", f"{actual:g} (what grading gives)", got, ok))
    return verdicts


PUBLIC_SHARE = 0.9  # of the mutants, at least, a student's check must catch before the deadline


def _caught_publicly(assignment: Assignment, mutants: list[Mutant], graded: list[SubmissionResult]) -> list[Verdict]:
    """For each mutant, whether the public tests catch it — what a student's own `grader check` shows — or why
    they cannot; then the share caught. Read from the full grading: the public tests run first there, on the
    same process, so their outcomes are those of a public-only run."""
    public = assignment.public_tests.relative_to(assignment.root).as_posix() + "/"
    verdicts = []
    caught = 0
    for mutant, result in zip(mutants, graded):
        lost = [t.name for t in result.tests
                if t.kind == "auto" and t.status != "passed" and t.nodeid.startswith(public)]
        caught += bool(lost)
        if lost:
            got = f"caught by: {', '.join(lost[:2])}"
        elif mutant.hidden_only:
            got = f"hidden tests only: {mutant.hidden_only}"
        else:
            got = f"passes every public test: {mutant.why}"
        verdicts.append(Verdict(f"mutant:{mutant.name} in grader check", "caught by a public test", got,
                                bool(lost) or mutant.hidden_only is not None))
    if mutants:
        share = caught / len(mutants)
        verdicts.append(Verdict("mutants caught by the public tests", f"≥ {PUBLIC_SHARE:.0%}",
                                f"{caught} of {len(mutants)} ({share:.0%})", share >= PUBLIC_SHARE))
    return verdicts


def _judge(result: SubmissionResult, expectation: str, why: str | None = None) -> Verdict:
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
    if not lost and why:  # what the tests miss, so the author knows which test to add
        note += f" — not caught: {why}"
    return Verdict(result.submission, "loses ≥ 1 test", got + note, bool(lost))
