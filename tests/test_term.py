"""A whole term, as users get the grader: built into an sdist and a wheel, installed into a fresh virtual
environment, and driven only through the ``grader`` command from a course folder that holds no grader
code. For every homework: release → the reference answer passes ``grader check`` in the release, as a
module and as a notebook → the sample class (plus hostile, empty and self-checking entries) graded in
the strict sandbox with a gradebook → manual export, a filled sheet, manual import → feedback →
gradebook export → the Gradescope bundle in an ``/autograder``-like folder → a Dask cluster given
relative paths. Each step checks what it wrote, not only its exit code."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import tarfile
import zipfile
from pathlib import Path

import pytest

from grader.authoring.templates import notebook_of
from tests.conftest import ROOT
from tests.installation import Installed, build_and_install, package_files
from tests.test_gradescope_export import autograder_folder

HOMEWORKS = ("hw1", "hw2", "hw3", "hw4", "hw5")
AUTO_POINTS = {"hw1": 20, "hw2": 22, "hw3": 14, "hw4": 46, "hw5": 14}
IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc")
# Hostile entries beside the sample class: their source, and the reason their result must give, in the
# course's language (Chinese: the installed grader runs with no GRADER_LANG).
HOSTILE = {
    "zz_exits_at_import.py": ("import os\nos._exit(0)\n", "进程中止"),
    "zz_forges_a_score.py": ('print(\'{"score": 100, "auto_score": 100}\')\nprint("All tests passed! 100/100")\n',
                             "没有定义"),
}
SELF_CHECK = 'import grader\ngrader.check("{name}")'


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Installed:
    if prepared := os.environ.get("GRADER_TEST_INSTALLED"):
        return Installed(Path(prepared))
    return build_and_install(tmp_path_factory.mktemp("install"))


def test_the_sdist_and_the_wheel_hold_every_file_of_the_package(installed):
    package = set(package_files())
    (wheel,) = installed.dist.glob("*.whl")
    (sdist,) = installed.dist.glob("*.tar.gz")
    with zipfile.ZipFile(wheel) as archive:
        in_wheel = {n for n in archive.namelist() if n.startswith("grader/")}
    with tarfile.open(sdist) as archive:
        in_sdist = {n.split("/", 1)[1] for n in archive.getnames() if "/grader/" in n and n.count("/") > 1}
    assert package == in_wheel, package ^ in_wheel
    assert package <= in_sdist, package - in_sdist
    assert {"grader/grading/pytest.ini", "grader/model/result.schema.json",
            "grader/sinks/templates/feedback.html.j2"} <= in_wheel


def test_the_installed_grader_is_the_wheels(installed, tmp_path):
    where = subprocess.run([str(installed.python), "-c", "import grader; print(grader.__file__)"], cwd=tmp_path,
                           env=installed.env(), capture_output=True, text=True, check=True).stdout.strip()
    assert Path(where).is_relative_to(installed.root / "venv"), where


# -- the term -----------------------------------------------------------------------------------------------
def expected_scores(readme: Path) -> dict[str, float]:
    """The sample class README's table: submission id → the auto score it states."""
    scores: dict[str, float] = {}
    column = None
    for line in readme.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if "submission" in cells and "auto" in cells:
            column = cells.index("auto")
        elif column is not None and cells[0].startswith("`"):
            entry = cells[0].split("`")[1].split("/")[0]
            scores[re.sub(r"\.(py|ipynb)$", "", entry)] = float(cells[column])
    return scores


def digits(value: float) -> int:
    text = f"{value}"
    return len(text.split(".")[1]) if "." in text and not text.endswith(".0") else 0


def results_of(folder: Path) -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in folder.glob("*.json") if p.stem != "summary"}


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    """An instructor's course folder: assignments, reference and the sample classes; no grader package."""
    folder = tmp_path_factory.mktemp("course")
    for part in ("assignments", "reference", "submissions"):
        shutil.copytree(ROOT / part, folder / part, ignore=IGNORE)
    return folder


