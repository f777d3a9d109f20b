"""A course-sized batch: hw3 submissions (modules and notebooks) graded by `grader grade`, against the cost
of starting Python with numpy and pytest, measured in the same run.

    python bench/bench_class.py [--sizes 1000 10000 100000] [--workers 2] [--db] [-- extra grader grade options]

The class mixes the reference solution, the known-correct alternatives (a notebook among them) and the
known-wrong mutants, so that passing and failing tests both cost what they cost in a real class. Each
run is a fresh `grader grade` process (strict sandbox where it can run); it reports its own peak RSS
and CPU time, and that of its workers. Prints, per class size: the wall time and its ratio to 75 fresh
`python -c "import numpy, pytest"` starts per 1000 submissions (target ≤ 1), the parent's peak RSS
(target ≤ 250 MB, flat as the class grows), the grader's CPU time and the submissions' own (from each
result's cpu_in_submission_s). With --db, the first size again with a gradebook (target ≤ 1.10× without).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from itertools import cycle, islice
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# A checkout installed in editable mode would compile the grader on every start without its bytecode
# cache, which an installed wheel always has.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

from grader.authoring.mutants import load_mutants
from grader.jail.sandbox import strict_problem

STARTS_PER_1000 = 75
RSS_TARGET_MB = 250.0
DB_TARGET_RATIO = 1.10

# The parent alone: grade_folder with the workers replaced by a stand-in that answers each submission with
# the given result (renamed), so that 100 000 submissions measure what the parent pays per result.
PARENT_ONLY = """
import json, resource, sys, time
from pathlib import Path
from grader.grading.grade import grade_folder

template = json.loads(Path(sys.argv[3]).read_text(encoding="utf-8"))

def stand_in(jobs, workers, on_record):
    for job, chunk in jobs:
        for submission in job.submissions:
            on_record({"result": template | {"submission": submission["id"], "files": {}}})
    return []

started = time.perf_counter()
grade_folder("hw3", Path(sys.argv[1]), Path(sys.argv[2]), assignments_dir=Path(sys.argv[4]), executor=stand_in)
me = resource.getrusage(resource.RUSAGE_SELF)
print("measured", me.ru_maxrss, time.perf_counter() - started, file=sys.stderr)
"""

# Runs the CLI in this very process; reports peak RSS and CPU seconds (its own, its workers') on stderr.
MEASURED = """
import resource, sys
from grader.cli import main
code = main(sys.argv[1:])
me, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
print("measured", me.ru_maxrss, me.ru_utime + me.ru_stime, workers.ru_utime + workers.ru_stime, file=sys.stderr)
sys.exit(code)
"""


def make_class(count: int) -> Path:
    hw3 = ROOT / "assignments" / "hw3"
    solution = (ROOT / "reference" / "solutions" / "hw3.py").read_text(encoding="utf-8")
    sources = [(solution, ".py")] + [(p.read_text(encoding="utf-8"), p.suffix)
                                     for p in sorted((hw3 / "alternatives").iterdir())]
    sources += [(m.apply(solution), ".py") for m in load_mutants(hw3 / "mutants.toml")]
    folder = Path(tempfile.mkdtemp(prefix="bench-class-"))
    for number, (text, suffix) in enumerate(islice(cycle(sources), count)):
        (folder / f"s{number:06d}{suffix}").write_text(text, encoding="utf-8")
    return folder


def interpreter_start(repeats: int = 7) -> float:
    """Median wall time of a fresh `python -c "import numpy, pytest"`."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import numpy, pytest"], check=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


