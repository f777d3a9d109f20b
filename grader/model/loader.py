"""Finding submissions and turning them into code cells for the jail.

Everything here runs on the trusted side and only reads files as data: a notebook is parsed as
JSON, never executed here. What the jail runs is the list of cells this module produces.
"""

from __future__ import annotations

import ast
import codecs
import hashlib
import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from grader.i18n import _

MAX_MODULE_BYTES = 2 * 2**20
MAX_NOTEBOOK_BYTES = 64 * 2**20
MAX_FOLDER_BYTES = 100 * 2**20
MAX_FOLDER_FILES = 500
MAX_NOTEBOOK_CELLS = 10_000
SOURCE_KEYS = {1: "code", 2: "input", 3: "input", 4: "source"}  # where each notebook format keeps a cell's code
SUFFIXES = (".ipynb", ".py")


class LoadError(Exception):
    """The submission cannot be run at all; the message says why, in words a student understands."""


@dataclass(frozen=True)
class Cell:
    index: int  # 1-based position among the notebook's cells (0 for a module)
    filename: str  # what tracebacks show
    source: str


@dataclass
class Submission:
    """One student's work: a folder with ``hwN.py`` / ``hwN.ipynb`` (and helpers) or a single file."""

    id: str
    root: Path
    main: Path | None
    files: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    assignment: str = ""

    @property
    def kind(self) -> str:
        return "notebook" if self.main is not None and self.main.suffix.lower() == ".ipynb" else "module"

    def hashes(self) -> dict[str, str]:
        return {printable(str(p.relative_to(self.root))): _sha256(p) for p in self.files}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except (ValueError, OSError, RuntimeError):
        return False
    return True


def bound_names(body: list[ast.stmt], *, imports: bool = False) -> set[str]:
    """Names a module's top-level statements bind: functions, classes, assignments (and imports)."""
    names: set[str] = set()
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
        elif imports and isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
    return names


