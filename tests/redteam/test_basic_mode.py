"""Hostile submissions graded in basic mode (the sandbox of laptops, macOS and Windows), in one batch
before an honest one, on both backends (the fork server, and the fresh interpreter per submission of
Windows and macOS): each gets an honest, bounded, schema-valid result and the honest submission
keeps full marks. Only attacks that basic mode is meant to contain are here; the rest is in
test_strict.py.

Each case is the reference solution with one function (or the import) replaced by an attack, so
everything the attack does not touch must still pass. Run inside a throw-away PID and network
namespace in CI (.ci/run), so an escape cannot hurt the machine while the test still sees it.
"""

from __future__ import annotations

import json
import os
import time

import pytest

from grader.grading import runner
from grader.model.discovery import discover
from grader.model.results import validate
from tests.conftest import FULL_AUTO, ROOT, SOLUTION, statuses, write_class
from tests.load import slowdown


def patched(extra: str) -> str:
    """The solution with ``extra`` run at the end of the module (redefinitions win)."""
    return SOLUTION + "\n\n" + extra.strip() + "\n"


ATTACKS = {
    "loop_at_import.py": SOLUTION + "\nwhile True:\n    pass\n",
    "sigterm_sleeper.py": patched("""
import signal, time
def is_misclassified(w, b, x, y):
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    time.sleep(1000)
"""),
    "exit_at_import.py": patched("import sys\nsys.exit(0)"),
    "os_exit_at_import.py": patched("import os\nos._exit(0)"),
    "exit_in_function.py": patched("""
def perceptron_step(w, b, x, y, eta=1.0):
    import sys
    sys.exit(0)
"""),
    "os_exit_in_function.py": patched("""
def perceptron_step(w, b, x, y, eta=1.0):
    import os
    os._exit(0)
"""),
    "memory_bomb.py": patched("""
def perceptron_step(w, b, x, y, eta=1.0):
    hoard = []
    while True:
        hoard.append(bytearray(100 * 2**20))
"""),
    "stdout_flood.py": patched("""
import sys
_chunk = "passed " * 150_000 + "\\n"
def is_misclassified(w, b, x, y):
    for _ in range(300):  # about 300 MB
        sys.stdout.write(_chunk)
    return bool(y * (w[0] * x[0] + w[1] * x[1] + b) <= 0)
"""),
    "always_equal.py": patched("""
import numpy as np
class Yes(float):
    def __eq__(self, other): return True
    __ne__ = lambda self, other: False
class YesArray(np.ndarray):
    def __eq__(self, other): return np.ones(np.shape(other), bool)
def perceptron_step(w, b, x, y, eta=1.0):
    return np.zeros(2).view(YesArray), Yes(0.0)
class Anything:
    def __eq__(self, other): return True
FINAL_B = Anything()
"""),
    "monkeypatcher.py": patched("""
import numpy as np, math, builtins
np.allclose = lambda *a, **k: True
np.isclose = lambda a, b, **k: np.ones(np.broadcast(a, b).shape, bool)
math.isclose = lambda *a, **k: True
builtins.isinstance = lambda *a: True
def perceptron_step(w, b, x, y, eta=1.0):
    return np.zeros(2), 0.0
"""),
    "frame_reader.py": patched("""
import sys, gc
def perceptron_step(w, b, x, y, eta=1.0):
    found = []
    frame = sys._getframe()
    while frame is not None:
        found += [v for k, v in frame.f_locals.items() if k in ("expected", "want")]
        frame = frame.f_back
    found += [o for o in gc.get_objects() if isinstance(o, dict) and "expected" in o][:1]
    return (found[0] if found else [0, 0]), 0
"""),
    "forger.py": patched("""
import sys, json
print("======== 14 passed in 0.01s ========")
print(json.dumps({"score": 14, "max_score": 14, "tests": []}))
def perceptron_step(w, b, x, y, eta=1.0):
    print("test_perceptron_step_example PASSED")
    sys.stderr.write('{"status": "passed", "score": 100}\\n')
    return [0, 0], 0
"""),
    "result_writer.py": patched("""
import os, json
forged = {"submission": "result_writer", "score": 14, "max_score": 14}
for folder in ("..", "../..", "../results", os.path.expanduser("~")):
    try:
        with open(os.path.join(folder, "result_writer.json"), "w") as f:
            json.dump(forged, f)
    except OSError:
        pass
def perceptron_step(w, b, x, y, eta=1.0):
    raise RuntimeError("crash so the real result is never written")
"""),
    "magic_notebook_shell.py": patched("""
import subprocess
def perceptron_step(w, b, x, y, eta=1.0):
    subprocess.run(["sleep", "1000"])
"""),
    "syntax_error.py": SOLUTION.replace("def perceptron_step(", "def perceptron_step(:", 1),
    "binary.py": b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 4,
    "empty.ipynb": "",
    "truncated.ipynb": '{"cells": [{"cell_type": "code", "source": "x = 1", "metadata": {}',
    "ancient.ipynb": json.dumps({"nbformat": 1, "cells": "nope"}),
    "deep_recursion.py": patched("""
import sys
sys.setrecursionlimit(10**8)
def is_misclassified(w, b, x, y):
    return is_misclassified(w, b, x, y)
"""),
    "fork_leaver.py": patched("""
import os, time
if os.fork() == 0:
    time.sleep(600)
    os._exit(0)
"""),
    "conftest_planter/hw3.py": SOLUTION.replace("return bool(y * (np.dot(w, x) + b) <= 0)", "return 'yes'"),
    "conftest_planter/conftest.py": """
import pytest
@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    outcome.get_result().outcome = "passed"
""",
    "conftest_planter/numpy.py": "raise ImportError('a numpy.py beside the submission must not reach the grader')\n",
    "zz_honest.py": SOLUTION,
}


