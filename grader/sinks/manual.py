"""Questions graded by hand: a review packet out, a filled-in score sheet back in.

``export`` writes one HTML page per manual question with every student's answer and the rubric, and
``scores.csv`` (student, question, max_points, points, comment) to fill in; the pages need no network and
run no script (answers and rubric are markdown rendered and sanitized by ``grader.sinks.safehtml``, math as
MathML). ``import`` checks the whole sheet before changing anything, then turns each scored answer from
``pending`` into ``graded`` (its points as the score, the comment as the message; the answer's text stays
in ``output``).
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

import jinja2
from markupsafe import Markup

from grader.model.assignment import Assignment
from grader.model.results import NO_ANSWER, Kind, Status, SubmissionResult
from grader.sinks.gradebook import Gradebook
from grader.sinks.results_folder import (
    SpreadsheetWriter,
    from_spreadsheet_text,
    load_results_folder,
    rewrite_results_folder,
)
from grader.sinks.safehtml import markdown_html

SCORES_CSV = "scores.csv"
COLUMNS = ("student", "question", "max_points", "points", "comment")


def _points(value: float) -> str:
    return f"{value:g}"


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.PackageLoader("grader.sinks", "templates"), autoescape=True,
                             undefined=jinja2.StrictUndefined)
    env.filters["points"] = _points
    return env


@dataclass(frozen=True)
class Answer:
    student: str
    text: str
    missing: bool
    points: float | None
    comment: str

    @property
    def html(self) -> Markup:
        return Markup(markdown_html(self.text))


def answers(results: list[SubmissionResult], question: str) -> list[Answer]:
    found = []
    for result in sorted(results, key=lambda r: r.submission):
        for test in result.tests:
            if test.kind == Kind.MANUAL and test.name == question:
                graded = test.status == Status.GRADED
                # Without an answer, the text says why, as grading worded it (kept until it is graded).
                text = test.answer if test.answer is not None else test.message if not graded else NO_ANSWER
                found.append(Answer(result.submission, text, test.answer is None,
                                    test.score if graded else None, test.message if graded else ""))
    return found


def export_packet(assignment: Assignment, results_dir: Path, packet_dir: Path) -> list[Path]:
    """Write the review packet for every manual question of ``assignment``; returns the files written."""
    if not assignment.manual:
        raise ValueError(f"{assignment.name} has no manual questions ([manual.NAME] in its assignment.toml)")
    results = load_results_folder(results_dir, assignment.name)
    packet = Path(packet_dir)
    packet.mkdir(parents=True, exist_ok=True)
    env = _environment()
    written, rows, overview = [], [], []
    for question in assignment.manual:
        listed = answers(results, question.name)
        rubric = question.rubric.read_text(encoding="utf-8") if question.rubric and question.rubric.is_file() else ""
        page = packet / f"{question.name}.html"
        page.write_text(env.get_template("manual_question.html.j2").render(
            assignment=assignment, question=question, answers=listed, csv_name=SCORES_CSV,
            rubric=Markup(markdown_html(rubric)) if rubric else ""), encoding="utf-8")
        written.append(page)
        rows += [[a.student, question.name, _points(question.points),
                  "" if a.points is None else _points(a.points), a.comment] for a in listed]
        overview.append({"name": question.name, "page": page.name, "points": question.points,
                         "answered": sum(not a.missing for a in listed), "missing": sum(a.missing for a in listed),
                         "scored": sum(a.points is not None for a in listed)})
    index = packet / "index.html"
    index.write_text(env.get_template("manual_index.html.j2").render(
        assignment=assignment, questions=overview, csv_name=SCORES_CSV), encoding="utf-8")
    sheet = packet / SCORES_CSV
    # utf-8-sig: spreadsheet programs then read the Chinese names and comments correctly
    with open(sheet, "w", encoding="utf-8-sig", newline="") as stream:
        writer = SpreadsheetWriter(stream)
        writer.writerow(COLUMNS)
        writer.writerows(sorted(rows))
    return [index, *written, sheet]


def read_scores(path: Path, assignment: Assignment,
                results: list[SubmissionResult]) -> dict[str, dict[str, tuple[float, str]]]:
    """The filled-in sheet as student -> question -> (points, comment). Rows with blank points are left
    pending. Every problem is reported at once (naming its spreadsheet row) as one ValueError."""
    questions = {q.name: q for q in assignment.manual}
    answered = {r.submission: {t.name for t in r.tests if t.kind == "manual"} for r in results}
    scores: dict[str, dict[str, tuple[float, str]]] = {}
    seen: dict[tuple[str, str], int] = {}
    problems = []
    with open(path, encoding="utf-8-sig", newline="") as stream:
        reader = csv.DictReader(stream)
        missing = [c for c in ("student", "question", "points") if c not in (reader.fieldnames or ())]
        if missing:
            raise ValueError(f"{path}: missing column(s) {', '.join(missing)} (expected {', '.join(COLUMNS)})")
        for row_number, row in enumerate(reader, start=2):
            student, name = (from_spreadsheet_text((row[c] or "").strip()) for c in ("student", "question"))
            cell = (row["points"] or "").strip()
            where = f"row {row_number} ({student or '?'}, {name or '?'})"
            if student not in answered:
                problems.append(f"{where}: unknown student {student!r} (no {assignment.name} result for them)")
                continue
            if name not in questions:
                problems.append(f"{where}: unknown question {name!r} ({assignment.name} has: {', '.join(questions)})")
                continue
            if name not in answered[student]:
                problems.append(f"{where}: {student}'s result has no {name} (graded before the question existed?)")
                continue
            if (student, name) in seen:
                problems.append(f"{where}: duplicate of row {seen[student, name]}")
                continue
            seen[student, name] = row_number
            maximum = questions[name].points
            stated = (row.get("max_points") or "").strip()
            if stated and _number(stated) != maximum:
                problems.append(f"{where}: max_points {stated!r} is not {name}'s {maximum:g} points")
                continue
            if not cell:
                continue
            points = _number(cell)
            if points is None:
                problems.append(f"{where}: points {cell!r} is not a number")
            elif not 0 <= points <= maximum:
                problems.append(f"{where}: points {points:g} is outside 0 to {maximum:g}")
            else:
                comment = from_spreadsheet_text((row.get("comment") or "").strip())
                scores.setdefault(student, {})[name] = (points, comment)
    if problems:
        raise ValueError(f"{path}: {len(problems)} problem(s), nothing was imported:\n  " + "\n  ".join(problems))
    return scores


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


@dataclass(frozen=True)
class ImportSummary:
    scored: int  # answers with points in the sheet
    changed: list[str]  # submissions whose result file was rewritten
    pending: int  # manual answers still without points


def import_scores(assignment: Assignment, scores_csv: Path, results_dir: Path,
                  db: Path | str | None = None) -> ImportSummary:
    """Check the sheet, merge it into the result files (rewritten atomically) and, given ``db``, the
    gradebook. A sheet with any problem changes nothing."""
    results = load_results_folder(results_dir, assignment.name)
    scores = read_scores(Path(scores_csv), assignment, results)
    changed = [r for r in results if r.apply_manual_scores(scores.get(r.submission, {}))]
    if changed:
        rewrite_results_folder(results_dir, results, changed)
    if db is not None:
        with Gradebook(db) as book:
            for result in results:
                book.record(result)
    pending = sum(t.kind == "manual" and t.status == "pending" for r in results for t in r.tests)
    return ImportSummary(sum(map(len, scores.values())), [r.submission for r in changed], pending)
