"""Grading speed: framework overhead per hw3 submission, and `grader check hw3` against a fresh
`python -c "import numpy, pytest"` measured in the same run.

    python bench/bench_grading.py [--submissions 40] [--repeats 7] [--sandbox strict|basic|both]

Overhead = time to grade a submission minus the time spent waiting for the submission's own process
(its loading and its calls). Targets on a 2-core machine: overhead ≤ 50 ms per submission (median);
`grader check hw3` (a student's check: public tests, basic sandbox) ≤ 1.5× the bare interpreter start.
Prints medians and ratios to the targets.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# A checkout installed in editable mode would compile the grader on every start without its bytecode
# cache, which an installed wheel always has.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

from grader.grading import runner
from grader.jail.sandbox import strict_problem
from grader.model.assignment import load_assignment
from grader.model.discovery import discover

OVERHEAD_TARGET_S = 0.050
CHECK_TARGET_RATIO = 1.5


def bench_batch(count: int, sandbox: str = "basic") -> tuple[float, float, float]:
    """(median overhead per submission, median total per submission, batch wall time)."""
    folder = Path(tempfile.mkdtemp(prefix="bench-class-"))
    solution = ROOT / "reference" / "solutions" / "hw3.py"
    for i in range(count):
        shutil.copy(solution, folder / f"student{i:04d}.py")
    assignment = load_assignment("hw3", ROOT / "assignments")
    started = time.perf_counter()
    results = runner.grade(assignment, discover(folder, "hw3"), sandbox=sandbox)
    wall = time.perf_counter() - started
    shutil.rmtree(folder)
    assert all(r.auto_score == r.auto_max_score for r in results), "the bench submissions should all pass"
    overheads = [r.duration_s - r.time_in_submission_s for r in results]
    return statistics.median(overheads), statistics.median(r.duration_s for r in results), wall


def bench_check(repeats: int) -> tuple[float, float]:
    """Median wall time of `grader check hw3` and of a bare `python -c "import numpy, pytest"`, taken in
    turns so that both see the same machine."""
    folder = Path(tempfile.mkdtemp(prefix="bench-check-"))
    shutil.copy(ROOT / "reference" / "solutions" / "hw3.py", folder / "hw3.py")
    grader = Path(sys.executable).with_name("grader")
    command = [str(grader)] if grader.exists() else [sys.executable, "-m", "grader"]
    check, bare = [], []
    for _ in range(repeats):
        started = time.perf_counter()
        subprocess.run([*command, "--assignments", str(ROOT / "assignments"), "check", "hw3"], cwd=folder,
                       check=True, stdout=subprocess.DEVNULL)
        check.append(time.perf_counter() - started)
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import numpy, pytest"], check=True)
        bare.append(time.perf_counter() - started)
    shutil.rmtree(folder)
    return statistics.median(check), statistics.median(bare)


def add_sandbox_option(parser: argparse.ArgumentParser) -> None:
    """--sandbox strict|basic|both (default: both where strict mode can run, else basic)."""
    parser.add_argument("--sandbox", choices=("strict", "basic", "both"),
                        default="both" if strict_problem() is None else "basic")


def sandboxes(choice: str) -> tuple[str, ...]:
    return ("strict", "basic") if choice == "both" else (choice,)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=40)
    parser.add_argument("--repeats", type=int, default=7)
    add_sandbox_option(parser)
    args = parser.parse_args()
    for sandbox in sandboxes(args.sandbox):
        overhead, per_submission, wall = bench_batch(args.submissions, sandbox)
        print(f"[{sandbox}] batch of {args.submissions} hw3 submissions (public + hidden tests): {wall:.2f} s wall, "
              f"{args.submissions / wall:.1f} submissions/s")
        print(f"[{sandbox}] median time per submission:     {per_submission * 1000:7.1f} ms")
        print(f"[{sandbox}] median framework overhead:      {overhead * 1000:7.1f} ms   "
              f"(target {OVERHEAD_TARGET_S * 1000:.0f} ms, ratio {overhead / OVERHEAD_TARGET_S:.2f})")
    check, bare = bench_check(args.repeats)
    print(f"median `grader check hw3` wall: {check * 1000:7.1f} ms; bare `python -c \"import numpy, pytest\"` "
          f"{bare * 1000:.1f} ms; ratio {check / bare:.2f} (target ≤ {CHECK_TARGET_RATIO:g}, {args.repeats} runs each)")


if __name__ == "__main__":
    main()
