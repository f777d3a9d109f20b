"""The grader's side of a jailed process: start it, talk to it under a deadline, kill and reap it.

Two ways to start one, with the same interface (``open_backend`` picks): a fork server (Linux, both
sandboxes) and, in basic mode where that cannot run, a fresh interpreter each (``grader.jail.spawn``).
"""

from __future__ import annotations

import abc
import os
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Callable
from typing import Any

from grader.i18n import _
from grader.jail import sandbox as sandboxes
from grader.jail.inside import usage, wire
from grader.jail.limits import HeldLimits, Limits


class JailTimeout(Exception):
    """The deadline passed; the process group has been killed."""


class JailDied(Exception):
    """The process ended (or broke the protocol) while it owed a reply."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ReplyTooLarge(JailDied):
    """The reply was over a cap of the wire (bytes, values or nesting); the process has been killed.
    Not the jail's failure but the submission's answer: the test fails with ``reason``."""


class JailBusy(JailDied):
    """The wall-clock backstop passed while the submission, within its CPU limit, was mostly waiting
    for a core: the machine's fault, not the student's (the process is killed; grade it again)."""


# A request's time is charged as the submission's own: its CPU time, or the wall time less what it
# spent waiting for a core, whichever is more (code that sleeps is charged for sleeping; code that a
# busy machine keeps waiting is not). The wall-clock backstop ends what the machine holds up too long.
BACKSTOP_FACTOR = 3.0
BACKSTOP_SECONDS = 5.0
POLL_SECONDS = 0.25
# Without the run-queue wait (no schedstat), code that got this share of the wall time was running.
RUNNING_SHARE = 0.05


class Watch:
    """One request's limit of ``budget`` seconds charged to the submission (see above), with a
    wall-clock backstop of BACKSTOP_FACTOR × budget + BACKSTOP_SECONDS. Where nothing can be measured,
    ``budget`` is plain wall-clock seconds."""

    def __init__(self, jail: Jail, budget: float) -> None:
        self.jail, self.budget = jail, budget
        self.started = time.monotonic()
        self.start = jail.used()
        self.backstop = self.started + (budget * BACKSTOP_FACTOR + BACKSTOP_SECONDS if self.start else budget)
        self.charged = 0.0  # wall time the grader spent on the request's behalf (decoding its reply)

    def remaining(self) -> float:
        """How long to wait before looking again; raises (the process killed) once the limit is spent."""
        now = time.monotonic()
        elapsed = now - self.started + self.charged
        if self.start is None:
            if elapsed >= self.budget:
                self._stop(JailTimeout())
            return self.budget - elapsed
        if elapsed < self.budget:
            # Nothing is charged faster than wall time passes (but threads on several cores: then by
            # at most one poll's worth per core), so there is no need to measure yet.
            return min(POLL_SECONDS, self.budget - elapsed)
        cpu, wait = self._used()
        charged = max(cpu, elapsed - wait) if wait is not None else cpu + self.charged
        if charged >= self.budget:
            self._stop(JailTimeout())
        if now >= self.backstop:
            self._stop(self._verdict(now - self.started, cpu, wait))
        return max(0.0, min(POLL_SECONDS, self.budget - charged, self.backstop - now))

    def charge(self, seconds: float) -> None:
        """Count ``seconds`` of the grader's work for this request (decoding its reply) against its limit."""
        self.charged += seconds
        self.remaining()

    def _used(self) -> tuple[float, float | None]:
        """CPU and run-queue wait since the request began."""
        assert self.start is not None
        now = self.jail.used() or self.start
        wait = None if now.wait is None or self.start.wait is None else now.wait - self.start.wait
        return now.cpu - self.start.cpu, wait

    def _verdict(self, elapsed: float, cpu: float, wait: float | None) -> Exception:
        """At the backstop with its charge under the limit: it waited for a core most of the time (with
        schedstat that is what is left), or, without it, it was running, however slowly: the machine's
        fault. Code that neither ran nor waited was sleeping or stuck: its own timeout."""
        if wait is None and cpu < elapsed * RUNNING_SHARE:
            return JailTimeout()
        waited = _(" and waited {seconds} s for a core").format(seconds=f"{wait:.0f}") if wait is not None else ""
        return JailBusy(_("the machine was too busy to finish in time: in {elapsed} s the submission got {cpu} s of "
                          "CPU time{waited} (its limit is {limit} s)").format(
            elapsed=f"{elapsed:.0f}", cpu=f"{cpu:.1f}", waited=waited, limit=f"{self.budget:g}"))

    def _stop(self, problem: Exception) -> None:
        self.jail.kill()
        raise problem


