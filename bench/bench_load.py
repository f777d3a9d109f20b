"""Grading under load: the hw4 sample class (with its slow per-sample-loop solution) graded idle and
while CPU hogs saturate every core, with `grader grade` (strict where it can run, 2 workers).

    python bench/bench_load.py [--assignment hw4] [--hogs-per-core 0 1 2] [--repeat 1]

Prints, for each load, the median wall time, its ratio to the idle run, how many tests the machine
was too busy to finish, and whether every score equals the idle run's (exit status 1 if one does
not: a busy machine must cost no one points).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.load import cpu_hogs


def grade_once(assignment: str, extra: list[str]) -> tuple[float, dict[str, float], int]:
    out = Path(tempfile.mkdtemp(prefix="bench-load-"))
    command = [sys.executable, "-m", "grader", "--assignments", str(ROOT / "assignments"), "grade", assignment,
               str(ROOT / "submissions" / assignment), "--out", str(out), "--workers", "2", *extra]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"grader grade failed:\n{done.stderr[-3000:]}")
    results = [json.loads(p.read_text(encoding="utf-8")) for p in out.glob("*.json")
               if p.name not in ("summary.json", "gradebook.json")]
    scores = {r["submission"]: r["score"] for r in results}
    busy = sum(1 for r in results for t in r["tests"] if t.get("machine_busy"))
    return wall, scores, busy


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assignment", default="hw4")
    parser.add_argument("--hogs-per-core", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--repeat", type=int, default=1)
    args, extra = parser.parse_known_args()
    rows = []
    for per_core in sorted(set(args.hogs_per_core) | {0}):
        walls, scores, busy = [], {}, 0
        for _ in range(args.repeat):
            with cpu_hogs(per_core=per_core) if per_core else contextlib.nullcontext():
                wall, scores, busy = grade_once(args.assignment, extra)
            walls.append(wall)
        rows.append((per_core, statistics.median(walls), scores, busy))
    idle_wall, idle_scores = rows[0][1], rows[0][2]
    print(f"{args.assignment}: {len(idle_scores)} submissions, 2 workers, median of {args.repeat}")
    print(f"{'hogs/core':>9} {'wall s':>8} {'× idle':>7} {'busy tests':>10}  scores")
    same_everywhere = True
    for per_core, wall, scores, busy in rows:
        same = scores == idle_scores
        same_everywhere &= same or busy > 0  # a busy test is an error to grade again, not a score
        differing = sorted(k for k in scores if scores[k] != idle_scores.get(k))
        print(f"{per_core:>9} {wall:>8.1f} {wall / idle_wall:>7.2f} {busy:>10}  "
              + ("same as idle" if same else f"differ: {', '.join(differing)}"))
    return 0 if same_everywhere else 1


if __name__ == "__main__":
    sys.exit(main())
