"""The student release: exactly the public files, refused when secret content is planted anywhere in it,
and checkable with nothing but the release and the grader package."""

import ast
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import textwrap
import tomllib

import nbformat
import pytest

from grader.authoring.release import LeakError, build_release
from grader.model.assignment import load_assignment
from tests.conftest import ROOT, mutant_source

IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc")


@pytest.fixture
def course(tmp_path):
    """A private copy of hw3 and the reference, so files can be tampered with."""
    folder = tmp_path / "course"
    shutil.copytree(ROOT / "assignments" / "hw3", folder / "assignments" / "hw3", ignore=IGNORE)
    shutil.copytree(ROOT / "reference", folder / "reference", ignore=IGNORE)
    return folder


def hw3(course):
    return load_assignment("hw3", course / "assignments")


def refused(course, tmp_path) -> str:
    dest = tmp_path / "release"
    with pytest.raises(LeakError) as caught:
        build_release(hw3(course), dest)
    assert not dest.exists() and not [p for p in tmp_path.iterdir() if p.name.startswith(".release")]
    return str(caught.value)


def test_release_holds_exactly_what_students_get(tmp_path):
    dest = tmp_path / "release"
    files = {p.relative_to(dest).as_posix() for p in build_release(load_assignment("hw3", ROOT / "assignments"), dest)}
    assert files == {"README.md", "hw3.py", "hw3.ipynb", "assignments/hw3/assignment.toml",
                     "assignments/hw3/template/hw3.py", "assignments/hw3/template/hw3.ipynb",
                     "assignments/hw3/tests/public/test_hw3_public.py", "assignments/hw3/tests/public/hw3_helpers.py",
                     # the public tests' messages in Chinese (the hidden tests' catalog stays behind)
                     "assignments/hw3/tests/public/locale/zh/LC_MESSAGES/messages.po",
                     "assignments/hw3/tests/public/locale/zh/LC_MESSAGES/messages.mo"}
    template = ROOT / "assignments" / "hw3" / "template"
    assert (dest / "hw3.ipynb").read_bytes() == (template / "hw3.ipynb").read_bytes()
    config = tomllib.loads((dest / "assignments/hw3/assignment.toml").read_text(encoding="utf-8"))
    assert config["manual"] == {"Q3_NONSEP": {"points": 2}}  # points, no rubric
    assert config["limits"]["test_timeout"] == 10 and config["language"] == "zh"
    readme = (dest / "README.md").read_text(encoding="utf-8")
    assert "感知机迭代表" in readme and "grader check hw3" in readme and "BEGIN SOLUTION" not in readme


def test_a_hidden_test_body_reformatted_into_a_public_test_is_refused(course, tmp_path):
    hidden = (course / "assignments/hw3/tests/hidden/test_hw3_hidden.py").read_text(encoding="utf-8")
    test = next(n for n in ast.parse(hidden).body if isinstance(n, ast.FunctionDef) and n.name == "test_final_model")
    test.name, test.body = "test_renamed", test.body[1:]  # new name, no docstring, unparsed: other layout
    public = course / "assignments/hw3/tests/public/test_hw3_public.py"
    public.write_text(public.read_text(encoding="utf-8") + "\n\n# looks harmless\n" + ast.unparse(test) + "\n")
    message = refused(course, tmp_path)
    assert "assignments/hw3/tests/public/test_hw3_public.py: contains hidden test code" in message
    assert "test_final_model" in message


@pytest.mark.parametrize("name", ["hw1", "hw2", "hw3", "hw4", "hw5"])
def test_every_homework_is_released_with_the_helpers_its_public_tests_import(name, tmp_path):
    dest = tmp_path / "release"
    files = {p.relative_to(dest).as_posix() for p in build_release(load_assignment(name, ROOT / "assignments"), dest)}
    public = ROOT / "assignments" / name / "tests" / "public"
    assert {f"assignments/{name}/tests/public/{p.name}" for p in public.glob("*.py")} <= files
    imported = {module for path in public.glob("test_*.py") for module in _top_level_imports(path)}
    local = {p.stem for p in public.glob("*.py")}
    assert imported & local <= {p.removesuffix(".py").rsplit("/", 1)[-1] for p in files}


