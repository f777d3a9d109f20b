"""The Gradescope bundle: what is inside, and run_autograder in a folder laid out like /autograder writing a
results.json in Gradescope's documented format with the scores ``grader grade`` gives."""

import json
import os
import shutil
import subprocess
import sys
import zipfile

import jsonschema
import pytest

import grader
from grader import gradescope
from grader.authoring.bundle import build_bundle
from grader.jail.sandbox import strict_problem
from grader.model.assignment import load_assignment
from tests.conftest import ROOT

VISIBILITY = {"enum": ["hidden", "after_due_date", "after_published", "visible"]}
# Gradescope's results.json (gradescope-autograders.readthedocs.io, "Autograder Specifications"),
# restricted to the fields we write.
GRADESCOPE_RESULTS = {
    "type": "object",
    "required": ["score", "tests"],
    "additionalProperties": False,
    "properties": {
        "score": {"type": "number"},
        "execution_time": {"type": "number"},
        "output": {"type": "string"},
        "visibility": VISIBILITY,
        "stdout_visibility": VISIBILITY,
        "extra_data": {"type": "object"},
        "tests": {"type": "array", "items": {
            "type": "object",
            "required": ["score", "max_score", "name", "status"],
            "additionalProperties": False,
            "properties": {
                "score": {"type": "number"}, "max_score": {"type": "number"},
                "status": {"enum": ["passed", "failed"]}, "name": {"type": "string"},
                "number": {"type": "string"}, "output": {"type": "string"}, "visibility": VISIBILITY,
            },
        }},
    },
}


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    out = tmp_path_factory.mktemp("export") / "hw3-autograder.zip"
    run = subprocess.run([sys.executable, "-m", "grader", "--assignments", str(ROOT / "assignments"), "export",
                          "gradescope", "hw3", "-o", str(out)], capture_output=True, text=True, timeout=120,
                         check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    return out


def autograder(tmp_path, bundle, files: dict[str, str]):
    """run_autograder in a folder laid out as Gradescope's: its results.json, its stdout, the folder."""
    root = autograder_folder(tmp_path, bundle, files)
    env = {k: v for k, v in os.environ.items() if k not in ("GRADER_ASSIGNMENTS", "PYTHONPATH")}
    run = subprocess.run([str(root / "source" / "run_autograder")], cwd=root, capture_output=True, text=True,
                         timeout=300, check=False,
                         env=env | {"AUTOGRADER_ROOT": str(root), "AUTOGRADER_PYTHON": sys.executable})
    assert run.returncode == 0, run.stdout + run.stderr
    results = json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))
    jsonschema.validate(results, GRADESCOPE_RESULTS)
    return results, run.stdout, root


def autograder_folder(tmp_path, bundle, files: dict[str, str]):
    """``tmp_path/autograder`` as Gradescope lays it out: source/ unzipped, submission/ uploaded."""
    root = tmp_path / "autograder"
    with zipfile.ZipFile(bundle) as archive:
        for info in archive.infolist():
            archive.extract(info, root / "source")
            os.chmod(root / "source" / info.filename, (info.external_attr >> 16) & 0o777)
    for name, source in files.items():
        (root / "submission" / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, root / "submission" / name)
    return root


def test_the_bundle_holds_the_grader_the_tests_and_only_the_reference_they_import(bundle):
    with zipfile.ZipFile(bundle) as archive:
        names = set(archive.namelist())
        modes = {i.filename: (i.external_attr >> 16) & 0o777 for i in archive.infolist()}
        requirements = archive.read("requirements.txt").decode()
    assert {"setup.sh", "run_autograder", "grader/__init__.py", "grader/model/result.schema.json",
            "grader/grading/pytest.ini",
            "assignments/hw3/assignment.toml", "assignments/hw3/tests/public/test_hw3_public.py",
            "assignments/hw3/tests/hidden/test_hw3_hidden.py", "reference/perceptron.py"} <= names
    assert modes["run_autograder"] == modes["setup.sh"] == 0o755
    assert not [n for n in names if n.startswith(("reference/solutions", "reference/mlp"))
                or "mutants/" in n or n.endswith("mutants.toml") or "alternatives/" in n or "__pycache__" in n]
    assert "numpy" in requirements and "pytest" in requirements and "extra" not in requirements
    subprocess.run(["bash", "-n", "/dev/stdin"], input=zipfile.ZipFile(bundle).read("setup.sh"), check=True)


