"""Any text a result can hold — lone surrogates, control characters, formula starts, right-to-left
marks, very long ids — is written by every sink: result and Gradescope files, the summary, the batch's
gradebook.csv, the gradebook and its course sheet, and the console report. Each file is read back
strictly as UTF-8 and no CSV cell is a formula."""

from __future__ import annotations

import csv
import io
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console

from grader.model import results as model
from grader.model.results import SubmissionResult
from grader.sinks.console import ClassOverview, ClassTable
from grader.sinks.gradebook import Gradebook
from grader.sinks.results_folder import FORMULA_STARTS, ResultsFolder, load_results_folder, summary

FUZZ = settings(derandomize=True, database=None, deadline=None, max_examples=40,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
# Every code point, surrogates included (hypothesis leaves them out of text() unless asked).
ANY_TEXT = st.text(st.characters(codec=None, categories=None), max_size=60)
HOSTILE = st.sampled_from(["\ud800", "\udcff", "=1+2", "\u202e", "\x00", "\r\n", "＝", "%", "..", "感知机" * 30])
TEXT = st.one_of(ANY_TEXT, st.builds(lambda a, b: a + b, HOSTILE, ANY_TEXT))


@st.composite
def results(draw) -> list[SubmissionResult]:
    ids = draw(st.lists(TEXT.filter(bool), min_size=1, max_size=3, unique=True))
    made = []
    for student in ids:
        tests = [model.TestResult(draw(TEXT) or "t", f"tests/test_x.py::t{n}", 0.0, 1.0, "failed", message=draw(TEXT),
                                  traceback=draw(TEXT), printed=draw(TEXT), notes=draw(TEXT)) for n in range(2)]
        tests.append(model.TestResult("Q", "manual::Q", 0.0, 2.0, "pending", kind="manual", message=draw(TEXT),
                                      answer=draw(st.none() | TEXT)))
        made.append(SubmissionResult("hw3", student, tests, files={draw(TEXT) or "f": "0" * 64},
                                     warnings=[draw(TEXT)]))
    return made


def no_formulas(text: str) -> bool:
    rows = list(csv.reader(io.StringIO(text, newline="")))
    return len(rows) == text.count("\r\n") - sum(c.count("\r\n") for r in rows for c in r) and not any(
        cell.startswith(FORMULA_STARTS) for row in rows for cell in row)


@FUZZ
@given(batch=results())
def test_every_sink_writes_any_text(tmp_path_factory, batch):
    out = tmp_path_factory.mktemp("out")
    folder = ResultsFolder(out, formats=("json", "gradescope"))
    for result in batch:
        folder.write(result)
    folder.finish(batch)
    for path in out.rglob("*.json"):
        json.loads(path.read_bytes().decode("utf-8"))  # strict: every byte is valid UTF-8
    assert no_formulas((out / "gradebook.csv").read_bytes().decode("utf-8"))

    loaded = load_results_folder(out)
    assert len(loaded) == len(batch)  # no two ids shared a file
    with Gradebook(out / "g.db") as book:
        for result in loaded:
            book.record(result)
        sheet = book.export_csv()
    sheet.encode("utf-8")
    assert no_formulas(sheet)

    console = Console(file=io.StringIO(), width=100, force_terminal=True)
    console.print(ClassTable(summary(loaded), "fuzz"))
    console.print(ClassOverview(summary(loaded)))
    console.file.getvalue().encode("utf-8")
