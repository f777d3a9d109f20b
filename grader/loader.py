"""Finding submissions and turning them into code cells for the jail.

Everything here runs on the trusted side and only reads files as data: a notebook is parsed as
JSON (nbformat), never executed here. What the jail runs is the list of cells this module produces.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

MAX_MODULE_BYTES = 2 * 2**20
MAX_NOTEBOOK_BYTES = 64 * 2**20
MAX_FOLDER_BYTES = 100 * 2**20
MAX_FOLDER_FILES = 500
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
        return "notebook" if self.main is not None and self.main.suffix == ".ipynb" else "module"

    def hashes(self) -> dict[str, str]:
        return {str(p.relative_to(self.root)): _sha256(p) for p in self.files}


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


def from_folder(folder: Path, assignment: str, id: str | None = None) -> Submission:
    """The submission in ``folder``: ``<assignment>.ipynb`` or ``<assignment>.py`` plus helper files."""
    folder = Path(folder)
    candidates = [folder / f"{assignment}{suffix}" for suffix in SUFFIXES]
    present = [p for p in candidates if p.exists() or p.is_symlink()]
    submission = Submission(id or folder.name, folder, present[0] if present else None, assignment=assignment)
    if len(present) > 1:
        submission.warnings.append(f"both {present[0].name} and {present[1].name} were found; {present[0].name} was graded")
    for path in sorted(folder.rglob("*")):
        if len(submission.files) >= MAX_FOLDER_FILES:
            submission.warnings.append(f"only the first {MAX_FOLDER_FILES} files of the folder were used")
            break
        if path.is_symlink() and not _inside(path, folder):
            if path != submission.main:
                submission.warnings.append(f"{path.relative_to(folder)} links outside the submission and was ignored")
            continue
        if path.is_file() and "__pycache__" not in path.parts:
            submission.files.append(path)
    return submission


def from_file(path: Path) -> Submission:
    path = Path(path)
    return Submission(path.stem, path.parent, path, [path] if path.is_file() and not path.is_symlink() else [])


def discover(folder: Path, assignment: str) -> list[Submission]:
    """Every submission in a class folder: subfolders ``<id>/`` and flat files ``<id>.ipynb|.py``."""
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"no such folder: {folder}")
    found: dict[str, Submission] = {}
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith(".") or entry.name == "__pycache__":
            continue
        if entry.is_dir() and not entry.is_symlink():
            found[entry.name] = from_folder(entry, assignment)
        elif entry.suffix in SUFFIXES:
            if entry.stem in found:
                found[entry.stem].warnings.append(f"{entry.name} was not graded: {entry.stem} has another submission")
            else:
                found[entry.stem] = from_file(entry)
    return list(found.values())


def read_cells(submission: Submission) -> list[Cell]:
    """The code to run, in order. Raises LoadError for anything that cannot be run at all."""
    main = submission.main
    if main is None:
        raise LoadError(f"neither {submission.assignment}.ipynb nor {submission.assignment}.py is in the submission")
    if main.is_symlink() and not _inside(main, submission.root):
        raise LoadError(f"{main.name} is a link to a file outside the submission folder")
    if not main.is_file():
        raise LoadError(f"{main.name} is not a regular file")
    limit = MAX_NOTEBOOK_BYTES if main.suffix == ".ipynb" else MAX_MODULE_BYTES
    size = main.stat().st_size
    if size == 0:
        raise LoadError(f"{main.name} is empty")
    if size > limit:
        raise LoadError(f"{main.name} is {size / 2**20:.1f} MB, over the {limit // 2**20} MB limit")
    raw = main.read_bytes()
    if b"\0" in raw:
        raise LoadError(f"{main.name} is a binary file, not {'a notebook' if main.suffix == '.ipynb' else 'Python source'}")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LoadError(f"{main.name} is not UTF-8 text (byte {exc.start} cannot be read)") from None
    if main.suffix == ".py":
        return [Cell(0, main.name, text)]
    return notebook_cells(text, main.name)


def notebook_cells(text: str, name: str) -> list[Cell]:
    import nbformat  # deferred: it costs ~130 ms and modules do not need it

    try:
        notebook = nbformat.reads(text, as_version=4)
        cells = notebook.cells
    except Exception as exc:  # noqa: BLE001 - nbformat raises many kinds for a broken file
        reason = str(exc).splitlines()[0][:300] if str(exc) else type(exc).__name__
        raise LoadError(f"{name} is not a readable notebook ({reason})") from None
    code = []
    for index, cell in enumerate(cells, start=1):
        source = cell.get("source", "") if isinstance(cell, dict) else ""
        if isinstance(source, list):
            source = "".join(str(s) for s in source)
        if cell.get("cell_type") == "code" and isinstance(source, str) and source.strip():
            code.append(Cell(index, f"{name}[cell {index}]", neutralize_magics(source)))
    if not code:
        raise LoadError(f"{name} has no code cells")
    return code


_CELL_MAGICS_WITH_PYTHON = {"time", "timeit", "capture", "prun"}
_LINE_MAGIC = re.compile(r"^(\s*)(?:[%!]|\?\??\S)")
_ASSIGNED_MAGIC = re.compile(r"^(\s*[\w.,\s\[\]]+?=\s*)[%!]")
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
            submission.warnings.append(f"the submission is over {MAX_FOLDER_BYTES // 2**20} MB; the rest was not copied")
            return
        target = workdir / path.relative_to(submission.root)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target, follow_symlinks=True)
