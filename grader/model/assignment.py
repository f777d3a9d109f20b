"""An assignment on disk: ``assignments/<name>/assignment.toml`` and the folders beside it."""

from __future__ import annotations

import ast
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from grader.i18n import normalize
from grader.jail.limits import Limits
from grader.model.deadlines import Deadline


class TestSetupError(Exception):
    """The instructor's tests could not be collected or run: nobody can be graded."""

    __test__ = False  # an error, not a test class for pytest to collect


@dataclass(frozen=True)
class ManualQuestion:
    """A free-text answer graded by a person: its text is collected, its points stay pending."""

    name: str
    points: float
    rubric: Path | None
    placeholder: str | None = None  # the template's text, so an untouched answer can be told apart


@dataclass(frozen=True)
class Assignment:
    name: str
    title: str
    root: Path
    limits: Limits
    manual: tuple[ManualQuestion, ...]
    deadline: Deadline | None = None
    language: str = "en"  # what its students read (the check, feedback, the tests' messages): en, zh, ...

    @property
    def public_tests(self) -> Path:
        return self.root / "tests" / "public"

    @property
    def hidden_tests(self) -> Path:
        return self.root / "tests" / "hidden"

    @property
    def templates(self) -> list[Path]:
        return [p for p in (self.root / "template" / f"{self.name}{s}" for s in (".py", ".ipynb")) if p.exists()]

    @property
    def alternatives(self) -> list[Path]:
        return _submissions_in(self.root / "alternatives")

    @property
    def course(self) -> Path:
        """The course folder: ``assignments/`` and ``reference/`` side by side."""
        return self.root.parent.parent

    @property
    def solution(self) -> Path:
        return self.course / "reference" / "solutions" / f"{self.name}.py"


def _submissions_in(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".py", ".ipynb") or p.is_dir())


def find_assignments_dir(start: Path | None = None) -> Path:
    """``$GRADER_ASSIGNMENTS``, else an ``assignments/`` folder in ``start`` or above it, else the one
    beside this package in a source checkout."""
    if env := os.environ.get("GRADER_ASSIGNMENTS"):
        return Path(env)
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "assignments").is_dir():
            return folder / "assignments"
    beside = Path(__file__).resolve().parents[2] / "assignments"
    if beside.is_dir():
        return beside
    raise FileNotFoundError("no assignments folder found (set GRADER_ASSIGNMENTS or pass --assignments)")


def assignment_names(assignments_dir: Path | None = None) -> list[str]:
    """Every assignment in the folder (those with an ``assignment.toml``), sorted."""
    base = Path(assignments_dir) if assignments_dir else find_assignments_dir()
    return sorted(p.parent.name for p in base.glob("*/assignment.toml"))


def load_assignment(name: str, assignments_dir: Path | None = None) -> Assignment:
    base = Path(assignments_dir) if assignments_dir else find_assignments_dir()
    root = base / name
    config_path = root / "assignment.toml"
    if not config_path.is_file():
        known = sorted(p.name for p in base.iterdir() if (p / "assignment.toml").is_file()) if base.is_dir() else []
        raise FileNotFoundError(f"unknown assignment {name!r} in {base} (known: {', '.join(known) or 'none'})")
    config = tomllib.loads(config_path.read_text(encoding="utf-8"))
    placeholders = _string_constants(root / "template" / f"{name}.py")
    manual = tuple(
        ManualQuestion(key, float(spec["points"]), root / spec["rubric"] if "rubric" in spec else None,
                       placeholders.get(key))
        for key, spec in config.get("manual", {}).items()
    )
    return Assignment(
        name=name,
        title=config.get("title", name),
        root=root,
        limits=Limits().merged(config.get("limits", {})),
        manual=manual,
        deadline=Deadline.from_config(config["deadline"], str(config_path)) if "deadline" in config else None,
        language=normalize(str(config.get("language", "en"))),
    )


def _string_constants(module: Path) -> dict[str, str]:
    """Top-level ``NAME = "text"`` assignments of a template module, stripped."""
    if not module.is_file():
        return {}
    found = {}
    for node in ast.parse(module.read_text(encoding="utf-8")).body:
        if (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
                and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)):
            found[node.targets[0].id] = node.value.value.strip()
    return found