def printable(name: str) -> str:
    """A file name as valid text: bytes that are not UTF-8 (kept by Python as surrogates) become ``\\xNN``,
    so paths can go into JSON and messages."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def submission_id(name: str) -> str:
    """A student's id from a folder or file name, as valid text that tells every name apart: as
    :func:`printable`, but a backslash of the name becomes ``\\\\``, so ``b"dup\\xff"`` and a folder
    literally named ``dup\\xff`` get two ids and every id leads back to its one name."""
    return printable(name.replace("\\", "\\\\"))


def from_folder(folder: Path, assignment: str, id: str | None = None) -> Submission:
    """The submission in ``folder``: ``<assignment>.ipynb`` or ``<assignment>.py`` plus helper files.
    A main file whose name differs only in case (``HW3.IPYNB``) is found too, with a warning."""
    folder = Path(folder)
    present = _main_candidates(folder, assignment)
    submission = Submission(id or submission_id(folder.name), folder, present[0] if present else None,
                            assignment=assignment)
    if len(present) > 1:
        submission.warnings.append(both_forms_warning(present[0].name, present[1].name))
    if present and present[0].name not in _main_names(assignment):
        submission.warnings.append(_("{file} was read as {name}").format(
            file=present[0].name, name=f"{assignment}{present[0].suffix.lower()}"))
    for path in sorted(folder.rglob("*")):
        if len(submission.files) >= MAX_FOLDER_FILES:
            submission.warnings.append(_("only the first {count} files of the folder were used").format(
                count=MAX_FOLDER_FILES))
            break
        if path.is_symlink() and not _inside(path, folder):
            if path != submission.main:
                submission.warnings.append(_("{file} links outside the submission and was ignored").format(
                    file=printable(str(path.relative_to(folder)))))
            continue
        if path.is_file() and "__pycache__" not in path.parts:
            submission.files.append(path)
    return submission


def both_forms_warning(graded: str, other: str) -> str:
    return _("both {graded} and {other} were found; {graded} was graded").format(graded=graded, other=other)


def _main_names(assignment: str) -> list[str]:
    return [f"{assignment}{suffix}" for suffix in SUFFIXES]


def _main_candidates(folder: Path, assignment: str) -> list[Path]:
    """The entries that may be the main file, best first: a notebook before a module, and the exact
    name before one that differs only in case (an LMS or Windows may upper-case a name)."""
    exact = _main_names(assignment)
    wanted = [name.lower() for name in exact]
    entries = [p for p in folder.iterdir() if p.name.lower() in wanted] if folder.is_dir() else []
    return sorted(entries, key=lambda p: (wanted.index(p.name.lower()), p.name not in exact, p.name))


def from_file(path: Path) -> Submission:
    path = Path(path)
    return Submission(submission_id(path.stem), path.parent, path,
                      [path] if path.is_file() and not path.is_symlink() else [])


def read_cells(submission: Submission) -> list[Cell]:
    """The code to run, in order. Raises LoadError for anything that cannot be run at all."""
    main = submission.main
    if main is None:
        raise LoadError(_("neither {notebook} nor {module} is in the submission").format(
            notebook=f"{submission.assignment}.ipynb", module=f"{submission.assignment}.py"))
    if main.is_symlink() and not _inside(main, submission.root):
        raise LoadError(_("{file} is a link to a file outside the submission folder").format(file=main.name))
    if not main.is_file():
        raise LoadError(_("{file} is not a regular file").format(file=main.name))
    limit = MAX_NOTEBOOK_BYTES if submission.kind == "notebook" else MAX_MODULE_BYTES
    size = main.stat().st_size
    if size == 0:
        raise LoadError(_("{file} is empty").format(file=main.name))
    if size > limit:
        raise LoadError(_("{file} is {size:.1f} MB, over the {limit} MB limit").format(
            file=main.name, size=size / 2**20, limit=limit // 2**20))
    raw = main.read_bytes()
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise LoadError(_("{file} is saved as UTF-16 or UTF-32 text; only UTF-8 can be read").format(file=main.name))
    if b"\0" in raw:
        binary = (_("{file} is a binary file, not a notebook") if submission.kind == "notebook"
                  else _("{file} is a binary file, not Python source"))
        raise LoadError(binary.format(file=main.name))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LoadError(_("{file} is not UTF-8 text (byte {byte} cannot be read)").format(
            file=main.name, byte=exc.start)) from None
    del raw  # a notebook may be 64 MB: one copy of it in memory while it is parsed, not two
    cells = [Cell(0, main.name, text)] if submission.kind == "module" else notebook_cells(text, main.name)
    if calls := [cell for cell in cells if _SELF_CHECK.search(cell.source)]:
        where = ", ".join(_("cell {index}").format(index=cell.index) if cell.index else main.name for cell in calls)
        submission.warnings.append(_("{where}: grader's own check (grader.check, !grader) does not run while "
                                     "grading and costs nothing").format(where=where))
    return cells


# A student's own check left in the work; the jail's ``grader`` module makes it do nothing.
_SELF_CHECK = re.compile(r"^[ \t]*(?:import|from)[ \t]+grader\b|\bgrader\.check[ \t]*\("
                         r"|# \(not run\) [!%][ \t]*grader\b", re.MULTILINE)


def notebook_cells(text: str, name: str) -> list[Cell]:
    """The code cells of a notebook of format 1 to 4, read straight from its JSON.

    nbformat is not used: its validation takes minutes on a notebook of many thousand cells and it
    gives up on small defects that do not touch the code; what the cells hold is all that is needed.
    """
    notebook = _parse_notebook(text, name)
    cells = _raw_cells(notebook, name)
    if len(cells) > MAX_NOTEBOOK_CELLS:
        raise LoadError(_("{file} has {count} cells, over the limit of {limit}").format(
            file=name, count=len(cells), limit=MAX_NOTEBOOK_CELLS))
    code = []
    total = 0
    for index, cell in enumerate(cells, start=1):
        source = _code_of(cell, SOURCE_KEYS[notebook["nbformat"]], index, name)
        if source.strip():
            try:
                total += len(source.encode("utf-8"))
            except UnicodeEncodeError:  # a lone surrogate escape such as "\ud800" in the JSON
                raise unreadable_notebook(name, _("cell {index} holds characters that are not text").format(
                    index=index)) from None
            code.append(Cell(index, f"{name}[cell {index}]", neutralize_magics(source)))
    if total > MAX_MODULE_BYTES:
        raise LoadError(_("the code cells of {file} hold {size:.1f} MB, over the {limit} MB limit").format(
            file=name, size=total / 2**20, limit=MAX_MODULE_BYTES // 2**20))
    if not code:
        raise LoadError(_("{file} has no code cells").format(file=name))
    return code


def unreadable_notebook(name: str, reason: str) -> LoadError:
    return LoadError(_("{file} is not a readable notebook ({reason})").format(file=name, reason=reason))


def _parse_notebook(text: str, name: str) -> dict:
    def unreadable(reason: str) -> LoadError:
        return unreadable_notebook(name, reason)

    try:
        notebook = json.loads(text)
    except json.JSONDecodeError as exc:
        # The scanner reports a string cut off by the end of the file where the string starts.
        if not text[exc.pos:].strip() or exc.msg.startswith("Unterminated string"):
            raise unreadable(_("the file ends too early: was it cut off while being saved?")) from None
        raise unreadable(_("damaged at line {line}, column {column}: {error}").format(
            line=exc.lineno, column=exc.colno, error=exc.msg)) from None
    except RecursionError:
        raise unreadable(_("its data is nested too deeply")) from None
    except ValueError:  # Python refuses to read integers of more than 4300 digits
        raise unreadable(_("it holds a number too long to read")) from None
    if not isinstance(notebook, dict):
        raise unreadable(_("the file holds {kind}, not a notebook").format(kind=_kind(notebook)))
    if "nbformat" not in notebook:
        raise unreadable(_('it does not say which notebook format it uses: there is no "nbformat" key'))
    version = notebook["nbformat"]
    if type(version) not in (int, float) or version not in SOURCE_KEYS:
        shown = repr(version) if type(version) in (int, float, str) else _kind(version)
        raise unreadable(_('its "nbformat" version is {version}; only notebook formats 1 to 4 can be read').format(
            version=shown[:40]))
    return notebook


def _raw_cells(notebook: dict, name: str) -> list:
    """The cells in order; formats 2 and 3 keep them in worksheets."""
    if notebook["nbformat"] in (2, 3):
        worksheets = notebook.get("worksheets", [])
        if not isinstance(worksheets, list) or not all(isinstance(w, dict) for w in worksheets):
            raise unreadable_notebook(name, _("its worksheets are damaged"))
        parts = [w.get("cells", []) for w in worksheets]
    else:
        parts = [notebook.get("cells")]
    if not all(isinstance(p, list) for p in parts):
        raise unreadable_notebook(name, _("it has no list of cells"))
    return [cell for part in parts for cell in part]


def _code_of(cell: object, key: str, index: int, name: str) -> str:
    """The source of a code cell, kept under ``key``; "" for any other cell."""
    if not isinstance(cell, dict):
        raise unreadable_notebook(name, _("cell {index} is {kind}, not a cell").format(index=index, kind=_kind(cell)))
    cell_type = cell.get("cell_type")
    if not isinstance(cell_type, str):
        raise unreadable_notebook(name, _("cell {index} has no cell type").format(index=index))
    if cell_type != "code":
        return ""
    source = cell.get(key, "")
    if isinstance(source, list) and all(isinstance(line, str) for line in source):
        return "".join(source)
    if not isinstance(source, str):
        raise unreadable_notebook(name, _("the code of cell {index} is {kind}, not text").format(
            index=index, kind=_kind(source)))
    return source


def _kind(value: object) -> str:
    """A JSON value's kind in words."""
    kinds = {dict: _("an object"), list: _("a list"), str: _("a string"), bool: _("true/false"), type(None): "null"}
    return kinds.get(type(value), _("a number"))


