"""Grade submissions: one pytest session in this (trusted) process, the submissions in jails.

pytest is pinned so that nothing near a submission can change it: our own ini file, the rootdir and
conftest search fixed to the assignment, no plugin autoloading, no cache, no PYTEST_ADDOPTS.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from grader import i18n
from grader.grading import fixtures
from grader.grading.plugin import GradingPlugin
from grader.jail import sandbox
from grader.jail.backends import open_backend
from grader.jail.base import Backend
from grader.model.assignment import Assignment, TestSetupError
from grader.model.loader import Submission
from grader.model.results import SubmissionResult

PYTEST_INI = Path(__file__).with_name("pytest.ini")
LEAN_PLUGINS = ("stepwise", "unittest", "doctest", "logging", "junitxml", "debugging", "pastebin", "setuponly",
                "setupplan", "legacypath", "faulthandler", "subtests")



@contextlib.contextmanager
def _pinned_environment(assignment: Assignment) -> Iterator[None]:
    saved_env = {k: os.environ.get(k) for k in ("PYTEST_ADDOPTS", "PYTEST_PLUGINS", "PYTEST_DISABLE_PLUGIN_AUTOLOAD")}
    saved_path = list(sys.path)
    saved_modules = set(sys.modules)
    os.environ.pop("PYTEST_ADDOPTS", None)
    os.environ.pop("PYTEST_PLUGINS", None)
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    # Hidden tests may import the course's reference, and both kinds the helper modules shipped beside the
    # public tests (``hwN_helpers``); the current folder (a student's) is never on the path.
    cwd = os.getcwd()
    sys.path[:] = [str(assignment.course), str(assignment.public_tests)] + \
        [p for p in sys.path if p not in ("", ".", cwd)]
    try:
        yield
    finally:
        sys.path[:] = saved_path
        # Another assignment, or another copy of this one (a release), must import its own helpers.
        for name in set(sys.modules) - saved_modules:
            if _is_inside(getattr(sys.modules[name], "__file__", None), assignment.root):
                del sys.modules[name]
        for key, value in saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _is_inside(file: str | None, folder: Path) -> bool:
    return file is not None and Path(file).resolve().is_relative_to(folder.resolve())


def _check_hidden_from_jail(assignment: Assignment) -> None:
    """The strict sandbox shows the Python runtime's folders: the course must not live inside them."""
    for secret in (assignment.root, assignment.solution.parent):
        if sandbox.visible(secret):
            raise TestSetupError(f"{secret} is inside the Python installation that the sandbox shows to "
                                 "submissions; move the course out of it")


def grade(
    assignment: Assignment,
    submissions: list[Submission],
    *,
    hidden: bool = True,
    on_result: Callable[[SubmissionResult], None] | None = None,
    backend: Backend | None = None,
    sandbox: str = "basic",
) -> list[SubmissionResult]:
    """Run the assignment's public (and, with ``hidden``, hidden) tests on every submission.

    Submissions run in ``sandbox`` ("basic" or "strict"; a given ``backend`` brings its own).
    Results come back in the order of ``submissions``; ``on_result`` sees each one as soon as it is final.
    """
    if not submissions:
        return []
    test_dirs = [assignment.public_tests] + ([assignment.hidden_tests] if hidden else [])
    test_dirs = [d for d in test_dirs if d.is_dir()]
    if not test_dirs:
        raise TestSetupError(f"{assignment.name} has no tests in {assignment.root / 'tests'}")
    own_backend = backend is None
    backend = backend or open_backend(sandbox)
    if backend.sandbox == "strict":
        _check_hidden_from_jail(assignment)
    plugin = GradingPlugin(assignment, submissions, backend, on_result, sandbox=backend.sandbox)
    args = [
        *map(str, test_dirs),
        "-c", str(PYTEST_INI),
        "--rootdir", str(assignment.root),
        "--confcutdir", str(assignment.root),
        "--import-mode=importlib",
        "-p", "no:cacheprovider",
        # These two end the session with several full garbage collections: a fifth of `grader check`.
        "-p", "no:unraisableexception", "-p", "no:threadexception",
        # What instructors' pytest tests do not use here, and costs every session its imports or every test
        # its hooks: unittest-style classes, doctests, logging capture (caplog), XML reports, the debugger,
        # pastebin, fixture-plan output, py.path's tmpdir, faulthandler (the jail has its own timeouts), subtests.
        *(arg for name in LEAN_PLUGINS for arg in ("-p", f"no:{name}")),
        "-qq", "--no-header", "-p", "no:warnings",
        # No end-of-session summary of failures: nobody reads it, and it walks every report for each failure.
        "--tb=no", "-rN",
    ]
    try:
        with _pinned_environment(assignment), i18n.course_language(assignment.language):
            exit_code = pytest.main(args, plugins=[plugin, fixtures])
        if plugin.collection_errors or exit_code in (pytest.ExitCode.INTERNAL_ERROR, pytest.ExitCode.USAGE_ERROR,
                                                     pytest.ExitCode.NO_TESTS_COLLECTED):
            detail = "\n".join(plugin.collection_errors) or f"pytest exited with {exit_code!r}"
            raise TestSetupError(f"the tests of {assignment.name} could not run:\n{detail}")
        if exit_code == pytest.ExitCode.INTERRUPTED:
            raise KeyboardInterrupt
        return [plugin.finish(i) for i in range(len(submissions))]
    finally:
        for proxy in plugin.proxies.values():
            proxy.close()
        if own_backend:
            backend.close()
