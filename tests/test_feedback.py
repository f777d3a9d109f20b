"""Feedback pages: results where the answers are, only what visibility allows, nothing the submission
wrote turned into live HTML."""

import dataclasses
import os
import re
import subprocess
import sys

import nbformat
import pytest

from grader.authoring.templates import split_cells
from grader.grading import runner
from grader.model.discovery import discover
from grader.model.results import write_result
from grader.sinks.feedback import FeedbackWriter, names_read_by_tests
from tests.conftest import ROOT, SOLUTION, write_class

EVIL_ID = "evil<img src=x onerror=alert(9)>"
PAYLOADS = ['<script>alert("markdown")</script>', "<img src=x onerror=alert(1)>",
            "<script>alert('printed')</script>", "<script>alert('answer')</script>", '<script>alert("output")</script>']


def hostile_notebook() -> str:
    """The model answers as a notebook, with script in a markdown cell, in printed output, in the manual
    answer and in stored outputs, and a perceptron_step that is wrong (so its test shows its output)."""
    notebook = nbformat.v4.new_notebook()
    for cell in split_cells(SOLUTION):
        make = nbformat.v4.new_markdown_cell if cell.kind == "markdown" else nbformat.v4.new_code_cell
        text = cell.text.replace('Q3_NONSEP = """', 'Q3_NONSEP = """<script>alert(\'answer\')</script>')
        notebook.cells.append(make(text))
    notebook.cells.insert(1, nbformat.v4.new_markdown_cell(
        '<script>alert("markdown")</script> <img src=x onerror=alert(1)> [click](javascript:alert(2)) '
        "[ref][r] ![pic](javascript:alert(3))\n\n[r]: javascript:alert(4)\n\n## A heading stays a heading"))
    wrong = nbformat.v4.new_code_cell(
        "def perceptron_step(w, b, x, y, eta=1.0):\n    print(\"<script>alert('printed')</script>\")\n"
        "    return [0, 0], 0")
    wrong.outputs = [nbformat.v4.new_output("display_data", data={
        "text/html": '<script>alert("output")</script>', "application/javascript": 'alert("output")'})]
    notebook.cells.append(wrong)
    return nbformat.writes(notebook)


@pytest.fixture(scope="module")
def graded(tmp_path_factory, hw3, backend):
    folder = write_class(tmp_path_factory.mktemp("class"), {f"{EVIL_ID}/hw3.ipynb": hostile_notebook(),
                                                             "alice.py": SOLUTION})
    submissions = discover(folder, "hw3")
    results = runner.grade(hw3, submissions, backend=backend)
    return folder, {s.id: (r, s) for r, s in zip(results, submissions)}


@pytest.fixture(scope="module")
def writer(hw3):
    return FeedbackWriter(hw3)


def body(page: str) -> str:
    return page[page.index("<body"):]


def test_tests_map_to_the_names_they_read(hw3):
    mapping = names_read_by_tests(hw3)
    assert mapping["tests/public/test_hw3_public.py::test_step_5_uses_m2"] == {"TABLE"}
    assert mapping["tests/hidden/test_hw3_hidden.py::test_final_model"] == {"TABLE", "FINAL_W", "FINAL_B"}


def test_nothing_the_submission_wrote_becomes_live_html(graded, writer):
    _, by_id = graded
    result, submission = by_id[EVIL_ID]
    assert next(t.status for t in result.tests if "perceptron_step" in t.name) == "failed"
    page = writer.html(result, submission)
    for payload in PAYLOADS:
        assert payload not in page, payload
    assert not re.search(r"(href|src)\s*=\s*[\"']?\s*javascript", page, re.IGNORECASE)
    assert "onerror=" not in re.sub(r"&lt;.*?&gt;", "", page)
    assert re.search(r"<h2[^>]*>A heading stays a heading", page)  # markdown is still rendered
    text = body(page)
    assert '&lt;script&gt;alert("markdown")&lt;/script&gt;' in text
    assert "&lt;script&gt;alert('printed')&lt;/script&gt;" in text  # in the failed test's details
    assert "&lt;script&gt;alert('answer')&lt;/script&gt;" in text  # the manual answer
    assert "alert(&quot;output&quot;)" not in text and "alert(\"output\")" not in text  # a stored script goes whole
    assert "evil&lt;img src=x onerror=alert(9)&gt;" in page  # the id, in the title and the header
    assert "<script" not in page.lower()  # the page has no script of its own, and none came in


