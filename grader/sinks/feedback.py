"""Feedback pages: a student's own notebook (or module, shown as code) with each test's result inserted
right after the cell that defines what the test looked at.

Where a result goes: a test is mapped to the names of the submission it reads, found by scanning the
test function's source (and the functions of its file it calls) for ``submission.NAME`` and
``getattr(submission, "NAME")``; a manual question is its own name. The result is inserted after the
last cell that defines the last of those names, i.e. where the answer the test saw stands. Results that
cannot be placed (the name is never defined, the file cannot be read) are listed at the end.

Who sees what follows Gradescope: ``visible`` results always; ``hidden`` never (not even their
names); ``after_due_date`` once the due date has passed; ``after_published`` once grades are published
(which implies the due date has passed). The score of withheld tests is withheld with them.

Everything the submission wrote is hostile: the page is built here from the cells' sources and stored
outputs (no attachments, metadata or scripts), every string is escaped, and every fragment made from the
submission (markdown, code, outputs, messages) passes through ``grader.sinks.safehtml.clean``. The page loads
nothing and runs no script (math is MathML), so it also works offline.
"""

from __future__ import annotations

import ast
import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import jinja2
import nbformat
from markupsafe import Markup

from grader.i18n import _, course_language, current
from grader.model.assignment import Assignment
from grader.model.loader import LoadError, Submission, bound_names, neutralize_magics, read_cells
from grader.model.results import Kind, Status, SubmissionResult, TestResult, file_stem
from grader.sinks.safehtml import clean, markdown_html

STATUS_MARK = {"passed": "✔", "failed": "✘", "error": "✘", "timeout": "⏱", "pending": "✎", "graded": "✎"}
STATUS_COLOUR = {"passed": "#1a7f37", "pending": "#6e7781", "graded": "#1a7f37"}  # anything else: red
FAILURE_COLOUR = "#cf222e"
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


@dataclass(frozen=True)
class Block:
    kind: str  # "code" or "markdown"
    source: str
    outputs: tuple[object, ...] = ()  # a notebook code cell's stored outputs, as nbformat read them


# -- which names each test reads ------------------------------------------------------------------------
def _reads(function: ast.AST, fixture: str = "submission") -> set[str]:
    names = set()
    for node in ast.walk(function):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == fixture:
            names.add(node.attr)
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "getattr"
              and len(node.args) >= 2 and isinstance(node.args[0], ast.Name) and node.args[0].id == fixture
              and isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str)):
            names.add(node.args[1].value)
    return names


def _called(function: ast.AST) -> set[str]:
    return {n.func.id for n in ast.walk(function) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}


