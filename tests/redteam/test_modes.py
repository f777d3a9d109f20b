"""Which sandbox ran is always said (console and JSON); strict fails loudly where it cannot run; the
syntax filter does what strict mode relies on."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from grader.jail.inside import seccomp
from tests.conftest import ROOT


def grader(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "grader", "--assignments", str(ROOT / "assignments"), *args],
                          capture_output=True, text=True, timeout=300, check=False,
                          env={**os.environ, "COLUMNS": "200", **(env or {})})


@pytest.fixture
def one_student(tmp_path):
    folder = tmp_path / "class"
    folder.mkdir()
    shutil.copy(ROOT / "reference" / "solutions" / "hw3.py", folder / "ann.py")
    return folder


@pytest.mark.parametrize("mode", ["strict", "basic"])
def test_grade_says_which_sandbox_ran(mode, one_student, tmp_path, request):
    if mode == "strict":
        request.getfixturevalue("strict_available")
    run = grader("grade", "hw3", str(one_student), "--out", str(tmp_path / "out"), "--sandbox", mode, "--workers", "1")
    assert run.returncode == 0, run.stderr
    assert f"sandbox: {mode}" in run.stdout
    assert json.loads((tmp_path / "out" / "ann.json").read_text())["sandbox"] == mode


def test_strict_fails_loudly_when_it_cannot_run(one_student, tmp_path):
    run = grader("grade", "hw3", str(one_student), "--out", str(tmp_path / "out"), "--sandbox", "strict",
                 env={"PATH": str(tmp_path)})  # no bwrap on this PATH
    assert run.returncode == 2
    assert "strict mode needs" in run.stderr and "--sandbox basic" in run.stderr
    assert not (tmp_path / "out").exists()


def test_strict_fails_loudly_where_bwrap_is_there_but_namespaces_are_forbidden(one_student, tmp_path):
    """As in a Docker container with the default seccomp profile: bwrap runs, and refuses."""
    fake = tmp_path / "bin" / "bwrap"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\necho 'bwrap: No permissions to creating new namespace' >&2\nexit 1\n")
    fake.chmod(0o755)
    run = grader("grade", "hw3", str(one_student), "--out", str(tmp_path / "out"), "--sandbox", "strict",
                 env={"PATH": f"{fake.parent}:{os.environ['PATH']}"})
    assert run.returncode == 2
    assert "namespaces are not allowed here (bwrap: No permissions to creating new namespace)" in run.stderr
    assert not (tmp_path / "out").exists()


def test_check_runs_basic_and_says_so(tmp_path):
    shutil.copy(ROOT / "reference" / "solutions" / "hw3.py", tmp_path / "hw3.py")
    run = subprocess.run([sys.executable, "-m", "grader", "--assignments", str(ROOT / "assignments"), "check", "hw3",
                          "--json", str(tmp_path / "r.json")], cwd=tmp_path, capture_output=True, text=True,
                         timeout=300, check=False, env={**os.environ, "COLUMNS": "200"})
    assert run.returncode == 0, run.stdout + run.stderr
    assert "sandbox: basic" in run.stdout
    assert json.loads((tmp_path / "r.json").read_text())["sandbox"] == "basic"


@pytest.mark.skipif(not seccomp.supported(), reason="the seccomp filter is for Linux on x86_64 and aarch64")
def test_seccomp_filter_denies_what_strict_mode_relies_on():
    code = """
import ctypes, os, socket, subprocess, sys, threading
from grader.jail.inside import seccomp
seccomp.install()
libc = ctypes.CDLL(None, use_errno=True)
denied = []
try:
    socket.socket(socket.AF_INET, socket.SOCK_STREAM)
except PermissionError:
    denied.append("inet")
socket.socketpair()  # AF_UNIX stays
denied += [name for name, call in (("ptrace", lambda: libc.ptrace(16, 1, 0, 0)),
                                    ("unshare", lambda: libc.unshare(0x10000000)),
                                    ("mount", lambda: libc.mount(b"none", b"/tmp", b"tmpfs", 0, None)))
           if call() == -1 and ctypes.get_errno() == 1]
thread = threading.Thread(target=lambda: None)
thread.start()
thread.join()
assert subprocess.run(["true"]).returncode == 0  # fork and exec still work
print(",".join(denied))
"""
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False,
                         cwd=ROOT)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "inet,ptrace,unshare,mount"