def _top_level_imports(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {alias.name.split(".")[0] for node in tree.body if isinstance(node, ast.Import) for alias in node.names} | \
        {node.module.split(".")[0] for node in tree.body if isinstance(node, ast.ImportFrom) and node.module}


def test_a_helper_shared_by_public_and_hidden_tests_is_released(course, tmp_path):
    """What both kinds of tests need lives beside the public tests: released, and no leak."""
    helper = "def first_row(table):\n    assert len(table) > 0, 'the table has no rows at all, not even row 0'\n" \
             "    return table[0]\n"
    (course / "assignments/hw3/tests/public/hw3_helpers.py").write_text(helper, encoding="utf-8")
    hidden = course / "assignments/hw3/tests/hidden/test_hw3_hidden.py"
    hidden.write_text("from hw3_helpers import first_row  # noqa: F401\n" + hidden.read_text(encoding="utf-8"))
    files = build_release(hw3(course), tmp_path / "release")
    assert tmp_path / "release/assignments/hw3/tests/public/hw3_helpers.py" in files


def test_a_hidden_test_body_moved_into_a_public_helper_is_refused(course, tmp_path):
    hidden = (course / "assignments/hw3/tests/hidden/test_hw3_hidden.py").read_text(encoding="utf-8")
    test = next(n for n in ast.parse(hidden).body if isinstance(n, ast.FunctionDef) and n.name == "test_final_model")
    test.name = "helper"
    (course / "assignments/hw3/tests/public/hw3_helpers.py").write_text(ast.unparse(test) + "\n", encoding="utf-8")
    message = refused(course, tmp_path)
    assert "assignments/hw3/tests/public/hw3_helpers.py: contains hidden test code" in message


def test_a_solution_block_in_a_template_notebook_cell_is_refused(course, tmp_path):
    solution = (course / "reference/solutions/hw3.py").read_text(encoding="utf-8")
    block = solution.split("### BEGIN SOLUTION\n")[4].split("### END SOLUTION")[0]  # perceptron_train's body
    path = course / "assignments/hw3/template/hw3.ipynb"
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell("def perceptron_train(X, y):\n" + block))
    nbformat.write(notebook, path)
    message = refused(course, tmp_path)
    assert "hw3.ipynb: contains solution block 4 of reference/solutions/hw3.py" in message


def test_reference_source_in_the_statement_is_refused(course, tmp_path):
    source = (course / "reference/perceptron.py").read_text(encoding="utf-8")
    function = next(n for n in ast.parse(source).body if isinstance(n, ast.FunctionDef) and n.name == "check_table")
    markdown = "\n".join("# " + line for line in ["```python", *ast.unparse(function).splitlines(), "```"])
    path = course / "assignments/hw3/template/hw3.py"
    path.write_text("# %% [markdown]\n# Hint:\n#\n" + markdown + "\n\n" + path.read_text(encoding="utf-8"))
    message = refused(course, tmp_path)
    assert "README.md: contains reference code (reference/perceptron.py) check_table" in message


def test_a_public_test_that_imports_the_reference_is_refused(course, tmp_path):
    public = course / "assignments/hw3/tests/public/test_hw3_public.py"
    public.write_text("from reference.perceptron import HW3_X\n" + public.read_text(encoding="utf-8"))
    assert "imports reference.perceptron, which students do not have" in refused(course, tmp_path)


