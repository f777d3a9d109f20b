"""The console views, rendered from hand-made results into a plain-text console."""

from __future__ import annotations

import io

from rich.console import Console

from grader.model.results import Kind, Status, SubmissionResult, TestResult
from grader.sinks.console import ClassTable, ResultView
from grader.sinks.results_folder import summary


def rendered(view) -> str:
    console = Console(file=io.StringIO(), width=120, color_system=None)
    console.print(view)
    return console.file.getvalue()


RESULT = SubmissionResult("hw3", "ann", [
    TestResult("table", "t::table", 6.0, 6.0, Status.PASSED, traceback="never shown"),
    TestResult("step", "t::step", 0.0, 2.0, Status.ERROR, message="NameError: [bold]w[/bold]",
               traceback='  File "hw3.py", line 7, in perceptron_step\n', printed="debug [red]x[/red]\n"),
    TestResult("Q3_NONSEP", "manual::Q3_NONSEP", 0.0, 2.0, Status.PENDING, kind=Kind.MANUAL, answer="有用。"),
], load_errors=[{"where": "cell 4", "error": "SyntaxError: [link]", "traceback": ""}])


def test_a_result_shows_its_rows_its_details_and_its_score():
    text = rendered(ResultView(RESULT))
    assert "problems while loading your code" in text and "cell 4: SyntaxError: [link]" in text
    assert "NameError: [bold]w[/bold]" in text  # the submission's text is shown, never read as markup
    assert 'line 7, in perceptron_step' in text and "debug [red]x[/red]" in text
    assert "never shown" not in text  # a passed test's details stay out of the way
    assert "graded by hand later" in text and "score: 6 / 8" in text and "+ 2 graded by hand" in text


def test_a_large_class_shows_the_submissions_that_most_need_a_look_and_says_where_the_rest_are():
    full = [SubmissionResult("hw3", f"s{n:03d}", [TestResult("t", "t::t", 1.0, 1.0, Status.PASSED)]) for n in range(40)]
    low = SubmissionResult("hw3", "low", [TestResult("t", "t::t", 0.0, 1.0, Status.FAILED)])
    text = rendered(ClassTable(summary([*full[:20], low, *full[20:]]), rows=5))
    assert "low" in text and sum(f"s{n:03d}" in text for n in range(40)) == 4
    assert "the 5 lowest of 41 submissions" in text and "summary.json" in text
    assert all(f"s{n:03d}" in rendered(ClassTable(summary(full[:5]), rows=5)) for n in range(5))  # a small class: all


def test_the_summary_counts_each_status():
    other = SubmissionResult("hw3", "bob", [TestResult("t", "t::t", 0.0, 1.0, Status.TIMEOUT)])
    text = rendered(ClassTable(summary([RESULT, other])))
    ann = next(line for line in text.splitlines() if "ann" in line)
    bob = next(line for line in text.splitlines() if "bob" in line)
    assert "6 / 8" in ann and "2 pending" in ann and "SyntaxError" in ann
    assert "0 / 1" in bob and bob.split("│")[6].strip() == "1"  # the timeout column