def test_results_sit_right_after_the_cell_that_defines_what_they_test(graded, writer):
    _, by_id = graded
    for key in (EVIL_ID, "alice"):
        text = re.sub(r"<[^>]+>", "", body(writer.html(*by_id[key])))
        table, result = text.index("TABLE = ["), text.index("TABLE row 5: M2 is used")
        next_definition = text.index("def is_misclassified")
        assert table < result < next_definition, key
        assert text.index("is_misclassified on the lecture") > next_definition
        assert text.index("Your answer") > text.index("def perceptron_train"), key


def test_withheld_tests_show_nothing_until_their_time(graded, hw3):
    _, by_id = graded
    result, submission = by_id["alice"]
    hidden_name = "TABLE is a legal perceptron run"
    tests = list(result.tests)
    # One hidden test made "after_due_date", another "hidden" (never shown).
    due = next(i for i, t in enumerate(tests) if t.name.startswith("FINAL_W, FINAL_B"))
    never = next(i for i, t in enumerate(tests) if t.name.startswith("perceptron_train on other separable"))
    tests[due] = dataclasses.replace(tests[due], visibility="after_due_date")
    tests[never] = dataclasses.replace(tests[never], visibility="hidden", message="SECRET-DETAIL")
    result = dataclasses.replace(result, tests=tests)

    before = body(FeedbackWriter(hw3).html(result, submission))
    assert hidden_name not in before and "FINAL_W, FINAL_B are" not in before
    assert "Auto-graded: 4 / 4" in before and "not shown" in before and "Total:" not in before
    after_due = body(FeedbackWriter(hw3, after_due_date=True).html(result, submission))
    assert "FINAL_W, FINAL_B are" in after_due and hidden_name not in after_due
    published = body(FeedbackWriter(hw3, published=True).html(result, submission))
    assert hidden_name in published and "FINAL_W, FINAL_B are" in published
    assert "perceptron_train on other separable" not in published and "SECRET-DETAIL" not in published


def test_the_cli_writes_one_page_per_student(graded, tmp_path):
    folder, by_id = graded
    results = tmp_path / "results"
    for result, _ in by_id.values():
        write_result(results / f"{result.submission}.json", result)
    (results / "summary.json").write_text("{}")
    out = tmp_path / "feedback"
    run = subprocess.run([sys.executable, "-m", "grader", "--assignments", str(ROOT / "assignments"), "feedback",
                          "hw3", str(results), str(folder), "-o", str(out)],
                         check=False, capture_output=True, text=True, timeout=300, env={**os.environ, "COLUMNS": "200"})
    assert run.returncode == 0, run.stdout + run.stderr
    evil = "evil%3Cimg src=x onerror=alert(9)%3E.html"  # as file_stem escapes what Windows forbids
    assert sorted(p.name for p in out.iterdir()) == ["alice.html", evil]
    assert "&lt;script&gt;alert('answer')" in (out / evil).read_text()


def test_a_manual_question_scored_by_hand_shows_answer_comment_and_points(graded, writer):
    _, by_id = graded
    result, submission = by_id["alice"]
    scored = dataclasses.replace(result, tests=[
        dataclasses.replace(t, status="graded", score=1.5, message="<b>cite the pocket algorithm</b>")
        if t.kind == "manual" else t for t in result.tests])
    text = body(writer.html(scored, submission))
    assert "✎ graded" in text and "1.5 / 2" in text
    assert "Comment:" in text and "&lt;b&gt;cite the pocket algorithm&lt;/b&gt;" in text
    assert "口袋算法" in text  # the answer itself, kept in the output
