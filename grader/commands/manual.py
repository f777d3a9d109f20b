"""``grader manual export|import``: questions graded by hand, through a review packet and a score sheet."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from grader.model.assignment import load_assignment
from grader.sinks.console import make_console
from grader.sinks.manual import SCORES_CSV, export_packet, import_scores


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", required=True)
    export = actions.add_parser("export", help="write the review packet: an HTML page per question and a score sheet")
    export.add_argument("assignment", help="e.g. hw3")
    export.add_argument("results", type=Path, help="the folder `grader grade --out` wrote")
    export.add_argument("-o", "--out", type=Path, required=True, help="folder for the packet")
    merge = actions.add_parser("import", help="check a filled-in score sheet and merge it into the results")
    merge.add_argument("assignment", help="e.g. hw3")
    merge.add_argument("scores", type=Path, help=f"the packet's {SCORES_CSV}, filled in")
    merge.add_argument("results", type=Path, help="the folder `grader grade --out` wrote")
    merge.add_argument("--db", type=Path, default=os.environ.get("GRADER_DB"),
                       help="also record the scores in this gradebook (default: $GRADER_DB if set)")


def run(args: argparse.Namespace) -> int:
    console = make_console()
    assignment = load_assignment(args.assignment, args.assignments)
    if args.action == "export":
        written = export_packet(assignment, args.results, args.out)
        console.print(f"wrote {len(written)} files to {args.out}: open {args.out / 'index.html'}, "
                      f"fill in {args.out / SCORES_CSV}")
        return 0
    summary = import_scores(assignment, args.scores, args.results, args.db)
    recorded = f"; recorded in {args.db}" if args.db else ""
    console.print(f"{summary.scored} answers scored, {len(summary.changed)} result files rewritten, "
                  f"{summary.pending} still pending{recorded}")
    return 0
