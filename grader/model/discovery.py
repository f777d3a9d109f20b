"""Class folders as instructors and LMSs hand them over: one subfolder ``<id>/`` or one flat file
``<id>.ipynb|.py`` per student, next to whatever else the export or the operating system left there.

Everything that is not graded is named in a :class:`Skipped` notice with the reason, so a missing
student is never silent and an archive's ``__MACOSX/`` or a roster never becomes a 0-point "student".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from grader.model.loader import SUFFIXES, Submission, from_file, from_folder, printable

JUNK_FILES = {".ds_store", "thumbs.db", "desktop.ini"}  # written by file managers, never by a student
JUNK_FOLDERS = {"__MACOSX", "__pycache__"}


@dataclass(frozen=True)
class Skipped:
    """An entry of a class folder (or archive) that was not graded, and why."""

    entry: str  # printable path, relative to the class folder or the archive
    reason: str

    def to_dict(self) -> dict[str, str]:
        return {"entry": self.entry, "reason": self.reason}


@dataclass
class ClassFolder:
    """What a class folder holds: the submissions to grade, in order, and everything skipped."""

    root: Path
    submissions: list[Submission] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def _is_junk(path: Path, root: Path) -> bool:
    """A file the operating system or Python left behind (``.DS_Store``, ``__pycache__/``...)."""
    return path.name.lower() in JUNK_FILES or bool(JUNK_FOLDERS & set(path.relative_to(root).parts))


def skip_reason(entry: Path) -> str | None:
    """Why a top-level entry of a class folder is not a submission, or None if it may be one."""
    if entry.name == "__MACOSX":
        return "metadata a Mac adds to archives"
    if entry.name == "__pycache__":
        return "Python's cache folder"
    if entry.name.lower() in JUNK_FILES:
        return "a file the operating system leaves behind"
    if entry.name.startswith("."):
        return "hidden (the name starts with a dot)"
    if entry.is_symlink():
        return "a symbolic link (not followed)"
    if entry.is_dir():
        if not any(path.is_file() and not _is_junk(path, entry) for path in entry.rglob("*")):
            return "an empty folder (no files, or only files the operating system leaves behind)"
        return None
    if entry.suffix.lower() not in SUFFIXES:
        return f"not a submission: only folders and {' or '.join(SUFFIXES)} files are graded"
    return None


def survey(folder: Path, assignment: str) -> ClassFolder:
    """Every submission in a class folder and every entry skipped, each with its reason."""
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"no such folder: {folder}")
    found: dict[str, Submission] = {}
    skipped = []
    for entry in sorted(folder.iterdir()):
        if (reason := skip_reason(entry)) is not None:
            skipped.append(Skipped(printable(entry.name), reason))
            continue
        key = entry.name if entry.is_dir() else entry.stem
        if key in found:
            found[key].warnings.append(f"{printable(entry.name)} was not graded: {printable(key)} has another "
                                       "submission")
        elif entry.is_dir():
            found[key] = from_folder(entry, assignment)
        else:
            found[key] = submission = from_file(entry)
            if entry.suffix not in SUFFIXES:
                submission.warnings.append(f"{printable(entry.name)}: the suffix {entry.suffix} was read as "
                                           f"{entry.suffix.lower()}")
    return ClassFolder(folder, list(found.values()), skipped)


def discover(folder: Path, assignment: str) -> list[Submission]:
    """The submissions of a class folder, in order (:func:`survey` also says what was skipped)."""
    return survey(folder, assignment).submissions
