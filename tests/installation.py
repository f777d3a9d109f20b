"""The grader as users get it: the sdist built from this checkout, the wheel built from that sdist, and the
wheel (with the dask extra) installed into a fresh virtual environment.

CI runs the test suite in a namespace without a network, so ``.ci/run`` installs it first::

    python -m tests.installation DIR      # then GRADER_TEST_INSTALLED=DIR for the tests

and the tests find it there; without ``GRADER_TEST_INSTALLED`` they build and install it themselves.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT_FILES = ("pyproject.toml", "README.md")


def package_files() -> list[str]:
    """Every file of the ``grader`` package in this checkout, as paths relative to it."""
    return sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "grader").rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts)


@dataclass(frozen=True)
class Installed:
    root: Path  # holds dist/ (the sdist and the wheel) and venv/

    @property
    def dist(self) -> Path:
        return self.root / "dist"

    @property
    def python(self) -> Path:
        return self.root / "venv" / "bin" / "python"

    def env(self) -> dict[str, str]:
        """The environment of a user who activated the fresh venv: nothing of this checkout or its venv."""
        keep = {k: v for k, v in os.environ.items()
                if not k.startswith(("GRADER_", "PYTHON", "VIRTUAL_ENV", "PYTEST"))}
        others = [p for p in keep.get("PATH", "").split(os.pathsep) if not Path(p, "grader").exists()]
        return keep | {"PATH": os.pathsep.join([str(self.python.parent), *others])}

    def run(self, *args: str | Path, cwd: Path, expect: int = 0) -> str:
        """``grader ARGS`` from the venv, in ``cwd``; its output, after checking its exit status."""
        return self._run([self.python.parent / "grader", *args], cwd, expect)

    def python_code(self, code: str, cwd: Path) -> str:
        """``python -c CODE`` in the venv, as a notebook's kernel would run it; its output."""
        return self._run([self.python, "-c", code], cwd, 0)

    def _run(self, command: list, cwd: Path, expect: int) -> str:
        done = subprocess.run(list(map(str, command)), cwd=cwd, env=self.env(), capture_output=True, text=True,
                              timeout=900, check=False)
        assert done.returncode == expect, f"{' '.join(map(str, command))} → {done.returncode}\n" \
                                          f"{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
        return done.stdout + done.stderr


def build_and_install(root: Path) -> Installed:
    installed = Installed(Path(root).resolve())
    source = installed.root / "source"
    for name in [*PROJECT_FILES, *package_files()]:
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, source / name)
    _run(sys.executable, "-m", "build", "--outdir", installed.dist, source)
    _run(sys.executable, "-m", "venv", installed.root / "venv")
    (wheel,) = installed.dist.glob("*.whl")
    _run(installed.python, "-m", "pip", "install", "--quiet", f"{wheel}[dask]")
    return installed


def _run(*command: str | Path) -> None:
    """Quiet unless it fails: then everything it said, to tell a missing file from a missing network."""
    done = subprocess.run(list(map(str, command)), capture_output=True, text=True, timeout=900, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, command))} failed ({done.returncode}):\n{done.stdout}{done.stderr}")


if __name__ == "__main__":
    build_and_install(Path(sys.argv[1]))
