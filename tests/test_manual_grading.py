"""Manual grading end to end: a review packet out (answers escaped, rubric, a sheet to fill in), the sheet
back in (checked whole before anything changes), scores merged into schema-valid results and the gradebook."""

from __future__ import annotations

import csv
import json

import pytest

from grader.model.results import validate
from grader.sinks.gradebook import Gradebook, load_results_folder, record_results_folder
from grader.sinks.manual import COLUMNS, export_packet, import_scores
from tests.conftest import ROOT, SOLUTION
from tests.test_gradebook import grader, write_results

TEMPLATE = (ROOT / "assignments" / "hw3" / "template" / "hw3.py").read_text(encoding="utf-8")
HOSTILE = SOLUTION + '\nQ3_NONSEP = "有用 <script>alert(1)</script> 当 $w^T x + b < 0$ 时 [x](javascript:alert(2))"\n'


@pytest.fixture
def graded_class(grade_class, tmp_path):
    """Three real hw3 results: a full answer, a hostile one, an untouched template."""
    results = grade_class({"ann.py": SOLUTION, "bob.py": HOSTILE, "cat.py": TEMPLATE})
    return write_results(tmp_path / "out", results.values())


def sheet(path, rows, header=COLUMNS):
    with open(path, "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def snapshot(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def manual(result):
    (test,) = [t for t in result.tests if t.kind == "manual"]
    return test


def test_packet_has_every_answer_escaped_the_rubric_and_a_sheet(graded_class, hw3, tmp_path):
    written = export_packet(hw3, graded_class, tmp_path / "packet")
    assert {p.name for p in written} == {"index.html", "Q3_NONSEP.html", "scores.csv"}
    page = (tmp_path / "packet" / "Q3_NONSEP.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "javascript:" not in page
    assert "<mo>&lt;</mo><mn>0</mn></mrow></math> 时" in page  # the math as MathML, its "<" still escaped
    assert "口袋算法" in page and "what earns it" in page  # ann's answer and the rubric
    assert 'class="none">no answer: Q3_NONSEP still holds the template' in page
    rows = list(csv.DictReader((tmp_path / "packet" / "scores.csv").open(encoding="utf-8-sig")))
    assert [(r["student"], r["question"], r["max_points"], r["points"]) for r in rows] == [
        ("ann", "Q3_NONSEP", "2", ""), ("bob", "Q3_NONSEP", "2", ""), ("cat", "Q3_NONSEP", "2", "")]


def test_import_scores_results_and_gradebook_and_reimport_overwrites(graded_class, hw3, tmp_path):
    export_packet(hw3, graded_class, tmp_path / "packet")
    scores = tmp_path / "packet" / "scores.csv"
    db = tmp_path / "grades.db"
    sheet(scores, [("ann", "Q3_NONSEP", "2", "2", "完整"), ("bob", "Q3_NONSEP", "2", "0.5", "no reason given"),
                   ("cat", "Q3_NONSEP", "2", "", "")])
    summary = import_scores(hw3, scores, graded_class, db)
    assert (summary.scored, summary.changed, summary.pending) == (2, ["ann", "bob"], 1)
    for name in ("ann", "bob", "cat"):
        validate(json.loads((graded_class / f"{name}.json").read_text()))
    ann, bob, cat = load_results_folder(graded_class)
    assert (manual(ann).status, manual(ann).score, manual(ann).message) == ("graded", 2.0, "完整")
    assert "口袋算法" in manual(ann).output  # the answer is kept beside the comment
    assert (ann.score, bob.score) == (16.0, 14.5) and manual(cat).status == "pending"
    assert "ann,16.0,16.0,14.0" in (graded_class / "gradebook.csv").read_text()
    assert json.loads((graded_class / "summary.json").read_text())["results"][1]["score"] == 14.5

    # The exported sheet now shows what was given; changing one row re-scores only that answer.
    export_packet(hw3, graded_class, tmp_path / "packet")
    rows = list(csv.reader(scores.open(encoding="utf-8-sig")))
    assert rows[1] == ["ann", "Q3_NONSEP", "2", "2", "完整"]
    sheet(scores, [("bob", "Q3_NONSEP", "2", "1", "second look")])
    assert import_scores(hw3, scores, graded_class, db).changed == ["bob"]
    ann, bob, _ = load_results_folder(graded_class)
    assert (manual(ann).score, manual(bob).score, manual(bob).message) == (2.0, 1.0, "second look")
    with Gradebook(db) as book:
        assert book.current("bob", "hw3").score == 15.0
        assert [(g.change, g.manual_score) for g in book.history("bob", "hw3")] == [
            ("graded+manual", 0.5), ("manual", 1.0)]
        assert book.current("cat", "hw3").manual_pending == 1

    # A re-grade writes pending answers again; recording it gives the unchanged answers their scores back.
    regraded = load_results_folder(graded_class)
    for result in regraded:
        result.graded_at = "2030-01-01T00:00:00+00:00"
        test = manual(result)
        test.status, test.score, test.message = "pending", 0.0, test.output
    write_results(graded_class, regraded)
    record_results_folder(db, graded_class)
    ann, bob, cat = load_results_folder(graded_class)
    assert [(manual(r).status, manual(r).score) for r in (ann, bob, cat)] == [
        ("graded", 2.0), ("graded", 1.0), ("pending", 0.0)]
    assert manual(bob).message == "second look" and bob.score == 15.0
    with Gradebook(db) as book:
        assert [h.change for h in book.history("bob", "hw3")] == ["graded+manual", "manual", "graded"]


GOOD = ("cat", "Q3_NONSEP", "2", "1", "ok")
BAD_SHEETS = [
    ([GOOD, ("dan", "Q3_NONSEP", "2", "1", "")], "row 3 (dan, Q3_NONSEP): unknown student 'dan'"),
    ([("ann", "Q9", "2", "1", ""), GOOD], "row 2 (ann, Q9): unknown question 'Q9' (hw3 has: Q3_NONSEP)"),
    ([GOOD, ("bob", "Q3_NONSEP", "2", "2.5", "")], "row 3 (bob, Q3_NONSEP): points 2.5 is outside 0 to 2"),
    ([GOOD, ("bob", "Q3_NONSEP", "2", "-1", "")], "row 3 (bob, Q3_NONSEP): points -1 is outside 0 to 2"),
    ([GOOD, ("ann", "Q3_NONSEP", "2", "two", "")], "row 3 (ann, Q3_NONSEP): points 'two' is not a number"),
    ([GOOD, ("ann", "Q3_NONSEP", "2", "nan", "")], "row 3 (ann, Q3_NONSEP): points 'nan' is not a number"),
    ([GOOD, ("ann", "Q3_NONSEP", "2", "1", ""), ("cat", "Q3_NONSEP", "2", "2", "")],
     "row 4 (cat, Q3_NONSEP): duplicate of row 2"),
    ([GOOD, ("bob", "Q3_NONSEP", "3", "1", "")], "row 3 (bob, Q3_NONSEP): max_points '3' is not Q3_NONSEP's 2 points"),
]


def test_a_sheet_with_a_bad_row_changes_nothing_and_names_the_row(graded_class, hw3, tmp_path):
    db = tmp_path / "grades.db"
    before = snapshot(graded_class)
    for rows, expected in BAD_SHEETS:
        with pytest.raises(ValueError, match="1 problem\\(s\\), nothing was imported") as caught:
            import_scores(hw3, sheet(tmp_path / "scores.csv", rows), graded_class, db)
        assert expected in str(caught.value)
        assert snapshot(graded_class) == before and not db.exists()
    # Every problem is reported at once.
    everything = [row for rows, _ in BAD_SHEETS[:3] for row in rows if row != GOOD]
    with pytest.raises(ValueError, match="3 problem\\(s\\)"):
        import_scores(hw3, sheet(tmp_path / "scores.csv", everything), graded_class)
    with pytest.raises(ValueError, match="missing column"):
        import_scores(hw3, sheet(tmp_path / "s2.csv", [("ann", "Q3_NONSEP", "2")], ("student", "question", "score")),
                      graded_class)
    assert snapshot(graded_class) == before


def test_manual_verbs(graded_class, tmp_path):
    packet = tmp_path / "packet"
    run = grader("manual", "export", "hw3", str(graded_class), "-o", str(packet), cwd=tmp_path)
    assert run.returncode == 0 and (packet / "index.html").is_file(), run.stderr
    scores = sheet(packet / "scores.csv", [("ann", "Q3_NONSEP", "2", "3", "")])
    bad = grader("manual", "import", "hw3", str(scores), str(graded_class), cwd=tmp_path)
    assert bad.returncode == 2 and "row 2 (ann, Q3_NONSEP): points 3 is outside 0 to 2" in bad.stderr
    sheet(scores, [("ann", "Q3_NONSEP", "2", "1.5", "")])
    good = grader("manual", "import", "hw3", str(scores), str(graded_class), "--db", str(tmp_path / "g.db"),
                  cwd=tmp_path)
    assert good.returncode == 0 and "1 answers scored" in good.stdout, good.stderr
    assert load_results_folder(graded_class)[0].score == 15.5
    shown = grader("gradebook", "show", "--assignment", "hw3", "--student", "ann", "--db", str(tmp_path / "g.db"),
                   cwd=tmp_path)
    assert shown.returncode == 0 and "manual" in shown.stdout and "15.5 / 16" in shown.stdout, shown.stderr