@pytest.mark.parametrize("name", HOMEWORKS)
def test_a_term(name, installed, course, tmp_path, strict_available):
    solution = (course / "reference" / "solutions" / f"{name}.py").read_text(encoding="utf-8")
    solution_notebook = notebook_of(solution)
    checked_notebook = _with_cell(solution_notebook, SELF_CHECK.format(name=name))

    # Release, and the student's check in it: the template fails, the reference answer passes in both forms.
    release = tmp_path / "release"
    installed.run("release", name, release, cwd=course)
    released = {p.relative_to(release).as_posix() for p in release.rglob("*") if p.is_file()}
    assert {"README.md", f"{name}.py", f"{name}.ipynb", f"assignments/{name}/assignment.toml"} <= released
    assert not [p for p in released if "hidden" in p or "reference" in p]
    installed.run("check", name, f"{name}.ipynb", cwd=release, expect=1)
    (release / f"{name}.py").write_text(solution, encoding="utf-8")
    (release / f"{name}.ipynb").write_text(checked_notebook, encoding="utf-8")
    for form in (f"{name}.py", f"{name}.ipynb"):
        shown = installed.run("check", name, form, cwd=release)
        # The course speaks Chinese (assignment.toml): the installed package carries its catalogs.
        assert "✔ 通过" in shown and "✘" not in shown and "公开测试" in shown, shown
    in_kernel = installed.python_code(f"import grader; r = grader.check({name!r}, {name + '.ipynb'!r}); "
                                      "print('auto', r.auto_score, r.auto_max_score)", cwd=release)
    score, out_of = in_kernel.rsplit("auto ", 1)[1].split()
    assert float(score) == float(out_of) > 0, in_kernel

    # The class as it comes: the sample students, hostile entries, an empty folder and a self-checking notebook.
    klass = tmp_path / "class"
    shutil.copytree(course / "submissions" / name, klass)
    for entry, (source, _) in HOSTILE.items():
        (klass / entry).write_text(source, encoding="utf-8")
    (klass / "zz_self_check").mkdir()
    (klass / "zz_self_check" / f"{name}.ipynb").write_text(checked_notebook, encoding="utf-8")
    # What an LMS export and the operating systems add: none of it is a student.
    (klass / "__MACOSX" / "zz_self_check").mkdir(parents=True)
    (klass / "__MACOSX" / "zz_self_check" / f"._{name}.ipynb").write_bytes(b"\0\5\26\7")
    (klass / "zz_gave_up").mkdir()
    (klass / "roster.csv").write_text("id\nzz_self_check\n", encoding="utf-8")
    results_dir, db = tmp_path / "results", tmp_path / "grades.db"
    installed.run("grade", name, klass, "--out", results_dir, "--db", db, cwd=course)
    results = results_of(results_dir)
    expected = expected_scores(klass / "README.md")
    assert len(expected) == 13
    for student, score in expected.items():
        assert round(results[student]["auto_score"], digits(score)) == score, (student, results[student]["auto_score"])
    assert results["zz_self_check"]["auto_score"] == AUTO_POINTS[name]
    for entry, (_, reason) in HOSTILE.items():
        hostile = results[entry.removesuffix(".py")]
        said = json.dumps([hostile["load_errors"], [t["output"] for t in hostile["tests"]]], ensure_ascii=False)
        assert hostile["auto_score"] == 0 and reason in said, said
    assert {r["sandbox"] for r in results.values()} == {"strict"}
    summary = json.loads((results_dir / "summary.json").read_text(encoding="utf-8"))
    assert summary["submissions"] == len(summary["results"]) == len(results) == 13 + len(HOSTILE) + 1
    assert {s["entry"] for s in summary["skipped"]} >= {"__MACOSX", "zz_gave_up", "roster.csv"}

    # Questions graded by hand: the packet's sheet, filled in and imported, reaches results and gradebook.
    manual = [t for t in results["zz_self_check"]["tests"] if t["kind"] == "manual"]
    if manual:
        packet = tmp_path / "packet"
        installed.run("manual", "export", name, results_dir, "-o", packet, cwd=course)
        sheet = list(csv.DictReader((packet / "scores.csv").open(encoding="utf-8-sig")))
        assert {row["student"] for row in sheet} >= set(expected)
        for row in sheet:
            row["points"] = row["max_points"] if row["student"] == "zz_self_check" else "1"
        with (packet / "scores.csv").open("w", encoding="utf-8", newline="") as stream:
            writer = csv.DictWriter(stream, fieldnames=list(sheet[0]))
            writer.writeheader()
            writer.writerows(sheet)
        installed.run("manual", "import", name, packet / "scores.csv", results_dir, "--db", db, cwd=course)
        after = results_of(results_dir)["zz_self_check"]
        assert after["score"] == after["max_score"] == AUTO_POINTS[name] + sum(t["max_score"] for t in manual)

    # Feedback: a page per student, the student's own score on it.
    feedback = tmp_path / "feedback"
    installed.run("feedback", name, results_dir, klass, "-o", feedback, cwd=course)
    pages = {p.stem: p.read_text(encoding="utf-8") for p in feedback.glob("*.html")}
    assert set(results) <= set(pages)
    assert f"{results['zz_self_check']['score']:g}" in pages["zz_self_check"]

    # The gradebook's course sheet: a row per student with this homework's total.
    sheet_path = tmp_path / "grades.csv"
    installed.run("gradebook", "export", "--csv", sheet_path, "--db", db, cwd=course)
    rows = {row["student"]: row for row in csv.DictReader(sheet_path.open(encoding="utf-8-sig"))}
    assert set(rows) >= set(expected)
    assert float(rows["zz_self_check"][name]) == results_of(results_dir)["zz_self_check"]["score"]

    # The Gradescope bundle, run where Gradescope runs it, on the self-checking notebook.
    bundle = tmp_path / "autograder.zip"
    installed.run("export", "gradescope", name, "-o", bundle, cwd=course)
    upload = tmp_path / "upload.ipynb"
    upload.write_text(checked_notebook, encoding="utf-8")
    graded = _run_gradescope(installed, bundle, tmp_path, {f"{name}.ipynb": upload})
    assert graded["score"] == AUTO_POINTS[name], graded
    assert graded["extra_data"]["sandbox"] == "strict" and "沙箱：strict" in graded["output"]

    # A Dask cluster given paths relative to the course folder gives the local scores.
    subset = course / f"dask-{name}"
    shutil.rmtree(subset, ignore_errors=True)
    subset.mkdir()
    for student in sorted(expected)[:3]:
        source = klass / student if (klass / student).is_dir() else next(klass.glob(f"{student}.*"))
        (shutil.copytree if source.is_dir() else shutil.copy)(source, subset / source.name)
    installed.run("grade", name, subset.name, "--out", f"dask-out-{name}", "--executor", "dask", "--workers", "2",
                  cwd=course)
    on_dask = results_of(course / f"dask-out-{name}")
    assert {s: r["auto_score"] for s, r in on_dask.items()} == {s: results[s]["auto_score"] for s in on_dask}
    assert len(on_dask) == 3


def _with_cell(notebook: str, source: str) -> str:
    data = json.loads(notebook)
    data["cells"].append({"cell_type": "code", "execution_count": None, "id": "self-check", "metadata": {},
                          "outputs": [], "source": source})
    return json.dumps(data, ensure_ascii=False)


def _run_gradescope(installed: Installed, bundle: Path, tmp_path: Path, upload: dict[str, Path]) -> dict:
    root = autograder_folder(tmp_path, bundle, upload)
    env = installed.env() | {"AUTOGRADER_ROOT": str(root), "AUTOGRADER_PYTHON": str(installed.python)}
    subprocess.run([str(root / "source" / "run_autograder")], cwd=root, env=env, check=True, capture_output=True,
                   timeout=600)
    return json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))
