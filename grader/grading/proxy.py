"""What instructors' tests hold: the submission as a proxy. Reading ``submission.NAME`` or calling
``submission.f(...)`` travels to the jailed process; only plain data comes back.

Every problem on the submission's side becomes a ``SubmissionProblem`` with the status it earns
(failed, error or timeout) and a message for the student.
"""

from __future__ import annotations

import copy
import re
import shutil
import time
from pathlib import Path
from typing import Any

from grader.i18n import _, ngettext
from grader.jail.base import Backend, Jail, JailBusy, JailDied, JailTimeout, Limits, ReplyTooLarge
from grader.jail.inside.wire import Handle
from grader.model.loader import Cell, LoadError, Submission, read_cells, stage
from grader.model.results import Status


class SubmissionProblem(Exception):
    status = Status.ERROR
    machine_busy = False  # the machine's fault, not the submission's: grade it again

    def __init__(self, message: str, traceback: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.traceback = traceback

    def retold(self, prefix: str) -> SubmissionProblem:
        """The same problem with ``prefix`` before its message (e.g. which case of a test it was)."""
        told = copy.copy(self)
        told.message = prefix + self.message
        told.args = (told.message,)
        return told


class NotDefined(SubmissionProblem):
    status = Status.FAILED


class NotImplementedYet(SubmissionProblem):
    status = Status.FAILED


class SubmissionRaised(SubmissionProblem):
    """The submission's code raised; ``type_name`` is the exception's class name, e.g. "ValueError"."""

    status = Status.ERROR

    def __init__(self, message: str, traceback: str = "", type_name: str = "") -> None:
        super().__init__(message, traceback)
        self.type_name = type_name


class SubmissionTimedOut(SubmissionProblem):
    status = Status.TIMEOUT


class SubmissionCrashed(SubmissionProblem):
    status = Status.ERROR


class ReplyRefused(SubmissionProblem):
    """The answer was over what a test may receive (see ``grader.jail.inside.wire``): a wrong answer, not a crash."""

    status = Status.FAILED


class SubmissionNotLoaded(SubmissionProblem):
    status = Status.ERROR


class MachineBusy(SubmissionProblem):
    """The wall-clock backstop stopped the submission while it waited for a core (``JailBusy``)."""

    status = Status.ERROR
    machine_busy = True


class LoadBusy(MachineBusy, SubmissionNotLoaded):
    """Loading the submission was stopped that way: every test that needs it is graded again."""


class SubmissionProxy:
    """One student's submission, loaded in a jail on first use and reloaded after a crash."""

    def __init__(self, submission: Submission, module_name: str, backend: Backend, limits: Limits) -> None:
        self._submission = submission
        self._module_name = module_name
        self._backend = backend
        self._limits = limits
        self._jail: Jail | None = None
        self._workdir: str | None = None
        self._fatal: str | None = None  # set when the submission cannot be loaded at all
        self._not_loaded: type[SubmissionNotLoaded] = SubmissionNotLoaded  # LoadBusy: not its fault
        self._load_errors: list[dict] | None = None
        self._deadline = float("inf")
        self._timeout = limits.test_timeout
        self._cells: list[Cell] | None = None
        self._orphan_output = ""  # what a killed process printed before it was stopped
        self._replaced = 0  # characters of the submission's text that were not valid Unicode, not yet told
        self.time_in_submission = 0.0  # wall time spent waiting for the jail: the student's own code
        # Names the loaded code defines as functions: a test's next ``submission.f(...)`` is one round trip,
        # not two. Should a call rebind such a name, calling it still answers truly (what calling it raises).
        self._callables: set[str] = set()
        self._spawned: list[Jail] = []  # every process it ran in (a crash or a timeout starts another)

    # -- what the grader asks ------------------------------------------------------------------
    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        if name in self._callables:
            return RemoteFunction(self, name)
        reply = self._request(["get", name], name)
        if reply[0] == "callable":
            self._callables.add(name)
            return RemoteFunction(self, name)
        return reply[1]

    def __repr__(self) -> str:
        return f"<submission {self._submission.id}>"

    def start(self) -> None:
        """Load the submission now; load problems are recorded, not raised."""
        try:
            self._ensure_jail()
        except SubmissionProblem:
            pass

    @property
    def load_errors(self) -> list[dict]:
        errors = list(self._load_errors or [])
        if self._fatal:
            errors.insert(0, {"where": "submission", "error": self._fatal, "traceback": ""})
        return errors

    @property
    def cpu_in_submission(self) -> float | None:
        """CPU seconds its processes used, those that have ended (all, once closed); None where not measured."""
        measured = [jail.cpu_used for jail in self._spawned if jail.cpu_used is not None]
        return round(sum(measured), 6) if measured else None

    def begin_test(self, timeout: float | None) -> None:
        self._timeout = timeout or self._limits.test_timeout
        self._deadline = time.monotonic() + self._timeout

    def take_output(self) -> str:
        text, self._orphan_output = self._orphan_output, ""
        return text + (self._jail.output.take() if self._jail is not None else "")

    def take_notes(self) -> str:
        """What the test's output should say about the submission's text since the last call."""
        count, self._replaced = self._replaced, 0
        if not count:
            return ""
        return ngettext("the submission's text held {count} character that is not valid Unicode; replaced with "
                        "\ufffd", "the submission's text held {count} characters that are not valid Unicode; "
                        "replaced with \ufffd", count).format(count=count)

    def _drop_jail(self, jail: Jail) -> None:
        """Forget a killed process (``self._jail``), keeping what it printed for the test that was running."""
        self._orphan_output += jail.output.take()
        self._jail = None

    def close(self) -> None:
        if self._jail is not None:
            self._jail.close()
            self._jail = None
        if self._workdir:
            shutil.rmtree(self._workdir, ignore_errors=True)
            self._workdir = None

    # -- plumbing ------------------------------------------------------------------------------
    def _ensure_jail(self) -> Jail:
        """The live jail, started (and the submission loaded in it) if there is none."""
        if self._fatal:
            raise self._not_loaded(self._fatal)
        if self._jail is not None and self._jail.alive:
            return self._jail
        try:
            if self._cells is None:
                self._cells = read_cells(self._submission)
        except LoadError as exc:
            self._fatal = str(exc)
            raise SubmissionNotLoaded(self._fatal) from None
        if self._workdir is None:
            self._workdir = self._backend.new_workdir()
            stage(self._submission, Path(self._workdir))
        self._jail = jail = self._backend.spawn(self._workdir, self._limits)
        self._spawned.append(jail)
        self._callables.clear()
        cells = [[c.index, c.filename, c.source] for c in self._cells]
        started = time.monotonic()
        try:
            reply = jail.request(["load", self._submission.kind, self._module_name, cells],
                                 started + self._limits.load_timeout)
        except JailTimeout:
            self._fatal = _("loading the submission did not finish within {seconds} s (an endless loop or a long "
                            "computation at the top level?)").format(seconds=f"{self._limits.load_timeout:g}")
        except JailBusy as exc:
            self._fatal = _("loading the submission: {reason}").format(reason=exc.reason)
            self._not_loaded = LoadBusy
        except JailDied as exc:
            self._fatal = _("loading the submission stopped it: {reason}").format(reason=exc.reason)
        else:
            if not (type(reply) is list and len(reply) == 2 and reply[0] == "loaded" and type(reply[1]) is list):
                self._fatal = _("the submission's process answered the load request with something else")
            elif self._load_errors is None:
                self._load_errors = [_load_error(e) for e in reply[1][:50]]
        self.time_in_submission += time.monotonic() - started
        self._replaced += jail.take_replaced()
        jail.output.take()  # what loading printed belongs to no test
        if self._fatal:
            jail.kill()
            self._jail = None
            raise self._not_loaded(self._fatal)
        return jail

    def _request(self, message: list, what: str) -> list:
        jail, started = self._ensure_jail(), time.monotonic()
        problem: SubmissionProblem | None = None
        try:
            reply = jail.request(message, self._deadline)
        except JailTimeout:
            self._drop_jail(jail)
            problem = SubmissionTimedOut(_(
                "{call} did not finish within the test's {seconds} s and was stopped (an endless loop, or code too "
                "slow for this test?)").format(call=what, seconds=f"{self._timeout:g}"))
        except ReplyTooLarge as exc:
            self._drop_jail(jail)
            problem = ReplyRefused(_("{call} could not be graded: {reason}").format(call=what, reason=exc.reason))
        except JailBusy as exc:
            self._drop_jail(jail)
            problem = MachineBusy(_("{call} was stopped: {reason}").format(call=what, reason=exc.reason))
        except JailDied as exc:
            self._drop_jail(jail)
            problem = SubmissionCrashed(_("while running {call}: {reason}").format(call=what, reason=exc.reason))
        finally:
            self.time_in_submission += time.monotonic() - started
            self._replaced += jail.take_replaced()
        if problem is not None:
            # Raised here, outside the except clauses: the jail's exception, whose frames hold the raw
            # reply (up to 80 MB), must not stay alive as its context in the test's traceback.
            raise problem
        return self._check_reply(jail, reply, what)

    def _check_reply(self, jail: Jail, reply: Any, what: str) -> list:
        kind = reply[0] if type(reply) is list and reply and type(reply[0]) is str else None
        if (kind == "ok" and len(reply) == 2) or kind == "callable":
            return reply
        if kind == "missing":
            raise NotDefined(self._not_defined(what.split("(")[0]))
        if kind == "stub":
            raise NotImplementedYet(_("{call} is still the template's placeholder (...)").format(call=what))
        if kind == "raised" and len(reply) == 4 and all(type(x) is str for x in reply[1:]):
            type_name, message, traceback = reply[1:]
            if type_name == "NotImplementedError":
                raise NotImplementedYet(_not_implemented(what, traceback), traceback)
            raised = _("{call} raised {error}").format(call=what, error=f"{type_name}: {message}".rstrip(": "))
            raise SubmissionRaised(raised, traceback, type_name)
        jail.kill()
        self._drop_jail(jail)
        raise SubmissionCrashed(_("the submission's process gave an unexpected answer to {call}").format(call=what))

    def _not_defined(self, name: str) -> str:
        """A missing name, and the load error that most likely kept it from being defined."""
        if not self._load_errors:
            return _("the submission does not define {name}").format(name=name)
        first = self._load_errors[0]
        lines = re.findall(r"line (\d+)", first["traceback"])
        where = first["where"] + (_(", line {line}").format(line=lines[-1]) if lines else "")
        more = _(" (and {count} more)").format(count=len(self._load_errors) - 1) if len(self._load_errors) > 1 else ""
        return _("{name} was never defined: loading your code stopped with an error at {where}{more}: {error} — fix "
                 "that first").format(name=name, where=where, more=more, error=first["error"][:300])

    def _call(self, name: str, args: tuple, kwargs: dict) -> Any:
        return self._request(["call", name, list(args), kwargs], f"{name}()")[1]


class RemoteFunction:
    """A function of the submission; calling it runs it in the jail with the test's deadline."""

    def __init__(self, proxy: SubmissionProxy, name: str) -> None:
        self._proxy = proxy
        self.__name__ = name

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._proxy._call(self.__name__, args, kwargs)

    def __repr__(self) -> str:
        return f"<submission's {self.__name__}>"


def _load_error(entry: Any) -> dict:
    """A load error as reported by the jail, reduced to three capped strings."""
    entry = entry if type(entry) is dict else {}
    return {key: str(entry.get(key, ""))[:8000] for key in ("where", "error", "traceback")}


def _not_implemented(what: str, traceback: str) -> str:
    """Name the stub that raised: a finished function may fail only because it calls one."""
    frames = re.findall(r'File "[^"]*", line \d+, in (\w+)', traceback)
    called = what.split("(")[0]
    if frames and frames[-1] not in (called, "<module>"):
        return _("{call} could not run: {stub}(), which it calls, is not implemented yet").format(
            call=what, stub=frames[-1])
    return _("{call} is not implemented yet (it raises NotImplementedError)").format(call=what)


def is_kept_object(value: Any) -> bool:
    """True for a value that stayed in the submission's process because it was not plain data."""
    return isinstance(value, Handle)
