"""A control group for each strict sandbox: one memory limit and one process count for everything the
submission in it starts, and the CPU time it used (what a test's time limit is charged in).

A strict sandbox holds one submission at a time (the fork server kills everything else in it before
the next one), so its group is that submission's. rlimits still hold per process; the group adds
what they cannot: a limit on all of a submission's processes together, and accounting that a busy
machine does not distort.

Both kernels' layouts: v1, one hierarchy per controller (``memory``, ``pids``, ``cpuacct``, as these
Debian machines mount them), and v2, one unified tree whose controllers a parent hands down through
``cgroup.subtree_control``. Each resource comes from v1 where it is mounted, else from v2; a
resource neither offers (no root, read-only /sys/fs/cgroup, a v2 parent that cannot hand the
controller down) falls back to the rlimits, and ``ForkBackend.held`` says which held.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import os
import time
from dataclasses import dataclass
from pathlib import Path

from grader.jail.inside.lifetime import left_by_the_dead

RESOURCES = ("cpu", "memory", "pids")
PREFIX = "grader-"  # a group's name: grader-<pid of the process that made it>-<number>
V1_CONTROLLER = {"cpu": "cpuacct", "memory": "memory", "pids": "pids"}
_names = itertools.count()


@dataclass(frozen=True)
class Place:
    """Where one resource is controlled: our own group's folder in a hierarchy, and its version."""

    parent: Path
    version: int


def _unescape(field: str) -> str:
    """mountinfo writes space, tab, newline and backslash in octal (\\040)."""
    return field.encode().decode("unicode_escape") if "\\" in field else field


def _our_groups(text: str) -> dict[str, str]:
    """/proc/self/cgroup: controllers ("" for v2) → our group's path in that hierarchy."""
    groups = {}
    for line in text.splitlines():
        _, controllers, path = line.split(":", 2)
        for name in controllers.split(","):
            groups[name] = path
    return groups


def find_places(mountinfo: str, cgroups: str) -> dict[str, Place]:
    """For each resource that can be controlled here, our group's folder in the hierarchy that has it."""
    ours = _our_groups(cgroups)
    places: dict[str, Place] = {}
    v2: Path | None = None
    for line in mountinfo.splitlines():
        left, _, right = line.partition(" - ")
        fields, kinds = left.split(), right.split()
        if len(fields) < 5 or len(kinds) < 3:
            continue
        root, mountpoint, fstype, options = _unescape(fields[3]), _unescape(fields[4]), kinds[0], kinds[2]
        if fstype == "cgroup2" and "" in ours:
            v2 = _inside(mountpoint, root, ours[""]) or v2
        elif fstype == "cgroup":
            for resource, controller in V1_CONTROLLER.items():
                folder = _inside(mountpoint, root, ours[controller]) if controller in ours else None
                if controller in options.split(",") and folder is not None:
                    places.setdefault(resource, Place(folder, 1))
    if v2 is not None:
        offered = _read(v2 / "cgroup.controllers").split()
        for resource in RESOURCES:
            # cpu.stat's usage is always there in v2; memory and pids need their controller handed down.
            if resource not in places and (resource == "cpu" or resource in offered):
                places[resource] = Place(v2, 2)
    return places


def _inside(mountpoint: str, root: str, path: str) -> Path | None:
    """Our group's folder under a mount of a hierarchy whose root is ``root``; None if not visible there."""
    if path != root and not path.startswith(root.rstrip("/") + "/"):
        return None
    return Path(mountpoint, os.path.relpath(path, root))


def _read(path: Path) -> str:
    # os calls, not pathlib: the CPU time is read at the start of every request to a submission.
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return ""
    try:
        return os.read(fd, 1 << 16).decode()
    except OSError:
        return ""
    finally:
        os.close(fd)


