"""The grading plugin on its own: a tiny assignment whose tests are ordinary pytest, graded through
``runner.grade`` — points, visibility, messages, a bare assert's explanation, silence on the terminal."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from grader.grading import runner
from grader.model.assignment import TestSetupError, load_assignment
from grader.model.loader import from_file
from grader.model.results import Status, Visibility

TESTS = '''
import pytest

@pytest.mark.points(3)
def test_double(submission):
    """double() doubles"""
    assert submission.double(2) == 4

def test_listed(submission):
    assert submission.listed(2) == [0, 1, 2]

@pytest.mark.visibility("after_due_date")
def test_printed(submission):
    assert submission.loud() == 0
'''
MODULE = '''
def double(x):
    return 2 * x

def listed(n):
    return list(range(n + 1))

def loud():
    print("hello from the submission")
    return 1
'''


def course(tmp_path: Path, tests: str = TESTS) -> Path:
    root = tmp_path / "assignments" / "tiny"
    (root / "tests" / "public").mkdir(parents=True)
    (root / "assignment.toml").write_text('title = "tiny"\n', encoding="utf-8")
    (root / "tests" / "public" / "test_tiny.py").write_text(textwrap.dedent(tests), encoding="utf-8")
    return root.parent


def grade(tmp_path: Path, tests: str = TESTS, module: str = MODULE):
    assignment = load_assignment("tiny", course(tmp_path, tests))
    submission = tmp_path / "tiny.py"
    submission.write_text(module, encoding="utf-8")
    (result,) = runner.grade(assignment, [from_file(submission)])
    return {t.nodeid.rsplit("::", 1)[1]: t for t in result.tests}


def test_points_names_and_visibility_come_from_the_markers(tmp_path):
    tests = grade(tmp_path)
    double = tests["test_double"]
    assert (double.name, double.status, double.score, double.max_score) == ("double() doubles", Status.PASSED, 3, 3)
    assert tests["test_listed"].max_score == 1  # a test without points is worth one
    assert tests["test_printed"].visibility == Visibility.AFTER_DUE_DATE


def test_a_bare_assert_fails_with_pytests_explanation_and_the_print_is_kept(tmp_path):
    tests = grade(tmp_path, module=MODULE.replace("list(range(n + 1))", "list(range(n))"))
    listed = tests["test_listed"]
    assert listed.status == Status.FAILED and listed.score == 0
    assert "[0, 1, 2]" in listed.message and "Right contains one more item" in listed.message
    printed = tests["test_printed"]
    assert printed.status == Status.FAILED and "hello from the submission" in printed.printed


def test_pytest_writes_nothing_to_the_terminal(tmp_path, capfd):
    grade(tmp_path)
    out, err = capfd.readouterr()
    assert out == "" and "test_tiny" not in err


def test_an_unknown_visibility_is_the_instructors_error(tmp_path):
    with pytest.raises(TestSetupError, match="visibility must be one of visible, hidden"):
        grade(tmp_path, TESTS.replace('"after_due_date"', '"later"'))
