"""The submission's side of the boundary: load the student's code, then answer requests.

Runs only in a jailed process: forked from the fork server, or a fresh interpreter of its own where there
is no fork server (``main_over_pipes``). Nothing here is trusted by the grader: a
submission may rewrite any of it, so every reply is checked again by ``wire.decode`` on the other side.

Requests (each a wire value):   ["load", kind, name, cells] | ["get", name] | ["call", name, args, kwargs]
                                | ["exit"]
Replies:   ["ok", value] | ["callable"] | ["stub"] | ["missing"] | ["raised", type, message, traceback]
           | ["loaded", errors] | ["callback", id, args, kwargs] (a call into a trusted function)
"""

from __future__ import annotations

import builtins
import itertools
import json
import linecache
import os
import sys
import traceback
import types
from typing import Any

from grader.jail.inside import rlimits, wire

MAX_HANDLES = 10_000


class Session:
    def __init__(self, sock: wire.Channel) -> None:
        self.sock = sock
        self.namespace: dict[str, Any] = {}
        self.handles: dict[int, Any] = {}
        self.next_handle = itertools.count(1)
        self.source_files: set[str] = set()

    # -- wire ----------------------------------------------------------------------------------
    def make_handle(self, obj: Any) -> wire.Handle:
        if len(self.handles) >= MAX_HANDLES:
            raise wire.WireError("too many objects kept in the submission's process")
        handle = wire.Handle(next(self.next_handle), type(obj).__qualname__)
        self.handles[handle.id] = obj
        return handle

    def reply(self, value: Any) -> None:
        _flush_output()  # the grader reads output up to the reply, so it must be in the pipe first
        wire.send(self.sock, *wire.encode(value, self.make_handle))

    def receive(self) -> Any:
        return wire.decode(*wire.recv(self.sock), self.resolve_handle, self.make_callback)

    def resolve_handle(self, id: int, type_name: str) -> Any:
        if id not in self.handles:
            raise wire.WireError(f"unknown {type_name} object")
        return self.handles[id]

    def make_callback(self, id: int) -> Any:
        def trusted_function(*args: Any, **kwargs: Any) -> Any:
            self.reply(["callback", id, list(args), kwargs])
            answer = self.receive()
            if answer[0] == "ok":
                return answer[1]
            raise RuntimeError(answer[1])

        return trusted_function

    # -- requests ------------------------------------------------------------------------------
    def serve(self) -> None:
        while True:
            try:
                request = self.receive()
            except EOFError:
                return
            op = request[0]
            if op == "exit":
                return
            try:
                self.reply(self.handle(op, request[1:]))
            except wire.WireError as exc:
                self.reply(["raised", "WireError", str(exc), ""])

    def handle(self, op: str, params: list) -> list:
        if op == "load":
            return ["loaded", self.load(*params)]
        name = params[0]
        if name not in self.namespace:
            return ["missing"]
        target = self.namespace[name]
        if op == "get":
            if target is Ellipsis:
                return ["stub"]
            if callable(target):
                return ["callable"]
            return ["ok", target]
        args, kwargs = params[1], params[2]
        try:
            return ["ok", target(*args, **kwargs)]
        except BaseException as exc:  # noqa: BLE001 - sys.exit and KeyboardInterrupt are answers too
            return ["raised", type(exc).__name__, _message(exc), self.student_traceback(exc)]

    # -- loading -------------------------------------------------------------------------------
    def load(self, kind: str, module_name: str, cells: list) -> list:
        """Run the submission's code cells in order; a cell that fails is recorded, the rest go on.
        A module is a single cell: the names it defined before an error are kept."""
        module = types.ModuleType(module_name)
        module.__dict__["get_ipython"] = _NoIPython
        sys.modules[module_name] = module
        sys.modules["grader"] = _grader_stand_in()
        self.namespace = module.__dict__
        errors = []
        for index, filename, source in cells:
            self.source_files.add(filename)
            linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
            try:
                code = compile(source, filename, "exec", dont_inherit=True)
                exec(code, self.namespace)  # noqa: S102 - running the submission's cells is what the jail is for
            except BaseException as exc:  # noqa: BLE001 - the next cell still runs
                where = f"cell {index}" if kind == "notebook" else os.path.basename(filename)
                errors.append({
                    "where": where,
                    "error": f"{type(exc).__name__}: {_message(exc)}",
                    "traceback": self.student_traceback(exc),
                })
        return errors

    def student_traceback(self, exc: BaseException) -> str:
        """The traceback frames that belong to the submission, so students see their own lines."""
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename in self.source_files]
        lines = traceback.format_list(frames) if frames else []
        if isinstance(exc, SyntaxError) and exc.filename in self.source_files:
            lines = traceback.format_exception_only(exc)[:-1]
        return "".join(lines)[-8000:]


class _NoIPython:
    """Stand-in for ``get_ipython()`` in notebooks converted to scripts: magics do nothing."""

    def __getattr__(self, name: str) -> Any:
        return lambda *args, **kwargs: None


def _grader_stand_in() -> types.ModuleType:
    """What ``import grader`` gives the submission: a notebook's own ``grader.check("hw3")`` cell must
    not start a second grading inside this one (slow, and in the strict sandbox the package is not there)."""
    stand_in = types.ModuleType("grader", "grader.check() does nothing while a submission is being graded.")

    def check(*args: Any, **kwargs: Any) -> None:
        print("grader.check() was not run: this work is being graded right now")

    stand_in.__dict__["check"] = check
    return stand_in


def _message(exc: BaseException) -> str:
    try:
        text = str(exc)
    except BaseException:  # noqa: BLE001 - a hostile __str__ must not stop the reply
        text = "<unprintable>"
    if isinstance(exc, SystemExit):
        text = f"the submission called sys.exit({text})"
    return text[:2000]


def main(sock: wire.Channel) -> None:
    """Serve requests in the already limited process, then leave."""
    builtins.input = _no_input
    Session(sock).serve()
    _flush_output()
    os._exit(0)


def main_over_pipes(grader_root: str, limits: str) -> None:
    """Entry point of a fresh interpreter started for one submission, in its folder: requests on stdin,
    replies on stdout. The submission's own output (stdout and stderr) goes to the stderr pipe, which
    the grader reads apart from the replies, so nothing it prints can pass for a reply."""
    channel = wire.Pipes(os.dup(0), os.dup(1))
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    os.dup2(2, 1)
    if sys.platform == "win32":
        _point_std_handles_at_fds()
    rlimits.apply(json.loads(limits), processes=False)  # not per uid here: it would count the student's own
    sys.path[:] = [os.getcwd()] + [p for p in sys.path if p != grader_root]
    main(channel)


def _point_std_handles_at_fds() -> None:
    """Windows keeps its own standard handles beside fds 0-2: a program the submission starts inherits
    those, and must write into the output pipe, never the replies' pipe."""
    if sys.platform == "win32":  # only called there; the check lets mypy read the calls as Windows-only
        import ctypes
        import msvcrt
        from ctypes import wintypes

        set_std_handle = ctypes.WinDLL("kernel32").SetStdHandle
        set_std_handle.argtypes = (wintypes.DWORD, wintypes.HANDLE)
        for which, fd in ((-10, 0), (-11, 1), (-12, 2)):  # STD_INPUT_HANDLE, STD_OUTPUT_HANDLE, STD_ERROR_HANDLE
            set_std_handle(which, msvcrt.get_osfhandle(fd))


def _flush_output() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:  # noqa: BLE001, S110 - a replaced or closed stream is the submission's business
            pass


def _no_input(prompt: object = "") -> str:
    raise EOFError("input() is not available while grading")
