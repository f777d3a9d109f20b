"""Mutants as anchored edits: loading ``mutants.toml``, applying the edits in order, and a stale anchor
reported by ``grader validate`` as a failed check rather than a crash."""

from __future__ import annotations

import shutil

import pytest

from grader.authoring.mutants import AnchorError, Edit, Mutant, MutantFileError, load_mutants
from grader.authoring.validate import validate
from grader.model.assignment import load_assignment
from tests.conftest import ROOT

HW3 = ROOT / "assignments" / "hw3"

SIGN_SLIP = '''
[[mutant]]
name = "m01_b_wrong_sign"
why = "a sign slip"
[[mutant.edit]]
find = "b + eta * y\\n"
replace = "b - eta * y\\n"
'''
TWO_MUTANTS = SIGN_SLIP + '''
[[mutant]]
name = "m02_two_edits"
why = "two slips at once"
[[mutant.edit]]
find = """
x = 1
"""
replace = "x = 2\\n"
[[mutant.edit]]
find = "y = 3"
replace = "y = 4"
'''


def test_load_mutants_reads_every_table_in_order(tmp_path):
    path = tmp_path / "mutants.toml"
    path.write_text(TWO_MUTANTS, encoding="utf-8")
    assert load_mutants(path) == [
        Mutant("m01_b_wrong_sign", "a sign slip", (Edit("b + eta * y\n", "b - eta * y\n"),)),
        Mutant("m02_two_edits", "two slips at once", (Edit("x = 1\n", "x = 2\n"), Edit("y = 3", "y = 4"))),
    ]


@pytest.mark.parametrize(("table", "says"), [
    ('[[mutant]]\nname = "m01"\n[[mutant.edit]]\nfind = "a"\nreplace = "b"\n', "m01"),
    ('[[mutant]]\nname = "m01"\nwhy = "w"\n', "at least one [[mutant.edit]]"),
    ('[[mutant]]\nname = "m01"\nwhy = "w"\n[[mutant.edit]]\nfind = "a"\n', "`find` and `replace`"),
    ('[[mutant]]\nwhy = "w"\n', "mutant #1"),
    ("[[mutant]\n", "not valid TOML"),
])
def test_a_malformed_table_names_the_file_and_the_mutant(tmp_path, table, says):
    path = tmp_path / "mutants.toml"
    path.write_text(table, encoding="utf-8")
    with pytest.raises(MutantFileError) as caught:
        load_mutants(path)
    assert str(path) in str(caught.value) and says in str(caught.value)


def test_edits_apply_in_order_to_the_edited_text():
    # The second anchor exists only once the first edit has been made.
    mutant = Mutant("m", "w", (Edit("a = 1\n", "a = 2\nb = 1\n"), Edit("b = 1\n", "b = 3\n")))
    assert mutant.apply("a = 1\n") == "a = 2\nb = 3\n"


@pytest.mark.parametrize(("source", "count", "says"), [
    ("x = 0\n", 0, "not found"),
    ("b + eta * y\nb + eta * y\n", 2, "found 2 times"),
])
def test_an_anchor_not_found_exactly_once_names_the_mutant(source, count, says):
    mutant = Mutant("m01_b_wrong_sign", "a sign slip", (Edit("b + eta * y", "b - eta * y"),))
    with pytest.raises(AnchorError) as caught:
        mutant.apply(source)
    assert caught.value.count == count
    assert str(caught.value) == f"mutant m01_b_wrong_sign: anchor 'b + eta * y' {says}" + (
        ", expected once" if count else "")


def test_every_shipped_mutant_applies_to_todays_solution():
    for toml in sorted(ROOT.glob("assignments/*/mutants.toml")):
        solution = (ROOT / "reference" / "solutions" / f"{toml.parent.name}.py").read_text(encoding="utf-8")
        for mutant in load_mutants(toml):
            assert mutant.apply(solution) != solution, mutant.name


def test_validate_reports_a_stale_anchor_as_a_failed_check(tmp_path):
    course = tmp_path / "course"
    shutil.copytree(HW3, course / "assignments" / "hw3", ignore=shutil.ignore_patterns("alternatives"))
    shutil.copytree(ROOT / "reference", course / "reference", ignore=shutil.ignore_patterns("__pycache__"))
    (course / "assignments/hw3/mutants.toml").write_text(SIGN_SLIP + '''
[[mutant]]
name = "m02_stale"
why = "written against an older solution"
[[mutant.edit]]
find = "b = b + y * eta"
replace = "b = b - y * eta"
''', encoding="utf-8")
    verdicts = {v.what: v for v in validate(load_assignment("hw3", course / "assignments"))}
    stale = verdicts["mutant:m02_stale"]
    assert not stale.ok
    assert "mutant m02_stale: anchor 'b = b + y * eta' not found" in stale.got
    assert "written against an older solution" in stale.got
    assert verdicts["mutant:m01_b_wrong_sign"].ok  # the other mutant is still built and caught
    assert verdicts["solution"].ok and verdicts["templates generated from the solution"].ok
    assert verdicts["number of mutants"].got == "2" and not verdicts["number of mutants"].ok


def test_a_mutant_only_the_hidden_tests_catch_is_named_unless_it_says_why(hw3):
    from grader.authoring.validate import _caught_publicly
    from grader.model.results import SubmissionResult, TestResult

    def graded(where: str) -> SubmissionResult:
        return SubmissionResult("hw3", "m", [TestResult("t", f"tests/{where}/test_x.py::t", 0.0, 1.0, "failed")])

    slip = Mutant("m_slip", "a slip", (Edit("a", "b"),))
    choice = Mutant("m_choice", "a choice", (Edit("a", "b"),), hidden_only="a choice answer")
    rows = _caught_publicly(hw3, [slip, slip, choice], [graded("public"), graded("hidden"), graded("hidden")])
    assert [row.ok for row in rows] == [True, False, True, False]  # the share: 1 of 3 caught
    assert rows[1].got == "passes every public test: a slip" and rows[2].got == "hidden tests only: a choice answer"
    assert rows[3].got == "1 of 3 (33%)"
