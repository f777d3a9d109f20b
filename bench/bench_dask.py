"""The hw3 class graded by local worker processes and by Dask on a LocalCluster, and a crash followed by --resume.

    python bench/bench_dask.py [--submissions 400] [--workers 2] [--repeat 3] [--sandbox auto|strict|basic]
                               [--kill-worker] [--no-kill-grader]

Each run is a fresh `python -m grader grade hw3 CLASS --out OUT --workers N` process, with `--executor dask` for
the Dask side (a LocalCluster of N worker processes, started inside that process, so its start-up is in the
time). The class is bench_class.make_class's mix of the reference, the alternatives and the mutants. Prints, per
executor and N, the median wall time of the runs, submissions/s and the median CPU time (the command and
all it waited for), then the ratios dask/local; the load average frames them; exits 1 when the
two executors give any submission a different score (OUT/summary.json `results`).

The crash demonstrations then print counts:
- always: SIGKILL the whole `grader grade` process group (local executor) once some results are committed, then
  `--resume`: how many results were committed before the kill, how many `--resume` graded (result files it
  wrote anew) and that every submission ends with a result whose score equals the clean run's;
- with --kill-worker: a Dask run in which one Dask worker process is SIGKILLed while it grades a chunk; the run
  must still end with every submission graded and the same scores.
Exits 1 when any of these checks fails.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_class import make_class

from grader.grading.batch import chunk_sizes
from grader.jail.sandbox import strict_problem

Scores = dict[str, float]


def grade_command(folder: Path, out: Path, workers: int, sandbox: str, executor: str, *extra: str) -> list[str]:
    return [sys.executable, "-m", "grader", "--assignments", str(ROOT / "assignments"), "grade", "hw3", str(folder),
            "--out", str(out), "--workers", str(workers), "--sandbox", sandbox, "--executor", executor, *extra]


def scores(out: Path) -> Scores:
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    return {r["submission"]: r["score"] for r in summary["results"]}


def result_files(out: Path) -> dict[str, tuple[int, int]]:
    """Each committed result file with its inode and mtime: an atomic rewrite gives a new inode."""
    found = {}
    for path in out.glob("*.json"):
        if path.name != "summary.json":
            stat = path.stat()
            found[path.stem] = (stat.st_ino, stat.st_mtime_ns)
    return found


def run_grade(command: list[str]) -> tuple[float, float]:
    """Wall time, and CPU time of the command and every process below it that was waited for (Dask's
    workers and their chunks' grading processes included): less sensitive than wall time to other load."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} exited {done.returncode}:\n{done.stdout[-2000:]}{done.stderr[-3000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def timed_runs(folder: Path, workers: int, sandbox: str,
               repeat: int) -> tuple[dict[str, list[float]], dict[str, list[float]], dict[str, Scores]]:
    walls: dict[str, list[float]] = {"local": [], "dask": []}
    cpus: dict[str, list[float]] = {"local": [], "dask": []}
    last: dict[str, Scores] = {}
    for number in range(repeat):
        # Alternate the order so that neither executor always runs on a machine warmed (or heated) by the other.
        order = ("local", "dask") if number % 2 == 0 else ("dask", "local")
        for executor in order:
            out = Path(tempfile.mkdtemp(prefix=f"bench-dask-{executor}-"))
            try:
                wall, cpu = run_grade(grade_command(folder, out, workers, sandbox, executor))
                walls[executor].append(wall)
                cpus[executor].append(cpu)
                last[executor] = scores(out)
            finally:
                shutil.rmtree(out)
    return walls, cpus, last


