"""A student's own check with the public tests (what ``grader check`` and ``grader.check()`` in a notebook
do), as functions tests call directly."""

from __future__ import annotations

import io
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console, RenderableType

from grader.grading import runner
from grader.i18n import _, course_language, ngettext
from grader.model.assignment import Assignment, load_assignment
from grader.model.loader import LoadError, Submission, both_forms_warning, from_file, from_folder, read_cells
from grader.model.results import Kind, Status, SubmissionResult


def check(assignment_name: str, path: Path | None = None, assignments_dir: Path | None = None,
          sandbox: str = "basic") -> SubmissionResult:
    """Grade ``path`` (a notebook, a module or a folder; default: the current folder) with the public tests."""
    assignment = load_assignment(assignment_name, assignments_dir)
    path = Path(path or Path.cwd())
    with course_language(assignment.language):
        submission = _edited_form(path, assignment) if path.is_dir() else from_file(path)
        return runner.grade(assignment, [submission], hidden=False, sandbox=sandbox)[0]


def _edited_form(folder: Path, assignment: Assignment) -> Submission:
    """The student's work in a release folder, which holds both ``hwN.ipynb`` and ``hwN.py``: the form that
    differs from its template (a renamed download such as ``hwN (1).ipynb`` too), saying which was checked."""
    submission = from_folder(folder, assignment.name, id=assignment.name)
    pattern = re.compile(rf"{re.escape(assignment.name)}\b.*\.(ipynb|py)", re.IGNORECASE)
    forms = sorted((p for p in folder.iterdir() if p.is_file() and pattern.fullmatch(p.name)),
                   key=lambda p: (p.suffix.lower() != ".ipynb", len(p.name), p.name))
    templates = {p.suffix: _sources(p) for p in assignment.templates}
    edited = [p for p in forms if _sources(p) != templates.get(p.suffix.lower())]
    exact = [p for p in edited if p.name.lower() == f"{assignment.name}{p.suffix.lower()}"]
    candidates: list[Path | None] = [*exact, *edited, submission.main]
    chosen = candidates[0]
    if chosen is None or not templates:
        return submission
    submission.main = chosen
    stale = {both_forms_warning(a.name, b.name) for a in forms for b in forms}  # the folder's guess, now decided
    submission.warnings = [w for w in submission.warnings if w not in stale]
    others = [p.name for p in edited if p != chosen]
    if not edited:
        submission.warnings.append(_("no {assignment} file differs from the release's template yet; {file} was "
                                     "checked").format(assignment=assignment.name, file=chosen.name))
    elif others:
        also = ngettext("{file} was checked; {others} also differs from the template (check one by naming it: "
                        "{command})", "{file} was checked; {others} also differ from the template (check one by "
                        "naming it: {command})", len(others))
        submission.warnings.append(also.format(file=chosen.name, others=", ".join(others),
                                               command=f"grader check {assignment.name} {others[0]}"))
    if chosen.name.lower() != f"{assignment.name}{chosen.suffix.lower()}":
        submission.warnings.append(_("{file} was checked: rename it {name} before you hand it in").format(
            file=chosen.name, name=f"{assignment.name}{chosen.suffix.lower()}"))
    return submission


def _sources(path: Path) -> list[str] | None:
    """What a form of the work holds, as code and text (a notebook's outputs and metadata left out)."""
    try:
        return [cell.source for cell in read_cells(from_file(path))]
    except (LoadError, OSError, ValueError):
        return None


def all_public_passed(result: SubmissionResult) -> bool:
    """Every public test passed. A scratch cell that raised is a warning beside the table, not a failure:
    what is graded is the tests."""
    auto = [t for t in result.tests if t.kind == Kind.AUTO]
    return bool(auto) and all(t.status == Status.PASSED for t in auto)


@dataclass(frozen=True)
class CheckReport:
    """What ``grader.check()`` returns: it shows as the table (HTML in Jupyter, text in a terminal), and
    reads as the result itself (``report.auto_score``; ``report.result`` is the ``SubmissionResult``)."""

    result: SubmissionResult
    title: str
    language: str | None = None  # the course's: the report is shown in it, whenever it is shown

    @property
    def passed(self) -> bool:
        return all_public_passed(self.result)

    def __getattr__(self, name: str) -> Any:
        # Everything a result has (``auto_score``, ``tests``, ...), as when grader.check() returned the result.
        if name == "result":  # not set yet (a copy being built): no recursion
            raise AttributeError(name)
        return getattr(self.result, name)

    def __rich__(self) -> RenderableType:
        from grader.sinks.console import ResultView

        return ResultView(self.result, self.title, language=self.language)

    def _render(self, width: int = 110) -> Console:
        # Not Jupyter's own display: this console only records, for the two representations below.
        console = Console(record=True, file=io.StringIO(), width=width, color_system="truecolor", force_jupyter=False)
        console.print(self)
        return console

    def _repr_html_(self) -> str:
        # Rich escapes every text it exports: nothing the submission returned or printed becomes markup.
        return self._render().export_html(inline_styles=True, code_format=NOTEBOOK_HTML)

    def __repr__(self) -> str:
        return self._render().export_text()


NOTEBOOK_HTML = '<pre style="font-family: Menlo, Consolas, monospace; line-height: 1.3">{code}</pre>'


def check_in_notebook(assignment_name: str, path: str | None = None) -> CheckReport:
    """From a notebook cell: grade the saved copy of the notebook being edited. Returned, it shows as the
    table; a kernel that ran code the saved file does not hold is told to save first."""
    session = os.environ.get("JPY_SESSION_NAME", "")  # Jupyter sets it to the notebook's path
    if path is None and session.endswith(f"{assignment_name}.ipynb") and Path(session).is_file():
        path = session
    result = check(assignment_name, Path(path) if path else None)
    language = load_assignment(assignment_name).language
    with course_language(language):
        title = _("{assignment}: public tests (of the saved file)").format(assignment=assignment_name)
        if path and Path(path).suffix == ".ipynb" and _ran_unsaved_code(Path(path)):
            result.warnings.insert(0, _("this kernel ran code that the saved notebook does not hold: save it "
                                        "(Ctrl-S / ⌘-S) and check again — the saved file is what is checked and "
                                        "handed in"))
    report = CheckReport(result, title, language)
    if _shell() is None:  # a script or a terminal: nothing displays a returned value
        from grader.sinks.console import make_console

        make_console().print(report)
    return report


def _shell() -> object | None:
    """The IPython shell this runs in, if any."""
    return getattr(sys.modules.get("IPython"), "get_ipython", lambda: None)()


def _ran_unsaved_code(notebook: Path) -> bool:
    """Whether the running IPython kernel executed a cell whose code the saved ``notebook`` does not hold."""
    ran = getattr(getattr(_shell(), "history_manager", None), "input_hist_raw", None)
    if not ran:
        return False
    import nbformat  # only inside a notebook's kernel: ~0.1 s that `grader check` in a shell never pays

    try:
        saved = {cell.source.strip() for cell in nbformat.read(notebook, as_version=4).cells}
    except (OSError, ValueError):
        return False
    return any(code.strip() not in saved for code in ran if code.strip() and "check(" not in code)
