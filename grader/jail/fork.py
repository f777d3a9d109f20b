"""The fork-server backend: a warm interpreter in the sandbox (``grader.jail.inside.forkserver``) forks one
jailed process per submission; this side asks it over its control socket and talks to each child."""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import subprocess
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from grader.jail import launch
from grader.jail import sandbox as sandboxes
from grader.jail.base import Backend, Jail, JailDied, Watch, describe_exit
from grader.jail.cgroup import Cgroup
from grader.jail.inside import rlimits, usage, wire
from grader.jail.limits import HeldLimits, Limits, Scope


class ForkBackend(Backend):
    """A warm interpreter that forks jailed processes; restarted if anything kills it.
    A strict one keeps one jailed process alive at a time: killing one kills everything the sandbox holds."""

    def __init__(self, sandbox: str = "basic") -> None:
        super().__init__(sandbox)
        self.process: subprocess.Popen[bytes] | None = None
        self.control: socket.socket | None = None
        self.cgroup: Cgroup | None = None  # strict: the sandbox's control group, once it is known to hold
        self.cgroup_checked = False  # whether the running fork server was seen inside ``cgroup``
        self.sandbox_pids: set[int] = set()  # what ``cgroup`` holds when idle: the sandbox and its fork server

    def start(self) -> None:
        launched = launch.take_prelaunched(self.sandbox) if self.stage is None else None
        launched = launched or launch.launch(self.sandbox, self.stage)
        self.process, self.control, self.stage = launched.process, launched.control, launched.stage
        self.cgroup = launched.cgroup
        self.cgroup_checked = False
        if launched.home:
            self.homes.append(launched.home)

    def _ask(self, request: dict, fds: Sequence[int] = ()) -> dict:
        for attempt in (1, 2):
            if self.process is None or self.process.poll() is not None:
                self.stop()
                self.start()
            assert self.control is not None  # start() sets it with the process, stop() clears both
            try:
                socket.send_fds(self.control, [json.dumps(request).encode()], list(fds))
                answer = self.control.recv(65536)
                if answer:
                    return json.loads(answer)
            except OSError:
                pass
            self.stop()  # it died under us (a submission may kill its parent): start a new one
            if request["op"] in ("kill", "usage"):
                return {"status": 0, "cpu": None}  # gone with the fork server: nothing to measure
        raise RuntimeError("the jail's fork server could not be started")

    def spawn(self, workdir: str, limits: Limits) -> ForkJail:
        if self.sandbox == "strict":
            for folder, dirs, files in os.walk(workdir):  # readable by the jail's uid, whatever our umask
                for name in dirs + files:
                    os.chmod(os.path.join(folder, name), 0o755 if name in dirs else 0o644)
            workdir = f"{sandboxes.STAGE}/{os.path.basename(workdir)}"
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        out_read, out_write = os.pipe()
        try:
            request = {"op": "spawn", "workdir": workdir, "limits": asdict(limits)}
            self._limit_group(limits)
            pid = self._ask(request, [theirs.fileno(), out_write])["pid"]
        finally:
            theirs.close()
            os.close(out_write)
        return ForkJail(self, pid, ours, out_read, limits)

    def _limit_group(self, limits: Limits) -> None:
        """Before a submission starts: its memory and process limits on top of what the sandbox holds
        (the fork server, idle)."""
        self._ready()
        if self.cgroup is not None:
            self.cgroup.limit(self.cgroup.memory_bytes() + limits.memory_mb * 2**20,
                              self.cgroup.pids_current() + limits.processes)

    def _ready(self) -> None:
        """The fork server running, and its group known to hold it (else the rlimits alone hold)."""
        if self.process is None or self.process.poll() is not None:
            self.stop()
            self.start()
        if self.cgroup is not None and not self.cgroup_checked:
            self._ask({"op": "usage", "pid": 0})  # the fork server answers once it has started
            idle = set(self.cgroup.processes())
            if self.process is None or self.process.pid not in idle:
                self.cgroup.remove()
                self.cgroup = None
                return
            self.sandbox_pids = idle
            self.cgroup_checked = True

    def held(self, limits: Limits) -> HeldLimits:
        self._ready()
        group = self.cgroup
        return HeldLimits.of(
            limits, cpu_time=usage.available() or bool(group and group.controls("cpu")),
            memory=(Scope.SUBMISSION if group and group.controls("memory")
                    else Scope.PROCESS if rlimits.measures_memory() else Scope.NONE),
            processes=(Scope.SUBMISSION if group and group.controls("pids")
                       else Scope.UID if self.sandbox == "strict" else Scope.NONE))

    def used(self, pid: int) -> usage.Usage | None:
        """What a jailed process and what it started used: its sandbox's group, else /proc."""
        if self.cgroup is not None and self.cgroup.controls("cpu"):
            # The run-queue wait of the submission's processes: the sandbox's own are idle while it runs.
            pids = [pid for pid in self.cgroup.processes() if pid not in self.sandbox_pids]
            return usage.Usage(self.cgroup.cpu_seconds(), usage.waited_together(pids))
        if self.sandbox == "strict":  # its pid is the namespace's: the fork server reads its /proc
            answer = self._ask({"op": "usage", "pid": pid})
            return usage.Usage(answer["cpu"], answer["wait"]) if "cpu" in answer else None
        return usage.of_process(pid)

    def took_memory(self) -> bool:
        """Whether the kernel killed a process of the sandbox's group for memory since the last call."""
        return self.cgroup is not None and self.cgroup.took_memory()

    def kill(self, pid: int) -> tuple[int, float | None]:
        """Kill a jailed process and its group (strict: everything in the sandbox); its wait status (0 if
        unknown) and the CPU seconds its processes used (None if unknown)."""
        answer = self._ask({"op": "kill", "pid": pid})
        cpu = answer.get("cpu")
        return answer["status"], float(cpu) if isinstance(cpu, (int, float)) else None

    def stop(self) -> None:
        if self.control is not None:
            self.control.close()
            self.control = None
        if self.process is not None:
            if self.process.poll() is None:
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            self.process = None
        if self.cgroup is not None:
            self.cgroup.remove()
            self.cgroup = None


