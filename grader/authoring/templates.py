"""Student templates generated from the reference solution, so the two cannot drift apart.

A solution is a Python file in the "percent" format (``# %%`` code cells, ``# %% [markdown]`` cells).
Inside it, ``### BEGIN SOLUTION`` … ``### END SOLUTION`` marks an answer. In a template the answer is
replaced by the ``### BEGIN STUB`` … ``### END STUB`` block that follows it (its lines uncommented),
or, when there is none, by ``raise NotImplementedError`` at the marker's indentation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

_CELL = re.compile(r"^# %%( \[markdown\])?\s*$")
_MARKER = re.compile(r"^(\s*)### (BEGIN|END) (SOLUTION|STUB)\s*$")


@dataclass(frozen=True)
class SourceCell:
    kind: str  # "code" or "markdown"
    text: str


def strip_solutions(source: str) -> str:
    """The solution's text with every answer replaced by its stub."""
    out: list[str] = []
    state = None  # None, "SOLUTION" or "STUB"
    for number, line in enumerate(source.splitlines(), start=1):
        marker = _MARKER.match(line)
        if marker:
            indent, edge, block = marker.groups()
            if edge == "BEGIN":
                if state is not None:
                    raise ValueError(f"line {number}: {block} block opened inside a {state} block")
                state = block
                if block == "SOLUTION":
                    pending_indent = indent
            else:
                if state != block:
                    raise ValueError(f"line {number}: END {block} without BEGIN {block}")
                state = None
                if block == "SOLUTION":
                    out.append(f"{pending_indent}raise NotImplementedError")
            continue
        if state == "SOLUTION":
            continue
        if state == "STUB":
            if out and out[-1].endswith("raise NotImplementedError"):
                out.pop()  # a stub block replaces the default
            out.append(re.sub(r"^(\s*)# ?", r"\1", line, count=1))
            continue
        out.append(line)
    if state is not None:
        raise ValueError(f"unclosed {state} block")
    return "\n".join(out) + "\n"


def split_cells(source: str) -> list[SourceCell]:
    cells: list[SourceCell] = []
    kind = "code"
    lines: list[str] = []
    for line in source.splitlines():
        match = _CELL.match(line)
        if match:
            cells.append(SourceCell(kind, "\n".join(lines).strip("\n")))
            kind, lines = ("markdown" if match.group(1) else "code"), []
        else:
            lines.append(re.sub(r"^# ?", "", line) if kind == "markdown" else line)
    cells.append(SourceCell(kind, "\n".join(lines).strip("\n")))
    return [c for c in cells if c.text.strip()]


def template_module(solution: Path | str) -> str:
    return strip_solutions(Path(solution).read_text(encoding="utf-8"))


def template_notebook(solution: Path | str) -> str:
    return notebook_of(template_module(solution))


def notebook_of(source: str) -> str:
    """A percent-format module (``# %%`` cells, ``# %% [markdown]``) as a notebook's JSON."""
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    for cell in split_cells(source):
        make = nbformat.v4.new_markdown_cell if cell.kind == "markdown" else nbformat.v4.new_code_cell
        notebook.cells.append(make(cell.text))
    for index, cell in enumerate(notebook.cells):
        cell["id"] = f"cell-{index}"  # stable ids keep regenerated templates byte-identical
    return nbformat.writes(notebook) + "\n"


def build_templates(solution: Path | str, folder: Path | str) -> list[Path]:
    """Write ``<name>.py`` and ``<name>.ipynb`` templates into ``folder``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    name = Path(solution).stem
    written = []
    for path, text in ((folder / f"{name}.py", template_module(solution)),
                       (folder / f"{name}.ipynb", template_notebook(solution))):
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def stale_templates(solution: Path, folder: Path) -> list[str]:
    """Which templates in ``folder`` differ from what the solution generates (empty: in step)."""
    name = Path(solution).stem
    expected = {f"{name}.py": template_module(solution), f"{name}.ipynb": template_notebook(solution)}
    return [file for file, text in expected.items()
            if not (folder / file).is_file() or (folder / file).read_text(encoding="utf-8") != text]
