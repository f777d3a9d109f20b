"""``grader translations [hwN ...]``: bring the catalogs of an assignment's tests (or, with ``--package``, the
grader's own) in step with their messages; ``--check`` only lists what is missing and exits 1 if anything is."""

from __future__ import annotations

import argparse

from grader.authoring.translations import CatalogSet, catalogs_of_tests, framework_catalogs, problems, update
from grader.model.assignment import assignment_names, load_assignment
from grader.sinks.console import make_console


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("names", nargs="*", metavar="assignment", help="e.g. hw3 (default: every assignment)")
    parser.add_argument("--package", action="store_true", help="the grader's own messages, not an assignment's")
    parser.add_argument("--add", action="append", default=[], metavar="LANG",
                        help="start a catalog for another language (e.g. --add ja)")
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a message is untranslated")


def _catalog_sets(args: argparse.Namespace) -> list[tuple[CatalogSet, set[str]]]:
    if args.package:
        catalogs = framework_catalogs()
        return [(catalogs, set(catalogs.languages()))]
    sets = []
    for name in args.names or assignment_names(args.assignments):
        assignment = load_assignment(name, args.assignments)
        for folder in (assignment.public_tests, assignment.hidden_tests):
            if folder.is_dir():
                catalogs = catalogs_of_tests(folder)
                sets.append((catalogs, {*catalogs.languages(), assignment.language}))
    return sets


def run(args: argparse.Namespace) -> int:
    console = make_console()
    missing = 0
    for catalogs, languages in _catalog_sets(args):
        languages |= set(args.add)
        if not args.check:
            for path in update(catalogs, languages):
                console.print(f"wrote {path}", markup=False)
        found = problems(catalogs, sorted(languages))
        missing += len(found)
        for problem in found:
            console.print(problem, markup=False)
    if missing:
        console.print(f"{missing} messages need a translation: edit the .po files, then run grader translations",
                      markup=False)
    return 1 if args.check and missing else 0
