"""Hostile data through the wire, graded as instructors grade: ``grader grade`` with 2 workers, in a
subprocess whose peak memory (grader parent, workers and everything they reaped) is measured.

Text that is not valid Unicode (lone surrogates) in printed output, exception messages, returned
strings, load errors, type names and manual answers must not break the worker channel or any file;
replies built to cost the grader far more than their bytes (millions of empty lists or tiny dicts,
deep nesting) must fail only the test that received them, with a clear message, in bounded memory.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from grader.model.results import validate
from tests.conftest import ROOT
from tests.redteam.cases import HONEST, TESTS

HONEST_IDS = ("zz_honest_a", "zz_honest_b")
AUTO_FULL = 6.0
MEMORY_BOUND_MB = 400

# Each payload is under the 16 MiB frame cap; the jail's own ``wire.encode`` is replaced, so the frame
# reaches the trusted decoder as sent whatever the child-side code would have done.
FORGE = '''
import sys
_wire = sys.modules["grader.jail.inside.wire"]
_real_encode = _wire.encode
def _encode(value, make_handle=None):
    if type(value) is list and len(value) == 2 and value[0] == "ok" and type(value[1]) is str \
            and value[1] == "PAYLOAD":
        return b'["ok",' + PAYLOAD + b"]", b""
    return _real_encode(value, make_handle)
_wire.encode = _encode
def mul(a, b):
    return "PAYLOAD"
'''
AMPLIFIERS = {
    "amp_empty_lists": 'PAYLOAD = b"[" + b"[],"*5_199_999 + b"[]]"',  # 15.6 MB, 5.2 million lists
    "amp_deep": 'PAYLOAD = b"[" + b",".join([b"["*60 + b"]"*60] * 130_000) + b"]"',  # 7.8 million lists
    "amp_tiny_dicts": 'PAYLOAD = b"[" + b",".join([b\'{"d":[]}\'] * 1_000_000) + b"]"',  # a million dicts
}

SURROGATES = {
    # A printed line (raw bytes and a surrogate printed with surrogatepass), an exception message,
    # a returned string, a load error and a manual answer.
    "text_everywhere": r'''
import os, sys
ANSWER = "my answer \ud800 ends here"
def add(a, b):
    sys.stdout.buffer.write("printed \udcff line\n".encode("utf-8", "surrogatepass"))
    sys.stdout.flush()
    os.write(1, b"raw \xed\xa0\x80 bytes\n")
    return a + b
def mul(a, b):
    raise ValueError("bad \ud800 product")
def report():
    return "found \udfff"
raise RuntimeError("load \udc80 error")
''',
    # A dict key and the type name of an object that stays in the jail.
    "text_in_keys": r'''
ANSWER = "fine"
class Kept:
    pass
Kept.__qualname__ = "Kept\ud800"
def mul(a, b):
    return {"\udc00": a * b}
def report():
    return Kept()
''',
}


def course(base: Path) -> Path:
    """The red-team course (tests in ``cases.TESTS``) with a manual text question ``ANSWER``."""
    assignment = base / "course" / "assignments" / "rt"
    for name, text in TESTS.items():
        path = assignment / "tests" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text.replace("{hidden_canary}", "not a secret here"))
    (assignment / "assignment.toml").write_text(
        'title = "hostile wire"\n[limits]\ntest_timeout = 2.0\nload_timeout = 4.0\ncpu_seconds = 10\n'
        "memory_mb = 512\n[manual.ANSWER]\npoints = 1\n")
    return assignment.parent


def write_class(folder: Path, attacks: dict[str, str]) -> None:
    folder.mkdir(parents=True)
    for sid, attack in attacks.items():
        (folder / f"{sid}.py").write_text(HONEST + "\nANSWER = 'honest'\n" + attack, encoding="utf-8")
    for sid in HONEST_IDS:
        (folder / f"{sid}.py").write_text(HONEST + "\nANSWER = 'an honest answer'\n")


# Runs the grader and reports its exit code and the peak RSS of the largest process it waited for
# (the grader, its workers, their fork servers and jails: each reaps its children).
MEASURE = '''
import json, resource, subprocess, sys
run = subprocess.run(sys.argv[1:], capture_output=True, text=True, errors="replace", check=False)
print(json.dumps({"returncode": run.returncode, "stdout": run.stdout[-4000:], "stderr": run.stderr[-4000:],
                  "peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
'''


def grade_measured(tmp_path: Path, attacks: dict[str, str], mode: str) -> tuple[dict, dict[str, dict]]:
    assignments = course(tmp_path)
    write_class(tmp_path / "class", attacks)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "grader", "--assignments", str(assignments), "grade", "rt",
               str(tmp_path / "class"), "--out", str(out), "--sandbox", mode, "--workers", "2"]
    done = subprocess.run([sys.executable, "-c", MEASURE, *command], capture_output=True, text=True,
                          timeout=900, check=True, env={**os.environ, "COLUMNS": "200"}, cwd=ROOT)
    run = json.loads(done.stdout)
    results = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in out.glob("*.json")
               if p.name != "summary.json"}
    return run, results


def check_batch(run: dict, results: dict[str, dict], attack_ids: list[str], out: Path) -> None:
    """Exit 0, a summary, a schema-valid result for everyone, honest students exact."""
    assert run["returncode"] == 0, run["stderr"]
    assert (out / "summary.json").is_file()
    assert set(results) == {*attack_ids, *HONEST_IDS}
    for data in results.values():
        validate(data)
        json.dumps(data, ensure_ascii=False).encode("utf-8")  # every string is valid text
    for sid in HONEST_IDS:
        assert results[sid]["auto_score"] == AUTO_FULL
        assert {t["status"] for t in results[sid]["tests"] if t["kind"] == "auto"} == {"passed"}


def by_test(result: dict) -> dict[str, dict]:
    return {t["nodeid"].split("::")[-1]: t for t in result["tests"]}


@pytest.mark.parametrize("mode", ["strict", "basic"])
def test_text_that_is_not_unicode_is_replaced_and_noted(mode, tmp_path, request):
    """Before the fix, the worker's UTF-8 result channel raised on the first lone surrogate inside a
    pytest hook: INTERNAL_ERROR, exit 2, no summary.json. Verified by reverting ``wire.decode``'s
    clean-up and the worker's ``ensure_ascii``: this test then fails on the exit code."""
    if mode == "strict":
        request.getfixturevalue("strict_available")
    run, results = grade_measured(tmp_path, SURROGATES, mode)
    check_batch(run, results, list(SURROGATES), tmp_path / "out")
    text = by_test(results["text_everywhere"])
    assert results["text_everywhere"]["auto_score"] == 3.0  # add and vec; mul raised
    assert "bad \ufffd product" in text["test_mul"]["message"]
    assert "found \ufffd" in text["test_report"]["message"]
    assert "printed \ufffd" in text["test_add"]["output"] and "raw \ufffd" in text["test_add"]["output"]
    assert text["ANSWER"]["answer"] == "my answer \ufffd ends here"
    assert "load \ufffd error" in results["text_everywhere"]["load_errors"][0]["error"]
    for name in ("test_mul", "test_report", "ANSWER"):
        assert "not valid Unicode; replaced with \ufffd" in text[name]["output"], text[name]["output"]
    keys = by_test(results["text_in_keys"])
    assert results["text_in_keys"]["auto_score"] == 3.0  # add and vec
    assert keys["test_mul"]["status"] == keys["test_report"]["status"] == "failed"
    assert "Kept\ufffd" in keys["test_report"]["message"]


def test_amplifying_replies_fail_their_test_in_bounded_memory(strict_available, tmp_path):
    """Before the fix, one 15.6 MB reply of 5.2 million empty lists cost the grader 855 MB and about
    a minute per test. Verified by reverting the value count in ``wire.decode``: this test then fails
    on the peak memory (1527 MB; the hostile tests end in a timeout, not the message)."""
    attacks = {sid: f"{payload}\n{FORGE}" for sid, payload in AMPLIFIERS.items()}
    run, results = grade_measured(tmp_path, attacks, "strict")
    assert run["peak_mb"] < MEMORY_BOUND_MB, f"a grader process reached {run['peak_mb']:.0f} MB"
    check_batch(run, results, list(AMPLIFIERS), tmp_path / "out")
    for sid in AMPLIFIERS:
        tests = by_test(results[sid])
        assert results[sid]["auto_score"] == AUTO_FULL - 3  # mul and hidden_mul
        for name in ("test_mul", "test_hidden_mul"):
            assert tests[name]["status"] == "failed", tests[name]
            assert "the submission's reply holds more than" in tests[name]["message"], tests[name]["message"]
