"""Student folder names chosen (or mangled by an unzip) to take another student's score, hide behind the
batch's own files, break the file system's name limit, or run as a formula in the instructor's sheet.

Each was seen to succeed before its fix (checked again by reverting it): ``dup\\xff`` and a folder
literally named so shared one id and one result file, so the correct student got the wrong one's score;
a student named ``summary`` was overwritten by summary.json; an 84-character Chinese name aborted the
batch with "File name too long"; ``=1+2`` went into gradebook.csv, scores.csv and the course sheet as a
live formula."""

from __future__ import annotations

import csv
import io
import os

from grader.grading.grade import GradeOptions, grade_folder
from grader.model.assignment import load_assignment
from grader.model.results import MAX_STEM_BYTES, file_stem
from grader.sinks.gradebook import Gradebook, record_results_folder
from grader.sinks.manual import export_packet, read_scores
from grader.sinks.results_folder import FORMULA_STARTS, load_results_folder
from tests.conftest import ROOT, SOLUTION, write_class

ASSIGNMENTS = ROOT / "assignments"
WRONG = SOLUTION.replace("FINAL_B = ", "FINAL_B = 1 + ", 1)
LONG = "感知机" * 28  # 84 characters, 252 bytes: over NAME_MAX with ".json"
FORMULAS = ("=1+2", "+SUM(1)", "-2+3", "@SUM(1)", "＝1+1")


def hostile_class(folder):
    files = {"dup\\xff/hw3.py": SOLUTION, "summary/hw3.py": SOLUTION, f"{LONG}/hw3.py": SOLUTION,
             f"{LONG}x/hw3.py": WRONG, "%73ummary/hw3.py": WRONG, "honest/hw3.py": SOLUTION}
    files |= {f"{name}/hw3.py": SOLUTION for name in FORMULAS}
    write_class(folder, files)
    raw = os.fsencode(folder) + b"/dup\xff"  # as an unzip of a GBK name leaves it: not UTF-8
    os.mkdir(raw)
    with open(raw + b"/hw3.py", "w", encoding="utf-8") as stream:
        stream.write(WRONG)
    return folder


def formula_cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row if cell.startswith(FORMULA_STARTS)]


def test_odd_names_keep_their_own_scores_files_and_plain_cells(tmp_path, strict_available):
    out = tmp_path / "out"
    graded = grade_folder("hw3", hostile_class(tmp_path / "class"), out, GradeOptions(workers=2, sandbox="strict"),
                          assignments_dir=ASSIGNMENTS)
    scores = {r.submission: r.auto_score for r in graded.results}
    assert len(scores) == 12 and len(graded.results) == 12  # one result per folder, none merged
    assert scores["dup\\\\xff"] == 14 and scores["dup\\xff"] < 14  # the literal name, and the raw byte
    assert scores["summary"] == 14 and scores["%73ummary"] < 14
    assert scores[LONG] == 14 and scores[LONG + "x"] < 14
    assert all(scores[name] == 14 for name in (*FORMULAS, "honest"))

    on_disk = {r.submission: r.auto_score for r in load_results_folder(out)}
    assert on_disk == scores  # every result file survived the batch's own files and each other
    assert all(len(p.name.encode()) <= 255 for p in out.iterdir())
    summary = (out / "summary.json").read_text(encoding="utf-8")
    assert '"submissions": 12' in summary

    assert formula_cells((out / "gradebook.csv").read_text(encoding="utf-8")) == []
    hw3 = load_assignment("hw3", ASSIGNMENTS)
    sheet = next(p for p in export_packet(hw3, out, tmp_path / "packet") if p.suffix == ".csv")
    assert formula_cells(sheet.read_text(encoding="utf-8-sig")) == []
    # The sheet comes back with its names as they were: a score typed for "=1+2" reaches that student.
    filled = sheet.read_text(encoding="utf-8-sig").replace("'=1+2,Q3_NONSEP,2,,", "'=1+2,Q3_NONSEP,2,1.5,")
    sheet.write_text(filled, encoding="utf-8-sig")
    assert read_scores(sheet, hw3, load_results_folder(out))["=1+2"] == {"Q3_NONSEP": (1.5, "")}

    record_results_folder(tmp_path / "g.db", out, assignments_dir=ASSIGNMENTS)
    with Gradebook(tmp_path / "g.db") as book:
        course = book.export_csv()
    assert formula_cells(course) == [] and "'=1+2" in course and "'＝1+1" in course


def test_result_file_stems_are_distinct_bounded_and_never_the_batch_s_own():
    ids = ["summary", "Summary", "%73ummary", "gradebook", ".x", "%2Ex", "a%b", LONG, LONG + "x", LONG + "y",
           "x" * MAX_STEM_BYTES, "x" * (MAX_STEM_BYTES + 1), "ann", "a<b>", "a:b", "a\\b", "a%5Cb", "tab\tx",
           "a/b", "../x"]
    stems = [file_stem(i) for i in ids]
    assert len(set(stems)) == len(ids)
    assert not {s.lower() for s in stems} & {"summary", "gradebook"} and not any(s.startswith(".") for s in stems)
    assert all(len(f".{s}.json.abcdefgh".encode()) <= 255 for s in stems)
    assert not any(set(s) & set('/<>:"|?*\\\t') for s in stems)  # a results folder copies to Windows too
    assert file_stem("ann") == "ann" and file_stem("x" * MAX_STEM_BYTES) == "x" * MAX_STEM_BYTES