class ForkJail(Jail):
    """A process forked by the fork server: a socket for requests and replies, a pipe for its output."""

    def __init__(self, backend: ForkBackend, pid: int, sock: socket.socket, out_fd: int, limits: Limits) -> None:
        super().__init__(limits)
        self.backend, self.pid, self.sock, self.out_fd = backend, pid, sock, out_fd
        self.out_of_memory = False  # the sandbox's memory group was full when it ended
        os.set_blocking(out_fd, False)

    def _send(self, document: bytes, blob: bytes) -> None:
        try:
            self.sock.settimeout(self.limits.test_timeout)
            wire.send(self.sock, document, blob)
        except OSError:
            raise JailDied(self._kill_and_describe()) from None

    def used(self) -> usage.Usage | None:
        return self.backend.used(self.pid) if self.alive else None

    def _receive(self, watch: Watch) -> Any:
        buffer = bytearray()
        need = wire.HEADER.size
        header: tuple[int, int] | None = None
        self.sock.setblocking(False)
        watched: list[socket.socket | int] = [self.sock, self.out_fd]
        while len(buffer) < need:
            remaining = watch.remaining()
            ready, _, _ = select.select(watched, [], [], remaining)
            if self.out_fd in ready:
                self._drain_output()
            if self.sock in ready:
                try:
                    chunk = self.sock.recv(max(need - len(buffer), 1 << 16))
                except BlockingIOError:
                    continue
                except OSError:
                    chunk = b""
                if not chunk:
                    raise JailDied(self._kill_and_describe())
                buffer += chunk
                if header is None and len(buffer) >= wire.HEADER.size:
                    header = wire.HEADER.unpack_from(buffer)
                    if header[0] > wire.MAX_JSON_BYTES or header[1] > self.limits.reply_mb * 2**20:
                        raise self._too_big()
                    need = wire.HEADER.size + header[0] + header[1]
        assert header is not None  # the loop ends with at least a header's bytes, and unpacks them
        self._drain_output()
        start, view = wire.HEADER.size, memoryview(buffer)  # the arrays are read in place, not copied twice
        return self._decode(bytes(view[start:start + header[0]]), view[start + header[0]:need], watch)

    def _drain_output(self) -> None:
        while True:
            try:
                chunk = os.read(self.out_fd, 1 << 16)
            except BlockingIOError:
                return
            if not chunk:
                return
            self.output.feed(chunk)

    def _kill_and_describe(self) -> str:
        self._drain_output()
        code = self.kill()
        if self.out_of_memory:
            return (f"the submission's processes together used more than {self.limits.memory_mb} MB of memory "
                    "and the kernel stopped them")
        return describe_exit(code, self.limits)

    def kill(self) -> int:
        """The fork server kills the whole process group: in strict mode our pid numbers are not the sandbox's."""
        if not self.alive:
            return 0
        self.alive = False
        status, self.cpu_used = self.backend.kill(self.pid)
        self.out_of_memory = self.backend.took_memory()
        self.sock.close()
        os.close(self.out_fd)
        return os.waitstatus_to_exitcode(status)

    def close(self, grace: float = 1.0) -> None:
        if not self.alive:
            return
        try:
            self.sock.settimeout(grace)
            wire.send(self.sock, *wire.encode(["exit"]))
            self.sock.recv(1)
        except OSError:
            pass
        self.kill()