def descendants(root: int) -> dict[int, tuple[int, str]]:
    """Every live process below ``root``: pid -> (parent pid, command line)."""
    table: dict[int, tuple[int, str]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except (OSError, IndexError, ValueError):
            continue  # gone meanwhile
        table[int(entry.name)] = (parent, cmdline)
    below: dict[int, tuple[int, str]] = {}
    frontier = [root]
    while frontier:
        pid = frontier.pop()
        for child, (parent, cmdline) in table.items():
            if parent == pid and child not in below:
                below[child] = (parent, cmdline)
                frontier.append(child)
    return below


def _alive(pid: int) -> bool:
    """Running, not a zombie: where PID 1 does not reap orphans, a dead process's entry stays in /proc."""
    try:
        return (Path(f"/proc/{pid}") / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def _parses(path: Path) -> bool:
    try:
        json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return True


def kill_grader_then_resume(folder: Path, workers: int, sandbox: str, clean: Scores) -> bool:
    """SIGKILL the grading command's whole process group once a quarter of the class is committed, then resume."""
    out = Path(tempfile.mkdtemp(prefix="bench-dask-killed-"))
    try:
        total = len(clean)
        target = max(1, total // 4)
        # A session (and process group) of its own: the kill reaches the command and every worker it started.
        process = subprocess.Popen(grade_command(folder, out, workers, sandbox, "local"), stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, start_new_session=True)
        while process.poll() is None and len(result_files(out)) < target:
            time.sleep(0.05)
        if process.poll() is not None:
            print(f"  the run ended before {target} results were committed; nothing was killed")
            return False
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        time.sleep(0.5)  # let the killed workers' last writes (if any) land before counting
        before = result_files(out)
        # An atomic commit leaves either a whole result or none: every committed file must parse.
        whole = sum(_parses(out / f"{stem}.json") for stem in before)
        partial = [p.name for p in out.iterdir() if p.name.startswith(".")]  # write_json_atomically's temporaries
        print(f"  SIGKILL of the grading command's process group: {len(before)} of {total} results committed "
              f"({whole} parse as whole JSON), summary.json "
              f"{'present' if (out / 'summary.json').exists() else 'absent'}, "
              f"{len(partial)} stray temporary file(s)")
        wall, _ = run_grade(grade_command(folder, out, workers, sandbox, "local", "--resume"))
        after = result_files(out)
        rewritten = {stem for stem, key in after.items() if before.get(stem) != key}
        kept_untouched = sum(before.get(stem) == key for stem, key in after.items())
        final = scores(out)
        print(f"  --resume: {wall:.1f} s, graded {len(rewritten)} (missing before: {total - len(before)}), "
              f"kept {kept_untouched} untouched; {len(final)} of {total} submissions have a result")
        same = final == clean
        ok = (same and whole == len(before) and len(rewritten) == total - len(before) and len(final) == total
              and kept_untouched == len(before))
        print(f"  scores equal to the clean run's: {same}; crash + resume check {'passed' if ok else 'FAILED'}")
        return ok
    finally:
        shutil.rmtree(out)


def kill_dask_worker(folder: Path, workers: int, sandbox: str, clean: Scores) -> bool:
    """SIGKILL one Dask worker process while its chunk's grading process has been running for a second."""
    out = Path(tempfile.mkdtemp(prefix="bench-dask-worker-"))
    try:
        started = time.perf_counter()
        process = subprocess.Popen(grade_command(folder, out, workers, sandbox, "dask"), stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True, start_new_session=True)
        victim = None
        seen: dict[int, float] = {}  # each chunk's grading process, when it was first seen
        orphan = 0
        killed_at = 0.0
        committed_at_kill = 0
        orphan_outlived: bool | None = None
        # Poll to the end of the run: how many chunk processes ran tells whether Dask ran the killed chunk again.
        while process.poll() is None:
            below = descendants(process.pid)
            for pid, (parent, cmdline) in below.items():
                # A chunk's grading process (python -m grader.grading.batch) whose parent is a Dask worker: not
                # the command itself (the local executor's layout), nor a grading process (its own forks carry
                # its command line until they exec).
                if ("grader.grading.batch" in cmdline and parent in below
                        and "grader.grading.batch" not in below[parent][1]):
                    first = seen.setdefault(pid, time.perf_counter())
                    if victim is None and time.perf_counter() - first > 1.0:
                        victim, orphan = parent, pid
                        committed_at_kill = len(result_files(out))
                        os.kill(victim, signal.SIGKILL)
                        killed_at = time.perf_counter()
            if victim is not None and orphan_outlived is None and time.perf_counter() - killed_at > 1.0:
                orphan_outlived = _alive(orphan)  # a second later: did it die with its worker?
            time.sleep(0.05)
        _, stderr = process.communicate()
        wall = time.perf_counter() - started
        if victim is None:
            print("  no chunk was seen running in a Dask worker; nothing was killed")
            return False
        if process.returncode != 0:
            print(f"  the Dask run exited {process.returncode} after the kill:\n{stderr[-2000:]}")
            return False
        chunks = math.ceil(len(clean) / chunk_sizes(len(clean), workers))
        again = " (Dask ran the killed worker's chunk again)" if len(seen) == chunks + 1 else ""
        print(f"  chunk grading processes seen: {len(seen)} for {chunks} chunks{again}; the killed worker's one "
              f"(pid {orphan}) {'outlived it' if orphan_outlived else 'died with it'}")
        final = scores(out)
        stopped = sum(1 for path in out.glob("*.json") if path.name != "summary.json"
                      and "the grading process stopped" in path.read_text(encoding="utf-8"))
        print(f"  SIGKILL of Dask worker pid {victim} mid-chunk ({committed_at_kill} results committed then): the run "
              f"went on and finished in {wall:.1f} s; {len(final)} of {len(clean)} submissions have a result, "
              f"{stopped} marked 'the grading process stopped'")
        ok = final == clean
        print(f"  scores equal to the clean run's: {ok}; Dask worker kill check {'passed' if ok else 'FAILED'}")
        return ok
    finally:
        shutil.rmtree(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--submissions", type=int, default=400)
    parser.add_argument("--workers", type=int, nargs="+", default=[2], help="N: local workers and Dask workers")
    parser.add_argument("--repeat", type=int, default=3, help="runs per executor and N; the median is printed")
    parser.add_argument("--sandbox", choices=("auto", "strict", "basic"), default="auto",
                        help="auto: strict where it can run here, else basic")
    parser.add_argument("--kill-worker", action="store_true", help="also kill a Dask worker mid-chunk")
    parser.add_argument("--no-kill-grader", action="store_true", help="skip the SIGKILL + --resume demonstration")
    args = parser.parse_args()
    sandbox = args.sandbox
    if sandbox == "auto":
        problem = strict_problem()
        sandbox = "strict" if problem is None else "basic"
        if problem is not None:
            print(f"strict sandbox unavailable ({problem}); grading in basic")
    # Wall times mean little on a machine that is busy with something else: say how busy it was.
    print("load average (1, 5, 15 min) at the start: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
    folder = make_class(args.submissions)
    ok = True
    try:
        clean: Scores = {}
        for workers in args.workers:
            walls, cpus, last = timed_runs(folder, workers, sandbox, args.repeat)
            medians = {executor: statistics.median(times) for executor, times in walls.items()}
            cpu = {executor: statistics.median(times) for executor, times in cpus.items()}
            for executor, median in medians.items():
                runs = ", ".join(f"{t:.1f}" for t in walls[executor])
                print(f"{args.submissions} submissions, {executor:5} executor, N={workers}, {sandbox} sandbox: median "
                      f"{median:.1f} s ({args.submissions / median:.1f} submissions/s; runs {runs} s), "
                      f"median CPU {cpu[executor]:.1f} s")
            same = last["local"] == last["dask"] and len(last["local"]) == args.submissions
            differing = sorted(s for s in last["local"] if last["local"][s] != last["dask"].get(s))
            print(f"N={workers}: ratio dask/local wall {medians['dask'] / medians['local']:.2f}, CPU "
                  f"{cpu['dask'] / cpu['local']:.2f}; scores per submission "
                  f"{'identical' if same else f'DIFFER for {len(differing)}: {differing[:10]}'}")
            ok = ok and same
            clean = last["local"]
        workers = args.workers[0]
        if not args.no_kill_grader:
            print(f"crash safety, local executor, N={workers}:")
            ok = kill_grader_then_resume(folder, workers, sandbox, clean) and ok
        if args.kill_worker:
            print(f"crash safety, Dask executor, N={workers}:")
            ok = kill_dask_worker(folder, workers, sandbox, clean) and ok
        print("load average (1, 5, 15 min) at the end: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
    finally:
        shutil.rmtree(folder)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