def test_the_mutants_stay_out_of_the_release_and_a_planted_copy_is_refused(course, tmp_path):
    assert (course / "assignments/hw3/mutants.toml").is_file()  # beside assignment.toml, and not released
    released = build_release(hw3(course), tmp_path / "clean")
    assert not [p for p in released if p.name == "mutants.toml"]
    public = course / "assignments/hw3/tests/public"
    shutil.copy(course / "assignments/hw3/mutants.toml", public / "mutants.toml")  # public tests are copied whole
    message = refused(course, tmp_path)
    assert "assignments/hw3/tests/public/mutants.toml: is a mutants.toml, which quotes the solution" in message


def test_the_release_alone_checks_a_correct_and_a_wrong_submission(tmp_path):
    release = tmp_path / "student" / "hw3"  # the student's machine: the release, nothing of the course
    build_release(load_assignment("hw3", ROOT / "assignments"), release)
    correct = shutil.copy(ROOT / "assignments/hw3/alternatives/a02_lists_and_numpy.py", tmp_path / "correct.py")
    wrong = tmp_path / "wrong.py"
    wrong.write_text(mutant_source("hw3", "m01_b_wrong_sign"), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("GRADER_ASSIGNMENTS", "PYTHONPATH")} | {"COLUMNS": "200"}

    def run(*args):
        return subprocess.run([sys.executable, *args], cwd=release, env=env, capture_output=True, text=True,
                              check=False, timeout=300)

    # From the release folder the course's reference package cannot be imported at all.
    probe = run("-c", "import importlib.util; print(importlib.util.find_spec('reference'))")
    assert probe.stdout.strip() == "None", probe.stdout + probe.stderr
    assert importlib.util.find_spec("reference") is not None  # (while from the repository it can)

    passed = run("-m", "grader", "check", "hw3", str(correct), "--json", str(tmp_path / "passed.json"))
    assert passed.returncode == 0, passed.stdout + passed.stderr
    result = json.loads((tmp_path / "passed.json").read_text(encoding="utf-8"))
    assert [t["status"] for t in result["tests"] if t["kind"] == "auto"] == ["passed"] * 8  # 4 + 4 checks of 0 points
    failed = run("-m", "grader", "check", "hw3", str(wrong), "--json", str(tmp_path / "failed.json"))
    assert failed.returncode == 1, failed.stdout + failed.stderr
    result = json.loads((tmp_path / "failed.json").read_text(encoding="utf-8"))
    assert {t["status"] for t in result["tests"] if t["kind"] == "auto"} >= {"failed"}


def test_the_cli_names_the_leak_and_exits_non_zero(course, tmp_path):
    readme_leak = course / "assignments/hw3/template/hw3.py"
    hidden = (course / "assignments/hw3/tests/hidden/test_hw3_hidden.py").read_text(encoding="utf-8")
    helper = textwrap.dedent(hidden.split("def rows_still_needed(table, legal_rows):\n")[1].split("\n\n\n")[0])
    readme_leak.write_text(readme_leak.read_text(encoding="utf-8") + "\n# %%\ndef helper(table, legal_rows):\n"
                           + textwrap.indent(helper, "    ") + "\n")
    run = subprocess.run([sys.executable, "-m", "grader", "--assignments", str(course / "assignments"), "release",
                          "hw3", str(tmp_path / "out")], check=False, capture_output=True, text=True, timeout=120)
    assert run.returncode == 2
    assert "hw3.py: contains hidden test code (tests/hidden/test_hw3_hidden.py) rows_still_needed" in run.stderr
    assert not (tmp_path / "out").exists()


def test_the_deadline_is_released_and_still_parses(course, tmp_path):
    config = course / "assignments" / "hw3" / "assignment.toml"
    config.write_text(config.read_text(encoding="utf-8") + "\n[deadline]\ndue = 2026-10-01T23:59:00+08:00\n"
                      "penalty_per_day = 0.1\nmax_penalty = 0.5\n", encoding="utf-8")
    build_release(hw3(course), tmp_path / "release")
    released = load_assignment("hw3", tmp_path / "release" / "assignments")
    assert released.deadline == hw3(course).deadline and released.deadline is not None
