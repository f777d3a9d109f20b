"""The red-team suite in strict mode: every attack in ``cases.CASES`` graded in one batch before the
honest submissions, then each attack's honest result and the batch's invariants are checked.

The course (tests with a hidden canary, a reference with one), the other students, the output folder
(with a canary from an earlier run) and a canary folder elsewhere are real files on disk, the grader's
process holds a canary in memory and another in its environment, and it listens on 127.0.0.1 and on
an abstract unix socket. A canary seen in any result, a listener that got a connection, a changed file
or a surviving process is an escape. CI runs this inside a throw-away PID and network namespace.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import sysconfig
import threading
import time
import uuid
from pathlib import Path

import pytest

from grader.grading import runner
from grader.grading.grade import GradeOptions, grade_folder
from grader.jail import sandbox
from grader.jail.fork import ForkBackend
from grader.model.assignment import load_assignment
from grader.model.discovery import discover
from grader.model.results import SubmissionResult, validate
from grader.sinks.results_folder import ResultsFolder
from tests.conftest import ROOT
from tests.load import slowdown
from tests.redteam.cases import CASES, FULL, HONEST, TESTS, WITNESS, Case

MEMORY_CANARY = f"memory-canary-{uuid.uuid4().hex}"  # only ever in this process's memory
BATCH_BOUND_S = 180
HONEST_IDS = ("zz_honest_a", "zz_honest_b")


class Listener:
    """Records every connection or datagram that reaches the grader's machine from a submission."""

    def __init__(self) -> None:
        self.heard: list[str] = []
        self.tcp = socket.create_server(("127.0.0.1", 0))
        self.port = self.tcp.getsockname()[1]
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind(("127.0.0.1", self.port))
        self.abstract = f"\0grader-redteam-{uuid.uuid4().hex}"
        self.unix = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.unix.bind(self.abstract)
        self.unix.listen()
        for server in (self.tcp, self.unix):
            threading.Thread(target=self._accept, args=(server,), daemon=True).start()
        threading.Thread(target=self._receive, daemon=True).start()

    def _accept(self, server: socket.socket) -> None:
        while True:
            try:
                connection, _ = server.accept()
            except OSError:
                return
            self.heard.append(f"connection on {server.getsockname()!r}")
            connection.close()

    def _receive(self) -> None:
        while True:
            try:
                data, _ = self.udp.recvfrom(4096)
            except OSError:
                return
            self.heard.append(f"datagram {data!r}")

    def close(self) -> None:
        for server in (self.tcp, self.udp, self.unix):
            server.close()


