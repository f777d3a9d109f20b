"""``grader.check("hw3")`` in a real Jupyter kernel (nbclient + ipykernel): it shows as the table, not as
``SubmissionResult(...)``, and tells the student to save when the kernel ran code the saved file lacks."""

from __future__ import annotations

import nbformat
import pytest

from grader.authoring.release import build_release
from grader.model.assignment import load_assignment
from tests.conftest import ROOT

nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

SOLUTION = ROOT / "submissions/hw3/2024011234_zhang_wei/hw3.ipynb"
CHECK = 'import grader\ngrader.check("hw3", "hw3.ipynb")'


@pytest.fixture
def release(tmp_path):
    dest = tmp_path / "release"
    build_release(load_assignment("hw3", ROOT / "assignments"), dest)
    return dest


def run(notebook: nbformat.NotebookNode, folder) -> dict:
    """Execute ``notebook`` in a fresh kernel in ``folder``; the check cell's display data."""
    notebook.cells.append(nbformat.v4.new_code_cell(CHECK))
    nbclient.NotebookClient(notebook, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(folder)}}
                            ).execute()
    outputs = notebook.cells[-1].outputs
    assert [o.output_type for o in outputs] == ["execute_result"], outputs
    return outputs[0].data


def test_the_check_shows_as_a_table_in_the_notebook(release):
    saved = nbformat.read(SOLUTION, as_version=4)
    nbformat.write(saved, release / "hw3.ipynb")
    data = run(saved, release)
    assert "text/html" in data and "SubmissionResult(" not in data["text/plain"]
    assert "hw3: public tests" in data["text/html"] and "✔" in data["text/html"]
    assert "save it" not in data["text/plain"]


def test_code_the_saved_file_does_not_hold_is_named(release):
    # The file on disk is still the template; the kernel runs the finished notebook: unsaved work.
    data = run(nbformat.read(SOLUTION, as_version=4), release)
    assert "this kernel ran code that the saved notebook does not hold" in data["text/plain"]


def test_the_report_reads_as_the_result():
    from grader.grading.check import CheckReport
    from grader.model.results import Kind, Status, SubmissionResult, TestResult

    result = SubmissionResult("hw3", "hw3", [TestResult("t", "t::t", 1.0, 1.0, Status.PASSED, kind=Kind.AUTO)])
    report = CheckReport(result, "hw3: public tests")
    assert (report.auto_score, report.tests, report.passed) == (1.0, result.tests, True)
    assert "hw3: public tests" in repr(report) and "1 / 1" in repr(report)
