"""What students get for an assignment, and the proof that nothing secret is in it.

A release is a folder a student can unpack and work in::

    README.md                      the statement (the template's markdown) and how to check
    hwN.ipynb, hwN.py              the templates: work in one of them
    assignments/hwN/assignment.toml    limits and the manual questions' points (no rubric paths)
    assignments/hwN/template/…     the templates again: ``load_assignment`` reads placeholders from them
    assignments/hwN/tests/public/… the public tests

``grader check hwN`` run inside it finds ``assignments/`` from the current folder, so the release needs
nothing but the ``grader`` package. Rubrics stay with the course staff: the statement already states
each manual question's points, and a rubric is an answer key.

Before anything reaches the destination, every released text is searched for the *content* of what must
not leak: the bodies of the hidden tests' functions and their top-level constants, the source of every
function and constant in ``reference/``, and every ``### BEGIN SOLUTION`` … ``### END SOLUTION`` block.
Code is compared in a normal form (parsed, unparsed, whitespace removed), so reformatting, renaming
comments or moving code into a notebook cell does not hide it.
"""

from __future__ import annotations

import ast
import gettext
import json
import re
import shutil
import tempfile
import textwrap
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import nbformat

from grader.authoring.mutants import MUTANTS_FILE
from grader.authoring.templates import split_cells, template_module
from grader.model.assignment import Assignment, load_assignment

# Shorter normal forms (``return x``, ``pass``) are everywhere and would be false alarms.
MIN_FINGERPRINT = 24
SECRET_FOLDERS = {"hidden", "reference", "solutions", "rubric", "mutants", "alternatives"}
SECRET_FILES = {MUTANTS_FILE}  # its anchors quote the solution, a line or two at a time (too short to fingerprint)
_SOLUTION_BLOCK = re.compile(r"^[ \t]*### BEGIN SOLUTION[ \t]*\n(.*?)^[ \t]*### END SOLUTION[ \t]*$",
                             re.MULTILINE | re.DOTALL)
_FENCE = re.compile(r"^```[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


@dataclass(frozen=True)
class Secret:
    origin: str  # where it comes from, e.g. "hidden test test_final_model (tests/hidden/test_hw3_hidden.py)"
    normal: str | None  # the code's normal form, when it parses
    raw: str  # the text with all whitespace removed


@dataclass(frozen=True)
class Leak:
    file: str  # path inside the release
    what: str

    def __str__(self) -> str:
        return f"{self.file}: {self.what}"


class LeakError(ValueError):
    """The release would give students something secret; nothing was written."""

    def __init__(self, leaks: list[Leak]) -> None:
        self.leaks = leaks
        super().__init__("release refused, it would leak:\n" + "\n".join(f"  {leak}" for leak in leaks))


# -- normal forms ---------------------------------------------------------------------------------------
def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _normal(statements: list[ast.stmt]) -> str:
    return _squeeze(ast.unparse(ast.Module(body=statements, type_ignores=[])))


def normal_form(source: str) -> str | None:
    """The code without layout or comments, or None when it is not Python."""
    try:
        tree = ast.parse(textwrap.dedent(source))
    except (SyntaxError, ValueError):
        return None
    return _normal(tree.body)


def _without_docstring(body: list[ast.stmt]) -> list[ast.stmt]:
    # A hidden test's docstring is its name, which students see in their results anyway.
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
            and isinstance(body[0].value.value, str):
        return body[1:]
    return body


def _code_secrets(path: Path, label: str) -> Iterator[Secret]:
    """Every function's and class's body and every top-level assignment of a literal value of a Python file."""
    lines = path.read_text(encoding="utf-8").splitlines()

    def raw(statements: list[ast.stmt]) -> str:
        return _squeeze("\n".join(lines[statements[0].lineno - 1:statements[-1].end_lineno]))

    tree = ast.parse("\n".join(lines))
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) \
                and (body := _without_docstring(node.body)):
            yield Secret(f"{label} {node.name}", _normal(body), raw(body))
    for node in tree.body:
        # A value built of names and calls alone (``_ = translations(__file__)``) holds no answer to leak.
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None \
                and any(isinstance(part, ast.Constant) for part in ast.walk(node.value)):
            yield Secret(f"{label} constant at line {node.lineno}", _normal([node]), raw([node]))


