"""A course-sized batch: 1000 hw3 submissions graded with `grader grade`, for 1 and 2 workers.

    python bench/bench_class.py [--submissions 1000] [--workers 1 2] [-- extra grader grade options]

The class mixes the reference solution, the known-correct alternatives and the known-wrong mutants, so
that passing and failing tests both cost what they cost in a real class. Each run is a fresh
`grader grade` process; its own peak RSS (the parent's, not the workers') is read from inside it.
Targets (2-core machine): 1000 submissions ≤ 60 s, parent peak RSS ≤ 250 MB. Prints the measurements
and their ratios to the targets.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from itertools import cycle, islice
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from grader.authoring.mutants import load_mutants

TOTAL_TARGET_S = 60.0
RSS_TARGET_MB = 250.0

# Runs the CLI in this very process and reports the process's peak RSS on stderr's last line.
MEASURED = """
import resource, sys
from grader.cli import main
code = main(sys.argv[1:])
print("peak_rss_kb", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
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
        (folder / f"s{number:04d}{suffix}").write_text(text, encoding="utf-8")
    return folder


def grade_once(folder: Path, workers: int, extra: list[str]) -> tuple[float, float, dict]:
    out = Path(tempfile.mkdtemp(prefix="bench-out-"))
    command = [sys.executable, "-c", MEASURED, "--assignments", str(ROOT / "assignments"), "grade", "hw3",
               str(folder), "--out", str(out), "--workers", str(workers), *extra]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"grader grade failed:\n{done.stderr[-3000:]}")
    rss_kb = int(done.stderr.strip().splitlines()[-1].split()[1])
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    first = out / f"{summary['results'][0]['submission']}.json"
    summary["sandbox"] = json.loads(first.read_text(encoding="utf-8"))["sandbox"]
    shutil.rmtree(out)
    return wall, rss_kb / 1024, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--submissions", type=int, default=1000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args, extra = parser.parse_known_args()
    extra = [a for a in extra if a != "--"]
    folder = make_class(args.submissions)
    try:
        for workers in args.workers:
            wall, rss_mb, summary = grade_once(folder, workers, extra)
            print(f"{args.submissions} submissions, {workers} worker(s), {summary['sandbox']} sandbox: "
                  f"{wall:.1f} s total ({args.submissions / wall:.1f}/s, ratio to 60 s target "
                  f"{wall / TOTAL_TARGET_S * 1000 / args.submissions:.2f} per 1000), parent peak RSS {rss_mb:.0f} MB "
                  f"(ratio {rss_mb / RSS_TARGET_MB:.2f})")
    finally:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
