"""hw3 notebooks graded by `grader grade` and, side by side, by otter-grader (`otter run`) and nbgrader
(`nbgrader autograde`), each where it is installed.

    python bench/bench_peers.py [--notebooks 20] [--repeat 3] [--workers 1] [--sandbox auto|strict|basic]
                                [--peer-bin /tmp/peers-venv/bin]

The peers are not dependencies of the grader: install them in a venv of their own,
`python3 -m venv /tmp/peers-venv && /tmp/peers-venv/bin/pip install otter-grader nbgrader`, and point
`--peer-bin` at its bin folder (default: PATH). A peer that is not found is skipped, with a line saying how to
install it.

Every tool grades the same N copies of one notebook: hw3's template filled with the reference solution. Our side
is the real hw3 (public and hidden tests, in the sandbox); the peers get 5 tests of their own that check the same
things as hw3's public tests (row 5, the final model, the three functions on the lecture's points), as otter's
OK-format tests in an autograder zip made by `otter generate`, and as nbgrader grade cells of a source notebook
released by `nbgrader generate_assignment`; that set-up is not timed. Timed: `grader grade` over the class folder,
one `otter run` per notebook (otter grades one submission per run without Docker), and one
`nbgrader autograde hw3 --force` over the course. Prints, per tool, the median over --repeat runs of the wall
time and the CPU time (resource.getrusage(RUSAGE_CHILDREN) deltas: the tool and every descendant it waited for)
per notebook, the scores it gave, and the ratios peer/grader.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from grader.authoring.templates import notebook_of
from grader.jail.sandbox import strict_problem

INSTALL = ("python3 -m venv /tmp/peers-venv && /tmp/peers-venv/bin/pip install {package}; "
           "then --peer-bin /tmp/peers-venv/bin")

# The peers' tests: one-line statements (each an OK-format doctest line for otter, a line of a grade cell for
# nbgrader), checking what hw3's public tests check. A failing assert fails the test.
LECTURE = ("[(0, None, (0, 0), 0), (1, 0, (3, 3), 1), (2, 2, (2, 2), 0), (3, 2, (1, 1), -1), (4, 2, (0, 0), -2), "
           "(5, 0, (3, 3), -1), (6, 2, (2, 2), -2), (7, 2, (1, 1), -3), (8, None, (1, 1), -3)]")
PEER_TESTS: dict[str, list[str]] = {
    "step_5_uses_m2": [
        "row = TABLE[5]",
        "assert row[0] == 5 and row[1] == 'M2'",
        "assert np.allclose(row[2], [4, 3]) and np.isclose(row[3], -1)",
    ],
    "final_model": [
        "assert TABLE[-1][1] is None",
        "assert np.allclose(FINAL_W, TABLE[-1][2]) and np.isclose(FINAL_B, TABLE[-1][3])",
        "assert all(y * (np.dot(FINAL_W, x) + FINAL_B) > 0 for x, y in zip(X, Y))",
    ],
    "is_misclassified": [
        "assert is_misclassified((0, 0), 0, (3, 3), 1) is True",
        "assert is_misclassified((3, 3), 1, (3, 3), 1) is False",
        "assert is_misclassified((3, 3), 1, (1, 1), -1) is True",
        "assert is_misclassified((1, 1), -2, (1, 1), -1) is True",
    ],
    "perceptron_step": [
        "w, b = perceptron_step((3, 3), 1, (1, 1), -1)",
        "assert np.allclose(w, [2, 2]) and np.isclose(b, 0)",
        "w, b = perceptron_step((0, 0), 0, (3, 3), 1, eta=0.5)",
        "assert np.allclose(w, [1.5, 1.5]) and np.isclose(b, 0.5)",
    ],
    "perceptron_train_lecture": [
        f"lecture = {LECTURE}",
        "trace = perceptron_train([(3, 3), (4, 3), (1, 1)], [1, 1, -1])",
        "assert len(trace) == len(lecture)",
        ("assert all(r[0] == e[0] and r[1] == e[1] and np.allclose(r[2], e[2]) and np.isclose(r[3], e[3]) "
         "for r, e in zip(trace, lecture))"),
    ],
}

_MARKER = re.compile(r"^\s*### (BEGIN|END) (SOLUTION|STUB)\s*$")


def reference_source(keep_solution_markers: bool) -> str:
    """hw3's reference in percent format without its stubs: the answers students fill into the template."""
    out, in_stub = [], False
    for line in (ROOT / "reference" / "solutions" / "hw3.py").read_text(encoding="utf-8").splitlines():
        marker = _MARKER.match(line)
        if marker:
            in_stub = marker.group(1) == "BEGIN" and marker.group(2) == "STUB"
            if keep_solution_markers and marker.group(2) == "SOLUTION":
                out.append(line)  # nbgrader's own markers are the same as ours
            continue
        if not in_stub:
            out.append(line)
    return "\n".join(out) + "\n"