def describe_exit(code: int, limits: Limits) -> str:
    """Why a process ended, from its exit code as ``subprocess`` gives it (negative: killed by that signal)."""
    if code >= 0:
        return _("the submission's process exited with status {code} (os._exit or exit at C level)").format(code=code)
    sig = -code
    if sig == getattr(signal, "SIGXCPU", None):
        return _("the submission used more than {seconds} s of CPU time and was stopped").format(
            seconds=limits.cpu_seconds)
    if sig == signal.SIGSEGV:
        return _("the submission's process crashed with a segmentation fault (very deep recursion?)")
    if sig == getattr(signal, "SIGKILL", None):
        return _("the submission's process was killed (over {limit} MB of memory, or killed from outside)").format(
            limit=limits.memory_mb)
    try:
        name = signal.Signals(sig).name
    except ValueError:
        name = str(sig)
    return _("the submission's process was killed by signal {signal}").format(signal=name)


class Backend(abc.ABC):
    """Where jailed processes come from. ``sandbox`` is "basic" or "strict" (see ``grader.jail.sandbox``;
    strict raises SandboxUnavailable here when it cannot run). Submissions are staged in one folder,
    removed with the home folders by ``close``."""

    def __init__(self, sandbox: str = "basic") -> None:
        sandboxes.require(sandbox)
        self.sandbox = sandbox
        self.stage: str | None = None  # kept across restarts: staged submissions stay valid
        self.homes: list[str] = []

    @abc.abstractmethod
    def start(self) -> None:
        """Make ``stage`` (and whatever else must run before the first ``spawn``)."""

    @abc.abstractmethod
    def spawn(self, workdir: str, limits: Limits) -> Jail:
        """A jailed process working in ``workdir`` (from ``new_workdir``)."""

    @abc.abstractmethod
    def stop(self) -> None:
        """Stop what ``start`` started; staged submissions stay."""

    @abc.abstractmethod
    def held(self, limits: Limits) -> HeldLimits:
        """Which of ``limits`` hold for the submissions it spawns, and how."""

    def new_workdir(self) -> str:
        """A fresh folder to stage a submission in, which the jail can read (and, in basic mode, write)."""
        if self.stage is None:
            self.start()
        workdir = tempfile.mkdtemp(prefix="sub-", dir=self.stage)
        os.chmod(workdir, 0o755)
        return workdir

    def close(self) -> None:
        self.stop()
        for folder in [*self.homes, self.stage]:
            if folder:
                shutil.rmtree(folder, ignore_errors=True)