def secrets(assignment: Assignment) -> list[Secret]:
    """What must not appear in a release: hidden tests, ``reference/`` and every solution block."""
    course = assignment.course
    found: list[Secret] = []
    for path in sorted(assignment.hidden_tests.rglob("*.py")) if assignment.hidden_tests.is_dir() else []:
        found += _code_secrets(path, f"hidden test code ({path.relative_to(assignment.root)})")
    reference = course / "reference"
    for path in sorted(reference.rglob("*.py")) if reference.is_dir() else []:
        where = path.relative_to(course)
        if "solutions" in path.parts:
            # Outside its markers a solution file is the template itself: only the blocks are secret.
            for number, block in enumerate(_SOLUTION_BLOCK.findall(path.read_text(encoding="utf-8")), start=1):
                found.append(Secret(f"solution block {number} of {where}", normal_form(block), _squeeze(block)))
        else:
            found += _code_secrets(path, f"reference code ({where})")
    # What the solution states outside its answers (given data, the question's network) is public.
    public = _public_forms(assignment.solution)
    return [s for s in found if len(s.raw) >= MIN_FINGERPRINT and not _inside(s, public)]


def _public_forms(solution: Path) -> tuple[set[str], set[str]]:
    if not solution.is_file():
        return set(), set()
    template = template_module(solution)
    return _forms([template])


def _inside(secret: Secret, forms: tuple[set[str], set[str]]) -> bool:
    normals, raws = forms
    return any(secret.raw in raw for raw in raws) or bool(secret.normal and any(secret.normal in n for n in normals))


def _texts(path: Path) -> Iterator[str]:
    """The texts of a released file as a student would read them (a notebook's cells, not its JSON, a
    compiled catalog's messages)."""
    if path.suffix == ".mo":
        with path.open("rb") as handle:
            catalog = gettext.GNUTranslations(handle)  # raises OSError on a file that is not a catalog
        yield "\n".join(f"{key}\n{value}" for key, value in getattr(catalog, "_catalog", {}).items())
        return
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".ipynb":
        cells = nbformat.reads(text, as_version=4).cells
        yield from (cell.source for cell in cells)
        yield "\n".join(cell.source for cell in cells if cell.cell_type == "code")
    else:
        yield text


def _forms(texts: list[str]) -> tuple[set[str], set[str]]:
    """Normal forms (of each text and each fenced code block in it) and whitespace-free raw texts."""
    normals = {form for text in texts for candidate in (text, *_FENCE.findall(text))
               if (form := normal_form(candidate)) is not None}
    return normals, {_squeeze(text) for text in texts}


def find_leaks(folder: Path, known: list[Secret]) -> list[Leak]:
    """Every secret whose normal form or raw text is inside a file of ``folder``; also secret paths,
    binary files and public tests that import the reference."""
    leaks: list[Leak] = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = str(path.relative_to(folder))
        if secret_parts := SECRET_FOLDERS & set(path.relative_to(folder).parts[:-1]):
            leaks.append(Leak(name, f"is inside a {min(secret_parts)}/ folder"))
        if path.name in SECRET_FILES:
            leaks.append(Leak(name, f"is a {path.name}, which quotes the solution"))
        try:
            texts = list(_texts(path))
        except (UnicodeDecodeError, ValueError, OSError):
            leaks.append(Leak(name, "cannot be read as text, so it cannot be checked"))
            continue
        forms = _forms(texts)
        leaks += [Leak(name, f"contains {secret.origin}") for secret in known if _inside(secret, forms)]
        if path.suffix == ".py" and "tests" in path.parts:
            leaks += [Leak(name, f"imports {module}, which students do not have") for module in _imports(path)
                      if module.split(".")[0] == "reference"]
    return leaks


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    return found | {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}