class Cgroup:
    """One sandbox's group in every hierarchy that controls one of RESOURCES; ``create`` makes it."""

    def __init__(self, folders: dict[str, tuple[Path, int]]) -> None:
        self.folders = folders  # resource → (folder, version)
        self.oom_kills_seen = self._oom_kills()

    @classmethod
    def create(cls, mountinfo: str | None = None, cgroups: str | None = None) -> Cgroup | None:
        """A new group under our own, or None where no resource can be controlled here."""
        try:
            places = find_places(mountinfo or Path("/proc/self/mountinfo").read_text(),
                                 cgroups or Path("/proc/self/cgroup").read_text())
        except OSError:
            return None
        name = f"{PREFIX}{os.getpid()}-{next(_names)}"
        for place in places.values():
            _remove_left_behind(place.parent)
        made: dict[Path, Path] = {}
        folders: dict[str, tuple[Path, int]] = {}
        for resource, place in places.items():
            if place.version == 2 and resource != "cpu" and not _hand_down(place.parent, resource):
                continue
            folder = made.get(place.parent)
            if folder is None:
                try:
                    (folder := place.parent / name).mkdir()
                except OSError:
                    continue
                made[place.parent] = folder
            folders[resource] = (folder, place.version)
        return cls(folders) if folders else None

    # -- what holds ------------------------------------------------------------------------------
    def controls(self, resource: str) -> bool:
        return resource in self.folders

    def join_files(self) -> list[str]:
        """The cgroup.procs files a process writes its pid to, to join (before it starts the sandbox)."""
        return sorted({str(folder / "cgroup.procs") for folder, _ in self.folders.values()})

    def limit(self, memory_bytes: int, processes: int) -> None:
        """Cap the memory of all the group's processes together (no swap) and their number (threads count)."""
        if self.controls("memory"):
            folder, version = self.folders["memory"]
            if version == 1:
                # v1 keeps memory ≤ memory+swap at every step: raise the sum first, lower it last.
                memsw = folder / "memory.memsw.limit_in_bytes"  # only where swap accounting is on
                files = [folder / "memory.limit_in_bytes", *([memsw] if memsw.exists() else [])]
                if memory_bytes > int(_read(files[0]) or 0):
                    files.reverse()
                for path in files:
                    _write(path, memory_bytes)
            else:
                _write(folder / "memory.max", memory_bytes)
                with contextlib.suppress(OSError):
                    _write(folder / "memory.swap.max", 0)
        if self.controls("pids"):
            _write(self.folders["pids"][0] / "pids.max", processes)

    # -- what was used ---------------------------------------------------------------------------
    # Read at every request to a submission: the files' paths are made once.
    @functools.cached_property
    def _cpu_file(self) -> tuple[Path, int]:
        folder, version = self.folders["cpu"]
        return folder / ("cpuacct.usage" if version == 1 else "cpu.stat"), version

    @functools.cached_property
    def _procs_file(self) -> Path:
        folder, _ = next(iter(self.folders.values()))
        return folder / "cgroup.procs"

    def cpu_seconds(self) -> float:
        path, version = self._cpu_file
        if version == 1:
            return int(_read(path) or 0) / 1e9
        stat = dict(line.split() for line in _read(path).splitlines() if " " in line)
        return int(stat.get("usage_usec", 0)) / 1e6

    def processes(self) -> list[int]:
        return [int(pid) for pid in _read(self._procs_file).split()]

    def pids_current(self) -> int:
        """Processes and threads in the group now (0 where the group does not count them)."""
        return int(_read(self.folders["pids"][0] / "pids.current") or 0) if self.controls("pids") else 0

    def memory_bytes(self) -> int:
        if not self.controls("memory"):
            return 0
        folder, version = self.folders["memory"]
        return int(_read(folder / ("memory.usage_in_bytes" if version == 1 else "memory.current")) or 0)

    def _oom_kills(self) -> int:
        if not self.controls("memory"):
            return 0
        folder, version = self.folders["memory"]
        text = _read(folder / ("memory.oom_control" if version == 1 else "memory.events"))
        counts = dict(line.split() for line in text.splitlines() if " " in line)
        return int(counts.get("oom_kill", 0))

    def took_memory(self) -> bool:
        """Whether the kernel killed a process of the group for memory since the last call."""
        now = self._oom_kills()
        killed, self.oom_kills_seen = now > self.oom_kills_seen, now
        return killed

    def remove(self) -> None:
        """Remove the group once its processes are gone (they leave it as they are reaped)."""
        for folder in {folder for folder, _ in self.folders.values()}:
            for _ in range(50):
                try:
                    folder.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.01)


def _remove_left_behind(parent: Path) -> None:
    """Remove the empty groups of graders that died without removing theirs (a killed batch): they would
    pile up, and one whose name a later process with the same pid chooses would keep that process from
    making its own. A group that still holds a process is not removed (the kernel refuses)."""
    for folder in left_by_the_dead(parent, PREFIX):
        with contextlib.suppress(OSError):
            folder.rmdir()


def _write(path: Path, value: int) -> None:
    path.write_text(str(value))


def _hand_down(parent: Path, resource: str) -> bool:
    """v2: make ``resource``'s controller available to our group's children (only a group without
    processes of its own can, unless it is the root)."""
    if resource in _read(parent / "cgroup.subtree_control").split():
        return True
    try:
        (parent / "cgroup.subtree_control").write_text(f"+{resource}")
    except OSError:
        return False
    return True
