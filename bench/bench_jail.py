"""The jail's cost per submission against its floor, measured side by side in one run.

    python bench/bench_jail.py [--submissions 200] [--calls 200] [--sandbox strict|basic|both]

Floor: what any process-per-submission grader must pay at least, a fork of a warm interpreter that has
numpy imported and one request/reply round trip over a socket, then reaping the child. Framework: what
grading one submission costs the grader beyond the student's code, through the same path the tests
use (``SubmissionProxy``): stage its files, spawn its jailed process, load a one-line module, make one
call, close. Also the cost of one further call to a loaded submission. Target: framework within 3× the
floor (strict mode). Prints medians and ratios.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy  # noqa: F401 - the floor's parent is as warm as the fork server, which has numpy imported

from grader.grading.proxy import SubmissionProxy
from grader.jail.backends import open_backend
from grader.jail.limits import Limits
from grader.model.discovery import discover

sys.path.insert(0, str(ROOT / "bench"))
from bench_grading import add_sandbox_option, sandboxes

FRAMEWORK_TARGET_RATIO = 3.0


def floor(count: int) -> list[float]:
    """Fork a warm process, one round trip over a socket pair, reap it."""
    times = []
    for _ in range(count):
        started = time.perf_counter()
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        pid = os.fork()
        if pid == 0:
            ours.close()
            theirs.sendall(theirs.recv(64))
            os._exit(0)
        theirs.close()
        ours.sendall(b"call f(1)")
        ours.recv(64)
        ours.close()
        os.waitpid(pid, 0)
        times.append(time.perf_counter() - started)
    return times


def framework(count: int, calls: int, sandbox: str) -> tuple[list[float], list[float]]:
    """Per submission: stage, spawn, load, one call, close. Then the time of each further call."""
    folder = Path(tempfile.mkdtemp(prefix="bench-jail-"))
    for number in range(count):
        (folder / f"s{number:04d}.py").write_text("def f(x):\n    return x\n", encoding="utf-8")
    submissions = discover(folder, "bench")
    backend = open_backend(sandbox)
    limits = Limits()
    try:
        SubmissionProxy(submissions[0], "bench", backend, limits).close()  # the fork server started
        per_submission = []
        for submission in submissions:
            started = time.perf_counter()
            proxy = SubmissionProxy(submission, "bench", backend, limits)
            proxy.begin_test(None)
            assert proxy.f(1) == 1
            proxy.close()
            per_submission.append(time.perf_counter() - started)
        proxy = SubmissionProxy(submissions[0], "bench", backend, limits)
        proxy.begin_test(None)
        function = proxy.f
        per_call = []
        for number in range(calls):
            started = time.perf_counter()
            assert function(number) == number
            per_call.append(time.perf_counter() - started)
        proxy.close()
    finally:
        backend.close()
        shutil.rmtree(folder)
    return per_submission, per_call


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=200)
    parser.add_argument("--calls", type=int, default=200)
    add_sandbox_option(parser)
    args = parser.parse_args()
    floor_s = statistics.median(floor(args.submissions))
    print(f"floor (warm fork + one round trip + reap): {floor_s * 1000:6.2f} ms median of {args.submissions}")
    for sandbox in sandboxes(args.sandbox):
        per_submission, per_call = framework(args.submissions, args.calls, sandbox)
        cost = statistics.median(per_submission)
        print(f"[{sandbox}] stage + spawn + load + one call + close: {cost * 1000:6.2f} ms median, "
              f"{cost / floor_s:.2f}× the floor (target ≤ {FRAMEWORK_TARGET_RATIO:g}×)")
        call = statistics.median(per_call)
        print(f"[{sandbox}] one more call to a loaded submission:   {call * 1000:6.2f} ms median")


if __name__ == "__main__":
    main()