class Output:
    """Everything the submission printed, capped: the first ``cap`` bytes are kept, the rest counted.
    Fed by a reader thread in the spawn backend, hence the lock."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.kept = bytearray()
        self.dropped = 0
        self.lock = threading.Lock()

    def feed(self, chunk: bytes) -> None:
        with self.lock:
            room = self.cap - len(self.kept)
            self.kept += chunk[:room]
            self.dropped += max(0, len(chunk) - room)

    def take(self) -> str:
        with self.lock:
            text = self.kept.decode("utf-8", errors="replace")
            if self.dropped:
                text += f"\n[... {self.dropped} more bytes of output not shown]"
            self.kept, self.dropped = bytearray(), 0
        return text


class Jail(abc.ABC):
    """One jailed process: requests and replies in wire frames, its stdout and stderr captured apart."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.output = Output(limits.output_kb * 1024)
        self.alive = True
        self.cpu_used: float | None = None  # CPU seconds of its processes, once killed and reaped (None: unknown)
        self.replaced = 0  # characters of the replies' text that were not valid Unicode (see take_replaced)

    def request(self, value: Any, deadline: float) -> Any:
        """Send ``value`` and wait for the reply; the time from now to ``deadline`` (time.monotonic()) is
        the limit, charged to the submission where that can be measured (``Watch``).

        Functions among the arguments are offered as callbacks: the jail may call them with plain
        data while the request is open, and they run here."""
        registry: list[Callable] = []

        def offer(obj: Any) -> wire.Callback:
            if not callable(obj):
                raise wire.WireError(f"cannot send a {type(obj).__name__} object to the submission")
            registry.append(obj)
            return wire.Callback(len(registry) - 1)

        watch = Watch(self, deadline - time.monotonic())
        self._send(*wire.encode(value, offer))
        while True:
            reply = self._receive(watch)
            if not (type(reply) is list and reply and reply[0] == "callback" and len(reply) == 4):
                return reply
            index, args, kwargs = reply[1:]
            try:
                if type(index) is not int or not 0 <= index < len(registry) or type(kwargs) is not dict:
                    raise wire.WireError("a call back into the grader was malformed")
                answer = ["ok", registry[index](*args, **kwargs)]
            except Exception as exc:  # noqa: BLE001 - reported to the submission, as a call would be
                answer = ["error", f"{type(exc).__name__}: {exc}"[:2000]]
            self._send(*wire.encode(answer, offer))

    @abc.abstractmethod
    def _send(self, document: bytes, blob: bytes) -> None:
        """Send one frame; JailDied when the process does not take it within the test's timeout."""

    @abc.abstractmethod
    def _receive(self, watch: Watch) -> Any:
        """The next reply, decoded, with everything printed before it in ``output``; JailTimeout or
        JailBusy from ``watch``, JailDied when the process ends or breaks the protocol (killed either way)."""

    @abc.abstractmethod
    def used(self) -> usage.Usage | None:
        """What the process and what it started used so far; None where that cannot be measured."""

    @abc.abstractmethod
    def kill(self) -> int:
        """Kill the process and every process it started (as far as the OS allows), reap it and
        return its exit code as ``subprocess`` gives it."""

    @abc.abstractmethod
    def close(self, grace: float = 1.0) -> None:
        """Ask the process to leave, then kill it either way: nothing it started survives."""

    def take_replaced(self) -> int:
        """How many characters of text were replaced by U+FFFD since the last call."""
        count, self.replaced = self.replaced, 0
        return count

    def _too_big(self) -> ReplyTooLarge:
        self.kill()
        return ReplyTooLarge(_("the submission's reply is over the size limit ({plain} MB of plain data, {arrays} MB "
                               "of arrays)").format(plain=wire.MAX_JSON_BYTES // 2**20, arrays=self.limits.reply_mb))

    def _decode(self, document: bytes, blob: bytes | memoryview, watch: Watch) -> Any:
        """The reply as plain data; decoding counts against the request's limit (``Watch.charge``)."""
        started = time.monotonic()
        try:
            value = wire.decode(document, blob, on_replaced=self._note_replaced)
        except wire.TooLarge as exc:
            self.kill()
            raise ReplyTooLarge(str(exc)) from None
        except wire.WireError as exc:
            self.kill()
            raise JailDied(_("the submission's reply broke the protocol: {error}").format(error=exc)) from None
        watch.charge(time.monotonic() - started)
        return value

    def _note_replaced(self, count: int) -> None:
        self.replaced += count
