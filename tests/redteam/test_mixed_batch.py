"""The second red-team round's classes in one hw3 class, graded as an instructor would, through the
command line: `grader grade --workers 2 --db` (strict), then `grader feedback`, `grader manual export`
and `grader gradebook export`. Text that is not Unicode, odd and hostile folder names, hostile HTML
and amplifying replies beside honest students: exit 0 everywhere, a result for every student, honest
scores exact, nothing live in any page, no formula in any CSV, and no grader process over 400 MB.

Each class has its own regression test that saw the attack succeed before its fix (``test_names``,
``test_html_injection``, ``test_hostile_wire``); this one proves the fixes hold together, in the chain
of verbs users run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from grader.model.results import validate
from tests.conftest import ROOT, SOLUTION, write_class
from tests.redteam.test_hostile_wire import AMPLIFIERS, FORGE, MEASURE, MEMORY_BOUND_MB
from tests.redteam.test_html_injection import (
    HOSTILE_MARKDOWN,
    HOSTILE_OUTPUTS,
    PLAIN_HTML_ANSWER,
    live,
    notebook,
)
from tests.redteam.test_names import LONG, WRONG, formula_cells

# perceptron_step answered with an amplifying reply (the FORGE replaces the jail's encoder for it).
AMPLIFIED = SOLUTION + "\n" + AMPLIFIERS["amp_empty_lists"] + "\n" + FORGE.replace("def mul(a, b):", (
    "def perceptron_step(w, b, x, y, eta=1.0):"))
NOT_UNICODE = SOLUTION + r'''
Q3_NONSEP = "my answer \ud800 ends here"
_real_step = perceptron_step
def perceptron_step(w, b, x, y, eta=1.0):
    print("stepping \udcff")
    return _real_step(w, b, x, y, eta)
'''


@pytest.fixture(scope="module")
def course_run(tmp_path_factory, strict_available) -> dict:
    base = tmp_path_factory.mktemp("mixed")
    folder = write_class(base / "class", {
        "honest_a.py": SOLUTION, "honest_b/hw3.py": SOLUTION,
        "=1+2/hw3.py": SOLUTION, f"{LONG}/hw3.py": SOLUTION, "summary/hw3.py": SOLUTION,
        "dup\\xff/hw3.py": SOLUTION, "+SUM(1)/hw3.py": WRONG,
        "html_nb/hw3.ipynb": notebook(HOSTILE_MARKDOWN, HOSTILE_OUTPUTS, HOSTILE_MARKDOWN),
        "html_text.py": SOLUTION + f"\nQ3_NONSEP = {PLAIN_HTML_ANSWER!r}\n",
        "not_unicode.py": NOT_UNICODE,
        "amplified.py": AMPLIFIED,
    })
    raw = os.fsencode(folder) + b"/dup\xff"  # an unzip of a GBK name: not UTF-8
    os.mkdir(raw)
    with open(raw + b"/hw3.py", "w", encoding="utf-8") as stream:
        stream.write(WRONG)
    out, db = base / "out", base / "grades.db"

    def grader(*args: str | Path, measured: bool = False) -> dict:
        command = [sys.executable, "-m", "grader", *map(str, args)]
        if measured:
            command = [sys.executable, "-c", MEASURE, *command]
        done = subprocess.run(command, capture_output=True, text=True, errors="replace", timeout=900, check=False,
                              cwd=ROOT, env={**os.environ, "COLUMNS": "200"})
        if measured:
            return json.loads(done.stdout)
        return {"returncode": done.returncode, "stdout": done.stdout, "stderr": done.stderr}

    runs = {
        "grade": grader("grade", "hw3", folder, "--out", out, "--workers", "2", "--db", db, measured=True),
        "feedback": grader("feedback", "hw3", out, folder, "-o", base / "feedback"),
        "manual": grader("manual", "export", "hw3", out, "-o", base / "packet"),
        "gradebook": grader("gradebook", "export", "--db", db, "--csv", base / "course.csv"),
    }
    results = {}
    for path in out.glob("*.json"):
        if path.name != "summary.json":
            data = json.loads(path.read_text(encoding="utf-8"))
            results[data["submission"]] = data
    return {"base": base, "out": out, "runs": runs, "results": results}


def test_every_verb_exits_0(course_run):
    for verb, run in course_run["runs"].items():
        assert run["returncode"] == 0, f"{verb}: {run['stderr'][-2000:]}"


def test_a_valid_result_for_every_student_and_honest_scores_exact(course_run):
    results = course_run["results"]
    assert len(results) == 12
    for data in results.values():
        validate(data)
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    for sid in ("honest_a", "honest_b", "=1+2", LONG, "summary", "dup\\\\xff", "html_text", "html_nb"):
        assert results[sid]["auto_score"] == 14.0, (sid, results[sid]["auto_score"])
    assert results["dup\\xff"]["auto_score"] < 14 and results["+SUM(1)"]["auto_score"] < 14
    text = {t["name"]: t for t in results["not_unicode"]["tests"]}
    assert results["not_unicode"]["auto_score"] == 14.0 and text["Q3_NONSEP"]["answer"] == "my answer \ufffd ends here"
    amplified = [t for t in results["amplified"]["tests"] if "holds more than" in t["message"]]
    assert amplified and all(t["status"] == "failed" for t in amplified)


def test_no_grader_process_grew_past_the_bound(course_run):
    assert course_run["runs"]["grade"]["peak_mb"] < MEMORY_BOUND_MB


def test_nothing_live_in_any_page(course_run):
    pages = [*(course_run["base"] / "feedback").glob("*.html"), *(course_run["base"] / "packet").glob("*.html")]
    assert len(pages) >= 13  # a feedback page per student, and the packet
    for page in pages:
        assert live(page.read_text(encoding="utf-8")).found == [], page.name


def test_no_formula_in_any_csv(course_run):
    sheets = [*course_run["base"].rglob("*.csv")]
    assert {p.name for p in sheets} >= {"gradebook.csv", "course.csv", "scores.csv"}
    for sheet in sheets:
        text = sheet.read_text(encoding="utf-8-sig")
        assert formula_cells(text) == [], sheet
    assert any(name in (course_run["base"] / "course.csv").read_text(encoding="utf-8-sig")
               for name in ("'=1+2", "'+SUM(1)"))
