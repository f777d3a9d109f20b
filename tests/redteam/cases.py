"""The attacks of the strict red-team suite, each with the honest result it must get.

Every submission is the honest one (``HONEST``) with an attack added after it (redefinitions win), so
what the attack does not touch must still pass. Each starts with ``PATHS``: where the secrets, the
output folder, the grader's code and the other students really are, so that an attack needs no guess.
What an attack manages to read or do is appended to ``FOUND``; ``report()`` hands it to the test
``test_report``, whose failure message (and so the result JSON) would carry it: the suite then sees
the escape. Secrets are canary strings that appear nowhere else.

The course's tests (``TESTS``): add 2 points, mul 2, vec 1, report 0, hidden_mul 1 (hidden).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

FULL = 6.0
MUL_TESTS = ("test_mul", "test_hidden_mul")

TESTS = {
    "public/test_rt.py": '''
import numpy as np
import pytest
from grader.checks import assert_close


@pytest.mark.points(2)
def test_add(submission):
    assert submission.add(2, 3) == 5


@pytest.mark.points(2)
def test_mul(submission):
    assert submission.mul(4, 5) == 20


@pytest.mark.points(1)
def test_vec(submission):
    assert_close(submission.vec(3), np.arange(3.0) * 2, name="vec")


@pytest.mark.points(0)
def test_report(submission):
    """What the submission found outside its jail (nothing, if the jail holds)."""
    found = submission.report()
    assert found == "", f"the submission reported: {found}"
''',
    "hidden/test_rt_hidden.py": '''
import pytest


@pytest.mark.points(1)
def test_hidden_mul(submission):
    assert submission.mul(-2, 3) == -6  # {hidden_canary}
''',
}

HONEST = '''
import tempfile

import numpy as np

FOUND = []


def add(a, b):
    return a + b


def mul(a, b):
    return a * b


def vec(n):
    with tempfile.TemporaryFile() as scratch:  # honest work may use temporary files
        scratch.write(b"ok")
    return np.arange(float(n)) * 2


def report():
    return "\\n".join(FOUND)
'''


@dataclass(frozen=True)
class Case:
    name: str
    group: str
    attack: str | bytes  # added to HONEST; bytes or a name ending in .ipynb: the whole file
    score: float  # the honest result
    broken: dict[str, set[str]] = field(default_factory=dict)  # test -> statuses it may get (others pass)
    load_error: str = ""  # a substring of the load error, when one is expected
    extra_files: dict[str, str] = field(default_factory=dict)  # beside the submission (it becomes a folder)
    filename: str = "rt.py"


def _bad_mul(*statuses: str) -> dict[str, set[str]]:
    return {test: set(statuses) for test in MUL_TESTS}


READ = '''
def _try_read(label, path):
    try:
        with open(path, "rb") as handle:
            FOUND.append(f"READ {label}: " + handle.read(4000).decode("utf-8", "replace"))
    except OSError:
        pass
'''

CASES = [
    # -- resource exhaustion -------------------------------------------------------------------
    Case("cpu_loop", "resources", '''
def mul(a, b):
    while True:
        pass
''', 3, _bad_mul("timeout")),
    Case("memory_bomb", "resources", '''
def mul(a, b):
    hoard = []
    while True:
        hoard.append(bytearray(64 * 2**20))
''', 3, _bad_mul("error")),
    Case("fork_bomb", "resources", '''
import os
def mul(a, b):
    children = 0
    try:
        while True:
            if os.fork() == 0:
                import time
                time.sleep(60)
                os._exit(0)
            children += 1
    except OSError:
        pass
    if children >= 100:
        FOUND.append(f"FORKED {children} processes")
    return a * b
''', FULL),
    Case("thread_bomb", "resources", '''
import threading, time
def mul(a, b):
    started = 0
    try:
        for _ in range(1000):
            threading.Thread(target=time.sleep, args=(60,), daemon=True).start()
            started += 1
    except RuntimeError:
        pass
    if started >= 100:
        FOUND.append(f"STARTED {started} threads")
    return a * b
''', FULL),
    Case("disk_fill", "resources", '''
import os
def mul(a, b):
    written = 0
    for target in ("/tmp/fill", "fill"):
        try:
            with open(target, "wb") as handle:
                while written < 2 * 2**30:
                    handle.write(b"x" * 2**20)
                    written += 2**20
        except OSError:
            pass
    if written >= 2**30:
        FOUND.append(f"WROTE {written} bytes")
    return a * b
''', FULL),
    Case("output_flood", "resources", '''
import sys
_chunk = "passed " * 150_000 + "\\n"
def mul(a, b):
    for _ in range(300):
        sys.stdout.write(_chunk)
    return a * b
''', FULL, {test: {"passed", "timeout"} for test in MUL_TESTS}),
    Case("sigterm_sleeper", "resources", '''
import signal, time
def mul(a, b):
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    time.sleep(1000)
''', 3, _bad_mul("timeout")),
    Case("loop_at_import", "resources", "while True:\n    pass\n", 0,
         {t: {"error"} for t in ("test_add", "test_mul", "test_vec", "test_report", "test_hidden_mul")},
         load_error="did not finish"),
    # -- exits and crashes ---------------------------------------------------------------------
    Case("sys_exit_at_import", "exits", "import sys\nsys.exit(0)\n", FULL, load_error="sys.exit"),
    Case("os_exit_at_import", "exits", "import os\nos._exit(0)\n", 0,
         {t: {"error"} for t in ("test_add", "test_mul", "test_vec", "test_report", "test_hidden_mul")},
         load_error="exited"),
    Case("os_exit_in_function", "exits", "def mul(a, b):\n    import os\n    os._exit(3)\n", 3, _bad_mul("error")),
    Case("segfault", "exits", "def mul(a, b):\n    import ctypes\n    return ctypes.string_at(0)\n", 3,
         _bad_mul("error")),
    Case("deep_recursion", "exits", '''
import sys
sys.setrecursionlimit(10**8)
def mul(a, b):
    return mul(a, b)
''', 3, _bad_mul("error", "timeout")),
    Case("kill_the_fork_server", "exits", '''
import os, signal
for _pid in (os.getppid(), 1):
    try:
        os.kill(_pid, signal.SIGKILL)
        FOUND.append(f"KILLED {_pid}")
    except OSError:
        pass
''', FULL),
    # -- forged output and planted result files ------------------------------------------------
    Case("forged_output", "forgery", '''
import json, sys
print("======== 6 passed in 0.01s ========")
print(json.dumps({"score": 6, "max_score": 6, "tests": []}))
def mul(a, b):
    print("test_mul PASSED")
    sys.stderr.write('{"status": "passed", "score": 100}\\n')
    return a * b + 1
''', 3, _bad_mul("failed")),
    Case("planted_results", "forgery", '''
import json, os
_forged = {"submission": "planted_results", "score": 6, "max_score": 6}
for _folder in (PATHS["out"], "..", "../..", "/tmp", os.path.expanduser("~")):
    for _name in ("planted_results.json", "summary.json", "gradebook.csv", "PLANTED"):
        try:
            with open(os.path.join(_folder, _name), "w") as _handle:
                json.dump(_forged, _handle)
            if _folder != "/tmp":
                FOUND.append(f"WROTE {_folder}/{_name}")
        except OSError:
            pass
def mul(a, b):
    raise RuntimeError("crash, so that the real result is never written")
''', 3, _bad_mul("error")),
    # -- comparison tricks ---------------------------------------------------------------------
    Case("always_equal", "comparison", '''
class Yes(float):
    def __eq__(self, other): return True
    __ne__ = lambda self, other: False
    __hash__ = float.__hash__
class YesArray(np.ndarray):
    def __eq__(self, other): return np.ones(np.shape(other), bool)
def mul(a, b):
    return Yes(0.0)
def vec(n):
    return np.zeros(n).view(YesArray)
''', 2, {**_bad_mul("failed"), "test_vec": {"failed"}}),
    Case("monkeypatcher", "comparison", '''
import math
np.allclose = lambda *a, **k: True
np.testing.assert_allclose = lambda *a, **k: None
math.isclose = lambda *a, **k: True
def mul(a, b):
    return 0
''', 3, _bad_mul("failed")),
    # A patched builtin breaks only the submission's own process (the jail's reply code uses it).
    Case("builtins_patcher", "comparison", "import builtins\nbuiltins.isinstance = lambda *a: True\n", 0,
         {t: {"error"} for t in ("test_add", "test_mul", "test_vec", "test_report", "test_hidden_mul")},
         load_error="stopped it"),
    # -- reading secrets -----------------------------------------------------------------------
    Case("read_hidden_tests", "secrets", READ + '''
import glob
for _path in glob.glob(PATHS["assignment"] + "/**/*.py", recursive=True) + [PATHS["hidden_test"]]:
    _try_read("hidden", _path)
''', FULL),
    Case("read_reference", "secrets", READ + '''
_try_read("reference", PATHS["reference"])
import sys
sys.path.insert(0, PATHS["course"])
try:
    from reference.solutions import rt as _ref
    FOUND.append("IMPORTED " + _ref.CANARY)
except Exception:
    pass
''', FULL),
    Case("read_other_submission", "secrets", READ + '''
import glob
for _path in glob.glob(PATHS["class"] + "/*/*") + [PATHS["other"]] + glob.glob("/submissions/*/*"):
    if "read_other" not in _path:
        _try_read("other", _path)
''', FULL),
    Case("read_output_folder", "secrets", READ + '''
import glob
for _path in glob.glob(PATHS["out"] + "/*") + [PATHS["out_canary"]]:
    _try_read("out", _path)
''', FULL),
    Case("read_canary_outside", "secrets", READ + '''
_try_read("canary", PATHS["canary"])
_try_read("passwd", "/etc/shadow")
''', FULL),
    Case("grader_memory", "secrets", '''
import os, re
def report():
    for pid in [p for p in os.listdir("/proc") if p.isdigit()]:
        try:
            with open(f"/proc/{pid}/maps") as maps, open(f"/proc/{pid}/mem", "rb") as mem:
                for line in maps:
                    span, perms = line.split()[:2]
                    start, end = (int(x, 16) for x in span.split("-"))
                    if "r" not in perms or end - start > 2**28:
                        continue
                    try:
                        mem.seek(start)
                        found = re.search(rb"memory-canary-[0-9a-f]{32}", mem.read(end - start))
                    except (OSError, OverflowError, ValueError):
                        continue
                    if found:
                        FOUND.append("MEMORY " + found.group().decode())
        except OSError:
            pass
    return "\\n".join(FOUND)
''', FULL),
    Case("environment", "secrets", '''
import os
FOUND.extend(f"ENV {k}={v}" for k, v in os.environ.items() if "canary" in v)
for _pid in [p for p in os.listdir("/proc") if p.isdigit()]:
    try:
        with open(f"/proc/{_pid}/environ", "rb") as _handle:
            if b"env-canary" in _handle.read():
                FOUND.append(f"ENVIRON of {_pid}")
    except OSError:
        pass
''', FULL),
    Case("grader_package", "secrets", '''
for _name in ("grader.grading.runner", "grader.model.assignment", "grader.grading.plugin"):
    try:
        __import__(_name)
        FOUND.append("IMPORTED " + _name)
    except Exception:
        pass
''', FULL),
    # -- tampering with the grader or libraries ------------------------------------------------
    Case("write_site_packages", "tampering", '''
import os
for _path in (os.path.join(PATHS["site_packages"], "sitecustomize.py"),
              os.path.join(os.path.dirname(np.__file__), "__init__.py"),
              os.path.join(PATHS["site_packages"], "PLANTED")):
    try:
        with open(_path, "a") as _handle:
            _handle.write("\\n# planted\\n")
        FOUND.append("WROTE " + _path)
    except OSError:
        pass
''', FULL),
    Case("write_grader_package", "tampering", '''
import os, grader.jail.inside.child as _child
for _path in (_child.__file__, os.path.join(PATHS["grader_package"], "checks.py"),
              os.path.join(PATHS["grader_package"], "PLANTED")):
    try:
        with open(_path, "a") as _handle:
            _handle.write("\\n# planted\\n")
        FOUND.append("WROTE " + _path)
    except OSError:
        pass
''', FULL),
    Case("tamper_with_fork_server", "tampering", '''
import ctypes, os
try:
    with open("/proc/1/mem", "r+b") as _mem:
        FOUND.append("OPENED /proc/1/mem")
except OSError:
    pass
_libc = ctypes.CDLL(None, use_errno=True)
if _libc.ptrace(16, 1, 0, 0) == 0:  # PTRACE_ATTACH
    FOUND.append("PTRACED 1")
if _libc.unshare(0x10000000) == 0:  # CLONE_NEWUSER: a way back to capabilities
    FOUND.append("UNSHARED")
''', FULL),
    # -- escaping the submission folder --------------------------------------------------------
    Case("symlinks_out", "escape", READ + '''
import glob, os
for _path in glob.glob("*"):
    _try_read("link " + _path, _path) if os.path.islink(_path) else None
try:
    os.symlink(PATHS["hidden_test"], "/tmp/link")
    _try_read("new link", "/tmp/link")
except OSError:
    pass
''', FULL, extra_files={"hidden_link": "@hidden_test", "canary_link": "@canary"}),
    Case("relative_walk", "escape", READ + '''
import os
for _root, _dirs, _files in os.walk("../../../../.."):
    _dirs[:] = [d for d in _dirs if d not in ("proc", "sys", "dev", "usr")]
    for _name in _files:
        if _name.endswith((".py", ".txt", ".csv", ".json")) and "redteam-" in _root:
            _try_read("walked", os.path.join(_root, _name))
for _path in ("/proc/1/root" + PATHS["canary"], "/proc/self/root" + PATHS["canary"], "/proc/1/cwd/../../.."):
    _try_read("proc", _path)
''', FULL),
    Case("write_outside", "escape", '''
import os
for _folder in (PATHS["canary_dir"], PATHS["course"], PATHS["class"], os.getcwd(), "/", "..", "/submissions"):
    try:
        with open(os.path.join(_folder, "ESCAPED"), "w") as _handle:
            _handle.write("x")
        FOUND.append("WROTE " + _folder)
    except OSError:
        pass
''', FULL),
    # -- interference with the submissions graded after it -------------------------------------
    Case("daemon_killer", "interference", '''
import os, signal, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        time.sleep(2)  # until this submission is done and the next one runs
        while True:
            try:
                os.kill(-1, signal.SIGKILL)
            except OSError:
                pass
            time.sleep(0.01)
    os._exit(0)
''', FULL),
    Case("daemon_hog", "interference", '''
import os
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        for _ in range(4):
            os.fork()
        while True:
            pass
    os._exit(0)
''', FULL),
    Case("tmp_leaver", "interference", '''
import os
for _i in range(3):
    with open(f"/tmp/left-{_i}", "wb") as _handle:
        _handle.write(b"x" * 2**20)
os.mkfifo("/tmp/left-fifo")
def vec(n):
    return np.arange(float(n)) * 2
''', FULL),
    # -- network -------------------------------------------------------------------------------
    Case("connect_listener", "network", '''
import socket
for _family, _address in ((socket.AF_INET, ("127.0.0.1", PATHS["port"])), (socket.AF_UNIX, PATHS["abstract"])):
    try:
        with socket.socket(_family, socket.SOCK_STREAM) as _sock:
            _sock.settimeout(1)
            _sock.connect(_address)
            _sock.sendall(b"connect_listener was here")
            FOUND.append(f"CONNECTED {_address!r}")
    except OSError:
        pass
''', FULL),
    Case("dns", "network", '''
import socket
try:
    FOUND.append("RESOLVED " + repr(socket.getaddrinfo("example.com", 80)[:1]))
except OSError:
    pass
''', FULL),
    Case("udp_out", "network", '''
import socket
try:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as _sock:
        _sock.sendto(b"udp_out was here", ("127.0.0.1", PATHS["port"]))
        FOUND.append("SENT udp")
except OSError:
    pass
''', FULL),
    # -- malformed inputs ----------------------------------------------------------------------
    Case("syntax_error", "malformed", b"def add(a, b:\n    return a + b\n", 0,
         {t: {"failed"} for t in ("test_add", "test_mul", "test_vec", "test_report", "test_hidden_mul")},
         load_error="SyntaxError"),
    Case("binary", "malformed", b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 4, 0,
         {t: {"error"} for t in ("test_add", "test_mul", "test_vec", "test_report", "test_hidden_mul")},
         load_error="binary"),
    Case("empty_notebook", "malformed", b"", 0,
         {t: {"error"} for t in ("test_add", "test_mul", "test_vec", "test_report", "test_hidden_mul")},
         load_error="empty", filename="rt.ipynb"),
    Case("truncated_notebook", "malformed", b'{"cells": [{"cell_type": "code", "source": "x = 1"', 0,
         {t: {"error"} for t in ("test_add", "test_mul", "test_vec", "test_report", "test_hidden_mul")},
         load_error="not a readable notebook", filename="rt.ipynb"),
    Case("ancient_notebook", "malformed", json.dumps({"nbformat": 1, "cells": "nope"}).encode(), 0,
         {t: {"error"} for t in ("test_add", "test_mul", "test_vec", "test_report", "test_hidden_mul")},
         load_error="not a readable notebook", filename="rt.ipynb"),
]

# Graded after every attack: reports any process or file that an earlier submission left in its jail.
WITNESS = '''
import os
def report():
    others = [p for p in os.listdir("/proc") if p.isdigit() and int(p) not in (1, os.getpid())]
    # Root's entries are the sandbox's own (a runtime bound under /tmp); a submission's are its uid's.
    left = [f for f in os.listdir("/tmp") if os.lstat("/tmp/" + f).st_uid != 0]
    return (f"processes {others} " if others else "") + (f"files {left}" if left else "")
'''
