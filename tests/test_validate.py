"""``grader validate``'s static checks: name parity between solution and templates, and the points the
statement promises against the points grading gives."""

from __future__ import annotations

import dataclasses
import shutil

from grader.authoring.validate import _same_names, _stated_points, top_level_names
from grader.model.results import SubmissionResult
from grader.model.results import TestResult as Outcome
from tests.conftest import ROOT

HW3 = ROOT / "assignments" / "hw3"


def graded(auto: float, manual: float) -> SubmissionResult:
    tests = [Outcome(name="t", nodeid="t", score=auto, max_score=auto, status="passed", message="")]
    if manual:
        tests.append(Outcome(name="m", nodeid="m", score=0, max_score=manual, status="pending", kind="manual",
                                message=""))
    return SubmissionResult(assignment="hw3", submission="solution", tests=tests)


def test_template_names_match_the_solution_in_both_forms(hw3):
    expected = {"TABLE", "FINAL_W", "FINAL_B", "is_misclassified", "perceptron_step", "perceptron_train",
                "Q3_NONSEP"}
    for template in hw3.templates:
        assert expected <= top_level_names(template)
        assert _same_names(hw3.solution, template).ok


def test_a_renamed_stub_is_reported(tmp_path, hw3):
    template = tmp_path / "hw3.py"
    template.write_text((HW3 / "template" / "hw3.py").read_text(encoding="utf-8")
                        .replace("def perceptron_step(", "def perceptron_update("), encoding="utf-8")
    verdict = _same_names(hw3.solution, template)
    assert not verdict.ok
    assert "missing: perceptron_step" in verdict.got and "extra: perceptron_update" in verdict.got


def test_stated_points_must_match_what_grading_gives(tmp_path, hw3):
    assert all(v.ok for v in _stated_points(hw3, graded(14, 2)))
    wrong = [v for v in _stated_points(hw3, graded(13, 2)) if not v.ok]
    assert [v.what for v in wrong] == ["auto points in the statement"]
    assert wrong[0].got == "states 14"

    course = tmp_path / "course"
    shutil.copytree(HW3, course / "assignments" / "hw3", ignore=shutil.ignore_patterns("mutants.toml", "alternatives"))
    solution = course / "reference" / "solutions" / "hw3.py"
    solution.parent.mkdir(parents=True)
    solution.write_text("# %% [markdown]\n# 分值：自动评分若干。\n", encoding="utf-8")
    silent = dataclasses.replace(hw3, root=course / "assignments" / "hw3")
    assert [(v.what, v.got, v.ok) for v in _stated_points(silent, graded(14, 0))] == \
        [("auto points in the statement", "not stated", False)]


def test_templates_verb_rewrites_a_stale_template(tmp_path):
    from grader.cli import main

    course = tmp_path / "course"
    shutil.copytree(HW3, course / "assignments" / "hw3", ignore=shutil.ignore_patterns("mutants.toml", "alternatives"))
    (course / "reference" / "solutions").mkdir(parents=True)
    shutil.copy(ROOT / "reference" / "solutions" / "hw3.py", course / "reference" / "solutions" / "hw3.py")
    module = course / "assignments" / "hw3" / "template" / "hw3.py"
    module.write_text("# edited by hand\n", encoding="utf-8")
    assert main(["--assignments", str(course / "assignments"), "templates"]) == 0
    assert module.read_text(encoding="utf-8") == (HW3 / "template" / "hw3.py").read_text(encoding="utf-8")
