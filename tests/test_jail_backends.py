"""Both ways of running a submission in basic mode behave alike: the fork server (Linux) and a fresh
interpreter per submission (the backend of Windows and macOS, forced here with GRADER_JAIL_BACKEND)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from grader.jail import backends
from grader.jail.backends import open_backend
from grader.jail.base import (
    BACKSTOP_FACTOR,
    BACKSTOP_SECONDS,
    Backend,
    Jail,
    JailDied,
    JailTimeout,
    Limits,
)
from grader.jail.fork import ForkBackend
from grader.jail.spawn import SpawnBackend
from tests.conftest import ROOT

MODULE = """
import os, sys
print("loading")
def double(x):
    print("doubling", x)
    sys.stderr.write("to stderr\\n")
    os.write(1, b"straight to fd 1\\n")  # below Python: must not touch the replies' channel
    return x * 2
def ask(f, x):
    return f(x) + 1
def spin():
    while True:
        pass
def leave():
    os._exit(3)
def zeros(n):
    import numpy
    return numpy.zeros(n)
def burn(seconds):
    import time
    start = time.process_time()
    while time.process_time() - start < seconds:
        pass
"""


def start(backend: Backend, limits: Limits | None = None) -> Jail:
    workdir = backend.new_workdir()
    path = Path(workdir, "m.py")
    path.write_text(MODULE, encoding="utf-8")
    jail = backend.spawn(workdir, limits or Limits())
    reply = jail.request(["load", "module", "m", [[0, str(path), MODULE]]], time.monotonic() + 10)
    assert reply == ["loaded", []]
    return jail


def soon(seconds: float = 10) -> float:
    return time.monotonic() + seconds


def test_replies_callbacks_and_output_belong_to_their_request(basic_backend):
    jail = start(basic_backend)
    assert jail.output.take() == "loading\n"
    for _ in range(20):  # the output of each call, all of it and only it, every time
        assert jail.request(["call", "double", [21], {}], soon()) == ["ok", 42]
        assert sorted(jail.output.take().splitlines()) == ["doubling 21", "straight to fd 1", "to stderr"]
    assert jail.request(["call", "ask", [lambda v: v * 10, 4], {}], soon()) == ["ok", 41]
    jail.close()
    assert not jail.alive


def test_deadline_kills_and_exit_is_described(basic_backend):
    jail = start(basic_backend, Limits(test_timeout=1.0))
    started = time.monotonic()
    with pytest.raises(JailTimeout):
        jail.request(["call", "spin", [], {}], soon(0.5))
    # Stopped once its 0.5 s are charged, at the latest by the wall-clock backstop.
    assert time.monotonic() - started < 0.5 * BACKSTOP_FACTOR + BACKSTOP_SECONDS and not jail.alive
    jail = start(basic_backend)
    with pytest.raises(JailDied, match="exited with status 3"):
        jail.request(["call", "leave", [], {}], soon())


def burned(backend: Backend) -> float | None:
    """The CPU time a submission that computed for 0.3 s is said to have used, once closed."""
    jail = start(backend)
    assert jail.request(["call", "burn", [0.3], {}], soon()) == ["ok", None]
    jail.close()
    return jail.cpu_used


def test_the_cpu_time_a_submission_used_is_known_once_it_is_closed(basic_backend):
    used = burned(basic_backend)
    assert used is not None and 0.3 <= used < 3


def test_the_cpu_time_a_submission_used_is_known_in_strict_mode_too(strict_available):
    backend = ForkBackend("strict")
    try:
        used = burned(backend)
    finally:
        backend.close()
    assert used is not None and 0.3 <= used < 3


def test_a_reply_over_the_limit_is_refused(basic_backend):
    jail = start(basic_backend, Limits(reply_mb=1))
    with pytest.raises(JailDied, match=r"over the size limit \(16 MB of plain data, 1 MB of arrays\)"):
        jail.request(["call", "zeros", [200_000], {}], soon())  # 1.6 MB
    assert not jail.alive


def test_backend_choice(monkeypatch):
    monkeypatch.setenv("GRADER_JAIL_BACKEND", "spawn")
    backend = open_backend()
    assert isinstance(backend, SpawnBackend)
    backend.close()
    with pytest.raises(ValueError, match="basic mode only"):
        SpawnBackend("strict")
    monkeypatch.setenv("GRADER_JAIL_BACKEND", "threads")
    with pytest.raises(ValueError, match="GRADER_JAIL_BACKEND"):
        backends.chosen()
    monkeypatch.delenv("GRADER_JAIL_BACKEND")
    expected = "fork" if sys.platform == "linux" else "spawn"
    assert backends.chosen() == expected
    if expected == "fork":
        backend = open_backend()
        assert isinstance(backend, ForkBackend)
        backend.close()


def check(backend: str, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "grader", "--assignments", str(ROOT / "assignments"), "check", "hw3",
                           *args], cwd=cwd, capture_output=True, text=True, timeout=300, check=False,
                          env={**os.environ, "COLUMNS": "200", "GRADER_JAIL_BACKEND": backend})


@pytest.mark.skipif(not backends.fork_server_works(), reason="compares with the fork server")
def test_grader_check_hw3_on_the_spawn_backend_prints_what_the_fork_server_prints(tmp_path):
    shutil.copy(ROOT / "reference" / "solutions" / "hw3.py", tmp_path / "hw3.py")
    template = ROOT / "assignments" / "hw3" / "template" / "hw3.ipynb"
    for args, code in (((), 0), ((str(template),), 1)):
        runs = {backend: check(backend, tmp_path, *args) for backend in ("fork", "spawn")}
        for run in runs.values():
            assert run.returncode == code, run.stdout + run.stderr
        assert "sandbox: basic" in runs["spawn"].stdout

        def steady(text: str) -> str:
            return re.sub(r"\(\d+\.\d+ s\)", "(time)", text)

        assert steady(runs["spawn"].stdout) == steady(runs["fork"].stdout)


def test_folders_left_by_killed_graders_are_removed_and_the_others_kept(tmp_path, monkeypatch):
    """A killed batch leaves its staged copies of students' code in the temporary folder; the next
    grader removes them, but never those of a process that still runs, nor folders it cannot place."""
    from grader.jail import launch

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True).stdout.strip()
    left, ours = tmp_path / f"grader-stage-{dead}-abc", tmp_path / f"grader-stage-{os.getpid()}-def"
    unknown, other_kind = tmp_path / "grader-stage-abc_12", tmp_path / f"grader-home-{dead}-x"
    for folder in (left, ours, unknown, other_kind):
        folder.mkdir()
    (left / "hw3.py").write_text("a student's code\n", encoding="utf-8")
    made = Path(launch.private_folder("stage"))
    assert not left.exists() and ours.exists() and unknown.exists() and other_kind.exists()
    assert made.parent == tmp_path and made.name.startswith(f"grader-stage-{os.getpid()}-")
