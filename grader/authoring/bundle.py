"""A Gradescope autograder bundle for an assignment (what runs inside it: ``grader.gradescope``).

The zip unpacks into ``/autograder/source``::

    setup.sh            run once when Gradescope builds the image: bubblewrap, a Python ≥ 3.11 venv, the deps
    run_autograder      run for every submission: ``python -m grader.gradescope run``
    requirements.txt    the grader's runtime dependencies, as installed here
    grader/             the grader package's source (put on PYTHONPATH, not pip-installed)
    assignments/hwN/    assignment.toml, the templates (manual placeholders) and tests/, hidden included
    reference/          only the reference modules the tests import (never the solutions unless imported)

The submission is graded by the same runner and tests as ``grader grade``, in the strict sandbox where
the container allows it and in basic mode otherwise; results.json is ``grader.sinks.results_folder.to_gradescope`` of
the result, which says which sandbox ran and why. ``AUTOGRADER_ROOT`` (default ``/autograder``) and
``AUTOGRADER_PYTHON`` (default the venv setup.sh made) let the bundle run outside Gradescope.
"""

from __future__ import annotations

import ast
import importlib.metadata
import zipfile
from pathlib import Path

import grader
from grader.authoring.mutants import MUTANTS_FILE
from grader.model.assignment import Assignment

SETUP_SH = """#!/usr/bin/env bash
# Gradescope runs this once, as root, while it builds the autograder's image.
set -euo pipefail
cd /autograder/source
# The strict sandbox needs bubblewrap; run_autograder falls back to basic (and says so) where the
# container forbids its namespaces.
command -v bwrap >/dev/null 2>&1 || apt-get install -y bubblewrap \
  || { apt-get update && apt-get install -y bubblewrap; } || echo "bubblewrap not installed: basic sandbox only"
PY=""
for candidate in python3.13 python3.12 python3.11 python3; do  # the grader needs Python >= 3.11 (tomllib)
  if command -v "$candidate" >/dev/null 2>&1 \\
      && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then PY="$candidate"; break; fi
done
if [ -z "$PY" ]; then
  apt-get install -y python3.11 python3.11-venv
  PY=python3.11
fi
# Debian-family Pythons ship venv's pip separately.
"$PY" -m venv /autograder/venv || { apt-get install -y "$(basename "$PY")-venv" && "$PY" -m venv /autograder/venv; }
/autograder/venv/bin/python -m pip install --no-cache-dir --upgrade pip
/autograder/venv/bin/python -m pip install --no-cache-dir -r requirements.txt
"""

RUN_AUTOGRADER = """#!/usr/bin/env bash
# Gradescope runs this for every submission (as /autograder/run_autograder, from /autograder).
set -euo pipefail
ROOT="${{AUTOGRADER_ROOT:-/autograder}}"
PYTHON="${{AUTOGRADER_PYTHON:-$ROOT/venv/bin/python}}"
export PYTHONPATH="$ROOT/source"
exec "$PYTHON" -m grader.gradescope run "$ROOT" {assignment}
"""


def requirements() -> list[str]:
    """The grader's runtime dependencies (no extras), read from its installed metadata."""
    distribution = importlib.metadata.packages_distributions().get("grader", ["bp-grader"])[0]
    return [r for r in importlib.metadata.requires(distribution) or [] if "extra ==" not in r]


def _imported_modules(path: Path, course: Path) -> set[str]:
    """Absolute names of the modules a file may import; ``from a import b`` also counts ``a.b``."""
    inside = path.is_relative_to(course / "reference")
    package = path.relative_to(course).with_suffix("").parts[:-1] if inside else ()
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level and not inside:
                continue  # a test folder is not a package: nothing of the reference to find
            anchor = list(package[:len(package) - node.level + 1]) if node.level else []
            base = ".".join(anchor + ([node.module] if node.module else []))
            found |= {base} | {f"{base}.{alias.name}" for alias in node.names}
    return found


def reference_files(assignment: Assignment) -> list[Path]:
    """The files of ``reference/`` the tests need: what they import, with its imports and packages."""
    course = assignment.course
    queue = sorted((assignment.root / "tests").rglob("*.py"))
    needed: set[Path] = set()
    seen: set[Path] = set()
    while queue:
        path = queue.pop()
        if path in seen:
            continue
        seen.add(path)
        for module in _imported_modules(path, course):
            parts = module.split(".")
            if parts[0] != "reference":
                continue
            for depth in range(1, len(parts) + 1):
                base = course.joinpath(*parts[:depth])
                for candidate in (base / "__init__.py", base.with_suffix(".py")):
                    if candidate.is_file() and candidate not in needed:
                        needed.add(candidate)
                        queue.append(candidate)
    return sorted(needed)


def _files(folder: Path) -> list[Path]:
    # The mutants quote the solution and are only for `grader validate`, never for grading.
    return sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                  and p.suffix != ".pyc" and p.name != MUTANTS_FILE)


def build_bundle(assignment: Assignment, out: Path) -> list[str]:
    """Write the autograder zip for ``assignment`` to ``out``; returns the names inside it."""
    course = assignment.course
    package = Path(grader.__file__).resolve().parent
    entries: dict[str, Path | str] = {
        "setup.sh": SETUP_SH,
        "run_autograder": RUN_AUTOGRADER.format(assignment=assignment.name),
        "requirements.txt": "\n".join(requirements()) + "\n",
    }
    entries |= {f"grader/{p.relative_to(package).as_posix()}": p for p in _files(package)}
    home = f"assignments/{assignment.name}"
    entries[f"{home}/assignment.toml"] = assignment.root / "assignment.toml"
    for folder in ("template", "tests"):
        if (assignment.root / folder).is_dir():
            entries |= {f"{home}/{p.relative_to(assignment.root).as_posix()}": p
                        for p in _files(assignment.root / folder)}
    entries |= {p.relative_to(course).as_posix(): p for p in reference_files(assignment)}
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))  # fixed: the same zip every time
            info.compress_type = zipfile.ZIP_DEFLATED
            executable = name in ("setup.sh", "run_autograder")
            info.external_attr = (0o100755 if executable else 0o100644) << 16
            archive.writestr(info, content if isinstance(content, str) else content.read_bytes())
    return list(entries)
