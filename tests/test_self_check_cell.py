"""A student's own check left in the work (the README's ``import grader; grader.check("hw3")`` cell,
``!grader check hw3``) does nothing while grading: the same marks as without it, in both sandboxes."""

from __future__ import annotations

import json

from grader.grading import runner
from grader.jail.backends import open_backend
from grader.model.discovery import discover
from tests.conftest import FULL_AUTO, ROOT, write_class

ITS_AUTO = FULL_AUTO - 1  # the sample class's README: the notebook's perceptron_train misses one boundary case

NOTEBOOK = ROOT / "submissions/hw3/2024011234_zhang_wei/hw3.ipynb"
SELF_CHECK_CELLS = ['import grader\ngrader.check("hw3")', "!grader check hw3", "from grader import check\ncheck('hw3')"]


def with_self_check(notebook: str) -> str:
    data = json.loads(notebook)
    data["cells"] += [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": cell}
                      for cell in SELF_CHECK_CELLS]
    return json.dumps(data)


def graded_pair(tmp_path, assignment, backend) -> dict:
    plain = NOTEBOOK.read_text(encoding="utf-8")
    folder = write_class(tmp_path / "class", {"plain/hw3.ipynb": plain, "checked/hw3.ipynb": with_self_check(plain)})
    return {r.submission: r for r in runner.grade(assignment, discover(folder, "hw3"), backend=backend)}


def assert_same_marks(results: dict) -> None:
    plain, checked = results["plain"], results["checked"]
    assert plain.auto_score == ITS_AUTO
    assert [(t.name, t.status, t.score) for t in checked.tests] == [(t.name, t.status, t.score) for t in plain.tests]
    assert checked.load_errors == plain.load_errors == []
    assert any("grader.check" in w and "costs nothing" in w for w in checked.warnings)
    assert not any("grader.check" in w for w in plain.warnings)


def test_a_self_check_cell_costs_nothing_in_basic_mode(tmp_path, hw3, backend):
    assert_same_marks(graded_pair(tmp_path, hw3, backend))


def test_a_self_check_cell_costs_nothing_in_strict_mode(tmp_path, hw3, strict_available):
    strict = open_backend("strict")
    try:
        assert_same_marks(graded_pair(tmp_path, hw3, strict))
    finally:
        strict.close()