def snapshot(*folders: Path) -> dict[str, str]:
    """Content hashes of every file (and link target) under ``folders``."""
    found = {}
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_symlink():
                found[str(path)] = "-> " + os.readlink(path)
            elif path.is_file():
                found[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def stat_snapshot(*folders: str) -> dict[str, tuple[int, int]]:
    """Size and mtime of every file under ``folders`` (hashing all of site-packages would be slow)."""
    found = {}
    for folder in folders:
        for root, _, files in os.walk(folder):
            for name in files:
                path = os.path.join(root, name)
                with_stat = os.lstat(path)
                found[path] = (with_stat.st_size, with_stat.st_mtime_ns)
    return found


def jail_processes() -> list[str]:
    """Processes running under any jail uid, or fork servers of this checkout that are not the test
    session's own (its children), anywhere we can see."""
    left = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        uid = int(status.split("\nUid:", 1)[1].split()[0])
        parent = int(status.split("\nPPid:", 1)[1].split()[0])
        ours = b"grader.jail.inside.forkserver" in cmdline and str(ROOT).encode() in cmdline and parent != os.getpid()
        if uid >= sandbox.UID_BASE or ours:
            left.append(f"{pid} (uid {uid}): {cmdline[:120]!r}")
    return left


class Course:
    """The course, class and output folders of one red-team batch, with their canaries."""

    def __init__(self, base: Path, listener: Listener) -> None:
        self.canaries = {name: f"{name}-canary-{uuid.uuid4().hex}"
                         for name in ("hidden", "reference", "other", "out", "outside", "env")}
        self.course = base / "course"
        self.assignment = self.course / "assignments" / "rt"
        for name, text in TESTS.items():
            path = self.assignment / "tests" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text.replace("{hidden_canary}", self.canaries["hidden"]))
        (self.assignment / "assignment.toml").write_text(
            'title = "red team"\n[limits]\ntest_timeout = 2.0\nload_timeout = 4.0\ncpu_seconds = 10\n'
            "memory_mb = 512\nfile_mb = 16\nprocesses = 32\n")
        self.reference = self.course / "reference" / "solutions" / "rt.py"
        self.reference.parent.mkdir(parents=True)
        self.reference.write_text(HONEST + f'\nCANARY = "{self.canaries["reference"]}"\n')
        self.outside = base / "canary"
        self.outside.mkdir()
        (self.outside / "secret.txt").write_text(self.canaries["outside"])
        self.out = base / "out"
        self.out.mkdir()
        (self.out / "earlier-gradebook.csv").write_text(f"id,score\n{self.canaries['out']},6\n")
        self.class_dir = base / "class"
        self.honest_dir = base / "honest-alone"
        self.paths = {
            "course": str(self.course), "assignment": str(self.assignment),
            "hidden_test": str(self.assignment / "tests" / "hidden" / "test_rt_hidden.py"),
            "reference": str(self.reference), "class": str(self.class_dir),
            "other": str(self.class_dir / "zz_honest_b" / "rt.py"), "out": str(self.out),
            "out_canary": str(self.out / "earlier-gradebook.csv"), "canary": str(self.outside / "secret.txt"),
            "canary_dir": str(self.outside), "site_packages": sysconfig.get_paths()["purelib"],
            "grader_package": str(ROOT / "grader"), "port": listener.port, "abstract": listener.abstract,
        }

    def write_class(self) -> dict[str, Case]:
        """The class folder: each attack (ids sort in the order of CASES), the witness, the honest ones."""
        by_id = {}
        header = f"PATHS = {self.paths!r}\n"
        for index, case in enumerate(CASES):
            sid = f"{index:02d}_{case.name}"
            by_id[sid] = case
            source = case.attack if isinstance(case.attack, bytes) else (header + HONEST + case.attack).encode()
            relative = f"{sid}/{case.filename}" if case.extra_files else f"{sid}{Path(case.filename).suffix}"
            target = self.class_dir / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source)
            for name, content in case.extra_files.items():
                if content.startswith("@"):
                    os.symlink(self.paths[content[1:]], target.parent / name)
                else:
                    (target.parent / name).write_text(content)
        (self.class_dir / "zy_witness.py").write_text(header + HONEST + WITNESS)
        for folder in (self.class_dir, self.honest_dir):
            (folder / "zz_honest_b").mkdir(parents=True)
            (folder / "zz_honest_a.py").write_text(HONEST)
            (folder / "zz_honest_b" / "rt.py").write_text(HONEST + f"# {self.canaries['other']}\n")
        return by_id


@pytest.fixture(scope="module")
def batch(strict_available, tmp_path_factory):
    base = tmp_path_factory.mktemp("redteam-")
    listener = Listener()
    course = Course(base, listener)
    by_id = course.write_class()
    watched = (course.course, course.class_dir, course.outside, ROOT / "grader", ROOT / "reference")
    before = snapshot(*watched)
    libraries = stat_snapshot(*sandbox.runtime_paths())
    out_before = snapshot(course.out)
    os.environ["GRADER_REDTEAM_SECRET"] = course.canaries["env"]
    # One fork server for the whole class, as one worker slot has: what an attack leaves behind
    # would meet every submission after it.
    backend = ForkBackend("strict")
    try:
        load_before, started = slowdown(), time.monotonic()
        sink = ResultsFolder(course.out)
        assignment = load_assignment("rt", course.course / "assignments")
        results = runner.grade(assignment, discover(course.class_dir, "rt"), on_result=sink.write, backend=backend)
        sink.finish(results)
        elapsed = time.monotonic() - started
        load = max(load_before, slowdown())
        alone = grade_folder("rt", course.honest_dir, base / "out-alone", GradeOptions(sandbox="strict"),
                             assignments_dir=course.course / "assignments").results
    finally:
        backend.close()
        os.environ.pop("GRADER_REDTEAM_SECRET")
        time.sleep(0.2)  # a datagram in flight
        listener.close()
    after = snapshot(*watched)
    yield {
        "results": {r.submission: r for r in results}, "alone": {r.submission: r for r in alone},
        "cases": by_id, "elapsed": elapsed, "slowdown": load, "course": course, "listener": listener,
        "changed": {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)},
        "libraries_changed": {k for k, v in stat_snapshot(*sandbox.runtime_paths()).items() if libraries.get(k) != v},
        "out_before": out_before,
    }
    shutil.rmtree(base, ignore_errors=True)


def _statuses(result: SubmissionResult) -> dict[str, str]:
    return {t.nodeid.split("::")[-1]: t.status for t in result.tests if t.kind == "auto"}