def names_read_by_tests(assignment: Assignment) -> dict[str, set[str]]:
    """``{nodeid without parameters: names of the submission the test reads}`` for every test function;
    a helper of the same file that the test calls counts, whatever it calls its parameter."""
    found: dict[str, set[str]] = {}
    for folder in (assignment.public_tests, assignment.hidden_tests):
        for path in sorted(folder.rglob("test_*.py")) if folder.is_dir() else []:
            tree = ast.parse(path.read_text(encoding="utf-8"))
            helpers = {n.name: n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
            prefix = path.relative_to(assignment.root).as_posix()
            scopes = [(f"{prefix}::", tree.body)] + [(f"{prefix}::{n.name}::", n.body) for n in tree.body
                                                      if isinstance(n, ast.ClassDef)]
            for where, body in scopes:
                for node in body:
                    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test"):
                        found[where + node.name] = _reads_through_helpers(node, helpers)
    return found


def _reads_through_helpers(test: ast.AST, helpers: dict[str, ast.FunctionDef | ast.AsyncFunctionDef]) -> set[str]:
    names, seen, queue = _reads(test), set(), list(_called(test))
    while queue:
        name = queue.pop()
        if name in helpers and name not in seen:
            seen.add(name)
            helper = helpers[name]
            names |= set().union(*(_reads(helper, a.arg) for a in helper.args.args)) if helper.args.args else set()
            queue += _called(helper)
    return names


def names_of(test: TestResult, mapping: dict[str, set[str]]) -> set[str]:
    if test.kind == "manual":
        return {test.nodeid.split("::", 1)[-1]}
    return mapping.get(test.nodeid.split("[", 1)[0], set())


# -- the submission as blocks ---------------------------------------------------------------------------
def defined_names(source: str) -> set[str]:
    """Names a piece of code binds at top level (functions, classes, assignments, imports)."""
    try:
        return bound_names(ast.parse(source).body, imports=True)
    except (SyntaxError, ValueError):
        return set()


def _module_blocks(source: str) -> list[Block]:
    """One block per top-level statement (with the comments and blank lines above it), so a result can
    sit right below a definition; blocks with no result between them are joined again by ``_merge``."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return [Block("code", source)]
    if not tree.body:
        return [Block("code", source)]
    lines = source.split("\n")
    ends = [node.end_lineno for node in tree.body[:-1]] + [len(lines)]
    starts = [0] + ends[:-1]
    return [Block("code", "\n".join(lines[start:end])) for start, end in zip(starts, ends)]


def submission_blocks(submission: Submission) -> list[Block]:
    """The submission's cells as written. Raises LoadError when the file cannot be read at all."""
    cells = read_cells(submission)  # the loader's checks: size, binary, encoding, a readable notebook
    if submission.kind == "module":
        return _module_blocks(cells[0].source)
    assert submission.main is not None  # a notebook: kind says so only when there is a main file
    text = submission.main.read_bytes().decode("utf-8-sig")
    blocks = []
    for cell in nbformat.reads(text, as_version=4).cells:
        source = cell.get("source", "")
        source = "".join(map(str, source)) if isinstance(source, list) else str(source)
        if cell.get("cell_type") == "markdown":
            if source.strip():
                blocks.append(Block("markdown", source))
        elif source.strip() or cell.get("outputs"):
            outputs = cell.get("outputs")
            blocks.append(Block("code", source, tuple(outputs) if isinstance(outputs, list) else ()))
    return blocks


def place(blocks: list[Block], tests: list[TestResult], mapping: dict[str, set[str]]) -> dict[int, list[TestResult]]:
    """``{block index: results shown after it}``; index ``len(blocks)`` collects what has no place."""
    last_definition: dict[str, int] = {}
    for index, block in enumerate(blocks):
        if block.kind == "code":
            for name in defined_names(neutralize_magics(block.source)):
                last_definition[name] = index
    placed: dict[int, list[TestResult]] = {}
    for test in tests:
        spots = [last_definition[n] for n in names_of(test, mapping) if n in last_definition]
        placed.setdefault(max(spots) if spots else len(blocks), []).append(test)
    return placed


# -- HTML of the results --------------------------------------------------------------------------------
def _text(value: str) -> str:
    return html.escape(value, quote=True)


def _pre(value: str) -> str:
    return clean(f"<pre>{_text(value)}</pre>")


def _joined(value: object) -> str:
    """A notebook's multiline string (a string or a list of strings); anything else a hostile file may
    hold there is nothing."""
    if isinstance(value, list):
        return "".join(v for v in value if isinstance(v, str))
    return value if isinstance(value, str) else ""


def output_html(output: object) -> str:
    """A stored output of the notebook, sanitized: a PNG or JPEG image, else HTML, else markdown, else
    the text. SVG (it can carry script), JavaScript and widgets are never shown; a figure stored only as
    SVG shows its text (``<Figure size ...>``)."""
    if not isinstance(output, dict):
        return ""
    kind = output.get("output_type")
    if kind == "stream":
        return _pre(_ANSI.sub("", _joined(output.get("text"))))
    if kind == "error":
        traceback = output.get("traceback")
        lines = [t for t in traceback if isinstance(t, str)] if isinstance(traceback, list) else []
        error = "\n".join(lines) or f"{_joined(output.get('ename'))}: {_joined(output.get('evalue'))}"
        return _pre(_ANSI.sub("", error))
    data = output.get("data")
    data = data if isinstance(data, dict) else {}
    for mime in ("image/png", "image/jpeg"):
        if image := "".join(_joined(data.get(mime)).split()):
            return clean(f'<img alt="output" src="data:{mime};base64,{_text(image)}">')
    if text := _joined(data.get("text/html")):
        return clean(text)
    if text := _joined(data.get("text/markdown")):
        return markdown_html(text)
    if text := _joined(data.get("text/plain")):
        return _pre(_ANSI.sub("", text))
    return ""


def _points(value: float) -> str:
    return f"{value:g}"


def result_html(test: TestResult) -> str:
    colour = STATUS_COLOUR.get(test.status, FAILURE_COLOUR)
    score = f"{_points(test.score)} / {_points(test.max_score)}"
    if test.status == "pending":
        score = _("— / {points}, graded by hand").format(points=_points(test.max_score))
    parts = [f'<div style="border-left:4px solid {colour};padding:4px 10px;margin:6px 0;background:#f6f8fa">',
             f'<b style="color:{colour}">{STATUS_MARK.get(test.status, "?")} {_text(_(test.status))}</b> ',
             f"<b>{_text(score)}</b> — {_text(test.name)}"]
    if test.kind == Kind.MANUAL and test.answer is not None:
        parts.append(f"<div>{_text(_('Your answer:'))}</div>{_pre(test.answer)}")
    if test.status == Status.GRADED and test.message:
        parts.append(f"<div>{_text(_('Comment:'))}</div>{_pre(test.message)}")
    elif test.message and test.status != Status.GRADED:
        parts.append(_pre(test.message))
    if test.kind == Kind.AUTO and (details := test.details):
        parts.append(f"<details><summary>{_text(_('details'))}</summary>{_pre(details)}</details>")
    return "".join(parts) + "</div>"


def shown(test: TestResult, after_due_date: bool = False, published: bool = False) -> bool:
    """Whether the student may see this result now (Gradescope's four visibilities)."""
    return {"visible": True, "hidden": False, "after_due_date": after_due_date or published,
            "after_published": published}.get(test.visibility, False)


def header_html(result: SubmissionResult, tests: list[TestResult], note: str = "") -> str:
    auto = [t for t in tests if t.kind == "auto"]
    withheld = [t for t in result.tests if t.kind == "auto" and t not in tests]
    manual = [t for t in tests if t.kind == "manual"]
    got, out_of = sum(t.score for t in auto), sum(t.max_score for t in auto)
    lines = [f"<h1>{_text(result.assignment)} — {_text(result.submission)}</h1>",
             "<p><b>" + _text(_("Auto-graded: {score}").format(score=f"{_points(round(got, 6))} / "
                                                                      f"{_points(round(out_of, 6))}")) + "</b>"]
    if withheld:
        lines.append(_text(_(" (from the tests shown; {count} more test(s) worth {points} point(s) are not shown)")
                           .format(count=len(withheld), points=_points(sum(t.max_score for t in withheld)))))
    if manual:
        pending = sum(t.status == "pending" for t in manual)
        by_hand = _("Graded by hand: {score}").format(
            score=f"{_points(sum(t.score for t in manual))} / {_points(sum(t.max_score for t in manual))}")
        lines.append(f"<br><b>{_text(by_hand)}</b>"
                     + (_text(_(" ({count} question(s) not graded yet)").format(count=pending)) if pending else ""))
    if not withheld and not any(t.status == "pending" for t in manual):
        total = _("Total: {score}").format(score=f"{_points(result.score)} / {_points(result.max_score)}")
        lines.append(f"<br><b>{_text(total)}</b>")
    lines.append("</p>")
    for error in result.load_errors:
        running = _("While running your work ({where}): {error}").format(where=error["where"], error=error["error"])
        lines.append(f'<div style="color:{FAILURE_COLOUR}"><b>{_text(running)}</b></div>'
                     f'{_pre(error["traceback"]) if error["traceback"] else ""}')
    lines += [f"<div>⚠ {_text(warning)}</div>" for warning in result.warnings]
    if note:
        lines.append(f"<div>⚠ {_text(note)}</div>")
    return "".join(lines)


# -- the page -------------------------------------------------------------------------------------------
def block_html(block: Block) -> str:
    """A cell, in a ``cell`` element: what is inside came from the submission and is sanitized."""
    if block.kind == "markdown":
        return f'<div class="cell markdown">{markdown_html(block.source)}</div>'
    source = block.source.strip("\n")
    parts = [clean(f"<pre><code>{_text(source)}</code></pre>")] if source.strip() else []
    if outputs := "".join(output_html(o) for o in block.outputs):
        parts.append(f'<div class="outputs">{outputs}</div>')
    return f'<div class="cell code">{"".join(parts)}</div>'


def feedback_body(result: SubmissionResult, submission: Submission | None, mapping: dict[str, set[str]],
                  after_due_date: bool = False, published: bool = False) -> str:
    tests = [t for t in result.tests if shown(t, after_due_date, published)]
    note = ""
    try:
        blocks = submission_blocks(submission) if submission is not None else []
        if submission is None:
            note = _("the submitted files were not found; only the results are shown")
    except LoadError as exc:
        blocks, note = [], _("your work cannot be shown: {error}").format(error=exc)
    placed = place(blocks, tests, mapping)
    if submission is not None and submission.kind == "module":
        blocks, placed = _merge(blocks, placed)
    parts = [header_html(result, tests, note)]
    for index, block in enumerate(blocks):
        parts.append(block_html(block))
        parts += [result_html(t) for t in placed.get(index, [])]
    if rest := placed.get(len(blocks)):
        parts.append("<h2>Other results</h2>")
        parts += [result_html(t) for t in rest]
    return "\n".join(parts)


def _merge(blocks: list[Block], placed: dict[int, list[TestResult]]) -> tuple[list[Block], dict[int, list[TestResult]]]:
    """Join a module's statements back into as few code cells as the results allow."""
    merged: list[Block] = []
    moved: dict[int, list[TestResult]] = {}
    pending: list[str] = []
    for index, block in enumerate(blocks):
        pending.append(block.source)
        if index in placed or index == len(blocks) - 1:
            merged.append(Block("code", "\n".join(pending)))
            pending = []
            if index in placed:
                moved[len(merged) - 1] = placed[index]
    if len(blocks) in placed:
        moved[len(merged)] = placed[len(blocks)]
    return merged, moved


class FeedbackWriter:
    """Renders pages with one template (loaded once)."""

    def __init__(self, assignment: Assignment, after_due_date: bool = False, published: bool = False) -> None:
        self.mapping = names_read_by_tests(assignment)
        self.after_due_date = after_due_date
        self.published = published
        env = jinja2.Environment(loader=jinja2.PackageLoader("grader.sinks", "templates"), autoescape=True,
                                 undefined=jinja2.StrictUndefined)
        self.template = env.get_template("feedback.html.j2")
        self.language = assignment.language

    def html(self, result: SubmissionResult, submission: Submission | None) -> str:
        with course_language(self.language):
            body = feedback_body(result, submission, self.mapping, self.after_due_date, self.published)
            title = _("{assignment} feedback: {submission}").format(assignment=result.assignment,
                                                                     submission=result.submission)
            return self.template.render(title=title, body=Markup(body), lang=current())

    def write(self, result: SubmissionResult, submission: Submission | None, folder: Path) -> Path:
        path = Path(folder) / f"{file_stem(result.submission)}.html"
        path.write_text(self.html(result, submission), encoding="utf-8")
        return path


def write_feedback(assignment: Assignment, results: Iterable[SubmissionResult], submissions: list[Submission],
                   folder: Path, after_due_date: bool = False, published: bool = False) -> list[Path]:
    """One page per result, named after the submission; results without submitted files still get one."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    writer = FeedbackWriter(assignment, after_due_date, published)
    by_id = {s.id: s for s in submissions}
    return [writer.write(result, by_id.get(result.submission), folder) for result in results]
