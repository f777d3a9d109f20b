"""A student's own check with the public tests (what ``grader check`` and ``grader.check()`` in a notebook
do), as functions tests call directly."""

from __future__ import annotations

import os
from pathlib import Path

from grader.grading import runner
from grader.model.assignment import load_assignment
from grader.model.loader import from_file, from_folder
from grader.model.results import Kind, Status, SubmissionResult


def check(assignment_name: str, path: Path | None = None, assignments_dir: Path | None = None,
          sandbox: str = "basic") -> SubmissionResult:
    """Grade ``path`` (a notebook, a module or a folder; default: the current folder) with the public tests."""
    assignment = load_assignment(assignment_name, assignments_dir)
    path = Path(path or Path.cwd())
    submission = from_folder(path, assignment.name, id=assignment.name) if path.is_dir() else from_file(path)
    return runner.grade(assignment, [submission], hidden=False, sandbox=sandbox)[0]


def all_public_passed(result: SubmissionResult) -> bool:
    """Every public test passed. A scratch cell that raised is a warning beside the table, not a failure:
    what is graded is the tests."""
    auto = [t for t in result.tests if t.kind == Kind.AUTO]
    return bool(auto) and all(t.status == Status.PASSED for t in auto)


def check_in_notebook(assignment_name: str, path: str | None = None) -> SubmissionResult:
    """From a notebook cell: grade the saved copy of the notebook being edited and show the table inline."""
    
    from grader.sinks.console import ResultView, make_console

    session = os.environ.get("JPY_SESSION_NAME", "")  # Jupyter sets it to the notebook's path
    if path is None and session.endswith(f"{assignment_name}.ipynb") and Path(session).is_file():
        path = session
    result = check(assignment_name, Path(path) if path else None)
    make_console().print(ResultView(result, f"{assignment_name}: public tests (save the notebook before checking)"))
    return result
