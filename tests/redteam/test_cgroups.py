"""Whole-submission limits in strict mode: a control group per sandbox caps the memory and the number
of all of a submission's processes together (rlimits cap each process alone), every result says
which limits held, each submission runs as a uid of its own, and the sandbox's mount table does not
show where the grader is installed."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from grader.jail import cgroup as cgroups
from grader.jail.base import JailDied
from grader.jail.cgroup import Cgroup, Place, find_places
from grader.jail.fork import ForkBackend
from grader.jail.limits import Limits, Scope, TimeCharge
from tests.conftest import ROOT

CHILDREN = """
import os, time

def children_filling(mb, count):
    # ``count`` processes, each touching ``mb`` MB, then reporting who is still alive after a while.
    pids = []
    for _ in range(count):
        pid = os.fork()
        if pid == 0:
            block = bytearray(mb * 2**20)
            for at in range(0, len(block), 4096):
                block[at] = 1
            time.sleep(60)
            os._exit(0)
        pids.append(pid)
    time.sleep(0.8)
    return [os.waitpid(pid, os.WNOHANG)[1] for pid in pids]  # 0: still running; 9: killed

def uid():
    return os.getuid()

def mounts():
    with open("/proc/self/mountinfo") as table:
        return table.read()
"""
MEMORY_MB = 300
GROW = """
import subprocess, sys, time

def touch(mb):
    block = bytearray(mb * 2**20)
    for at in range(0, len(block), 4096):
        block[at] = 1
    return block

def grow():
    # A program of its own (subprocess closes our fds in it), holding 100 MB.
    subprocess.Popen([sys.executable, "-c", "b = bytearray(100 * 2**20)\\n"
                      "for i in range(0, len(b), 4096): b[i] = 1\\nimport time; time.sleep(60)"])
    time.sleep(1.0)
    kept = touch(280)
    return len(kept)
