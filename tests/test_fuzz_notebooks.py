"""Damaged and odd notebooks, made by hypothesis: the loader either returns cells or refuses the
file with a LoadError naming it, in bounded time and memory, and grading never crashes: every
submission gets one schema-valid result, carrying the loader's reason when it was refused.

A notebook is built as data together with the code cells a correct reader finds in it, then changed
by one mutation whose verdict is known ("ok": those cells; "error": a LoadError) or not (None).
"""

from __future__ import annotations

import base64
import codecs
import json
import re
import time
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st

from grader.grading import runner
from grader.model.discovery import discover
from grader.model.loader import (
    MAX_MODULE_BYTES,
    MAX_NOTEBOOK_BYTES,
    MAX_NOTEBOOK_CELLS,
    Cell,
    LoadError,
    from_folder,
    neutralize_magics,
    read_cells,
)
from grader.model.results import validate, write_result
from tests.conftest import FULL_AUTO, SOLUTION

# Reproducible in CI: examples come from a fixed seed and nothing is written to a database.
FUZZ = settings(derandomize=True, database=None, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
RAW = "@@raw@@"  # a string value replaced, once serialized, by JSON text that json.dumps cannot write
SECONDS = 5.0  # per notebook: far above a linear reader, far below the minutes a quadratic one took

Expected = list[tuple[int, str]]  # (cell number, code) of every code cell that is not blank
Case = tuple[bytes, str | None, Expected]  # the file, "ok" | "error" | None (either may be right), cells

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)
not_text = st.one_of(st.none(), st.integers(), st.floats(allow_nan=False), st.booleans(),
                     st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
                     st.lists(st.integers(), min_size=1, max_size=3))
not_a_type = st.one_of(st.none(), st.integers(), st.booleans(), st.just(["code"]), st.just({"code": 1}))
codes = st.one_of(st.text(max_size=40), st.sampled_from(["%matplotlib inline", "!pip install numpy", "x = 1\n%time f()",
                                                          "%%bash\nls", "np.dot?", "files = !ls", "a = 1\n\n"]))


