"""What runs inside a Gradescope autograder bundle (``grader.authoring.bundle`` builds it):
``python -m grader.gradescope run ROOT hwN`` grades ``ROOT/submission`` with the bundle's tests and writes
``ROOT/results/results.json``. The submission is graded by the same runner and tests as ``grader grade``,
in the strict sandbox where the container allows it and in basic mode otherwise, and the results say so.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path

import grader
from grader.i18n import course_language
from grader.jail.sandbox import strict_problem
from grader.model.assignment import load_assignment
from grader.model.loader import SUFFIXES, Submission, from_file, from_folder
from grader.model.results import write_json_atomically
from grader.sinks.results_folder import to_gradescope


def find_submission(folder: Path, assignment: str) -> Submission:
    """The student's upload: ``hwN.ipynb``/``hwN.py`` at the top or in the shallowest subfolder that has
    one; else the only notebook (or the only module) uploaded, whatever its name; else the folder itself,
    which the loader reports as missing the file."""
    folder = Path(folder)
    wanted = {f"{assignment}{suffix}" for suffix in SUFFIXES}
    found = sorted((p for p in folder.rglob("*") if p.name in wanted and p.is_file()),
                   key=lambda p: (len(p.parts), str(p)))
    if found:
        return from_folder(found[0].parent, assignment, id=assignment)
    for suffix in SUFFIXES:
        candidates = [p for p in folder.rglob(f"*{suffix}") if p.is_file() and "__MACOSX" not in p.parts]
        if len(candidates) == 1:
            submission = from_file(candidates[0])
            submission.id, submission.assignment = assignment, assignment
            submission.warnings.append(f"{candidates[0].name} was graded as {assignment}{suffix}")
            return submission
    return from_folder(folder, assignment, id=assignment)


def run_autograder(root: Path, assignment_name: str) -> dict:
    """Grade ``root/submission`` with ``root/source``'s tests; write ``root/results/results.json``."""
    from grader.grading import runner  # deferred: pytest and the jail are only needed here

    root = Path(root)
    results = root / "results" / "results.json"
    try:
        assignment = load_assignment(assignment_name, root / "source" / "assignments")
        # Strict where the container allows it (root, bwrap, namespaces), else basic, and the results say so.
        problem = strict_problem()
        with course_language(assignment.language):  # what the student reads on Gradescope
            result = runner.grade(assignment, [find_submission(root / "submission", assignment.name)],
                                  sandbox="basic" if problem else "strict")[0]
            data = to_gradescope(result, sandbox_note=problem or "")
    except Exception:
        # The staff's fault, not the student's: the details go to stdout, which only staff see.
        traceback.print_exc(file=sys.stdout)
        data = {"score": 0.0, "output": "The autograder could not grade this submission; the course staff "
                                        "can see why. Please tell them.", "visibility": "visible",
                "stdout_visibility": "hidden", "tests": []}
        write_json_atomically(results, data)
        raise
    write_json_atomically(results, data)
    print(f"graded with grader {grader.__version__} from {Path(grader.__file__).parent} in the "
          f"{result.sandbox} sandbox: {data['score']:g} / {result.auto_max_score:g}")
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m grader.gradescope")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="grade the submission in ROOT/submission (inside the bundle)")
    run.add_argument("root", type=Path)
    run.add_argument("assignment")
    args = parser.parse_args(argv)
    run_autograder(args.root, args.assignment)
    return 0


if __name__ == "__main__":
    sys.exit(main())
