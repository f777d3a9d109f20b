"""Basic mode without a fork server (Windows, macOS): one fresh interpreter per submission.

``python -I -c bootstrap`` starts in the submission's folder with the scrubbed environment, imports
numpy and the jail's child code, applies the rlimits the OS has and serves the same wire frames as a
forked process: requests on its stdin, replies on its stdout, and everything the submission prints on
its stderr, a separate pipe. Reader threads stand in for select(), which cannot wait on pipes on
Windows. Costs a new interpreter and numpy per submission (see the README), where the fork server
forks a warm one.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import secrets
import signal
import subprocess
import sys
import threading
from dataclasses import asdict
from typing import Any

from grader.jail import launch
from grader.jail.base import Backend, Jail, JailDied, Limits, Watch, describe_exit
from grader.jail.inside import rlimits, usage, wire
from grader.jail.inside.lifetime import GRADER_ROOT
from grader.jail.limits import HeldLimits, Scope

SYNC_TIMEOUT = 5.0  # how long the output reader may take to catch up with a reply


class SpawnBackend(Backend):
    """Starts a fresh interpreter per submission. Basic mode only (strict mode is the fork server's)."""

    def __init__(self, sandbox: str = "basic") -> None:
        if sandbox != "basic":
            raise ValueError("the spawn backend runs basic mode only")
        super().__init__(sandbox)
        self.home = ""  # made by start(), which new_workdir() calls first

    def start(self) -> None:
        self.stage = launch.new_stage()
        self.home = launch.private_folder("home")
        self.homes.append(self.home)

    def spawn(self, workdir: str, limits: Limits) -> SpawnJail:
        bootstrap = (f"import sys; sys.path.insert(0, {GRADER_ROOT!r}); "
                     "from grader.jail.inside.child import main_over_pipes; main_over_pipes(*sys.argv[1:])")
        out_read, out_write = os.pipe()
        try:
            process = subprocess.Popen(
                # UTF-8 mode: prints reach the grader as UTF-8 whatever the platform's locale.
                [sys.executable, "-X", "utf8", "-I", "-c", bootstrap, GRADER_ROOT,
                 json.dumps(asdict(limits))],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=out_write, bufsize=0,
                cwd=workdir, env=launch.jail_env(self.home),
                start_new_session=True,  # POSIX: its own session, killed as a group
                creationflags=getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0),  # Windows: no Ctrl-C from us
            )
        except OSError:
            os.close(out_read)
            os.close(out_write)
            raise
        return SpawnJail(process, out_read, out_write, limits)

    def stop(self) -> None:
        pass  # nothing runs between submissions

    def held(self, limits: Limits) -> HeldLimits:
        return HeldLimits.of(limits, cpu_time=usage.available(),
                             memory=Scope.PROCESS if rlimits.measures_memory() else Scope.NONE, processes=Scope.NONE)