_CELL_MAGICS_WITH_PYTHON = {"time", "timeit", "capture", "prun"}
_LINE_MAGIC = re.compile(r"^(\s*)(?:[%!]|\?\??\S)")
# The first target character is not a space, so a long run of blanks cannot make the match quadratic.
_ASSIGNED_MAGIC = re.compile(r"^(\s*[\w.,\[\]][\w.,\s\[\]]*?=\s*)[%!]")
_HELP = re.compile(r"^(\s*)[\w.]+\?\??\s*$")


def neutralize_magics(source: str) -> str:
    """IPython syntax becomes harmless Python with the same line numbers; nothing of it is run."""
    lines = source.split("\n")
    first = lines[0].strip()
    if first.startswith("%%"):
        magic = first[2:].split()[0] if first[2:].split() else ""
        if magic not in _CELL_MAGICS_WITH_PYTHON:
            return "\n".join("# (not run) " + line for line in lines)
        lines[0] = "pass  # (not run) " + first
    out = []
    for line in lines:
        if (assigned := _ASSIGNED_MAGIC.match(line)) and not line.lstrip().startswith("#"):
            out.append(f"{assigned.group(1)}None  # (not run) {line.strip()}")
        elif (match := _LINE_MAGIC.match(line) or _HELP.match(line)) and not line.lstrip().startswith("#"):
            out.append(f"{match.group(1)}pass  # (not run) {line.strip()}")
        else:
            out.append(line)
    return "\n".join(out)


def stage(submission: Submission, workdir: Path) -> None:
    """Copy the submitted files (no links, size-capped) into the jail's private working folder."""
    total = 0
    for path in submission.files:
        total += path.stat().st_size
        if total > MAX_FOLDER_BYTES:
            submission.warnings.append(_("the submission is over {limit} MB; the rest was not copied").format(
                limit=MAX_FOLDER_BYTES // 2**20))
            return
        target = workdir / path.relative_to(submission.root)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target, follow_symlinks=True)
