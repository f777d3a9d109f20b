"""Fixtures for the framework's own tests: the real hw3 assignment with short limits, a way to
grade a class folder written on the fly, and the strict-mode switch: strict-mode tests skip where
strict mode cannot run, except where ``GRADER_REQUIRE_STRICT=1`` (CI) turns that into a failure."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from grader.authoring.mutants import load_mutants
from grader.grading import runner
from grader.jail.backends import open_backend
from grader.jail.base import Backend
from grader.jail.fork import ForkBackend
from grader.jail.sandbox import strict_problem
from grader.jail.spawn import SpawnBackend
from grader.model.assignment import Assignment, load_assignment
from grader.model.discovery import discover
from grader.model.results import SubmissionResult, validate

ROOT = Path(__file__).resolve().parent.parent
# The course speaks Chinese; the framework's tests read its messages in English unless a test asks for
# another language (test_i18n.py). Set here, before any test runs, so that the verbs run as subprocesses
# inherit it too.
os.environ["GRADER_LANG"] = "en"
SOLUTION = (ROOT / "reference" / "solutions" / "hw3.py").read_text(encoding="utf-8")
FULL_AUTO = 14.0


def mutant_source(assignment: str, name: str) -> str:
    """The mutant ``name`` of the assignment's reference solution, built as ``grader validate`` builds it."""
    mutant = next(m for m in load_mutants(ROOT / "assignments" / assignment / "mutants.toml") if m.name == name)
    return mutant.apply((ROOT / "reference" / "solutions" / f"{assignment}.py").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def hw3() -> Assignment:
    real = load_assignment("hw3", ROOT / "assignments")
    return dataclasses.replace(real, limits=real.limits.merged({"test_timeout": 1.0, "load_timeout": 3.0,
                                                                "cpu_seconds": 20, "memory_mb": 512}))


@pytest.fixture(scope="session")
def strict_available() -> None:
    problem = strict_problem()
    if problem is None:
        return
    if os.environ.get("GRADER_REQUIRE_STRICT") == "1":
        pytest.fail(f"GRADER_REQUIRE_STRICT=1 but {problem}")
    pytest.skip(problem)


@pytest.fixture(scope="session")
def backend():
    """Basic mode as this machine runs it (GRADER_JAIL_BACKEND=spawn runs the suite on the portable backend)."""
    server = open_backend()
    yield server
    server.close()


@pytest.fixture(scope="session", params=["fork", "spawn"])
def basic_backend(request) -> Backend:
    """Basic mode on each backend: the fork server, and the fresh interpreter per submission that
    Windows and macOS use, tested here on Linux."""
    server = ForkBackend() if request.param == "fork" else SpawnBackend()
    yield server
    server.close()


def write_class(folder: Path, files: dict[str, str | bytes]) -> Path:
    """Create a class folder: keys are paths such as ``alice.py`` or ``bob/hw3.ipynb``."""
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder


@pytest.fixture
def grade_class(tmp_path, hw3, backend):
    """Grade ``{path: content}`` as a class folder; returns {submission id: result}, each schema-checked."""

    def grade(files: dict[str, str | bytes], assignment: Assignment | None = None) -> dict[str, SubmissionResult]:
        folder = write_class(tmp_path / "class", files)
        results = runner.grade(assignment or hw3, discover(folder, "hw3"), backend=backend)
        for result in results:
            validate(result.to_dict())
        return {r.submission: r for r in results}

    return grade


def statuses(result: SubmissionResult) -> dict[str, str]:
    return {t.nodeid.split("::")[-1]: t.status for t in result.tests if t.kind == "auto"}