def filled_notebook() -> str:
    """The template filled with the reference solution: the cells of the template, with the answers in them."""
    return notebook_of(reference_source(keep_solution_markers=False))


@dataclass
class Measured:
    walls: list[float] = field(default_factory=list)  # per run, seconds for the whole class
    cpus: list[float] = field(default_factory=list)  # per run, CPU seconds of the tool and its waited-for children
    scores: dict[str, tuple[float, float]] = field(default_factory=dict)  # last run: notebook -> (score, max)
    tests: int = 0
    note: str = ""


def timed(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall and CPU time (user + system of the children this process waits for) of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {done.returncode}:\n{done.stdout[-1500:]}{done.stderr[-2500:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def peer_env(peer_bin: Path | None) -> dict[str, str]:
    """The peers' own bin folder first, so that the Jupyter kernels they start come from their venv too."""
    env = dict(os.environ)
    if peer_bin is not None:
        env["PATH"] = f"{peer_bin}{os.pathsep}{env.get('PATH', '')}"
    return env


def run_grader(notebook: str, count: int, repeat: int, workers: int, sandbox: str) -> Measured:
    work = Path(tempfile.mkdtemp(prefix="bench-peers-grader-"))
    measured = Measured(note=f"{sandbox} sandbox, {workers} worker(s), public + hidden tests")
    try:
        folder = work / "class"
        folder.mkdir()
        for number in range(count):
            (folder / f"s{number:03d}.ipynb").write_text(notebook, encoding="utf-8")
        for _ in range(repeat):
            out = work / "out"
            shutil.rmtree(out, ignore_errors=True)
            wall, cpu = timed([sys.executable, "-m", "grader", "--assignments", str(ROOT / "assignments"), "grade",
                               "hw3", str(folder), "--out", str(out), "--workers", str(workers), "--sandbox", sandbox],
                              cwd=work)
            measured.walls.append(wall)
            measured.cpus.append(cpu)
        summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
        measured.scores = {r["submission"]: (r["auto_score"], r["auto_max_score"]) for r in summary["results"]}
        measured.tests = max(sum(r["statuses"].values()) for r in summary["results"])
    finally:
        shutil.rmtree(work)
    return measured


def ok_test_file(name: str, lines: list[str]) -> str:
    """An otter test file in OK format: one doctest case whose statements print nothing when they pass."""
    case = {"code": "\n".join(f">>> {line}" for line in lines), "hidden": False, "locked": False}
    test = {"name": name, "points": 1, "suites": [{"cases": [case], "scored": True, "setup": "", "teardown": "",
                                                   "type": "doctest"}]}
    return f"OK_FORMAT = True\n\ntest = {test!r}\n"


def run_otter(otter: str, env: dict[str, str], notebook: str, count: int, repeat: int) -> Measured:
    work = Path(tempfile.mkdtemp(prefix="bench-peers-otter-"))
    measured = Measured(note="`otter run` per notebook (no container)", tests=len(PEER_TESTS))
    try:
        tests = work / "tests"
        tests.mkdir()
        for name, lines in PEER_TESTS.items():
            (tests / f"{name}.py").write_text(ok_test_file(name, lines), encoding="utf-8")
        # Not timed: the autograder zip is made once per assignment.
        subprocess.run([otter, "generate", "--no-requirements", "--no-environment"], cwd=work, env=env,
                       capture_output=True, check=True)
        notebooks = work / "class"
        notebooks.mkdir()
        for number in range(count):
            (notebooks / f"s{number:03d}.ipynb").write_text(notebook, encoding="utf-8")
        for _ in range(repeat):
            wall = cpu = 0.0
            for path in sorted(notebooks.iterdir()):
                out = work / "out" / path.stem
                shutil.rmtree(out, ignore_errors=True)
                out.mkdir(parents=True)
                one_wall, one_cpu = timed([otter, "run", "-a", str(work / "autograder.zip"), "-o", str(out),
                                           "--no-logo", str(path)], cwd=work, env=env)
                wall, cpu = wall + one_wall, cpu + one_cpu
            measured.walls.append(wall)
            measured.cpus.append(cpu)
        for path in sorted((work / "out").iterdir()):
            results = json.loads((path / "results.json").read_text(encoding="utf-8"))["tests"]
            scored = [t for t in results if "max_score" in t]  # the rest is otter's summary of the public tests
            measured.scores[path.name] = (sum(t["score"] for t in scored), sum(t["max_score"] for t in scored))
    finally:
        shutil.rmtree(work)
    return measured


def nbgrader_source() -> nbformat.NotebookNode:
    """The filled notebook as nbgrader's instructor version: answer cells marked, one grade cell per test."""
    notebook = nbformat.reads(notebook_of(reference_source(keep_solution_markers=True)), as_version=4)
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "code" and "### BEGIN SOLUTION" in cell.source:
            cell.metadata["nbgrader"] = {"solution": True, "grade": False, "locked": False,
                                         "grade_id": f"answer-{index}", "schema_version": 3}
    for name, lines in PEER_TESTS.items():
        cell = nbformat.v4.new_code_cell("\n".join(lines))
        cell.metadata["nbgrader"] = {"solution": False, "grade": True, "locked": True, "points": 1,
                                     "grade_id": name, "schema_version": 3}
        notebook.cells.append(cell)
    for index, cell in enumerate(notebook.cells):
        cell["id"] = f"cell-{index}"
    return notebook


def run_nbgrader(nbgrader: str, env: dict[str, str], notebook: str, count: int, repeat: int) -> Measured:
    course = Path(tempfile.mkdtemp(prefix="bench-peers-nbgrader-"))
    measured = Measured(note="`nbgrader autograde hw3 --force` over the course", tests=len(PEER_TESTS))
    try:
        (course / "nbgrader_config.py").write_text(
            f"c = get_config()\nc.CourseDirectory.course_id = 'bench'\nc.CourseDirectory.root = {str(course)!r}\n",
            encoding="utf-8")
        source = course / "source" / "hw3"
        source.mkdir(parents=True)
        nbformat.write(nbgrader_source(), source / "hw3.ipynb")
        # Not timed: the release is made once per assignment (and records the assignment in the gradebook).
        subprocess.run([nbgrader, "generate_assignment", "hw3", "--force"], cwd=course, env=env,
                       capture_output=True, check=True)
        # A student's copy: the release, with each answer cell holding what the filled template holds there.
        filled = nbformat.reads(notebook, as_version=4)
        submitted = nbformat.read(course / "release" / "hw3" / "hw3.ipynb", as_version=4)
        for index, cell in enumerate(submitted.cells):
            if cell.metadata.get("nbgrader", {}).get("solution"):
                cell.source = filled.cells[index].source
        for number in range(count):
            folder = course / "submitted" / f"s{number:03d}" / "hw3"
            folder.mkdir(parents=True)
            nbformat.write(submitted, folder / "hw3.ipynb")
        for _ in range(repeat):
            wall, cpu = timed([nbgrader, "autograde", "hw3", "--force"], cwd=course, env=env)
            measured.walls.append(wall)
            measured.cpus.append(cpu)
        subprocess.run([nbgrader, "export", "--to", str(course / "grades.csv")], cwd=course, env=env,
                       capture_output=True, check=True)
        with open(course / "grades.csv", encoding="utf-8", newline="") as stream:
            measured.scores = {row["student_id"]: (float(row["raw_score"] or 0), float(row["max_score"]))
                               for row in csv.DictReader(stream) if row["assignment"] == "hw3"}
    finally:
        shutil.rmtree(course)
    return measured


def report(name: str, measured: Measured, count: int) -> tuple[float, float]:
    wall = statistics.median(measured.walls) / count
    cpu = statistics.median(measured.cpus) / count
    full = sum(score == top and top > 0 for score, top in measured.scores.values())
    print(f"{name:9} {wall * 1000:8.0f} ms wall {cpu * 1000:8.0f} ms CPU per notebook "
          f"(runs: {', '.join(f'{w:.1f}' for w in measured.walls)} s for {count}); {measured.tests} tests; "
          f"full marks {full}/{len(measured.scores)}; {measured.note}")
    return wall, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--notebooks", type=int, default=20, help="copies of the filled hw3 notebook in the class")
    parser.add_argument("--repeat", type=int, default=3, help="runs per tool; medians are printed")
    parser.add_argument("--workers", type=int, default=1,
                        help="grader grade --workers (default 1: the peers grade one notebook at a time too)")
    parser.add_argument("--sandbox", choices=("auto", "strict", "basic"), default="auto",
                        help="auto: strict where it can run here, else basic")
    parser.add_argument("--peer-bin", type=Path, help="folder holding otter and nbgrader (default: PATH)")
    args = parser.parse_args()
    sandbox = args.sandbox
    if sandbox == "auto":
        sandbox = "strict" if strict_problem() is None else "basic"
    notebook = filled_notebook()
    env = peer_env(args.peer_bin)
    search = str(args.peer_bin) if args.peer_bin else None  # None: shutil.which looks in PATH

    print(f"{args.notebooks} copies of hw3's template filled with the reference solution, {args.repeat} run(s) each; "
          "load average (1, 5, 15 min) {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
    ours = run_grader(notebook, args.notebooks, args.repeat, args.workers, sandbox)
    base_wall, base_cpu = report("grader", ours, args.notebooks)
    ok = all(score == top for score, top in ours.scores.values())
    peers: list[tuple[str, str, str, Callable[..., Measured]]] = [
        ("otter", "otter", "otter-grader", run_otter), ("nbgrader", "nbgrader", "nbgrader", run_nbgrader)]
    for name, executable, package, run in peers:
        found = shutil.which(executable, path=search)
        if found is None:
            print(f"{name:9} skipped: `{executable}` is not in {search or 'PATH'}; to include it: "
                  f"{INSTALL.format(package=package)}")
            continue
        try:
            measured = run(found, env, notebook, args.notebooks, args.repeat)
        except (RuntimeError, subprocess.CalledProcessError, OSError, KeyError, ValueError) as exc:
            detail = exc.stderr.decode(errors="replace")[-1500:] if isinstance(exc, subprocess.CalledProcessError) \
                and exc.stderr else ""
            print(f"{name:9} FAILED: {type(exc).__name__}: {exc}\n{detail}")
            ok = False
            continue
        wall, cpu = report(name, measured, args.notebooks)
        print(f"{'':9} ratio {name}/grader: wall {wall / base_wall:.1f}, CPU {cpu / base_cpu:.1f}")
        ok = ok and all(score == top for score, top in measured.scores.values())
    print("load average (1, 5, 15 min) at the end: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
