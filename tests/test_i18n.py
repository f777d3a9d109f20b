"""Chinese and English: which language wins, the catalogs complete and compiled, and the verbs speaking the
course's language as a student meets them."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from grader import i18n
from grader.authoring.translations import catalogs_of_tests, framework_catalogs, problems, update
from grader.checks import assert_close
from grader.model.assignment import assignment_names, load_assignment
from grader.model.results import validate
from tests.conftest import ROOT, mutant_source

ASSIGNMENTS = ROOT / "assignments"


def run_grader(*args: str, cwd: Path, lang: str | None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "GRADER_LANG"} | {"COLUMNS": "200"}
    if lang is not None:
        env["GRADER_LANG"] = lang
    return subprocess.run([sys.executable, "-m", "grader", "--assignments", str(ASSIGNMENTS), *args], cwd=cwd,
                          env=env, capture_output=True, text=True, timeout=300, check=False)


@pytest.fixture
def speaking(monkeypatch):
    """Set the language the way a user does: ``speaking(env=..., chosen=...)``."""
    def speak(env: str | None = None, chosen: str | None = None) -> None:
        if env is None:
            monkeypatch.delenv("GRADER_LANG", raising=False)
        else:
            monkeypatch.setenv("GRADER_LANG", env)
        i18n.choose(chosen)

    yield speak
    i18n.choose(None)


def test_the_command_line_wins_then_the_environment_then_the_course(speaking):
    speaking(env=None)
    assert i18n.current() == "en"
    with i18n.course_language("zh"):
        assert i18n.current() == "zh"
        speaking(env="en_US.UTF-8")
        assert i18n.current() == "en"
        speaking(env="en", chosen="zh-CN")
        assert i18n.current() == "zh"
    speaking(env=None)
    assert i18n.current() == "en"  # the course's language ends with its tests


def test_a_message_is_translated_when_it_is_made_and_falls_back_to_english(speaking):
    speaking(env="zh")
    assert i18n._("passed") == "通过"
    speaking(env="fr")  # no catalog: English, not an error
    assert i18n._("passed") == "passed"
    speaking(env="zh")
    plural = i18n.ngettext("{file} was checked; {others} also differs from the template (check one by naming it: "
                           "{command})", "{file} was checked; {others} also differ from the template (check one by "
                           "naming it: {command})", 2)
    assert plural.startswith("检查的是 {file}")


def test_the_packages_catalogs_translate_every_message_and_are_compiled():
    catalogs = framework_catalogs()
    assert "zh" in catalogs.languages() and "zh" in i18n.languages()
    assert problems(catalogs, catalogs.languages()) == []


@pytest.mark.parametrize("name", assignment_names(ASSIGNMENTS))
def test_every_message_of_the_tests_has_the_courses_language(name):
    assignment = load_assignment(name, ASSIGNMENTS)
    for folder in (assignment.public_tests, assignment.hidden_tests):
        catalogs = catalogs_of_tests(folder)
        assert problems(catalogs, [assignment.language]) == []


def test_the_check_finds_an_untranslated_message_a_stale_catalog_and_a_changed_placeholder(tmp_path):
    (tmp_path / "test_x.py").write_text(
        'from grader.checks import translations\n_ = translations(__file__)\n\n'
        'def test_row(submission):\n    """the rows follow the rules"""\n'
        '    raise AssertionError(_("row {row} is wrong").format(row=1))\n', encoding="utf-8")
    catalogs = catalogs_of_tests(tmp_path)
    update(catalogs, ["zh"])
    found = problems(catalogs, ["zh"])
    assert any("'row {row} is wrong': not translated" in p for p in found)
    assert any("'the rows follow the rules': not translated" in p for p in found)  # the test's name too
    po = catalogs.po("zh")
    po.write_text(po.read_text(encoding="utf-8").replace(
        'msgid "row {row} is wrong"\nmsgstr ""', 'msgid "row {row} is wrong"\nmsgstr "第 {line} 行错了"'),
        encoding="utf-8")
    found = problems(catalogs, ["zh"])
    assert any("placeholders differ" in p for p in found) and any("not the compiled" in p for p in found)


def test_hints_name_the_known_mistakes_in_either_language(speaking):
    speaking(env="en")
    want = np.array([[1.0, -2.0], [3.0, 0.5]])
    cases = {"the sign is flipped": -want, "off by the same factor (4)": want * 4,
             "off by the same factor (0.25)": want / 4, "transposed": want.T,
             "f'(z) is missing": want + 1}
    for hint, got in cases.items():
        with pytest.raises(AssertionError) as raised:
            assert_close(got, want, name="delta", mistakes={"f'(z) is missing": want + 1})
        assert hint in str(raised.value), (hint, str(raised.value))
    with pytest.raises(AssertionError) as raised:
        assert_close(want + np.array([[0, 0], [0, 7.0]]), want, name="delta")
    assert " — " not in str(raised.value)  # no pattern: no hint
    speaking(env="zh")
    with pytest.raises(AssertionError) as raised:
        assert_close(want * 4, want, name="delta")
    assert "应为" in str(raised.value) and "倍数" in str(raised.value)


@pytest.fixture
def wrong_hw3(tmp_path) -> Path:
    (tmp_path / "hw3.py").write_text(mutant_source("hw3", "m01_b_wrong_sign"), encoding="utf-8")
    return tmp_path


def test_grader_check_speaks_the_courses_chinese_unless_told_otherwise(wrong_hw3):
    course = run_grader("check", "hw3", "hw3.py", cwd=wrong_hw3, lang=None)
    assert course.returncode == 1
    assert "公开测试" in course.stdout and "未通过" in course.stdout and "应为" in course.stdout, course.stdout
    assert "failed" not in course.stdout
    told = run_grader("check", "hw3", "hw3.py", cwd=wrong_hw3, lang="zh")
    assert "未通过" in told.stdout
    english = run_grader("check", "hw3", "hw3.py", "--lang", "en", cwd=wrong_hw3, lang="zh")
    assert english.returncode == 1 and "public tests" in english.stdout and "expected" in english.stdout
    assert "未通过" not in english.stdout


def test_workers_and_feedback_pages_speak_the_language_asked_for(wrong_hw3, tmp_path):
    klass = tmp_path / "class"
    for student in ("li", "wang"):
        (klass / student).mkdir(parents=True)
        shutil.copy(wrong_hw3 / "hw3.py", klass / student / "hw3.py")
    out = tmp_path / "out"
    graded = run_grader("grade", "hw3", str(klass), "--out", str(out), "--workers", "2", cwd=tmp_path, lang="zh")
    assert graded.returncode == 0, graded.stderr
    result = json.loads((out / "li.json").read_text(encoding="utf-8"))
    validate(result)
    assert any("应为" in t["message"] for t in result["tests"])
    pages = tmp_path / "pages"
    shown = run_grader("feedback", "hw3", str(out), str(klass), "-o", str(pages), cwd=tmp_path, lang=None)
    assert shown.returncode == 0, shown.stderr
    page = (pages / "li.html").read_text(encoding="utf-8")
    assert '<html lang="zh">' in page and "自动评分" in page
