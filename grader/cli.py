"""The ``grader`` command: a thin dispatcher over the verbs in ``grader.commands``."""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import os
import sys
from pathlib import Path

from grader import __version__, i18n
from grader.jail import launch, sandbox

VERBS = {
    "check": "run the public tests on your own work (exit 0 only when all pass)",
    "grade": "grade a folder of submissions with public and hidden tests",
    "validate": "prove an assignment: reference full marks, templates 0, mutants caught",
    "templates": "regenerate the student templates from the reference solution",
    "release": "build the student release of an assignment, refused if anything secret would leak",
    "feedback": "one HTML feedback page per student: their work with each test's result where the answer is",
    "export": "export an assignment for another engine (gradescope: an autograder zip)",
    "gradebook": "the course gradebook: record graded batches, show grades, export for the LMS",
    "manual": "questions graded by hand: export a review packet, import the filled-in scores",
    "translations": "bring the catalogs of the tests' messages (Chinese, ...) in step with the tests",
}

GRADING_VERBS = ("check", "grade", "validate")  # the verbs that run submissions and want the fork server early


def console() -> None:
    """The ``grader`` command. A student's check then leaves without the interpreter's teardown, which
    frees numpy's and pytest's modules one by one (~40 ms, a seventh of the check): by then the check has
    closed its sandbox and removed what it made, and nothing is left to flush but the output."""
    code = main()
    if _verb_named(sys.argv[1:]) == "check":
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError):  # a reader that went away (`| head`) takes nothing more
                stream.flush()
        os._exit(code)
    sys.exit(code)


def _verb_named(argv: list[str]) -> str | None:
    """The first verb among the first three words (`gradebook export`: gradebook)."""
    return next((word for word in argv[:3] if word in VERBS), None)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    for stream in (sys.stdout, sys.stderr):
        # Whatever text a report holds (a stray surrogate, a name a terminal's encoding lacks) is shown
        # escaped rather than ending the verb half-way through its output.
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    chosen = [verb] if (verb := _verb_named(argv)) else []
    early = _early_options(argv)
    i18n.choose(early.lang)
    if chosen and _grades_here(chosen[0], early):
        # It imports numpy while we import pytest: the two overlap.
        launch.prelaunch(early.sandbox or sandbox.default_for(chosen[0]))
    from grader.authoring.translations import BabelMissing
    from grader.jail.sandbox import SandboxUnavailable
    from grader.model.assignment import TestSetupError

    # Only the chosen verb's module is imported (validate's nbformat alone costs ~130 ms).
    modules = {verb: importlib.import_module(f"grader.commands.{verb}") for verb in (chosen[:1] or VERBS)}
    parser = argparse.ArgumentParser(prog="grader", description=__doc__)
    parser.add_argument("--version", action="version", version=f"grader {__version__}")
    parser.add_argument("--assignments", type=Path, help="folder of assignments (default: found from here)")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--lang", metavar="LANG",
                        help="the language of what is printed: en, zh (default: $GRADER_LANG, else the course's)")
    verbs = parser.add_subparsers(dest="verb", required=True)
    for name, help_text in VERBS.items():
        verb_parser = verbs.add_parser(name, help=help_text, description=help_text, parents=[common])
        if name in modules:
            modules[name].add_arguments(verb_parser)
    args = parser.parse_args(argv)
    try:
        return modules[args.verb].run(args)
    except (FileNotFoundError, ValueError, TestSetupError, SandboxUnavailable, BabelMissing) as exc:
        print(f"grader: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("grader: interrupted", file=sys.stderr)
        return 130


def _early_options(argv: list[str]) -> argparse.Namespace:
    """The options that decide whether to start the fork server early, read before the verbs' modules
    (and what they import) are loaded to build the full parser."""
    early = argparse.ArgumentParser(add_help=False)
    for option in ("--sandbox", "--workers", "--executor", "--lang"):
        early.add_argument(option)
    return early.parse_known_args(argv)[0]


def _grades_here(verb: str, early: argparse.Namespace) -> bool:
    """Whether this process runs submissions itself; a batch on several workers leaves that to them."""
    if verb == "grade":
        return early.workers == "1" and early.executor in (None, "local")
    return verb in GRADING_VERBS


if __name__ == "__main__":
    sys.exit(main())