@pytest.mark.parametrize("case", CASES, ids=[f"{c.group}-{c.name}" for c in CASES])
def test_attack_gets_its_honest_result(batch, case):
    sid = next(sid for sid, c in batch["cases"].items() if c is case)
    result = batch["results"][sid]
    found = _statuses(result)
    for test, status in found.items():
        allowed = case.broken.get(test, {"passed"})
        assert status in allowed, f"{test}: {status} (allowed {allowed}); {[t.message for t in result.tests]}"
    assert result.auto_score == case.score, [t.message for t in result.tests]
    if case.load_error:
        assert any(case.load_error in e["error"] for e in result.load_errors), result.load_errors
    assert result.sandbox == "strict"


def test_every_result_is_schema_valid_and_says_strict(batch):
    assert len(batch["results"]) == len(CASES) + 1 + len(HONEST_IDS)
    for result in batch["results"].values():
        validate(result.to_dict())
        assert result.sandbox == "strict"


def test_batch_completes_within_its_bound(batch):
    """Wall time, scaled by how busy the machine was (``tests.load.slowdown``) around the batch."""
    bound = BATCH_BOUND_S * batch["slowdown"]
    assert batch["elapsed"] < bound, f"the batch took {batch['elapsed']:.0f} s (bound {bound:.0f} s)"


@pytest.mark.parametrize("secret", ["hidden", "reference", "other", "out", "outside", "env", "memory"])
def test_no_secret_reaches_any_result(batch, secret):
    canary = MEMORY_CANARY if secret == "memory" else batch["course"].canaries[secret]
    for result in batch["results"].values():
        text = json.dumps(result.to_dict())
        if secret == "other" and result.submission == "zz_honest_b":
            continue  # its own file
        assert canary not in text, f"{result.submission} leaked the {secret} canary"


def test_the_report_channel_would_show_an_escape(batch):
    """Control: what a submission reports does reach its result, so a leak could not go unseen."""
    result = batch["results"]["zy_witness"]
    report = next(t for t in result.tests if t.nodeid.endswith("test_report"))
    assert report.status == "passed", f"processes or files were left for the next submission: {report.message}"
    leaker = batch["results"]["14_forged_output"]
    assert "test_mul PASSED" in json.dumps(leaker.to_dict()), "printed output is kept in results"


def test_nothing_reached_the_network(batch):
    assert batch["listener"].heard == []


def test_no_file_changed_outside_the_jail_and_the_output_folder(batch):
    assert batch["changed"] == set()
    assert batch["libraries_changed"] == set()
    planted = [p for p in Path(batch["course"].paths["site_packages"]).glob("PLANTED*")]
    assert planted == []


def test_output_folder_holds_only_what_the_grader_wrote(batch):
    course = batch["course"]
    expected = {f"{sid}.json" for sid in batch["results"]} | {"earlier-gradebook.csv", "summary.json",
                                                              "gradebook.csv"}
    assert {p.name for p in course.out.iterdir() if p.is_file()} <= expected
    for sid, result in batch["results"].items():
        written = json.loads((course.out / f"{sid}.json").read_text())
        assert written["tests"] == result.to_dict()["tests"], f"{sid}.json is not what the grader found"
    assert snapshot(course.out)[str(course.out / "earlier-gradebook.csv")] == \
        batch["out_before"][str(course.out / "earlier-gradebook.csv")]


def test_no_process_is_left(batch):
    assert jail_processes() == []


def test_honest_submissions_score_as_when_graded_alone(batch):
    for sid in HONEST_IDS:
        mixed, alone = batch["results"][sid], batch["alone"][sid]
        assert mixed.auto_score == alone.auto_score == FULL
        assert ([(t.nodeid, t.status, t.score) for t in mixed.tests]
                == [(t.nodeid, t.status, t.score) for t in alone.tests])


def test_basic_mode_does_not_hide_files(strict_available, tmp_path):
    """Control for the secrets checks: the same reading attack does leak in basic mode, so the checks
    above would see a leak; strict mode is what stops it."""
    listener = Listener()
    try:
        course = Course(tmp_path, listener)
        case = next(c for c in CASES if c.name == "read_hidden_tests")
        course.class_dir.mkdir()
        (course.class_dir / "leaker.py").write_text(f"PATHS = {course.paths!r}\n" + HONEST + case.attack)
        result = grade_folder("rt", course.class_dir, course.out, GradeOptions(sandbox="basic"),
                              assignments_dir=course.course / "assignments").results[0]
    finally:
        listener.close()
    assert result.sandbox == "basic"
    assert course.canaries["hidden"] in json.dumps(result.to_dict())
