"""The end of a batch at class sizes from 100 to 20 000: the console summary (`grader grade`'s class table
and overview, rendered from the batch's summary) and the batch files (the summary made and written as
summary.json, gradebook.csv).

    python bench/bench_summary.py [--sizes 100 1000 20000] [--repeats 3]

Results are made up in hw3's shape (13 auto tests, one manual question, a spread of scores and some
load errors). Target: the console summary costs the same at 20 000 results as at 100 (ratio ≤ 1.5); the
files, which hold every submission, grow linearly. Prints medians and the ratios to the smallest size.
"""

from __future__ import annotations

import argparse
import io
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from grader.model.results import Kind, Status, SubmissionResult, TestResult
from grader.sinks.console import ClassOverview, ClassTable, make_console
from grader.sinks.results_folder import ResultsFolder

CONSOLE_RATIO_TARGET = 1.5


def made_up_class(count: int) -> list[SubmissionResult]:
    draw = random.Random(14)
    results = []
    for number in range(count):
        ability = draw.random()
        tests = [TestResult(f"test {t}", f"tests/public/test_hw3.py::test_{t}", 1.0 if passed else 0.0, 1.0,
                            Status.PASSED if passed else Status.FAILED, message="" if passed else "row 3: w wrong")
                 for t in range(13) for passed in [draw.random() < ability]]
        tests.append(TestResult("Q3_NONSEP", "manual::Q3_NONSEP", 0.0, 2.0, Status.PENDING, kind=Kind.MANUAL))
        errors = [{"where": "cell 3", "error": "NameError: name 'TABLE' is not defined", "traceback": ""}] \
            if number % 50 == 0 else []
        results.append(SubmissionResult("hw3", f"student{number:05d}", tests, load_errors=errors,
                                        duration_s=draw.uniform(0.05, 0.3)))
    return results


def console_summary(data: dict) -> float:
    console = make_console(file=io.StringIO(), width=120)
    started = time.perf_counter()
    console.print(ClassTable(data, "hw3"))
    console.print(ClassOverview(data))
    return time.perf_counter() - started


def batch_files(results: list[SubmissionResult]) -> tuple[float, dict]:
    """summary.json (the summary made from the results) and gradebook.csv; the time and the summary."""
    folder = Path(tempfile.mkdtemp(prefix="bench-summary-"))
    started = time.perf_counter()
    written = ResultsFolder(folder)
    written.finish(results)
    elapsed = time.perf_counter() - started
    shutil.rmtree(folder)
    assert written.summary is not None  # finish() made it
    return elapsed, written.summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 20_000])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    rows = []
    for size in args.sizes:
        results = made_up_class(size)
        files = [batch_files(results) for _ in range(args.repeats)]
        data = files[0][1]
        console_summary(data)  # rich's first rendering loads its tables
        rows.append((size, statistics.median(console_summary(data) for _ in range(args.repeats)),
                     statistics.median(elapsed for elapsed, _ in files)))
    smallest_console, smallest_files = rows[0][1], rows[0][2]
    print(f"{'results':>8} {'console s':>10} {'× smallest':>11} {'files s':>8} {'× smallest':>11}")
    for size, console_s, files_s in rows:
        print(f"{size:>8} {console_s:>10.3f} {console_s / smallest_console:>11.2f} {files_s:>8.3f} "
              f"{files_s / smallest_files:>11.2f}")
    worst = max(console_s for _, console_s, _ in rows) / smallest_console
    print(f"console summary: largest/smallest {worst:.2f} (target ≤ {CONSOLE_RATIO_TARGET:g}); "
          "the files hold every submission and grow with the class")


if __name__ == "__main__":
    main()