def _code_cell(source: str | list[str], **extra: Any) -> dict:
    return {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": source, **extra}


def _markdown_cell(source: str | list[str]) -> dict:
    return {"cell_type": "markdown", "metadata": {}, "source": source}


def _expected(cells: list[dict]) -> Expected:
    """The code cells of well-formed version 4 cells, as the jail should receive them."""
    found = []
    for index, cell in enumerate(cells, start=1):
        source = "".join(cell["source"])
        if cell["cell_type"] == "code" and source.strip():
            found.append((index, neutralize_magics(source)))
    return found


def _as_written(draw: st.DrawFn, source: str) -> str | list[str]:
    """A source as nbformat writes it (a list of lines) or as one string: both are valid."""
    return source.splitlines(keepends=True) if draw(st.booleans()) else source


@st.composite
def notebooks(draw: st.DrawFn) -> dict:
    """A well-formed version 4 notebook of random code, markdown and raw cells with small outputs."""
    cells = []
    for kind in draw(st.lists(st.sampled_from(["code", "markdown", "raw"]), min_size=1, max_size=6)):
        if kind == "code":
            outputs = [{"output_type": "stream", "name": "stdout", "text": t}
                       for t in draw(st.lists(st.text(max_size=20), max_size=2))]
            cells.append(_code_cell(_as_written(draw, draw(codes)), outputs=outputs))
        else:
            cells.append({"cell_type": kind, "metadata": {}, "source": _as_written(draw, draw(st.text(max_size=30)))})
    return {"nbformat": 4, "nbformat_minor": 5, "metadata": {"kernelspec": {"name": "python3"}}, "cells": cells}


@st.composite
def solution_notebooks(draw: st.DrawFn) -> dict:
    """The reference solution cut into code cells at its functions, with markdown between them."""
    parts = re.split(r"(?m)^(?=def )", SOLUTION)
    cuts = sorted(draw(st.sets(st.integers(1, len(parts) - 1))))
    chunks = ["".join(parts[i:j]) for i, j in zip([0, *cuts], [*cuts, len(parts)])]
    cells = [cell for chunk in chunks
             for cell in (_markdown_cell("## next part"), _code_cell(_as_written(draw, chunk)))]
    return {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells}


BENIGN = ["as_is", "bom", "duplicate_ids", "garbage_metadata", "odd_minor", "float_version", "odd_cells",
          "version_3", "version_1", "many_cells", "long_lines", "big_outputs", "shallow_nesting"]
DAMAGING = ["truncate", "bad_version", "bad_cells", "bad_cell_type", "bad_source", "not_a_cell", "deep_nesting",
            "long_number", "utf16", "latin1", "nul", "lone_surrogate", "too_much_code"]
UNKNOWN = ["flip_byte", "splice", "cut_span"]


@st.composite
def mutated(draw: st.DrawFn, base: st.SearchStrategy[dict]) -> Case:
    """A notebook from ``base`` changed by one mutation, with what reading it must give."""
    notebook = draw(base)
    notebook["cells"].append(_markdown_cell("Résumé ✓"))  # so that Latin-1 bytes are never UTF-8 by chance
    cells = notebook["cells"]
    mutation = draw(st.sampled_from(BENIGN + DAMAGING + UNKNOWN))
    verdict = "error" if mutation in DAMAGING else None
    raw = "null"
    encoding = "utf-8"
    event(f"mutation: {mutation}")
    if mutation == "duplicate_ids":
        for cell in cells:
            cell["id"] = "same"
    elif mutation == "garbage_metadata":
        notebook["metadata"] = draw(json_values)
        for cell in cells:
            cell["metadata"], cell["id"] = draw(json_values), draw(json_values)
    elif mutation == "odd_minor":
        notebook["nbformat_minor"] = draw(json_values)
    elif mutation == "float_version":
        notebook["nbformat"] = 4.0
    elif mutation == "many_cells":
        count = draw(st.integers(1, MAX_NOTEBOOK_CELLS + 200 - len(cells)))
        cells.extend(_code_cell("pass") if i % 50 == 0 else _markdown_cell("m") for i in range(count))
    elif mutation == "long_lines":
        width = draw(st.sampled_from([10, 10_000, 300_000]))
        cells.append(_code_cell(f"x = 1{' ' * width}# {'y' * width}\n{' ' * width}\ny = (\n{chr(9) * width}2)\n"))
    elif mutation == "big_outputs":
        size = draw(st.integers(1, 2**20))
        image = base64.b64encode(bytes(range(256)) * (size // 256 + 1)).decode()[:size]
        cells.append(_code_cell("pass", outputs=[
            {"output_type": "display_data", "metadata": {}, "data": {"image/png": image, "text/plain": "x" * size}},
            {"output_type": "stream", "name": "stdout", "text": "é" * size}]))
    elif mutation == "shallow_nesting":
        cells[0]["metadata"] = RAW
        raw = "[" * 50 + "]" * 50
    # The mutations above may add code cells; those below leave the code where it is, or break the file.
    expected = _expected(cells)
    if mutation in BENIGN:
        verdict = "ok" if expected and len(cells) <= MAX_NOTEBOOK_CELLS else "error"
    if mutation == "odd_cells":
        cells.extend({"cell_type": kind, "source": draw(not_text | st.text(max_size=10))}
                     for kind in draw(st.lists(st.sampled_from(["raw", "heading", "Code", "", "code "]), max_size=4)))
    elif mutation == "version_3":
        for cell in cells:
            cell["input" if cell["cell_type"] == "code" else "source"] = cell.pop("source")
        cut = draw(st.integers(0, len(cells)))
        notebook = {"nbformat": 3, "nbformat_minor": 0, "metadata": {},
                    "worksheets": [{"cells": cells[:cut]}, {"cells": cells[cut:]}]}
    elif mutation == "version_1":
        notebook = {"nbformat": 1, "cells": [
            {"cell_type": "code", "code": c["source"]} if c["cell_type"] == "code"
            else {"cell_type": "text", "text": "t"}
            for c in cells]}
    elif mutation == "bad_version":
        notebook["nbformat"] = draw(st.sampled_from([1, 2, 3, 5, 99, 0, -4, "4", None, True, [4], {"major": 4}, 4.5]))
        if draw(st.booleans()):
            del notebook["nbformat"]
    elif mutation == "bad_cells":
        notebook["cells"] = draw(not_text | st.text())
    elif mutation in ("bad_cell_type", "bad_source", "not_a_cell", "lone_surrogate"):
        index = draw(st.integers(0, len(cells) - 1))
        if mutation == "bad_cell_type":
            cells[index]["cell_type"] = draw(not_a_type)
        elif mutation == "bad_source":
            cells[index] = _code_cell(draw(not_text | st.lists(not_text, min_size=1, max_size=2)))
        elif mutation == "not_a_cell":
            cells[index] = draw(not_text | st.text())
        else:
            cells[index] = _code_cell(draw(st.sampled_from(["s = '\ud800'", "# \udfff", "x = 1\n\udc80"])))
    elif mutation == "deep_nesting":
        notebook["metadata"] = {"widgets": RAW}
        depth = draw(st.sampled_from([10**4, 10**5]))
        raw = draw(st.sampled_from(["[" * depth + "]" * depth, '{"a":' * depth + "0" + "}" * depth]))
    elif mutation == "long_number":
        notebook["nbformat_minor"] = RAW
        raw = "7" * draw(st.integers(4301, 50_000))
    elif mutation == "too_much_code":
        cells.append(_code_cell("#" * (MAX_MODULE_BYTES + 1)))
    elif mutation == "utf16":
        encoding = draw(st.sampled_from(["utf-16", "utf-16-le", "utf-16-be", "utf-32"]))
    elif mutation == "latin1":
        encoding = "latin-1"
    ascii_only = draw(st.booleans()) and mutation != "latin1"  # ASCII would be the same bytes in Latin-1
    text = json.dumps(notebook, ensure_ascii=ascii_only, indent=draw(st.sampled_from([None, 1])))
    text = text.replace(f'"{RAW}"', raw, 1)
    if mutation == "truncate":
        text = text[:draw(st.integers(0, len(text) - 1))]
    elif mutation == "splice":
        at = draw(st.integers(0, len(text)))
        inserted = draw(st.sampled_from(['"', "{", "}", "[", "]", ",", ":", "\\", "null", "\n", "\\u12"]))
        text = text[:at] + inserted + text[at:]
    elif mutation == "cut_span":
        at = draw(st.integers(0, len(text) - 1))
        text = text[:at] + text[at + draw(st.integers(1, 40)):]
    # surrogatepass: a lone surrogate written unescaped (ensure_ascii=False) becomes bytes that are not UTF-8.
    data = text.encode(encoding, errors="surrogatepass" if encoding == "utf-8" else "replace")
    if mutation == "bom":
        data = codecs.BOM_UTF8 + data
    elif mutation == "nul":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + b"\0" + data[at:]
    elif mutation == "flip_byte":
        at = draw(st.integers(0, len(data) - 1))
        data = data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1:]
    return data, verdict, expected


def _read(path: Path, data: bytes) -> tuple[list[Cell] | LoadError, float]:
    """What the loader makes of ``data`` saved as ``path`` (anything but a LoadError propagates), and the CPU
    time it took (a bound that holds on a busy machine)."""
    path.write_bytes(data)
    started = time.process_time()
    try:
        outcome: list[Cell] | LoadError = read_cells(from_folder(path.parent, path.stem))
    except LoadError as exc:
        outcome = exc
    return outcome, time.process_time() - started


def _check(outcome: list[Cell] | LoadError, verdict: str | None, expected: Expected, name: str) -> None:
    event("refused" if isinstance(outcome, LoadError) else "read")
    if isinstance(outcome, LoadError):
        message = str(outcome)
        assert name in message and "\n" not in message and len(message) < 300 and "Error" not in message, message
        assert verdict != "ok", message
    else:
        assert verdict != "error", outcome
        assert outcome and all(isinstance(c.source, str) and c.filename == f"{name}[cell {c.index}]" for c in outcome)
        if verdict == "ok":
            assert [(c.index, c.source) for c in outcome] == expected


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@settings(FUZZ, max_examples=800)
@given(case=mutated(notebooks()))
def test_the_loader_returns_cells_or_a_load_error(folder, case):
    data, verdict, expected = case
    outcome, seconds = _read(folder / "hw3.ipynb", data)
    _check(outcome, verdict, expected, "hw3.ipynb")
    assert seconds < SECONDS


@settings(FUZZ, max_examples=5)
@given(megabytes=st.sampled_from([8, 24, 60, 70]), where=st.sampled_from(["image", "text", "code"]))
def test_huge_notebooks_are_read_in_bounded_time_and_memory(folder, megabytes, where):
    size = megabytes * 2**20
    if where == "image":
        output = {"output_type": "display_data", "metadata": {}, "data": {"image/png": "iVBORw0K" * (size // 8)}}
    else:
        output = {"output_type": "stream", "name": "stdout", "text": ["é" * 1000 + "\n"] * (size // 2002)}
    # One emoji makes Python hold the whole decoded text at 4 bytes a character: the costliest case.
    cells = [_code_cell(SOLUTION + "# 🙂", outputs=[] if where == "code" else [output])]
    if where == "code":
        cells.append(_code_cell("s = '" + "x" * size + "'"))
    data = json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells}, ensure_ascii=False).encode()
    tracemalloc.start()
    try:
        outcome, seconds = _read(folder / "hw3.ipynb", data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    verdict = "error" if where == "code" or len(data) > MAX_NOTEBOOK_BYTES else "ok"
    _check(outcome, verdict, _expected(cells), "hw3.ipynb")
    assert seconds < SECONDS
    # The bytes, the text at 4 bytes a character and the parsed strings: a bound, if not a small one.
    assert peak < 7 * len(data) + 2**25, f"{peak / 2**20:.0f} MB to read a {len(data) / 2**20:.0f} MB notebook"


# No shrinking: one grading takes a second or more, and shrinking would take minutes.
@settings(FUZZ, max_examples=25, phases=[Phase.explicit, Phase.generate])
@given(cases=st.lists(mutated(solution_notebooks()), min_size=1, max_size=3))
def test_grading_a_damaged_notebook_never_crashes(tmp_path_factory, hw3, backend, cases):
    folder = tmp_path_factory.mktemp("class")
    for number, (data, _, _) in enumerate(cases):
        (folder / f"s{number}.ipynb").write_bytes(data)
    submissions = discover(folder, "hw3")
    results = runner.grade(hw3, submissions, backend=backend)
    assert [r.submission for r in results] == [s.id for s in submissions] == [f"s{n}" for n in range(len(cases))]
    for result, submission, (_, verdict, _) in zip(results, submissions, cases):
        write_result(folder / "results" / f"{result.submission}.json", result)  # validates against the schema
        validate(json.loads((folder / "results" / f"{result.submission}.json").read_text(encoding="utf-8")))
        try:
            read_cells(submission)
        except LoadError as exc:
            event("refused")
            assert verdict != "ok", exc
            assert result.load_errors[0] == {"where": "submission", "error": str(exc), "traceback": ""}
            assert result.auto_score == 0
        else:
            event("graded")
            assert verdict != "error"
            assert all(e["where"] != "submission" for e in result.load_errors), result.load_errors
            if verdict == "ok":
                assert (result.load_errors, result.auto_score) == ([], FULL_AUTO)
