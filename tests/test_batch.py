"""Batches: parallel workers give the serial scores, every result is committed as it arrives, ``resume``
grades only what is missing or changed, a killed batch loses nothing committed, and a worker that dies
costs only the submission that killed it."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from grader.grading import batch, runner
from grader.grading.grade import GradeOptions, grade_folder
from grader.model.discovery import discover
from grader.model.results import SubmissionResult
from tests.conftest import ROOT, SOLUTION, write_class

ASSIGNMENTS = ROOT / "assignments"
WRONG_ETA = SOLUTION.replace("+ eta * y * np.asarray(x", "+ y * np.asarray(x")
assert WRONG_ETA != SOLUTION



class Seen:
    """A sink that keeps every result it is given."""

    def __init__(self, into: list) -> None:
        self.into = into

    def write(self, result) -> None:
        self.into.append(result)

    def finish(self, results, skipped=()) -> None:
        pass

def small_class(folder: Path) -> Path:
    return write_class(folder, {
        "ann.py": SOLUTION, "bob.py": WRONG_ETA, "cid/hw3.py": SOLUTION.replace("<= 0", "< 0"),
        "dan.py": "", "eve.py": SOLUTION,
    })


def scores(results: list[SubmissionResult]) -> dict[str, float]:
    return {r.submission: r.auto_score for r in results}


def test_parallel_workers_give_the_serial_scores_and_commit_every_result(tmp_path):
    folder = small_class(tmp_path / "class")
    serial = grade_folder("hw3", folder, tmp_path / "serial", assignments_dir=ASSIGNMENTS).results
    seen: list = []
    parallel = grade_folder("hw3", folder, tmp_path / "parallel", GradeOptions(workers=2), assignments_dir=ASSIGNMENTS,
                            sinks=[Seen(seen)]).results
    assert scores(parallel) == scores(serial)
    assert scores(serial)["ann"] == 14 and 0 < scores(serial)["bob"] < 14 and scores(serial)["dan"] == 0
    assert [r.submission for r in parallel] == [s.id for s in discover(folder, "hw3")]  # the folder's order
    assert sorted(r.submission for r in seen) == sorted(scores(serial))
    committed = {p.stem for p in (tmp_path / "parallel").glob("*.json")} - {"summary"}
    assert committed == set(scores(serial))


def test_resume_grades_only_missing_or_changed_submissions(tmp_path):
    folder, out = small_class(tmp_path / "class"), tmp_path / "out"
    grade_folder("hw3", folder, out, assignments_dir=ASSIGNMENTS)
    before = {p.name: p.stat().st_mtime_ns for p in out.glob("*.json")}
    (out / "ann.json").unlink()
    (folder / "bob.py").write_text(SOLUTION, encoding="utf-8")  # bob resubmits, now correct
    (out / "eve.json").write_text("{\"half\": ", encoding="utf-8")  # damaged: graded again
    regraded = []
    results = grade_folder("hw3", folder, out, GradeOptions(resume=True), assignments_dir=ASSIGNMENTS,
                           executor=lambda jobs, workers, on_record: [
                               regraded.extend(s["id"] for job, _ in jobs for s in job.submissions),
                               batch.run_inline(jobs, workers, on_record)][1]).results
    assert sorted(regraded) == ["ann", "bob", "eve"]
    assert scores(results)["bob"] == 14
    unchanged = {p.name: p.stat().st_mtime_ns for p in out.glob("*.json")}
    assert unchanged["cid.json"] == before["cid.json"] and unchanged["dan.json"] == before["dan.json"]


def test_a_committed_file_that_is_json_but_no_valid_result_is_graded_again(tmp_path):
    folder, out = small_class(tmp_path / "class"), tmp_path / "out"
    out.mkdir()
    (out / "ann.json").write_text('{"submission": "ann", "tests": []}', encoding="utf-8")
    ann = next(s for s in discover(folder, "hw3") if s.id == "ann")
    assert batch.committed(out, ann) is None


def test_a_dead_worker_costs_only_the_submission_that_killed_it(tmp_path):
    folder = small_class(tmp_path / "class")
    calls = []

    def flaky(jobs, workers, on_record):
        """Drops every result of the first round, and 'cid' always, as a dying worker would."""
        calls.append(len(jobs))
        lost = []
        for job, chunk in jobs:
            kept = []
            batch.run_inline([(job, chunk)], workers, kept.append)
            for record in kept:
                if len(calls) > 1 and record["result"]["submission"] != "cid":
                    on_record(record)
            if missing := [s for s in chunk if len(calls) == 1 or s.id == "cid"]:
                lost.append((missing, "worker log\nSegmentation fault"))
        return lost

    results = {r.submission: r for r in grade_folder("hw3", folder, tmp_path / "out",
                                                     GradeOptions(workers=2), assignments_dir=ASSIGNMENTS,
                                                     executor=flaky).results}
    assert calls[1] == 5  # the retry runs one submission per job
    assert results["ann"].auto_score == 14
    assert results["cid"].tests == [] and "Segmentation fault" in results["cid"].load_errors[0]["error"]
    assert json.loads((tmp_path / "out" / "cid.json").read_text())["load_errors"]


def test_broken_instructor_tests_stop_a_parallel_batch_with_their_error(tmp_path):
    course = tmp_path / "course"
    shutil.copytree(ASSIGNMENTS / "hw3", course / "assignments" / "hw3",
                    ignore=shutil.ignore_patterns("mutants.toml", "alternatives"))
    (course / "assignments" / "hw3" / "tests" / "hidden" / "test_hw3_hidden.py").write_text("def broken(:\n")
    with pytest.raises(runner.TestSetupError, match="could not run"):
        grade_folder("hw3", small_class(tmp_path / "class"), tmp_path / "out", GradeOptions(workers=2),
                     assignments_dir=course / "assignments")


def test_a_killed_batch_loses_nothing_committed_and_resume_finishes_it(tmp_path):
    folder = write_class(tmp_path / "class", {f"s{i:02d}.py": SOLUTION for i in range(12)})
    out = tmp_path / "out"
    command = [sys.executable, "-m", "grader", "--assignments", str(ASSIGNMENTS), "grade", "hw3", str(folder),
               "--out", str(out), "--workers", "2"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not list(out.glob("s[0-9]*.json")) and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.02)
    workers = children(process.pid)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    survivors = list(out.glob("s[0-9]*.json"))
    assert survivors and workers, "the batch was not caught in the middle"
    for path in survivors:  # every committed file is whole
        SubmissionResult.from_dict(json.loads(path.read_text(encoding="utf-8")))
    time.sleep(0.5)
    assert not [pid for pid in workers if alive(pid)], "workers outlived their parent"
    finished = subprocess.run(command + ["--resume"], capture_output=True, text=True, timeout=300, check=False)
    assert finished.returncode == 0, finished.stderr
    assert len(list(out.glob("s[0-9]*.json"))) == 12
    assert not list(out.rglob(".*.json.*"))


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    """Running, as opposed to gone or a zombie waiting for a parent that does not reap."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_a_dask_cluster_given_relative_paths_gives_the_serial_scores(tmp_path, monkeypatch):
    pytest.importorskip("distributed", reason="the dask extra is not installed")
    folder = small_class(tmp_path / "class")
    serial = grade_folder("hw3", folder, tmp_path / "serial", assignments_dir=ASSIGNMENTS).results
    executor = batch.DaskExecutor(scheduler=None, workers=2)
    monkeypatch.chdir(tmp_path)  # paths as an instructor types them: the cluster's workers live elsewhere
    try:
        on_dask = grade_folder("hw3", Path("class"), Path("dask"), GradeOptions(workers=2), assignments_dir=ASSIGNMENTS,
                               executor=executor).results
    finally:
        executor.close()
    assert scores(on_dask) == scores(serial)
    assert {p.stem for p in (tmp_path / "dask").glob("*.json")} - {"summary"} == set(scores(serial))