# -- what is released -----------------------------------------------------------------------------------
def statement(assignment: Assignment) -> str:
    """The README: the template's markdown cells, then how to work and check."""
    module = assignment.root / "template" / f"{assignment.name}.py"
    if module.is_file():
        parts = [c.text for c in split_cells(module.read_text(encoding="utf-8")) if c.kind == "markdown"]
    else:
        notebook = nbformat.read(assignment.root / "template" / f"{assignment.name}.ipynb", as_version=4)
        parts = [c.source for c in notebook.cells if c.cell_type == "markdown"]
    name = assignment.name
    parts.append(
        "## 提交与自查 / Working and checking\n\n"
        f"在 `{name}.ipynb` 或 `{name}.py` 中作答（只交一个）。在本文件夹中运行：\n"
        f"Answer in `{name}.ipynb` or `{name}.py` (hand in one of them). In this folder, run:\n\n"
        f"```\ngrader check {name} {name}.ipynb\n```\n\n"
        "只有公开测试在这里运行；评分还会用到其他测试。/ Only the public tests run here; grading uses more tests."
    )
    return "\n\n".join(parts) + "\n"


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string
    if isinstance(value, datetime):
        return value.isoformat()  # a TOML offset date-time
    raise ValueError(f"assignment.toml: cannot release a value of type {type(value).__name__}")


def _toml_key(key: str) -> str:
    return key if _BARE_KEY.match(key) else json.dumps(key, ensure_ascii=False)


def student_config(assignment: Assignment) -> str:
    """The parts of ``assignment.toml`` students need: title, limits, manual points and the deadline."""
    config = tomllib.loads((assignment.root / "assignment.toml").read_text(encoding="utf-8"))
    lines = [f"# {assignment.name} as released to students: limits and the manual questions' points."]
    for key in ("title", "language"):
        if key in config:
            lines.append(f"{key} = {_toml_value(config[key])}")
    if config.get("limits"):
        lines += ["", "[limits]"] + [f"{_toml_key(k)} = {_toml_value(v)}" for k, v in config["limits"].items()]
    for question, spec in config.get("manual", {}).items():
        lines += ["", f"[manual.{_toml_key(question)}]", f"points = {_toml_value(spec['points'])}"]
    if config.get("deadline"):  # students should know the due time and what lateness costs
        lines += ["", "[deadline]"] + [f"{_toml_key(k)} = {_toml_value(v)}" for k, v in config["deadline"].items()]
    return "\n".join(lines) + "\n"


def _write(folder: Path, assignment: Assignment) -> None:
    home = folder / "assignments" / assignment.name
    (home / "template").mkdir(parents=True)
    (folder / "README.md").write_text(statement(assignment), encoding="utf-8")
    for template in assignment.templates:
        shutil.copyfile(template, folder / template.name)
        shutil.copyfile(template, home / "template" / template.name)
    (home / "assignment.toml").write_text(student_config(assignment), encoding="utf-8")
    if not assignment.public_tests.is_dir():
        raise FileNotFoundError(f"{assignment.name} has no public tests in {assignment.public_tests}")
    shutil.copytree(assignment.public_tests, home / "tests" / "public",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".*"))


def build_release(assignment: Assignment, dest: Path) -> list[Path]:
    """Write the student release of ``assignment`` to ``dest`` (absent or empty). Raises LeakError, and
    writes nothing, when a released file holds anything secret."""
    dest = Path(dest)
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise ValueError(f"{dest} exists and is not an empty folder")
    dest.parent.mkdir(parents=True, exist_ok=True)
    # Built beside the destination and renamed into place: a refused release leaves nothing behind.
    staging = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", dir=dest.parent))
    try:
        _write(staging, assignment)
        leaks = find_leaks(staging, secrets(assignment))
        if leaks:
            raise LeakError(leaks)
        load_assignment(assignment.name, staging / "assignments")  # the released config must load
        if dest.exists():
            dest.rmdir()
        staging.rename(dest)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return sorted(p for p in dest.rglob("*") if p.is_file())
