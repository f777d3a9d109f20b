"""The verbs as a user runs them: exit codes, files written, schema-valid JSON."""

import json
import os
import shutil
import subprocess
import sys
import zipfile

from grader.model.results import validate
from tests.conftest import ROOT, SOLUTION, write_class


def grader(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "grader", "--assignments", str(ROOT / "assignments"), *args],
                          cwd=cwd, capture_output=True, text=True, timeout=300, check=False,
                          env={**os.environ, "COLUMNS": "300"})


def test_check_exits_0_only_when_every_public_test_passes(tmp_path):
    shutil.copy(ROOT / "reference" / "solutions" / "hw3.py", tmp_path / "hw3.py")
    passed = grader("check", "hw3", "--json", str(tmp_path / "r.json"), cwd=tmp_path)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    validate(json.loads((tmp_path / "r.json").read_text()))
    failed = grader("check", "hw3", str(ROOT / "assignments" / "hw3" / "template" / "hw3.ipynb"), cwd=tmp_path)
    assert failed.returncode == 1 and "not implemented yet" in failed.stdout


def test_grade_writes_a_result_per_submission_summary_and_gradebook(tmp_path):
    out = tmp_path / "out"
    run = grader("grade", "hw3", str(ROOT / "submissions" / "hw3"), "--out", str(out), "--format", "json",
                 "--format", "gradescope")
    assert run.returncode == 0, run.stderr
    ids = {p.stem for p in out.glob("*.json")} - {"summary"}
    assert len(ids) >= 8
    for result_file in out.glob("*.json"):
        if result_file.name != "summary.json":
            validate(json.loads(result_file.read_text()))
    summary = json.loads((out / "summary.json").read_text())
    assert summary["submissions"] == len(ids)
    assert (out / "gradebook.csv").read_text().count("\n") == len(ids) + 1
    gradescope = json.loads(next(out.glob("*/results.json")).read_text())
    assert ({"score", "tests"} <= set(gradescope)
            and all(t["status"] in ("passed", "failed") for t in gradescope["tests"]))


def test_unknown_assignment_is_a_clear_error(tmp_path):
    run = grader("check", "hw9", cwd=tmp_path)
    assert run.returncode == 2 and "unknown assignment 'hw9'" in run.stderr


def test_grade_records_the_batch_in_the_gradebook(tmp_path):
    shutil.copytree(ROOT / "submissions" / "hw3", tmp_path / "class")
    db = tmp_path / "grades.db"
    run = grader("grade", "hw3", str(tmp_path / "class"), "--out", str(tmp_path / "out"), "--db", str(db),
                 "--workers", "2")
    assert run.returncode == 0, run.stderr
    export = grader("gradebook", "export", "--db", str(db), "--csv", str(tmp_path / "lms.csv"))
    assert export.returncode == 0, export.stderr
    rows = (tmp_path / "lms.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("student,hw3")
    assert any(row.startswith("2024011234_zhang_wei,13") for row in rows), rows[:3]
    assert len(rows) == 1 + 13


def test_grade_takes_a_class_zip_and_lists_what_it_skipped(tmp_path):
    with zipfile.ZipFile(tmp_path / "class.zip", "w") as archive:
        archive.writestr("ann_1_2_hw3.py", SOLUTION)
        archive.writestr("roster.csv", "id\n")
        archive.writestr("__MACOSX/._ann_1_2_hw3.py", "\0")
    run = grader("grade", "hw3", str(tmp_path / "class.zip"), "--out", str(tmp_path / "out"), "--workers", "1")
    assert run.returncode == 0, run.stdout + run.stderr
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert [r["submission"] for r in summary["results"]] == ["ann_1_2_hw3"]
    assert [s["entry"] for s in summary["skipped"]] == ["__MACOSX", "roster.csv"]
    assert "skipped, not graded (2):" in run.stdout and "roster.csv: not a submission" in run.stdout


def test_grade_exits_3_when_every_submission_fails_to_load_for_one_reason(tmp_path):
    write_class(tmp_path / "class", {"ann/homework.py": SOLUTION, "bob/homework.py": SOLUTION})
    run = grader("grade", "hw3", "class", "--out", "out", "--workers", "2", cwd=tmp_path)
    assert run.returncode == 3, run.stdout + run.stderr
    assert "All 2 submissions failed to load for the same reason" in run.stdout
    assert "neither hw3.ipynb nor hw3.py is in the submission" in run.stdout
    assert {p.name for p in (tmp_path / "out").glob("*.json")} == {"ann.json", "bob.json", "summary.json"}
    write_class(tmp_path / "class", {"cid.py": SOLUTION})
    assert grader("grade", "hw3", "class", "--out", "out", cwd=tmp_path).returncode == 0


def test_check_passes_with_a_warning_when_only_a_scratch_cell_raised(tmp_path):
    solution = (ROOT / "reference" / "solutions" / "hw3.py").read_text(encoding="utf-8")
    module = tmp_path / "hw3.py"
    module.write_text(solution + "\nprint(undefined_scratch_name)\n", encoding="utf-8")
    run = grader("check", "hw3", str(module), cwd=tmp_path)
    assert run.returncode == 0, run.stdout
    assert "problems while loading your code" in run.stdout and "undefined_scratch_name" in run.stdout


def test_a_report_piped_to_a_file_keeps_its_rows_whole(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    run = subprocess.run([sys.executable, "-m", "grader", "--assignments", str(ROOT / "assignments"), "check", "hw3",
                          str(ROOT / "assignments" / "hw3" / "template" / "hw3.py")],
                         cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False, env=env)
    row = next(line for line in run.stdout.splitlines() if "is_misclassified" in line)
    assert "is not implemented yet" in row  # the message on the test's own row, not a word per line below it
