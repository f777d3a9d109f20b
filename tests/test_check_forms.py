"""``grader check hwN`` in a release folder, which holds both forms of the work: it checks the one the
student edited, and says so."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from grader.authoring.release import build_release
from grader.grading.check import check
from grader.model.assignment import load_assignment
from tests.conftest import ROOT

SOLUTION = (ROOT / "reference" / "solutions" / "hw3.py").read_text(encoding="utf-8")


@pytest.fixture
def release(tmp_path):
    dest = tmp_path / "release"
    build_release(load_assignment("hw3", ROOT / "assignments"), dest)
    return dest


def checked(release):
    result = check("hw3", release, release / "assignments")
    return result.auto_score == result.auto_max_score, result.warnings


def test_the_module_a_student_filled_is_checked_not_the_untouched_notebook(release):
    (release / "hw3.py").write_text(SOLUTION, encoding="utf-8")
    full, warnings = checked(release)
    assert full and warnings == []


def test_when_both_forms_were_edited_the_check_says_which_and_how_to_choose(release):
    (release / "hw3.py").write_text(SOLUTION, encoding="utf-8")
    notebook = release / "hw3.ipynb"
    notebook.write_text(notebook.read_text(encoding="utf-8").replace("TABLE = [", "TABLE = [  # started"), "utf-8")
    full, warnings = checked(release)
    assert not full  # the notebook comes first, and it is still a stub
    assert warnings == [("hw3.ipynb was checked; hw3.py also differs from the template "
                         "(check one by naming it: grader check hw3 hw3.py)")]


def test_a_renamed_download_is_found_and_named(release):
    shutil.copy(release / "hw3.ipynb", release / "hw3 (1).ipynb")
    (release / "hw3 (1).ipynb").write_text(
        (release / "hw3.ipynb").read_text(encoding="utf-8").replace("TABLE = [", "TABLE = [  # mine"), "utf-8")
    _, warnings = checked(release)
    assert warnings == ["hw3 (1).ipynb was checked: rename it hw3.ipynb before you hand it in"]


def test_nothing_edited_yet_checks_the_notebook_and_says_so(release):
    full, warnings = checked(release)
    assert not full and warnings == ["no hw3 file differs from the release's template yet; hw3.ipynb was checked"]


def test_the_verb_shows_the_warning(release):
    (release / "hw3.py").write_text(SOLUTION, encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "grader", "check", "hw3"], cwd=release, capture_output=True,
                         text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