class SpawnJail(Jail):
    """A spawned interpreter. One thread reads its replies (only when one is owed, like a socket
    read), another its output; the main thread waits on them with the request's deadline."""

    def __init__(self, process: subprocess.Popen[bytes], out_read: int, out_write: int, limits: Limits) -> None:
        super().__init__(limits)
        assert process.stdout is not None and process.stdin is not None  # spawn() opens both as pipes
        self.process = process
        self.stdout, self.stdin = process.stdout, process.stdin
        self.channel = wire.Pipes(self.stdout.fileno(), self.stdin.fileno())
        self.out_write = out_write  # ours too: sync_output writes a marker behind the submission's output
        self.wanted = threading.Semaphore(0)
        self.replies: queue.Queue[tuple[bytes, bytes] | Exception] = queue.Queue()
        self.marker: bytes | None = None
        self.synced = threading.Event()
        self.writer: threading.Thread | None = None
        threading.Thread(target=self._read_replies, daemon=True).start()
        threading.Thread(target=self._read_output, args=(out_read,), daemon=True).start()

    # -- reader threads --------------------------------------------------------------------------
    def _read_replies(self) -> None:
        try:
            while self.wanted.acquire() and self.alive:
                self.replies.put(wire.recv(self.channel, self.limits.reply_mb * 2**20))
        except (wire.WireError, EOFError, OSError) as exc:
            self.replies.put(exc)
        finally:
            self.stdout.close()

    def _read_output(self, out_read: int) -> None:
        """Feed ``output``; when ``marker`` shows up, everything before it has been fed: set ``synced``."""
        held = b""
        while chunk := _read_or_eof(out_read):
            held += chunk
            marker = self.marker
            if marker and (at := held.find(marker)) >= 0:
                self.output.feed(held[:at])
                held = held[at + len(marker):]
                self.marker = None
                self.synced.set()
            keep = len(marker) - 1 if marker is not None and self.marker else 0  # a marker may be split across reads
            self.output.feed(held[:len(held) - keep])
            held = held[len(held) - keep:]
        self.output.feed(held)
        os.close(out_read)

    def _sync_output(self) -> None:
        """Wait until the output reader has fed everything written to the pipe before now: the
        submission flushes its prints before it replies, and they belong to this request. The marker
        is random and never shown to the submission, so it cannot fake one."""
        self.synced.clear()
        self.marker = secrets.token_bytes(16)
        os.write(self.out_write, self.marker)  # 16 bytes: one atomic write into the pipe
        self.synced.wait(SYNC_TIMEOUT)

    # -- requests --------------------------------------------------------------------------------
    def _send(self, document: bytes, blob: bytes) -> None:
        # A thread, so that a process that stops reading cannot block us past the test's timeout.
        failed: list[OSError] = []

        def write() -> None:
            try:
                wire.send(self.channel, document, blob)
            except OSError as exc:
                failed.append(exc)

        self.writer = threading.Thread(target=write, daemon=True)
        self.writer.start()
        self.writer.join(self.limits.test_timeout)
        if failed or self.writer.is_alive():
            raise JailDied(self._kill_and_describe())

    def used(self) -> usage.Usage | None:
        # Where there is /proc (Linux); elsewhere the limit stays in wall-clock time.
        return usage.of_process(self.process.pid) if self.alive else None

    def _receive(self, watch: Watch) -> Any:
        self.wanted.release()
        while True:
            try:
                reply = self.replies.get(timeout=watch.remaining())
                break
            except queue.Empty:
                pass
        if isinstance(reply, wire.WireError):
            raise self._too_big()
        if isinstance(reply, Exception):
            raise JailDied(self._kill_and_describe())
        self._sync_output()
        return self._decode(*reply, watch)

    def _kill_and_describe(self) -> str:
        return describe_exit(self.kill(), self.limits)

    def kill(self) -> int:
        if not self.alive:
            return self.process.returncode or 0
        self.alive = False
        if self.cpu_used is None:
            self.cpu_used = usage.cpu_seconds(self.process.pid)  # Linux: with what it waited for; else None
        if hasattr(os, "killpg"):
            # Its whole session, before reaping it (until then no other process can take its number).
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.process.pid, signal.SIGKILL)
        else:  # Windows: the process only; programs it started itself are not reached
            with contextlib.suppress(OSError):
                self.process.kill()
        code = self.process.wait()
        if self.writer is not None:
            # Its write fails now that the reader is gone, unless a process that left the session still
            # holds the pipe: then the fd stays open, never closed under a write that could reuse it.
            self.writer.join(1.0)
        if self.writer is None or not self.writer.is_alive():
            with contextlib.suppress(OSError):
                self.stdin.close()
        self.wanted.release()  # lets the reply reader see that we are done
        self._sync_output()  # what it printed before it died
        os.close(self.out_write)
        return code

    def close(self, grace: float = 1.0) -> None:
        if not self.alive:
            return
        self.cpu_used = usage.cpu_seconds(self.process.pid)  # while it runs: leaving, it is reaped
        with contextlib.suppress(JailDied):
            self._send(*wire.encode(["exit"]))
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(grace)
        self.kill()


def _read_or_eof(fd: int) -> bytes:
    try:
        return os.read(fd, 1 << 16)
    except OSError:
        return b""