def test_a_mutants_toml_among_the_tests_stays_out_of_the_bundle(tmp_path):
    course = tmp_path / "course"
    shutil.copytree(ROOT / "assignments" / "hw3", course / "assignments" / "hw3")
    shutil.copytree(ROOT / "reference", course / "reference")
    planted = course / "assignments/hw3/tests/hidden/mutants.toml"  # tests/ goes into the bundle whole
    shutil.copy(course / "assignments/hw3/mutants.toml", planted)
    names = build_bundle(load_assignment("hw3", course / "assignments"), tmp_path / "b.zip")
    assert "assignments/hw3/tests/hidden/test_hw3_hidden.py" in names
    assert not [n for n in names if n.endswith("mutants.toml")]


def test_run_autograder_grades_a_module_with_public_and_hidden_tests(tmp_path, bundle):
    results, stdout, root = autograder(tmp_path, bundle, {"hw3.py": ROOT / "submissions/hw3/2024011243_wu_min.py"})
    assert results["score"] == 10  # what the sample class's README expects of this submission
    assert len(results["tests"]) == 13 and sum(t["max_score"] for t in results["tests"]) == 14
    visibilities = [t["visibility"] for t in results["tests"]]
    assert visibilities.count("visible") == 8 and visibilities.count("after_published") == 5
    failed = [t for t in results["tests"] if t["status"] == "failed"]
    assert failed and all(t["score"] < t["max_score"] for t in failed if t["max_score"])  # 0-point checks too
    assert f"from {root / 'source' / 'grader'}" in stdout  # the bundled grader, not the repository's
    ran = "basic" if strict_problem() else "strict"
    assert results["extra_data"]["sandbox"] == ran and f"sandbox: {ran}" in results["output"]


def test_where_the_container_forbids_namespaces_the_bundle_grades_basic_and_says_why(tmp_path, bundle, monkeypatch):
    root = autograder_folder(tmp_path, bundle, {"hw3.py": ROOT / "submissions/hw3/2024011243_wu_min.py"})
    why = "strict mode's namespaces are not allowed here (bwrap: No permissions to creating new namespace)"
    monkeypatch.setattr(gradescope, "strict_problem", lambda: why)
    results = gradescope.run_autograder(root, "hw3")
    assert results["score"] == 10
    assert results["extra_data"] == {"sandbox": "basic", "sandbox_note": why, "grader_version": grader.__version__}
    assert f"sandbox: basic (limited process only: files and network NOT hidden from submissions) ({why})" \
        in results["output"]
    assert json.loads((root / "results/results.json").read_text(encoding="utf-8")) == results


def test_run_autograder_finds_a_notebook_uploaded_under_another_name(tmp_path, bundle):
    notebook = ROOT / "submissions/hw3/2024011234_zhang_wei/hw3.ipynb"
    results, _, _ = autograder(tmp_path, bundle, {"upload/Copy of hw3 (1).ipynb": notebook})
    assert results["score"] == 13  # the sample class's README: its perceptron_train misses one boundary case
    assert "was graded as hw3.ipynb" in results["output"]


def test_a_missing_submission_scores_zero_with_a_reason(tmp_path, bundle):
    readme = ROOT / "submissions/hw3/README.md"
    results, _, _ = autograder(tmp_path, bundle, {"notes.md": readme})
    assert results["score"] == 0
    assert "neither hw3.ipynb nor hw3.py" in results["output"]