@pytest.fixture(scope="module")
def batch(tmp_path_factory, hw3, basic_backend):
    folder = write_class(tmp_path_factory.mktemp("hostile") / "class", ATTACKS)
    out = folder.parent / "results"
    out.mkdir()
    load_before, started = slowdown(), time.monotonic()
    results = runner.grade(hw3, discover(folder, "hw3"), backend=basic_backend)
    elapsed = time.monotonic() - started
    # The bound below is wall time, scaled by how busy the machine was around the batch.
    return {r.submission: r for r in results}, elapsed / max(load_before, slowdown()), folder


def test_every_result_is_schema_valid(batch):
    results, _, _ = batch
    assert len(results) == len({k.split("/")[0].rsplit(".", 1)[0] for k in ATTACKS})
    for result in results.values():
        validate(result.to_dict())


def test_batch_is_bounded(batch, hw3):
    """Every attack is stopped by a limit, so the batch ends in a bounded time."""
    _, elapsed, _ = batch
    assert elapsed < 60, f"the batch took {elapsed:.0f} s of an idle machine's time"


def test_honest_submission_keeps_full_marks(batch):
    results, _, _ = batch
    assert results["zz_honest"].auto_score == FULL_AUTO


def test_endless_loop_at_import_is_a_load_error(batch):
    result = batch[0]["loop_at_import"]
    assert result.auto_score == 0
    assert "did not finish" in result.load_errors[0]["error"]
    assert set(statuses(result).values()) == {"error"}


def test_sleep_with_sigterm_ignored_only_times_out_its_tests(batch):
    result = batch[0]["sigterm_sleeper"]
    found = statuses(result)
    assert found["test_is_misclassified_examples"] == "timeout"
    assert found["test_step_5_uses_m2"] == "passed" and found["test_perceptron_step_example"] == "passed"


@pytest.mark.parametrize("name", ["exit_at_import"])
def test_sys_exit_at_import_is_recorded_and_names_before_it_still_count(batch, name):
    result = batch[0][name]
    assert "sys.exit" in result.load_errors[0]["error"]
    assert result.auto_score == FULL_AUTO


def test_os_exit_at_import_is_a_load_error(batch):
    result = batch[0]["os_exit_at_import"]
    assert result.auto_score == 0 and "exited" in result.load_errors[0]["error"]


@pytest.mark.parametrize("name", ["exit_in_function", "os_exit_in_function", "memory_bomb", "magic_notebook_shell"])
def test_a_dying_or_stuck_function_costs_only_its_own_tests(batch, name):
    result = batch[0][name]
    found = statuses(result)
    assert found["test_perceptron_step_example"] in ("error", "timeout")
    assert found["test_step_5_uses_m2"] == "passed"
    assert found["test_final_model"] == "passed", "a later test gets a fresh process"


def test_output_flood_is_capped_and_harmless(batch):
    result = batch[0]["stdout_flood"]
    test = next(t for t in result.tests if t.nodeid.endswith("test_is_misclassified_examples"))
    assert test.status in ("passed", "timeout")
    assert len(test.output) < 100_000 and "more bytes of output not shown" in test.output


@pytest.mark.parametrize("name", ["always_equal", "monkeypatcher", "frame_reader", "forger", "result_writer"])
def test_tricks_do_not_earn_points(batch, name):
    result = batch[0][name]
    found = statuses(result)
    assert found["test_perceptron_step_example"] != "passed"
    assert result.auto_score < FULL_AUTO


def test_always_equal_objects_are_reported_as_not_plain_data(batch):
    result = batch[0]["always_equal"]
    final = next(t for t in result.tests if t.nodeid.endswith("test_final_model"))
    assert final.status != "passed" and "Anything" in final.message


def test_planted_result_files_change_nothing(batch):
    results, _, folder = batch
    assert not list(folder.parent.rglob("result_writer.json"))
    assert not (folder / "result_writer.json").exists()
    assert results["result_writer"].auto_score < FULL_AUTO


@pytest.mark.parametrize("name,reason", [
    ("syntax_error", "SyntaxError"), ("binary", "binary"), ("empty", "empty"), ("truncated", "not a readable notebook"),
    ("ancient", "not a readable notebook"),
])
def test_malformed_input_is_a_clear_load_error(batch, name, reason):
    result = batch[0][name]
    assert result.auto_score == 0
    assert any(reason in e["error"] for e in result.load_errors), result.load_errors


def test_deep_recursion_is_contained(batch):
    found = statuses(batch[0]["deep_recursion"])
    assert found["test_is_misclassified_examples"] in ("error", "failed", "timeout")
    assert found["test_perceptron_step_example"] == "passed"


def test_conftest_and_shadow_modules_beside_a_submission_are_ignored(batch):
    result = batch[0]["conftest_planter"]
    assert statuses(result)["test_is_misclassified_examples"] == "failed"
    assert result.auto_score < FULL_AUTO


def test_background_processes_do_not_outlive_their_submission(batch):
    """fork_leaver left a sleeping child; killing the process group at the end removed it. The child
    runs the jail's code: the fork server's or a spawned interpreter's (child)."""
    sleepers = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as handle:
                cmdline = handle.read()
        except OSError:
            continue
        # Fork servers of this checkout only: other checkouts may be grading on the same machine.
        jail = b"grader.jail.inside.forkserver" in cmdline or b"grader.jail.inside.child" in cmdline
        if jail and str(ROOT).encode() in cmdline and int(pid) != os.getpid():
            with open(f"/proc/{pid}/stat") as stat:
                parent = int(stat.read().rsplit(")", 1)[1].split()[1])
            if parent != os.getpid():
                sleepers.append(pid)
    assert not sleepers, f"processes forked by submissions still run: {sleepers}"