"""


@pytest.fixture
def strict_backend(strict_available):
    backend = ForkBackend("strict")
    yield backend
    backend.close()


def call(backend: ForkBackend, function: str, *args: object) -> object:
    workdir = backend.new_workdir()
    Path(workdir, "m.py").write_text(CHILDREN)
    jail = backend.spawn(workdir, Limits(test_timeout=20, memory_mb=MEMORY_MB))
    assert jail.request(["load", "module", "m", [[0, "m.py", CHILDREN]]], time.monotonic() + 30) == ["loaded", []]
    try:
        reply = jail.request(["call", function, list(args), {}], time.monotonic() + 20)
    finally:
        jail.close()
    assert reply[0] == "ok", reply
    return reply[1]


def test_memory_is_limited_for_all_of_a_submissions_processes_together(strict_backend):
    # Three processes of 200 MB each stay under the 300 MB that rlimits give each one.
    statuses = call(strict_backend, "children_filling", 200, 3)
    assert strict_backend.held(Limits()).memory_per == Scope.SUBMISSION
    assert any(status == 9 for status in statuses), f"all three kept 200 MB each: {statuses}"


def test_without_control_groups_rlimits_hold_and_the_result_says_so(strict_available, monkeypatch):
    monkeypatch.setattr(Cgroup, "create", classmethod(lambda cls, *args: None))
    backend = ForkBackend("strict")
    try:
        held = backend.held(Limits())
        statuses = call(backend, "children_filling", 200, 3)
    finally:
        backend.close()
    assert (held.memory_per, held.processes_per) == (Scope.PROCESS, Scope.UID)
    assert held.time_charged_in == TimeCharge.CPU  # measured by the fork server from the sandbox's /proc
    assert statuses == [0, 0, 0]  # each process within its own limit: what the group adds is real


def test_one_process_over_the_whole_limit_is_described(strict_backend):
    workdir = strict_backend.new_workdir()
    # A child of 100 MB, then the process itself grows to 280 MB: the larger one is stopped.
    code = GROW
    Path(workdir, "m.py").write_text(code)
    jail = strict_backend.spawn(workdir, Limits(test_timeout=20, memory_mb=MEMORY_MB))
    assert jail.request(["load", "module", "m", [[0, "m.py", code]]], time.monotonic() + 30) == ["loaded", []]
    with pytest.raises(JailDied, match=f"processes together used more than {MEMORY_MB} MB of memory"):
        jail.request(["call", "grow", [], {}], time.monotonic() + 20)


def test_each_submission_runs_as_a_uid_of_its_own(strict_backend):
    first, second = call(strict_backend, "uid"), call(strict_backend, "uid")
    assert first != second and os.getuid() not in (first, second)


def test_the_mount_table_does_not_show_where_the_grader_is_installed(strict_backend):
    table = call(strict_backend, "mounts")
    assert str(ROOT / "grader") not in table
    assert "/opt/grader" not in table  # copied in, not bound


def test_every_result_says_which_limits_held(strict_available, tmp_path):
    from grader.grading.grade import GradeOptions, grade_folder

    graded = grade_folder("hw3", ROOT / "submissions" / "hw3", tmp_path / "out", GradeOptions(sandbox="strict"))
    held = {r.limits for r in graded.results}
    assert len(held) == 1 and None not in held
    (limits,) = held
    assert (limits.memory_per, limits.processes_per, limits.time_charged_in) == (
        Scope.SUBMISSION, Scope.SUBMISSION, TimeCharge.CPU)


def test_groups_are_removed_when_the_sandbox_stops(strict_available):
    backend = ForkBackend("strict")
    call(backend, "uid")
    group = backend.cgroup
    assert group is not None
    folders = {folder for folder, _ in group.folders.values()}
    assert all(folder.is_dir() for folder in folders)
    backend.close()
    assert not any(folder.exists() for folder in folders)


# -- finding the hierarchies ------------------------------------------------------------------------
V1_MOUNTS = """\
31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
"""
V1_GROUPS = "8:pids:/\n4:memory:/jobs/42\n2:cpuacct:/\n0::/\n"


def test_v1_hierarchies_are_found_under_our_own_groups():
    places = find_places(V1_MOUNTS, V1_GROUPS)
    assert places == {"cpu": Place(Path("/sys/fs/cgroup/cpuacct"), 1),
                      "memory": Place(Path("/sys/fs/cgroup/memory/jobs/42"), 1),
                      "pids": Place(Path("/sys/fs/cgroup/pids"), 1)}


def test_v2_gives_what_its_parent_hands_down(tmp_path):
    ours = tmp_path / "user.slice" / "grading.scope"
    ours.mkdir(parents=True)
    (ours / "cgroup.controllers").write_text("cpuset cpu io memory\n")
    mounts = f"25 1 0:22 / {tmp_path} rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n"
    places = find_places(mounts, "0::/user.slice/grading.scope\n")
    assert places == {"cpu": Place(ours, 2), "memory": Place(ours, 2)}  # no pids controller offered


def test_a_group_outside_what_a_mount_shows_is_not_used():
    mounts = "35 31 0:32 /jobs/7 /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n"
    assert find_places(mounts, "4:memory:/jobs/42\n") == {}
    assert find_places(mounts, "4:memory:/jobs/7/inner\n") == {
        "memory": Place(Path("/sys/fs/cgroup/memory/inner"), 1)}


def test_groups_left_by_dead_graders_are_removed_and_the_living_ones_kept(tmp_path):
    mounts = f"35 31 0:32 / {tmp_path} rw - cgroup cgroup rw,memory\n"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True).stdout.strip()
    left, living = tmp_path / f"grader-{dead}-0", tmp_path / f"grader-{os.getpid()}-999"
    left.mkdir()
    living.mkdir()
    made = Cgroup.create(mounts, "4:memory:/\n")
    assert made is not None and not left.exists() and living.exists()
    made.remove()


def test_no_writable_hierarchy_means_no_group(tmp_path):
    mounts = f"35 31 0:32 / {tmp_path / 'absent'} rw - cgroup cgroup rw,memory\n"
    assert Cgroup.create(mounts, "4:memory:/\n") is None
    assert cgroups.RESOURCES == ("cpu", "memory", "pids")