class Run:
    def __init__(self, folder: Path, workers: int, extra: list[str]) -> None:
        out = Path(tempfile.mkdtemp(prefix="bench-out-"))
        command = [sys.executable, "-c", MEASURED, "--assignments", str(ROOT / "assignments"), "grade", "hw3",
                   str(folder), "--out", str(out), "--workers", str(workers), *extra]
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        self.wall = time.perf_counter() - started
        if done.returncode != 0:
            raise SystemExit(f"grader grade failed:\n{done.stderr[-3000:]}")
        _, rss_kb, own_cpu, workers_cpu = done.stderr.strip().splitlines()[-1].split()
        self.rss_mb, self.grader_cpu = int(rss_kb) / 1024, float(own_cpu) + float(workers_cpu)
        summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
        self.count = summary["submissions"]
        self.student_cpu = sum(line.get("cpu_in_submission_s") or 0.0 for line in summary["results"])
        self.example = json.loads(next(out.glob("s0*.json")).read_text(encoding="utf-8"))
        self.sandbox = self.example["sandbox"]
        shutil.rmtree(out)


def parent_only(folder: Path, template: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of the parent alone (``PARENT_ONLY``) on the class in ``folder``."""
    out = Path(tempfile.mkdtemp(prefix="bench-out-"))
    done = subprocess.run([sys.executable, "-c", PARENT_ONLY, str(folder), str(out), str(template),
                           str(ROOT / "assignments")], capture_output=True, text=True, check=False)
    shutil.rmtree(out)
    if done.returncode != 0:
        raise SystemExit(f"the parent alone failed:\n{done.stderr[-3000:]}")
    _, rss_kb, wall = done.stderr.strip().splitlines()[-1].split()
    return float(wall), int(rss_kb) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--db", action="store_true", help="also grade the first size with --db")
    parser.add_argument("--parent-only", type=int, nargs="*", metavar="SIZE",
                        help="also these sizes with a stand-in for the workers (default 10000 100000): what the "
                        "parent pays per result, and its memory")
    args, extra = parser.parse_known_args()
    extra = [a for a in extra if a != "--"]
    if "--sandbox" not in extra:
        extra += ["--sandbox", "strict" if strict_problem() is None else "basic"]
    start = interpreter_start()
    print(f"fresh `python -c \"import numpy, pytest\"`: {start * 1000:.0f} ms median; "
          f"{STARTS_PER_1000} of them: {STARTS_PER_1000 * start:.1f} s")
    first: Run | None = None
    for size in args.sizes:
        folder = make_class(size)
        try:
            run = Run(folder, args.workers, extra)
            if args.db and first is None:
                with tempfile.TemporaryDirectory() as books:
                    recorded = Run(folder, args.workers, [*extra, "--db", str(Path(books) / "book.db")])
                print(f"with --db: {recorded.wall:.1f} s against {run.wall:.1f} s without, ratio "
                      f"{recorded.wall / run.wall:.2f} (target ≤ {DB_TARGET_RATIO:.2f})")
        finally:
            shutil.rmtree(folder)
        first = first or run
        per_1000 = run.wall / (size / 1000)
        print(f"{size} submissions, {args.workers} workers, {run.sandbox}: {run.wall:.1f} s ({size / run.wall:.0f}/s), "
              f"{per_1000:.1f} s per 1000 = {per_1000 / (STARTS_PER_1000 * start):.2f}× {STARTS_PER_1000} starts "
              f"(target ≤ 1); parent peak RSS {run.rss_mb:.0f} MB (target ≤ {RSS_TARGET_MB:.0f}); CPU: grader "
              f"{run.grader_cpu / size * 1000:.1f} ms, submissions {run.student_cpu / size * 1000:.1f} ms "
              "per submission")
    if args.parent_only is not None and first is not None:
        template = Path(tempfile.mkstemp(prefix="bench-result-", suffix=".json")[1])
        template.write_text(json.dumps(first.example), encoding="utf-8")
        for size in args.parent_only or [10_000, 100_000]:
            folder = make_class(size)
            try:
                wall, rss_mb = parent_only(folder, template)
            finally:
                shutil.rmtree(folder)
            print(f"the parent alone, {size} submissions: {wall:.1f} s ({wall / size * 1000:.2f} ms per result), "
                  f"peak RSS {rss_mb:.0f} MB (target ≤ {RSS_TARGET_MB:.0f})")
        template.unlink()


if __name__ == "__main__":
    main()
